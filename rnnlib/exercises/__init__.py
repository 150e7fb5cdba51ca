"""Checkers for the coding exercises: they tell the reader *what* is wrong, in plain words.

Each chapter's exercises live in their own module (``rnnlib.exercises.<chapter>``), built from
``compare``: a checker computes the reference answer, compares the reader's answer with it and
either returns a short success message or raises ``ExerciseError`` explaining the mistake:
a wrong shape, a transposed result, a wrong sign, an answer off by a constant factor, or the
first element that differs.

    >>> from rnnlib.exercises import compare
    >>> compare("dW", [[1.0, 2.0]], [[-1.0, -2.0]])
    Traceback (most recent call last):
    ...
    rnnlib.exercises.ExerciseError: dW has the wrong sign: it is exactly -1 times the expected answer.
"""
from __future__ import annotations

import numpy as np


class ExerciseError(AssertionError):
    """A reader's answer is wrong; the message says how, in plain words."""


def compare(name: str, got, expected, tol: float = 1e-6) -> str:
    """Compare the reader's ``got`` with ``expected`` and explain the first problem found.

    Returns ``"<name> is correct."`` or raises ``ExerciseError``.
    """
    if got is None:
        raise ExerciseError(f"{name} is None: did the function forget to `return` its result?")
    try:
        got_a = np.asarray(got, dtype=np.float64)
    except (TypeError, ValueError):
        raise ExerciseError(f"{name} should be an array of numbers, got {type(got).__name__}") from None
    exp_a = np.asarray(expected, dtype=np.float64)
    if got_a.shape != exp_a.shape:
        hint = ""
        if got_a.ndim == 2 and got_a.T.shape == exp_a.shape:
            hint = " It looks transposed: check the order of the factors in the matrix product."
        elif got_a.size == exp_a.size:
            hint = " It has the right number of elements: check a reshape or the axis order."
        raise ExerciseError(f"{name} has shape {got_a.shape}, expected {exp_a.shape}.{hint}")
    if not np.all(np.isfinite(got_a)):
        bad = tuple(int(i) for i in np.argwhere(~np.isfinite(got_a))[0])
        raise ExerciseError(f"{name} contains NaN or inf, first at index {bad}.")
    scale = max(1e-8, float(np.max(np.abs(exp_a))) if exp_a.size else 0.0)
    err = np.abs(got_a - exp_a) / np.maximum(1e-8, np.abs(got_a) + np.abs(exp_a))
    if exp_a.size == 0 or np.max(err) < tol:
        return f"{name} is correct."
    if got_a.ndim == 2 and got_a.shape[0] == got_a.shape[1] and np.allclose(got_a.T, exp_a, rtol=tol, atol=tol * scale):
        raise ExerciseError(f"{name} is the transpose of the expected answer: check the order of the factors.")
    if np.allclose(got_a, -exp_a, rtol=tol, atol=tol * scale):
        raise ExerciseError(f"{name} has the wrong sign: it is exactly -1 times the expected answer.")
    nz = np.abs(exp_a) > 1e-12 * scale
    if nz.any():
        ratios = got_a[nz] / exp_a[nz]
        r = float(np.median(ratios))
        if np.allclose(got_a, r * exp_a, rtol=1e-4, atol=1e-8 * scale) and abs(r) > 1e-12:
            raise ExerciseError(f"{name} is off by a constant factor: it is {r:.4g} times the expected answer.")
    i = tuple(int(k) for k in np.unravel_index(int(np.argmax(err)), err.shape))
    n_wrong = int(np.sum(err >= tol))
    raise ExerciseError(f"{name} differs from the expected answer in {n_wrong} of {err.size} elements; "
                        f"the worst is at index {i}: got {got_a[i]:.6g}, expected {exp_a[i]:.6g}.")
