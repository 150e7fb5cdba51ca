"""rnnlib.clip against torch.nn.utils.clip_grad_norm_ / clip_grad_value_ (float64), and the edge cases."""
import numpy as np
import pytest
import torch

import rnnlib as rl

TORCH_EPS = 1e-6  # torch divides by (total_norm + 1e-6)


def random_grads(rng, shapes, scale):
    return {f"p{i}": scale * rng.standard_normal(s) for i, s in enumerate(shapes)}


SHAPES = [[(3,)], [(4, 5), (5,)], [(1, 1), (7, 3), (3,), ()], [(2, 3, 4), (1,)]]


def torch_clipped(grads, *, max_norm=None, max_value=None):
    params = []
    for g in grads.values():
        p = torch.zeros(np.shape(g), dtype=torch.float64, requires_grad=True)
        p.grad = torch.tensor(np.asarray(g, dtype=np.float64))
        params.append(p)
    total = None
    if max_norm is not None:
        total = float(torch.nn.utils.clip_grad_norm_(params, max_norm))
    else:
        torch.nn.utils.clip_grad_value_(params, max_value)
    return {k: p.grad.numpy() for k, p in zip(grads, params)}, total


@pytest.mark.parametrize("shapes", SHAPES)
@pytest.mark.parametrize("scale,max_norm", [(0.1, 5.0), (3.0, 1.0), (100.0, 0.5), (1.0, 2.0)])
def test_clip_by_norm_matches_torch(shapes, scale, max_norm):
    rng = np.random.default_rng(len(shapes) + int(scale * 10))
    grads = random_grads(rng, shapes, scale)
    clipped, total = rl.clip_by_norm(grads, max_norm)
    expected, torch_total = torch_clipped(grads, max_norm=max_norm)
    assert isinstance(total, float)
    assert rl.rel_error(total, torch_total) < 1e-12
    # torch's factor is max_norm / (total + 1e-6), capped at 1: undo its epsilon, then they agree exactly.
    eps_factor = min(1.0, max_norm / (total + TORCH_EPS)) / min(1.0, max_norm / total)
    for k in grads:
        assert clipped[k].shape == np.shape(grads[k])
        assert rl.rel_error(clipped[k] * eps_factor, expected[k]) < 1e-12
        assert rl.rel_error(clipped[k], expected[k]) < 2 * TORCH_EPS / min(total, max_norm)
    assert list(clipped) == list(grads)


@pytest.mark.parametrize("shapes", SHAPES)
@pytest.mark.parametrize("scale,max_value", [(0.1, 5.0), (3.0, 1.0), (10.0, 0.01)])
def test_clip_by_value_matches_torch(shapes, scale, max_value):
    rng = np.random.default_rng(7 + len(shapes))
    grads = random_grads(rng, shapes, scale)
    clipped = rl.clip_by_value(grads, max_value)
    expected, _ = torch_clipped(grads, max_value=max_value)
    for k in grads:
        np.testing.assert_array_equal(clipped[k], expected[k])
        assert np.all(np.abs(clipped[k]) <= max_value)


def test_clip_by_value_nan_and_inf_like_torch():
    grads = {"a": np.array([np.nan, np.inf, -np.inf, 0.5])}
    expected, _ = torch_clipped(grads, max_value=1.0)
    np.testing.assert_array_equal(rl.clip_by_value(grads, 1.0)["a"], expected["a"])
    np.testing.assert_array_equal(expected["a"], [np.nan, 1.0, -1.0, 0.5])


def test_rnn_gradients_clipped_like_torch(rng):
    """The book's use: the grads dict of rnn_backward, clipped, equals torch on the same numbers."""
    x, h0 = rng.standard_normal((2, 6, 3)), rng.standard_normal((2, 4))
    Wxh, Whh, b = rng.standard_normal((4, 3)), 2.0 * rng.standard_normal((4, 4)), rng.standard_normal(4)
    hs, cache = rl.rnn_forward(x, h0, Wxh, Whh, b)
    g = rl.rnn_backward(rng.standard_normal(hs.shape), cache)
    params = {k: g[k] for k in ("Wxh", "Whh", "b")}
    total = np.sqrt(sum(np.sum(v ** 2) for v in params.values()))
    clipped, norm = rl.clip_by_norm(params, 1.0)
    assert rl.rel_error(norm, total) < 1e-14
    expected, _ = torch_clipped(params, max_norm=1.0)
    for k in params:
        assert rl.rel_error(clipped[k] * norm / (norm + TORCH_EPS), expected[k]) < 1e-12


def test_zero_gradient_is_returned_unchanged():
    grads = {"W": np.zeros((3, 2)), "b": np.zeros(2)}
    clipped, total = rl.clip_by_norm(grads, 1.0)
    assert total == 0.0
    for k in grads:
        np.testing.assert_array_equal(clipped[k], grads[k])
        assert clipped[k] is not grads[k]
    assert rl.clip_by_norm({}, 1.0) == ({}, 0.0)


def test_exactly_at_threshold_is_unchanged_and_just_above_is_clipped():
    grads = {"a": np.array([3.0]), "b": np.array([[4.0]])}          # norm exactly 5
    clipped, total = rl.clip_by_norm(grads, 5.0)
    assert total == 5.0
    for k in grads:
        np.testing.assert_array_equal(clipped[k], grads[k])
    below = np.nextafter(5.0, 0.0)
    clipped, total = rl.clip_by_norm(grads, below)
    assert clipped["a"][0] < 3.0 and clipped["b"][0, 0] < 4.0
    assert rl.rel_error(rl.global_norm(clipped), below) < 1e-15
    clipped, _ = rl.clip_by_norm(grads, 4.0)
    np.testing.assert_allclose(clipped["a"], [2.4], rtol=1e-15)
    np.testing.assert_allclose(clipped["b"], [[3.2]], rtol=1e-15)


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_non_finite_norm_raises(bad):
    grads = {"W": np.ones((2, 2)), "b": np.array([1.0, bad])}
    with pytest.raises(FloatingPointError, match="norm is (nan|inf)"):
        rl.clip_by_norm(grads, 1.0)
    with pytest.raises(FloatingPointError):
        rl.clip_by_norm({"b": grads["b"], "W": 1e300 * grads["W"]}, 1.0)


def test_huge_but_finite_gradient_is_clipped_not_overflowed():
    grads = {"a": np.array([3e200]), "b": np.array([4e200])}
    clipped, total = rl.clip_by_norm(grads, 1.0)
    assert rl.rel_error(total, 5e200) < 1e-15
    np.testing.assert_allclose(clipped["a"], [0.6], rtol=1e-15)
    c32, total32 = rl.clip_by_norm({"a": np.float32([3e30, 4e30])}, 1.0)
    assert c32["a"].dtype == np.float32 and rl.rel_error(total32, 5e30) < 1e-6


@pytest.mark.parametrize("func,name", [(rl.clip_by_norm, "max_norm"), (rl.clip_by_value, "max_value")])
@pytest.mark.parametrize("bad", [0, 0.0, -1.0, np.nan, None, "5", True])
def test_bad_thresholds(func, name, bad):
    with pytest.raises(ValueError, match=f"{name}: expected a positive number"):
        func({"a": np.ones(2)}, bad)


@pytest.mark.parametrize("func,arg", [(rl.clip_by_norm, 1.0), (rl.clip_by_value, 1.0)])
def test_bad_grads(func, arg):
    with pytest.raises(ValueError, match="grads: expected a dict"):
        func([np.ones(2)], arg)
    with pytest.raises(ValueError, match=r"grads: expected a dict.*ndarray"):
        func(np.ones(2), arg)
    with pytest.raises(ValueError, match=r"grads\['W'\]: expected a real numeric array, got dtype <U1"):
        func({"W": ["a", "b"]}, arg)
    with pytest.raises(ValueError, match=r"grads\['W'\]: expected a real numeric array, got dtype bool"):
        func({"W": np.array([True])}, arg)
    with pytest.raises(ValueError, match=r"grads\['W'\]: expected a real numeric array, got dtype complex"):
        func({"W": np.array([1j])}, arg)


def test_lists_and_integers_are_accepted():
    clipped, total = rl.clip_by_norm({"a": [3, 4]}, 1.0)
    assert total == 5.0 and isinstance(clipped["a"], np.ndarray)
    np.testing.assert_allclose(clipped["a"], [0.6, 0.8])
    np.testing.assert_array_equal(rl.clip_by_value({"a": [3, -9]}, 5)["a"], [3, -5])


@pytest.mark.parametrize("max_norm", [0.1, 100.0])
def test_inputs_are_not_modified(rng, max_norm):
    grads = random_grads(rng, [(3, 4), (4,)], 10.0)
    before = {k: v.copy() for k, v in grads.items()}
    for out in (rl.clip_by_norm(grads, max_norm)[0], rl.clip_by_value(grads, 1.0)):
        for k in grads:
            np.testing.assert_array_equal(grads[k], before[k])
            assert not np.shares_memory(out[k], grads[k])


def flat(grads):
    return np.concatenate([np.ravel(v) for v in grads.values()])


def cosine(a, b):
    return float(a @ b / (np.linalg.norm(a) * np.linalg.norm(b)))


def test_norm_clipping_keeps_the_direction_value_clipping_bends_it(rng):
    grads = {"W": rng.standard_normal((5, 5)) * np.arange(1, 6), "b": 20 * rng.standard_normal(5)}
    g = flat(grads)
    by_norm, total = rl.clip_by_norm(grads, 1.0)
    assert total > 1.0
    assert abs(cosine(g, flat(by_norm)) - 1.0) < 1e-12
    assert rl.rel_error(flat(by_norm), g / total) < 1e-14           # the same ray, norm 1
    by_value = flat(rl.clip_by_value(grads, 1.0))
    assert cosine(g, by_value) < 0.99                               # bent off the ray
    # When every component is clipped, value clipping is sign descent: cos = ||g||_1 / (sqrt(n) ||g||_2).
    tiny = flat(rl.clip_by_value(grads, 1e-9))
    np.testing.assert_allclose(tiny, 1e-9 * np.sign(g))
    assert rl.rel_error(cosine(g, tiny), np.abs(g).sum() / (np.sqrt(g.size) * np.linalg.norm(g))) < 1e-12


def test_global_norm():
    assert rl.global_norm({"a": np.array([3.0]), "b": np.array([[4.0]])}) == 5.0
    assert rl.global_norm({}) == 0.0 and rl.global_norm({"a": np.zeros(0)}) == 0.0
    assert np.isnan(rl.global_norm({"a": np.array([np.nan, 1.0])}))
    assert np.isnan(rl.global_norm({"a": np.array([5.0]), "b": np.array([np.nan])}))   # nan in a later array
    assert np.isnan(rl.global_norm({"a": np.array([np.inf]), "b": np.array([np.nan])}))
    assert rl.global_norm({"a": np.array([-np.inf])}) == np.inf
