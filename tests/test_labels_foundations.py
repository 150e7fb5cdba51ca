"""Every equation label that the Foundations modules of rnnlib cite exists in the book.

(Docstrings cite the book's equations by label, e.g. ``eq-bptt-total``; this keeps the two in step.)
"""
import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
MODULES = ["rnnlib/rnn.py", "rnnlib/charmodel.py", "rnnlib/scalar.py",
           "rnnlib/exercises/rnn.py", "rnnlib/exercises/scalar.py"]
CITED = re.compile(r"\beq-[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*")
DEFINED = [re.compile(r":label:\s*(eq-[\w-]+)"), re.compile(r"\$\$\s*\((eq-[\w-]+)\)")]


def book_labels():
    labels = set()
    for path in (ROOT / "book").glob("*.ipynb"):
        for cell in json.loads(path.read_text())["cells"]:
            if cell["cell_type"] == "markdown":
                text = "".join(cell["source"])
                for pattern in DEFINED:
                    labels.update(pattern.findall(text))
    return labels


@pytest.mark.parametrize("module", MODULES)
def test_cited_labels_exist_in_the_book(module):
    cited = set(CITED.findall((ROOT / module).read_text()))
    assert cited, f"{module} cites no equation"
    missing = cited - book_labels()
    assert not missing, f"{module} cites labels the book does not define: {sorted(missing)}"


def test_labels_are_unique_across_the_book():
    seen = {}
    for path in sorted((ROOT / "book").glob("*.ipynb")):
        for cell in json.loads(path.read_text())["cells"]:
            if cell["cell_type"] == "markdown":
                for pattern in DEFINED:
                    for label in pattern.findall("".join(cell["source"])):
                        assert label not in seen, f"{label} defined in {seen.get(label)} and {path.name}"
                        seen[label] = path.name
