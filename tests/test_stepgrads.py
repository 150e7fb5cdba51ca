import numpy as np
import pytest
import torch

import rnnlib as rl


@pytest.mark.parametrize("nonlinearity", ["tanh", "relu"])
@pytest.mark.parametrize("N,T,D,H", [(1, 1, 1, 1), (3, 7, 2, 5), (2, 20, 6, 4)])
def test_total_state_grads_match_an_explicit_autograd_loop(nonlinearity, N, T, D, H):
    torch.manual_seed(0)
    rnn = torch.nn.RNN(D, H, nonlinearity=nonlinearity, batch_first=True).double()
    x, G = torch.randn(N, T, D, dtype=torch.float64), torch.randn(N, T, H, dtype=torch.float64)
    G[:, : T // 2] = 0                                      # some steps with no direct loss
    out, _ = rnn(x)
    out.retain_grad()
    (out * G).sum().backward()
    fast = rl.total_state_grads(rnn, out, out.grad)
    # reference: the same recurrence unrolled by hand, retain_grad on every state
    h, hs = torch.zeros(N, H, dtype=torch.float64), []
    act = torch.tanh if nonlinearity == "tanh" else torch.relu
    for t in range(T):
        h = act(x[:, t] @ rnn.weight_ih_l0.T + rnn.bias_ih_l0 + h @ rnn.weight_hh_l0.T + rnn.bias_hh_l0)
        h.retain_grad()
        hs.append(h)
    (torch.stack(hs, 1) * G).sum().backward()
    ref = torch.stack([h.grad for h in hs], 1).numpy()
    assert rl.rel_error(fast, ref) < rl.AUTOGRAD_TOL


def test_total_state_grads_bad_input():
    rnn = torch.nn.RNN(2, 3, batch_first=True)
    out = torch.zeros(1, 4, 3)
    with pytest.raises(ValueError, match="direct.*retain_grad"):
        rl.total_state_grads(rnn, out, None)
    with pytest.raises(ValueError, match="out"):
        rl.total_state_grads(rnn, torch.zeros(1, 4, 5), torch.zeros(1, 4, 5))
    with pytest.raises(ValueError, match="rnn"):
        rl.total_state_grads(torch.nn.RNN(2, 3, num_layers=2, batch_first=True), out, out)
