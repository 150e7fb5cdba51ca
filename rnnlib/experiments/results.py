"""The results files of ``book/data/``: one writer, one schema, one reader.

Every file is one JSON object whose first keys say where its numbers came from, then the numbers::

    {"command": "python -m rnnlib.experiments adding --T 100", "seed": 0,
     "versions": {"python": ..., "numpy": ..., "torch": ...}, "date": "2026-11-23 16:11 UTC",
     "settings": {...}, <the numbers>}

``seed`` is one integer, or the list of seeds when a file holds several runs. ``write_results`` writes
it (to a temporary file first, so a killed run leaves no half file); ``load_results`` reads it by name,
relative to the repository (not the working directory), so a notebook, a test and a script read the
same file. Files written before this schema (the truncated-BPTT file's ``config``/``provenance``, the
adding files' top-level ``threads``) are read in the new form; ``python -m rnnlib.experiments.results
--convert FILE...`` rewrites them in it once, numbers untouched.
"""
from __future__ import annotations

import argparse
import datetime
import glob
import json
import os
import platform
import sys
from pathlib import Path

#: Where the committed results live: ``book/data/`` of this repository.
DATA_DIR = Path(__file__).resolve().parents[2] / "book" / "data"
HEAD = ("command", "seed", "versions", "date", "settings")


def versions() -> dict:
    """The versions of Python and of the packages an experiment's numbers depend on."""
    import numpy
    import torch
    return {"python": platform.python_version(), "numpy": numpy.__version__, "torch": torch.__version__}


def command(name: str, argv) -> str:
    """The command line that reproduces a run of experiment ``name``."""
    return " ".join(["python -m rnnlib.experiments", name, *(argv or [])])


def write_results(path, numbers: dict, *, command: str, seed, settings: dict) -> Path:
    """Write one results file in the schema above and return its path.

    ``path`` is a file name (``"agreement.json"``, written into ``DATA_DIR``) or a path.
    """
    path = Path(path)
    if path.parent == Path("."):
        path = DATA_DIR / path
    clash = set(numbers) & set(HEAD)
    if clash:
        raise ValueError(f"numbers: keys {sorted(clash)} are reserved for the head of a results file")
    record = {"command": command, "seed": seed, "versions": versions(),
              "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
              "settings": settings, **numbers}
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(record, indent=1) + "\n")
    os.replace(tmp, path)
    print(f"wrote {path}", file=sys.stderr)
    return path


def normalise(record: dict) -> dict:
    """A results record in the schema above, whichever schema it was written in (numbers unchanged)."""
    r = dict(record)
    if "provenance" in r:                                  # the truncated-BPTT file before the schema
        p = r.pop("provenance")
        r.setdefault("command", p.get("command"))
        r.setdefault("versions", {k: p[k] for k in ("python", "numpy", "torch") if k in p})
        r.setdefault("date", p.get("date"))
    if "config" in r and "settings" not in r:
        r["settings"] = r.pop("config")
    settings = dict(r.get("settings") or {})
    if "threads" in r:                                     # the adding and pixel files kept it at the top
        settings["threads"] = r.pop("threads")
    r["settings"] = settings
    r.setdefault("seed", settings.get("seeds", settings.get("seed")))
    return {**{k: r.get(k) for k in HEAD}, **{k: v for k, v in r.items() if k not in HEAD}}


def load_results(name: str, data_dir=None):
    """Read ``book/data/<name>.json`` (the ``.json`` may be left out) in the schema above.

    A name with a wildcard (``"irnn_adding_*_T*"``) returns the list of every matching file's record,
    sorted by file name; a plain name returns the one record. ``data_dir`` defaults to ``DATA_DIR``.
    """
    base = Path(data_dir) if data_dir is not None else DATA_DIR
    pattern = name if name.endswith(".json") else name + ".json"
    if any(c in name for c in "*?["):
        return [normalise(json.loads(Path(p).read_text())) for p in sorted(glob.glob(str(base / pattern)))]
    path = base / pattern
    if not path.exists():
        raise ValueError(f"name: no results file {path.relative_to(base.parents[1]) if base == DATA_DIR else path}; "
                         f"run its experiment (python -m rnnlib.experiments --help)")
    return normalise(json.loads(path.read_text()))


def convert(paths) -> list:
    """Rewrite results files in the schema above, once: the same numbers, the head in front."""
    done = []
    for p in map(Path, paths):
        p.write_text(json.dumps(normalise(json.loads(p.read_text())), indent=1) + "\n")
        done.append(p)
    return done


if __name__ == "__main__":
    parser = argparse.ArgumentParser(prog="python -m rnnlib.experiments.results", description=__doc__.split("\n")[0])
    parser.add_argument("--convert", nargs="+", required=True, metavar="FILE",
                        help="results files to rewrite in the current schema (numbers unchanged)")
    for converted in convert(parser.parse_args().convert):
        print(f"converted {converted}")
