"""rl.to_torch / rl.from_torch: the one place numpy weights go into and come out of nn.RNN, LSTM and GRU."""
import numpy as np
import pytest
import torch

import rnnlib as rl


@pytest.mark.parametrize("kind,gates,n_bias", [("rnn", 1, 1), ("lstm", 4, 1), ("gru", 3, 2)])
def test_round_trip_and_the_numpy_forward_agree(kind, gates, n_bias):
    rng = np.random.default_rng(0)
    D, H, N, T = 3, 4, 2, 5
    w = [rng.standard_normal((gates * H, D)), rng.standard_normal((gates * H, H))] + \
        [rng.standard_normal(gates * H) for _ in range(n_bias)]
    module = rl.to_torch(kind, *w)
    back = rl.from_torch(module)
    assert len(back) == len(w) and all(np.array_equal(a, b) for a, b in zip(back, w))
    x, h0 = rng.standard_normal((N, T, D)), rng.standard_normal((N, H))
    with torch.no_grad():
        state = torch.tensor(h0)[None]
        out, _ = module(torch.tensor(x), (state, torch.zeros_like(state)) if kind == "lstm" else state)
    forward = {"rnn": rl.rnn_forward, "lstm": lambda x, h, *w: rl.lstm_forward(x, h, np.zeros_like(h), *w),
               "gru": rl.gru_forward}[kind]
    hs, _ = forward(x, h0, *w)
    assert rl.rel_error(hs, out.numpy()) < rl.AUTOGRAD_TOL


def test_bidirectional_reverse_direction_and_bad_input():
    torch.manual_seed(0)
    bi = torch.nn.RNN(2, 3, batch_first=True, bidirectional=True)
    Wxh, Whh, b = rl.from_torch(bi, reverse=True)
    assert np.allclose(Wxh, bi.weight_ih_l0_reverse.detach().numpy())
    assert np.allclose(b, (bi.bias_ih_l0_reverse + bi.bias_hh_l0_reverse).detach().numpy())
    with pytest.raises(ValueError, match="kind"):
        rl.to_torch("transformer", Wxh, Whh, b)
    with pytest.raises(ValueError, match="Wx, Wh"):
        rl.to_torch("lstm", Wxh, Whh, b)
    with pytest.raises(ValueError, match="biases"):
        rl.to_torch("gru", np.zeros((9, 2)), np.zeros((9, 3)), np.zeros(9))
    with pytest.raises(ValueError, match="module"):
        rl.from_torch(torch.nn.Linear(2, 3))
