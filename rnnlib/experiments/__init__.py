"""Experiments too long to run inside a notebook: ``python -m rnnlib.experiments <name>``.

``EXPERIMENTS`` below is the one list of them: the command line (``--help``, ``--list``), the Makefile's
``experiments`` target and the README's table all come from it (a test checks the README).

Each experiment writes small JSON files into ``book/data/`` with ``results.write_results`` (the command,
seed, package versions, date and settings beside the numbers); the chapters read them with
``rnnlib.load_results`` and plot them beside a reduced run they execute live.
``--dry-run`` runs a tiny version of the same code in seconds (the tests use it).
"""
from __future__ import annotations

import importlib

from .results import DATA_DIR, load_results, write_results

#: name -> (module, function, chapter, what it writes). The order is the order ``make experiments`` runs them.
EXPERIMENTS = {
    "adding-sweep": ("adding", "sweep", "IRNN", "learning-rate sweep of Adam on the adding problem, T = 100"),
    "adding": ("adding", "adding", "IRNN",
               "IRNN / tanh RNN / ReLU-Gaussian / LSTM on the adding problem, T = 100, 200, 400"),
    "pixels": ("pixels", "pixels", "IRNN",
               "sequential and permuted 8x8 digits, pixel by pixel, with blank steps appended"),
    "tbptt_remember": ("remember", "main", "Truncated BPTT",
                       "\"remember the first input\" with windows shorter and longer than the dependency"),
    "agreement": ("agreement", "main", "LSTM and GRU",
                  "subject-verb agreement across attractor nouns, vanilla RNN vs LSTM vs GRU"),
}

__all__ = ["EXPERIMENTS", "DATA_DIR", "experiment_names", "load_results", "run", "write_results"]


def experiment_names() -> tuple:
    return tuple(EXPERIMENTS)


def _function(name: str):
    module, function, _, _ = EXPERIMENTS[name]
    return getattr(importlib.import_module(f"{__name__}.{module}"), function)


def run(name: str, argv: list[str] | None = None):
    """Run experiment ``name`` with command-line style arguments ``argv`` (see ``--help``)."""
    if name not in EXPERIMENTS:
        raise ValueError(f"name: unknown experiment {name!r}; expected one of {experiment_names()}")
    return _function(name)(argv or [])
