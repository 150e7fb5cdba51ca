"""The checker of the dy/dh_k exercise accepts the solution and explains typical mistakes."""
import numpy as np
import pytest

import rnnlib as rl
from rnnlib.exercises import ExerciseError
from rnnlib.exercises.scalar_rnn import check_dy_dh_all, reference_dy_dh_all


def solution(a, b, c, d, x, h0):
    """What the book's solution dropdown shows: forward, then one backward sweep."""
    hs, _ = rl.scalar_forward(a, b, c, x, h0)
    g = np.empty(len(x))
    g[-1] = d
    for k in range(len(x) - 2, -1, -1):
        g[k] = g[k + 1] * a * (1 - hs[k + 1] ** 2)
    return g


def test_solution_and_reference_pass():
    assert "correct" in check_dy_dh_all(solution)
    assert "correct" in check_dy_dh_all(reference_dy_dh_all)


def test_reference_agrees_with_the_product_formula_of_rnnlib():
    rng = np.random.default_rng(1)
    x = rng.standard_normal(8)
    g = reference_dy_dh_all(1.3, 0.5, 0.2, -0.7, x, 0.1)
    hs, _ = rl.scalar_forward(1.3, 0.5, 0.2, x, 0.1)
    for k in range(1, 9):                            # dy/dh_k is dy/dh_1 of the model started at step k
        assert rl.rel_error(g[k - 1], rl.scalar_dy_dh1(1.3, -0.7, hs[k - 1:])) < 1e-12


def wrong(kind):
    def fn(a, b, c, d, x, h0):
        hs, zs = rl.scalar_forward(a, b, c, x, h0)
        h_prev = np.concatenate([[h0], hs[:-1]])
        f = {"own": a * (1 - hs ** 2), "prev": a * (1 - h_prev ** 2), "z": a * (1 - zs ** 2),
             "no_a": 1 - hs ** 2, "square": a * (1 - hs) ** 2}.get(kind, a * (1 - hs ** 2))
        start = 1.0 if kind == "no_d" else d
        first = 0 if kind == "own" else 1
        g = np.array([start * np.prod(f[i + first:]) for i in range(len(x))])
        return g[::-1] if kind == "reversed" else g
    return fn


@pytest.mark.parametrize("kind,words", [
    ("reversed", "reversed"), ("own", "k+1"), ("prev", "NEW state"), ("z", "pre-activation"),
    ("no_a", "factor a is missing"), ("square", "(1 - h_t)^2"), ("no_d", "weight d is missing"),
])
def test_typical_mistakes_are_explained(kind, words):
    with pytest.raises(ExerciseError) as info:
        check_dy_dh_all(wrong(kind))
    assert words in str(info.value), str(info.value)


def test_skeleton_wrong_shape_and_in_place():
    with pytest.raises(ExerciseError, match="None"):
        check_dy_dh_all(lambda *args: None)
    with pytest.raises(ExerciseError, match="shape"):
        check_dy_dh_all(lambda a, b, c, d, x, h0: solution(a, b, c, d, x, h0)[:-1])

    def in_place(a, b, c, d, x, h0):
        g = solution(a, b, c, d, x, h0)
        x[:] = 0
        return g
    with pytest.raises(ExerciseError, match="in place"):
        check_dy_dh_all(in_place)
