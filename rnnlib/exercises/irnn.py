"""Checker for the IRNN chapter's coding exercise: the Jacobian product of a ReLU RNN.

The reader writes ``jacobian_product(a, Whh)``: given the pre-activations ``a`` ``(K, H)`` of steps
s+1..t (row k is step s+1+k) and the recurrent matrix ``Whh`` ``(H, H)``, return
``dh_t/dh_s = J_t ... J_{s+1}`` with ``J_k = diag(1[a_k > 0]) Whh`` (``eq-irnn-product``).
"""
from __future__ import annotations

import numpy as np

from . import ExerciseError, compare


def reference_jacobian_product(a, Whh) -> np.ndarray:
    """``J_t ... J_{s+1}``: the latest step's Jacobian on the left (``eq-irnn-product``)."""
    a, Whh = np.asarray(a, dtype=np.float64), np.asarray(Whh, dtype=np.float64)
    P = np.eye(Whh.shape[0])
    for a_k in a:
        P = ((a_k > 0)[:, None] * Whh) @ P
    return P


def _diagnose(got, a, Whh):
    """Name the usual mistakes before falling back to ``compare``'s generic feedback."""
    K = len(a)
    wrong = {
        "multiplied in the wrong order: the Jacobian of the latest step goes on the LEFT "
        "(J_t ... J_(s+1))": _reverse_order(a, Whh),
        "missing the ReLU mask: it equals Whh to the power K; multiply row i of each step's Whh "
        "by 1[a_k,i > 0]": np.linalg.matrix_power(Whh, K),
        "masking columns instead of rows: it is diag(mask) @ Whh, not Whh @ diag(mask)":
            _column_mask(a, Whh),
    }
    for message, value in wrong.items():
        if got.shape == value.shape and np.allclose(got, value, rtol=1e-6, atol=1e-12) \
                and not np.allclose(value, reference_jacobian_product(a, Whh), rtol=1e-6, atol=1e-12):
            raise ExerciseError(f"jacobian_product is {message}.")


def _reverse_order(a, Whh):
    P = np.eye(Whh.shape[0])
    for a_k in a:
        P = P @ ((a_k > 0)[:, None] * Whh)
    return P


def _column_mask(a, Whh):
    P = np.eye(Whh.shape[0])
    for a_k in a:
        P = (Whh * (a_k > 0)[None, :]) @ P
    return P


def check_jacobian_product(fn) -> str:
    """Call the reader's ``fn(a, Whh)`` on a few random problems and explain the first mistake."""
    rng = np.random.default_rng(2015)
    for K, H in [(1, 1), (1, 3), (4, 3), (6, 5)]:
        a = rng.normal(size=(K, H))
        Whh = rng.normal(size=(H, H))
        a_copy, W_copy = a.copy(), Whh.copy()
        got = fn(a, Whh)
        if not (np.array_equal(a, a_copy) and np.array_equal(Whh, W_copy)):
            raise ExerciseError("jacobian_product changed its input arrays: compute a new array instead.")
        if got is not None:
            got_a = np.asarray(got, dtype=np.float64)
            _diagnose(got_a, a, Whh)
        compare(f"jacobian_product (K={K}, H={H})", got, reference_jacobian_product(a, Whh))
    return "jacobian_product is correct."
