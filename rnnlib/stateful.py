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
* ``batchify``, ``StatefulCharRNN``, ``train_stateful``, ``sample_chars``: a character model
  trained on one long text stream, with the state carried (and detached) from chunk to chunk.
"""
from __future__ import annotations

from typing import Callable

import numpy as np
import torch
from torch import nn

from ._validate import check_nonlinearity, check_positive_int


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
    (``bias_ih = b``, ``bias_hh = 0``), which ``backward_in_chunks`` runs over ``x`` with chunks of
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
    H, D = Wxh.shape
    rnn = nn.RNN(D, H, nonlinearity=nonlinearity, batch_first=True, dtype=torch.float64)
    with torch.no_grad():
        rnn.weight_ih_l0.copy_(torch.from_numpy(Wxh))
        rnn.weight_hh_l0.copy_(torch.from_numpy(Whh))
        rnn.bias_ih_l0.copy_(torch.from_numpy(b))
        rnn.bias_hh_l0.zero_()
    xt = torch.tensor(x, requires_grad=True)
    h0t = torch.tensor(h0, requires_grad=True)
    G = torch.from_numpy(dhs)
    backward_in_chunks(rnn, xt, h0t[None], k, lambda out, s, e: (out * G[:, s:e]).sum())

    def grad(t, like):
        return t.grad.numpy().copy() if t.grad is not None else np.zeros_like(like)

    return {"x": grad(xt, x), "h0": grad(h0t, h0), "Wxh": grad(rnn.weight_ih_l0, Wxh),
            "Whh": grad(rnn.weight_hh_l0, Whh), "b": grad(rnn.bias_ih_l0, b)}


# --- a character model trained on one long stream ----------------------------------------------

def batchify(ids, batch_size: int) -> torch.Tensor:
    """Cut a stream of token ids into ``batch_size`` contiguous rows, ``(batch_size, L)``.

    Row ``i`` holds ``ids[i*L : (i+1)*L]`` with ``L = len(ids) // batch_size`` (the leftover tail
    is dropped), so step ``t`` of row ``i`` is followed by step ``t+1`` of the same row: a state
    carried along a row reads the text in order (pytorch/examples' ``batchify``, batch-first).
    """
    batch_size = check_positive_int("batch_size", batch_size)
    ids = torch.as_tensor(np.asarray(ids), dtype=torch.long)
    if ids.dim() != 1:
        raise ValueError(f"ids: expected a 1-D stream of token ids, got shape {tuple(ids.shape)}")
    L = len(ids) // batch_size
    if L < 2:
        raise ValueError(f"ids: expected at least 2 * batch_size = {2 * batch_size} tokens, got {len(ids)}")
    return ids[:L * batch_size].reshape(batch_size, L)


class StatefulCharRNN(nn.Module):
    """One-hot characters -> ``torch.nn.RNN`` -> a linear read-out of logits at every step.

    With one-hot inputs ``x_t``, the layer computes exactly ``h_t = phi(W_hh h_{t-1} + W_xh x_t + b)``
    of the notation page (``W_xh x_t`` picks a column of ``W_xh``), and ``logits_t = W_hy h_t + b_y``.
    """

    def __init__(self, vocab_size: int, hidden_size: int, nonlinearity: str = "tanh"):
        super().__init__()
        self.vocab_size = check_positive_int("vocab_size", vocab_size)
        check_positive_int("hidden_size", hidden_size)
        self.rnn = nn.RNN(vocab_size, hidden_size, nonlinearity=nonlinearity, batch_first=True)
        self.readout = nn.Linear(hidden_size, vocab_size)

    def forward(self, ids: torch.Tensor, state=None):
        """``ids`` (N, T) integer -> ``(logits (N, T, V), state (1, N, H))``."""
        x = nn.functional.one_hot(ids, self.vocab_size).to(self.readout.weight.dtype)
        out, state = self.rnn(x, state)
        return self.readout(out), state


def train_stateful(model: StatefulCharRNN, data: torch.Tensor, *, k: int, steps: int, lr: float = 3e-3,
                   clip_norm: float | None = 1.0, carry_state: bool = True, seed: int = 0) -> dict:
    """Train a ``StatefulCharRNN`` on a batchified stream, one chunk of ``k`` steps per update.

    ``data`` is ``(N, L)`` from ``batchify``. Update ``i`` reads the next chunk of every row
    (inputs ``data[:, s:s+k]``, targets shifted by one); at the end of the rows it starts again
    from the beginning with a zero state. The step, in the canonical order::

        zero_grad -> state = detach_state(state) -> forward -> loss -> backward -> clip -> step

    ``carry_state=False`` starts every chunk from a zero state instead (the comparison of the
    chapter). Returns ``{"loss": [...]}``: the mean cross-entropy (nats per character) of each update.
    """
    k = check_positive_int("k", k)
    steps = check_positive_int("steps", steps)
    if data.dim() != 2 or data.shape[1] < 2:
        raise ValueError(f"data: expected (N, L) token ids with L >= 2 (from batchify), got {tuple(data.shape)}")
    torch.manual_seed(seed)
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    L = data.shape[1]
    state, s, losses = None, 0, []
    model.train()
    for _ in range(steps):
        if s + 1 >= L:                              # end of the stream: start again from the top
            state, s = None, 0
        e = min(s + k, L - 1)
        inp, tgt = data[:, s:e], data[:, s + 1:e + 1]
        opt.zero_grad()
        state = detach_state(state) if carry_state else None
        logits, state = model(inp, state)
        loss = nn.functional.cross_entropy(logits.reshape(-1, logits.shape[-1]), tgt.reshape(-1))
        loss.backward()
        if clip_norm is not None:
            nn.utils.clip_grad_norm_(model.parameters(), clip_norm)
        opt.step()
        losses.append(float(loss.detach()))
        s = e
    return {"loss": losses}


@torch.no_grad()
def sample_chars(model: StatefulCharRNN, prime, n: int, temperature: float = 1.0, seed: int = 0):
    """Feed the ids ``prime`` (at least one), then draw ``n`` more ids one at a time; returns a list.

    Each new id is drawn from ``softmax(logits / temperature)`` with a seeded generator, and the
    state is carried from step to step exactly as in training.
    """
    n = check_positive_int("n", n)
    if not temperature > 0:
        raise ValueError(f"temperature: expected a positive number, got {temperature!r}")
    prime = [int(i) for i in prime]
    if not prime:
        raise ValueError("prime: expected at least one token id to start from, got none")
    gen = torch.Generator().manual_seed(seed)
    model.eval()
    logits, state = model(torch.tensor([prime]))
    out = []
    for _ in range(n):
        p = torch.softmax(logits[0, -1].double() / temperature, dim=0)
        nxt = int(torch.multinomial(p, 1, generator=gen))
        out.append(nxt)
        logits, state = model(torch.tensor([[nxt]]), state)
    model.train()
    return out
