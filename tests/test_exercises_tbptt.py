"""The checkers of the truncated-BPTT chapter accept the reference answers and name the usual mistakes."""
import numpy as np
import pytest

import rnnlib as rl
from rnnlib.exercises import ExerciseError
from rnnlib.exercises import truncated_bptt as ex


def test_check_windows_accepts_the_truth():
    assert "correct" in ex.check_windows([(1, 2, 1), (3, 4, 1), (5, 6, 3), (7, 7, 4)], 7, 2, 4)
    assert "correct" in ex.check_windows(rl.truncation_windows(10, 3, 5), 10, 3, 5)


@pytest.mark.parametrize("answer,words", [
    ([(1, 2, 1), (3, 4, 3), (5, 6, 5), (7, 7, 7)], ["chunk 2", "window start at step 1", "own start"]),
    ([(1, 2, 1), (3, 4, 1), (5, 6, 3)], ["4 chunks", "listed 3"]),
    ([(1, 2, 1), (3, 5, 1), (6, 6, 3), (7, 7, 4)], ["chunk 2 covers steps 3..4"]),
    ([(1, 2, 1), (3, 4, 1), (5, 6, 2), (7, 7, 4)], ["chunk 3", "max(1, tau - k2 + 1)"]),
    (None, ["None"]), ([(1, 2)], ["triple"]),
])
def test_check_windows_names_the_mistake(answer, words):
    with pytest.raises(ExerciseError) as info:
        ex.check_windows(answer, 7, 2, 4)
    for w in words:
        assert w in str(info.value), (w, str(info.value))


def chunked_bptt(x, h0, Wxh, Whh, b, dhs, k, carry=True, accumulate=True, stop=True):
    grads = {"Wxh": np.zeros_like(Wxh), "Whh": np.zeros_like(Whh), "b": np.zeros_like(b)}
    if not stop:
        g = rl.rnn_backward(dhs, rl.rnn_forward(x, h0, Wxh, Whh, b)[1])
        return {key: g[key] for key in grads}
    h = h0
    for s in range(0, x.shape[1], k):
        hs, cache = rl.rnn_forward(x[:, s:s + k], h if carry else h0, Wxh, Whh, b)
        g = rl.rnn_backward(dhs[:, s:s + k], cache)
        for key in grads:
            grads[key] = grads[key] + g[key] if accumulate else g[key]
        h = hs[:, -1]
    return grads


def test_check_chunked_bptt_accepts_the_reference():
    assert "correct" in ex.check_chunked_bptt(chunked_bptt)


@pytest.mark.parametrize("kwargs,words", [
    (dict(carry=False), ["starts from h0", "carry the state"]),
    (dict(accumulate=False), ["only the last chunk", "+="]),
    (dict(stop=False), ["full BPTT gradient"]),
])
def test_check_chunked_bptt_names_the_mistake(kwargs, words):
    with pytest.raises(ExerciseError) as info:
        ex.check_chunked_bptt(lambda *a: chunked_bptt(*a, **kwargs))
    for w in words:
        assert w in str(info.value), (w, str(info.value))


def test_check_chunked_bptt_shape_and_none():
    with pytest.raises(ExerciseError, match="None"):
        ex.check_chunked_bptt(lambda *a: None)
    with pytest.raises(ExerciseError, match="keys"):
        ex.check_chunked_bptt(lambda *a: {"Whh": 0})
    with pytest.raises(ExerciseError, match="transpose"):
        ex.check_chunked_bptt(lambda *a: {**chunked_bptt(*a), "Whh": chunked_bptt(*a)["Whh"].T})


def backward_steps(T, k1, k2):
    k1, k2 = min(k1, T), min(k2, T)
    taus = list(range(k1, T + 1, k1))
    if taus[-1] != T:
        taus.append(T)
    return sum(min(k2, tau) for tau in taus)


def test_check_backward_steps():
    assert "correct" in ex.check_backward_steps(backward_steps)
    with pytest.raises(ExerciseError, match="estimate T k2 / k1"):
        ex.check_backward_steps(lambda T, k1, k2: T * min(k2, T) / min(k1, T))
    with pytest.raises(ExerciseError, match="None"):
        ex.check_backward_steps(lambda T, k1, k2: None)
    with pytest.raises(ExerciseError, match="T = 5, k1 = 2, k2 = 3: you returned 5, expected 8"):   # forgets the short last chunk
        ex.check_backward_steps(lambda T, k1, k2: sum(min(k2, tau) for tau in range(k1, T + 1, k1)))
