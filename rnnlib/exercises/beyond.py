"""Checkers for the exercises of "Beyond the vanilla RNN" (Clockwork RNN schedule and mask).

``check_schedule(fn)`` calls the reader's ``fn(T, periods)`` and ``check_mask(fn)`` the reader's
``fn(module_sizes, periods)`` on a few cases, compare them with ``rnnlib.clockwork_schedule`` and
``rnnlib.clockwork_mask``, and name the usual mistakes in plain words before falling back on
``compare``'s element-by-element message.
"""
from __future__ import annotations

import numpy as np

from ..clockwork import clockwork_mask, clockwork_schedule
from . import ExerciseError, compare

SCHEDULE_CASES = [(8, (1, 2, 4)), (12, (1, 3, 4)), (1, (1,)), (10, (2, 5))]
MASK_CASES = [((2, 1, 1), (1, 2, 4)), ((1, 2), (1, 3)), ((3,), (1,)), ((1, 1, 2), (1, 2, 2))]


def _call(fn, name, *args):
    try:
        return fn(*args)
    except Exception as exc:  # the reader's code failed: say where, keep the message
        raise ExerciseError(f"{name}{args} raised {type(exc).__name__}: {exc}") from exc


def check_schedule(fn) -> str:
    """Check ``fn(T, periods) -> (T, len(periods))`` booleans, True where module i updates at step t."""
    for T, periods in SCHEDULE_CASES:
        got = _call(fn, "schedule", T, periods)
        if got is None:
            raise ExerciseError("the schedule is None: did the function forget to `return` its result?")
        expected = clockwork_schedule(T, periods)
        g = np.asarray(got)
        if g.shape == expected.shape and g.dtype != object:
            g = g.astype(bool)
            if np.array_equal(g, expected):
                continue
            if np.array_equal(g, ~expected):
                raise ExerciseError(f"schedule{(T, periods)} is True where a module *rests*: a module updates when "
                                    "t mod T_i == 0, not when it is different from 0.")
            if np.array_equal(g, clockwork_schedule(T, periods, t_start=0)):
                raise ExerciseError(f"schedule{(T, periods)} counts time from 0 (every module fires at the first "
                                    "step); the book counts t = 1..T, so row k is step t = k + 1.")
        compare(f"schedule{(T, periods)}", g, expected)
    return "schedule is correct."


def check_mask(fn) -> str:
    """Check ``fn(module_sizes, periods) -> (H, H)`` 0/1 mask, rows receiving, columns sending."""
    for sizes, periods in MASK_CASES:
        got = _call(fn, "mask", sizes, periods)
        if got is None:
            raise ExerciseError("the mask is None: did the function forget to `return` its result?")
        expected = clockwork_mask(sizes, periods)
        g = np.asarray(got)
        if g.shape == expected.shape and g.dtype != object:
            g = g.astype(np.float64)
            if np.array_equal(g, expected):
                continue
            per = np.repeat(np.array(periods), sizes)
            module = np.repeat(np.arange(len(periods)), sizes)
            if len(periods) > 1 and np.array_equal(g, expected.T):
                raise ExerciseError(f"mask{(sizes, periods)} lets fast modules feed slow ones: rows are the "
                                    "receiving units (as in W_hh h), so mask[u, v] = 1 needs v's period >= u's.")
            if np.all(g == 1) and len(periods) > 1:
                raise ExerciseError(f"mask{(sizes, periods)} allows every connection: that is a vanilla RNN. "
                                    "A unit may only receive from its own module and from slower ones.")
            if np.array_equal(g, expected * (module[:, None] != module[None, :])):
                raise ExerciseError(f"mask{(sizes, periods)} has no connections inside a module: each module is "
                                    "fully connected to itself (the diagonal blocks are 1).")
            loose = ((per[None, :] >= per[:, None]) | (module[:, None] == module[None, :])).astype(float)
            if not np.array_equal(loose, expected) and np.array_equal(g, loose):
                raise ExerciseError(f"mask{(sizes, periods)} connects different modules with the same period; the "
                                    "paper's rule is strict: module j feeds module i only if T_i < T_j.")
        compare(f"mask{(sizes, periods)}", g, expected)
    return "mask is correct."
