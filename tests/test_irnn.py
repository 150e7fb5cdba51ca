"""The IRNN chapter's tools against torch autograd and the numpy BPTT of rnnlib (float64)."""
import numpy as np
import pytest
import torch

import rnnlib as rl
from rnnlib import relu_rnn_jacobian, state_gradient_norms


@pytest.mark.parametrize("H", [1, 3, 6])
def test_relu_rnn_jacobian_matches_autograd(rng, H):
    Whh, Wxh, b = rng.normal(size=(H, H)), rng.normal(size=(H, 2)), rng.normal(size=H)
    h_prev, x = rng.normal(size=H), rng.normal(size=2)
    a = Whh @ h_prev + Wxh @ x + b
    step = lambda h: torch.relu(torch.tensor(Whh) @ h + torch.tensor(Wxh @ x + b))  # noqa: E731
    J = torch.autograd.functional.jacobian(step, torch.tensor(h_prev)).numpy()
    before = Whh.copy()
    assert rl.rel_error(relu_rnn_jacobian(a, Whh), J) < rl.AUTOGRAD_TOL
    assert np.array_equal(Whh, before)
    batch = relu_rnn_jacobian(np.stack([a, -a]), Whh)
    assert batch.shape == (2, H, H) and np.allclose(batch[0] + batch[1], Whh * (a != 0)[:, None])


def test_relu_rnn_jacobian_bad_shapes():
    with pytest.raises(ValueError, match=r"Whh: expected a square shape \(H, H\), got \(2, 3\)"):
        relu_rnn_jacobian(np.zeros(2), np.zeros((2, 3)))
    with pytest.raises(ValueError, match=r"a: expected shape \(H,\) or \(N, H\) with H = 3, got \(4,\)"):
        relu_rnn_jacobian(np.zeros(4), np.eye(3))


@pytest.mark.parametrize("name, nonlin", [("rnn_tanh", "tanh"), ("rnn_relu", "relu"), ("irnn", "relu")])
@pytest.mark.parametrize("N, T, H", [(1, 1, 1), (3, 7, 5)])
def test_state_gradient_norms_match_numpy_bptt(name, nonlin, N, T, H):
    model = rl.make_model(name, 2, H, 1, seed=3).double()
    with torch.no_grad():                         # make the IRNN's Jacobians non-trivial
        model.rnn.weight_hh_l0.add_(0.3 * torch.randn(H, H))
        model.rnn.weight_ih_l0.normal_()
    x, y = rl.adding_problem(N, max(T, 2), seed=1)
    x, y = x[:, :T].astype(np.float64), y.astype(np.float64)
    got = state_gradient_norms(model, x, y)
    r = model.rnn
    Wxh, Whh, b = rl.from_torch(r)
    hs, cache = rl.rnn_forward(x, np.zeros((N, H)), Wxh, Whh, b, nonlin)
    Wy, by = model.readout.weight.detach().numpy(), model.readout.bias.detach().numpy()
    dhs = np.zeros_like(hs)
    dhs[:, -1] = 2 * (hs[:, -1] @ Wy.T + by - y) @ Wy      # d/dh_T of the summed squared error
    expected = np.linalg.norm(rl.rnn_backward(dhs, cache)["hs"], axis=2).mean(axis=0)
    assert got.shape == (T,)
    assert rl.rel_error(got, expected) < rl.AUTOGRAD_TOL


@pytest.mark.parametrize("name", ["lstm", "gru"])
def test_state_gradient_norms_gated_match_autograd_on_a_split_sequence(name):
    N, T, H, t = 4, 6, 3, 2                       # check dL/dh_t at one step t (0-based) by splitting
    model = rl.make_model(name, 1, H, 10, seed=0).double()
    x = torch.randn(N, T, 1, dtype=torch.float64)
    y = torch.tensor([1, 4, 0, 9])
    got = state_gradient_norms(model, x, y, task="classification")
    _, state = model.rnn(x[:, :t + 1])
    h = state[0].detach().requires_grad_() if name == "lstm" else state.detach().requires_grad_()
    rest = (h, state[1].detach()) if name == "lstm" else h
    out, _ = model.rnn(x[:, t + 1:], rest)
    loss = torch.nn.functional.cross_entropy(model.readout(out[:, -1]), y, reduction="sum")
    (g,) = torch.autograd.grad(loss, h)
    assert rl.rel_error(got[t], torch.linalg.vector_norm(g[0], dim=1).mean().item()) < rl.AUTOGRAD_TOL
    assert all(p.grad is None or torch.all(p.grad == 0) for p in model.parameters())


def test_state_gradient_norms_bad_inputs():
    model = rl.make_model("irnn", 2, 4, 1)
    with pytest.raises(ValueError, match=r"x: expected shape \(N, T, 2\), got \(3, 5\)"):
        state_gradient_norms(model, np.zeros((3, 5)), np.zeros((3, 1)))
    with pytest.raises(ValueError, match="task"):
        state_gradient_norms(model, np.zeros((3, 5, 2)), np.zeros((3, 1)), task="ranking")
    deep = rl.SequenceModel(2, 4, 1, num_layers=2)
    with pytest.raises(ValueError, match="one-layer"):
        state_gradient_norms(deep, np.zeros((3, 5, 2)), np.zeros((3, 1)))
