"""The vanilla RNN in numpy: forward and backward side by side.

The math (column vectors, book notation, chapter 0 and chapter 3)::

    a_t = W_hh h_{t-1} + W_xh x_t + b          (eq-rnn-preact)
    h_t = phi(a_t)                              (eq-rnn-state)

The code is batch-first: ``x`` is ``(N, T, D)`` and a batched step is
``phi(x_t @ Wxh.T + h_prev @ Whh.T + b)``, with the weights in PyTorch's layout
(``Wxh`` is ``(H, D)``, ``Whh`` is ``(H, H)``), so they copy straight into ``torch.nn.RNN``.

Backward (chapter 3): ``dhs[:, t]`` is what the loss sends to ``h_t`` *directly*; the
*total* derivative adds what flows back from step t+1::

    dL/dh_t  = dhs_t + W_hh^T delta_{t+1}       (eq-bptt-total)
    delta_t  = phi'(a_t) * dL/dh_t              (eq-bptt-delta)
    dL/dW_hh = sum_t delta_t h_{t-1}^T, dL/dW_xh = sum_t delta_t x_t^T, dL/db = sum_t delta_t   (eq-bptt-params)

The chapter "Backpropagation through time" derives the same equations in full, with the direct
term dl_t/dh_t and the total dL/dh_t kept apart: {eq}`eq-bptt-recursion` (the total derivative),
{eq}`eq-bptt-preact` (delta_t), {eq}`eq-bptt-dWhh`, {eq}`eq-bptt-dWxh` and {eq}`eq-bptt-dx` (weights,
inputs, h0), and shows they equal the sum over paths {eq}`eq-bptt-unrolled-sum`.
"""
from __future__ import annotations

import numpy as np

from ._validate import as_array, check_nonlinearity, check_positive_sizes, check_shape


# --- the nonlinearity and its derivative, written in terms of the output h = phi(a) -------------

def phi(a: np.ndarray, nonlinearity: str) -> np.ndarray:
    """Apply the nonlinearity: tanh, relu (max(0, a)) or linear (identity); another name is a ``ValueError``."""
    if nonlinearity == "tanh":
        return np.tanh(a)
    if nonlinearity == "relu":
        return np.maximum(a, 0)
    check_nonlinearity(nonlinearity)
    return a.copy()


def dphi_from_output(h: np.ndarray, nonlinearity: str) -> np.ndarray:
    """phi'(a) computed from h = phi(a): 1 - h^2 for tanh, [h > 0] for relu, 1 for linear.

    (For relu, h > 0 exactly when a > 0; at a = 0 we use the subgradient 0, as PyTorch does.)
    """
    if nonlinearity == "tanh":
        return 1.0 - h * h
    if nonlinearity == "relu":
        return (h > 0).astype(h.dtype)
    check_nonlinearity(nonlinearity)
    return np.ones_like(h)


# --- checks ------------------------------------------------------------------------------------

def _check_rnn_inputs(x, h0, Wxh, Whh, b, nonlinearity, H: int | None = None, H_from: str = "Wxh"):
    """The shared checks of every vanilla-type recurrence; ``H`` (with the words ``H_from`` saying where
    it comes from) is the hidden size when the caller knows it, else the rows of ``Wxh``."""
    x = as_array("x", x, 3, "(N, T, D)")
    check_positive_sizes("x", x, "(N, T, D)")
    N, T, D = x.shape
    Wxh = as_array("Wxh", Wxh, 2, "(H, D)")
    check_positive_sizes("Wxh", Wxh, "(H, D)")
    H = Wxh.shape[0] if H is None else H
    more = "" if H_from == "Wxh" else f" and H = {H} from {H_from}"
    check_shape("Wxh", Wxh, (H, D), f"(H, D) with D = {D} from x{more}")
    Whh = as_array("Whh", Whh, 2, "(H, H)")
    check_shape("Whh", Whh, (H, H), f"(H, H) with H = {H} from {H_from}")
    b = as_array("b", b, 1, "(H,)")
    check_shape("b", b, (H,), f"(H,) with H = {H}")
    h0 = as_array("h0", h0, 2, "(N, H)")
    check_shape("h0", h0, (N, H), f"(N, H) with N = {N} from x and H = {H} from {H_from}")
    check_nonlinearity(nonlinearity)
    return x, h0, Wxh, Whh, b


# --- forward -----------------------------------------------------------------------------------

def rnn_forward(x, h0, Wxh, Whh, b, nonlinearity: str = "tanh"):
    """Run the RNN over a whole sequence: ``h_t = phi(W_hh h_{t-1} + W_xh x_t + b)``.

    Implements {eq}`eq-rnn-preact` and {eq}`eq-rnn-state` of the book.

    Parameters
    ----------
    x : (N, T, D) inputs, batch first.
    h0 : (N, H) initial state.
    Wxh : (H, D), Whh : (H, H), b : (H,) weights in PyTorch's layout.
    nonlinearity : "tanh", "relu" or "linear".

    Returns
    -------
    hs : (N, T, H), ``hs[:, t]`` is the state after reading ``x[:, t]`` (h_{t+1} in 1-based math).
    cache : what ``rnn_backward`` needs (the inputs and every state).
    """
    x, h0, Wxh, Whh, b = _check_rnn_inputs(x, h0, Wxh, Whh, b, nonlinearity)
    N, T, _ = x.shape
    # The input term W_xh x_t does not depend on the state: one matrix product for all steps.
    xw = x @ Wxh.T + b                              # (N, T, H)
    dtype = np.result_type(xw, h0, Whh)
    hs = np.empty((N, T, Whh.shape[0]), dtype=dtype)
    WhhT = Whh.T
    h = h0
    for t in range(T):
        a = xw[:, t] + h @ WhhT                     # eq-rnn-preact
        h = phi(a, nonlinearity)                    # eq-rnn-state
        hs[:, t] = h
    cache = {"x": x, "h0": h0, "Wxh": Wxh, "Whh": Whh, "b": b, "hs": hs, "nonlinearity": nonlinearity}
    return hs, cache


# --- backward ----------------------------------------------------------------------------------

def _check_dhs(dhs, cache):
    dhs = as_array("dhs", dhs, 3, "(N, T, H)")
    check_shape("dhs", dhs, cache["hs"].shape, "(N, T, H), the shape of hs from the forward pass")
    return dhs


def _param_grads(deltas, cache):
    """Gradients of the weights and inputs from the per-step deltas (eq-bptt-params).

    ``deltas[:, t]`` is dL/da_t, summed over everything that reached that step. Each weight's
    gradient is a sum over steps of an outer product, done as one matrix product over (N*T).
    """
    x, h0, hs = cache["x"], cache["h0"], cache["hs"]
    N, T, H = deltas.shape
    D = x.shape[2]
    hprev = np.concatenate([h0[:, None, :], hs[:, :-1]], axis=1)       # h_{t-1} for every t
    d2 = deltas.reshape(N * T, H)
    return {
        "x": deltas @ cache["Wxh"],                                      # dL/dx_t = W_xh^T delta_t
        "Wxh": d2.T @ x.reshape(N * T, D),
        "Whh": d2.T @ hprev.reshape(N * T, H),
        "b": d2.sum(axis=0),
    }


def rnn_backward(dhs, cache):
    """Backpropagation through time for ``rnn_forward``.

    Implements {eq}`eq-bptt-total`, {eq}`eq-bptt-delta` and {eq}`eq-bptt-params`; in the full
    derivation of the BPTT chapter, {eq}`eq-bptt-recursion`, {eq}`eq-bptt-preact`, {eq}`eq-bptt-dWhh`,
    {eq}`eq-bptt-dWxh` and {eq}`eq-bptt-dx`.

    Parameters
    ----------
    dhs : (N, T, H) the gradient of the loss with respect to each h_t *directly*
        (what the output at step t sends back), not through later steps.
    cache : from ``rnn_forward``.

    Returns
    -------
    grads : dict with ``"x"``, ``"h0"``, ``"Wxh"``, ``"Whh"``, ``"b"`` (shapes of the inputs) and
        ``"hs"`` (N, T, H), the *total* derivative dL/dh_t: what reaches h_t from step t and all later steps.
    """
    dhs = _check_dhs(dhs, cache)
    hs, Whh, nl = cache["hs"], cache["Whh"], cache["nonlinearity"]
    N, T, H = hs.shape
    dtype = np.result_type(dhs, hs)
    dphi = dphi_from_output(hs, nl)                 # phi'(a_t) for every step at once
    total = np.empty((N, T, H), dtype=dtype)       # dL/dh_t (total)
    deltas = np.empty((N, T, H), dtype=dtype)      # dL/da_t
    carry = np.zeros((N, H), dtype=dtype)          # W_hh^T delta_{t+1}: what step t+1 sends back
    for t in range(T - 1, -1, -1):
        g = dhs[:, t] + carry                       # eq-bptt-total
        total[:, t] = g
        d = g * dphi[:, t]                          # eq-bptt-delta
        deltas[:, t] = d
        carry = d @ Whh                             # row-vector form of W_hh^T delta_t
    grads = _param_grads(deltas, cache)
    grads["h0"] = carry
    grads["hs"] = total
    return grads
