"""rnnlib.tools.timing and rnnlib.training.probes: timing, log-log slopes, cache bytes and the bytes autograd saves for backward."""
import time

import numpy as np
import pytest
import torch
from torch import nn

import rnnlib as rl

torch.set_num_threads(1)


def test_best_time_is_the_minimum_and_validates_repeat():
    calls = []
    durations = iter([0.03, 0.01, 0.02])

    def fake_clock():
        calls.append(1)
        return float(len(calls))          # every call advances the clock by one "second"

    assert rl.best_time(lambda: None, repeat=3, clock=fake_clock) == 1.0
    assert len(calls) == 6
    assert rl.best_time(lambda: time.sleep(next(durations)), repeat=3, clock=time.perf_counter) >= 0.009
    for bad in (0, -1, 1.5, True):
        with pytest.raises(ValueError, match="repeat"):
            rl.best_time(lambda: None, repeat=bad)


def test_loglog_slope_of_power_laws_and_bad_input():
    x = np.array([10.0, 20, 40, 80])
    assert rl.loglog_slope(x, 3 * x) == pytest.approx(1.0)
    assert rl.loglog_slope(x, 0.5 * x ** 2) == pytest.approx(2.0)
    assert rl.loglog_slope(x, np.full(4, 7.0)) == pytest.approx(0.0, abs=1e-12)
    with pytest.raises(ValueError, match="same length"):
        rl.loglog_slope([1, 2], [1, 2, 3])
    with pytest.raises(ValueError, match="positive"):
        rl.loglog_slope([1, 2], [0, 1])


@pytest.mark.parametrize("N,T,D,H", [(1, 1, 1, 1), (2, 7, 3, 4), (3, 20, 5, 2)])
def test_cache_nbytes_formula(N, T, D, H):
    rng = np.random.default_rng(0)
    _, cache = rl.rnn_forward(rng.standard_normal((N, T, D)), np.zeros((N, H)), rng.standard_normal((H, D)),
                              rng.standard_normal((H, H)), np.zeros(H))
    assert rl.cache_nbytes(cache) == 8 * (N * T * D + N * H + H * D + H * H + H + N * T * H)


def test_saved_tensor_bytes_linear_in_T_and_counts_each_storage_once():
    torch.manual_seed(0)
    rnn = nn.RNN(3, 8, batch_first=True)
    sizes = []
    for T in (10, 20, 40):
        with rl.SavedTensorBytes() as meter:
            out, _ = rnn(torch.randn(4, T, 3))
            loss = out.sum()
        loss.backward()
        sizes.append(meter.nbytes)
    assert sizes[2] - sizes[1] == 2 * (sizes[1] - sizes[0]) > 0      # exactly linear in T
    w = torch.randn(5, 5, requires_grad=True)
    with rl.SavedTensorBytes() as meter:
        y = torch.ones(1, 5)
        for _ in range(6):
            y = y @ w                                               # w is saved by every product
    assert meter.nbytes >= w.numel() * 8 and meter.nbytes < 2 * w.numel() * 8 + 7 * 5 * 8


def test_saved_tensor_bytes_checkpoint_gives_the_largest_chunk():
    w = torch.randn(4, 4, requires_grad=True)
    meter = rl.SavedTensorBytes()
    counts = []
    with meter:
        for n in (3, 1, 2):
            x = torch.randn(n * 10, 4)
            (torch.tanh(x @ w)).sum().backward()
            counts.append(meter.checkpoint())
    assert counts[0] > counts[2] > counts[1] > 0
    assert meter.peak == counts[0] and meter.nbytes == 0
