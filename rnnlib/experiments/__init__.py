"""Experiments too long to run inside a notebook: ``python -m rnnlib.experiments <name>``.

IRNN chapter: ``adding``, ``adding-sweep``, ``pixels`` (and their options, ``<name> --help``);
truncated BPTT: ``tbptt_remember``; LSTM and GRU: ``agreement`` (also ``python -m rnnlib.agreement``).

Each experiment writes small JSON files into ``book/data/`` (or ``--out``), with the command, the seed,
the package versions and the date beside the numbers. The chapters plot these files beside a reduced
run they execute live. ``python -m rnnlib.experiments --help`` lists the experiments.

``--dry-run`` runs a tiny version of the same code in seconds (the tests use it).
"""
from __future__ import annotations

import datetime
import json
import os
import platform
import sys
from pathlib import Path

DEFAULT_OUT = Path(__file__).resolve().parents[2] / "book" / "data"


def metadata(command: str | None = None, seed: int = 0, **settings) -> dict:
    """What a results file carries beside its numbers: command, seed, versions, date, settings."""
    import numpy
    import sklearn
    import torch
    return {
        "command": command if command is not None else "python -m rnnlib.experiments " + " ".join(sys.argv[1:]),
        "seed": seed,
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "versions": {"python": platform.python_version(), "torch": torch.__version__,
                     "numpy": numpy.__version__, "scikit-learn": sklearn.__version__},
        "threads": torch.get_num_threads(),
        "settings": settings,
    }


def write_json(path: Path, obj: dict) -> Path:
    """Write ``obj`` as indented JSON (written to a temporary file first, so a killed run leaves no half file)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".json.tmp")
    with open(tmp, "w") as f:
        json.dump(obj, f, indent=1)
        f.write("\n")
    os.replace(tmp, path)
    return path


def read_json(path) -> dict:
    with open(path) as f:
        return json.load(f)


def _registry() -> dict:
    """Every experiment by name: the IRNN chapter's (adding problem, pixels), truncated BPTT's, agreement."""
    from .. import agreement
    from . import adding, pixels, tbptt_remember
    return {**adding.EXPERIMENTS, **pixels.EXPERIMENTS, "tbptt_remember": tbptt_remember.main,
            "agreement": agreement.main}


def experiment_names() -> tuple:
    return tuple(_registry())


def run(name: str, argv: list[str] | None = None):
    """Run experiment ``name`` with command-line style arguments ``argv`` (see ``--help``)."""
    reg = _registry()
    if name not in reg:
        raise ValueError(f"name: unknown experiment {name!r}; expected one of {tuple(reg)}")
    return reg[name](argv or [])


# --- helpers of the truncated-BPTT experiment (one file per experiment, one line per key) ---

DATA_DIR = Path(__file__).resolve().parents[2] / "book" / "data"


def provenance(name: str, argv: list[str]) -> dict:
    """The command, package versions and date to store beside an experiment's numbers."""
    import numpy
    import torch
    return {"command": " ".join(["python -m rnnlib.experiments", name, *argv]),
            "python": platform.python_version(), "numpy": numpy.__version__, "torch": torch.__version__,
            "date": datetime.date.today().isoformat()}


def write_results(name: str, results: dict, out: str | Path | None = None) -> Path:
    """Write ``results`` as ``book/data/<name>.json`` (or to ``out``) and return the path."""
    path = Path(out) if out else DATA_DIR / f"{name}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    body = ",\n".join(f" {json.dumps(key)}: {json.dumps(value)}" for key, value in results.items())
    path.write_text("{\n" + body + "\n}\n")           # one line per top-level key: small diffs
    print(f"wrote {path}", file=sys.stderr)
    return path
