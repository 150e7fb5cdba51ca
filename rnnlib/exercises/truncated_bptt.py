"""The exercises of "Truncated BPTT".

* ``check_windows(answer, T, k1, k2)``: the chunks and windows of BPTT(k1, k2), written by hand.
* ``check_chunked_bptt(fn)``: "detach every k steps" in numpy, from ``rnn_forward`` and
  ``rnn_backward`` on each chunk ({eq}`eq-tbptt-window` with k1 = k2 = k).
* ``check_backward_steps(fn)``: the number of backward steps BPTT(k1, k2) takes ({eq}`eq-tbptt-cost`).
"""
from __future__ import annotations

import numpy as np

from ..rnn import rnn_backward, rnn_forward
from ..truncated import truncated_rnn_backward, truncation_windows
from . import Exercise, ExerciseError, Mistake, Msg, as_int, fail

W_NONE = Msg("the answer is None: write the list of (chunk_start, tau, window_start) triples.",
             "답이 None이다. (chunk_start, tau, window_start) 세 값의 리스트를 써라.")
W_FORM = Msg("write the answer as a list of (chunk_start, tau, window_start) triples of integers.",
             "답은 정수 세 개 (chunk_start, tau, window_start)의 리스트로 써라.")
W_TRIPLE = Msg("every chunk is a triple (chunk_start, tau, window_start).",
               "청크마다 (chunk_start, tau, window_start) 세 값이다.")
W_COUNT = Msg("BPTT({k1}, {k2}) on T = {T} steps has {n} chunks, you listed {m}: a chunk ends every k1 = {k1} steps, "
              "and at T (the last chunk may be shorter).",
              "T = {T} 스텝에서 BPTT({k1}, {k2})의 청크는 {n}개다(적은 개수: {m}). 청크는 k1 = {k1} 스텝마다, 그리고 "
              "T에서 끝난다(마지막 청크는 더 짧을 수 있다).")
W_CHUNK = Msg("chunk {i} covers steps {s}..{e}, you wrote {gs}..{ge}: chunks end at k1, 2 k1, ... and at T.",
              "청크 {i}는 스텝 {s}..{e}를 덮는다(적은 범위: {gs}..{ge}). 청크는 k1, 2 k1, ...과 T에서 끝난다.")
W_START = Msg("chunk {i} (steps {s}..{e}) has its window start at step {w}, you wrote {g}.{hint}",
              "청크 {i}(스텝 {s}..{e})의 윈도는 스텝 {w}에서 시작한다(적은 값: {g}).{hint}")
W_OWN = Msg(" That is the chunk's own start: the window reaches k2 steps back from the chunk's end, further than "
            "the chunk when k2 > k1.",
            " 그것은 청크 자신의 시작이다. 윈도는 청크의 끝에서 k2 스텝 거슬러 올라가므로, k2 > k1이면 청크보다 "
            "더 멀리 간다.")
W_RULE = Msg(" The window of the chunk ending at tau starts at max(1, tau - k2 + 1).",
             " tau에서 끝나는 청크의 윈도는 max(1, tau - k2 + 1)에서 시작한다.")
W_DONE = Msg("The windows of BPTT({k1}, {k2}) on T = {T} steps are correct.",
             "T = {T} 스텝에서 BPTT({k1}, {k2})의 윈도가 맞았다.")


def check_windows(answer, T: int, k1: int, k2: int) -> str:
    """``answer`` lists ``(chunk_start, tau, window_start)`` for every chunk, 1-based, in order."""
    expected = truncation_windows(T, k1, k2)
    if answer is None:
        fail(W_NONE)
    if isinstance(answer, (str, bytes, dict)) or not hasattr(answer, "__iter__"):
        fail(W_FORM)
    rows = [row for row in answer]
    if any(isinstance(row, (str, bytes, dict)) or not hasattr(row, "__len__") or len(row) != 3 for row in rows):
        fail(W_TRIPLE)
    try:
        got = [tuple(as_int("chunk_start, tau, window_start", v) for v in row) for row in rows]
    except ExerciseError:
        fail(W_FORM)
    if len(got) != len(expected):
        fail(W_COUNT, k1=k1, k2=k2, T=T, n=len(expected), m=len(got))
    for i, (g, e) in enumerate(zip(got, expected), start=1):
        if g[:2] != e[:2]:
            fail(W_CHUNK, i=i, s=e[0], e=e[1], gs=g[0], ge=g[1])
        if g[2] != e[2]:
            hint = W_OWN() if g[2] == e[0] and e[0] != e[2] else W_RULE()
            fail(W_START, i=i, s=e[0], e=e[1], w=e[2], g=g[2], hint=hint)
    return W_DONE(k1=k1, k2=k2, T=T)


def _problem(seed, N, T, D, H):
    rng = np.random.default_rng(seed)
    p = dict(x=rng.standard_normal((N, T, D)), h0=rng.standard_normal((N, H)),
             Wxh=0.6 * rng.standard_normal((H, D)), Whh=0.6 * rng.standard_normal((H, H)),
             b=0.3 * rng.standard_normal(H))
    return p, rng.standard_normal((N, T, H))


def _chunks(x, h0, Wxh, Whh, b, dhs, k, carry=True, only_last=False):
    """Known wrong answers: restart every chunk from h0, or keep only the last chunk."""
    out = {key: np.zeros_like(w) for key, w in (("Wxh", Wxh), ("Whh", Whh), ("b", b))}
    h = h0
    for s in range(0, x.shape[1], k):
        hs, cache = rnn_forward(x[:, s:s + k], h if carry else h0, Wxh, Whh, b)
        g = rnn_backward(dhs[:, s:s + k], cache)
        for key in out:
            out[key] = g[key] if only_last else out[key] + g[key]
        h = hs[:, -1]
    return out


def reference_chunked_bptt(x, h0, Wxh, Whh, b, dhs, k) -> dict:
    g = truncated_rnn_backward(dhs, rnn_forward(x, h0, Wxh, Whh, b)[1], k, k)
    return {key: g[key] for key in ("Wxh", "Whh", "b")}


def _full(x, h0, Wxh, Whh, b, dhs, k):
    g = rnn_backward(dhs, rnn_forward(x, h0, Wxh, Whh, b)[1])
    return {key: g[key] for key in ("Wxh", "Whh", "b")}


CHUNK_MISTAKES = [
    Mistake(lambda *a: _chunks(*a, carry=False), Msg(
        "every chunk starts from h0. The forward pass must carry the state: the next chunk starts from the last "
        "state of this one (as a constant).",
        "청크마다 h0에서 다시 시작한다. 순방향 패스는 상태를 이어 가야 한다. 다음 청크는 이 청크의 마지막 상태에서 "
        "(상수로) 시작한다.")),
    Mistake(lambda *a: _chunks(*a, only_last=True), Msg(
        "only the last chunk's gradients are left: add the gradients of every chunk (+=), do not overwrite them.",
        "마지막 청크의 기울기만 남았다. 모든 청크의 기울기를 더하라(+=). 덮어쓰면 안 된다.")),
    Mistake(_full, Msg(
        "this is the full BPTT gradient: the backward pass of each chunk must stop at the chunk's first step.",
        "전체 BPTT 기울기다. 청크마다 역방향 패스가 그 청크의 첫 스텝에서 멈춰야 한다.")),
]
CHUNK_DONE = Msg("chunked_bptt is correct: it equals truncated_rnn_backward(dhs, cache, k, k) on four problems.",
                 "chunked_bptt가 맞았다. 문제 네 개에서 truncated_rnn_backward(dhs, cache, k, k)와 같다.")


def _chunk_cases():
    out = []
    for seed, (N, T, D, H, k) in enumerate([(2, 12, 3, 4, 4), (1, 9, 2, 3, 3), (3, 6, 2, 2, 1), (2, 5, 3, 4, 5)]):
        p, dhs = _problem(20 + seed, N, T, D, H)
        out.append((p["x"], p["h0"], p["Wxh"], p["Whh"], p["b"], dhs, k))
    return out


CHUNKED_BPTT = Exercise("chunked_bptt", reference_chunked_bptt, _chunk_cases, CHUNK_DONE, CHUNK_MISTAKES,
                        kind="dict", parts=("Wxh", "Whh", "b"), arg_names=("x", "h0", "Wxh", "Whh", "b", "dhs", "k"),
                        label=lambda x, h0, Wxh, Whh, b, dhs, k: f"chunked_bptt (N={len(x)}, T={x.shape[1]}, k={k})")


def check_chunked_bptt(fn) -> str:
    """Check ``fn(x, h0, Wxh, Whh, b, dhs, k) -> {"Wxh", "Whh", "b"}`` (T a multiple of k)."""
    return CHUNKED_BPTT.check(fn)


def reference_backward_steps(T, k1, k2) -> int:
    return sum(tau - ws + 1 for _, tau, ws in truncation_windows(T, k1, k2))


STEPS_MISTAKES = [
    Mistake(lambda T, k1, k2: T * min(k2, T) / min(k1, T), Msg(
        "that is the estimate T k2 / k1: count each window exactly (the first windows are cut at step 1, and a "
        "short last chunk still has a full window).",
        "어림값 T k2 / k1이다. 윈도를 하나씩 정확히 세라(처음 몇 윈도는 스텝 1에서 잘리고, 짧은 마지막 청크에도 "
        "윈도는 온전히 있다).")),
]
STEPS_DONE = Msg("backward_steps is correct on 10 cases.", "backward_steps가 맞았다(경우 10개).")


STEPS_CASES = [(5, 2, 3), (7, 2, 4), (10, 3, 3), (12, 4, 4), (100, 10, 20), (9, 1, 1), (6, 1, 3), (4, 10, 20),
               (1000, 50, 100), (13, 5, 8)]
BACKWARD_STEPS = Exercise("backward_steps", reference_backward_steps, lambda: STEPS_CASES, STEPS_DONE, STEPS_MISTAKES,
                          kind="int", label=lambda T, k1, k2: f"for T = {T}, k1 = {k1}, k2 = {k2}")
EXERCISES = [CHUNKED_BPTT, BACKWARD_STEPS]


def check_backward_steps(fn) -> str:
    """Check ``fn(T, k1, k2) -> int``: how many steps BPTT(k1, k2) backpropagates through, in all."""
    return BACKWARD_STEPS.check(fn)
