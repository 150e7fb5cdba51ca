"""The checkers of the clipping chapter accept the reference solutions and explain typical mistakes."""
import numpy as np
import pytest

import rnnlib as rl
from rnnlib.exercises import ExerciseError
from rnnlib.exercises.clipping import check_clip_global_norm, check_clip_per_tensor


def global_ok(grads, max_norm):
    total = np.sqrt(sum(np.sum(g ** 2) for g in grads.values()))
    scale = min(1.0, max_norm / total)
    return {k: g * scale for k, g in grads.items()}


def per_tensor_ok(grads, max_norm):
    return {k: g * min(1.0, max_norm / np.linalg.norm(g)) for k, g in grads.items()}


def test_reference_solutions_pass():
    assert check_clip_global_norm(global_ok) == "clip_global_norm is correct."
    assert check_clip_global_norm(lambda g, m: rl.clip_by_norm(g, m)[0]) == "clip_global_norm is correct."
    assert check_clip_per_tensor(per_tensor_ok) == "clip_per_tensor is correct."


def in_place(grads, max_norm):
    total = np.sqrt(sum(np.sum(g ** 2) for g in grads.values()))
    for g in grads.values():
        g *= min(1.0, max_norm / total)
    return grads


def always(grads, max_norm):
    total = np.sqrt(sum(np.sum(g ** 2) for g in grads.values()))
    return {k: g * (max_norm / total) for k, g in grads.items()}


def no_sqrt(grads, max_norm):
    total = sum(np.sum(g ** 2) for g in grads.values())
    return {k: g * min(1.0, max_norm / total) for k, g in grads.items()}


@pytest.mark.parametrize("wrong,words", [
    (lambda g, m: None, "is None"),
    (lambda g, m: list(g.values()), "should return a dict"),
    (lambda g, m: {"W": 0}, "missing the key"),
    (in_place, "changed its input"),
    (per_tensor_ok, "each array by its own norm"),
    (always, "even when its norm is below max_norm"),
    (no_sqrt, "off by a constant factor"),
    (lambda g, m: {k: -v for k, v in global_ok(g, m).items()}, "wrong sign"),
    (lambda g, m: {k: np.clip(v, -m, m) for k, v in g.items()}, "differs from the expected answer"),
])
def test_global_norm_checker_explains_mistakes(wrong, words):
    with pytest.raises(ExerciseError, match=words):
        check_clip_global_norm(wrong)


@pytest.mark.parametrize("wrong,words", [
    (global_ok, "norm of all arrays together"),
    (lambda g, m: {k: v * (m / np.linalg.norm(v)) for k, v in g.items()}, "even when their norm is below"),
    (lambda g, m: None, "is None"),
    (lambda g, m: {k: 2 * v for k, v in per_tensor_ok(g, m).items()}, "2 times"),
])
def test_per_tensor_checker_explains_mistakes(wrong, words):
    with pytest.raises(ExerciseError, match=words):
        check_clip_per_tensor(wrong)
