"""Truncated backpropagation through time, BPTT(k1, k2) (Williams & Peng 1990), in numpy.

"Every k1 steps, run BPTT for k2 steps" (Sutskever 2013). Many readers know k2 as the
*window size* and k1 as the *shifting size*. Steps are counted 1..T. Chunks of k1 steps end
at tau = k1, 2 k1, ... and at T. For the chunk ending at tau the window is the steps
max(1, tau - k2 + 1) .. tau: the direct gradients of the chunk's own steps are sent back
through every step of the window, and the state entering the window is held constant.
The gradient is {eq}`eq-tbptt-window` of the chapter "Truncated BPTT" (the full sum over paths with
the paths that leave the window removed), computed by the per-chunk recursion {eq}`eq-tbptt-recursion`.
"""
from __future__ import annotations

import numpy as np

from ._validate import check_positive_int
from .rnn import _check_dhs, _param_grads, dphi_from_output


def truncation_windows(T: int, k1: int, k2: int):
    """List the chunks of BPTT(k1, k2) as ``(chunk_start, tau, window_start)``, 1-based, inclusive.

    >>> truncation_windows(5, 2, 3)
    [(1, 2, 1), (3, 4, 2), (5, 5, 3)]
    """
    T = check_positive_int("T", T)
    k1 = check_positive_int("k1", k1)
    k2 = check_positive_int("k2", k2)
    if k2 < k1:
        raise ValueError(f"k2: expected k2 >= k1 (the window must cover its chunk), got k1 = {k1}, k2 = {k2}")
    k1, k2 = min(k1, T), min(k2, T)
    taus = list(range(k1, T + 1, k1))
    if taus[-1] != T:                      # the last chunk may be shorter
        taus.append(T)
    out, prev = [], 0
    for tau in taus:
        out.append((prev + 1, tau, max(1, tau - k2 + 1)))
        prev = tau
    return out


def truncated_rnn_backward(dhs, cache, k1, k2):
    """Gradients of BPTT(k1, k2) for a sequence run by ``rnn_forward``: {eq}`eq-tbptt-window`.

    One backward recursion per chunk, from its end tau back to its window start
    ({eq}`eq-tbptt-chunks`, {eq}`eq-tbptt-recursion`).

    Parameters
    ----------
    dhs : (N, T, H) direct gradients dL/dh_t, as for ``rnn_backward``.
    cache : from ``rnn_forward``.
    k1 : the shifting size (how often a backward pass starts), integer >= 1.
    k2 : the window size (how many steps each backward pass goes back), integer >= k1.
        Values larger than T act as T; ``k1 == k2 == T`` gives exactly ``rnn_backward``.

    Returns
    -------
    grads : dict with ``"x"``, ``"h0"``, ``"Wxh"``, ``"Whh"``, ``"b"``, summed over chunks.
        ``"h0"`` only receives gradient from windows that start at step 1.
    """
    dhs = _check_dhs(dhs, cache)
    hs, Whh, nl = cache["hs"], cache["Whh"], cache["nonlinearity"]
    N, T, H = hs.shape
    windows = truncation_windows(T, k1, k2)
    dtype = np.result_type(dhs, hs)
    dphi = dphi_from_output(hs, nl)
    # Every weight gradient is sum_t delta_t (outer) input_t, so we add up each step's deltas
    # over all the windows that pass through it and form the products once at the end.
    deltas = np.zeros((N, T, H), dtype=dtype)
    dh0 = np.zeros((N, H), dtype=dtype)
    for chunk_start, tau, window_start in windows:
        carry = np.zeros((N, H), dtype=dtype)
        for t in range(tau, window_start - 1, -1):          # 1-based step t is index t - 1
            g = carry + dhs[:, t - 1] if t >= chunk_start else carry
            d = g * dphi[:, t - 1]
            deltas[:, t - 1] += d
            carry = d @ Whh
        if window_start == 1:                                # the window reaches back to h0
            dh0 += carry
    grads = _param_grads(deltas, cache)
    grads["h0"] = dh0
    return grads
