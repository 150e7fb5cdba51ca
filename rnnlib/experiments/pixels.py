"""Pixel-by-pixel classification of scikit-learn's 8x8 digits at full size.

``pixels``: for each task (sequential, permuted), number of appended blank steps and model, train with
the model's learning rate from the adding-problem sweep (``adding.chosen_learning_rates``), norm
clipping 1, the same step budget and batches, and record the test accuracy every ``--eval-every`` steps.
One JSON file per run: ``irnn_pixels_<task>_<model>_b<blanks>.json``; ``--lr`` gives every model the same
learning rate instead (a check that a result is not only the learning rate), written with an ``_lr<value>``
suffix.
"""
from __future__ import annotations

import argparse
import time

import numpy as np

from ..training.models import make_model
from ..tasks.pixels import TASKS, pixel_task
from ..training.trainer import train
from .results import DATA_DIR, command, write_results
from .adding import MODELS, chosen_learning_rates


def run_pixels(model_name: str, task: str, blanks: int, *, lr: float, steps: int, repeat: int = 1,
               hidden: int = 100, batch_size: int = 64, clip_norm: float = 1.0, eval_every: int = 100,
               max_seconds: float = 900.0, seed: int = 0, progress: bool = False, n_train=None) -> dict:
    """Train one model on one pixel task; return its test-accuracy curve and outcome."""
    xtr, ytr, xte, yte = pixel_task(task, repeat=repeat, blanks=blanks, seed=seed)
    if n_train is not None:
        xtr, ytr, xte, yte = xtr[:n_train], ytr[:n_train], xte[:n_train], yte[:n_train]
    model = make_model(model_name, 1, hidden, 10, seed=seed)
    clock = {"start": time.perf_counter(), "cpu0": time.process_time(), "t": [], "cpu": []}

    def stop_when(h):
        clock["t"].append(time.perf_counter() - clock["start"])
        clock["cpu"].append(time.process_time() - clock["cpu0"])
        return clock["cpu"][-1] > max_seconds

    hist = train(model, (xtr, ytr), steps=steps, task="classification", optimizer="adam", lr=lr,
                 clip_norm=clip_norm, batch_size=batch_size, seed=seed, eval_data=(xte, yte),
                 eval_every=eval_every, progress=progress, desc=f"{model_name} {task} blanks={blanks}",
                 on_nonfinite="stop", stop_when=stop_when)
    acc = hist.eval_accuracy
    return {
        "model": model_name, "task": task, "blanks": blanks, "repeat": repeat, "T": int(xtr.shape[1]),
        "lr": lr, "optimizer": "adam", "clip_norm": clip_norm, "hidden": hidden, "batch_size": batch_size,
        "n_train": int(len(xtr)), "n_test": int(len(xte)), "step_budget": steps, "max_seconds": max_seconds,
        "stop_reason": "diverged" if hist.diverged_at else ("time limit" if hist.stopped_at else "step budget"),
        "diverged_at": hist.diverged_at, "steps_run": len(hist.loss),
        "seconds": round(time.perf_counter() - clock["start"], 2),
        "eval_step": hist.eval_step, "test_accuracy": [round(a, 4) for a in acc],
        "test_loss": [round(v, 5) for v in hist.eval_loss], "eval_seconds": [round(v, 2) for v in clock["t"]],
        "eval_cpu_seconds": [round(v, 2) for v in clock["cpu"]],
        "cpu_seconds": round(time.process_time() - clock["cpu0"], 2),
        "final_accuracy": acc[-1] if acc else None, "best_accuracy": max(acc) if acc else None,
        "grad_norm_median": float(np.median(hist.grad_norm)) if hist.grad_norm else None,
    }


def pixels(argv):
    """Sequential / permuted 8x8-digit classification against the number of appended blank steps."""
    p = argparse.ArgumentParser(prog="python -m rnnlib.experiments pixels")
    p.add_argument("--models", nargs="+", default=list(MODELS), choices=MODELS)
    p.add_argument("--tasks", nargs="+", default=list(TASKS), choices=TASKS)
    p.add_argument("--blanks", nargs="+", type=int, default=[0, 25, 50, 100])
    p.add_argument("--repeat", type=int, default=1)
    p.add_argument("--steps", type=int, default=1500)
    p.add_argument("--hidden", type=int, default=100)
    p.add_argument("--batch-size", type=int, default=64)
    p.add_argument("--eval-every", type=int, default=100)
    p.add_argument("--max-minutes", type=float, default=15.0, help="CPU-time limit per run (one thread)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--out", default=str(DATA_DIR))
    p.add_argument("--progress", action="store_true", help="show a progress bar")
    p.add_argument("--lr", type=float, default=None,
                   help="one learning rate for every model instead of the sweep's (files get an _lr<value> suffix)")
    p.add_argument("--dry-run", action="store_true", help="a tiny run in seconds (20 steps, H=8, 32 images)")
    args = p.parse_args(argv)
    n_train = None
    if args.dry_run:
        args.steps, args.hidden, args.batch_size, args.eval_every, n_train = 20, 8, 8, 10, 32
        args.blanks = args.blanks[:1]
    lrs, lr_source = chosen_learning_rates(args.out, args.models)
    if args.lr is not None:
        lrs, lr_source = {m: args.lr for m in args.models}, {m: "--lr" for m in args.models}
    suffix = "" if args.lr is None else f"_lr{args.lr:g}"
    written = []
    for task in args.tasks:
        for blanks in args.blanks:
            for m in args.models:
                r = run_pixels(m, task, blanks, lr=lrs[m], steps=args.steps, repeat=args.repeat,
                               hidden=args.hidden, batch_size=args.batch_size, eval_every=args.eval_every,
                               max_seconds=60 * args.max_minutes, seed=args.seed, progress=args.progress,
                               n_train=n_train)
                print(f"pixels {task} blanks={blanks} {m}: test accuracy {r['final_accuracy']:.3f} "
                      f"(best {r['best_accuracy']:.3f}) after {r['steps_run']} steps, {r['seconds']:.0f} s",
                      flush=True)
                written.append(write_results(f"{args.out}/irnn_pixels_{task}_{m}_b{blanks}{suffix}.json",
                                             {**r, "lr_override": args.lr}, command=command("pixels", argv),
                                             seed=args.seed, settings={"experiment": "pixels", "threads": 1,
                                                                       "lr_source": lr_source[m]}))
    return written


EXPERIMENTS = {"pixels": pixels}
