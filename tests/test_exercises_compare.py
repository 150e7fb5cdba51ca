import numpy as np
import pytest

from rnnlib.exercises import ExerciseError, compare

E = np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.5]])


def test_correct_answer_is_accepted():
    assert compare("W", E.copy(), E) == "W is correct."


@pytest.mark.parametrize("got,words", [
    (None, "return"), ("abc", "array of numbers"), (E.T, "transposed"), (E.reshape(3, 2) * 0 + 1, "shape (3, 2)"),
    (-E, "wrong sign"), (2 * E, "2 times"), (E * 0.5, "0.5 times"),
    (np.where(E == 5.0, 7.0, E), "index (1, 1)"), (np.where(E == 5.0, np.nan, E), "NaN"),
])
def test_typical_mistakes_are_explained(got, words):
    with pytest.raises(ExerciseError, match=words.replace("(", r"\(").replace(")", r"\)")):
        compare("W", got, E)


def test_square_transpose_is_named():
    A = np.array([[1.0, 2.0], [3.0, 4.0]])
    with pytest.raises(ExerciseError, match="transpose"):
        compare("A", A.T, A)
