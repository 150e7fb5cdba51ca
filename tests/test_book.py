"""The book and the library stay in step: labels cited in rnnlib exist, notebooks are clean and listed."""
import ast
import json
import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
BOOK = ROOT / "book"


def book_sources():
    for p in sorted(BOOK.glob("*.ipynb")):
        nb = json.loads(p.read_text())
        yield p, "\n".join("".join(c["source"]) for c in nb["cells"])
    for p in sorted(BOOK.glob("*.md")):
        yield p, p.read_text()


def defined_labels():
    labels = set()
    for _, text in book_sources():
        labels |= set(re.findall(r":label:\s*([A-Za-z0-9_-]+)", text))
        labels |= set(re.findall(r"^\(([A-Za-z0-9_-]+)\)=", text, flags=re.M))
        labels |= set(re.findall(r"\$\$\s*\((eq-[A-Za-z0-9_-]+)\)", text))
    return labels


def test_every_equation_label_cited_in_rnnlib_exists_in_the_book():
    """The one check of STYLE.md's rule (it replaces five per-chapter copies): every ``eq-...`` label a
    module of rnnlib cites, in a docstring, a comment or {eq}`...`, is defined by a page of the book."""
    cited = {}
    for py in sorted((ROOT / "rnnlib").rglob("*.py")):
        for label in re.findall(r"\beq-[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*", py.read_text()):
            cited.setdefault(label, str(py.relative_to(ROOT)))
    assert len(cited) > 50, "rnnlib cites (almost) no equation labels"
    missing = {k: v for k, v in cited.items() if k not in defined_labels()}
    assert not missing, f"labels cited in rnnlib but not defined in the book: {missing}"


def test_labels_are_unique_across_the_book():
    seen = {}
    for p, text in book_sources():
        for label in re.findall(r":label:\s*([A-Za-z0-9_-]+)", text):
            assert label not in seen, f"{label} defined in {seen[label]} and {p.name}"
            seen[label] = p.name


def test_toc_notebooks_lists_the_chapters_in_toc_order():
    from rnnlib.tools.timing import toc_notebooks
    toc = (ROOT / "_toc.yml").read_text()
    order = [m for m in re.findall(r"file:\s*(book/\w+)", toc) if (ROOT / f"{m}.ipynb").exists()]
    nbs = toc_notebooks(ROOT)
    assert [str(p.relative_to(ROOT).with_suffix("")) for p in nbs] == order and len(order) == 9


def test_notebooks_are_stored_without_outputs():
    for p in BOOK.glob("*.ipynb"):
        nb = json.loads(p.read_text())
        for c in nb["cells"]:
            if c["cell_type"] == "code":
                assert not c.get("outputs") and not c.get("execution_count"), f"{p.name} is stored with outputs"
        assert nb["metadata"]["kernelspec"]["name"] == "python3", p.name


def test_every_page_is_in_the_toc_and_every_toc_entry_exists():
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    files = set(re.findall(r"'file': '([^']+)'", str(toc))) | {toc["root"]}
    pages = {str(p.relative_to(ROOT).with_suffix("")) for p in list(BOOK.glob("*.ipynb")) + list(BOOK.glob("*.md"))}
    assert pages <= files, f"pages not in _toc.yml: {pages - files}"
    assert files <= pages, f"_toc.yml entries with no file: {files - pages}"


PARTS = {  # the reading order (issue 13); each chapter uses only what came before it
    "Foundations": ["recurrent_basics", "scalar_rnn", "jacobians"],
    "Training through time": ["bptt", "truncated_bptt", "clipping"],
    "Remedies": ["lstm_gru", "irnn", "beyond"],
    "Reference": ["notation", "glossary", "bibliography"],
}
ORDER = [name for part in PARTS.values() for name in part if name not in PARTS["Reference"]]


def test_toc_parts_hold_the_chapters_in_reading_order():
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    parts = {p["caption"]: [Path(c["file"]).name for c in p["chapters"]] for p in toc["parts"]}
    assert parts == PARTS


def test_readme_tables_and_intro_reading_path_follow_the_toc():
    readme = (ROOT / "README.md").read_text()
    table = re.findall(r"^\|[^|]*\|[^|]+\| `book/(\w+)\.ipynb` \|$", readme, flags=re.M)
    assert table == ORDER  # the chapter table
    titles = re.findall(r"^\|[^|]*\| ([^|]+?) \| `book/\w+\.ipynb` \|$", readme, flags=re.M)
    timing = re.search(r"^\| chapter \| nbval \| build \|\n\|.*\n((?:\|.*\n)+)", readme, flags=re.M)
    rows = [r.split("|")[1].strip() for r in timing.group(1).splitlines() if "**" not in r]
    assert len(rows) == len(titles) and all(t.startswith(r) for r, t in zip(rows, titles)), rows
    intro = (BOOK / "intro.md").read_text()
    path = intro.split("### How the chapters fit together")[1].split("\n## ")[0]
    docs = [m.group(2) or m.group(1) for m in re.finditer(r"\{doc\}`([^`<]+?)(?:\s*<([^>]+)>)?`", path)]
    assert list(dict.fromkeys(d.strip() for d in docs)) == ORDER


def test_every_chapter_has_summary_exercises_and_a_checked_formula():
    for p in BOOK.glob("*.ipynb"):
        nb = json.loads(p.read_text())
        md = "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")
        code = "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code")
        assert re.search(r"^#+ .*Summary", md, flags=re.M), f"{p.name}: no Summary section"
        assert md.count("{exercise}") >= 3, f"{p.name}: fewer than three exercises"
        assert ":label: eq-" in md, f"{p.name}: no labelled equation"
        asserts = [node for node in ast.walk(ast.parse(code)) if isinstance(node, ast.Assert)]
        tolerances = {n.attr for a in asserts for n in ast.walk(a) if isinstance(n, ast.Attribute)}
        assert {"AUTOGRAD_TOL", "FD_TOL"} <= tolerances, \
            f"{p.name}: no assert against autograd (rl.AUTOGRAD_TOL) and finite differences (rl.FD_TOL)"


def test_shown_code_lines_fit_the_code_box():
    """Issue 13: a code line a page shows is at most 88 characters, what the code box holds at 1280 px
    (book/_static/course.css sets the code font for that); cells whose input the page removes do not count."""
    too_long = []
    for p in sorted(BOOK.glob("*.ipynb")):
        for c in json.loads(p.read_text())["cells"]:
            if c["cell_type"] != "code" or "remove-input" in c["metadata"].get("tags", []):
                continue
            too_long += [(p.name, c.get("id"), len(line)) for line in "".join(c["source"]).split("\n")
                         if len(line) > 88]
    assert not too_long, f"code lines over 88 characters (notebook, cell id, length): {too_long}"
