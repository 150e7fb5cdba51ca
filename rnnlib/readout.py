"""The character model's read-out in numpy: logits, softmax and cross-entropy, forward and backward.

The math, for one sequence with column vectors (chapter "Recurrent networks from scratch")::

    o_t = W_hy h_t + b_y                                  (eq-rnn-output)
    p_t = softmax(o_t)                                    (eq-rnn-softmax)
    l_t = -log p_t[y_t],   L = sum_t l_t                  (eq-rnn-loss)

and backward::

    dl_t/do_t = p_t - e_{y_t}                             (eq-rnn-dlogits)
    dL/dW_hy = sum_t (p_t - e_{y_t}) h_t^T,  dL/db_y = sum_t (p_t - e_{y_t}),
    dl_t/dh_t = W_hy^T (p_t - e_{y_t})                    (eq-rnn-readout-grads)

``dl_t/dh_t`` is the *direct* gradient that ``rnn_backward`` takes as ``dhs``; it adds what
comes back from later steps itself. ``char_rnn_loss`` puts the two together, like the loss
function of min-char-rnn. Code is batch-first (``hs`` is ``(N, T, H)``) and the loss is summed
over the steps *and* the sequences of the batch.
"""
from __future__ import annotations

import numpy as np

from ._validate import as_array, check_positive_int, check_shape
from .rnn import rnn_backward, rnn_forward


def one_hot(indices, K: int) -> np.ndarray:
    """float64 one-hot vectors: ``one_hot(i, K)[..., k] = 1`` where ``k == i``, else 0.

    ``indices`` is an integer array of any shape with values in ``0 .. K-1``; the result has
    one more axis, of length ``K``.
    """
    K = check_positive_int("K", K)
    idx = np.asarray(indices)
    if not np.issubdtype(idx.dtype, np.integer):
        raise ValueError(f"indices: expected integers in 0..{K - 1}, got dtype {idx.dtype}")
    if idx.size and (idx.min() < 0 or idx.max() >= K):
        raise ValueError(f"indices: expected integers in 0..{K - 1}, got values from {idx.min()} to {idx.max()}")
    return (idx[..., None] == np.arange(K)).astype(np.float64)


def softmax(o) -> np.ndarray:
    """Softmax over the last axis (eq-rnn-softmax), computed stably by subtracting the maximum."""
    o = np.asarray(o)
    e = np.exp(o - o.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def _check_readout(hs, Why, by, targets):
    hs = as_array("hs", hs, 3, "(N, T, H)")
    N, T, H = hs.shape
    Why = as_array("Why", Why, 2, "(K, H)")
    K = Why.shape[0]
    check_shape("Why", Why, (K, H), f"(K, H) with H = {H} from hs")
    by = as_array("by", by, 1, "(K,)")
    check_shape("by", by, (K,), f"(K,) with K = {K} from Why")
    targets = np.asarray(targets)
    if targets.shape != (N, T):
        raise ValueError(f"targets: expected shape (N, T) = {(N, T)} from hs, got {targets.shape}")
    if not np.issubdtype(targets.dtype, np.integer):
        raise ValueError(f"targets: expected integer class indices in 0..{K - 1}, got dtype {targets.dtype}")
    if targets.size and (targets.min() < 0 or targets.max() >= K):
        raise ValueError(f"targets: expected integers in 0..{K - 1} (K = {K} from Why), "
                         f"got values from {targets.min()} to {targets.max()}")
    return hs, Why, by, targets


def readout_forward(hs, Why, by, targets):
    """Logits, softmax and summed cross-entropy for every step (eq-rnn-output, eq-rnn-softmax, eq-rnn-loss).

    Parameters
    ----------
    hs : (N, T, H) hidden states from ``rnn_forward``.
    Why : (K, H), by : (K,) read-out weights (the layout of ``torch.nn.Linear``).
    targets : (N, T) integer class of the next character at every step.

    Returns
    -------
    loss : float, ``L = sum over n and t of -log p_t[y_t]``.
    cache : dict with ``"logits"`` (N, T, K), ``"probs"`` (N, T, K) and what ``readout_backward`` needs.
    """
    hs, Why, by, targets = _check_readout(hs, Why, by, targets)
    logits = hs @ Why.T + by                                       # eq-rnn-output
    shifted = logits - logits.max(axis=-1, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))
    probs = np.exp(log_probs)                                      # eq-rnn-softmax
    picked = np.take_along_axis(log_probs, targets[..., None], axis=-1)
    loss = float(-picked.sum())                                    # eq-rnn-loss
    cache = {"hs": hs, "Why": Why, "targets": targets, "logits": logits, "probs": probs}
    return loss, cache


def readout_backward(cache) -> dict:
    """Gradients of the summed cross-entropy (eq-rnn-dlogits, eq-rnn-readout-grads).

    Returns a dict with ``"logits"`` (N, T, K): p_t - e_{y_t}; ``"hs"`` (N, T, H): the *direct*
    gradient dl_t/dh_t, to pass to ``rnn_backward`` as ``dhs``; ``"Why"`` (K, H) and ``"by"`` (K,).
    """
    hs, Why, probs, targets = cache["hs"], cache["Why"], cache["probs"], cache["targets"]
    K = Why.shape[0]
    dlogits = probs - one_hot(targets, K)                          # eq-rnn-dlogits
    N, T, H = hs.shape
    d2 = dlogits.reshape(N * T, K)
    return {
        "logits": dlogits,
        "hs": dlogits @ Why,                                       # W_hy^T (p_t - e_y), batch-first
        "Why": d2.T @ hs.reshape(N * T, H),                        # sum_t (p_t - e_y) h_t^T
        "by": d2.sum(axis=0),
    }


def char_rnn_loss(params: dict, x, targets, h0):
    """Loss and every gradient of a character-level RNN on a batch of sequences (like min-char-rnn's ``lossFun``).

    ``params`` holds ``"Wxh"`` (H, D), ``"Whh"`` (H, H), ``"b"`` (H,), ``"Why"`` (K, H), ``"by"`` (K,).
    ``x`` is (N, T, D) (one-hot characters), ``targets`` (N, T) integers, ``h0`` (N, H).
    The forward pass is ``rnn_forward`` (tanh) then ``readout_forward``; the backward pass is
    ``readout_backward`` then ``rnn_backward`` (eq-bptt-total, eq-bptt-delta, eq-bptt-params).

    Returns
    -------
    loss : float.
    grads : dict with the keys of ``params`` and ``"h0"``.
    cache : dict with ``"hs"``, ``"logits"``, ``"probs"`` and ``"dhs_total"`` (total dL/dh_t).
    """
    missing = {"Wxh", "Whh", "b", "Why", "by"} - set(params)
    if missing:
        raise ValueError(f"params: expected keys Wxh, Whh, b, Why, by; missing {sorted(missing)}")
    hs, rnn_cache = rnn_forward(x, h0, params["Wxh"], params["Whh"], params["b"], "tanh")
    loss, out_cache = readout_forward(hs, params["Why"], params["by"], targets)
    dout = readout_backward(out_cache)
    drnn = rnn_backward(dout["hs"], rnn_cache)
    grads = {"Wxh": drnn["Wxh"], "Whh": drnn["Whh"], "b": drnn["b"], "h0": drnn["h0"],
             "Why": dout["Why"], "by": dout["by"]}
    cache = {"hs": hs, "logits": out_cache["logits"], "probs": out_cache["probs"], "dhs_total": drnn["hs"]}
    return loss, grads, cache
