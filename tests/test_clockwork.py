"""The Clockwork RNN: schedule, mask, the torch module and the numpy forward/backward."""
import numpy as np
import pytest
import torch

import rnnlib as rl


# --- schedule --------------------------------------------------------------------------------

def test_schedule_counts_steps_from_one():
    s = rl.clockwork_schedule(8, [1, 2, 4])
    expected = np.array([[1, 0, 0], [1, 1, 0], [1, 0, 0], [1, 1, 1],
                         [1, 0, 0], [1, 1, 0], [1, 0, 0], [1, 1, 1]], dtype=bool)
    assert s.dtype == bool and np.array_equal(s, expected)


def test_schedule_continues_with_t_start():
    whole = rl.clockwork_schedule(12, [1, 3, 4])
    assert np.array_equal(np.concatenate([rl.clockwork_schedule(5, [1, 3, 4]),
                                          rl.clockwork_schedule(7, [1, 3, 4], t_start=6)]), whole)
    # counting from 0 instead fires every module on the first input
    assert rl.clockwork_schedule(1, [1, 2, 4], t_start=0).all()


def test_schedule_each_module_ticks_T_over_period_times():
    s = rl.clockwork_schedule(64, [1, 2, 4, 8, 16])
    assert s.sum(axis=0).tolist() == [64, 32, 16, 8, 4]


@pytest.mark.parametrize("args,words", [
    ((0, [1, 2]), "T"), ((4, []), "periods"), ((4, [1, 0]), r"periods\[1\]"), ((4, [1, 2.0]), r"periods\[1\]"),
    ((4, [1, 2], 1.5), "t_start"),
])
def test_schedule_bad_inputs(args, words):
    with pytest.raises(ValueError, match=words):
        rl.clockwork_schedule(*args)


# --- mask --------------------------------------------------------------------------------------

def test_mask_hand_example_is_block_upper_triangular():
    M = rl.clockwork_mask([2, 1, 1], [1, 2, 4])
    expected = np.array([[1, 1, 1, 1],
                         [1, 1, 1, 1],
                         [0, 0, 1, 1],
                         [0, 0, 0, 1]], dtype=float)
    assert np.array_equal(M, expected)
    # sorted by increasing period: every block below the diagonal blocks is zero
    assert np.all(M[2:, :2] == 0) and np.all(M[3:, 2:3] == 0)


def test_mask_rule_slow_feeds_fast_for_unsorted_and_equal_periods():
    sizes, periods = [1, 2, 1, 1], [4, 1, 2, 2]
    M = rl.clockwork_mask(sizes, periods)
    per = rl.clockwork_unit_periods(sizes, periods)
    module = np.repeat(np.arange(4), sizes)
    for u in range(5):
        for v in range(5):
            assert M[u, v] == float(module[u] == module[v] or per[v] > per[u])
    # two different modules with the same period are not connected (the paper's strict rule)
    assert M[3, 4] == 0 and M[4, 3] == 0


def test_mask_accepts_one_module_size():
    assert np.array_equal(rl.clockwork_mask(3, [1, 2]), rl.clockwork_mask([3, 3], [1, 2]))
    assert rl.clockwork_unit_periods(2, [1, 4]).tolist() == [1, 1, 4, 4]


@pytest.mark.parametrize("sizes,periods,words", [
    ([2, 2], [1, 2, 4], "one size per period"), ([2, 0], [1, 2], r"module_sizes\[1\]"),
    ("ab", [1, 2], "module_sizes"), ([1], -1, "periods"),
])
def test_mask_bad_inputs(sizes, periods, words):
    with pytest.raises(ValueError, match=words):
        rl.clockwork_mask(sizes, periods)


# --- the torch module ----------------------------------------------------------------------------

def _copy_to_numpy(m):
    return [p.detach().numpy().copy() for p in (m.weight_ih, m.weight_hh, m.bias)]


def test_one_module_of_period_one_is_torch_rnn():
    torch.manual_seed(0)
    cw = rl.ClockworkRNN(3, [5], [1])
    rnn = rl.to_torch("rnn", *(w.detach() for w in (cw.weight_ih, cw.weight_hh, cw.bias)), dtype=cw.weight_ih.dtype)
    x, h0 = torch.randn(2, 7, 3), torch.randn(2, 5)
    hs, hT = cw(x, h0)
    ref, refT = rnn(x, h0[None])
    assert rl.rel_error(hs.detach(), ref.detach()) < 1e-12
    assert rl.rel_error(hT.detach(), refT[0].detach()) < 1e-12


def test_resting_modules_copy_their_state():
    torch.manual_seed(1)
    cw = rl.ClockworkRNN(2, [2, 3, 1], [1, 2, 4])
    x, h0 = torch.randn(3, 9, 2), torch.randn(3, 6)
    hs, _ = cw(x, h0)
    prev = torch.cat([h0[:, None], hs[:, :-1]], dim=1)
    s = torch.as_tensor(np.repeat(rl.clockwork_schedule(9, [1, 2, 4]), [2, 3, 1], axis=1))
    assert torch.equal(hs[:, ~s], prev[:, ~s])           # resting units: exactly the previous value
    assert not torch.isclose(hs[:, s], prev[:, s]).all()  # ticking units move


def test_forward_matches_numpy_and_continues_with_t_start():
    torch.manual_seed(2)
    sizes, periods = [2, 2, 1], [1, 3, 5]
    cw = rl.ClockworkRNN(4, sizes, periods)
    x, h0 = torch.randn(2, 11, 4), torch.randn(2, 5)
    hs, hT = cw(x, h0)
    ref, _ = rl.clockwork_forward(x.numpy(), h0.numpy(), *_copy_to_numpy(cw), sizes, periods)
    assert rl.rel_error(hs.detach(), ref) < 1e-12
    a, ha = cw(x[:, :4], h0)
    b, hb = cw(x[:, 4:], ha, t_start=5)
    assert rl.rel_error(torch.cat([a, b], 1).detach(), hs.detach()) < 1e-12
    assert rl.rel_error(hb.detach(), hT.detach()) < 1e-12


def test_masked_weights_get_zero_gradient_and_stay_masked_after_optimiser_steps():
    torch.manual_seed(3)
    cw = rl.ClockworkRNN(2, 3, [1, 2, 4, 8])
    off = cw.mask == 0
    assert off.sum() == 3 * 3 * 6 and torch.all(cw.weight_hh[off] == 0)
    for opt in (torch.optim.SGD(cw.parameters(), lr=0.1, momentum=0.9), torch.optim.Adam(cw.parameters(), lr=0.1)):
        for _ in range(3):
            opt.zero_grad()
            hs, _ = cw(torch.randn(4, 16, 2))
            (hs ** 2).sum().backward()
            assert torch.all(cw.weight_hh.grad[off] == 0)
            assert cw.weight_hh.grad[~off].abs().sum() > 0
            opt.step()
        assert torch.all(cw.weight_hh[off] == 0)
        assert torch.equal(cw.recurrent_matrix(), cw.weight_hh)


def test_masked_entries_cannot_influence_the_output():
    torch.manual_seed(4)
    cw = rl.ClockworkRNN(2, 2, [1, 2, 4])
    x = torch.randn(2, 10, 2)
    before, _ = cw(x)
    with torch.no_grad():
        cw.weight_hh[cw.mask == 0] = 100.0       # e.g. by weight decay or a careless edit
    after, _ = cw(x)
    assert torch.equal(before, after)


@pytest.mark.parametrize("N,T,D,sizes,periods", [
    (2, 9, 3, [2, 2, 1], [1, 2, 4]), (1, 1, 1, [1], [1]), (3, 6, 2, [1, 1], [2, 3]), (1, 17, 2, 2, [1, 2, 4, 8]),
])
def test_numpy_backward_matches_autograd_float64(N, T, D, sizes, periods):
    torch.manual_seed(N * 100 + T)
    cw = rl.ClockworkRNN(D, sizes, periods)
    H = cw.hidden_size
    x = torch.randn(N, T, D, requires_grad=True)
    h0 = torch.randn(N, H, requires_grad=True)
    G = torch.randn(N, T, H)
    hs, _ = cw(x, h0)
    hs.retain_grad()
    (hs * G).sum().backward()
    _, cache = rl.clockwork_forward(x.detach().numpy(), h0.detach().numpy(), *_copy_to_numpy(cw), sizes, periods)
    g = rl.clockwork_backward(G.numpy(), cache)
    assert rl.rel_error(g["x"], x.grad) < rl.AUTOGRAD_TOL
    assert rl.rel_error(g["h0"], h0.grad) < rl.AUTOGRAD_TOL
    assert rl.rel_error(g["Wxh"], cw.weight_ih.grad) < rl.AUTOGRAD_TOL
    assert rl.rel_error(g["Whh"], cw.weight_hh.grad) < rl.AUTOGRAD_TOL
    assert rl.rel_error(g["b"], cw.bias.grad) < rl.AUTOGRAD_TOL


@pytest.mark.parametrize("nonlinearity", ["tanh", "relu", "linear"])
def test_numpy_backward_matches_finite_differences(rng, nonlinearity):
    sizes, periods = [2, 1, 2], [1, 2, 3]
    N, T, D, H = 2, 7, 2, 5
    p = {"x": rng.standard_normal((N, T, D)), "h0": rng.standard_normal((N, H)),
         "Wxh": 0.6 * rng.standard_normal((H, D)), "Whh": 0.6 * rng.standard_normal((H, H)),
         "b": 0.3 + 0.3 * np.abs(rng.standard_normal(H))}
    G = rng.standard_normal((N, T, H))

    def loss():
        hs, _ = rl.clockwork_forward(p["x"], p["h0"], p["Wxh"], p["Whh"], p["b"], sizes, periods, nonlinearity)
        return float(np.sum(hs * G))

    _, cache = rl.clockwork_forward(p["x"], p["h0"], p["Wxh"], p["Whh"], p["b"], sizes, periods, nonlinearity)
    g = rl.clockwork_backward(G, cache)
    for k in p:
        num = rl.numerical_gradient(loss, p[k])
        if k == "Whh":
            assert np.all(num[cache["M"] == 0] == 0)     # masked weights do not move the loss at all
        assert rl.rel_error(g[k], num) < rl.FD_TOL, k


def test_total_derivative_of_states_matches_autograd():
    torch.manual_seed(5)
    sizes, periods = [2, 2], [1, 4]
    cw = rl.ClockworkRNN(1, sizes, periods)
    x, h0 = torch.randn(1, 12, 1), torch.randn(1, 4)
    G = torch.randn(1, 12, 4)
    # autograd's total derivative dL/dh_t: restart the recurrence from h_t (t_start keeps the clock)
    _, cache = rl.clockwork_forward(x.numpy(), h0.numpy(), *_copy_to_numpy(cw), sizes, periods)
    g = rl.clockwork_backward(G.numpy(), cache)
    hs = torch.as_tensor(cache["hs"])
    for k in range(12):
        h_k = hs[:, k].clone().requires_grad_(True)
        loss = (h_k * G[:, k]).sum()
        if k + 1 < 12:
            rest, _ = cw(x[:, k + 1:], h_k, t_start=k + 2)
            loss = loss + (rest * G[:, k + 1:]).sum()
        (grad,) = torch.autograd.grad(loss, h_k)
        assert rl.rel_error(g["hs"][:, k], grad) < rl.AUTOGRAD_TOL


def test_numpy_functions_do_not_modify_inputs(rng):
    args = [rng.standard_normal(s) for s in [(2, 5, 3), (2, 4), (4, 3), (4, 4), (4,)]]
    copies = [a.copy() for a in args]
    hs, cache = rl.clockwork_forward(*args, [2, 2], [1, 2])
    G = rng.standard_normal(hs.shape)
    Gc = G.copy()
    rl.clockwork_backward(G, cache)
    assert all(np.array_equal(a, c) for a, c in zip(args, copies)) and np.array_equal(G, Gc)


def test_bad_inputs_are_named():
    with pytest.raises(ValueError, match="Whh"):
        rl.clockwork_forward(np.zeros((1, 2, 3)), np.zeros((1, 4)), np.zeros((4, 3)), np.zeros((3, 3)), np.zeros(4),
                             [2, 2], [1, 2])
    with pytest.raises(ValueError, match="h0"):
        rl.clockwork_forward(np.zeros((1, 2, 3)), np.zeros((2, 4)), np.zeros((4, 3)), np.zeros((4, 4)), np.zeros(4),
                             [2, 2], [1, 2])
    with pytest.raises(ValueError, match="nonlinearity"):
        rl.ClockworkRNN(2, 2, [1, 2], nonlinearity="sigmoid")
    cw = rl.ClockworkRNN(2, 2, [1, 2])
    with pytest.raises(ValueError, match="x: expected shape"):
        cw(torch.zeros(1, 3, 5))
    with pytest.raises(ValueError, match="h0"):
        cw(torch.zeros(1, 3, 2), torch.zeros(2, 4))
    _, cache = rl.clockwork_forward(np.zeros((1, 2, 2)), np.zeros((1, 4)), np.zeros((4, 2)), np.zeros((4, 4)),
                                    np.zeros(4), 2, [1, 2])
    with pytest.raises(ValueError, match="dhs"):
        rl.clockwork_backward(np.zeros((1, 3, 4)), cache)
