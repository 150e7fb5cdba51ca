"""nbval run over the book (``pytest --nbval-lax book/``): a table of seconds per chapter.

nbval executes each notebook cell by cell; this plugin adds up the cells' durations per notebook,
prints the table at the end, writes it to ``_build/timing/nbval.json`` and fails the run when a
chapter takes 60 s or more, or the whole book 300 s or more (the course's speed targets).
"""
import json
import os
import time
from collections import defaultdict
from pathlib import Path

CHAPTER_LIMIT_S = 60.0
BOOK_LIMIT_S = 300.0
_seconds = defaultdict(float)


def pytest_runtest_logreport(report):
    if report.nodeid.endswith(".ipynb") or ".ipynb::" in report.nodeid:
        _seconds[report.nodeid.split("::")[0]] += report.duration


def pytest_terminal_summary(terminalreporter):
    if not _seconds:
        return
    total = sum(_seconds.values())
    tr = terminalreporter
    tr.section("seconds per chapter (nbval)")
    for nb, s in _seconds.items():
        flag = "  <-- over the 60 s limit" if s >= CHAPTER_LIMIT_S else ""
        tr.write_line(f"{nb:<36} {s:7.1f} s{flag}")
    tr.write_line(f"{'total':<36} {total:7.1f} s  (limit {BOOK_LIMIT_S:.0f} s)")
    out = Path(__file__).resolve().parents[1] / "_build" / "timing" / "nbval.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"seconds": {k: round(v, 2) for k, v in _seconds.items()},
                               "total_seconds": round(total, 2), "date": time.strftime("%Y-%m-%d"),
                               "cpus": os.cpu_count()}, indent=1) + "\n")


def pytest_sessionfinish(session, exitstatus):
    if not _seconds or os.environ.get("RNNLIB_NO_TIME_LIMIT"):
        return
    if any(s >= CHAPTER_LIMIT_S for s in _seconds.values()) or sum(_seconds.values()) >= BOOK_LIMIT_S:
        session.exitstatus = 1
