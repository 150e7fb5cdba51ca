"""rnnlib.paths: every (t, k) term of dL/dW_hh, and the terms truncated BPTT keeps."""
import numpy as np
import pytest

import rnnlib as rl


def problem(rng, N, T, D, H, nonlinearity="tanh"):
    p = dict(x=rng.standard_normal((N, T, D)), h0=rng.standard_normal((N, H)),
             Wxh=0.6 * rng.standard_normal((H, D)), Whh=0.6 * rng.standard_normal((H, H)),
             b=0.3 * rng.standard_normal(H))
    hs, cache = rl.rnn_forward(**p, nonlinearity=nonlinearity)
    return p, hs, cache, rng.standard_normal(hs.shape)


def literal_terms(p, hs, dhs, nonlinearity):
    """eq-bptt-unrolled-sum term by term, with every Jacobian formed as a matrix."""
    N, T, H = hs.shape
    dphi = rl.dphi_from_output(hs, nonlinearity)
    hprev = np.concatenate([p["h0"][:, None], hs[:, :-1]], axis=1)
    out = np.zeros((T, T, H, H))
    for n in range(N):
        for t in range(T):
            for k in range(t + 1):
                M = np.eye(H)
                for j in range(t, k, -1):                          # J_t ... J_{k+1} (0-based j)
                    M = M @ (dphi[n, j][:, None] * p["Whh"])
                out[t, k] += np.outer(dphi[n, k] * (M.T @ dhs[n, t]), hprev[n, k])
    return out


@pytest.mark.parametrize("nonlinearity", ["tanh", "relu", "linear"])
@pytest.mark.parametrize("shape", [(1, 1, 1, 1), (2, 5, 3, 4), (1, 6, 2, 1), (3, 4, 2, 3)])
def test_path_terms_are_the_unrolled_sum(rng, shape, nonlinearity):
    p, hs, cache, dhs = problem(rng, *shape, nonlinearity=nonlinearity)
    terms = rl.path_terms(dhs, cache)
    T, H = shape[1], shape[3]
    assert terms.shape == (T, T, H, H)
    assert rl.rel_error(terms, literal_terms(p, hs, dhs, nonlinearity)) < 1e-10
    assert rl.rel_error(terms.sum(axis=(0, 1)), rl.rnn_backward(dhs, cache)["Whh"]) < 1e-12
    assert np.all(terms[np.triu_indices(T, 1)] == 0)


def test_rows_are_per_loss_gradients_and_columns_are_delta_h(rng):
    p, hs, cache, dhs = problem(rng, 2, 5, 3, 4)
    terms = rl.path_terms(dhs, cache)
    g = rl.rnn_backward(dhs, cache)
    deltas = g["hs"] * (1 - hs ** 2)
    hprev = np.concatenate([p["h0"][:, None], hs[:, :-1]], axis=1)
    for k in range(5):
        assert rl.rel_error(terms[:, k].sum(0), deltas[:, k].T @ hprev[:, k]) < 1e-12
    for t in range(5):
        only = np.zeros_like(dhs)
        only[:, t] = dhs[:, t]
        assert rl.rel_error(terms[t].sum(0), rl.rnn_backward(only, cache)["Whh"]) < 1e-12


@pytest.mark.parametrize("T,k1,k2", [(9, 2, 3), (9, 1, 1), (9, 3, 3), (9, 4, 9), (9, 2, 5), (9, 9, 9), (5, 20, 30),
                                     (1, 1, 1), (7, 3, 7)])
def test_truncation_mask_selects_the_terms_of_truncated_bptt(rng, T, k1, k2):
    p, hs, cache, dhs = problem(rng, 2, T, 3, 4)
    mask = rl.truncation_mask(T, k1, k2)
    assert mask.shape == (T, T) and mask.dtype == bool
    assert not np.any(mask[np.triu_indices(T, 1)])               # never a path into the future
    assert np.all(np.diag(mask))                                 # the direct term k = t is always kept
    kept = (mask[:, :, None, None] * rl.path_terms(dhs, cache)).sum(axis=(0, 1))
    assert rl.rel_error(kept, rl.truncated_rnn_backward(dhs, cache, k1, k2)["Whh"]) < 1e-10


def test_worked_example_mask_and_bad_input(rng):
    expected = np.array([[1, 0, 0, 0, 0], [1, 1, 0, 0, 0], [0, 1, 1, 0, 0], [0, 1, 1, 1, 0], [0, 0, 1, 1, 1]], bool)
    assert np.array_equal(rl.truncation_mask(5, 2, 3), expected)
    with pytest.raises(ValueError, match="k2"):
        rl.truncation_mask(5, 3, 2)
    p, hs, cache, dhs = problem(rng, 2, 4, 3, 4)
    with pytest.raises(ValueError, match="dhs"):
        rl.path_terms(dhs[:, :3], cache)
