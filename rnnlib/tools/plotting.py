"""One figure style for the whole book.

Figures get a white background of their own, so they stay legible when the website is in dark
mode, labelled axes, and the same colour for the same model in every chapter.
"""
from __future__ import annotations

import matplotlib as mpl

#: The same colour for the same model everywhere in the book.
MODEL_COLORS = {
    "rnn_tanh": "#1f77b4", "tanh": "#1f77b4",
    "rnn_relu": "#ff7f0e", "relu": "#ff7f0e",
    "irnn": "#2ca02c",
    "lstm": "#d62728",
    "gru": "#9467bd",
    "linear": "#7f7f7f",
    "clockwork": "#8c564b",
}


def use_book_style() -> None:
    """Set matplotlib's rcParams for the book (call once at the top of a notebook)."""
    mpl.rcParams.update({
        "figure.figsize": (7.0, 3.6),
        "figure.dpi": 100,
        "savefig.dpi": 150,
        "figure.facecolor": "white",
        "axes.facecolor": "white",
        "savefig.facecolor": "white",
        "figure.constrained_layout.use": True,
        "axes.grid": True,
        "grid.alpha": 0.3,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.titlesize": 11,
        "axes.labelsize": 10,
        "legend.fontsize": 9,
        "legend.frameon": False,
        "font.size": 10,
        "image.cmap": "viridis",
    })
