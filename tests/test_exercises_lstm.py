"""The checker of the chapter "LSTM and GRU" accepts the reference and explains typical mistakes."""
import numpy as np
import pytest

from rnnlib.cells import sigmoid
from rnnlib.exercises import ExerciseError
from rnnlib.exercises.lstm_gru import _gates as gates
from rnnlib.exercises.lstm_gru import check_cifg_lstm_step, cifg_lstm_step_reference


def swapped_gates(x, h_prev, c_prev, Wx, Wh, b):
    f, g, o = gates(x, h_prev, Wx, Wh, b)
    c = (1 - f) * c_prev + f * g
    return o * np.tanh(c), c


def no_tanh(x, h_prev, c_prev, Wx, Wh, b):
    f, g, o = gates(x, h_prev, Wx, Wh, b)
    c = f * c_prev + (1 - f) * g
    return o * c, c


def uncoupled(x, h_prev, c_prev, Wx, Wh, b):
    f, g, o = gates(x, h_prev, Wx, Wh, b)
    c = f * c_prev + g
    return o * np.tanh(c), c


def tanh_outside(x, h_prev, c_prev, Wx, Wh, b):
    f, g, o = gates(x, h_prev, Wx, Wh, b)
    c = f * c_prev + (1 - f) * g
    return np.tanh(o * c), c


def returns_c_h(*args):
    h, c = cifg_lstm_step_reference(*args)
    return c, h


def in_place(x, h_prev, c_prev, Wx, Wh, b):
    f, g, o = gates(x, h_prev, Wx, Wh, b)
    c_prev *= f
    c_prev += (1 - f) * g
    return o * np.tanh(c_prev), c_prev


def wrong_gate_order(x, h_prev, c_prev, Wx, Wh, b):
    H = h_prev.shape[1]
    a = x @ Wx.T + h_prev @ Wh.T + b
    g, f, o = np.tanh(a[:, :H]), sigmoid(a[:, H:2 * H]), sigmoid(a[:, 2 * H:])
    c = f * c_prev + (1 - f) * g
    return o * np.tanh(c), c


def test_reference_is_accepted():
    assert "correct" in check_cifg_lstm_step(cifg_lstm_step_reference)


@pytest.mark.parametrize("fn,words", [
    (swapped_gates, "OLD cell"), (no_tanh, "through tanh"), (uncoupled, "(1 - f) * g"),
    (tanh_outside, "multiplies tanh(c)"), (returns_c_h, "swapped"), (in_place, "in place"),
    (lambda *a: None, "None"), (lambda *a: cifg_lstm_step_reference(*a)[0], "2 results"),
    (wrong_gate_order, "differs from the expected answer"),
    (lambda *a: (cifg_lstm_step_reference(*a)[0].T, cifg_lstm_step_reference(*a)[1]), "h has shape (5, 3)"),
])
def test_typical_mistakes_are_explained(fn, words):
    with pytest.raises(ExerciseError) as info:
        check_cifg_lstm_step(fn)
    assert words in str(info.value), str(info.value)
