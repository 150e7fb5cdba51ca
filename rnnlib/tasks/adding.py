"""Synthetic tasks that need no download.

``adding_problem`` (Hochreiter & Schmidhuber 1997; Le, Jaitly & Hinton 2015): a sequence of
random numbers with two of them marked; the target is the sum of the two marked numbers.
"""
from __future__ import annotations

import numpy as np

from .._validate import check_int, check_positive_int


def adding_problem(n: int, T: int, seed: int = 0):
    """Generate ``n`` adding-problem sequences of length ``T``.

    Returns ``x`` float32 ``(n, T, 2)`` and ``y`` float32 ``(n, 1)``. Channel 0 is uniform
    on [0, 1); channel 1 is 0 except for exactly two 1s, one uniformly in the first half
    (``t < T // 2``) and one uniformly in the rest (``t >= T // 2``). ``y`` is the sum of the two
    marked values. Predicting 1 always has expected MSE Var(U1 + U2) = 2/12 = 1/6.
    """
    n = check_positive_int("n", n)
    T = check_int("T", T, 2)
    rng = np.random.default_rng(seed)
    values = rng.random((n, T))
    first = rng.integers(0, T // 2, size=n)
    second = rng.integers(T // 2, T, size=n)
    marks = np.zeros((n, T))
    rows = np.arange(n)
    marks[rows, first] = 1.0
    marks[rows, second] = 1.0
    x = np.stack([values, marks], axis=-1).astype(np.float32)
    y = (values[rows, first] + values[rows, second]).astype(np.float32)[:, None]
    return x, y


def fresh_batches(T: int, batch_size: int, seed: int):
    """A ``data(step, generator)`` callable for ``train``: a new seeded adding-problem batch per step."""
    def data(step, _generator):
        return adding_problem(batch_size, T, seed=seed * 10_000_019 + step)
    return data
