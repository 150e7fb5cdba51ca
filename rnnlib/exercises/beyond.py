"""The exercises of "Beyond the vanilla RNN": the Clockwork RNN's schedule and mask.

``check_schedule(fn)`` calls the reader's ``fn(T, periods)`` and ``check_mask(fn)`` the reader's
``fn(module_sizes, periods)`` on a few cases and compares them with ``rnnlib.clockwork_schedule`` and
``rnnlib.clockwork_mask`` ({eq}`eq-beyond-cw-schedule`, {eq}`eq-beyond-cw-mask`). The mask's rule is
strict: unit v feeds unit u when both are in the same module, or when v's module is slower, T_u < T_v.
"""
from __future__ import annotations

import numpy as np

from ..clockwork import clockwork_mask, clockwork_schedule
from . import CORRECT, Exercise, Mistake, Msg

SCHEDULE_CASES = [(8, (1, 2, 4)), (12, (1, 3, 4)), (1, (1,)), (10, (2, 5))]
MASK_CASES = [((2, 1, 1), (1, 2, 4)), ((1, 2), (1, 3)), ((3,), (1,)), ((1, 1, 2), (1, 2, 2))]


def _as_float(f):
    return lambda *a: f(*a).astype(np.float64)


SCHEDULE_MISTAKES = [
    Mistake(lambda T, periods: ~clockwork_schedule(T, periods), Msg(
        "it is True where a module *rests*: a module updates when t mod T_i == 0, not when it is different from 0.",
        "모듈이 '쉬는' 곳에서 True다. 모듈은 t mod T_i가 0이 아닐 때가 아니라 0일 때 갱신된다.")),
    Mistake(lambda T, periods: clockwork_schedule(T, periods, t_start=0), Msg(
        "it counts time from 0 (every module fires at the first step); the book counts t = 1..T, so row k is step "
        "t = k + 1.",
        "시간을 0부터 셌다(첫 스텝에서 모든 모듈이 갱신된다). 이 책은 t = 1..T로 세므로 k번째 행은 스텝 t = k + 1이다.")),
]


def _module(sizes, periods):
    return np.repeat(np.arange(len(periods)), sizes), np.repeat(np.array(periods), sizes)


def _loose(sizes, periods):
    module, per = _module(sizes, periods)
    return ((per[None, :] >= per[:, None]) | (module[:, None] == module[None, :])).astype(float)


def _no_self(sizes, periods):
    module, _ = _module(sizes, periods)
    return clockwork_mask(sizes, periods) * (module[:, None] != module[None, :])


MASK_MISTAKES = [
    Mistake(lambda sizes, periods: clockwork_mask(sizes, periods).T, Msg(
        "it lets fast modules feed slow ones: rows are the receiving units (as in W_hh h), so mask[u, v] = 1 "
        "needs v in u's own module or in a slower one (T_u < T_v).",
        "빠른 모듈이 느린 모듈로 들어간다. 행이 받는 쪽 단위이므로(W_hh h에서처럼) mask[u, v] = 1이려면 v가 u와 "
        "같은 모듈이거나 더 느린 모듈(T_u < T_v)에 있어야 한다.")),
    Mistake(lambda sizes, periods: np.ones_like(clockwork_mask(sizes, periods)) if len(periods) > 1 else None, Msg(
        "it allows every connection: that is a vanilla RNN. A unit may only receive from its own module and from "
        "slower ones.",
        "모든 연결을 허용했다. 그것은 보통의 RNN이다. 단위는 자기 모듈과 더 느린 모듈에서만 받을 수 있다.")),
    Mistake(_no_self, Msg(
        "it has no connections inside a module: each module is fully connected to itself (the diagonal blocks "
        "are 1).",
        "모듈 안의 연결이 없다. 모듈은 자기 자신과 완전히 연결된다(대각 블록이 1이다).")),
    Mistake(_loose, Msg(
        "it connects different modules with the same period; the paper's rule is strict: module j feeds module i "
        "only if T_i < T_j.",
        "주기가 같은 서로 다른 모듈을 연결했다. 논문의 규칙은 엄격하다: T_i < T_j일 때만 모듈 j가 모듈 i로 "
        "들어간다.")),
]


SCHEDULE = Exercise("schedule", _as_float(clockwork_schedule), lambda: SCHEDULE_CASES, CORRECT, SCHEDULE_MISTAKES,
                    arg_names=("T", "periods"), label=lambda T, periods: f"schedule{(T, periods)}")
MASK = Exercise("mask", clockwork_mask, lambda: MASK_CASES, CORRECT, MASK_MISTAKES,
                arg_names=("module_sizes", "periods"), label=lambda sizes, periods: f"mask{(sizes, periods)}")
EXERCISES = [SCHEDULE, MASK]


def check_schedule(fn) -> str:
    """Check ``fn(T, periods) -> (T, len(periods))`` booleans, True where module i updates at step t."""
    return SCHEDULE.check(fn)


def check_mask(fn) -> str:
    """Check ``fn(module_sizes, periods) -> (H, H)`` 0/1 mask, rows receiving, columns sending."""
    return MASK.check(fn)
