"""Benchmarks: ``python -m rnnlib.bench`` (ratios) and ``python -m rnnlib.bench --book`` (notebook times).

Everything is measured side by side in one run, on the CPU, with one thread
(``torch.set_num_threads(1)`` and BLAS limited to one thread with threadpoolctl). A ratio is measured
in interleaved pairs (``paired``): after a warm-up, the two functions run alternately, in alternating
order, many times, and the ratio reported is the median of the per-pair ratios, with its interquartile
range beside it (``<key>_q25``, ``<key>_q75``): a change of load hits both members of a pair alike.
Times are the CPU time of the measuring thread (``time.thread_time``; everything runs in that one
thread), so that time spent waiting for a core on a shared machine is not counted.
The last line printed is one JSON object:

``numpy_bptt_vs_torch_autograd``
    time of rnnlib's numpy ``rnn_forward + rnn_backward`` divided by the time of the same explicit
    loop in torch autograd (float64, tanh, N=32, T=100, D=H=64). Below 1: the open-box numpy code
    is faster than torch on these small matrices, where torch pays a per-operation overhead.
``numpy_bptt_vs_torch_autograd_H256``
    the same at H=D=256, where the matrix products dominate.
``per_step_grads_vs_fused``
    time of one training step of a fused ``torch.nn.RNN`` (N=32, T=100, D=H=100, float32, MSE on a
    linear read-out of every step) that also returns the total dL/dh_t of every step
    (``rnnlib.total_state_grads``), divided by the same fused step without them.
``truncated_vs_full_memory``
    peak bytes of the tensors autograd saves for backward (``rnnlib.SavedTensorBytes``: the distinct
    storages a graph holds until its backward) during one training step over T=1000
    with the state detached every k=20 steps, divided by the same for full BPTT (N=32, D=H=100,
    float32). Truncation keeps one chunk's graph alive at a time, so the ratio should be near k/T.
``truncated_memory_k_over_T``
    k/T = 0.02, printed beside it for comparison.
``time_vs_T_exponent``
    the slope of log(time) against log(T) for numpy BPTT at N=32, H=64, T from 50 to 1000 (about 1:
    the cost is linear in the length of the sequence).
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from pathlib import Path

import numpy as np
import torch
from torch import nn

from ..rnn import rnn_backward, rnn_forward
from ..training.models import seeded
from .timing import book_report
from ..training.probes import SavedTensorBytes, total_state_grads


def _single_thread():
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    torch.set_num_threads(1)
    try:
        from threadpoolctl import threadpool_limits
        threadpool_limits(1)
    except ImportError:  # pragma: no cover - threadpoolctl comes with scikit-learn
        pass


CLOCK = time.thread_time


def median_time(f, reps: int, warmup: int = 2) -> float:
    """Median CPU time of ``f()`` over ``reps`` runs after ``warmup`` runs, in seconds."""
    for _ in range(warmup):
        f()
    ts = []
    for _ in range(reps):
        t0 = CLOCK()
        f()
        ts.append(CLOCK() - t0)
    return float(np.median(ts))


def paired(f, g, reps: int, warmup: int = 3) -> dict:
    """Run ``f`` and ``g`` alternately ``reps`` times each (f g, g f, f g, ...) after a warm-up.

    Returns the median times of each and the median, 25th and 75th percentile of the per-pair
    ratios ``time(f) / time(g)``: each pair is measured within milliseconds, so a change of load
    between pairs cancels in its ratio.
    """
    for _ in range(warmup):
        f()
        g()
    tf, tg = np.empty(reps), np.empty(reps)
    for i in range(reps):
        for which, fn in ((0, f), (1, g)) if i % 2 == 0 else ((1, g), (0, f)):
            t0 = CLOCK()
            fn()
            (tf if which == 0 else tg)[i] = CLOCK() - t0
    r = tf / tg
    return {"f": float(np.median(tf)), "g": float(np.median(tg)), "ratio": float(np.median(r)),
            "q25": float(np.percentile(r, 25)), "q75": float(np.percentile(r, 75))}


# --- 1. numpy BPTT vs torch autograd --------------------------------------------------------------

def numpy_vs_torch(N=32, T=100, D=64, H=64, reps=30, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((N, T, D))
    h0 = np.zeros((N, H))
    Wxh = rng.standard_normal((H, D)) / np.sqrt(D)
    Whh = rng.standard_normal((H, H)) / np.sqrt(H)
    b = np.zeros(H)
    G = rng.standard_normal((N, T, H))

    def numpy_step():
        hs, cache = rnn_forward(x, h0, Wxh, Whh, b, "tanh")
        return rnn_backward(G, cache)

    tx, tG = torch.tensor(x), torch.tensor(G)
    params = [torch.tensor(a, requires_grad=True) for a in (h0, Wxh, Whh, b)]

    def torch_step():
        th0, tWxh, tWhh, tb = params
        for p in params:
            p.grad = None
        h, hs = th0, []
        for t in range(T):
            h = torch.tanh(tx[:, t] @ tWxh.T + h @ tWhh.T + tb)
            hs.append(h)
        (torch.stack(hs, 1) * tG).sum().backward()

    # the two must compute the same thing
    g = numpy_step()
    torch_step()
    assert np.allclose(g["Whh"], params[2].grad.numpy(), rtol=1e-9, atol=1e-9)
    return paired(numpy_step, torch_step, reps)


# --- 2. per-step gradients vs a fused step --------------------------------------------------------

def fused_problem(N, T, D, H, seed):
    """A seeded fused ``nn.RNN`` with a linear read-out of every step, and random data ``(x, y)``."""
    gen = torch.Generator().manual_seed(seed)
    with seeded(seed):
        rnn, readout = nn.RNN(D, H, batch_first=True), nn.Linear(H, 1)
    return rnn, readout, torch.randn(N, T, D, generator=gen), torch.randn(N, T, 1, generator=gen)


def per_step_vs_fused(N=32, T=100, D=100, H=100, reps=30, seed=0):
    rnn, readout, x, y = fused_problem(N, T, D, H, seed)

    def fused():
        rnn.zero_grad()
        readout.zero_grad()
        out, _ = rnn(x)
        nn.functional.mse_loss(readout(out), y).backward()

    def fused_with_step_grads():
        rnn.zero_grad()
        readout.zero_grad()
        out, _ = rnn(x)
        out.retain_grad()
        nn.functional.mse_loss(readout(out), y).backward()
        return total_state_grads(rnn, out, out.grad)

    return paired(fused_with_step_grads, fused, reps)


# --- 3. memory of truncated vs full BPTT ----------------------------------------------------------

def truncated_memory(N=32, T=1000, D=100, H=100, k=20, seed=0):
    rnn, readout, x, y = fused_problem(N, T, D, H, seed)

    def full():
        out, _ = rnn(x)
        nn.functional.mse_loss(readout(out), y).backward()

    def truncated():
        h = torch.zeros(1, N, H)
        for s in range(0, T, k):
            out, h = rnn(x[:, s:s + k], h.detach())       # detach: the window starts here
            nn.functional.mse_loss(readout(out), y[:, s:s + k]).backward()
            meter.checkpoint()                            # this chunk's graph is freed now

    with SavedTensorBytes() as meter:
        truncated()
    with SavedTensorBytes() as full_meter:
        full()
    return meter.peak, full_meter.peak


# --- 4. time against T ----------------------------------------------------------------------------

def scaling(Ts=(50, 100, 200, 400, 700, 1000), N=32, H=64, reps=9, seed=0):
    rng = np.random.default_rng(seed)
    Wxh = rng.standard_normal((H, H)) / np.sqrt(H)
    Whh = rng.standard_normal((H, H)) / np.sqrt(H)
    times = []
    for T in Ts:
        x = rng.standard_normal((N, T, H))
        G = rng.standard_normal((N, T, H))

        def step():
            hs, cache = rnn_forward(x, np.zeros((N, H)), Wxh, Whh, np.zeros(H))
            rnn_backward(G, cache)

        times.append(median_time(step, reps, warmup=1))
    slope = float(np.polyfit(np.log(Ts), np.log(times), 1)[0])
    return list(Ts), times, slope


def run(quick: bool = False) -> dict:
    _single_thread()
    reps = 11 if quick else 201
    print(f"rnnlib.bench: one thread, {reps} interleaved pairs; {platform.processor() or platform.machine()}, "
          f"python {platform.python_version()}, numpy {np.__version__}, torch {torch.__version__}")
    rows, ratios = [], {}

    def pair_row(key, label, p, target):
        ratios[key], ratios[key + "_q25"], ratios[key + "_q75"] = p["ratio"], p["q25"], p["q75"]
        rows.append((label, f"{p['f']*1e3:.2f} ms", f"{p['g']*1e3:.2f} ms", p["ratio"],
                     f"{target}   (IQR {p['q25']:.3f}..{p['q75']:.3f})"))

    pair_row("numpy_bptt_vs_torch_autograd", "numpy BPTT vs torch autograd, H=64 (float64)",
             numpy_vs_torch(reps=reps), "<= 0.7")
    pair_row("numpy_bptt_vs_torch_autograd_H256", "numpy BPTT vs torch autograd, H=256 (float64)",
             numpy_vs_torch(D=256, H=256, reps=max(5, reps // 4)), "report")
    pair_row("per_step_grads_vs_fused", "fused nn.RNN step + per-step dL/dh_t vs fused step",
             per_step_vs_fused(reps=reps), "<= 1.3")

    m_tr, m_full = truncated_memory(T=200 if quick else 1000)
    T = 200 if quick else 1000
    ratios["truncated_vs_full_memory"] = m_tr / m_full
    ratios["truncated_memory_k_over_T"] = 20 / T
    rows.append((f"saved-tensor peak, detach every 20 vs full, T={T}", f"{m_tr/2**20:.2f} MiB",
                 f"{m_full/2**20:.2f} MiB", m_tr / m_full, f"~ k/T = {20 / T:.3f}"))

    Ts, times, slope = scaling(Ts=(50, 100, 200, 400) if quick else (50, 100, 200, 400, 700, 1000),
                               reps=2 if quick else 9)
    ratios["time_vs_T_exponent"] = slope
    rows.append(("numpy BPTT time vs T: fitted exponent", f"T={Ts[0]}: {times[0]*1e3:.1f} ms",
                 f"T={Ts[-1]}: {times[-1]*1e3:.1f} ms", slope, "~ 1"))

    w = max(len(r[0]) for r in rows)
    print(f"\n{'measurement':<{w}}  {'this':>14}  {'reference':>14}  {'ratio':>7}  target")
    for name, a, b, r, target in rows:
        print(f"{name:<{w}}  {a:>14}  {b:>14}  {r:7.3f}  {target}")
    print()
    print(json.dumps({k: round(v, 4) for k, v in ratios.items()}))
    return ratios


def main(argv=None):
    p = argparse.ArgumentParser(prog="python -m rnnlib.bench", description=__doc__.split("\n\n")[0])
    p.add_argument("--quick", action="store_true", help="fewer repetitions and a shorter T (for tests)")
    p.add_argument("--book", action="store_true", help="execute every notebook of the book and time each")
    p.add_argument("--root", default=".", help="the book's root folder (with _toc.yml), for --book")
    p.add_argument("--out", default="_build/timing/book.json", help="where --book writes its table")
    args = p.parse_args(argv)
    if args.book:
        root = Path(args.root)
        if not (root / "_toc.yml").exists():
            p.error(f"--root: no _toc.yml in {root.resolve()}")
        res = book_report(root, Path(args.out))
        slow = [k for k, v in res["seconds"].items() if v >= 60]
        return 1 if slow or res["total_seconds"] >= 300 else 0
    run(quick=args.quick)
    return 0


if __name__ == "__main__":
    sys.exit(main())
