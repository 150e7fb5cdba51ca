"""Jacobians of the recurrence, their products over time, and the spectra that bound them.

The math (column vectors, book notation, chapter "Eigendecomposition and Jacobian products")::

    dh_t/dh_{t-1} = diag(phi'(a_t)) W_hh                               (eq-jac-step)
    dh_T/dh_k     = J_T J_{T-1} ... J_{k+1},  J_t = dh_t/dh_{t-1}        (eq-jac-product)
    W^k           = V D^k V^{-1}        when W = V D V^{-1}              (eq-jac-power)
    rho(W) = max |lambda_i|  <=  sigma_max(W) = ||W||                  (eq-jac-rho-sigma)
    ||dh_T/dh_k|| <= (gamma sigma_max(W_hh))^(T-k)                      (eq-jac-bound)
    ||W^k||^(1/k) -> rho(W)  as k -> infinity   (Gelfand's formula)      (eq-jac-gelfand)

Shapes follow rnnlib: a stack of step Jacobians is ``(N, T, H, H)`` with ``J[:, t-1]`` the
Jacobian dh_t/dh_{t-1} of step t (1-based math), so ``J[:, 0]`` is dh_1/dh_0. A stack of
products is ``(N, T+1, H, H)`` with ``P[:, k]`` = dh_T/dh_k for k = 0..T (``P[:, T]`` is I),
so the index *is* the k of the math.
"""
from __future__ import annotations

import numpy as np

from ._validate import as_array, check_int, check_nonlinearity, check_positive_sizes
from .rnn import dphi_from_output

#: gamma, the largest value |phi'| can take (eq-jac-bound): 1 for tanh, relu and the identity,
#: 1/4 for the logistic sigmoid (its derivative s(1 - s) peaks at s = 1/2).
DPHI_BOUND = {"tanh": 1.0, "relu": 1.0, "linear": 1.0, "sigmoid": 0.25}


def _square(name: str, W) -> np.ndarray:
    W = as_array(name, W, 2, "(H, H)")
    check_positive_sizes(name, W, "(H, H)")
    if W.shape[0] != W.shape[1]:
        raise ValueError(f"{name}: expected a square matrix of shape (H, H), got {W.shape}")
    return W


def _jacobian_stack(jacobians) -> np.ndarray:
    J = as_array("jacobians", jacobians, 4, "(N, T, H, H)")
    check_positive_sizes("jacobians", J, "(N, T, H, H)")
    if J.shape[2] != J.shape[3]:
        raise ValueError(f"jacobians: expected shape (N, T, H, H) with square H x H Jacobians, got {J.shape}")
    return J


# --- the Jacobians along a trajectory ----------------------------------------------------------

def step_jacobians(cache) -> np.ndarray:
    """The one-step Jacobians dh_t/dh_{t-1} = diag(phi'(a_t)) W_hh along a trajectory.

    Implements {eq}`eq-jac-step`.

    Parameters
    ----------
    cache : the cache returned by ``rnn_forward`` (it holds ``hs``, ``Whh`` and the nonlinearity).

    Returns
    -------
    J : (N, T, H, H), ``J[n, t-1]`` is dh_t/dh_{t-1} for sequence n (1-based t), i.e. the rows
        of W_hh scaled by phi'(a_t).
    """
    if not isinstance(cache, dict) or not {"hs", "Whh", "nonlinearity"} <= set(cache):
        got = sorted(cache) if isinstance(cache, dict) else type(cache).__name__
        raise ValueError(f"cache: expected the cache dict returned by rnn_forward (with keys 'hs', 'Whh', "
                         f"'nonlinearity'), got {got}")
    hs = as_array("cache['hs']", cache["hs"], 3, "(N, T, H)")
    Whh = _square("cache['Whh']", cache["Whh"])
    nl = check_nonlinearity(cache["nonlinearity"])
    if hs.shape[2] != Whh.shape[0]:
        raise ValueError(f"cache['hs']: expected shape (N, T, H) with H = {Whh.shape[0]} from Whh, got {hs.shape}")
    dphi = dphi_from_output(hs, nl)                       # phi'(a_t), (N, T, H)
    return dphi[..., :, None] * Whh                       # diag(phi'(a_t)) W_hh: row i scaled by phi'_i


# --- their products over time -----------------------------------------------------------------

def jacobian_products(jacobians) -> np.ndarray:
    """Every product dh_T/dh_k = J_T J_{T-1} ... J_{k+1}, for k = 0..T.

    Implements {eq}`eq-jac-product`: the latest Jacobian stands on the left, because the chain rule
    composes dh_T/dh_{T-1} with dh_{T-1}/dh_{T-2} and so on back to step k+1.

    Parameters
    ----------
    jacobians : (N, T, H, H) from ``step_jacobians`` (or any stack of step Jacobians in that layout).

    Returns
    -------
    P : (N, T+1, H, H), ``P[:, k]`` = dh_T/dh_k; ``P[:, T]`` is the identity (no step between them).
    """
    J = _jacobian_stack(jacobians)
    N, T, H, _ = J.shape
    P = np.empty((N, T + 1, H, H), dtype=np.result_type(J, np.float64))
    P[:, T] = np.eye(H)
    for k in range(T - 1, -1, -1):                        # dh_T/dh_k = (dh_T/dh_{k+1}) J_{k+1}
        P[:, k] = P[:, k + 1] @ J[:, k]
    return P


def jacobian_product_norms(jacobians) -> np.ndarray:
    """Spectral norms ||dh_T/dh_k|| (largest singular values) for k = 0..T.

    The quantity the bound {eq}`eq-jac-bound` is about. ``norms[:, k]`` belongs to a distance of
    T - k steps; ``norms[:, T]`` is 1.

    Parameters
    ----------
    jacobians : (N, T, H, H) from ``step_jacobians``.

    Returns
    -------
    norms : (N, T+1).
    """
    P = jacobian_products(jacobians)
    return np.linalg.norm(P, ord=2, axis=(-2, -1))


# --- spectra ---------------------------------------------------------------------------------

def spectral_radius(W) -> float:
    """rho(W) = the largest |lambda| over the (possibly complex) eigenvalues of W ({eq}`eq-jac-rho-sigma`)."""
    W = _square("W", W)
    return float(np.max(np.abs(np.linalg.eigvals(W))))


def sigma_max(W) -> float:
    """sigma_max(W) = ||W||, the largest singular value: the most W stretches any vector ({eq}`eq-jac-rho-sigma`)."""
    W = _square("W", W)
    return float(np.linalg.norm(W, ord=2))


def dphi_bound(nonlinearity: str) -> float:
    """gamma in {eq}`eq-jac-bound`: sup |phi'| (1 for tanh, relu, linear; 1/4 for sigmoid)."""
    if nonlinearity not in DPHI_BOUND:
        raise ValueError(f"nonlinearity: expected one of {tuple(DPHI_BOUND)}, got {nonlinearity!r}")
    return DPHI_BOUND[nonlinearity]


def jacobian_norm_bound(Whh, nonlinearity: str, steps) -> np.ndarray:
    """The bound (gamma sigma_max(W_hh))^steps on ||dh_T/dh_k|| with steps = T - k ({eq}`eq-jac-bound`)."""
    gamma = dphi_bound(nonlinearity)
    steps = np.asarray(steps)
    if not np.issubdtype(steps.dtype, np.number) or np.any(steps < 0):
        raise ValueError(f"steps: expected non-negative numbers of steps T - k, got {steps!r}")
    return (gamma * sigma_max(Whh)) ** steps.astype(np.float64)


def matrix_power_norms(W, K: int) -> np.ndarray:
    """||W^k|| (spectral norm) for k = 0..K, by repeated multiplication.

    For a linear RNN this *is* ||dh_T/dh_{T-k}||; it is the sequence Gelfand's formula
    {eq}`eq-jac-gelfand` is about.
    """
    W = _square("W", W)
    K = check_int("K", K, 0)
    out = np.empty(int(K) + 1)
    Wk = np.eye(W.shape[0], dtype=np.result_type(W, np.float64))
    for k in range(int(K) + 1):
        out[k] = np.linalg.norm(Wk, ord=2)
        Wk = Wk @ W
    return out


def power_by_eig(W, k) -> np.ndarray:
    """W^k computed as V D^k V^{-1} from ``numpy.linalg.eig`` ({eq}`eq-jac-power`).

    Complex eigenvalues of a real W come in conjugate pairs, so the result is real up to rounding;
    it is returned real when W is real. A ``ValueError`` is raised when W is not (numerically)
    diagonalisable, i.e. its eigenvector matrix V is singular to working precision (a Jordan block
    such as [[0.9, 5], [0, 0.9]] has only one eigenvector).
    """
    W = _square("W", W)
    k = check_int("k", k, 0)
    lam, V = np.linalg.eig(W)
    cond = np.linalg.cond(V)
    if not np.isfinite(cond) or cond > 1e10:
        raise ValueError(f"W: not diagonalisable to working precision, cond(V) = {cond:.3g}")
    Wk = (V * lam ** int(k)) @ np.linalg.inv(V)           # V D^k V^{-1}, with D^k applied to V's columns
    return Wk.real if np.isrealobj(W) else Wk

def relu_rnn_jacobian(a, Whh) -> np.ndarray:
    """``dh_t/dh_{t-1} = diag(1[a_t > 0]) W_hh`` (``eq-irnn-jacobian``) for a ReLU RNN.

    ``a`` is the pre-activation ``(H,)`` or a batch ``(N, H)``; ``Whh`` is ``(H, H)``.
    Returns ``(H, H)`` or ``(N, H, H)``. The inputs are not modified.
    """
    Whh = as_array("Whh", Whh, 2, "(H, H)")
    H = Whh.shape[0]
    if Whh.shape != (H, H):
        raise ValueError(f"Whh: expected a square shape (H, H), got {Whh.shape}")
    a = np.asarray(a)
    if a.ndim not in (1, 2) or a.shape[-1] != H:
        raise ValueError(f"a: expected shape (H,) or (N, H) with H = {H}, got {a.shape}")
    mask = (a > 0).astype(np.result_type(Whh.dtype, np.float64))
    return mask[..., :, None] * Whh
