"""Checkers for the exercises of "Truncated BPTT".

* ``check_windows(answer, T, k1, k2)``: the chunks and windows of BPTT(k1, k2), written by hand.
* ``check_chunked_bptt(fn)``: "detach every k steps" in numpy, from ``rnn_forward`` and
  ``rnn_backward`` on each chunk ({eq}`eq-tbptt-window` with k1 = k2 = k).
* ``check_backward_steps(fn)``: the number of backward steps BPTT(k1, k2) takes ({eq}`eq-tbptt-cost`).

Each raises ``ExerciseError`` with the first mistake in plain words, or returns a success message.
"""
from __future__ import annotations

import numpy as np

from ..rnn import rnn_backward, rnn_forward
from ..truncated import truncated_rnn_backward, truncation_windows
from . import ExerciseError, compare


def check_windows(answer, T: int, k1: int, k2: int) -> str:
    """``answer`` lists ``(chunk_start, tau, window_start)`` for every chunk, 1-based, in order."""
    expected = truncation_windows(T, k1, k2)
    if answer is None:
        raise ExerciseError("the answer is None: write the list of (chunk_start, tau, window_start) triples.")
    try:
        got = [tuple(int(v) for v in row) for row in answer]
    except (TypeError, ValueError):
        raise ExerciseError("write the answer as a list of (chunk_start, tau, window_start) triples of integers.") \
            from None
    if any(len(row) != 3 for row in got):
        raise ExerciseError("every chunk is a triple (chunk_start, tau, window_start).")
    if len(got) != len(expected):
        raise ExerciseError(f"BPTT({k1}, {k2}) on T = {T} steps has {len(expected)} chunks, you listed {len(got)}: "
                            f"a chunk ends every k1 = {k1} steps, and at T (the last chunk may be shorter).")
    for i, (g, e) in enumerate(zip(got, expected), start=1):
        if g[:2] != e[:2]:
            raise ExerciseError(f"chunk {i} covers steps {e[0]}..{e[1]}, you wrote {g[0]}..{g[1]}: chunks end at "
                                f"k1, 2 k1, ... and at T.")
        if g[2] != e[2]:
            hint = (" That is the chunk's own start: the window reaches k2 steps back from the chunk's end, "
                    "further than the chunk when k2 > k1." if g[2] == e[0] and e[0] != e[2] else
                    " The window of the chunk ending at tau starts at max(1, tau - k2 + 1).")
            raise ExerciseError(f"chunk {i} (steps {e[0]}..{e[1]}) has its window start at step {e[2]}, "
                                f"you wrote {g[2]}.{hint}")
    return f"The windows of BPTT({k1}, {k2}) on T = {T} steps are correct."


def _problem(seed, N, T, D, H):
    rng = np.random.default_rng(seed)
    p = dict(x=rng.standard_normal((N, T, D)), h0=rng.standard_normal((N, H)),
             Wxh=0.6 * rng.standard_normal((H, D)), Whh=0.6 * rng.standard_normal((H, H)),
             b=0.3 * rng.standard_normal(H))
    return p, rng.standard_normal((N, T, H))


def _chunks(p, dhs, k, carry=True, only_last=False):
    """Known wrong answers, for diagnosis: restart every chunk from h0, or keep only the last chunk."""
    T = p["x"].shape[1]
    out = {key: np.zeros_like(p[key]) for key in ("Wxh", "Whh", "b")}
    h = p["h0"]
    for s in range(0, T, k):
        hs, cache = rnn_forward(p["x"][:, s:s + k], h if carry else p["h0"], p["Wxh"], p["Whh"], p["b"])
        g = rnn_backward(dhs[:, s:s + k], cache)
        for key in out:
            out[key] = g[key] if only_last else out[key] + g[key]
        h = hs[:, -1]
    return out


def check_chunked_bptt(fn) -> str:
    """Check ``fn(x, h0, Wxh, Whh, b, dhs, k) -> {"Wxh", "Whh", "b"}`` (T a multiple of k)."""
    for seed, (N, T, D, H, k) in enumerate([(2, 12, 3, 4, 4), (1, 9, 2, 3, 3), (3, 6, 2, 2, 1), (2, 5, 3, 4, 5)]):
        p, dhs = _problem(20 + seed, N, T, D, H)
        hs, cache = rnn_forward(**p)
        expected = truncated_rnn_backward(dhs, cache, k, k)
        got = fn(*(p[key].copy() for key in ("x", "h0", "Wxh", "Whh", "b")), dhs.copy(), k)
        if got is None:
            raise ExerciseError("chunked_bptt returned None: did it forget to `return` the dict of gradients?")
        if not isinstance(got, dict) or not {"Wxh", "Whh", "b"} <= set(got):
            raise ExerciseError("chunked_bptt should return a dict with the keys 'Wxh', 'Whh' and 'b'.")
        if T > k:
            full = rnn_backward(dhs, cache)
            mistakes = [(_chunks(p, dhs, k, carry=False), "every chunk starts from h0. The forward pass must carry "
                         "the state: the next chunk starts from the last state of this one (as a constant)."),
                        (_chunks(p, dhs, k, only_last=True), "only the last chunk's gradients are left: add the "
                         "gradients of every chunk (+=), do not overwrite them."),
                        ({key: full[key] for key in ("Wxh", "Whh", "b")}, "this is the full BPTT gradient: "
                         "the backward pass of each chunk must stop at the chunk's first step.")]
            for wrong, message in mistakes:
                if all(np.allclose(np.asarray(got[key], dtype=float), wrong[key], rtol=1e-6, atol=1e-9)
                       for key in ("Wxh", "Whh", "b")):
                    raise ExerciseError(f"chunked_bptt (N={N}, T={T}, k={k}): {message}")
        for key in ("Wxh", "Whh", "b"):
            compare(f"{key} (N={N}, T={T}, k={k})", got[key], expected[key])
    return "chunked_bptt is correct: it equals truncated_rnn_backward(dhs, cache, k, k) on four problems."


def check_backward_steps(fn) -> str:
    """Check ``fn(T, k1, k2) -> int``: how many steps BPTT(k1, k2) backpropagates through, in all."""
    cases = [(5, 2, 3), (7, 2, 4), (10, 3, 3), (12, 4, 4), (100, 10, 20), (9, 1, 1), (6, 1, 3), (4, 10, 20),
             (1000, 50, 100), (13, 5, 8)]
    for T, k1, k2 in cases:
        expected = sum(tau - ws + 1 for _, tau, ws in truncation_windows(T, k1, k2))
        got = fn(T, k1, k2)
        if got is None:
            raise ExerciseError("backward_steps returned None: did it forget to `return` the count?")
        if int(round(float(got))) != expected:
            hint = ""
            if abs(float(got) - T * min(k2, T) / min(k1, T)) < 1e-9:
                hint = (" That is the estimate T k2 / k1: count each window exactly (the first windows are cut "
                        "at step 1, and a short last chunk still has a full window).")
            raise ExerciseError(f"for T = {T}, k1 = {k1}, k2 = {k2} you returned {got}, expected {expected}.{hint}")
    return f"backward_steps is correct on {len(cases)} cases."
