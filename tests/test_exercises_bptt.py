"""The checkers of the BPTT chapter accept the reference answers and name the usual mistakes."""
import numpy as np
import pytest

import rnnlib as rl
from rnnlib.exercises import ExerciseError
from rnnlib.exercises import bptt as ex


def step_backward(dh, h, h_prev, x, Wxh, Whh):
    delta = dh * (1.0 - h ** 2)
    return delta @ Whh, delta @ Wxh, delta.T @ x, delta.T @ h_prev, delta.sum(axis=0)


def test_step_backward_accepts_the_reference_and_matches_rnn_backward_in_a_loop():
    assert "correct" in ex.check_step_backward(step_backward)
    assert "correct" in ex.check_step_backward(ex.reference_step_backward)
    # the step, looped backwards, is rnn_backward
    rng = np.random.default_rng(0)
    x, h0 = rng.standard_normal((2, 5, 3)), rng.standard_normal((2, 4))
    Wxh, Whh, b = rng.standard_normal((4, 3)), 0.5 * rng.standard_normal((4, 4)), rng.standard_normal(4)
    hs, cache = rl.rnn_forward(x, h0, Wxh, Whh, b)
    G = rng.standard_normal(hs.shape)
    grads = rl.rnn_backward(G, cache)
    hprev = np.concatenate([h0[:, None], hs[:, :-1]], axis=1)
    carry, dWhh = np.zeros((2, 4)), np.zeros((4, 4))
    for t in reversed(range(5)):
        carry, dx, dWxh_t, dWhh_t, db_t = step_backward(G[:, t] + carry, hs[:, t], hprev[:, t], x[:, t], Wxh, Whh)
        dWhh += dWhh_t
    assert rl.rel_error(dWhh, grads["Whh"]) < 1e-12 and rl.rel_error(carry, grads["h0"]) < 1e-12


def wrong(kind):
    def fn(dh, h, h_prev, x, Wxh, Whh):
        delta = dh * (1.0 - h ** 2)
        out = list(step_backward(dh, h, h_prev, x, Wxh, Whh))
        if kind == "no_dphi":
            out[0] = dh @ Whh
        elif kind == "transposed_Whh":
            out[0] = delta @ Whh.T
        elif kind == "dWhh_transposed":
            out[3] = h_prev.T @ delta
        elif kind == "dWhh_with_h":
            out[3] = delta.T @ h
        elif kind == "db_not_summed":
            out[4] = delta
        elif kind == "sign":
            out[2] = -out[2]
        elif kind == "four":
            return out[:4]
        elif kind == "none":
            return None
        return tuple(out)
    return fn


@pytest.mark.parametrize("kind,words", [
    ("no_dphi", ["dh_prev", "1 - h_t**2"]), ("transposed_Whh", ["dh_prev", "W_hh^T"]),
    ("dWhh_transposed", ["dWhh", "transpose"]), ("dWhh_with_h", ["dWhh", "h_{t-1}"]),
    ("db_not_summed", ["db", "batch"]), ("sign", ["dWxh", "sign"]), ("four", ["5 results"]),
    ("none", ["None", "return"]),
])
def test_step_backward_names_the_mistake(kind, words):
    with pytest.raises(ExerciseError) as info:
        ex.check_step_backward(wrong(kind))
    for w in words:
        assert w in str(info.value), (w, str(info.value))


def loss_step_contributions(dhs, cache):
    C = []
    for t in range(dhs.shape[1]):
        only = np.zeros_like(dhs)
        only[:, t] = dhs[:, t]
        C.append(rl.rnn_backward(only, cache)["Whh"])
    return np.stack(C)


def by_use_step(dhs, cache):
    hs = cache["hs"]
    deltas = rl.rnn_backward(dhs, cache)["hs"] * (1 - hs ** 2)
    hprev = np.concatenate([cache["h0"][:, None], hs[:, :-1]], axis=1)
    return np.einsum("nti,ntj->tij", deltas, hprev)


def direct_only(dhs, cache):
    hs = cache["hs"]
    hprev = np.concatenate([cache["h0"][:, None], hs[:, :-1]], axis=1)
    return np.einsum("nti,ntj->tij", dhs * (1 - hs ** 2), hprev)


def test_contributions_accepts_the_reference_and_path_terms():
    assert "equals dL/dW_hh" in ex.check_loss_step_contributions(loss_step_contributions)
    assert "correct" in ex.check_loss_step_contributions(lambda d, c: rl.path_terms(d, c).sum(axis=1))


@pytest.mark.parametrize("fn,words", [
    (by_use_step, ["grouped by the step k", "loss at step t alone"]),
    (direct_only, ["only the direct term", "k = t"]),
    (lambda d, c: None, ["None"]),
    (lambda d, c: loss_step_contributions(d, c)[:-1], ["shape"]),
    (lambda d, c: 2 * loss_step_contributions(d, c), ["factor", "2"]),
])
def test_contributions_names_the_mistake(fn, words):
    with pytest.raises(ExerciseError) as info:
        ex.check_loss_step_contributions(fn)
    for w in words:
        assert w in str(info.value), (w, str(info.value))
