"""Experiments too long to run inside a chapter: ``python -m rnnlib.experiments <name> [options]``.

Each experiment is a module ``rnnlib.experiments.<name>`` with a ``main(argv)`` function that writes
a small JSON file into ``book/data/`` with the command, seeds, package versions and date beside the
numbers. The chapter runs a reduced version live and plots it beside the committed results.
"""
from __future__ import annotations

import datetime
import json
import platform
import sys
from pathlib import Path

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
