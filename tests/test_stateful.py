"""rnnlib.training.tbptt and rnnlib.tasks.text: the torch "detach every k steps" loop against numpy truncated BPTT, and the stream trainer."""
import numpy as np
import pytest
import torch
from torch import nn

import rnnlib as rl

torch.set_num_threads(1)          # small ops: one thread is faster, and steadier on a shared machine

KEYS = ("x", "h0", "Wxh", "Whh", "b")


def problem(rng, N, T, D, H, nonlinearity="tanh"):
    p = dict(x=rng.standard_normal((N, T, D)), h0=rng.standard_normal((N, H)),
             Wxh=0.6 * rng.standard_normal((H, D)), Whh=0.6 * rng.standard_normal((H, H)),
             b=0.3 * rng.standard_normal(H))
    if nonlinearity == "relu":
        p["b"] = np.abs(p["b"]) + 0.1
    hs, cache = rl.rnn_forward(**p, nonlinearity=nonlinearity)
    return p, cache, rng.standard_normal(hs.shape)


# --- detach_state ---------------------------------------------------------------------------------

def test_detach_state_tensor_tuple_nested_none():
    h = torch.ones(2, 3, requires_grad=True) * 2
    c = torch.zeros(2, 3, requires_grad=True) + 1
    assert rl.detach_state(None) is None
    d = rl.detach_state(h)
    assert not d.requires_grad and torch.equal(d, h) and d.grad_fn is None
    pair = rl.detach_state((h, c))
    assert isinstance(pair, tuple) and all(not t.requires_grad for t in pair)
    nested = rl.detach_state([(h, c), h])
    assert isinstance(nested, list) and isinstance(nested[0], tuple) and not nested[1].requires_grad
    assert h.requires_grad                                      # the input is not changed


def test_detach_state_refuses_other_types():
    with pytest.raises(ValueError, match="state.*tensor.*ndarray"):
        rl.detach_state(np.zeros(3))


def test_detach_state_on_lstm_state_lets_the_loop_run():
    torch.manual_seed(0)
    lstm = nn.LSTM(2, 3, batch_first=True)
    x = torch.randn(2, 6, 2)
    loss, state = rl.backward_in_chunks(lstm, x, None, 2, lambda out, s, e: out.pow(2).sum())
    assert isinstance(state, tuple) and len(state) == 2 and all(not t.requires_grad for t in state)
    assert loss > 0 and all(p.grad is not None for p in lstm.parameters())


# --- the detach loop equals numpy truncated BPTT ------------------------------------------------------

@pytest.mark.parametrize("nonlinearity", ["tanh", "relu"])
@pytest.mark.parametrize("shape,k", [((1, 1, 1, 1), 1), ((2, 6, 3, 4), 2), ((3, 12, 2, 5), 4), ((1, 9, 4, 1), 3),
                                     ((2, 8, 3, 3), 8), ((2, 8, 3, 3), 1)])
def test_truncated_torch_grads_equals_numpy_when_k_divides_T(rng, shape, k, nonlinearity):
    p, cache, G = problem(rng, *shape, nonlinearity=nonlinearity)
    loop = rl.truncated_torch_grads(*(p[key] for key in KEYS), G, k, nonlinearity)
    ours = rl.truncated_rnn_backward(G, cache, k, k)
    for key in KEYS:
        assert loop[key].shape == p[key].shape
        assert rl.rel_error(loop[key], ours[key]) < rl.AUTOGRAD_TOL, key


def test_truncated_torch_grads_last_short_chunk(rng):
    """k not dividing T: the loop is BPTT(k, k) on the first m*k steps plus full BPTT on the rest."""
    p, cache, G = problem(rng, 2, 11, 3, 4)
    hs = cache["hs"]
    loop = rl.truncated_torch_grads(*(p[key] for key in KEYS), G, 4)
    head = rl.truncated_rnn_backward(G[:, :8], rl.rnn_forward(p["x"][:, :8], p["h0"], p["Wxh"], p["Whh"], p["b"])[1],
                                     4, 4)
    tail = rl.rnn_backward(G[:, 8:], rl.rnn_forward(p["x"][:, 8:], hs[:, 7], p["Wxh"], p["Whh"], p["b"])[1])
    for key in ("Wxh", "Whh", "b"):
        assert rl.rel_error(loop[key], head[key] + tail[key]) < rl.AUTOGRAD_TOL, key
    assert rl.rel_error(loop["x"][:, 8:], tail["x"]) < rl.AUTOGRAD_TOL
    assert rl.rel_error(loop["Whh"], rl.truncated_rnn_backward(G, cache, 4, 4)["Whh"]) > 1e-3


def test_k_at_least_T_is_full_bptt(rng):
    p, cache, G = problem(rng, 2, 5, 3, 4)
    full = rl.rnn_backward(G, cache)
    for k in (5, 50):
        loop = rl.truncated_torch_grads(*(p[key] for key in KEYS), G, k)
        for key in KEYS:
            assert rl.rel_error(loop[key], full[key]) < rl.AUTOGRAD_TOL, key


def test_truncated_torch_grads_does_not_modify_inputs(rng):
    p, cache, G = problem(rng, 2, 6, 3, 4)
    before = {key: v.copy() for key, v in p.items()}
    G_before = G.copy()
    rl.truncated_torch_grads(*(p[key] for key in KEYS), G, 3)
    for key in KEYS:
        np.testing.assert_array_equal(p[key], before[key])
    np.testing.assert_array_equal(G, G_before)


def test_truncated_torch_grads_bad_arguments(rng):
    p, cache, G = problem(rng, 1, 4, 2, 3)
    with pytest.raises(ValueError, match="nonlinearity.*linear"):
        rl.truncated_torch_grads(*(p[key] for key in KEYS), G, 2, "linear")
    with pytest.raises(ValueError, match="nonlinearity.*sigmoid"):
        rl.truncated_torch_grads(*(p[key] for key in KEYS), G, 2, "sigmoid")
    with pytest.raises(ValueError, match="k.*positive"):
        rl.truncated_torch_grads(*(p[key] for key in KEYS), G, 0)


def test_backward_in_chunks_skips_chunks_without_loss_and_reports_chunks():
    torch.manual_seed(0)
    rnn = nn.RNN(2, 3, batch_first=True)
    x = torch.randn(2, 7, 2, requires_grad=True)
    seen = []
    loss, _ = rl.backward_in_chunks(rnn, x, None, 3, lambda out, s, e: out.sum() if e == 7 else None,
                                    after_chunk=lambda s, e: seen.append((s, e)))
    assert seen == [(0, 3), (3, 6), (6, 7)]
    assert torch.all(x.grad[:, :6] == 0) and torch.any(x.grad[:, 6] != 0)   # the window of the last chunk only
    with pytest.raises(ValueError, match="x.*3-D"):
        rl.backward_in_chunks(rnn, torch.zeros(7, 2), None, 3, lambda out, s, e: None)


# --- stateful training on a stream ------------------------------------------------------------------

def test_batchify_rows_are_contiguous_and_bad_input():
    data = rl.batchify(list(range(23)), 4)
    assert data.shape == (4, 5) and data.dtype == torch.long
    assert data[1].tolist() == [5, 6, 7, 8, 9]
    with pytest.raises(ValueError, match="ids.*1-D"):
        rl.batchify(np.zeros((2, 3), dtype=int), 2)
    with pytest.raises(ValueError, match="ids.*at least"):
        rl.batchify([1, 2, 3], 2)
    with pytest.raises(ValueError, match="batch_size"):
        rl.batchify([1, 2, 3], 0)


def test_stateful_char_rnn_is_the_notation_recurrence():
    """With one-hot input, the first hidden state is tanh(W_xh[:, c] + b)."""
    torch.manual_seed(0)
    m = rl.StatefulCharRNN(5, 3)
    logits, state = m(torch.tensor([[2, 4]]))
    assert logits.shape == (1, 2, 5) and state.shape == (1, 1, 3)
    r = m.rnn
    h1 = torch.tanh(r.weight_ih_l0[:, 2] + r.bias_ih_l0 + r.bias_hh_l0)
    assert torch.allclose(m.readout(h1), logits[0, 0], atol=1e-6)


def test_train_stateful_learns_a_periodic_stream_and_is_deterministic():
    stream = rl.batchify(([0, 1, 2, 3, 4, 5] * 40), 4)           # period 6, longer than k = 2
    runs = []
    for _ in range(2):
        torch.manual_seed(0)
        m = rl.StatefulCharRNN(6, 16)
        runs.append(rl.train_stateful(m, stream, k=2, steps=80, lr=3e-2, seed=0)["loss"])
    assert runs[0] == runs[1]
    assert np.mean(runs[0][:10]) > 1.5 and np.mean(runs[0][-20:]) < 0.2
    out = rl.sample_chars(m, [0, 1], 8, temperature=0.5, seed=0)
    assert out == [2, 3, 4, 5, 0, 1, 2, 3]


@pytest.mark.parametrize("carry", [True, False])
def test_train_stateful_is_the_canonical_loop(carry):
    """Replay train_stateful by hand: zero_grad, detach (or reset), forward, loss, backward, clip, step,
    with the state carried along the rows and restarted at the end of the stream."""
    stream = rl.batchify([0, 1, 2, 1, 3, 0, 2] * 6, 3)              # rows of 14: 5 updates of k = 3, then wrap
    torch.manual_seed(0)
    m = rl.StatefulCharRNN(4, 5)
    torch.manual_seed(0)
    ref = rl.StatefulCharRNN(4, 5)
    got = rl.train_stateful(m, stream, k=3, steps=7, lr=1e-2, clip_norm=0.5, carry_state=carry, seed=0)["loss"]
    opt = torch.optim.Adam(ref.parameters(), lr=1e-2)
    expected, state, s = [], None, 0
    for _ in range(7):
        if s + 1 >= stream.shape[1]:
            state, s = None, 0
        e = min(s + 3, stream.shape[1] - 1)
        opt.zero_grad()
        state = rl.detach_state(state) if carry else None
        logits, state = ref(stream[:, s:e], state)
        loss = nn.functional.cross_entropy(logits.reshape(-1, 4), stream[:, s + 1:e + 1].reshape(-1))
        loss.backward()
        nn.utils.clip_grad_norm_(ref.parameters(), 0.5)
        opt.step()
        expected.append(float(loss.detach()))
        s = e
    assert got == pytest.approx(expected, rel=1e-12, abs=1e-12)
    for a, b in zip(m.parameters(), ref.parameters()):
        assert torch.equal(a, b)


def test_train_stateful_and_sample_bad_arguments():
    m = rl.StatefulCharRNN(4, 3)
    data = rl.batchify([0, 1, 2, 3] * 4, 2)
    with pytest.raises(ValueError, match="k"):
        rl.train_stateful(m, data, k=0, steps=1)
    with pytest.raises(ValueError, match="data.*(N, L)"):
        rl.train_stateful(m, data[0], k=2, steps=1)
    with pytest.raises(ValueError, match="temperature"):
        rl.sample_chars(m, [0], 3, temperature=0)
    with pytest.raises(ValueError, match="prime"):
        rl.sample_chars(m, [], 3)
    with pytest.raises(ValueError, match="vocab_size"):
        rl.StatefulCharRNN(0, 3)
