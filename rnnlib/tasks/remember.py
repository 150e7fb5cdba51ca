"""Remember the first input: a dependency longer than the truncation window.

The chapter "Truncated BPTT" trains a tanh RNN on sequences of length T whose first step carries
a random sign (+1 or -1, channel 0); the other steps carry uniform noise (channel 1). At step T
the network must output that sign (binary cross-entropy; chance is ln 2 = 0.693 nats). The
dependency spans T - 1 steps. The network is trained with the "detach every k steps" loop
(``rnnlib.backward_in_chunks``): for k < T the truncated gradient contains no path from the loss
at step T back to the first input.

The full experiment (ten seeds, longer training) is ``python -m rnnlib.experiments tbptt_remember``.
"""
from __future__ import annotations

import math

import numpy as np
import torch

from ..training.models import SequenceModel, seeded
from ..training.trainer import train

CHANCE = math.log(2.0)


def remember_first_batch(n: int, T: int, generator: torch.Generator):
    """``x`` (n, T, 2) float32 and the target bit ``y`` (n,) in {0, 1}; ``x[:, 0, 0] = 2 y - 1``."""
    y = torch.randint(0, 2, (n,), generator=generator).float()
    x = torch.zeros(n, T, 2)
    x[:, 0, 0] = 2 * y - 1
    x[:, 1:, 1] = 2 * torch.rand(n, T - 1, generator=generator) - 1
    return x, y


def train_remember_first(k: int, *, T: int = 20, steps: int = 200, hidden: int = 32, lr: float = 1e-2,
                         batch: int = 64, clip_norm: float = 1.0, seed: int = 0) -> np.ndarray:
    """Train with truncated BPTT (k1 = k2 = k) and return the loss of every step (nats).

    The trainer's ``chunk=k``: each step draws a fresh batch, runs ``backward_in_chunks`` over the
    sequence (only the last chunk has a loss), clips the gradient norm and takes an Adam step. Seeded:
    the same seed gives the same initial weights and the same batches.
    """
    with seeded(seed):
        model = SequenceModel(2, hidden, 1, "rnn", "tanh")
    gen = torch.Generator().manual_seed(1000 + seed)
    hist = train(model, lambda step, _g: remember_first_batch(batch, T, gen), steps=steps, task="binary",
                 optimizer="adam", lr=lr, clip_norm=clip_norm, seed=seed, progress=False, chunk=k)
    return np.asarray(hist.loss)


def block_means(losses, every: int = 10) -> np.ndarray:
    """The mean loss of each block of ``every`` consecutive steps (a curve one can read; steps % every dropped)."""
    losses = np.asarray(losses, dtype=np.float64)
    n = len(losses) // every
    return losses[:n * every].reshape(n, every).mean(axis=1)
