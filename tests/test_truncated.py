"""Truncated BPTT(k1, k2) against full BPTT, the API's worked example and a torch detach loop."""
import numpy as np
import pytest
import torch

import rnnlib as rl


def problem(rng, N=2, T=9, D=3, H=4, nonlinearity="tanh"):
    p = dict(x=rng.standard_normal((N, T, D)), h0=rng.standard_normal((N, H)),
             Wxh=0.5 * rng.standard_normal((H, D)), Whh=0.5 * rng.standard_normal((H, H)),
             b=0.3 * rng.standard_normal(H))
    hs, cache = rl.rnn_forward(**p, nonlinearity=nonlinearity)
    return p, hs, cache, rng.standard_normal(hs.shape)


def torch_truncated(p, G, k1, k2, nonlinearity):
    """Reference: for each chunk, rebuild the window from a detached state with torch autograd."""
    T = p["x"].shape[1]
    tp = {k: torch.tensor(v, requires_grad=True) for k, v in p.items()}
    act = {"tanh": torch.tanh, "relu": torch.relu, "linear": lambda a: a}[nonlinearity]
    with torch.no_grad():                         # the forward states, as constants
        h, states = tp["h0"], [tp["h0"]]
        for t in range(T):
            h = act(tp["x"][:, t] @ tp["Wxh"].T + h @ tp["Whh"].T + tp["b"])
            states.append(h)
    Gt = torch.tensor(G)
    for chunk_start, tau, window_start in rl.truncation_windows(T, k1, k2):
        h = tp["h0"] if window_start == 1 else states[window_start - 1]
        loss = 0.0
        for t in range(window_start, tau + 1):
            h = act(tp["x"][:, t - 1] @ tp["Wxh"].T + h @ tp["Whh"].T + tp["b"])
            if t >= chunk_start:
                loss = loss + (h * Gt[:, t - 1]).sum()
        loss.backward()
    return {k: v.grad.numpy() if v.grad is not None else np.zeros_like(p[k]) for k, v in tp.items()}


def test_worked_example_windows():
    assert rl.truncation_windows(5, 2, 3) == [(1, 2, 1), (3, 4, 2), (5, 5, 3)]
    assert rl.truncation_windows(7, 3, 3) == [(1, 3, 1), (4, 6, 4), (7, 7, 5)]
    assert rl.truncation_windows(4, 10, 20) == [(1, 4, 1)]


@pytest.mark.parametrize("nonlinearity", ["tanh", "relu", "linear"])
def test_k1_equals_k2_equals_T_is_full_bptt(rng, nonlinearity):
    p, hs, cache, G = problem(rng, nonlinearity=nonlinearity)
    full = rl.rnn_backward(G, cache)
    for k in [9, 50]:                                   # k larger than T acts as T
        tr = rl.truncated_rnn_backward(G, cache, k, k)
        for key in ["x", "h0", "Wxh", "Whh", "b"]:
            assert rl.rel_error(tr[key], full[key]) < 1e-12, key


@pytest.mark.parametrize("k1,k2", [(1, 1), (2, 3), (3, 3), (4, 9), (2, 2), (5, 7), (1, 4)])
@pytest.mark.parametrize("nonlinearity", ["tanh", "relu"])
def test_matches_torch_windows(rng, k1, k2, nonlinearity):
    p, hs, cache, G = problem(rng, nonlinearity=nonlinearity)       # T = 9: not a multiple of most k1
    tr = rl.truncated_rnn_backward(G, cache, k1, k2)
    ref = torch_truncated(p, G, k1, k2, nonlinearity)
    for key in ["x", "h0", "Wxh", "Whh", "b"]:
        assert rl.rel_error(tr[key], ref[key]) < rl.AUTOGRAD_TOL, (key, k1, k2)


def test_h0_gets_gradient_only_from_windows_starting_at_step_one(rng):
    p, hs, cache, G = problem(rng)
    assert np.abs(rl.truncated_rnn_backward(G, cache, 2, 3)["h0"]).sum() > 0
    G2 = G.copy()
    G2[:, :3] = 0                                        # only steps whose window starts after h1
    assert np.all(rl.truncated_rnn_backward(G2, cache, 3, 3)["h0"] == 0)


@pytest.mark.parametrize("k1,k2,words", [
    (0, 3, ["k1", "positive", "0"]), (2, 1, ["k2", "k1 = 2", "k2 = 1"]), (2.0, 3, ["k1", "float"]),
    (2, "3", ["k2", "str"]), (True, 3, ["k1", "bool"]), (-1, -1, ["k1"]),
])
def test_bad_k_values(rng, k1, k2, words):
    p, hs, cache, G = problem(rng)
    with pytest.raises(ValueError) as info:
        rl.truncated_rnn_backward(G, cache, k1, k2)
    for w in words:
        assert w in str(info.value), (w, str(info.value))
