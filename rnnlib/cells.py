"""Gated cells in numpy: the LSTM and the GRU, a step forward and a step backward side by side.

The math (column vectors, book notation, chapter "LSTM and GRU"); gate order and bias layout are
PyTorch's, so the weights copy straight to and from ``torch.nn.LSTM`` / ``torch.nn.GRU``.

LSTM, gates ``i, f, g, o`` stacked in ``Wx`` (4H, D), ``Wh`` (4H, H), ``b`` (4H,)::

    [i; f; g; o] = [sigma; sigma; tanh; sigma](Wx x_t + Wh h_{t-1} + b)     (eq-lstm-gates)
    c_t = f * c_{t-1} + i * g                                               (eq-lstm-cell)
    h_t = o * tanh(c_t)                                                     (eq-lstm-hidden)

``b`` is the *sum* ``bias_ih + bias_hh`` of PyTorch's two bias vectors.

GRU, gates ``r, z, n`` stacked in ``Wx`` (3H, D), ``Wh`` (3H, H), two biases ``bx``, ``bh`` (3H,)::

    r = sigma(Wx_r x + bx_r + Wh_r h + bh_r),  z = sigma(Wx_z x + bx_z + Wh_z h + bh_z)   (eq-gru-gates)
    n = tanh(Wx_n x + bx_n + r * (Wh_n h + bh_n))                                       (eq-gru-candidate)
    h' = (1 - z) * n + z * h                                                            (eq-gru-update)

Code is batch-first (``x`` is ``(N, T, D)``), ``hs[:, t]`` is the state after reading ``x[:, t]``.
Backward functions take ``dhs``, the gradient that reaches each ``h_t`` *directly*, and return the
*total* derivatives ``grads["hs"]`` (and, for the LSTM, ``grads["cs"]`` for the cell states).
"""
from __future__ import annotations

import numpy as np

from ._validate import as_array, check_positive_sizes, check_shape


def sigmoid(a: np.ndarray) -> np.ndarray:
    """The logistic function 1 / (1 + e^-a), without overflow for large |a|."""
    e = np.exp(-np.abs(a))
    return np.where(a >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


# --- checks ------------------------------------------------------------------------------------

def _check_weights(Wx, Wh, biases, D: int, k: int, gates: str):
    """Weights of a cell with ``k`` stacked gates: Wx (kH, D), Wh (kH, H), each bias (kH,)."""
    Wx = as_array("Wx", Wx, 2, f"({k}H, D)")
    check_positive_sizes("Wx", Wx, f"({k}H, D)")
    if Wx.shape[0] % k:
        raise ValueError(f"Wx: expected shape ({k}H, D), the {k} gates {gates} stacked, but its first size "
                         f"{Wx.shape[0]} in {Wx.shape} is not a multiple of {k}")
    H = Wx.shape[0] // k
    check_shape("Wx", Wx, (k * H, D), f"({k}H, D) with D = {D} from x")
    Wh = as_array("Wh", Wh, 2, f"({k}H, H)")
    check_shape("Wh", Wh, (k * H, H), f"({k}H, H) with H = {H} from Wx")
    out = [Wx, Wh]
    for name, b in biases:
        b = as_array(name, b, 1, f"({k}H,)")
        check_shape(name, b, (k * H,), f"({k}H,) with H = {H} from Wx")
        out.append(b)
    return H, out


def _check_x(x, ndim: int):
    expected = "(N, T, D)" if ndim == 3 else "(N, D)"
    x = as_array("x", x, ndim, expected)
    check_positive_sizes("x", x, expected)
    return x


def _check_states(states, N: int, H: int):
    out = []
    for name, s in states:
        s = as_array(name, s, 2, "(N, H)")
        check_shape(name, s, (N, H), f"(N, H) with N = {N} from x and H = {H} from Wx")
        out.append(s)
    return out


def _check_upstream(name: str, d, shape: tuple, what: str):
    expected = "(N, T, H)" if len(shape) == 3 else "(N, H)"
    d = as_array(name, d, len(shape), expected)
    check_shape(name, d, shape, f"{expected}, the shape of {what}")
    return d


# --- LSTM: one step ------------------------------------------------------------------------------

def lstm_step_forward(x, h_prev, c_prev, Wx, Wh, b):
    """One LSTM step: {eq}`eq-lstm-gates`, {eq}`eq-lstm-cell`,
    {eq}`eq-lstm-hidden`.

    x (N, D); h_prev, c_prev (N, H). Returns (h, c, cache).
    """
    x = _check_x(x, 2)
    H, (Wx, Wh, b) = _check_weights(Wx, Wh, [("b", b)], x.shape[1], 4,
                                    "i, f, g, o")
    h_prev, c_prev = _check_states([("h_prev", h_prev), ("c_prev", c_prev)],
                                   x.shape[0], H)
    a = x @ Wx.T + h_prev @ Wh.T + b    # (N, 4H), eq-lstm-gates
    i = sigmoid(a[:, :H])               # input gate: how much of g to write
    f = sigmoid(a[:, H:2 * H])          # forget gate: how much of c_prev kept
    g = np.tanh(a[:, 2 * H:3 * H])      # candidate values
    o = sigmoid(a[:, 3 * H:])           # output gate: how much of c to show
    c = f * c_prev + i * g              # eq-lstm-cell: the additive path
    tc = np.tanh(c)
    h = o * tc                          # eq-lstm-hidden
    cache = dict(x=x, h_prev=h_prev, c_prev=c_prev, Wx=Wx, Wh=Wh,
                 i=i, f=f, g=g, o=o, tc=tc)
    return h, c, cache


def lstm_step_backward(dh, dc, cache):
    """Backward through one LSTM step, {eq}`eq-lstm-backward`.

    dh: the total dL/dh_t. dc: what reaches c_t from step t+1 (zero at the
    last step). Returns a dict: "x", "h_prev", "c_prev" (what this step sends
    back), "Wx", "Wh", "b" (this step's share) and "c", the total dL/dc_t.
    """
    i, f, g, o, tc = (cache[k] for k in ("i", "f", "g", "o", "tc"))
    dh = _check_upstream("dh", dh, i.shape, "h from the forward step")
    dc = _check_upstream("dc", dc, i.shape, "c from the forward step")
    do = dh * tc                        # h = o * tanh(c)
    dc = dc + dh * o * (1.0 - tc * tc)  # total dL/dc_t: from t+1 and via h_t
    di = dc * g                         # c = f * c_prev + i * g
    df = dc * cache["c_prev"]
    dg = dc * i
    dc_prev = dc * f                    # eq-lstm-cell-path: the additive path
    da = np.concatenate([di * i * (1.0 - i),   # through the nonlinearities:
                         df * f * (1.0 - f),   # sigma' = s (1 - s)
                         dg * (1.0 - g * g),   # tanh' = 1 - g^2
                         do * o * (1.0 - o)], axis=1)   # dL/da, (N, 4H)
    return {"x": da @ cache["Wx"], "h_prev": da @ cache["Wh"],
            "c_prev": dc_prev, "c": dc, "Wx": da.T @ cache["x"],
            "Wh": da.T @ cache["h_prev"], "b": da.sum(axis=0)}


# --- LSTM: a sequence ----------------------------------------------------------------------------

def lstm_forward(x, h0, c0, Wx, Wh, b):
    """Run an LSTM over a sequence (``torch.nn.LSTM`` with ``b = bias_ih + bias_hh``).

    Parameters
    ----------
    x : (N, T, D); h0, c0 : (N, H); Wx : (4H, D); Wh : (4H, H); b : (4H,), gate order i, f, g, o.

    Returns
    -------
    hs : (N, T, H), ``hs[:, t]`` the state after reading ``x[:, t]``.
    cache : for ``lstm_backward``; ``cache["cs"]`` (N, T, H) holds the cell states, so
        ``(hs[:, -1], cache["cs"][:, -1])`` is the state to carry into the next chunk.
    """
    x = _check_x(x, 3)
    N, T, D = x.shape
    H, (Wx, Wh, b) = _check_weights(Wx, Wh, [("b", b)], D, 4, "i, f, g, o")
    h0, c0 = _check_states([("h0", h0), ("c0", c0)], N, H)
    h, c, hs, cs, steps = h0, c0, [], [], []
    for t in range(T):
        h, c, step = lstm_step_forward(x[:, t], h, c, Wx, Wh, b)
        hs.append(h)
        cs.append(c)
        steps.append(step)
    hs, cs = np.stack(hs, axis=1), np.stack(cs, axis=1)
    return hs, {"hs": hs, "cs": cs, "h0": h0, "c0": c0, "steps": steps}


def lstm_backward(dhs, cache):
    """Backpropagation through time for ``lstm_forward``.

    ``dhs`` (N, T, H) is what the loss sends to each h_t directly. Returns ``grads`` with ``"x"``,
    ``"h0"``, ``"c0"``, ``"Wx"``, ``"Wh"``, ``"b"`` (shapes of the inputs), ``"hs"`` the total dL/dh_t
    and ``"cs"`` the total dL/dc_t, both (N, T, H).
    """
    hs = cache["hs"]
    dhs = _check_upstream("dhs", dhs, hs.shape, "hs from the forward pass")
    N, T, H = hs.shape
    dtype = np.result_type(dhs, hs)
    dh_next = np.zeros((N, H), dtype)               # what step t+1 sends back to h_t
    dc_next = np.zeros((N, H), dtype)               # ... and to c_t
    total_h, total_c, dx = np.empty((N, T, H), dtype), np.empty((N, T, H), dtype), [None] * T
    grads = {k: np.zeros_like(cache["steps"][0][k], dtype=dtype) for k in ("Wx", "Wh")}
    grads["b"] = np.zeros(4 * H, dtype)
    for t in range(T - 1, -1, -1):
        dh = dhs[:, t] + dh_next                    # total dL/dh_t
        step = lstm_step_backward(dh, dc_next, cache["steps"][t])
        total_h[:, t], total_c[:, t], dx[t] = dh, step["c"], step["x"]
        dh_next, dc_next = step["h_prev"], step["c_prev"]
        for k in ("Wx", "Wh", "b"):                 # shared weights: sum over steps
            grads[k] += step[k]
    grads.update(x=np.stack(dx, axis=1), h0=dh_next, c0=dc_next, hs=total_h, cs=total_c)
    return grads


# --- GRU: one step -------------------------------------------------------------------------------

def gru_step_forward(x, h_prev, Wx, Wh, bx, bh):
    """One GRU step as in torch.nn.GRU: {eq}`eq-gru-gates`,
    {eq}`eq-gru-candidate`, {eq}`eq-gru-update`.

    x (N, D); h_prev (N, H). Returns (h, cache).
    """
    x = _check_x(x, 2)
    H, (Wx, Wh, bx, bh) = _check_weights(Wx, Wh, [("bx", bx), ("bh", bh)],
                                         x.shape[1], 3, "r, z, n")
    (h_prev,) = _check_states([("h_prev", h_prev)], x.shape[0], H)
    gx = x @ Wx.T + bx                  # (N, 3H) input parts of r, z, n
    gh = h_prev @ Wh.T + bh             # (N, 3H) recurrent parts
    r = sigmoid(gx[:, :H] + gh[:, :H])                  # reset gate
    z = sigmoid(gx[:, H:2 * H] + gh[:, H:2 * H])        # update gate: keep
    ghn = gh[:, 2 * H:]                 # Wh_n h + bh_n (reset applies after)
    n = np.tanh(gx[:, 2 * H:] + r * ghn)                # eq-gru-candidate
    h = (1.0 - z) * n + z * h_prev      # eq-gru-update: an interpolation
    cache = dict(x=x, h_prev=h_prev, Wx=Wx, Wh=Wh, r=r, z=z, n=n, ghn=ghn)
    return h, cache


def gru_step_backward(dh, cache):
    """Backward through one GRU step, {eq}`eq-gru-backward`.

    dh: the total dL/dh_t. Returns a dict: "x", "h_prev" (what this step
    sends back), "Wx", "Wh", "bx", "bh" (this step's share).
    """
    r, z, n, h_prev = (cache[k] for k in ("r", "z", "n", "h_prev"))
    dh = _check_upstream("dh", dh, z.shape, "h from the forward step")
    dn = dh * (1.0 - z)                 # h = (1 - z) n + z h_prev
    dz = dh * (h_prev - n)
    dan = dn * (1.0 - n * n)            # dL/d(pre-activation of n)
    dar = dan * cache["ghn"] * r * (1.0 - r)    # r enters via r * ghn only
    daz = dz * z * (1.0 - z)
    dgx = np.concatenate([dar, daz, dan], axis=1)       # dL/d(Wx x + bx)
    dgh = np.concatenate([dar, daz, dan * r], axis=1)   # dL/d(Wh h + bh)
    return {"x": dgx @ cache["Wx"], "h_prev": dh * z + dgh @ cache["Wh"],
            "Wx": dgx.T @ cache["x"], "Wh": dgh.T @ h_prev,
            "bx": dgx.sum(axis=0), "bh": dgh.sum(axis=0)}


# --- GRU: a sequence -----------------------------------------------------------------------------

def gru_forward(x, h0, Wx, Wh, bx, bh):
    """Run a GRU over a sequence, exactly ``torch.nn.GRU``.

    Parameters
    ----------
    x : (N, T, D); h0 : (N, H); Wx : (3H, D); Wh : (3H, H); bx, bh : (3H,), gate order r, z, n.

    Returns ``hs`` (N, T, H) and a cache for ``gru_backward``.
    """
    x = _check_x(x, 3)
    N, T, D = x.shape
    H, (Wx, Wh, bx, bh) = _check_weights(Wx, Wh, [("bx", bx), ("bh", bh)], D, 3, "r, z, n")
    (h0,) = _check_states([("h0", h0)], N, H)
    h, hs, steps = h0, [], []
    for t in range(T):
        h, step = gru_step_forward(x[:, t], h, Wx, Wh, bx, bh)
        hs.append(h)
        steps.append(step)
    hs = np.stack(hs, axis=1)
    return hs, {"hs": hs, "h0": h0, "steps": steps}


def gru_backward(dhs, cache):
    """Backpropagation through time for ``gru_forward``.

    ``dhs`` (N, T, H) is what the loss sends to each h_t directly. Returns ``grads`` with ``"x"``,
    ``"h0"``, ``"Wx"``, ``"Wh"``, ``"bx"``, ``"bh"`` and ``"hs"``, the total dL/dh_t (N, T, H).
    """
    hs = cache["hs"]
    dhs = _check_upstream("dhs", dhs, hs.shape, "hs from the forward pass")
    N, T, H = hs.shape
    dtype = np.result_type(dhs, hs)
    dh_next = np.zeros((N, H), dtype)
    total_h, dx = np.empty((N, T, H), dtype), [None] * T
    grads = {k: np.zeros_like(cache["steps"][0][k], dtype=dtype) for k in ("Wx", "Wh")}
    grads["bx"], grads["bh"] = np.zeros(3 * H, dtype), np.zeros(3 * H, dtype)
    for t in range(T - 1, -1, -1):
        dh = dhs[:, t] + dh_next                    # total dL/dh_t
        step = gru_step_backward(dh, cache["steps"][t])
        total_h[:, t], dx[t] = dh, step["x"]
        dh_next = step["h_prev"]
        for k in ("Wx", "Wh", "bx", "bh"):
            grads[k] += step[k]
    grads.update(x=np.stack(dx, axis=1), h0=dh_next, hs=total_h)
    return grads
