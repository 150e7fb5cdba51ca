"""Remember the first input (chapter "Truncated BPTT"), full size: ten seeds, 400 steps, k = 5, 10, 20.

The task, the model and the training are ``rnnlib.tasks.remember``; this module runs them for every
window k and seed and writes the loss curves to ``book/data/tbptt_remember.json``.

    python -m rnnlib.experiments tbptt_remember [--seeds 10] [--steps 400] [--out PATH]
"""
from __future__ import annotations

import argparse

import numpy as np

from ..tasks.remember import CHANCE, block_means, train_remember_first
from .results import command, write_results
DEFAULTS = dict(T=20, ks=(5, 10, 20), hidden=32, lr=1e-2, batch=64, clip_norm=1.0)


def run(seeds, steps: int, every: int = 10, **config) -> dict:
    """Train every ``k`` of ``config["ks"]`` with every seed; keep each curve as means over blocks of ``every`` steps."""
    cfg = {**DEFAULTS, **config}
    out = {"settings": {**cfg, "ks": list(cfg["ks"]), "steps": steps, "seeds": list(seeds), "every": every},
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
    results = run(range(args.seeds), args.steps)
    settings = results.pop("settings")
    write_results(args.out or "tbptt_remember.json", results, command=command("tbptt_remember", argv),
                  seed=settings["seeds"], settings=settings)
    return 0
