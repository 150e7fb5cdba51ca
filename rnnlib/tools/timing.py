"""Measuring what things cost: the time of a function, the bytes of a cache, the time of every notebook.

Used by the chapters "Backpropagation through time" and "Truncated BPTT" to measure, rather than
assert, that BPTT takes time and memory linear in the sequence length T, and that truncation caps
the memory at one window.

* ``best_time``: the fastest of several runs of a function (the least disturbed by other work).
* ``loglog_slope``: the slope of a least-squares line through ``(log x, log y)``: 1 for linear cost.
* ``cache_nbytes``: the bytes of the arrays held in an ``rnn_forward`` cache.
* ``toc_notebooks``, ``book_report``: the notebooks of ``_toc.yml`` in order, and the seconds each takes
  to execute (``python -m rnnlib.bench --book``).

The bytes autograd saves for the backward pass are ``rnnlib.training.probes.SavedTensorBytes`` (torch).
"""
from __future__ import annotations

import json
import os
import platform
import time
from pathlib import Path
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


# --- notebook execution report --------------------------------------------------------------------

def toc_notebooks(root: Path) -> list[Path]:
    """The notebooks ``_toc.yml`` names, in order."""
    import yaml
    toc = yaml.safe_load((root / "_toc.yml").read_text())
    files = []

    def walk(node):
        if isinstance(node, dict):
            if "file" in node:
                files.append(node["file"])
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    walk(toc)
    return [root / (f + ".ipynb") for f in files if (root / (f + ".ipynb")).exists()]


def book_report(root: Path, out: Path | None = None) -> dict:
    """Execute every notebook of the book once (as nbval and the build do) and time each."""
    import nbformat
    from nbclient import NotebookClient

    times = {}
    for nb_path in toc_notebooks(root):
        nb = nbformat.read(nb_path, as_version=4)
        t0 = time.perf_counter()
        NotebookClient(nb, timeout=600, kernel_name="python3",
                       resources={"metadata": {"path": str(nb_path.parent)}}).execute()
        times[nb_path.stem] = time.perf_counter() - t0
        print(f"{nb_path.stem:<24} {times[nb_path.stem]:7.1f} s", flush=True)
    total = sum(times.values())
    print(f"{'total':<24} {total:7.1f} s   (targets: each chapter < 60 s, the book < 300 s)")
    result = {"seconds": {k: round(v, 2) for k, v in times.items()}, "total_seconds": round(total, 2),
              "cpus": os.cpu_count(), "date": time.strftime("%Y-%m-%d"), "python": platform.python_version()}
    if out is not None:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(result, indent=1) + "\n")
        print(f"written: {out}")
    print(json.dumps(result))
    return result
