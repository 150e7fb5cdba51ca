"""The checker of the one-step BPTT exercise accepts the solution and explains typical mistakes."""
import numpy as np
import pytest

from rnnlib.exercises import ExerciseError
from rnnlib.exercises.recurrent_basics import check_step_backward, reference_step_backward


def solution(dh, h, h_prev, x, Wxh, Whh):
    """What the book's solution dropdown shows."""
    da = (1 - h ** 2) * dh
    return {"a": da, "h_prev": da @ Whh, "Wxh": da.T @ x, "Whh": da.T @ h_prev, "b": da.sum(axis=0)}


def test_reference_and_solution_pass():
    assert "correct" in check_step_backward(solution)
    assert "correct" in check_step_backward(reference_step_backward)


def mutate(**changes):
    def fn(dh, h, h_prev, x, Wxh, Whh):
        out = solution(dh, h, h_prev, x, Wxh, Whh)
        da = out["a"]
        env = dict(dh=dh, h=h, h_prev=h_prev, x=x, Wxh=Wxh, Whh=Whh, da=da, np=np)
        for k, expr in changes.items():
            out[k] = eval(expr, env)
        return out
    return fn


@pytest.mark.parametrize("changes,words", [
    ({"a": "dh"}, "1 - h_t**2"),
    ({"a": "(1 - h) * dh"}, "wrong derivative of tanh"),
    ({"a": "(1 - h_prev ** 2) * dh"}, "h_prev in tanh'"),
    ({"h_prev": "da @ Whh.T"}, "transpose"),
    ({"h_prev": "dh @ Whh"}, "skips tanh'"),
    ({"Whh": "da.T @ h"}, "h_{t-1} belongs"),
    ({"Whh": "h_prev.T @ da"}, "transpose"),
    ({"Whh": "da.T @ h_prev / len(dh)"}, "averaged"),
    ({"Wxh": "dh.T @ x"}, "instead of delta_t"),
    ({"b": "da.mean(axis=0)"}, "averaged"),
    ({"b": "-da.sum(axis=0)"}, "wrong sign"),
    ({"Wxh": "2 * da.T @ x"}, "2 times"),
    ({"b": "da"}, "shape"),
])
def test_typical_mistakes_are_explained(changes, words):
    with pytest.raises(ExerciseError) as info:
        check_step_backward(mutate(**changes))
    assert words in str(info.value), str(info.value)


def test_skeleton_and_bad_returns():
    with pytest.raises(ExerciseError, match="None"):
        check_step_backward(lambda *args: None)
    with pytest.raises(ExerciseError, match="dict"):
        check_step_backward(lambda *args: (1, 2))
    with pytest.raises(ExerciseError, match="missing.*'b'"):
        check_step_backward(lambda *args: {k: v for k, v in solution(*args).items() if k != "b"})


def test_modifying_an_input_is_reported():
    def in_place(dh, h, h_prev, x, Wxh, Whh):
        dh *= 1 - h ** 2
        return {"a": dh, "h_prev": dh @ Whh, "Wxh": dh.T @ x, "Whh": dh.T @ h_prev, "b": dh.sum(0)}
    with pytest.raises(ExerciseError, match="'dh' in place"):
        check_step_backward(in_place)
