"""StackedRNN: the wiring of layers, checked against torch.nn.RNN and against the definitions."""
import pytest
import torch

import rnnlib as rl


def _copy_stack_into_torch_rnn(model):
    rnn = torch.nn.RNN(model.input_size, model.hidden_size, num_layers=model.num_layers, batch_first=True)
    with torch.no_grad():
        for l, layer in enumerate(model.layers):
            for name in ["weight_ih", "weight_hh", "bias_ih", "bias_hh"]:
                getattr(rnn, f"{name}_l{l}").copy_(getattr(layer, f"{name}_l0"))
    return rnn


@pytest.mark.parametrize("N,T,L", [(2, 6, 3), (1, 1, 1), (3, 4, 4)])
def test_no_skip_is_torch_multilayer_rnn(N, T, L):
    torch.manual_seed(L)
    model = rl.StackedRNN(3, 5, L, skip="none")
    rnn = _copy_stack_into_torch_rnn(model)
    x, h0 = torch.randn(N, T, 3), torch.randn(L, N, 5)
    out, h_n = model(x, h0)
    ref, ref_n = rnn(x, h0)
    assert rl.rel_error(out.detach(), ref.detach()) < 1e-12
    assert rl.rel_error(h_n.detach(), ref_n.detach()) < 1e-12
    assert model.output_size == 5


def _layer_states(model, x, h0):
    """Run the layers one by one from the definitions in the module docstring."""
    hs, z = [], x
    for l, layer in enumerate(model.layers):
        h, _ = layer(z, h0[l:l + 1])
        hs.append(h)
        if model.skip == "dense":
            z = torch.cat([x] + hs, dim=-1)
        elif model.skip == "residual" and l > 0:
            z = sum(hs)                        # z^l = h^l + z^{l-1} = h^1 + ... + h^l
        else:
            z = h
    return hs, z


@pytest.mark.parametrize("skip", ["residual", "dense"])
def test_skip_connections_follow_their_definition(skip):
    torch.manual_seed(7)
    model = rl.StackedRNN(2, 4, 3, skip=skip)
    x, h0 = torch.randn(2, 5, 2), torch.randn(3, 2, 4)
    out, h_n = model(x, h0)
    hs, z = _layer_states(model, x, h0)
    assert rl.rel_error(out.detach(), z.detach()) < 1e-12
    assert rl.rel_error(h_n.detach(), torch.stack([h[:, -1] for h in hs]).detach()) < 1e-12
    assert out.shape[-1] == model.output_size == (4 if skip == "residual" else 2 + 3 * 4)
    assert [layer.input_size for layer in model.layers] == ([2, 4, 4] if skip == "residual" else [2, 6, 10])


def test_one_layer_is_the_same_for_none_and_residual():
    torch.manual_seed(0)
    a = rl.StackedRNN(3, 4, 1, skip="none")
    torch.manual_seed(0)
    b = rl.StackedRNN(3, 4, 1, skip="residual")
    x = torch.randn(2, 5, 3)
    assert torch.equal(a(x)[0], b(x)[0])


def test_residual_gives_layer_one_a_path_that_skips_the_layers():
    # with the upper layers' weights at zero, a residual stack passes h^1 straight to the output
    torch.manual_seed(1)
    model = rl.StackedRNN(2, 3, 4, skip="residual")
    with torch.no_grad():
        for layer in model.layers[1:]:
            for p in layer.parameters():
                p.zero_()
    x = torch.randn(2, 6, 2)
    out, _ = model(x)
    h1, _ = model.layers[0](x)
    assert rl.rel_error(out.detach(), h1.detach()) < 1e-12


def test_gradients_reach_the_first_layer_initial_state():
    torch.manual_seed(2)
    for skip in ["none", "residual", "dense"]:
        model = rl.StackedRNN(2, 3, 3, skip=skip)
        h0 = torch.zeros(3, 1, 3, requires_grad=True)
        out, _ = model(torch.randn(1, 4, 2), h0)
        out[:, -1].sum().backward()
        assert torch.isfinite(h0.grad).all() and h0.grad[0].abs().sum() > 0


@pytest.mark.parametrize("kwargs,words", [
    (dict(skip="highway"), "skip"), (dict(num_layers=0), "num_layers"), (dict(hidden_size=2.5), "hidden_size"),
    (dict(nonlinearity="sigmoid"), "nonlinearity"),
])
def test_bad_arguments(kwargs, words):
    args = dict(input_size=2, hidden_size=3, num_layers=2) | kwargs
    with pytest.raises(ValueError, match=words):
        rl.StackedRNN(**args)


def test_bad_input_shapes():
    model = rl.StackedRNN(2, 3, 2)
    with pytest.raises(ValueError, match="x: expected shape"):
        model(torch.zeros(1, 4, 3))
    with pytest.raises(ValueError, match="h0"):
        model(torch.zeros(1, 4, 2), torch.zeros(1, 1, 3))
