"""The one trainer of rnnlib, for every chapter (after minGPT's and pytorch/examples' training loops).

The canonical step, in this order::

    optimizer.zero_grad()  ->  loss = loss_fn(model(x), y)  ->  loss.backward()
    ->  clip (torch.nn.utils.clip_grad_norm_ or clip_grad_value_)  ->  optimizer.step()

Everything that differs between experiments is an argument: the optimiser and its learning rate,
the clipping, the budget in steps, the seed, and how the hidden state moves between batches
(``state="carry"``: stateful training through a stream; ``chunk=k``: truncated BPTT within a sequence). A NaN or infinite loss (or gradient norm) stops training
with ``TrainingDiverged``, whose message names the step; ``on_nonfinite="stop"`` returns the history
so far instead, with ``history.diverged_at`` set.
"""
from __future__ import annotations

import math
import sys
import time
from dataclasses import dataclass, field
from typing import Callable

import numpy as np
import torch
from torch import nn
from tqdm.std import tqdm  # the text bar: widget bars need JavaScript from the network

from .._validate import check_choice, check_positive_int
from .tbptt import backward_in_chunks, detach_state

OPTIMIZERS = {"sgd": torch.optim.SGD, "adam": torch.optim.Adam, "rmsprop": torch.optim.RMSprop}


class TrainingDiverged(FloatingPointError):
    """The loss or the gradient norm became NaN or infinite; ``step`` is where it happened (1-based)."""

    def __init__(self, step: int, loss: float, grad_norm: float):
        self.step, self.loss, self.grad_norm = step, loss, grad_norm
        super().__init__(f"training diverged at step {step}: loss = {loss}, gradient norm = {grad_norm}")


@dataclass
class History:
    """What ``train`` logged: per-step loss and gradient norm (before clipping), evaluations, time."""
    step: list = field(default_factory=list)
    loss: list = field(default_factory=list)
    grad_norm: list = field(default_factory=list)
    accuracy: list = field(default_factory=list)
    eval_step: list = field(default_factory=list)
    eval_loss: list = field(default_factory=list)
    eval_accuracy: list = field(default_factory=list)
    seconds: float = 0.0
    diverged_at: int | None = None
    stopped_at: int | None = None

    def to_dict(self) -> dict:
        return {k: v for k, v in self.__dict__.items()}


def as_tensor(a, dtype=torch.float32) -> torch.Tensor:
    return a if isinstance(a, torch.Tensor) else torch.as_tensor(np.asarray(a), dtype=dtype)


def evaluate(model: nn.Module, x, y, task: str = "regression", batch_size: int = 1000):
    """Loss (MSE or cross-entropy) and accuracy (classification only, else NaN) on a whole set."""
    model.eval()
    fdtype = next(model.parameters()).dtype
    x = as_tensor(x).to(fdtype)
    y = as_tensor(y, torch.long if task == "classification" else fdtype)
    losses, correct = 0.0, 0
    with torch.no_grad():
        for i in range(0, len(x), batch_size):
            out = model(x[i:i + batch_size])
            yb = y[i:i + batch_size]
            if task == "classification":
                losses += nn.functional.cross_entropy(out, yb, reduction="sum").item()
                correct += (out.argmax(1) == yb).sum().item()
            else:
                losses += nn.functional.mse_loss(out, yb, reduction="sum").item() / yb[0].numel()
    model.train()
    return losses / len(x), (correct / len(x) if task == "classification" else float("nan"))


def _loss_fn(task: str, state: str):
    if task == "classification" and state != "none":      # batch-first (N, T, C) outputs of a stateful model
        return lambda out, y: nn.functional.cross_entropy(out.reshape(-1, out.shape[-1]), y.reshape(-1))
    if task == "classification":                          # (N, C) or torch's (N, C, T) against (N,) or (N, T)
        return nn.functional.cross_entropy
    if task == "binary":
        return lambda out, y: nn.functional.binary_cross_entropy_with_logits(out.squeeze(-1), y)
    return nn.functional.mse_loss


def _forward_backward(model, xb, yb, loss_fn, state, mode: str, chunk: int | None):
    """One minibatch: forward, loss, backward. Returns ``(loss, out, state)``."""
    if chunk is not None:                       # truncated BPTT(k, k) through each sequence, loss at the end
        T, box = xb.shape[1], {}

        def last_chunk_loss(out, start, stop):
            if stop < T:
                return None                     # no loss term in this chunk: no backward pass
            box["out"] = model.readout(out[:, -1])
            return loss_fn(box["out"], yb)

        loss, _ = backward_in_chunks(model.rnn, xb, None, chunk, last_chunk_loss)
        return loss, box["out"], None
    if mode == "none":
        out = model(xb)
    else:                                       # "carry": the state of the last batch, cut off the graph
        out, state = model(xb, detach_state(state) if mode == "carry" else None)
    loss = loss_fn(out, yb)
    loss.backward()
    return loss.item(), out, state


def train(model: nn.Module, data, *, steps: int, task: str = "regression", optimizer: str = "adam",
          lr: float = 1e-3, clip_norm: float | None = None, clip_value: float | None = None,
          batch_size: int = 64, seed: int = 0, eval_data=None, eval_every: int = 100,
          progress: bool = True, desc: str | None = None, on_nonfinite: str = "raise",
          optimizer_kwargs: dict | None = None,
          stop_when: Callable[[History], bool] | None = None, state: str = "none",
          chunk: int | None = None) -> History:
    """Train ``model`` for ``steps`` minibatch steps and return its ``History``.

    Parameters
    ----------
    data : ``(x, y)`` arrays or tensors (minibatches are drawn from them with a generator seeded by
        ``seed``), or a callable ``data(step, generator) -> (x, y)`` that makes a fresh batch; with
        ``state="carry"`` it may return ``(x, y, new_stream)``, and ``new_stream=True`` starts that batch
        from a zero state (the end of a text stream).
    task : ``"regression"`` (MSE), ``"classification"`` (cross-entropy, integer labels; torch's layout
        ``(N, C)`` or ``(N, C, T)``, and with ``state`` a stateful model's batch-first ``(N, T, C)``) or
        ``"binary"`` (logistic loss on a single logit, float labels 0/1).
    optimizer : ``"sgd"``, ``"adam"`` or ``"rmsprop"``; ``lr`` its learning rate.
    clip_norm : if set, ``torch.nn.utils.clip_grad_norm_(params, clip_norm)`` before each step.
    clip_value : if set, ``torch.nn.utils.clip_grad_value_(params, clip_value)``.
    eval_data : ``(x, y)`` evaluated every ``eval_every`` steps and at the end.
    on_nonfinite : ``"raise"`` (``TrainingDiverged``) or ``"stop"`` (return with ``diverged_at``).
    stop_when : if set, called with the ``History`` after each evaluation; returning True ends
        training there (e.g. once a target validation loss is reached, or a time limit has passed).
        ``history.stopped_at`` is then that step.
    state : ``"none"``: ``model(x) -> out``. ``"carry"``: ``model(x, state) -> (out, state)``, the state
        carried from batch to batch and detached before each step (stateful training through a stream,
        {eq}`eq-tbptt-window` with k1 = k2 = the batch length). ``"reset"``: the same model, every batch
        from a zero state.
    chunk : if set, truncated BPTT with k1 = k2 = ``chunk`` through each batch's sequences
        (``backward_in_chunks`` on ``model.rnn``; the loss reads ``model.readout`` at the last step).
    """
    check_choice("task", task, ("regression", "classification", "binary"))
    check_choice("optimizer", optimizer, tuple(OPTIMIZERS))
    check_choice("on_nonfinite", on_nonfinite, ("raise", "stop"))
    check_choice("state", state, ("none", "carry", "reset"))
    steps = check_positive_int("steps", steps)
    if chunk is not None:
        chunk = check_positive_int("chunk", chunk)
    for name, v in [("clip_norm", clip_norm), ("clip_value", clip_value), ("lr", lr)]:
        if v is not None and not v > 0:
            raise ValueError(f"{name}: expected a positive number, got {v!r}")

    gen = torch.Generator().manual_seed(seed)
    params = [p for p in model.parameters() if p.requires_grad]
    opt = OPTIMIZERS[optimizer](params, lr=lr, **(optimizer_kwargs or {}))
    fdtype = params[0].dtype                     # data follow the model's dtype (float32 or float64)
    ydtype = torch.long if task == "classification" else fdtype
    if callable(data):
        get_batch = data
    else:
        X, Y = as_tensor(data[0]).to(fdtype), as_tensor(data[1]).to(ydtype)
        if len(X) != len(Y):
            raise ValueError(f"data: expected x and y with the same number of examples, got {len(X)} and {len(Y)}")

        def get_batch(step, g):
            idx = torch.randint(0, len(X), (min(batch_size, len(X)),), generator=g)
            return X[idx], Y[idx]

    loss_fn = _loss_fn(task, state)
    hist, carried = History(), None
    model.train()
    start = time.perf_counter()
    bar = tqdm(range(1, steps + 1), desc=desc, disable=not progress, file=sys.stdout,
               mininterval=1.0, ascii=True, ncols=80)
    for step in bar:
        batch = get_batch(step, gen)
        if len(batch) == 3 and batch[2]:
            carried = None                       # a new stream starts from a zero state
        xb, yb = as_tensor(batch[0]), as_tensor(batch[1]).to(ydtype)
        xb = xb.to(fdtype) if xb.is_floating_point() else xb        # token ids stay integers
        opt.zero_grad()
        lval, out, carried = _forward_backward(model, xb, yb, loss_fn, carried, state, chunk)
        if clip_norm is not None:
            gnorm = float(nn.utils.clip_grad_norm_(params, clip_norm))
        else:
            gnorm = float(torch.linalg.vector_norm(torch.stack(
                [torch.linalg.vector_norm(p.grad) for p in params if p.grad is not None])))
        if clip_value is not None:
            nn.utils.clip_grad_value_(params, clip_value)
        if not (math.isfinite(lval) and math.isfinite(gnorm)):
            hist.diverged_at = step
            hist.seconds = time.perf_counter() - start
            bar.close()
            if on_nonfinite == "raise":
                raise TrainingDiverged(step, lval, gnorm)
            print(f"stopped: training diverged at step {step} (loss = {lval}, gradient norm = {gnorm})")
            return hist
        opt.step()
        hist.step.append(step)
        hist.loss.append(lval)
        hist.grad_norm.append(gnorm)
        if task == "classification":
            hist.accuracy.append((out.argmax(1 if state == "none" else -1) == yb).float().mean().item())
        if eval_data is not None and (step % eval_every == 0 or step == steps):
            el, ea = evaluate(model, eval_data[0], eval_data[1], task)
            hist.eval_step.append(step)
            hist.eval_loss.append(el)
            hist.eval_accuracy.append(ea)
            bar.set_postfix(eval_loss=f"{el:.4f}", refresh=False)
            if stop_when is not None and stop_when(hist):
                hist.stopped_at = step
                break
    bar.close()
    hist.seconds = time.perf_counter() - start
    return hist
