"""BPTT as a sum over paths: every (loss step t, use k of W_hh) term of dL/dW_hh, one by one.

The chapter "Backpropagation through time" writes the gradient of the recurrent weights as a
double sum ({eq}`eq-bptt-unrolled-sum`): for every loss step t and every step k <= t where W_hh is
used, the direct gradient of ell_t carried back to step k through the Jacobians of steps k+1..t,
times the immediate partial derivative of h_k ({eq}`eq-bptt-immediate`). ``path_terms`` returns all
those terms separately; their sum is ``rnn_backward``'s ``grads["Whh"]``.

Truncated BPTT(k1, k2) keeps some of the terms and drops the others ({eq}`eq-tbptt-window`):
``truncation_mask`` says which.

This is a tool for looking inside the gradient (it costs T backward passes), not for training.
"""
from __future__ import annotations

import numpy as np

from .rnn import _check_dhs, dphi_from_output, rnn_backward
from .truncated import truncation_windows


def path_terms(dhs, cache) -> np.ndarray:
    """All terms of {eq}`eq-bptt-unrolled-sum`, summed over the batch: shape ``(T, T, H, H)``.

    ``terms[t, k]`` (0-based) is the part of dL/dW_hh that the loss at step t sends back to the
    use of W_hh at step k: ``delta_k^(t) h_{k-1}^T``, with ``delta_k^(t)`` the pre-activation gradient
    of a backward pass that starts from ``dhs[:, t]`` alone. Zero for ``k > t`` (no path into the past).
    ``terms.sum(axis=(0, 1))`` is ``rnn_backward(dhs, cache)["Whh"]``; ``terms[t].sum(0)`` is
    d ell_t / dW_hh and ``terms[:, k].sum(0)`` is ``delta_k h_{k-1}^T`` ({eq}`eq-bptt-dWhh`).
    """
    dhs = _check_dhs(dhs, cache)
    hs = cache["hs"]
    N, T, H = hs.shape
    hprev = np.concatenate([cache["h0"][:, None, :], hs[:, :-1]], axis=1)
    dphi = dphi_from_output(hs, cache["nonlinearity"])
    terms = np.zeros((T, T, H, H), dtype=np.result_type(dhs, hs))
    for t in range(T):
        only_t = np.zeros_like(dhs)
        only_t[:, t] = dhs[:, t]                               # the loss at step t alone
        deltas = dphi[:, :t + 1] * rnn_backward(only_t, cache)["hs"][:, :t + 1]
        terms[t, :t + 1] = np.einsum("nki,nkj->kij", deltas, hprev[:, :t + 1])
    return terms


def truncation_mask(T: int, k1: int, k2: int) -> np.ndarray:
    """Which terms of {eq}`eq-bptt-unrolled-sum` BPTT(k1, k2) keeps: a ``(T, T)`` boolean array.

    ``mask[t, k]`` (0-based) is True when the loss at step t is in a chunk whose window reaches
    back to step k ({eq}`eq-tbptt-window`), so that
    ``(mask[:, :, None, None] * path_terms(dhs, cache)).sum((0, 1))`` is
    ``truncated_rnn_backward(dhs, cache, k1, k2)["Whh"]``.
    """
    windows = truncation_windows(T, k1, k2)
    T = int(T)
    mask = np.zeros((T, T), dtype=bool)
    for chunk_start, tau, window_start in windows:
        for t in range(chunk_start, tau + 1):                   # 1-based loss steps of this chunk
            mask[t - 1, window_start - 1:t] = True
    return mask
