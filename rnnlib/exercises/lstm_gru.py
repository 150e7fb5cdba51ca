"""Checkers for the exercises of the chapter "LSTM and GRU".

``check_cifg_lstm_step(fn)``: the coupled input-forget gate LSTM (CIFG, Greff et al. 2017), where the
input gate is tied to the forget gate, ``i = 1 - f``::

    [f; g; o] = [sigma; tanh; sigma](Wx x + Wh h_prev + b)      Wx (3H, D), Wh (3H, H), b (3H,)
    c = f * c_prev + (1 - f) * g
    h = o * tanh(c)

``fn(x, h_prev, c_prev, Wx, Wh, b)`` must return ``(h, c)`` for batch-first ``x`` (N, D).
"""
from __future__ import annotations

import numpy as np

from . import ExerciseError, compare
from ..cells import sigmoid


def cifg_lstm_step_reference(x, h_prev, c_prev, Wx, Wh, b):
    """The reference answer (one CIFG step, gates f, g, o)."""
    H = h_prev.shape[1]
    a = x @ Wx.T + h_prev @ Wh.T + b
    f, g, o = sigmoid(a[:, :H]), np.tanh(a[:, H:2 * H]), sigmoid(a[:, 2 * H:])
    c = f * c_prev + (1.0 - f) * g
    return o * np.tanh(c), c


def _typical_mistakes(x, h_prev, c_prev, Wx, Wh, b):
    """What a few common wrong answers return, with the plain-words diagnosis of each."""
    H = h_prev.shape[1]
    a = x @ Wx.T + h_prev @ Wh.T + b
    f, g, o = sigmoid(a[:, :H]), np.tanh(a[:, H:2 * H]), sigmoid(a[:, 2 * H:])
    c_swapped = (1.0 - f) * c_prev + f * g
    c = f * c_prev + (1.0 - f) * g
    c_plus = f * c_prev + g
    return [
        ("c", c_swapped, "c uses (1 - f) on c_prev and f on g: the forget gate f multiplies the OLD cell "
                         "c_prev (f = 1 keeps it), and 1 - f lets the candidate g in."),
        ("c", c_plus, "c adds all of g: in the coupled cell the candidate enters as (1 - f) * g."),
        ("h", o * c, "h is o * c: the cell goes through tanh before the output gate, h = o * tanh(c)."),
        ("h", np.tanh(o * c), "h is tanh(o * c): the output gate multiplies tanh(c), h = o * tanh(c)."),
    ]


def check_cifg_lstm_step(fn, seed: int = 0) -> str:
    """Run ``fn`` on random float64 inputs and explain the first difference from the reference."""
    rng = np.random.default_rng(seed)
    N, D, H = 3, 4, 5
    args = (rng.standard_normal((N, D)), rng.standard_normal((N, H)), rng.standard_normal((N, H)),
            rng.standard_normal((3 * H, D)), rng.standard_normal((3 * H, H)), rng.standard_normal(3 * H))
    copies = [a.copy() for a in args]
    out = fn(*copies)
    names = ("x", "h_prev", "c_prev", "Wx", "Wh", "b")
    for name, a, c in zip(names, args, copies):
        if not np.array_equal(a, c):
            raise ExerciseError(f"your function changed its input {name} in place: compute new arrays instead.")
    if out is None:
        raise ExerciseError("the function returned None: did it forget to `return h, c`?")
    if not isinstance(out, tuple) or len(out) != 2:
        raise ExerciseError(f"the function should return a pair (h, c), got {type(out).__name__}"
                            + (f" of length {len(out)}" if isinstance(out, (tuple, list)) else ""))
    h_exp, c_exp = cifg_lstm_step_reference(*args)
    h, c = out
    try:
        hc = np.asarray(h, dtype=np.float64), np.asarray(c, dtype=np.float64)
    except (TypeError, ValueError):
        hc = None
    if hc is not None and hc[0].shape == h_exp.shape and hc[1].shape == c_exp.shape:
        if np.allclose(hc[0], c_exp) and np.allclose(hc[1], h_exp):
            raise ExerciseError("h and c are swapped: return (h, c), the hidden state first.")
        for which, wrong, why in _typical_mistakes(*args):
            got = hc[0] if which == "h" else hc[1]
            exp = h_exp if which == "h" else c_exp
            if np.allclose(got, wrong, rtol=1e-9, atol=1e-12) and not np.allclose(got, exp, rtol=1e-9, atol=1e-12):
                raise ExerciseError(why)
    compare("c", c, c_exp)
    compare("h", h, h_exp)
    return "cifg_lstm_step is correct: h and c match the reference on a random batch."
