"""Checkers for the exercises of "Backpropagation through time".

* ``check_step_backward(fn)``: one backward step of a tanh RNN ({eq}`eq-bptt-recursion`,
  {eq}`eq-bptt-preact`, {eq}`eq-bptt-dWhh`, {eq}`eq-bptt-dWxh`, {eq}`eq-bptt-dx`).
* ``check_loss_step_contributions(fn)``: the contribution of each loss term ``ell_t`` to
  dL/dW_hh ({eq}`eq-bptt-unrolled-sum`), grouped by the loss step t.

A checker runs the reader's function on random float64 problems, compares every output with the
reference and raises ``ExerciseError`` naming the first mistake in plain words (including the
usual ones: a forgotten derivative of tanh, W_hh where W_hh^T belongs, only the direct term).
"""
from __future__ import annotations

import numpy as np

from ..rnn import rnn_backward, rnn_forward
from . import ExerciseError, compare

STEP_OUTPUTS = ("dh_prev", "dx", "dWxh", "dWhh", "db")


def _problem(seed, N, T, D, H, scale=0.7):
    rng = np.random.default_rng(seed)
    return dict(x=rng.standard_normal((N, T, D)), h0=rng.standard_normal((N, H)),
                Wxh=scale * rng.standard_normal((H, D)), Whh=scale * rng.standard_normal((H, H)) / np.sqrt(H),
                b=scale * rng.standard_normal(H)), rng.standard_normal((N, T, H))


def reference_step_backward(dh, h, h_prev, x, Wxh, Whh):
    """One step back through ``h = tanh(W_hh h_prev + W_xh x + b)`` (batch of row vectors).

    ``dh`` is the *total* dL/dh_t. Returns ``(dh_prev, dx, dWxh, dWhh, db)`` where ``dh_prev`` is
    what this step sends back to h_{t-1}, ``W_hh^T delta_t`` (the second term of
    {eq}`eq-bptt-recursion`), and the weight gradients are this step's terms of {eq}`eq-bptt-dWhh`
    and {eq}`eq-bptt-dWxh`.
    """
    delta = dh * (1.0 - h * h)                     # eq-bptt-preact
    return delta @ Whh, delta @ Wxh, delta.T @ x, delta.T @ h_prev, delta.sum(axis=0)


def _match_known_mistake(name, got, expected, mistakes):
    """Raise with the mistake's message if ``got`` equals a known wrong answer (that differs from ``expected``)."""
    got = np.asarray(got, dtype=np.float64)
    for wrong, message in mistakes:
        if wrong.shape == np.shape(expected) and np.allclose(wrong, expected, rtol=1e-6, atol=1e-9):
            continue                                # on this problem the mistake gives the right answer
        if got.shape == wrong.shape and np.allclose(got, wrong, rtol=1e-6, atol=1e-9):
            raise ExerciseError(f"{name}: {message}")


def check_step_backward(fn) -> str:
    """Check ``fn(dh, h, h_prev, x, Wxh, Whh) -> (dh_prev, dx, dWxh, dWhh, db)`` for a tanh step."""
    for seed, (N, D, H) in enumerate([(3, 4, 5), (1, 1, 1), (2, 6, 3), (4, 3, 3)]):
        p, G = _problem(seed, N, 2, D, H)
        hs, _ = rnn_forward(p["x"], p["h0"], p["Wxh"], p["Whh"], p["b"])
        args = (G[:, 1], hs[:, 1], hs[:, 0], p["x"][:, 1], p["Wxh"], p["Whh"])
        before = [a.copy() for a in args]
        got = fn(*[a.copy() for a in args])
        if got is None:
            raise ExerciseError("step_backward returned None: did it forget to `return` its five results?")
        if not isinstance(got, (tuple, list)) or len(got) != 5:
            raise ExerciseError(f"step_backward should return a tuple of 5 arrays {STEP_OUTPUTS}, got "
                                f"{type(got).__name__}" + (f" of length {len(got)}" if hasattr(got, '__len__') else ""))
        dh, h, h_prev, x, Wxh, Whh = before
        expected = reference_step_backward(*before)
        delta = dh * (1 - h * h)
        mistakes = {
            "dh_prev": [(dh @ Whh, "it is dh @ Whh: the derivative of tanh, 1 - h_t**2, is missing "
                                   "(delta_t = (1 - h_t**2) * dL/dh_t comes first)."),
                        (delta @ Whh.T, "it uses W_hh where W_hh^T belongs: for row vectors, "
                                        "W_hh^T delta_t is `delta @ Whh`, not `delta @ Whh.T`."),
                        (dh * (1 - h_prev * h_prev) @ Whh, "it uses 1 - h_{t-1}**2, but the tanh of this "
                                                           "step is the one that produced h_t.")],
            "dWhh": [(dh.T @ h_prev, "the derivative of tanh, 1 - h_t**2, is missing."),
                     (delta.T @ h, "it multiplies by h_t, but W_hh multiplies h_{t-1} in this step.")],
            "dWxh": [(dh.T @ x, "the derivative of tanh, 1 - h_t**2, is missing.")],
            "db": [(dh.sum(axis=0), "the derivative of tanh, 1 - h_t**2, is missing."),
                   (delta, "it still has the batch axis: sum delta over the batch (axis 0).")],
        }
        for name, g, e in zip(STEP_OUTPUTS, got, expected):
            _match_known_mistake(name, g, e, mistakes.get(name, []))
            compare(name, g, e)
    return "step_backward is correct: all five gradients match on four random problems (N = 1 and H = 1 included)."


def reference_loss_step_contributions(dhs, cache):
    """``C[t] = d ell_{t+1} / dW_hh`` (0-based t): run BPTT with the direct gradient of one step only."""
    T = cache["hs"].shape[1]
    out = []
    for t in range(T):
        only_t = np.zeros_like(dhs)
        only_t[:, t] = dhs[:, t]
        out.append(rnn_backward(only_t, cache)["Whh"])
    return np.stack(out)


def check_loss_step_contributions(fn) -> str:
    """Check ``fn(dhs, cache) -> C`` of shape (T, H, H), ``C[t]`` the gradient of the loss at step t alone."""
    for seed, (N, T, D, H) in enumerate([(2, 6, 3, 4), (1, 1, 2, 3), (3, 5, 2, 1)]):
        p, dhs = _problem(10 + seed, N, T, D, H)
        hs, cache = rnn_forward(**p)
        got = fn(dhs.copy(), cache)
        expected = reference_loss_step_contributions(dhs, cache)
        # the two usual confusions: group by the step k where W_hh acts, or keep the direct term only
        g = rnn_backward(dhs, cache)
        deltas = g["hs"] * (1 - hs * hs)
        hprev = np.concatenate([p["h0"][:, None], hs[:, :-1]], axis=1)
        by_k = np.einsum("nti,ntj->tij", deltas, hprev)
        direct = np.einsum("nti,ntj->tij", dhs * (1 - hs * hs), hprev)
        if T > 1:
            _match_known_mistake("C", got, expected, [
                (by_k, "these are the contributions grouped by the step k where W_hh acts "
                       "(delta_k h_{k-1}^T); they also sum to dL/dW_hh, but C[t] should be the gradient "
                       "of the loss at step t alone, through every earlier step."),
                (direct, "it keeps only the direct term k = t: the loss at step t also reaches W_hh "
                         "through h_{t-1}, h_{t-2}, ..., so C[t] needs the whole backward pass from step t."),
            ])
        compare("C", got, expected)
        total = compare("the sum of C over t", np.sum(np.asarray(got, dtype=np.float64), axis=0), g["Whh"])
    return "C is correct: " + total.replace(" is correct.", " equals dL/dW_hh from rnn_backward.")
