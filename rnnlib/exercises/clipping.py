"""Checkers for the coding exercises of the chapter "Gradient clipping".

``check_clip_global_norm(fn)``: the reader's ``fn(grads, max_norm) -> dict`` clips a dict of arrays
by their norm taken all together ({eq}`eq-clip-global-norm`, {eq}`eq-clip-norm`).

``check_clip_per_tensor(fn)``: the reader's ``fn(grads, max_norm) -> dict`` clips every array by
its own norm, the variant some code bases use, which bends the direction of the whole gradient.

Each checker runs the reader's function on a few small cases and either returns a success message
or raises ``ExerciseError`` saying, in plain words, what went wrong.
"""
from __future__ import annotations

import numpy as np

from ..clip import clip_by_norm
from . import ExerciseError, compare


def _cases():
    """Small gradients: one well above the threshold, one below, one with a single array."""
    rng = np.random.default_rng(2013)
    big = {"Wxh": 3.0 * rng.standard_normal((4, 2)), "Whh": 0.5 * rng.standard_normal((4, 4)),
           "b": 8.0 * rng.standard_normal(4)}
    small = {"Wxh": 0.01 * rng.standard_normal((4, 2)), "Whh": 0.02 * rng.standard_normal((4, 4)),
             "b": 0.01 * rng.standard_normal(4)}
    single = {"w": np.array([3.0, -4.0])}
    return [("a gradient whose norm is above max_norm", big, 1.0),
            ("a gradient whose norm is below max_norm", small, 1.0),
            ("a single array [3, -4] with max_norm 2.5", single, 2.5)]


def _per_tensor(grads, max_norm):
    out = {}
    for k, g in grads.items():
        n = float(np.linalg.norm(g))
        out[k] = g * (max_norm / n) if n > max_norm else g.copy()
    return out


def _global(grads, max_norm):
    return clip_by_norm(grads, max_norm)[0]


def _always_rescaled(grads, max_norm):
    n = float(np.sqrt(sum(np.sum(g ** 2) for g in grads.values())))
    return {k: g * (max_norm / n) for k, g in grads.items()}


def _same(got: dict, expected: dict) -> bool:
    return all(np.shape(got[k]) == np.shape(expected[k]) and
               np.allclose(got[k], expected[k], rtol=1e-9, atol=1e-12) for k in expected)


def _run(fn, label, reference, confusions):
    for what, grads, max_norm in _cases():
        before = {k: v.copy() for k, v in grads.items()}
        got = fn(grads, max_norm)
        for k in grads:
            if not np.array_equal(grads[k], before[k]):
                raise ExerciseError(f"{label} changed its input grads[{k!r}] in place: return new arrays "
                                    "(multiply into a new array, e.g. g * scale, not g *= scale).")
        if got is None:
            raise ExerciseError(f"{label} returned None for {what}: did the function forget to `return` its dict?")
        if not isinstance(got, dict):
            raise ExerciseError(f"{label} should return a dict of arrays (one per parameter), "
                                f"got {type(got).__name__} for {what}.")
        if set(got) != set(grads):
            raise ExerciseError(f"{label} returned the keys {sorted(got)}, expected {sorted(grads)} for {what}.")
        expected = reference(grads, max_norm)
        if not _same(got, expected):
            for words, wrong in confusions:
                if _same(got, wrong(grads, max_norm)):
                    raise ExerciseError(f"{label} is wrong for {what}: {words}")
        for k in grads:
            compare(f"{label}[{k!r}] for {what}", got[k], expected[k], tol=1e-9)
    return f"{label} is correct."


def check_clip_global_norm(fn) -> str:
    """Check ``fn(grads, max_norm)`` against norm clipping with the norm of all arrays together."""
    return _run(fn, "clip_global_norm", _global, [
        ("it clips each array by its own norm, but the norm in (eq-clip-global-norm) is taken over all "
         "arrays together: add up the squares of every array first, then take one square root.", _per_tensor),
        ("it rescales the gradient even when its norm is below max_norm; norm clipping only ever shrinks: "
         "leave the gradient unchanged when its norm is at most max_norm.", _always_rescaled),
    ])


def check_clip_per_tensor(fn) -> str:
    """Check ``fn(grads, max_norm)`` against clipping every array by its own norm."""
    return _run(fn, "clip_per_tensor", _per_tensor, [
        ("it uses the norm of all arrays together; this exercise clips each array by its own norm "
         "np.linalg.norm(g), one array at a time.", _global),
        ("it rescales arrays even when their norm is below max_norm; clipping only ever shrinks.",
         lambda grads, m: {k: g * (m / np.linalg.norm(g)) for k, g in grads.items()}),
    ])
