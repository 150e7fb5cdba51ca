"""The exercise of the chapter "LSTM and GRU": the coupled input-forget gate LSTM.

CIFG (Greff et al. 2017) ties the input gate to the forget gate, ``i = 1 - f``::

    [f; g; o] = [sigma; tanh; sigma](Wx x + Wh h_prev + b)      Wx (3H, D), Wh (3H, H), b (3H,)
    c = f * c_prev + (1 - f) * g
    h = o * tanh(c)

``fn(x, h_prev, c_prev, Wx, Wh, b)`` must return ``(h, c)`` (a tuple or a list) for batch-first ``x`` (N, D).
"""
from __future__ import annotations

from dataclasses import replace

import numpy as np

from ..cells import sigmoid
from . import Exercise, Mistake, Msg


def _gates(x, h_prev, Wx, Wh, b):
    H = h_prev.shape[1]
    a = x @ Wx.T + h_prev @ Wh.T + b
    return sigmoid(a[:, :H]), np.tanh(a[:, H:2 * H]), sigmoid(a[:, 2 * H:])


def cifg_lstm_step_reference(x, h_prev, c_prev, Wx, Wh, b):
    """The reference answer (one CIFG step, gates f, g, o)."""
    f, g, o = _gates(x, h_prev, Wx, Wh, b)
    c = f * c_prev + (1.0 - f) * g
    return o * np.tanh(c), c


def _with_c(c_of):
    """A wrong ``c`` (from ``c_of(f, g, c_prev)``) and the ``h`` the same mistake gives."""
    def wrong(x, h_prev, c_prev, Wx, Wh, b):
        f, g, o = _gates(x, h_prev, Wx, Wh, b)
        return c_of(f, g, c_prev)
    return wrong


def _h(h_of):
    def wrong(x, h_prev, c_prev, Wx, Wh, b):
        f, g, o = _gates(x, h_prev, Wx, Wh, b)
        return h_of(o, f * c_prev + (1.0 - f) * g)
    return wrong


MISTAKES = [
    Mistake(lambda *a: cifg_lstm_step_reference(*a)[::-1], Msg(
        "h and c are swapped: return (h, c), the hidden state first.",
        "h와 c가 뒤바뀌었다. 은닉 상태를 먼저 두어 (h, c)를 반환하라.")),
    Mistake(_with_c(lambda f, g, c_prev: (1.0 - f) * c_prev + f * g), Msg(
        "c uses (1 - f) on c_prev and f on g: the forget gate f multiplies the OLD cell c_prev (f = 1 keeps it), "
        "and 1 - f lets the candidate g in.",
        "c에서 c_prev에 (1 - f)를, g에 f를 곱했다. 망각 게이트 f는 '이전' 셀 c_prev에 곱하고(f = 1이면 그대로 "
        "남는다), 1 - f가 후보 g를 들여보낸다."), "c"),
    Mistake(_with_c(lambda f, g, c_prev: f * c_prev + g), Msg(
        "c adds all of g: in the coupled cell the candidate enters as (1 - f) * g.",
        "c에 g를 통째로 더했다. 결합된 셀에서 후보는 (1 - f) * g로 들어간다."), "c"),
    Mistake(_h(lambda o, c: o * c), Msg(
        "h is o * c: the cell goes through tanh before the output gate, h = o * tanh(c).",
        "h가 o * c다. 셀은 출력 게이트 전에 tanh를 거친다: h = o * tanh(c)."), "h"),
    Mistake(_h(lambda o, c: np.tanh(o * c)), Msg(
        "h is tanh(o * c): the output gate multiplies tanh(c), h = o * tanh(c).",
        "h가 tanh(o * c)다. 출력 게이트는 tanh(c)에 곱한다: h = o * tanh(c)."), "h"),
]
DONE = Msg("cifg_lstm_step is correct: h and c match the reference on a random batch.",
           "cifg_lstm_step이 맞았다. 무작위 배치에서 h와 c가 참조 답과 일치한다.")


def _cases(seed):
    rng = np.random.default_rng(seed)
    N, D, H = 3, 4, 5
    return [(rng.standard_normal((N, D)), rng.standard_normal((N, H)), rng.standard_normal((N, H)),
             rng.standard_normal((3 * H, D)), rng.standard_normal((3 * H, H)), rng.standard_normal(3 * H))]


CIFG_LSTM_STEP = Exercise("cifg_lstm_step", cifg_lstm_step_reference, lambda: _cases(0), DONE, MISTAKES,
                          kind="tuple", parts=("h", "c"), arg_names=("x", "h_prev", "c_prev", "Wx", "Wh", "b"))
EXERCISES = [CIFG_LSTM_STEP]


def check_cifg_lstm_step(fn, seed: int = 0) -> str:
    """Run ``fn`` on random float64 inputs and explain the first difference from the reference."""
    return replace(CIFG_LSTM_STEP, cases=lambda: _cases(seed)).check(fn)
