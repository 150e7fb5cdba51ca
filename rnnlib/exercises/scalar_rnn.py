"""The exercise of "The scalar tanh RNN": dy/dh_k for every k.

The reader writes ``dy_dh_all(a, b, c, d, x, h0)`` for the scalar model
``h_t = tanh(a h_{t-1} + b x_t + c)``, ``y = d h_T + e`` (numbers ``a, b, c, d, h0`` and a 1-D
array ``x`` of length T). It returns a length-T array whose entry ``k - 1`` is dy/dh_k::

    dy/dh_k = d * prod_{t=k+1}^{T} a (1 - h_t^2)       (eq-scalar-product, started at step k)

so the last entry is ``d`` (an empty product) and the first is dy/dh_1.
"""
from __future__ import annotations

from dataclasses import replace

import numpy as np

from . import Exercise, Mistake, Msg


def _states(a, b, c, x, h0):
    hs, h = np.empty(len(x)), h0
    for t, xt in enumerate(x):
        h = np.tanh(a * h + b * xt + c)
        hs[t] = h
    return hs


def reference_dy_dh_all(a, b, c, d, x, h0=0.0) -> np.ndarray:
    """The reference answer: one backward sweep, each step multiplying by a (1 - h_t^2)."""
    hs = _states(a, b, c, np.asarray(x, dtype=float), h0)
    g = np.empty(len(hs))
    g[-1] = d                                        # dy/dh_T
    for k in range(len(hs) - 2, -1, -1):             # 0-based k holds dy/dh_{k+1}
        g[k] = g[k + 1] * a * (1.0 - hs[k + 1] ** 2)
    return g


def _after(factor, start_d=True):
    """A wrong answer built like the right one, with the step factor ``factor(a, b, c, d, x, h0, hs, h_prev)``."""
    def wrong(a, b, c, d, x, h0):
        hs = _states(a, b, c, x, h0)
        f = factor(a, b, c, x, hs, np.concatenate([[h0], hs[:-1]]))
        return (d if start_d else 1.0) * np.array([np.prod(f[i + 1:]) for i in range(len(x))])
    return wrong


def _including_step_k(a, b, c, d, x, h0):
    right = a * (1.0 - _states(a, b, c, x, h0) ** 2)
    return d * np.array([np.prod(right[i:]) for i in range(len(x))])


MISTAKES = [
    Mistake(lambda *args: reference_dy_dh_all(*args)[::-1], Msg(
        "The array is reversed: entry k-1 must be dy/dh_k, so the LAST entry is d (h_T feeds y directly) and "
        "the first is dy/dh_1.",
        "배열이 거꾸로다. k-1번째 원소가 dy/dh_k여야 하므로 마지막 원소가 d(h_T는 y로 바로 들어간다)이고 "
        "첫 원소가 dy/dh_1이다.")),
    Mistake(_including_step_k, Msg(
        "Each product includes the factor of step k itself: dh_k/dh_k = 1, so the product for dy/dh_k runs over "
        "t = k+1 .. T only.",
        "곱마다 스텝 k 자신의 인수가 들어갔다. dh_k/dh_k = 1이므로 dy/dh_k의 곱은 t = k+1 .. T에 대해서만 "
        "취한다.")),
    Mistake(_after(lambda a, b, c, x, hs, hp: a * (1.0 - hp ** 2)), Msg(
        "The tanh' factor comes from the wrong step: dh_t/dh_(t-1) = a (1 - h_t^2) uses the NEW state h_t.",
        "tanh' 인수를 엉뚱한 스텝에서 가져왔다. dh_t/dh_(t-1) = a (1 - h_t^2)에는 '새' 상태 h_t가 들어간다.")),
    Mistake(_after(lambda a, b, c, x, hs, hp: a * (1.0 - (a * hp + b * x + c) ** 2)), Msg(
        "tanh' is evaluated with the pre-activation: tanh'(z_t) = 1 - tanh(z_t)^2 = 1 - h_t^2, not 1 - z_t^2.",
        "tanh'을 활성화 전 값으로 계산했다. tanh'(z_t) = 1 - tanh(z_t)^2 = 1 - h_t^2이지, 1 - z_t^2이 아니다.")),
    Mistake(_after(lambda a, b, c, x, hs, hp: 1.0 - hs ** 2), Msg(
        "The factor a is missing: dh_t/dh_(t-1) = a * tanh'(z_t).",
        "인수 a가 빠졌다. dh_t/dh_(t-1) = a * tanh'(z_t)이다.")),
    Mistake(_after(lambda a, b, c, x, hs, hp: a * (1.0 - hs) ** 2), Msg(
        "tanh' is wrong: it is 1 - h_t^2 (square, then 1 minus), not (1 - h_t)^2.",
        "tanh'이 틀렸다. (1 - h_t)^2이 아니라 1 - h_t^2이다(제곱한 다음 1에서 뺀다).")),
    Mistake(_after(lambda a, b, c, x, hs, hp: a * (1.0 - hs ** 2), start_d=False), Msg(
        "The read-out weight d is missing: dy/dh_T = d.", "출력 가중치 d가 빠졌다. dy/dh_T = d이다.")),
]
DONE = Msg("dy_dh_all is correct on three random models (T = 6, 1 and 15).",
           "dy_dh_all이 맞았다. 무작위 모델 세 개(T = 6, 1, 15)에서 확인했다.")


def _cases(seed):
    rng = np.random.default_rng(seed)
    out = []
    for T in (6, 1, 15):
        a, b, c, d = 1.5 * rng.standard_normal(4)
        h0 = float(np.tanh(rng.standard_normal()))
        out.append((float(a), float(b), float(c), float(d), rng.standard_normal(T), h0))
    return out


DY_DH_ALL = Exercise("dy_dh_all", reference_dy_dh_all, lambda: _cases(0), DONE, MISTAKES,
                     arg_names=("a", "b", "c", "d", "x", "h0"))
EXERCISES = [DY_DH_ALL]


def check_dy_dh_all(fn, seed: int = 0) -> str:
    """Run the reader's ``fn(a, b, c, d, x, h0)`` on random models (T = 1 included) and compare."""
    return replace(DY_DH_ALL, cases=lambda: _cases(seed)).check(fn)
