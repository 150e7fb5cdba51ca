"""Input checks shared by rnnlib's numpy functions.

Every public function checks its arguments before computing, so a reader who passes a
wrongly shaped array gets a ``ValueError`` that names the argument and the shape that was
expected, instead of a broadcast error from deep inside numpy.
"""
from __future__ import annotations

import numbers

import numpy as np

NONLINEARITIES = ("tanh", "relu", "linear")


def as_array(name: str, value, ndim: int, expected: str) -> np.ndarray:
    """Convert ``value`` with ``np.asarray`` and check its rank.

    ``expected`` is the shape in words, e.g. ``"(N, T, D)"``, used in the message.
    """
    try:
        arr = np.asarray(value)
    except Exception as exc:  # pragma: no cover - numpy raises for ragged input
        raise ValueError(f"{name}: expected an array of shape {expected}, could not convert it ({exc})") from exc
    if arr.dtype == object or not (np.issubdtype(arr.dtype, np.number) or arr.dtype == bool):
        raise ValueError(f"{name}: expected a numeric array of shape {expected}, got dtype {arr.dtype}")
    if arr.ndim != ndim:
        raise ValueError(f"{name}: expected shape {expected} ({ndim}-D), got shape {arr.shape} ({arr.ndim}-D)")
    return arr


def check_shape(name: str, arr: np.ndarray, shape: tuple, expected: str) -> None:
    """Raise ``ValueError`` unless ``arr.shape == shape``."""
    if arr.shape != tuple(shape):
        raise ValueError(f"{name}: expected shape {expected} = {tuple(shape)}, got {arr.shape}")


def check_positive_sizes(name: str, arr: np.ndarray, expected: str) -> None:
    """Raise ``ValueError`` if any dimension of ``arr`` is zero."""
    if 0 in arr.shape:
        raise ValueError(f"{name}: every size in {expected} must be positive, got shape {arr.shape}")


def check_choice(name: str, value, choices: tuple):
    """``value`` if it is one of ``choices``, else a ``ValueError`` that lists them."""
    if not isinstance(value, (str, int, float, type(None))) or value not in choices:
        raise ValueError(f"{name}: expected one of {tuple(choices)}, got {value!r}")
    return value


def check_nonlinearity(nonlinearity) -> str:
    return check_choice("nonlinearity", nonlinearity, NONLINEARITIES)


def check_int(name: str, value, minimum: int = 1) -> int:
    """An integer >= ``minimum`` (bools and floats are refused, numpy integers accepted)."""
    what = {0: "a non-negative integer", 1: "a positive integer"}.get(minimum, f"an integer >= {minimum}")
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < minimum:
        raise ValueError(f"{name}: expected {what}, got {value!r}")
    return int(value)


def check_positive_int(name: str, value) -> int:
    """An integer >= 1 (bools and floats are refused, numpy integers accepted); the message names the type."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise ValueError(f"{name}: expected a positive integer, got {value!r} ({type(value).__name__})")
    if value < 1:
        raise ValueError(f"{name}: expected a positive integer (>= 1), got {value}")
    return int(value)
