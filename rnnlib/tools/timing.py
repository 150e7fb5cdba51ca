"""Measuring what backpropagation through time costs: time, stored activations, autograd memory.

Used by the chapters "Backpropagation through time" and "Truncated BPTT" to measure, rather than
assert, that BPTT takes time and memory linear in the sequence length T, and that truncation caps
the memory at one window.

* ``best_time``: the fastest of several runs of a function (the least disturbed by other work).
* ``loglog_slope``: the slope of a least-squares line through ``(log x, log y)``: 1 for linear cost.
* ``cache_nbytes``: the bytes of the arrays held in an ``rnn_forward`` cache.
* ``SavedTensorBytes``: the bytes autograd saves for the backward pass, counted with
  ``torch.autograd.graph.saved_tensors_hooks``.
"""
from __future__ import annotations

import time
from typing import Callable

import numpy as np

from .._validate import check_positive_int


def best_time(fn: Callable[[], object], repeat: int = 5, clock: Callable[[], float] = time.process_time) -> float:
    """Seconds taken by the fastest of ``repeat`` calls of ``fn()``.

    The default clock is ``time.process_time``, the CPU time of this process: on a machine shared
    with other work, time spent waiting for a core is not counted (pass ``time.perf_counter`` for
    wall-clock time, which is what a multi-threaded run should be measured with). Other work only
    ever makes a run slower, so the minimum is the measurement least disturbed by it.
    """
    repeat = check_positive_int("repeat", repeat)
    best = float("inf")
    for _ in range(repeat):
        start = clock()
        fn()
        best = min(best, clock() - start)
    return best


def loglog_slope(x, y) -> float:
    """Slope of the least-squares line through ``(log x, log y)``: the exponent p in ``y ~ x^p``."""
    x = np.asarray(x, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    if x.ndim != 1 or x.shape != y.shape or len(x) < 2:
        raise ValueError(f"x, y: expected two 1-D arrays of the same length >= 2, got {x.shape} and {y.shape}")
    if np.any(x <= 0) or np.any(y <= 0):
        raise ValueError("x, y: expected positive values (they are log-transformed)")
    return float(np.polyfit(np.log(x), np.log(y), 1)[0])


def cache_nbytes(cache: dict) -> int:
    """Total bytes of the numpy arrays in a cache (``rnn_forward``'s holds x, h0, weights and all states)."""
    return int(sum(v.nbytes for v in cache.values() if isinstance(v, np.ndarray)))
