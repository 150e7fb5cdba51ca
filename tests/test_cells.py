"""rnnlib's numpy LSTM and GRU against torch.nn.LSTM / torch.nn.GRU (float64), finite differences,
the step functions, carrying the state across chunks, and bad inputs."""
import json
import pathlib
import re

import numpy as np
import pytest
import torch

import rnnlib as rl
from rnnlib import cells

SHAPES = [  # (N, T, D, H): N = 1, T = 1, H = 1, D != H, D == H, and a longer sequence
    (1, 1, 1, 1), (1, 5, 3, 4), (3, 1, 2, 5), (2, 7, 5, 3), (4, 12, 6, 6), (2, 25, 3, 1),
]
KINDS = {"lstm": (torch.nn.LSTM, torch.nn.LSTMCell), "gru": (torch.nn.GRU, torch.nn.GRUCell)}


def torch_module(kind, D, H, seed):
    torch.manual_seed(seed)
    seq, cell = KINDS[kind]
    m, c = seq(D, H, batch_first=True).double(), cell(D, H).double()
    with torch.no_grad():                                    # perturb the biases: both matter
        for p in m.parameters():
            p.add_(0.3 * torch.randn_like(p))
        c.load_state_dict({k[:-3]: v for k, v in m.state_dict().items()})
    return m, c


def numpy_params(kind, m):
    names = ("Wx", "Wh", "b") if kind == "lstm" else ("Wx", "Wh", "bx", "bh")   # LSTM: the effective bias
    return dict(zip(names, rl.from_torch(m)))


def run(kind, p, states):
    if kind == "lstm":
        return rl.lstm_forward(p["x"], *states, p["Wx"], p["Wh"], p["b"])
    return rl.gru_forward(p["x"], *states, p["Wx"], p["Wh"], p["bx"], p["bh"])


def backward(kind, G, cache):
    return (rl.lstm_backward if kind == "lstm" else rl.gru_backward)(G, cache)


@pytest.mark.parametrize("kind", ["lstm", "gru"])
@pytest.mark.parametrize("shape", SHAPES)
def test_matches_torch_modules_outputs_and_every_gradient(rng, kind, shape):
    N, T, D, H = shape
    m, cell = torch_module(kind, D, H, seed=sum(shape))
    x = rng.standard_normal((N, T, D))
    states = [rng.standard_normal((N, H)) for _ in range(2 if kind == "lstm" else 1)]
    p = dict(x=x, **numpy_params(kind, m))
    hs, cache = run(kind, p, states)
    G = rng.standard_normal(hs.shape)                       # a random upstream gradient, not a sum
    grads = backward(kind, G, cache)

    # the fused module: outputs, final state, and the gradients of inputs and weights
    xt = torch.tensor(x, requires_grad=True)
    st = [torch.tensor(s[None], requires_grad=True) for s in states]
    out, final = m(xt, tuple(st) if kind == "lstm" else st[0])
    (out * torch.tensor(G)).sum().backward()
    assert rl.rel_error(hs, out.detach().numpy()) < rl.AUTOGRAD_TOL
    if kind == "lstm":
        assert rl.rel_error(cache["cs"][:, -1], final[1][0].detach().numpy()) < rl.AUTOGRAD_TOL
        assert rl.rel_error(hs[:, -1], final[0][0].detach().numpy()) < rl.AUTOGRAD_TOL
    expected = {"x": xt.grad.numpy(), "h0": st[0].grad[0].numpy(),
                "Wx": m.weight_ih_l0.grad.numpy(), "Wh": m.weight_hh_l0.grad.numpy()}
    if kind == "lstm":
        expected.update(c0=st[1].grad[0].numpy(), b=m.bias_ih_l0.grad.numpy())
        assert rl.rel_error(m.bias_hh_l0.grad.numpy(), expected["b"]) < 1e-12   # d/d(bias_ih) = d/d(bias_hh)
    else:
        expected.update(bx=m.bias_ih_l0.grad.numpy(), bh=m.bias_hh_l0.grad.numpy())
    for k, v in expected.items():
        assert grads[k].shape == v.shape, k
        assert rl.rel_error(grads[k], v) < rl.AUTOGRAD_TOL, k

    # the total derivatives dL/dh_t (and dL/dc_t): a step-by-step loop of torch's cell
    h = [torch.tensor(s) for s in states]
    hs_t, cs_t = [], []
    for t in range(T):
        h = cell(torch.tensor(x[:, t]), tuple(h) if kind == "lstm" else h[0])
        h = list(h) if kind == "lstm" else [h]
        for v in h:
            v.retain_grad()
        hs_t.append(h[0])
        cs_t.append(h[-1])
    (torch.stack(hs_t, 1) * torch.tensor(G)).sum().backward()
    assert rl.rel_error(grads["hs"], torch.stack([v.grad for v in hs_t], 1).numpy()) < rl.AUTOGRAD_TOL
    if kind == "lstm":
        assert rl.rel_error(grads["cs"], torch.stack([v.grad for v in cs_t], 1).numpy()) < rl.AUTOGRAD_TOL


def fd_problem(kind, seed=5, N=2, T=4, D=3, H=3):
    rng = np.random.default_rng(seed)
    k = 4 if kind == "lstm" else 3
    p = dict(x=rng.standard_normal((N, T, D)), Wx=0.6 * rng.standard_normal((k * H, D)),
             Wh=0.6 * rng.standard_normal((k * H, H)))
    if kind == "lstm":
        p["b"] = 0.5 * rng.standard_normal(k * H)
        states = dict(h0=rng.standard_normal((N, H)), c0=rng.standard_normal((N, H)))
    else:
        p.update(bx=0.5 * rng.standard_normal(k * H), bh=0.5 * rng.standard_normal(k * H))
        states = dict(h0=rng.standard_normal((N, H)))
    return p, states, rng.standard_normal((N, T, H))


@pytest.mark.parametrize("kind", ["lstm", "gru"])
def test_backward_matches_finite_differences(kind):
    p, states, G = fd_problem(kind)
    both = {**p, **states}

    def loss():
        hs, _ = run(kind, p, list(states.values()))
        return float(np.sum(hs * G))

    hs, cache = run(kind, p, list(states.values()))
    grads = backward(kind, G, cache)
    for k, v in both.items():
        assert rl.rel_error(grads[k], rl.numerical_gradient(loss, v)) < rl.FD_TOL, k

    # the total derivatives: perturb h_t (or c_t) and restart the forward pass from that state
    N, T, H = hs.shape
    keys = ["hs", "cs"] if kind == "lstm" else ["hs"]
    for t in range(T):
        start = [hs[:, t].copy()] + ([cache["cs"][:, t].copy()] if kind == "lstm" else [])
        for j, key in enumerate(keys):
            def loss_from_t():
                h_t = start[0]
                if key == "cs":                                  # c_t also reaches the loss through h_t
                    h_t = cache["steps"][t]["o"] * np.tanh(start[1])
                direct = float(np.sum(h_t * G[:, t]))
                if t + 1 == T:
                    return direct
                rest, _ = run(kind, {**p, "x": p["x"][:, t + 1:]}, [h_t] + start[1:])
                return direct + float(np.sum(rest * G[:, t + 1:]))
            assert rl.rel_error(grads[key][:, t], rl.numerical_gradient(loss_from_t, start[j])) < rl.FD_TOL


def test_step_functions_are_one_step_of_the_sequence(rng):
    p, states, G = fd_problem("lstm")
    h, c, step = rl.lstm_step_forward(p["x"][:, 0], states["h0"], states["c0"], p["Wx"], p["Wh"], p["b"])
    hs, cache = rl.lstm_forward(p["x"][:, :1], states["h0"], states["c0"], p["Wx"], p["Wh"], p["b"])
    assert np.array_equal(h, hs[:, 0]) and np.array_equal(c, cache["cs"][:, 0])
    g = rl.lstm_step_backward(G[:, 0], np.zeros_like(c), step)
    full = rl.lstm_backward(G[:, :1], cache)
    for a, b in [("x", "x"), ("h_prev", "h0"), ("c_prev", "c0"), ("Wx", "Wx"), ("Wh", "Wh"), ("b", "b")]:
        got = g[a] if b != "x" else g[a][:, None]
        assert rl.rel_error(got, full[b]) == 0.0, a
    p, states, G = fd_problem("gru")
    h, step = rl.gru_step_forward(p["x"][:, 0], states["h0"], p["Wx"], p["Wh"], p["bx"], p["bh"])
    hs, cache = rl.gru_forward(p["x"][:, :1], states["h0"], p["Wx"], p["Wh"], p["bx"], p["bh"])
    assert np.array_equal(h, hs[:, 0])
    assert rl.rel_error(rl.gru_step_backward(G[:, 0], step)["h_prev"], rl.gru_backward(G[:, :1], cache)["h0"]) == 0


def test_lstm_state_carries_across_chunks():
    """cache['cs'] holds the cell states: (h_T, c_T) of one chunk starts the next one exactly."""
    p, states, _ = fd_problem("lstm", T=9)
    hs, cache = rl.lstm_forward(p["x"], states["h0"], states["c0"], p["Wx"], p["Wh"], p["b"])
    a, ca = rl.lstm_forward(p["x"][:, :4], states["h0"], states["c0"], p["Wx"], p["Wh"], p["b"])
    b, cb = rl.lstm_forward(p["x"][:, 4:], a[:, -1], ca["cs"][:, -1], p["Wx"], p["Wh"], p["b"])
    assert rl.rel_error(np.concatenate([a, b], 1), hs) == 0.0
    assert rl.rel_error(np.concatenate([ca["cs"], cb["cs"]], 1), cache["cs"]) == 0.0


def test_direct_cell_path_is_the_forget_gate():
    """What c_t sends back to c_{t-1} directly is f_t * dL/dc_t; h_{t-1} gets the gates' share."""
    p, states, G = fd_problem("lstm")
    hs, cache = rl.lstm_forward(p["x"], states["h0"], states["c0"], p["Wx"], p["Wh"], p["b"])
    step = cache["steps"][-1]
    dc = np.random.default_rng(0).standard_normal(hs[:, -1].shape)
    out = rl.lstm_step_backward(np.zeros_like(dc), dc, step)
    assert rl.rel_error(out["c_prev"], step["f"] * dc) == 0.0
    assert np.abs(out["h_prev"]).sum() > 0                   # the paths through the gates


def test_gru_state_stays_in_the_tanh_range(rng):
    """h' = (1 - z) n + z h is a convex combination: from |h0| <= 1 the state never leaves [-1, 1]."""
    x = 5 * rng.standard_normal((4, 40, 3))
    hs, _ = rl.gru_forward(x, np.zeros((4, 6)), 5 * rng.standard_normal((18, 3)),
                           5 * rng.standard_normal((18, 6)), rng.standard_normal(18), rng.standard_normal(18))
    assert np.max(np.abs(hs)) <= 1.0


@pytest.mark.parametrize("kind", ["lstm", "gru"])
def test_inputs_are_never_modified(kind):
    p, states, G = fd_problem(kind)
    before = {k: v.copy() for k, v in {**p, **states, "G": G}.items()}
    hs, cache = run(kind, p, list(states.values()))
    backward(kind, G, cache)
    for k, v in {**p, **states, "G": G}.items():
        np.testing.assert_array_equal(v, before[k])


def test_array_likes_float32_and_sigmoid():
    hs, cache = rl.lstm_forward([[[1.0]]], [[0.0]], [[0.0]], [[0.1]] * 4, [[0.2]] * 4, [0.0] * 4)
    assert hs.shape == (1, 1, 1) and hs.dtype == np.float64
    p, states, G = fd_problem("gru")
    p32 = {k: v.astype(np.float32) for k, v in p.items()}
    hs, cache = rl.gru_forward(p32["x"], states["h0"].astype(np.float32), p32["Wx"], p32["Wh"], p32["bx"], p32["bh"])
    assert hs.dtype == np.float32 and rl.gru_backward(np.ones_like(hs), cache)["Wh"].dtype == np.float32
    a = np.array([-1000.0, -30.0, 0.0, 2.5, 1000.0])
    with np.errstate(over="raise", invalid="raise"):                          # no overflow warnings at the extremes
        s = rl.sigmoid(a)
    assert rl.rel_error(s, torch.sigmoid(torch.tensor(a)).numpy()) < 1e-15


LSTM_OK = dict(x=np.zeros((2, 5, 3)), h0=np.zeros((2, 4)), c0=np.zeros((2, 4)),
               Wx=np.zeros((16, 3)), Wh=np.zeros((16, 4)), b=np.zeros(16))
GRU_OK = dict(x=np.zeros((2, 5, 3)), h0=np.zeros((2, 4)), Wx=np.zeros((12, 3)), Wh=np.zeros((12, 4)),
              bx=np.zeros(12), bh=np.zeros(12))
BAD = [  # (function, argument, bad value, words the message must contain)
    ("lstm", "x", np.zeros((2, 3)), ["x", "(N, T, D)", "(2, 3)"]),
    ("lstm", "x", np.zeros((2, 0, 3)), ["x", "positive", "(2, 0, 3)"]),
    ("lstm", "Wx", np.zeros((15, 3)), ["Wx", "(4H, D)", "(15, 3)", "multiple of 4"]),
    ("lstm", "Wx", np.zeros((16, 4)), ["Wx", "(4H, D)", "(16, 3)", "(16, 4)"]),
    ("lstm", "Wh", np.zeros((16, 3)), ["Wh", "(4H, H)", "(16, 4)", "(16, 3)"]),
    ("lstm", "b", np.zeros(12), ["b", "(4H,)", "(16,)", "(12,)"]),
    ("lstm", "h0", np.zeros((3, 4)), ["h0", "(N, H)", "(2, 4)", "(3, 4)"]),
    ("lstm", "c0", np.zeros((2, 5)), ["c0", "(N, H)", "(2, 4)", "(2, 5)"]),
    ("lstm", "c0", np.zeros(4), ["c0", "(N, H)", "(4,)"]),
    ("gru", "Wx", np.zeros((16, 3)), ["Wx", "(3H, D)", "(16, 3)", "multiple of 3"]),
    ("gru", "Wh", np.zeros((12, 12)), ["Wh", "(3H, H)", "(12, 4)", "(12, 12)"]),
    ("gru", "bx", np.zeros(16), ["bx", "(3H,)", "(12,)", "(16,)"]),
    ("gru", "bh", np.zeros((1, 12)), ["bh", "(3H,)", "(1, 12)"]),
    ("gru", "h0", np.zeros((2, 3)), ["h0", "(N, H)", "(2, 4)", "(2, 3)"]),
    ("gru", "x", np.array([[["a"]]]), ["x", "numeric"]),
]


@pytest.mark.parametrize("kind,arg,value,words", BAD)
def test_bad_shapes_raise_value_error_naming_the_argument(kind, arg, value, words):
    p = dict(LSTM_OK if kind == "lstm" else GRU_OK)
    p[arg] = value
    with pytest.raises(ValueError) as info:
        (rl.lstm_forward if kind == "lstm" else rl.gru_forward)(**p)
    for w in words:
        assert w in str(info.value), (w, str(info.value))


def test_bad_step_inputs_and_upstream_gradients():
    with pytest.raises(ValueError, match=r"x.*\(N, D\).*\(2, 5, 3\)"):
        rl.lstm_step_forward(np.zeros((2, 5, 3)), np.zeros((2, 4)), np.zeros((2, 4)), *list(LSTM_OK.values())[3:])
    with pytest.raises(ValueError, match=r"h_prev.*\(2, 4\).*\(1, 4\)"):
        rl.gru_step_forward(np.zeros((2, 3)), np.zeros((1, 4)), *list(GRU_OK.values())[2:])
    hs, cache = rl.lstm_forward(**LSTM_OK)
    with pytest.raises(ValueError, match=r"dhs.*\(2, 5, 4\).*\(2, 4, 4\)"):
        rl.lstm_backward(np.zeros((2, 4, 4)), cache)
    hs, cache = rl.gru_forward(**GRU_OK)
    with pytest.raises(ValueError, match=r"dhs.*\(N, T, H\).*\(2, 5\)"):
        rl.gru_backward(np.zeros((2, 5)), cache)
    h, c, step = rl.lstm_step_forward(np.zeros((2, 3)), np.zeros((2, 4)), np.zeros((2, 4)), *list(LSTM_OK.values())[3:])
    with pytest.raises(ValueError, match=r"dc.*\(2, 4\).*\(2, 3\)"):
        rl.lstm_step_backward(np.zeros((2, 4)), np.zeros((2, 3)), step)
