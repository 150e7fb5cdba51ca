"""The IRNN chapter's exercise: the Jacobian product of a ReLU RNN.

The reader writes ``jacobian_product(a, Whh)``: given the pre-activations ``a`` ``(K, H)`` of steps
s+1..t (row k is step s+1+k) and the recurrent matrix ``Whh`` ``(H, H)``, return
``dh_t/dh_s = J_t ... J_{s+1}`` with ``J_k = diag(1[a_k > 0]) Whh`` (``eq-irnn-product``).
"""
from __future__ import annotations

import numpy as np

from . import Exercise, Mistake, Msg


def _product(a, Whh, step, latest_left=True):
    P = np.eye(Whh.shape[0])
    for a_k in np.asarray(a, dtype=np.float64):
        P = step(a_k, Whh) @ P if latest_left else P @ step(a_k, Whh)
    return P


def reference_jacobian_product(a, Whh) -> np.ndarray:
    """``J_t ... J_{s+1}``: the latest step's Jacobian on the left (``eq-irnn-product``)."""
    return _product(a, np.asarray(Whh, dtype=np.float64), lambda a_k, W: (a_k > 0)[:, None] * W)


MISTAKES = [
    Mistake(lambda a, Whh: _product(a, Whh, lambda a_k, W: (a_k > 0)[:, None] * W, latest_left=False), Msg(
        "it is multiplied in the wrong order: the Jacobian of the latest step goes on the LEFT "
        "(J_t ... J_(s+1)).",
        "곱하는 순서가 틀렸다. 가장 나중 스텝의 야코비 행렬이 '왼쪽'에 온다(J_t ... J_(s+1)).")),
    Mistake(lambda a, Whh: np.linalg.matrix_power(Whh, len(a)), Msg(
        "it is missing the ReLU mask: it equals Whh to the power K; multiply row i of each step's "
        "Whh by 1[a_k,i > 0].",
        "ReLU 마스크가 빠졌다. Whh의 K제곱과 같다. 스텝마다 Whh의 i번째 행에 1[a_k,i > 0]을 "
        "곱하라.")),
    Mistake(lambda a, Whh: _product(a, Whh, lambda a_k, W: W * (a_k > 0)[None, :]), Msg(
        "it is masking columns instead of rows: it is diag(mask) @ Whh, not Whh @ diag(mask).",
        "행 대신 열에 마스크를 씌웠다. Whh @ diag(mask)가 아니라 diag(mask) @ Whh이다.")),
]
DONE = Msg("jacobian_product is correct.", "jacobian_product가 맞았다.")


def _cases():
    rng = np.random.default_rng(2015)
    return [(rng.normal(size=(K, H)), rng.normal(size=(H, H))) for K, H in [(4, 3), (6, 5), (1, 3), (1, 1)]]


JACOBIAN_PRODUCT = Exercise("jacobian_product", reference_jacobian_product, _cases, DONE, MISTAKES,
                            arg_names=("a", "Whh"), label=lambda a, Whh: f"jacobian_product (K={len(a)}, H={len(Whh)})")
EXERCISES = [JACOBIAN_PRODUCT]


def check_jacobian_product(fn) -> str:
    """Call the reader's ``fn(a, Whh)`` on a few random problems and explain the first mistake."""
    return JACOBIAN_PRODUCT.check(fn)
