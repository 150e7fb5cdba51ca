"""The adding problem at full size: a learning-rate sweep, then each model at growing T.

``adding-sweep``: for each model, Adam with each learning rate in ``SWEEP_LRS`` for ``--steps`` steps at
``T = --T``; a run's score is its mean validation MSE over the last quarter of the evaluations (a run that
diverges scores infinity). ``choose_lr``: the rate with the lowest score, if some run left the 1/6 plateau
(score below ``PLATEAU``); if none did, the scores differ only by noise, and the largest rate that did not
diverge is chosen, since it leaves the plateau soonest. ``CHOSEN_LR`` records the outcome of the committed sweep
(a test checks that the two agree); ``adding`` reads the sweep files when they exist.

``adding``: every model with its chosen rate, norm clipping 1, the same step budget and the same data
(a fresh seeded batch at every step, a fixed validation set of ``--n-val`` sequences), stopped once the
validation MSE falls below ``--target`` (solved), at the step budget, after ``--max-minutes`` of CPU time
(one thread: wall-clock time depends on whoever else shares the machine, CPU time much less) or on
divergence. Times are recorded both ways.
One JSON file per (model, T): ``irnn_adding_<model>_T<T>.json``.
"""
from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np

from ..training.models import make_model
from ..tasks.adding import adding_problem, fresh_batches
from ..training.trainer import train
from .results import DATA_DIR, command, load_results, write_results

MODELS = ("irnn", "lstm", "rnn_tanh", "rnn_relu")
SWEEP_LRS = (1e-4, 3e-4, 1e-3)
#: The learning rates the committed sweep chose (book/data/irnn_adding_sweep_<model>.json).
CHOSEN_LR = {"irnn": 3e-4, "lstm": 1e-3, "rnn_tanh": 1e-3, "rnn_relu": 1e-3}
VAL_SEED = 999_999
PLATEAU = 0.95 / 6          # a score above this has not left the predict-1 baseline of 1/6


def choose_lr(runs: list) -> float:
    """The sweep's rule (see the module docstring): best score if any run left the plateau, else the
    largest learning rate that did not diverge."""
    best = min(runs, key=lambda r: r["score"])
    if best["score"] < PLATEAU:
        return best["lr"]
    stable = [r["lr"] for r in runs if np.isfinite(r["score"])]
    return max(stable) if stable else best["lr"]



def run_one(model_name: str, T: int, *, lr: float, steps: int, hidden: int = 100, batch_size: int = 64,
            clip_norm: float = 1.0, eval_every: int = 200, n_val: int = 1000, target: float | None = 0.01,
            max_seconds: float = 900.0, seed: int = 0, progress: bool = False) -> dict:
    """Train one model on the adding problem of length ``T``; return the curves and the outcome."""
    xv, yv = adding_problem(n_val, T, seed=VAL_SEED)
    model = make_model(model_name, 2, hidden, 1, seed=seed)
    clock = {"start": time.perf_counter(), "cpu0": time.process_time(), "t": [], "cpu": []}

    def stop_when(h):
        clock["t"].append(time.perf_counter() - clock["start"])
        clock["cpu"].append(time.process_time() - clock["cpu0"])
        if target is not None and h.eval_loss[-1] < target:
            clock["reason"] = "solved"
            return True
        if clock["cpu"][-1] > max_seconds:
            clock["reason"] = "time limit"
            return True
        return False

    hist = train(model, fresh_batches(T, batch_size, seed), steps=steps, optimizer="adam", lr=lr,
                 clip_norm=clip_norm, seed=seed, eval_data=(xv, yv), eval_every=eval_every,
                 progress=progress, desc=f"{model_name} T={T}", on_nonfinite="stop", stop_when=stop_when)
    reason = "diverged" if hist.diverged_at else clock.get("reason", "step budget")
    # training loss and gradient norm averaged over each evaluation window keep the file small
    windows = [(s - eval_every, s) for s in hist.eval_step]
    loss = np.asarray(hist.loss)
    gn = np.asarray(hist.grad_norm)
    solved = [i for i, v in enumerate(hist.eval_loss) if target is not None and v < target]
    return {
        "model": model_name, "T": T, "lr": lr, "optimizer": "adam", "clip_norm": clip_norm,
        "hidden": hidden, "batch_size": batch_size, "step_budget": steps, "n_val": n_val, "target": target,
        "max_seconds": max_seconds, "stop_reason": reason, "diverged_at": hist.diverged_at,
        "steps_run": len(hist.loss), "seconds": round(time.perf_counter() - clock["start"], 2),
        "eval_step": hist.eval_step, "eval_mse": [round(v, 6) for v in hist.eval_loss],
        "eval_seconds": [round(v, 2) for v in clock["t"]],
        "eval_cpu_seconds": [round(v, 2) for v in clock["cpu"]],
        "train_mse": [round(float(loss[a:b].mean()), 6) for a, b in windows],
        "grad_norm": [round(float(gn[a:b].mean()), 6) for a, b in windows],
        "solved_step": hist.eval_step[solved[0]] if solved else None,
        "solved_seconds": clock["t"][solved[0]] if solved else None,
        "solved_cpu_seconds": clock["cpu"][solved[0]] if solved else None,
        "cpu_seconds": round(time.process_time() - clock["cpu0"], 2),
        "final_mse": hist.eval_loss[-1] if hist.eval_loss else None,
        "best_mse": min(hist.eval_loss) if hist.eval_loss else None,
    }


def _parser(prog: str, **defaults) -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog=f"python -m rnnlib.experiments {prog}")
    p.add_argument("--models", nargs="+", default=list(MODELS), choices=MODELS)
    p.add_argument("--T", nargs="+", type=int, default=defaults["T"])
    p.add_argument("--steps", type=int, default=defaults["steps"])
    p.add_argument("--hidden", type=int, default=100)
    p.add_argument("--batch-size", type=int, default=64)
    p.add_argument("--eval-every", type=int, default=defaults["eval_every"])
    p.add_argument("--n-val", type=int, default=1000)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--out", default=str(DATA_DIR))
    p.add_argument("--progress", action="store_true", help="show a progress bar")
    p.add_argument("--dry-run", action="store_true", help="a tiny run in seconds (T=6, 20 steps, H=8)")
    return p


def _dry(args):
    if args.dry_run:
        args.T, args.steps, args.hidden, args.batch_size, args.eval_every, args.n_val = [6], 20, 8, 8, 10, 16


def sweep(argv):
    """Learning-rate sweep of Adam on the adding problem, one file per model."""
    p = _parser("adding-sweep", T=[100], steps=2000, eval_every=100)
    p.add_argument("--lrs", nargs="+", type=float, default=list(SWEEP_LRS))
    args = p.parse_args(argv)
    _dry(args)
    written = []
    for m in args.models:
        runs = []
        for lr in args.lrs:
            r = run_one(m, args.T[0], lr=lr, steps=args.steps, hidden=args.hidden, batch_size=args.batch_size,
                        eval_every=args.eval_every, n_val=args.n_val, target=None, max_seconds=float("inf"),
                        seed=args.seed, progress=args.progress)
            tail = r["eval_mse"][-max(1, len(r["eval_mse"]) // 4):]
            r["score"] = float(np.mean(tail)) if r["diverged_at"] is None and tail else float("inf")
            runs.append(r)
            print(f"sweep {m} lr={lr:g}: score (mean validation MSE, last quarter) = {r['score']:.5f}", flush=True)
        rule = " ".join(choose_lr.__doc__.split(":", 1)[1].split())
        written.append(write_results(f"{args.out}/irnn_adding_sweep_{m}.json",
                                     {"model": m, "chosen_lr": choose_lr(runs), "rule": rule, "runs": runs},
                                     command=command("adding-sweep", argv), seed=args.seed,
                                     settings={"experiment": "adding-sweep", "lrs": args.lrs, "T": args.T[0],
                                               "steps": args.steps, "threads": 1}))
    return written


def chosen_learning_rates(out, models) -> tuple[dict, dict]:
    """The learning rate of each model: from its sweep file in ``out`` if there is one, else ``CHOSEN_LR``."""
    lrs, source = {}, {}
    for m in models:
        path = Path(out) / f"irnn_adding_sweep_{m}.json"
        if path.exists():
            lrs[m], source[m] = float(load_results(path.stem, path.parent)["chosen_lr"]), path.name
        else:
            lrs[m], source[m] = CHOSEN_LR[m], "CHOSEN_LR"
    return lrs, source


def adding(argv):
    """Each model with its chosen learning rate on the adding problem at each T, one file per (model, T)."""
    p = _parser("adding", T=[100, 200, 400], steps=10000, eval_every=200)
    p.add_argument("--target", type=float, default=0.01, help="validation MSE that counts as solved")
    p.add_argument("--max-minutes", type=float, default=15.0, help="CPU-time limit per run (one thread)")
    args = p.parse_args(argv)
    _dry(args)
    lrs, lr_source = chosen_learning_rates(args.out, args.models)
    written = []
    for T in args.T:
        for m in args.models:
            r = run_one(m, T, lr=lrs[m], steps=args.steps, hidden=args.hidden, batch_size=args.batch_size,
                        eval_every=args.eval_every, n_val=args.n_val, target=args.target,
                        max_seconds=60 * args.max_minutes, seed=args.seed, progress=args.progress)
            print(f"adding {m} T={T}: {r['stop_reason']} after {r['steps_run']} steps, {r['seconds']:.0f} s, "
                  f"validation MSE {r['final_mse']}", flush=True)
            written.append(write_results(f"{args.out}/irnn_adding_{m}_T{T}.json", r,
                                         command=command("adding", argv), seed=args.seed,
                                         settings={"experiment": "adding", "lr_source": lr_source[m], "threads": 1}))
    return written


EXPERIMENTS = {"adding-sweep": sweep, "adding": adding}
