"""Gradient clipping in numpy: rescale the whole gradient, or clamp each component.

The math (chapter "Gradient clipping"), with ``g`` the gradient of every parameter stacked into
one vector::

    ||g|| = sqrt( sum_k ||g_k||^2 )                        (eq-clip-global-norm)
    norm clipping:   g_hat = min(1, theta / ||g||) g       (eq-clip-norm)
    value clipping:  g_hat_i = min(max(g_i, -c), c)        (eq-clip-value)

Norm clipping (Pascanu, Mikolov & Bengio 2013) multiplies every array by the same positive
number, so the direction of the step is kept; value clipping (as in Karpathy's min-char-rnn,
``np.clip(dparam, -5, 5)``) clamps each component on its own and bends the direction.

The real tools are ``torch.nn.utils.clip_grad_norm_`` and ``clip_grad_value_``; the tests check
these functions against them. Both functions here take a dict of arrays (one per parameter, like
the ``grads`` that ``rnn_backward`` returns), return new arrays and never change their input.
"""
from __future__ import annotations

import numbers
from collections.abc import Mapping

import numpy as np


def _check_grads(grads) -> dict:
    """A dict of real numeric arrays (array-likes are converted with ``np.asarray``)."""
    if not isinstance(grads, Mapping):
        raise ValueError(f"grads: expected a dict of arrays (one per parameter), got {type(grads).__name__}")
    out = {}
    for key, value in grads.items():
        try:
            arr = np.asarray(value)
        except Exception as exc:  # ragged lists
            raise ValueError(f"grads[{key!r}]: expected a numeric array, could not convert it ({exc})") from exc
        if arr.dtype == bool or not (np.issubdtype(arr.dtype, np.integer) or np.issubdtype(arr.dtype, np.floating)):
            raise ValueError(f"grads[{key!r}]: expected a real numeric array, got dtype {arr.dtype}")
        out[key] = arr
    return out


def _check_threshold(name: str, value) -> float:
    """A real number > 0 (``inf`` allowed: it never clips)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ValueError(f"{name}: expected a positive number, got {value!r} ({type(value).__name__})")
    value = float(value)
    if not value > 0:  # also refuses NaN
        raise ValueError(f"{name}: expected a positive number (> 0), got {value}")
    return value


def global_norm(grads) -> float:
    """The L2 norm of all arrays in ``grads`` together, {eq}`eq-clip-global-norm`, as a Python float.

    Computed as ``m * sqrt(sum((g / m)**2))`` with ``m`` the largest ``|g_i|``, so a finite gradient
    has a finite norm even where the plain sum of squares would overflow (float64 beyond 1e154,
    float32 beyond 1e19). Returns ``inf`` or ``nan`` if any component is.
    """
    arrays = [a for a in _check_grads(grads).values() if a.size]
    if not arrays:
        return 0.0
    m = float(np.max([np.max(np.abs(a)) for a in arrays]))   # np.max propagates nan; inf stays inf
    if m == 0.0 or not np.isfinite(m):
        return m
    return m * float(np.sqrt(sum(np.sum(np.square(a / m, dtype=np.float64)) for a in arrays)))


def clip_by_norm(grads, max_norm):
    """Norm clipping, {eq}`eq-clip-norm`: rescale every array by ``max_norm / ||g||`` when ``||g|| > max_norm``.

    Parameters
    ----------
    grads : dict of arrays, e.g. ``{"Wxh": ..., "Whh": ..., "b": ...}``.
    max_norm : the threshold theta > 0.

    Returns
    -------
    clipped : a new dict of new arrays, the same keys in the same order. Unchanged values (copies)
        when ``||g|| <= max_norm``, otherwise each array times ``max_norm / ||g||``, so the clipped
        gradient has norm ``max_norm`` (up to rounding) and the same direction.
    total_norm : ``||g||`` before clipping, {eq}`eq-clip-global-norm`, a Python float.

    Raises ``FloatingPointError`` if ``||g||`` is NaN or infinite (a NaN gradient cannot be rescaled
    into a useful step), ``ValueError`` for a non-dict, a non-numeric array or ``max_norm <= 0``.
    ``torch.nn.utils.clip_grad_norm_`` computes the same with ``max_norm / (||g|| + 1e-6)``.
    """
    grads = _check_grads(grads)
    max_norm = _check_threshold("max_norm", max_norm)
    total_norm = global_norm(grads)          # eq-clip-global-norm
    if not np.isfinite(total_norm):
        raise FloatingPointError(
            f"clip_by_norm: the total gradient norm is {total_norm}; a gradient "
            "with NaN or inf cannot be clipped into a useful step")
    if total_norm > max_norm:
        scale = max_norm / total_norm    # a Python float: float32 stays float32
        return {k: np.asarray(g * scale) for k, g in grads.items()}, total_norm
    return {k: g.copy() for k, g in grads.items()}, total_norm


def clip_by_value(grads, max_value):
    """Value clipping, {eq}`eq-clip-value`: clamp every component to ``[-max_value, max_value]``.

    Returns a new dict of new arrays (the same keys in the same order). Like
    ``torch.nn.utils.clip_grad_value_``, NaN stays NaN and ``+-inf`` becomes ``+-max_value``.
    Raises ``ValueError`` for a non-dict, a non-numeric array or ``max_value <= 0``.
    """
    grads = _check_grads(grads)
    max_value = _check_threshold("max_value", max_value)
    return {k: np.asarray(np.clip(g, -max_value, max_value))
            for k, g in grads.items()}
