"""Per-step total gradients dL/dh_t for PyTorch's fused ``torch.nn.RNN``.

A fused ``nn.RNN`` returns every state ``out[:, t] = h_t``, and ``out.grad`` (after
``out.retain_grad()`` and ``backward``) holds only the *direct* gradient, what the loss sends
to h_t at step t. The *total* derivative also contains what flows back from step t+1
(the recursion {eq}`eq-bptt-total`)::

    dL/dh_t = direct_t + W_hh^T ( phi'(a_{t+1}) * dL/dh_{t+1} )

The fused kernel computes these inside its backward pass but does not return them. This module
replays the recursion in numpy after the fused step: T small matrix products, far cheaper than
running the whole forward pass as an explicit autograd loop (see ``python -m rnnlib.bench``).
"""
from __future__ import annotations

import numpy as np
import torch
from torch import nn


def total_state_grads(rnn: nn.RNN, out: torch.Tensor, direct: torch.Tensor) -> np.ndarray:
    """Total derivatives dL/dh_t, ``(N, T, H)`` numpy, of a one-layer, one-direction ``nn.RNN``.

    Parameters
    ----------
    rnn : the module (``batch_first=True``, ``nonlinearity`` tanh or relu, one layer, one direction).
    out : its output ``(N, T, H)``: every state h_t.
    direct : ``out.grad``, the direct gradients dL/dh_t (zeros where the loss does not read h_t).
    """
    if not isinstance(rnn, nn.RNN) or rnn.num_layers != 1 or rnn.bidirectional or not rnn.batch_first:
        raise ValueError("rnn: expected a one-layer, one-direction torch.nn.RNN with batch_first=True, "
                         f"got {rnn!r}")
    if out.dim() != 3 or out.shape[2] != rnn.hidden_size:
        raise ValueError(f"out: expected shape (N, T, H) with H = {rnn.hidden_size}, got {tuple(out.shape)}")
    if direct is None or tuple(direct.shape) != tuple(out.shape):
        got = None if direct is None else tuple(direct.shape)
        raise ValueError(f"direct: expected out.grad of shape {tuple(out.shape)}, got {got} "
                         "(call out.retain_grad() before backward)")
    # Time-major, contiguous copies: each step then reads one contiguous (N, H) block.
    d = direct.detach().numpy().transpose(1, 0, 2).copy()
    hs = out.detach().numpy().transpose(1, 0, 2)
    dphi = (1.0 - hs * hs) if rnn.nonlinearity == "tanh" else (hs > 0).astype(hs.dtype)
    W = rnn.weight_hh_l0.detach().numpy()
    T = d.shape[0]
    carry = np.zeros_like(d[0])
    for t in range(T - 1, -1, -1):
        d[t] += carry                              # eq-bptt-total: direct + what step t+1 sends back
        carry = (d[t] * dphi[t]) @ W               # W_hh^T delta_t, as row vectors
    return d.transpose(1, 0, 2)
