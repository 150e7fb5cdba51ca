"""Remember the first input: a dependency longer than the truncation window.

The chapter "Truncated BPTT" trains a tanh RNN on sequences of length T whose first step carries
a random sign (+1 or -1, channel 0); the other steps carry uniform noise (channel 1). At step T
the network must output that sign (binary cross-entropy; chance is ln 2 = 0.693 nats). The
dependency spans T - 1 steps. The network is trained with the "detach every k steps" loop
(``rnnlib.backward_in_chunks``): for k < T the truncated gradient contains no path from the loss
at step T back to the first input.

    python -m rnnlib.experiments tbptt_remember [--seeds 10] [--steps 400] [--out PATH]
"""
from __future__ import annotations

import argparse
import math

import numpy as np
import torch
from torch import nn

from ..stateful import backward_in_chunks
from . import provenance, write_results

CHANCE = math.log(2.0)
DEFAULTS = dict(T=20, ks=(5, 10, 20), hidden=32, lr=1e-2, batch=64, clip_norm=1.0)


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

    Each step draws a fresh batch, runs ``backward_in_chunks`` over the sequence (only the last
    chunk has a loss), clips the gradient norm and takes an Adam step. Seeded: the same seed gives
    the same initial weights and the same batches.
    """
    torch.manual_seed(seed)
    rnn = nn.RNN(2, hidden, batch_first=True)
    head = nn.Linear(hidden, 1)
    params = list(rnn.parameters()) + list(head.parameters())
    opt = torch.optim.Adam(params, lr=lr)
    gen = torch.Generator().manual_seed(1000 + seed)
    losses = np.empty(steps)
    for step in range(steps):
        x, y = remember_first_batch(batch, T, gen)
        opt.zero_grad()

        def last_step_loss(out, start, stop):
            if stop < T:
                return None                                   # no loss in this chunk
            return nn.functional.binary_cross_entropy_with_logits(head(out[:, -1]).squeeze(1), y)

        losses[step], _ = backward_in_chunks(rnn, x, None, k, last_step_loss)
        nn.utils.clip_grad_norm_(params, clip_norm)
        opt.step()
    return losses


def block_means(losses, every: int = 10) -> np.ndarray:
    """The mean loss of each block of ``every`` consecutive steps (a curve one can read; steps % every dropped)."""
    losses = np.asarray(losses, dtype=np.float64)
    n = len(losses) // every
    return losses[:n * every].reshape(n, every).mean(axis=1)


def run(seeds, steps: int, every: int = 10, **config) -> dict:
    """Train every ``k`` of ``config["ks"]`` with every seed; keep each curve as means over blocks of ``every`` steps."""
    cfg = {**DEFAULTS, **config}
    out = {"config": {**cfg, "ks": list(cfg["ks"]), "steps": steps, "seeds": list(seeds), "every": every},
           "chance": CHANCE, "curves": {}, "final_loss": {}}
    kw = {key: cfg[key] for key in ("T", "hidden", "lr", "batch", "clip_norm")}
    for k in cfg["ks"]:
        curves = [train_remember_first(k, steps=steps, seed=s, **kw) for s in seeds]
        out["curves"][str(k)] = [[round(float(v), 5) for v in block_means(c, every)] for c in curves]
        out["final_loss"][str(k)] = [round(float(np.mean(c[-20:])), 5) for c in curves]
    return out


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m rnnlib.experiments tbptt_remember", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seeds", type=int, default=10, help="number of seeds (0, 1, ...)")
    parser.add_argument("--steps", type=int, default=400, help="training steps per run")
    parser.add_argument("--out", default=None, help="output path (default book/data/tbptt_remember.json)")
    args = parser.parse_args(argv)
    torch.set_num_threads(1)
    results = run(range(args.seeds), args.steps)
    results["provenance"] = provenance("tbptt_remember", argv if argv is not None else [])
    write_results("tbptt_remember", results, args.out)
    return 0
