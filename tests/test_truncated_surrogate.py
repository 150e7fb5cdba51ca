"""truncated_rnn_backward is the exact gradient of a surrogate loss: each window restarted from its
frozen entering state (finite differences), on edge shapes and all three nonlinearities; plus the
horizon and cost statements of the chapter (eq-tbptt-horizon, eq-tbptt-cost)."""
import math

import numpy as np
import pytest

import rnnlib as rl

KEYS = ("x", "h0", "Wxh", "Whh", "b")


def problem(seed, N, T, D, H, nonlinearity):
    rng = np.random.default_rng(seed)
    p = dict(x=rng.standard_normal((N, T, D)), h0=rng.standard_normal((N, H)),
             Wxh=0.6 * rng.standard_normal((H, D)), Whh=0.6 * rng.standard_normal((H, H)),
             b=0.3 * rng.standard_normal(H))
    if nonlinearity == "relu":                                 # away from the kink
        p["b"] = np.abs(p["b"]) + 0.5
        p["Wxh"] = 0.2 * p["Wxh"]
    return p, rng.standard_normal((N, T, H))


def surrogate(p, states, dhs, windows, nonlinearity):
    total = 0.0
    for start, tau, ws in windows:
        h_in = p["h0"] if ws == 1 else states[:, ws - 1]
        hw, _ = rl.rnn_forward(p["x"][:, ws - 1:tau], h_in, p["Wxh"], p["Whh"], p["b"], nonlinearity)
        total += float(np.sum(hw[:, start - ws:] * dhs[:, start - 1:tau]))
    return total


@pytest.mark.parametrize("nonlinearity", ["tanh", "relu", "linear"])
@pytest.mark.parametrize("shape,k1,k2", [((1, 1, 1, 1), 1, 1), ((2, 7, 3, 4), 2, 3), ((1, 6, 2, 1), 1, 4),
                                         ((3, 5, 2, 3), 5, 5), ((2, 9, 1, 2), 4, 6)])
def test_truncated_gradient_is_the_gradient_of_the_surrogate(shape, k1, k2, nonlinearity):
    p, dhs = problem(1, *shape, nonlinearity)
    hs, cache = rl.rnn_forward(**p, nonlinearity=nonlinearity)
    states = np.concatenate([p["h0"][:, None], hs], axis=1)
    windows = rl.truncation_windows(shape[1], k1, k2)
    grads = rl.truncated_rnn_backward(dhs, cache, k1, k2)
    for key in KEYS:
        num = rl.numerical_gradient(lambda: surrogate(p, states, dhs, windows, nonlinearity), p[key])
        assert rl.rel_error(grads[key], num) < rl.FD_TOL, key


@pytest.mark.parametrize("T,k1,k2", [(12, 4, 4), (12, 2, 4), (12, 3, 5), (13, 5, 8), (30, 4, 10), (7, 1, 3)])
def test_horizon_of_each_loss(T, k1, k2):
    """The loss of step t reaches exactly the inputs s_c..t; away from the start, at least k2 - k1 + 1 of them."""
    rng = np.random.default_rng(0)
    hs, cache = rl.rnn_forward(rng.standard_normal((1, T, 2)), np.zeros((1, 3)), rng.standard_normal((3, 2)),
                               0.5 * rng.standard_normal((3, 3)), np.zeros(3))
    for start, tau, ws in rl.truncation_windows(T, k1, k2):
        for t in range(start, tau + 1):
            one = np.zeros_like(hs)
            one[0, t - 1] = 1.0
            reach = np.flatnonzero(np.abs(rl.truncated_rnn_backward(one, cache, k1, k2)["x"][0]).sum(1)) + 1
            assert list(reach) == list(range(ws, t + 1))
            assert t - ws + 1 <= k2
            if ws > 1:                                           # the window is not cut at step 1
                assert t - ws + 1 >= k2 - k1 + 1


@pytest.mark.parametrize("T,k1,k2", [(1, 1, 1), (5, 2, 3), (100, 10, 20), (101, 10, 20), (7, 7, 7), (9, 20, 30)])
def test_backward_step_count(T, k1, k2):
    B = sum(tau - ws + 1 for _, tau, ws in rl.truncation_windows(T, k1, k2))
    assert B <= math.ceil(T / min(k1, T)) * min(k2, T)
    assert B >= T                                                # every step is visited at least once
    if k1 >= T:
        assert B == T


def test_float32_stays_float32():
    p, dhs = problem(0, 2, 6, 3, 4, "tanh")
    p32 = {k: v.astype(np.float32) for k, v in p.items()}
    hs, cache = rl.rnn_forward(**p32)
    g = rl.truncated_rnn_backward(dhs.astype(np.float32), cache, 2, 3)
    assert all(g[k].dtype == np.float32 for k in KEYS)
