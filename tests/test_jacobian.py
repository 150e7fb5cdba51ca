"""rnnlib.jacobian against torch.autograd.functional.jacobian (float64), finite differences, known matrices, bad inputs."""
import numpy as np
import pytest
import torch
from scipy.stats import ortho_group

import rnnlib as rl

SHAPES = [(1, 1, 1, 1), (1, 5, 3, 4), (3, 1, 2, 5), (2, 7, 5, 3), (2, 12, 3, 6)]   # (N, T, D, H)
NONLINEARITIES = ["tanh", "relu", "linear"]
ACT = {"tanh": torch.tanh, "relu": torch.relu, "linear": lambda a: a}


def random_problem(rng, N, T, D, H, scale=0.9):
    return dict(x=rng.standard_normal((N, T, D)), h0=rng.standard_normal((N, H)),
                Wxh=scale * rng.standard_normal((H, D)),
                Whh=1.3 * rng.standard_normal((H, H)) / np.sqrt(H),
                b=scale * rng.standard_normal(H))


def torch_run(p, n, k, h_k, nonlinearity):
    """h_T of sequence n, restarted from the state h_k (a torch tensor) at step k (1-based math)."""
    x, Wxh, Whh, b = (torch.tensor(p[name]) for name in ("x", "Wxh", "Whh", "b"))
    h = h_k
    for t in range(k, p["x"].shape[1]):                 # 0-based index t reads x_{t+1}
        h = ACT[nonlinearity](Wxh @ x[n, t] + Whh @ h + b)
    return h


@pytest.mark.parametrize("nonlinearity", NONLINEARITIES)
@pytest.mark.parametrize("shape", SHAPES)
def test_step_jacobians_match_autograd(rng, shape, nonlinearity):
    p = random_problem(rng, *shape)
    hs, cache = rl.rnn_forward(**p, nonlinearity=nonlinearity)
    J = rl.step_jacobians(cache)
    N, T, _, H = shape
    assert J.shape == (N, T, H, H)
    hprev = np.concatenate([p["h0"][:, None], hs[:, :-1]], axis=1)
    for n in range(N):
        for t in range(T):                               # dh_{t+1}/dh_t: one step from the state h_t
            ref = torch.autograd.functional.jacobian(
                lambda h: ACT[nonlinearity](torch.tensor(p["Wxh"] @ p["x"][n, t] + p["b"]) + torch.tensor(p["Whh"]) @ h),
                torch.tensor(hprev[n, t]))
            assert rl.rel_error(J[n, t], ref.numpy()) < rl.AUTOGRAD_TOL


@pytest.mark.parametrize("nonlinearity", NONLINEARITIES)
@pytest.mark.parametrize("shape", SHAPES)
def test_products_and_norms_match_autograd(rng, shape, nonlinearity):
    p = random_problem(rng, *shape)
    hs, cache = rl.rnn_forward(**p, nonlinearity=nonlinearity)
    J = rl.step_jacobians(cache)
    P = rl.jacobian_products(J)
    norms = rl.jacobian_product_norms(J)
    N, T, _, H = shape
    assert P.shape == (N, T + 1, H, H) and norms.shape == (N, T + 1)
    hprev = np.concatenate([p["h0"][:, None], hs], axis=1)           # h_0 .. h_T
    for n in range(N):
        for k in range(T + 1):
            ref = torch.autograd.functional.jacobian(lambda h: torch_run(p, n, k, h, nonlinearity),
                                                     torch.tensor(hprev[n, k])).numpy()
            assert rl.rel_error(P[n, k], ref) < rl.AUTOGRAD_TOL, (n, k)
            assert rl.rel_error(norms[n, k], np.linalg.svd(ref, compute_uv=False)[0]) < rl.AUTOGRAD_TOL
    assert np.allclose(P[:, T], np.eye(H)) and np.allclose(norms[:, T], 1.0)


@pytest.mark.parametrize("nonlinearity", NONLINEARITIES)
def test_products_match_finite_differences(rng, nonlinearity):
    """u^T h_T as a function of h_k has gradient (dh_T/dh_k)^T u (central differences, step 1e-6)."""
    p = random_problem(rng, 1, 6, 2, 4)
    hs, cache = rl.rnn_forward(**p, nonlinearity=nonlinearity)
    P = rl.jacobian_products(rl.step_jacobians(cache))
    u = rng.standard_normal(4)
    for k in [0, 2, 5]:
        h_k = (p["h0"] if k == 0 else hs[:, k - 1]).copy()

        def f():
            rest, _ = rl.rnn_forward(p["x"][:, k:], h_k, p["Wxh"], p["Whh"], p["b"], nonlinearity)
            return float(rest[0, -1] @ u)

        assert rl.rel_error(P[0, k].T @ u, rl.numerical_gradient(f, h_k)[0]) < rl.FD_TOL


@pytest.mark.parametrize("nonlinearity", NONLINEARITIES)
def test_bound_holds_on_random_trajectories(nonlinearity):
    for seed in range(5):
        rng = np.random.default_rng(seed)
        H = int(rng.integers(1, 9))
        p = random_problem(rng, 4, 20, 3, H, scale=2.0)
        _, cache = rl.rnn_forward(**p, nonlinearity=nonlinearity)
        norms = rl.jacobian_product_norms(rl.step_jacobians(cache))
        bound = rl.jacobian_norm_bound(p["Whh"], nonlinearity, np.arange(20, -1, -1))   # T - k for k = 0..T
        assert np.all(norms <= bound * (1 + 1e-10))


def test_linear_orthogonal_rnn_preserves_norm_exactly():
    Q = ortho_group.rvs(6, random_state=0)
    rng = np.random.default_rng(0)
    _, cache = rl.rnn_forward(rng.standard_normal((2, 15, 3)), rng.standard_normal((2, 6)),
                              rng.standard_normal((6, 3)), Q, np.zeros(6), "linear")
    assert np.allclose(rl.jacobian_product_norms(rl.step_jacobians(cache)), 1.0, atol=1e-12)
    _, cache = rl.rnn_forward(rng.standard_normal((2, 15, 3)), rng.standard_normal((2, 6)),
                              rng.standard_normal((6, 3)), Q, np.zeros(6), "tanh")
    assert np.all(rl.jacobian_product_norms(rl.step_jacobians(cache))[:, :-1] < 1.0)


@pytest.mark.parametrize("H", [1, 2, 5, 9])
def test_power_by_eig_matches_matrix_power(H):
    rng = np.random.default_rng(H)
    W = rng.standard_normal((H, H)) / np.sqrt(H)
    for k in [0, 1, 2, 7, 30]:
        Wk = rl.power_by_eig(W, k)
        assert Wk.dtype == np.float64
        assert rl.rel_error(Wk, np.linalg.matrix_power(W, k)) < rl.AUTOGRAD_TOL


def test_power_by_eig_with_complex_eigenvalues():
    theta = 0.3
    R = 0.95 * np.array([[np.cos(theta), -np.sin(theta)], [np.sin(theta), np.cos(theta)]])
    assert np.iscomplexobj(np.linalg.eigvals(R))
    assert rl.rel_error(rl.power_by_eig(R, 11), np.linalg.matrix_power(R, 11)) < 1e-12
    C = R + 0.1j * np.eye(2)                                  # a complex matrix stays complex
    C5 = rl.power_by_eig(C, 5)
    assert np.iscomplexobj(C5) and np.max(np.abs(C5 - np.linalg.matrix_power(C, 5))) < 1e-12


def test_power_by_eig_refuses_a_jordan_block():
    with pytest.raises(ValueError, match="not diagonalisable"):
        rl.power_by_eig([[0.9, 5.0], [0.0, 0.9]], 3)


def test_spectral_radius_and_sigma_max_on_known_matrices(rng):
    J = np.array([[0.9, 5.0], [0.0, 0.9]])
    assert rl.spectral_radius(J) == pytest.approx(0.9)
    assert rl.sigma_max(J) == pytest.approx(np.linalg.svd(J, compute_uv=False)[0])
    assert rl.sigma_max(J) > 5.0
    S = rng.standard_normal((5, 5))
    S = S + S.T                                               # normal: rho == sigma_max
    assert rl.spectral_radius(S) == pytest.approx(rl.sigma_max(S))
    assert rl.spectral_radius(ortho_group.rvs(4, random_state=1)) == pytest.approx(1.0)
    assert rl.sigma_max([[-2.0]]) == 2.0 and rl.spectral_radius([[-2.0]]) == 2.0
    for seed in range(10):
        A = np.random.default_rng(seed).standard_normal((6, 6))
        assert rl.spectral_radius(A) <= rl.sigma_max(A) * (1 + 1e-12)


def test_matrix_power_norms_and_gelfand():
    W = np.array([[0.9, 5.0], [0.0, 0.9]])
    n = rl.matrix_power_norms(W, 400)
    assert n.shape == (401,) and n[0] == pytest.approx(1.0)
    for k in [1, 9, 50]:
        assert n[k] == pytest.approx(np.linalg.norm(np.linalg.matrix_power(W, k), 2))
    assert n.max() > 19 and np.argmax(n) in (9, 10)          # transient growth before the decay
    gelfand = n[1:] ** (1.0 / np.arange(1, 401))
    assert abs(gelfand[-1] - 0.9) < abs(gelfand[99] - 0.9) < abs(gelfand[9] - 0.9)
    assert abs(gelfand[-1] - 0.9) < 0.02


def test_dphi_bound_and_norm_bound():
    assert rl.dphi_bound("tanh") == 1.0 and rl.dphi_bound("sigmoid") == 0.25
    W = 2.0 * np.eye(3)
    assert np.allclose(rl.jacobian_norm_bound(W, "sigmoid", [0, 1, 2]), [1.0, 0.5, 0.25])
    assert np.allclose(rl.jacobian_norm_bound(W, "tanh", 3), 8.0)


def test_inputs_not_modified(rng):
    p = random_problem(rng, 2, 4, 3, 3)
    _, cache = rl.rnn_forward(**p)
    before = {k: v.copy() for k, v in cache.items() if isinstance(v, np.ndarray)}
    J = rl.step_jacobians(cache)
    J0 = J.copy()
    rl.jacobian_products(J)
    rl.jacobian_product_norms(J)
    W = p["Whh"].copy()
    rl.power_by_eig(W, 3), rl.spectral_radius(W), rl.sigma_max(W), rl.matrix_power_norms(W, 4)
    for k, v in before.items():
        assert np.array_equal(cache[k], v), k
    assert np.array_equal(J, J0) and np.array_equal(W, p["Whh"])


@pytest.mark.parametrize("call,words", [
    (lambda: rl.step_jacobians(np.zeros(3)), "cache: expected the cache dict"),
    (lambda: rl.step_jacobians({"hs": np.zeros((1, 2, 3))}), "cache: expected the cache dict"),
    (lambda: rl.step_jacobians({"hs": np.zeros((1, 2, 3)), "Whh": np.zeros((4, 4)), "nonlinearity": "tanh"}),
     r"cache\['hs'\]: expected shape \(N, T, H\) with H = 4"),
    (lambda: rl.step_jacobians({"hs": np.zeros((1, 2, 3)), "Whh": np.zeros((3, 3)), "nonlinearity": "elu"}),
     "nonlinearity"),
    (lambda: rl.jacobian_products(np.zeros((2, 3, 3))), r"jacobians: expected shape \(N, T, H, H\) \(4-D\)"),
    (lambda: rl.jacobian_products(np.zeros((2, 3, 3, 4))), "square"),
    (lambda: rl.jacobian_product_norms(np.zeros((2, 0, 3, 3))), "must be positive"),
    (lambda: rl.spectral_radius(np.zeros((2, 3))), "square"),
    (lambda: rl.sigma_max(np.zeros(3)), r"W: expected shape \(H, H\)"),
    (lambda: rl.power_by_eig(np.eye(2), -1), "k: expected a non-negative integer"),
    (lambda: rl.power_by_eig(np.eye(2), 1.5), "k: expected a non-negative integer"),
    (lambda: rl.matrix_power_norms(np.eye(2), -3), "K: expected a non-negative integer"),
    (lambda: rl.dphi_bound("softplus"), "nonlinearity: expected one of"),
    (lambda: rl.jacobian_norm_bound(np.eye(2), "tanh", [-1, 2]), "steps"),
])
def test_bad_inputs_raise_value_errors(call, words):
    with pytest.raises(ValueError, match=words):
        call()
