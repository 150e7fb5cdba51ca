"""The exercise of "Recurrent networks from scratch": one step of BPTT.

The reader writes ``step_backward(dh, h, h_prev, x, Wxh, Whh)`` for the batch-first step
``h = tanh(x @ Wxh.T + h_prev @ Whh.T + b)``. ``dh`` (N, H) is the *total* derivative dL/dh_t.
It returns a dict with

* ``"a"``: delta_t = dL/da_t = (1 - h^2) * dh                       (eq-bptt-delta)
* ``"h_prev"``: what this step sends back to h_{t-1}, W_hh^T delta_t  (eq-bptt-total)
* ``"Wxh"``, ``"Whh"``, ``"b"``: this step's terms of the sums in     (eq-bptt-params)
"""
from __future__ import annotations

from dataclasses import replace

import numpy as np

from . import Exercise, Mistake, Msg

KEYS = ("a", "h_prev", "Wxh", "Whh", "b")
ARGS = ("dh", "h", "h_prev", "x", "Wxh", "Whh")


def reference_step_backward(dh, h, h_prev, x, Wxh, Whh) -> dict:
    """The reference answer (what the solution dropdown in the book shows)."""
    da = (1.0 - h ** 2) * dh
    return {"a": da, "h_prev": da @ Whh, "Wxh": da.T @ x, "Whh": da.T @ h_prev, "b": da.sum(axis=0)}


def _cases(seed: int):
    rng = np.random.default_rng(seed)
    out = []
    for N, D, H in [(3, 2, 4), (1, 3, 3), (2, 5, 1)]:
        dh, h_prev = rng.standard_normal((N, H)), np.tanh(rng.standard_normal((N, H)))
        x, Wxh, Whh, b = (rng.standard_normal((N, D)), rng.standard_normal((H, D)), rng.standard_normal((H, H)),
                          rng.standard_normal(H))
        out.append((dh, np.tanh(x @ Wxh.T + h_prev @ Whh.T + b), h_prev, x, Wxh, Whh))
    return out


def _delta(dh, h):
    return (1.0 - h ** 2) * dh


SUMMED = Msg("{key} is averaged over the batch: the loss is a sum, so add the terms of all sequences.",
             "{key}: 배치에 대해 평균을 냈다. 손실은 합이므로 모든 시퀀스의 항을 더하라.")
NO_DPHI = Msg("{key} uses dh instead of delta_t = (1 - h**2) * dh.",
              "{key}: delta_t = (1 - h**2) * dh 대신 dh를 썼다.")
MISTAKES = [
    Mistake(lambda dh, h, *_: dh, Msg(
        "a equals dh: multiply by tanh'(a_t) = 1 - h_t**2 (elementwise) to go from h_t to a_t.",
        "a가 dh와 같다. h_t에서 a_t로 가려면 tanh'(a_t) = 1 - h_t**2를 원소별로 곱하라."), "a"),
    Mistake(lambda dh, h, *_: (1.0 - h) * dh, Msg(
        "a uses the wrong derivative of tanh: tanh'(a_t) = 1 - h_t**2 (h squared, then 1 minus).",
        "a에 쓴 tanh의 도함수가 틀렸다. tanh'(a_t) = 1 - h_t**2이다(h를 제곱한 다음 1에서 뺀다)."), "a"),
    Mistake(lambda dh, h, *_: (1.0 - h) ** 2 * dh, Msg(
        "a uses (1 - h)**2 for tanh': it is 1 - h_t**2 (h squared, then 1 minus).",
        "a: tanh'으로 (1 - h)**2를 썼다. 1 - h_t**2이다(h를 제곱한 다음 1에서 뺀다)."), "a"),
    Mistake(lambda dh, h, h_prev, *_: (1.0 - h_prev ** 2) * dh, Msg(
        "a uses h_prev in tanh': the derivative belongs to this step's state, 1 - h**2.",
        "a: tanh'에 h_prev를 썼다. 도함수는 이 스텝의 상태로 계산한다: 1 - h**2."), "a"),
    Mistake(lambda dh, *_: np.tanh(dh), Msg(
        "a applies tanh to the gradient: the backward pass multiplies dh by 1 - h**2 instead.",
        "a: 기울기에 tanh를 적용했다. 역방향 패스에서는 dh에 1 - h**2를 곱한다."), "a"),
    Mistake(lambda dh, h, h_prev, x, Wxh, Whh: _delta(dh, h) @ Whh.T, Msg(
        "h_prev multiplies by W_hh instead of its transpose: in the math it is W_hh^T delta_t, "
        "which on a batch of row vectors is `da @ Whh`.",
        "h_prev: W_hh의 전치 대신 W_hh를 곱했다. 수식으로는 W_hh^T delta_t이고, 행 벡터 배치에서는 "
        "`da @ Whh`이다."), "h_prev"),
    Mistake(lambda dh, h, h_prev, x, Wxh, Whh: dh @ Whh, Msg(
        "h_prev skips tanh': send back W_hh^T delta_t with delta_t = (1 - h**2) * dh, not W_hh^T dh.",
        "h_prev: tanh'을 빠뜨렸다. W_hh^T dh가 아니라 delta_t = (1 - h**2) * dh로 W_hh^T delta_t를 보내라."),
        "h_prev"),
    Mistake(lambda dh, h, h_prev, *_: _delta(dh, h).T @ h_prev / len(dh), SUMMED, "Whh", lambda *a: {"key": "Whh"}),
    Mistake(lambda dh, h, *_: _delta(dh, h).T @ h, Msg(
        "Whh uses h_t where h_{t-1} belongs: W_hh multiplied h_prev in the forward pass.",
        "Whh: h_{t-1} 자리에 h_t를 썼다. 순방향 패스에서 W_hh가 곱한 것은 h_prev다."), "Whh"),
    Mistake(lambda dh, h, h_prev, *_: dh.T @ h_prev, NO_DPHI, "Whh", lambda *a: {"key": "Whh"}),
    Mistake(lambda dh, h, h_prev, x, *_: dh.T @ x, NO_DPHI, "Wxh", lambda *a: {"key": "Wxh"}),
    Mistake(lambda dh, h, h_prev, x, *_: _delta(dh, h).T @ x / len(dh), SUMMED, "Wxh", lambda *a: {"key": "Wxh"}),
    Mistake(lambda dh, h, *_: _delta(dh, h).mean(axis=0), SUMMED, "b", lambda *a: {"key": "b"}),
    Mistake(lambda dh, *_: dh.sum(axis=0), NO_DPHI, "b", lambda *a: {"key": "b"}),
]
DONE = Msg("step_backward is correct: every gradient matches on three random problems.",
           "step_backward가 맞았다. 무작위 문제 세 개에서 모든 기울기가 일치한다.")


STEP_BACKWARD = Exercise("step_backward", reference_step_backward, lambda: _cases(0), DONE, MISTAKES, kind="dict",
                         parts=KEYS, arg_names=ARGS)
EXERCISES = [STEP_BACKWARD]


def check_step_backward(fn, seed: int = 0) -> str:
    """Run the reader's ``fn(dh, h, h_prev, x, Wxh, Whh)`` on random problems and compare with the reference.

    Returns a success message, or raises ``ExerciseError`` saying what is wrong.
    """
    return replace(STEP_BACKWARD, cases=lambda: _cases(seed)).check(fn)
