"""rnnlib's numpy RNN against torch autograd (float64), finite differences and bad inputs."""
import numpy as np
import pytest
import torch

import rnnlib as rl

SHAPES = [  # (N, T, D, H): N = 1, T = 1, D != H, D == H, and a longer sequence
    (1, 1, 1, 1), (1, 5, 3, 4), (3, 1, 2, 5), (2, 7, 5, 3), (4, 12, 6, 6), (2, 30, 3, 8),
]
NONLINEARITIES = ["tanh", "relu", "linear"]


def random_problem(rng, N, T, D, H, scale=0.6):
    return dict(x=rng.standard_normal((N, T, D)), h0=rng.standard_normal((N, H)),
                Wxh=scale * rng.standard_normal((H, D)),
                Whh=scale * rng.standard_normal((H, H)) / np.sqrt(H),
                b=scale * rng.standard_normal(H))


def torch_loop(p, nonlinearity, G):
    """The same recurrence written as an explicit torch loop; returns hs and autograd's gradients."""
    tp = {k: torch.tensor(v, dtype=torch.float64, requires_grad=True) for k, v in p.items()}
    act = {"tanh": torch.tanh, "relu": torch.relu, "linear": lambda a: a}[nonlinearity]
    h, hs = tp["h0"], []
    for t in range(p["x"].shape[1]):
        h = act(tp["x"][:, t] @ tp["Wxh"].T + h @ tp["Whh"].T + tp["b"])
        h.retain_grad()
        hs.append(h)
    (torch.stack(hs, 1) * torch.tensor(G)).sum().backward()
    grads = {k: v.grad.numpy() for k, v in tp.items()}
    grads["hs"] = torch.stack([h.grad for h in hs], 1).numpy()
    return torch.stack(hs, 1).detach().numpy(), grads


@pytest.mark.parametrize("nonlinearity", NONLINEARITIES)
@pytest.mark.parametrize("shape", SHAPES)
def test_forward_backward_match_torch_autograd(rng, shape, nonlinearity):
    p = random_problem(rng, *shape)
    hs, cache = rl.rnn_forward(**p, nonlinearity=nonlinearity)
    G = rng.standard_normal(hs.shape)                  # a random upstream gradient, not a sum
    grads = rl.rnn_backward(G, cache)
    hs_t, grads_t = torch_loop(p, nonlinearity, G)
    assert rl.rel_error(hs, hs_t) < rl.AUTOGRAD_TOL
    assert set(grads) >= {"x", "h0", "Wxh", "Whh", "b", "hs"}
    for k in ["x", "h0", "Wxh", "Whh", "b", "hs"]:
        assert grads[k].shape == grads_t[k].shape, k
        assert rl.rel_error(grads[k], grads_t[k]) < rl.AUTOGRAD_TOL, k


@pytest.mark.parametrize("nonlinearity", ["tanh", "relu"])
def test_weights_copy_into_torch_nn_rnn(rng, nonlinearity):
    """The weight layout is PyTorch's: copying into torch.nn.RNN reproduces hs exactly."""
    N, T, D, H = 3, 6, 4, 5
    p = random_problem(rng, N, T, D, H)
    hs, _ = rl.rnn_forward(**p, nonlinearity=nonlinearity)
    rnn = rl.to_torch("rnn", p["Wxh"], p["Whh"], p["b"], nonlinearity=nonlinearity)
    with torch.no_grad():
        out, hT = rnn(torch.tensor(p["x"]), torch.tensor(p["h0"])[None])
    assert rl.rel_error(hs, out.numpy()) < rl.AUTOGRAD_TOL
    assert rl.rel_error(hs[:, -1], hT[0].numpy()) < rl.AUTOGRAD_TOL


@pytest.mark.parametrize("nonlinearity", NONLINEARITIES)
def test_backward_matches_finite_differences(nonlinearity):
    errors = rl.rnn_gradcheck(N=2, T=5, D=3, H=4, nonlinearity=nonlinearity, seed=3)
    assert set(errors) == {"x", "h0", "Wxh", "Whh", "b", "hs"}
    for k, e in errors.items():
        assert e < rl.FD_TOL, (k, e)


def test_total_derivative_is_direct_plus_later_steps(rng):
    """grads['hs'] differs from dhs exactly by what flows back from step t+1."""
    p = random_problem(rng, 2, 6, 3, 4)
    hs, cache = rl.rnn_forward(**p)
    G = np.zeros(hs.shape)
    G[:, -1] = rng.standard_normal((2, 4))             # loss only on the last state
    grads = rl.rnn_backward(G, cache)
    assert rl.rel_error(grads["hs"][:, -1], G[:, -1]) == 0.0
    expected = (grads["hs"][:, 1:] * (1 - hs[:, 1:] ** 2)) @ p["Whh"]
    assert rl.rel_error(grads["hs"][:, :-1], expected) < 1e-12


def test_inputs_are_never_modified(rng):
    p = random_problem(rng, 2, 4, 3, 5)
    before = {k: v.copy() for k, v in p.items()}
    hs, cache = rl.rnn_forward(**p)
    G = rng.standard_normal(hs.shape)
    G_before = G.copy()
    rl.rnn_backward(G, cache)
    rl.truncated_rnn_backward(G, cache, 2, 3)
    for k in p:
        np.testing.assert_array_equal(p[k], before[k])
    np.testing.assert_array_equal(G, G_before)


def test_array_likes_and_float32(rng):
    hs, _ = rl.rnn_forward([[[1.0], [2.0]]], [[0.0]], [[0.5]], [[0.9]], [0.1])
    assert hs.shape == (1, 2, 1) and hs.dtype == np.float64
    p = {k: v.astype(np.float32) for k, v in random_problem(rng, 2, 3, 2, 2).items()}
    hs, cache = rl.rnn_forward(**p)
    assert hs.dtype == np.float32
    assert rl.rnn_backward(np.ones_like(hs), cache)["Whh"].dtype == np.float32


BAD_INPUTS = [
    # (argument to change, bad value, words the message must contain)
    ("x", np.zeros((2, 3)), ["x", "(N, T, D)", "(2, 3)"]),
    ("x", np.zeros((2, 0, 3)), ["x", "positive", "(2, 0, 3)"]),
    ("h0", np.zeros((3, 4)), ["h0", "(N, H)", "(2, 4)", "(3, 4)"]),
    ("h0", np.zeros(4), ["h0", "(N, H)", "(4,)"]),
    ("Wxh", np.zeros((4, 5)), ["Wxh", "(H, D)", "(4, 3)", "(4, 5)"]),
    ("Whh", np.zeros((4, 3)), ["Whh", "(H, H)", "(4, 4)", "(4, 3)"]),
    ("b", np.zeros(3), ["b", "(H,)", "(4,)", "(3,)"]),
    ("b", np.zeros((1, 4)), ["b", "(H,)", "(1, 4)"]),
    ("x", np.array([["a"]]), ["x", "numeric"]),
]


@pytest.mark.parametrize("arg,value,words", BAD_INPUTS)
def test_bad_shapes_raise_value_error_naming_the_argument(arg, value, words):
    p = dict(x=np.zeros((2, 5, 3)), h0=np.zeros((2, 4)), Wxh=np.zeros((4, 3)), Whh=np.zeros((4, 4)), b=np.zeros(4))
    p[arg] = value
    with pytest.raises(ValueError) as info:
        rl.rnn_forward(**p)
    for w in words:
        assert w in str(info.value), (w, str(info.value))


def test_unknown_nonlinearity():
    with pytest.raises(ValueError, match="nonlinearity.*sigmoid"):
        rl.rnn_forward(np.zeros((1, 2, 1)), np.zeros((1, 1)), np.zeros((1, 1)), np.zeros((1, 1)), np.zeros(1),
                       nonlinearity="sigmoid")


def test_backward_checks_dhs_shape(rng):
    p = random_problem(rng, 2, 4, 3, 5)
    hs, cache = rl.rnn_forward(**p)
    with pytest.raises(ValueError, match=r"dhs.*\(2, 4, 5\).*\(2, 3, 5\)"):
        rl.rnn_backward(np.zeros((2, 3, 5)), cache)


def test_rel_error_floor_and_shapes():
    assert rl.rel_error(0.0, 0.0) == 0.0
    assert rl.rel_error(1e-12, 0.0) == pytest.approx(1e-4)     # floor 1e-8 in the denominator
    assert rl.rel_error([1.0, 2.0], [1.0, 2.0 + 2e-6]) == pytest.approx(5e-7, rel=1e-3)
    with pytest.raises(ValueError, match="shape"):
        rl.rel_error(np.zeros(2), np.zeros(3))


def test_numerical_gradient_of_a_known_function():
    x = np.array([0.3, -1.2, 2.0])
    g = rl.numerical_gradient(lambda: float(np.sum(np.sin(x) * x)), x)
    assert rl.rel_error(g, np.cos(x) * x + np.sin(x)) < rl.FD_TOL
    with pytest.raises(ValueError, match="float64"):
        rl.numerical_gradient(lambda: 0.0, np.zeros(2, dtype=np.float32))
