"""The exercise of "Eigendecomposition and Jacobian products".

The reader writes ``product_norms(J)``: given the step Jacobians of ONE sequence, ``J`` of shape
``(T, H, H)`` with ``J[t-1]`` = dh_t/dh_{t-1}, return the ``(T+1,)`` array whose entry k is the
spectral norm ||dh_T/dh_k|| = ||J_T J_{T-1} ... J_{k+1}|| (eq-jac-product), with entry T equal to 1.
The test Jacobians are non-normal, so J_1 J_2 and J_2 J_1 have different norms and the order shows.
"""
from __future__ import annotations

import numpy as np

from . import Exercise, Mistake, Msg


def _test_jacobians(seed: int = 7, T: int = 6, H: int = 4) -> np.ndarray:
    """Step Jacobians diag(phi'(a_t)) W of a non-normal W: a fixed, order-sensitive test case."""
    rng = np.random.default_rng(seed)
    W = 0.8 * np.eye(H) + np.triu(rng.standard_normal((H, H)), 1)        # non-normal: order matters
    dphi = rng.uniform(0.2, 1.0, size=(T, H))                           # like tanh'(a_t) = 1 - h_t^2
    return dphi[:, :, None] * W


def _norms(J: np.ndarray, order: str = "spectral", reverse_product: bool = False, last=None) -> np.ndarray:
    T, H, _ = J.shape
    P = np.eye(H)
    out = np.empty(T + 1)
    out[T] = last if last is not None else (1.0 if order == "spectral" else np.sqrt(H))
    for k in range(T - 1, -1, -1):
        P = J[k] @ P if reverse_product else P @ J[k]                    # correct: dh_T/dh_k = (dh_T/dh_{k+1}) J_{k+1}
        out[k] = np.linalg.norm(P, 2) if order == "spectral" else np.linalg.norm(P, "fro")
    return out


def reference_product_norms(J) -> np.ndarray:
    """The reference answer: ||J_T ... J_{k+1}|| for k = 0..T (spectral norm)."""
    return _norms(np.asarray(J, dtype=np.float64))


FROBENIUS = Msg("These are Frobenius norms: the book's ||.|| of a matrix is the spectral norm, the largest singular "
                "value, np.linalg.norm(P, 2).",
                "프로베니우스 노름이다. 이 책에서 행렬의 ||.||는 스펙트럼 노름, 곧 가장 큰 특잇값인 "
                "np.linalg.norm(P, 2)다.")
MISTAKES = [
    Mistake(lambda J: reference_product_norms(J)[:-1], Msg(
        "product_norms(J) has {T} entries, expected {T1}: the entry for k = T is missing (dh_T/dh_T is the "
        "identity, whose norm is 1).",
        "product_norms(J)의 원소가 {T}개인데 {T1}개여야 한다. k = T인 원소가 빠졌다(dh_T/dh_T는 단위 행렬이고 "
        "그 노름은 1이다)."), fields=lambda J: {"T": len(J), "T1": len(J) + 1}),
    Mistake(lambda J: reference_product_norms(J)[1:], Msg(
        "product_norms(J) has {T} entries, expected {T1}: the entry for k = 0 (the product of all T Jacobians, "
        "back to h_0) is missing.",
        "product_norms(J)의 원소가 {T}개인데 {T1}개여야 한다. k = 0인 원소(h_0까지 거슬러 가는, 야코비 행렬 T개 "
        "전부의 곱)가 빠졌다."), fields=lambda J: {"T": len(J), "T1": len(J) + 1}),
    Mistake(lambda J: reference_product_norms(J)[::-1], Msg(
        "product_norms(J) is reversed: entry k must be ||dh_T/dh_k||, so entry 0 is the longest product and entry "
        "T is 1; yours is indexed by the distance T - k.",
        "product_norms(J)가 거꾸로다. k번째 원소는 ||dh_T/dh_k||여야 하므로 0번째 원소가 가장 긴 곱이고 T번째 "
        "원소가 1이다. 여기서는 거리 T - k로 인덱스를 매겼다.")),
    Mistake(lambda J: _norms(J, reverse_product=True), Msg(
        "The Jacobians are multiplied in the wrong order: dh_T/dh_k = J_T J_(T-1) ... J_(k+1), with the latest "
        "step on the LEFT (grow the product as P = P @ J[k]).",
        "야코비 행렬을 곱하는 순서가 틀렸다. dh_T/dh_k = J_T J_(T-1) ... J_(k+1)로, 가장 나중 스텝이 '왼쪽'에 "
        "온다(곱을 P = P @ J[k]로 키워 나가라).")),
    Mistake(lambda J: _norms(J, order="fro"), FROBENIUS),
    Mistake(lambda J: _norms(J, order="fro", last=1.0), FROBENIUS),
]
DONE = Msg("product_norms(J) is correct.", "product_norms(J)가 맞았다.")


PRODUCT_NORMS = Exercise("product_norms(J)", reference_product_norms, lambda: [(_test_jacobians(),)], DONE,
                         MISTAKES, arg_names=("J",))
EXERCISES = [PRODUCT_NORMS]


def check_product_norms(product_norms) -> str:
    """Run the reader's ``product_norms`` and explain, in plain words, what is wrong with it."""
    return PRODUCT_NORMS.check(product_norms)
