"""Checker for the coding exercise of "Eigendecomposition and Jacobian products" (prefix ``jac``).

The reader writes ``product_norms(J)``: given the step Jacobians of ONE sequence, ``J`` of shape
``(T, H, H)`` with ``J[t-1]`` = dh_t/dh_{t-1}, return the ``(T+1,)`` array whose entry k is the
spectral norm ||dh_T/dh_k|| = ||J_T J_{T-1} ... J_{k+1}|| (eq-jac-product), with entry T equal to 1.

``check_product_norms(product_norms)`` runs it on Jacobians whose order matters (non-normal, so
J_1 J_2 and J_2 J_1 have different norms) and names the usual mistakes: the factors multiplied in
the wrong order, the Frobenius norm instead of the spectral norm, the array indexed by the
distance T - k instead of k, the entry for k = T (or k = 0) left out, the input changed in place.
"""
from __future__ import annotations

import numpy as np

from . import ExerciseError, compare


def _test_jacobians(seed: int = 7, T: int = 6, H: int = 4) -> np.ndarray:
    """Step Jacobians diag(phi'(a_t)) W of a non-normal W: a fixed, order-sensitive test case."""
    rng = np.random.default_rng(seed)
    W = 0.8 * np.eye(H) + np.triu(rng.standard_normal((H, H)), 1)        # non-normal: order matters
    dphi = rng.uniform(0.2, 1.0, size=(T, H))                           # like tanh'(a_t) = 1 - h_t^2
    return dphi[:, :, None] * W


def _norms(J: np.ndarray, order: str = "spectral", reverse_product: bool = False) -> np.ndarray:
    T, H, _ = J.shape
    P = np.eye(H)
    out = np.empty(T + 1)
    out[T] = 1.0 if order == "spectral" else np.sqrt(H)
    for k in range(T - 1, -1, -1):
        P = J[k] @ P if reverse_product else P @ J[k]                    # correct: dh_T/dh_k = (dh_T/dh_{k+1}) J_{k+1}
        out[k] = np.linalg.norm(P, 2) if order == "spectral" else np.linalg.norm(P, "fro")
    return out


def reference_product_norms(J) -> np.ndarray:
    """The reference answer: ||J_T ... J_{k+1}|| for k = 0..T (spectral norm)."""
    return _norms(np.asarray(J, dtype=np.float64))


def _close(a, b) -> bool:
    return a.shape == b.shape and bool(np.allclose(a, b, rtol=1e-6, atol=1e-12))


def check_product_norms(product_norms) -> str:
    """Run the reader's ``product_norms`` and explain, in plain words, what is wrong with it."""
    J = _test_jacobians()
    J_in = J.copy()
    T = J.shape[0]
    got = product_norms(J_in)
    if not np.array_equal(J_in, J):
        raise ExerciseError("product_norms changed its input J in place: work on a copy or on new arrays.")
    expected = reference_product_norms(J)
    if got is None:
        return compare("product_norms(J)", got, expected)
    try:
        g = np.asarray(got, dtype=np.float64)
    except (TypeError, ValueError):
        return compare("product_norms(J)", got, expected)
    if g.shape == (T,):
        if _close(g, expected[:T]):
            raise ExerciseError(f"product_norms(J) has {T} entries, expected {T + 1}: the entry for k = T is "
                                "missing (dh_T/dh_T is the identity, whose norm is 1).")
        if _close(g, expected[1:]):
            raise ExerciseError(f"product_norms(J) has {T} entries, expected {T + 1}: the entry for k = 0 "
                                "(the product of all T Jacobians, back to h_0) is missing.")
    if g.shape == expected.shape:
        if _close(g, expected[::-1]):
            raise ExerciseError("product_norms(J) is reversed: entry k must be ||dh_T/dh_k||, so entry 0 is the "
                                "longest product and entry T is 1; yours is indexed by the distance T - k.")
        if _close(g, _norms(J, reverse_product=True)):
            raise ExerciseError("The Jacobians are multiplied in the wrong order: dh_T/dh_k = J_T J_(T-1) ... J_(k+1), "
                                "with the latest step on the LEFT (grow the product as P = P @ J[k]).")
        if _close(g[:T], _norms(J, order="fro")[:T]):                     # entry T may be 1 or sqrt(H)
            raise ExerciseError("These are Frobenius norms: the book's ||.|| of a matrix is the spectral norm, the "
                                "largest singular value, np.linalg.norm(P, 2).")
    return compare("product_norms(J)", got, expected)
