"""Stateful training through a long stream: carry the hidden state across chunks, detach it.

This is the torch side of truncated BPTT (the chapter "Truncated BPTT", {eq}`eq-tbptt-window`).
A long sequence is cut into chunks of ``k`` steps. The hidden state at the end of one chunk is
the initial state of the next one, so the *forward* pass sees the whole history; but before
the next chunk the state is *detached* from the graph, so the *backward* pass of a chunk stops
at its first step. With ``k1 = k2 = k`` this is BPTT(k, k) (Williams & Peng 1990), the usual
"detach every k steps" loop of pytorch/examples' word_language_model and min-char-rnn.

* ``detach_state``: cut a state (a tensor, or a tuple of them for an LSTM) off the graph.
* ``backward_in_chunks``: run a recurrent module over ``x`` chunk by chunk, backward each chunk.
* ``truncated_torch_grads``: numpy in, numpy out, the same gradient as
  ``truncated_rnn_backward(dhs, cache, k, k)`` computed by torch (the check of the chapter).

A character model trained on one long text stream, with the state carried (and detached) from chunk
to chunk, is ``rnnlib.tasks.text`` (it uses the trainer's ``state="carry"``).
"""
from __future__ import annotations

from typing import Callable

import numpy as np
import torch
from torch import nn

from .._validate import check_nonlinearity, check_positive_int
from .bridge import to_torch


def detach_state(state):
    """Return ``state`` cut off from the autograd graph: same values, no history.

    ``state`` is a tensor (``nn.RNN``, ``nn.GRU``), a tuple or list of tensors (``nn.LSTM``'s
    ``(h, c)``, possibly nested), or ``None`` (no state yet), like ``repackage_hidden`` in
    pytorch/examples' word_language_model.

    >>> h = torch.ones(2, requires_grad=True) * 3
    >>> detach_state((h, None))[0].requires_grad
    False
    """
    if state is None:
        return None
    if isinstance(state, torch.Tensor):
        return state.detach()
    if isinstance(state, (tuple, list)):
        return type(state)(detach_state(s) for s in state)
    raise ValueError(f"state: expected a tensor, a tuple/list of tensors or None, got {type(state).__name__}")


def backward_in_chunks(rnn: nn.Module, x: torch.Tensor, state, k: int,
                       chunk_loss: Callable[[torch.Tensor, int, int], torch.Tensor | None],
                       after_chunk: Callable[[int, int], None] | None = None):
    """Truncated BPTT with ``k1 = k2 = k`` through one sequence: forward and backward chunk by chunk.

    Parameters
    ----------
    rnn : a batch-first recurrent module returning ``(out, state)``, e.g. ``torch.nn.RNN``.
    x : (N, T, D) inputs.
    state : the initial state (``None`` for zeros). It is *not* detached before the first chunk,
        so a leaf ``h0`` with ``requires_grad`` receives the first chunk's gradient.
    k : chunk length (the window size, = the shifting size), integer >= 1; the last chunk may be shorter.
    chunk_loss : ``chunk_loss(out, start, stop)`` gets the outputs ``(N, stop - start, H)`` of
        steps ``start .. stop-1`` (0-based) and returns the chunk's scalar loss, or ``None`` when
        the chunk has no loss term (then no backward pass is run for it).
    after_chunk : optional ``after_chunk(start, stop)``, called after each chunk's backward pass
        (e.g. ``SavedTensorBytes.checkpoint`` to measure the memory of one chunk's graph).

    Returns
    -------
    (loss, state) : the sum of the chunk losses as a float, and the final state, detached.
    Gradients *accumulate* in the parameters' ``.grad`` (the sum over chunks): call
    ``zero_grad`` before, and ``clip_grad_norm_`` and ``step`` after, as in a training step.
    """
    k = check_positive_int("k", k)
    if x.dim() != 3:
        raise ValueError(f"x: expected shape (N, T, D) (3-D), got {tuple(x.shape)}")
    T = x.shape[1]
    total = 0.0
    for start in range(0, T, k):
        stop = min(start + k, T)
        if start > 0:
            state = detach_state(state)            # the backward pass of this chunk stops here
        out, state = rnn(x[:, start:stop], state)
        loss = chunk_loss(out, start, stop)
        if loss is not None:
            loss.backward()                        # frees this chunk's graph
            total += float(loss.detach())
        if after_chunk is not None:
            after_chunk(start, stop)
    return total, detach_state(state)


def truncated_torch_grads(x, h0, Wxh, Whh, b, dhs, k: int, nonlinearity: str = "tanh") -> dict:
    """The "detach every k steps" gradient of ``L = sum_t <dhs_t, h_t>``, computed by torch.

    The weights (rnnlib layout, see ``rnn_forward``) are copied into a float64 ``torch.nn.RNN``
    (``to_torch``: ``bias_ih = b``, ``bias_hh = 0``), which ``backward_in_chunks`` runs over ``x`` with chunks of
    ``k`` steps. Returns numpy gradients with the keys of ``truncated_rnn_backward``:
    ``"x"``, ``"h0"``, ``"Wxh"``, ``"Whh"``, ``"b"``.

    When ``k`` divides ``T`` this equals ``truncated_rnn_backward(dhs, cache, k, k)``
    ({eq}`eq-tbptt-window`). When it does not, the last chunk here is shorter than ``k`` and so is
    its window, while BPTT(k, k) reaches ``k`` steps back from ``T``: the two then differ in the
    last chunk only.
    """
    if nonlinearity == "linear":
        raise ValueError("nonlinearity: torch.nn.RNN supports 'tanh' or 'relu', got 'linear'")
    check_nonlinearity(nonlinearity)
    x, h0, Wxh, Whh, b, dhs = (np.asarray(a, dtype=np.float64) for a in (x, h0, Wxh, Whh, b, dhs))
    rnn = to_torch("rnn", Wxh, Whh, b, nonlinearity=nonlinearity)
    xt = torch.tensor(x, requires_grad=True)
    h0t = torch.tensor(h0, requires_grad=True)
    G = torch.from_numpy(dhs)
    backward_in_chunks(rnn, xt, h0t[None], k, lambda out, s, e: (out * G[:, s:e]).sum())

    def grad(t, like):
        return t.grad.numpy().copy() if t.grad is not None else np.zeros_like(like)

    return {"x": grad(xt, x), "h0": grad(h0t, h0), "Wxh": grad(rnn.weight_ih_l0, Wxh),
            "Whh": grad(rnn.weight_hh_l0, Whh), "b": grad(rnn.bias_ih_l0, b)}
