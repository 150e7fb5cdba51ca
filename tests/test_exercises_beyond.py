"""The checkers of "Beyond the vanilla RNN" accept the reference and explain typical mistakes."""
import numpy as np
import pytest

import rnnlib as rl
from rnnlib.exercises import ExerciseError
from rnnlib.exercises.beyond import check_mask, check_schedule


def schedule_reference(T, periods):
    t = np.arange(1, T + 1)[:, None]
    return t % np.asarray(periods)[None, :] == 0


def mask_reference(module_sizes, periods):
    per = np.repeat(periods, module_sizes)
    module = np.repeat(np.arange(len(periods)), module_sizes)
    return ((module[:, None] == module[None, :]) | (per[None, :] > per[:, None])).astype(float)


def test_reference_solutions_pass():
    assert check_schedule(schedule_reference) == "schedule is correct."
    assert check_mask(mask_reference) == "mask is correct."
    assert check_schedule(rl.clockwork_schedule) == "schedule is correct."
    assert check_mask(rl.clockwork_mask) == "mask is correct."


@pytest.mark.parametrize("fn,words", [
    (lambda T, p: None, "return"),
    (lambda T, p: np.arange(0, T)[:, None] % np.asarray(p)[None, :] == 0, "counts time from 0"),
    (lambda T, p: np.arange(1, T + 1)[:, None] % np.asarray(p)[None, :] != 0, "rests"),
    (lambda T, p: schedule_reference(T, p).T, "transposed|shape"),
    (lambda T, p: 1 / 0, "ZeroDivisionError"),
    (lambda T, p: np.ones((T, len(p)), dtype=bool), "differs"),
])
def test_schedule_mistakes_are_explained(fn, words):
    with pytest.raises(ExerciseError, match=words):
        check_schedule(fn)


def _no_diagonal(sizes, periods):
    m = np.repeat(np.arange(len(periods)), sizes)
    return mask_reference(sizes, periods) * (m[:, None] != m[None, :])


def _loose(sizes, periods):
    per = np.repeat(periods, sizes)
    m = np.repeat(np.arange(len(periods)), sizes)
    return ((per[None, :] >= per[:, None]) | (m[:, None] == m[None, :])).astype(float)


@pytest.mark.parametrize("fn,words", [
    (lambda s, p: None, "return"),
    (lambda s, p: mask_reference(s, p).T, "fast modules feed slow"),
    (lambda s, p: np.ones((sum(s), sum(s))), "vanilla RNN"),
    (_no_diagonal, "no connections inside a module"),
    (_loose, "same period"),
    (lambda s, p: np.eye(sum(s)), "differs"),
    (lambda s, p: np.ones((len(p), len(p))), "shape"),
])
def test_mask_mistakes_are_explained(fn, words):
    with pytest.raises(ExerciseError, match=words):
        check_mask(fn)
