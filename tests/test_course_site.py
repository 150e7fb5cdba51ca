"""The website extension's pure helpers (book/_ext/course_site.py); the browser test covers the rest."""

import importlib.util
from pathlib import Path

import pytest

_PATH = Path(__file__).resolve().parents[1] / "book" / "_ext" / "course_site.py"
_spec = importlib.util.spec_from_file_location("course_site", _PATH)
course_site = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(course_site)


@pytest.mark.parametrize("term, aliases", [
    ("hidden state", []),
    ("recurrent neural network (RNN)", ["recurrent neural network", "RNN"]),
    ("backpropagation through time (BPTT)", ["backpropagation through time", "BPTT"]),
    ("window size / shifting size", ["window size", "shifting size"]),
    ("long short-term memory (LSTM) / LSTM cell", ["long short-term memory (LSTM)",
                                                    "long short-term memory", "LSTM", "LSTM cell"]),
    ("BPTT(k_1, k_2)", []),  # parentheses that are not an abbreviation after a space
    ("gradient clipping (by norm)", []),
])
def test_term_aliases(term, aliases):
    assert course_site.term_aliases(term) == aliases
