"""The scalar tanh RNN: forward, the product formula for dy/dh_1 and its bound, against torch autograd (float64)."""
import numpy as np
import pytest
import torch

import rnnlib as rl


def torch_dy_dh1(a, b, c, d, e, x, h0):
    """dy/dh_1 by autograd: h_1 is a leaf, the rest of the recurrence is run in torch."""
    h1 = torch.tensor(np.tanh(a * h0 + b * x[0] + c), dtype=torch.float64, requires_grad=True)
    h = h1
    for xt in x[1:]:
        h = torch.tanh(a * h + b * float(xt) + c)
    y = d * h + e
    y.backward()
    return h1.grad.item(), y.item()


@pytest.mark.parametrize("T", [1, 2, 5, 30])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_product_formula_matches_autograd(T, seed):
    rng = np.random.default_rng(seed)
    a, b, c, d, e = 1.5 * rng.standard_normal(5)
    h0 = float(np.tanh(rng.standard_normal()))
    x = rng.standard_normal(T)
    hs, zs = rl.scalar_forward(a, b, c, x, h0)
    g = rl.scalar_dy_dh1(a, d, hs)
    g_t, y_t = torch_dy_dh1(a, b, c, d, e, x, h0)
    assert rl.rel_error(g, g_t) < rl.AUTOGRAD_TOL
    assert rl.rel_error(rl.scalar_output(hs, d, e), y_t) < rl.AUTOGRAD_TOL
    assert rl.rel_error(np.tanh(zs), hs) == 0.0
    assert abs(g) <= rl.scalar_bound(a, d, T) * (1 + 1e-12)


def test_product_formula_matches_finite_differences():
    rng = np.random.default_rng(5)
    a, b, c, d, e = 1.2, 0.7, -0.3, 1.9, 0.4
    x = rng.standard_normal(12)
    hs, _ = rl.scalar_forward(a, b, c, x, 0.2)
    h1 = np.array([hs[0]])

    def y_from_h1():
        rest, _ = rl.scalar_forward(a, b, c, x[1:], h1[0])
        return float(rl.scalar_output(rest, d, e))

    num = rl.numerical_gradient(y_from_h1, h1)[0]
    assert rl.rel_error(rl.scalar_dy_dh1(a, d, hs), num) < rl.FD_TOL


def test_vectorised_grid_equals_loop_and_every_T_is_a_prefix():
    rng = np.random.default_rng(3)
    a = np.linspace(0.1, 3.0, 7)
    x = rng.standard_normal((4, 1, 9))                # 4 sequences x 7 values of a, T = 9
    hs, _ = rl.scalar_forward(a, 0.8, 0.1, x, 0.0)
    assert hs.shape == (4, 7, 9)
    grid = rl.scalar_dy_dh1(a, 1.3, hs, every_T=True)
    assert grid.shape == (4, 7, 9)
    for s in range(4):
        for i, ai in enumerate(a):
            for T in (1, 4, 9):
                hs1, _ = rl.scalar_forward(ai, 0.8, 0.1, x[s, 0, :T], 0.0)
                assert rl.rel_error(hs1, hs[s, i, :T]) < 1e-14
                assert rl.rel_error(rl.scalar_dy_dh1(ai, 1.3, hs1), grid[s, i, T - 1]) < 1e-12
    np.testing.assert_array_equal(grid[..., -1], rl.scalar_dy_dh1(a, 1.3, hs))


def test_bound_holds_on_many_random_models_and_is_an_equality_only_at_h_zero():
    rng = np.random.default_rng(0)
    n, T = 20_000, 10
    a, b, c, d = (rng.uniform(-3, 3, n) for _ in range(4))
    x = rng.standard_normal((n, T))
    hs, _ = rl.scalar_forward(a, b, c, x)
    g = rl.scalar_dy_dh1(a, d, hs)
    assert np.all(np.abs(g) <= rl.scalar_bound(a, d, T) * (1 + 1e-12))
    # zero input, zero bias, h0 = 0: every h_t is 0, tanh' = 1 and the bound is attained
    hs0, _ = rl.scalar_forward(a, 0.0, 0.0, np.zeros((n, T)))
    assert rl.rel_error(np.abs(rl.scalar_dy_dh1(a, d, hs0)), rl.scalar_bound(a, d, T)) < 1e-14


def test_tanh_fixed_point():
    a = np.array([0.0, 0.5, 1.0, 1.0001, 1.1, 2.0, 5.0, 50.0])
    h = rl.tanh_fixed_point(a)
    assert np.all(h[:3] == 0) and np.all(h[3:] > 0)
    np.testing.assert_allclose(np.tanh(a * h), h, atol=1e-12)
    slope = a * (1 - h ** 2)
    assert np.all(slope[3:] < 1)                      # the nonzero fixed point is stable
    # iterating the zero-input map from h = 0.5 lands on it
    hs, _ = rl.scalar_forward(2.0, 0.0, 0.0, np.zeros(200), 0.5)
    assert abs(hs[-1] - rl.tanh_fixed_point(2.0)) < 1e-12
    with pytest.raises(ValueError, match="a >= 0"):
        rl.tanh_fixed_point(-1.0)


def test_inputs_are_never_modified():
    a, x, h0 = np.array([0.5, 2.0]), np.ones((2, 3)), np.array([0.1, 0.2])
    a0, x0, h00 = a.copy(), x.copy(), h0.copy()
    hs, _ = rl.scalar_forward(a, 1.0, 0.0, x, h0)
    hs_before = hs.copy()
    rl.scalar_dy_dh1(a, 1.0, hs, every_T=True)
    for u, v in [(a, a0), (x, x0), (h0, h00), (hs, hs_before)]:
        np.testing.assert_array_equal(u, v)


def test_bad_inputs():
    with pytest.raises(ValueError, match=r"a: .*x\[\.\.\., 0\].*\(3,\).*\(2,\)"):
        rl.scalar_forward(np.ones(2), 1.0, 0.0, np.zeros((3, 4)))
    with pytest.raises(ValueError, match=r"x: .*T >= 1.*\(3, 0\)"):
        rl.scalar_forward(1.0, 1.0, 0.0, np.zeros((3, 0)))
    with pytest.raises(ValueError, match="x: .*T >= 1"):
        rl.scalar_forward(1.0, 1.0, 0.0, 0.5)
    with pytest.raises(ValueError, match="b: .*numeric"):
        rl.scalar_forward(1.0, "one", 0.0, np.zeros(3))
    with pytest.raises(ValueError, match=r"d: .*\(5,\)"):
        rl.scalar_dy_dh1(1.0, np.ones(5), np.zeros((3, 4)))
    with pytest.raises(ValueError, match="T: .*>= 1"):
        rl.scalar_bound(1.0, 1.0, 0)
