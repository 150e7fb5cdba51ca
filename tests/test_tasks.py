import numpy as np
import pytest

import rnnlib as rl


def test_adding_problem_contract():
    x, y = rl.adding_problem(500, 20, seed=3)
    assert x.shape == (500, 20, 2) and y.shape == (500, 1)
    assert x.dtype == np.float32 and y.dtype == np.float32
    marks = x[:, :, 1]
    assert np.all(marks.sum(1) == 2)
    assert np.all(marks[:, :10].sum(1) == 1) and np.all(marks[:, 10:].sum(1) == 1)
    np.testing.assert_allclose(y[:, 0], (x[:, :, 0] * marks).sum(1), rtol=1e-6)
    assert np.all((x[:, :, 0] >= 0) & (x[:, :, 0] < 1))


def test_adding_problem_is_seeded_and_baseline_is_one_sixth():
    a = rl.adding_problem(4, 9, seed=7)
    b = rl.adding_problem(4, 9, seed=7)
    np.testing.assert_array_equal(a[0], b[0])
    assert not np.array_equal(a[0], rl.adding_problem(4, 9, seed=8)[0])
    _, y = rl.adding_problem(200_000, 10, seed=0)
    assert abs(np.mean((y - 1.0) ** 2) - 1 / 6) < 3e-3


@pytest.mark.parametrize("n,T,arg", [(0, 10, "n"), (5, 1, "T"), (5, 0, "T"), (2.5, 10, "n"), (5, 3.0, "T")])
def test_adding_problem_bad_input(n, T, arg):
    with pytest.raises(ValueError, match=arg):
        rl.adding_problem(n, T)
