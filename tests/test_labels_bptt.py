"""The equation labels that the BPTT and truncated-BPTT code cites exist in those chapters.

(rnn.py also cites the compact labels eq-rnn-*, eq-bptt-total, -delta, -params of the chapter
"Recurrent networks from scratch"; the book-wide check of every label belongs with that chapter.)
"""
import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OWN = {"rnnlib/paths.py", "rnnlib/stateful.py", "rnnlib/cost.py", "rnnlib/truncated.py",
       "rnnlib/exercises/bptt.py", "rnnlib/exercises/tbptt.py"}
COMPACT = {"eq-rnn-preact", "eq-rnn-state", "eq-bptt-total", "eq-bptt-delta", "eq-bptt-params"}


def defined_labels():
    labels = set()
    for name in ("bptt", "truncated_bptt"):
        nb = json.loads((ROOT / "book" / f"{name}.ipynb").read_text())
        text = "\n".join("".join(c["source"]) for c in nb["cells"])
        labels |= set(re.findall(r":label:\s*(\S+)", text))
    return labels


def test_labels_cited_in_code_exist():
    defined = defined_labels()
    assert "eq-tbptt-window" in defined and "eq-bptt-unrolled-sum" in defined
    for path in sorted(OWN | {"rnnlib/rnn.py"}):
        cited = set(re.findall(r"\{eq\}`([^`]+)`", (ROOT / path).read_text()))
        missing = cited - defined - (COMPACT if path == "rnnlib/rnn.py" else set())
        assert not missing, (path, missing)


def test_labels_use_the_chapter_prefixes():
    for label in defined_labels():
        assert re.match(r"(eq|fig|ex|thm|def)-(bptt|tbptt)-", label), label
    assert not defined_labels() & COMPACT                            # those belong to another chapter
