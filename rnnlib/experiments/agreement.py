"""Subject-verb agreement across attractor nouns (chapter "LSTM and GRU"): several seeds, longer training.

``python -m rnnlib.experiments agreement`` writes ``book/data/agreement.json``, which the chapter plots
beside its quick live run. The task and the training are ``rnnlib.tasks.agreement``.
"""
from __future__ import annotations

import argparse

import numpy as np

from ..tasks.agreement import VOCAB, agreement_accuracy, train_agreement
from .results import write_results


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(prog="python -m rnnlib.experiments agreement", description=__doc__.split("\n")[0])
    parser.add_argument("--models", nargs="+", default=["rnn_tanh", "lstm", "gru"])
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--steps", type=int, default=600)
    parser.add_argument("--hidden", type=int, default=16)
    parser.add_argument("--max-train-distance", type=int, default=6)
    parser.add_argument("--max-test-distance", type=int, default=24)
    parser.add_argument("--attractor-prob", type=float, default=0.15,
                        help="probability that an intervening training noun is an attractor")
    parser.add_argument("--out", default="agreement.json", help="output path (default book/data/agreement.json)")
    parser.add_argument("--dry-run", action="store_true", help="a few steps, nothing written")
    args = parser.parse_args(argv)
    steps = 5 if args.dry_run else args.steps
    test_distances = list(range(0, args.max_test_distance + 1))
    results = {}
    for name in args.models:
        runs = []
        for seed in range(args.seeds):
            model, hist = train_agreement(name, train_distances=range(0, args.max_train_distance + 1), steps=steps,
                                          attractor_prob=args.attractor_prob, hidden=args.hidden, seed=seed)
            acc, nearest = agreement_accuracy(model, test_distances)
            runs.append({"seed": seed, "accuracy": acc, "agrees_with_nearest": nearest,
                         "final_train_loss": float(np.mean(hist.loss[-50:])), "seconds": hist.seconds})
            print(f"{name} seed {seed}: accuracy " + " ".join(f"{a:.2f}" for a in acc), flush=True)
        results[name] = runs
    settings = {"steps": steps, "hidden": args.hidden, "lr": 1e-2, "batch_size": 64, "clip_norm": 1.0,
                "attractor_prob": args.attractor_prob, "train_distances": list(range(0, args.max_train_distance + 1)),
                "seeds": list(range(args.seeds)), "test_sentences_per_distance": 500, "vocab": list(VOCAB),
                "threads": 1}
    numbers = {"description": "accuracy against the number of agreement attractors (every intervening noun of the "
                              "other number), after training at distances 0..max_train_distance where each "
                              "intervening noun is an attractor with probability attractor_prob",
               "test_distances": test_distances, "results": results}
    if not args.dry_run:
        write_results(args.out, numbers, command=command("agreement", argv), seed=settings["seeds"],
                      settings=settings)
    return numbers
