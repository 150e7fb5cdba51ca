"""Text streams: one long sequence of token ids, read in order by a model that carries its state.

The chapter "Truncated BPTT" trains a character model on one long stream: the stream is cut into
``batch_size`` rows (``batchify``), each update reads the next ``k`` characters of every row, and
the hidden state at the end of one chunk starts the next one, detached (BPTT(k, k); the trainer's
``state="carry"``). ``sample_chars`` draws text from the trained model, carrying the state the same way.
"""
from __future__ import annotations

import numpy as np
import torch

from .._validate import check_positive_int
from ..training.models import StatefulCharRNN
from ..training.trainer import train


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


def stream_batches(data: torch.Tensor, k: int):
    """A ``data(step, generator)`` callable for ``train``: the next ``k`` steps of every row of ``data``.

    Inputs ``data[:, s:s+k]``, targets shifted by one; at the end of the rows it starts again from the
    top and says so (the third element, True), so that the trainer starts from a zero state.
    """
    L, pos = data.shape[1], {"s": 0}

    def batch(step, _generator):
        new_stream = pos["s"] + 1 >= L or step == 1
        if pos["s"] + 1 >= L:
            pos["s"] = 0
        s = pos["s"]
        e = min(s + k, L - 1)
        pos["s"] = e
        return data[:, s:e], data[:, s + 1:e + 1], new_stream
    return batch


def train_stateful(model: StatefulCharRNN, data: torch.Tensor, *, k: int, steps: int, lr: float = 3e-3,
                   clip_norm: float | None = 1.0, carry_state: bool = True, seed: int = 0) -> dict:
    """Train a ``StatefulCharRNN`` on a batchified stream, one chunk of ``k`` steps per update.

    ``data`` is ``(N, L)`` from ``batchify``. Update ``i`` reads the next chunk of every row
    (``stream_batches``); at the end of the rows it starts again from the beginning with a zero state.
    The step is the trainer's, in the canonical order::

        zero_grad -> state = detach_state(state) -> forward -> loss -> backward -> clip -> step

    ``carry_state=False`` starts every chunk from a zero state instead (the comparison of the
    chapter). Returns ``{"loss": [...]}``: the mean cross-entropy (nats per character) of each update.
    """
    k = check_positive_int("k", k)
    steps = check_positive_int("steps", steps)
    if data.dim() != 2 or data.shape[1] < 2:
        raise ValueError(f"data: expected (N, L) token ids with L >= 2 (from batchify), got {tuple(data.shape)}")
    hist = train(model, stream_batches(data, k), steps=steps, task="classification", optimizer="adam", lr=lr,
                 clip_norm=clip_norm, seed=seed, progress=False, state="carry" if carry_state else "reset")
    return {"loss": hist.loss}


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

