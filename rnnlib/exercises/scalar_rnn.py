"""Checker for the coding exercise of "The scalar tanh RNN": dy/dh_k for every k.

The reader writes ``dy_dh_all(a, b, c, d, x, h0)`` for the scalar model
``h_t = tanh(a h_{t-1} + b x_t + c)``, ``y = d h_T + e`` (numbers ``a, b, c, d, h0`` and a 1-D
array ``x`` of length T). It returns a length-T array whose entry ``k - 1`` is dy/dh_k::

    dy/dh_k = d * prod_{t=k+1}^{T} a (1 - h_t^2)       (eq-scalar-product, started at step k)

so the last entry is ``d`` (an empty product) and the first is dy/dh_1.
"""
from __future__ import annotations

import numpy as np

from . import ExerciseError, compare


def _states(a, b, c, x, h0):
    hs, h = np.empty(len(x)), h0
    for t, xt in enumerate(x):
        h = np.tanh(a * h + b * xt + c)
        hs[t] = h
    return hs


def reference_dy_dh_all(a, b, c, d, x, h0=0.0) -> np.ndarray:
    """The reference answer: one backward sweep, each step multiplying by a (1 - h_t^2)."""
    hs = _states(a, b, c, np.asarray(x, dtype=float), h0)
    g = np.empty(len(hs))
    g[-1] = d                                        # dy/dh_T
    for k in range(len(hs) - 2, -1, -1):             # 0-based k holds dy/dh_{k+1}
        g[k] = g[k + 1] * a * (1.0 - hs[k + 1] ** 2)
    return g


def _mistakes(a, b, c, d, x, h0):
    """Typical wrong answers, each with the plain-words explanation the reader gets."""
    hs = _states(a, b, c, x, h0)
    h_prev = np.concatenate([[h0], hs[:-1]])
    zs = a * h_prev + b * x + c
    T = len(x)

    def after(f, start=d):      # entry i: start * prod of f over the steps after step i+1
        return start * np.array([np.prod(f[i + 1:]) for i in range(T)])

    right = a * (1.0 - hs ** 2)
    return [
        (after(right)[::-1], "The array is reversed: entry k-1 must be dy/dh_k, so the LAST entry is d "
                             "(h_T feeds y directly) and the first is dy/dh_1."),
        (d * np.array([np.prod(right[i:]) for i in range(T)]),
         "Each product includes the factor of step k itself: dh_k/dh_k = 1, "
         "so the product for dy/dh_k runs over t = k+1 .. T only."),
        (after(a * (1.0 - h_prev ** 2)),
         "The tanh' factor comes from the wrong step: dh_t/dh_(t-1) = a (1 - h_t^2) uses the NEW state h_t."),
        (after(a * (1.0 - zs ** 2)), "tanh' is evaluated with the pre-activation: "
                                     "tanh'(z_t) = 1 - tanh(z_t)^2 = 1 - h_t^2, not 1 - z_t^2."),
        (after(1.0 - hs ** 2), "The factor a is missing: dh_t/dh_(t-1) = a * tanh'(z_t)."),
        (after(a * (1.0 - hs) ** 2), "tanh' is wrong: it is 1 - h_t^2 (square, then 1 minus), not (1 - h_t)^2."),
        (after(right, start=1.0), "The read-out weight d is missing: dy/dh_T = d."),
    ]


def check_dy_dh_all(fn, seed: int = 0) -> str:
    """Run the reader's ``fn(a, b, c, d, x, h0)`` on random models (T = 1 included) and compare."""
    rng = np.random.default_rng(seed)
    for T in (6, 1, 15):
        a, b, c, d = 1.5 * rng.standard_normal(4)
        h0 = float(np.tanh(rng.standard_normal()))
        x = rng.standard_normal(T)
        x_before = x.copy()
        got = fn(float(a), float(b), float(c), float(d), x, h0)
        if not np.array_equal(x, x_before):
            raise ExerciseError("dy_dh_all changed its input x in place; compute new arrays instead.")
        expected = reference_dy_dh_all(a, b, c, d, x, h0)
        try:
            compare("dy_dh", got, expected)
        except ExerciseError:
            if T > 1 and np.shape(got) == (T,):
                for wrong, why in _mistakes(a, b, c, d, x, h0):
                    if np.allclose(np.asarray(got, dtype=float), wrong, rtol=1e-6, atol=1e-12):
                        raise ExerciseError(why) from None
            raise
    return "dy_dh_all is correct on three random models (T = 6, 1 and 15)."
