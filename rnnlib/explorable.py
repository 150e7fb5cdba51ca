"""Data for the book's interactive figures ("explorables", book/_static/explorables.js).

A notebook computes a small grid of curves with rnnlib and displays it with :func:`explorable_data`:
an inline ``<script type="application/json" data-explorable="NAME">`` that the page's JavaScript
looks up to draw the figure of the ``{container} explorable xp-NAME`` above it. Every word of the
figure (labels, legend, caption) is in the notebook's markdown, so it is translated with the page;
the payload holds numbers only. The payload's keys are documented at the top of explorables.js.
"""
from __future__ import annotations

import json
import re

import numpy as np

__all__ = ["log10_list", "sig_list", "explorable_data", "payload_json"]


def log10_list(values, digits: int = 2, floor: float = -99.0) -> list:
    """log10 |v| rounded to ``digits`` decimals, at least ``floor`` (so 0 stays finite), as a flat list.

    Curves drawn on a log axis are sent as log10 values: shorter than the numbers themselves, and
    the drawing is linear in them.
    """
    v = np.abs(np.asarray(values, dtype=float)).ravel()
    with np.errstate(divide="ignore"):
        out = np.maximum(np.log10(v), floor)
    return [round(float(t), digits) for t in out]


def sig_list(values, sig: int = 3) -> list:
    """The values rounded to ``sig`` significant digits, as a flat list of floats."""
    return [float(f"{float(t):.{sig}g}") for t in np.asarray(values, dtype=float).ravel()]


def payload_json(payload: dict) -> str:
    """Compact JSON; NaN or infinity raise ValueError (JSON has neither)."""
    return json.dumps(payload, separators=(",", ":"), allow_nan=False)


def explorable_data(name: str, payload: dict):
    """An IPython HTML object holding ``payload`` for the explorable ``xp-<name>`` of the page."""
    from IPython.display import HTML

    if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", name):
        raise ValueError(f"name: expected lower-case letters, digits and '-', got {name!r}")
    text = payload_json(payload)
    return HTML(f'<script type="application/json" data-explorable="{name}">{text}</script>')
