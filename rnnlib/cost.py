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
import torch


def best_time(fn: Callable[[], object], repeat: int = 5, clock: Callable[[], float] = time.process_time) -> float:
    """Seconds taken by the fastest of ``repeat`` calls of ``fn()``.

    The default clock is ``time.process_time``, the CPU time of this process: on a machine shared
    with other work, time spent waiting for a core is not counted (pass ``time.perf_counter`` for
    wall-clock time, which is what a multi-threaded run should be measured with). Other work only
    ever makes a run slower, so the minimum is the measurement least disturbed by it.
    """
    if isinstance(repeat, bool) or not isinstance(repeat, int) or repeat < 1:
        raise ValueError(f"repeat: expected a positive integer, got {repeat!r}")
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


class SavedTensorBytes:
    """Count the bytes of the tensors autograd saves for the backward pass (a context manager).

    Inside ``with SavedTensorBytes() as m:``, every tensor an operation saves for its backward
    is recorded; ``m.nbytes`` is the size of the *distinct* storages among them (a weight matrix
    saved by every step counts once). This is the memory a graph holds on to until its
    ``backward()``: it is what BPTT has to keep, not the whole process's memory (parameters,
    inputs and temporaries that are freed during the forward pass are not counted).

    ``m.peak`` is the largest ``m.nbytes`` seen at a call of ``m.checkpoint()``, which also starts
    a new count: call it after each chunk's backward to get the largest graph of a chunked loop.
    """

    def __init__(self):
        self._storages: dict[int, int] = {}
        self.peak = 0
        self._ctx = None

    @property
    def nbytes(self) -> int:
        return int(sum(self._storages.values()))

    def checkpoint(self) -> int:
        """Record the current count into ``peak``, then start counting afresh; returns the count."""
        n = self.nbytes
        self.peak = max(self.peak, n)
        self._storages.clear()
        return n

    def _pack(self, t: torch.Tensor):
        st = t.untyped_storage()
        self._storages[st.data_ptr()] = st.nbytes()
        return t

    def __enter__(self):
        self._ctx = torch.autograd.graph.saved_tensors_hooks(self._pack, lambda t: t)
        self._ctx.__enter__()
        return self

    def __exit__(self, *exc):
        self._ctx.__exit__(*exc)
        self.peak = max(self.peak, self.nbytes)
        return False
