"""The checker of the jacobians chapter's coding exercise accepts the reference and names typical mistakes."""
import numpy as np
import pytest

import rnnlib as rl
from rnnlib.exercises import ExerciseError
from rnnlib.exercises.jacobians import _test_jacobians, check_product_norms, reference_product_norms


def solution(J):
    """The reference solution shown in the book's dropdown."""
    T, H, _ = J.shape
    P = np.eye(H)
    norms = np.empty(T + 1)
    norms[T] = 1.0
    for k in range(T - 1, -1, -1):
        P = P @ J[k]
        norms[k] = np.linalg.norm(P, 2)
    return norms


def test_reference_agrees_with_rnnlib():
    J = _test_jacobians()
    assert rl.rel_error(reference_product_norms(J), rl.jacobian_product_norms(J[None])[0]) < 1e-12


def test_reference_solution_passes():
    assert check_product_norms(solution) == "product_norms(J) is correct."


def wrong_order(J):
    T, H, _ = J.shape
    P, out = np.eye(H), [1.0]
    for k in range(T - 1, -1, -1):
        P = J[k] @ P
        out.insert(0, np.linalg.norm(P, 2))
    return np.array(out)


def frobenius(J):
    T, H, _ = J.shape
    P, out = np.eye(H), [1.0]
    for k in range(T - 1, -1, -1):
        P = P @ J[k]
        out.insert(0, np.linalg.norm(P))
    return np.array(out)


def in_place(J):
    out = solution(J)
    J *= 2
    return out


@pytest.mark.parametrize("fn,words", [
    (lambda J: None, "return"),
    (wrong_order, "wrong order"),
    (frobenius, "Frobenius"),
    (lambda J: solution(J)[::-1], "reversed"),
    (lambda J: solution(J)[:-1], "k = T is missing"),
    (lambda J: solution(J)[1:], "k = 0"),
    (lambda J: 2 * solution(J), "2 times"),
    (lambda J: np.where(np.arange(len(J) + 1) == 3, 0.5, solution(J)), "index"),
    (in_place, "in place"),
])
def test_typical_mistakes_are_named(fn, words):
    with pytest.raises(ExerciseError, match=words):
        check_product_norms(fn)
