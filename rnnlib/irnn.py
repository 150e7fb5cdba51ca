"""Why identity + ReLU starts with neither vanishing nor exploding gradients, as code.

``relu_rnn_jacobian`` is the one-step Jacobian of a ReLU RNN (``eq-irnn-jacobian``); with
``W_hh = I`` a product of them is a diagonal 0/1 matrix (``eq-irnn-product``). ``state_gradient_norms``
measures ``||dL/dh_t||`` at every step of a torch model (the total derivative of ``eq-irnn-total``),
by running the recurrent module one step at a time and keeping each state's gradient.
"""
from __future__ import annotations

import numpy as np
import torch
from torch import nn

from ._validate import as_array


def relu_rnn_jacobian(a, Whh) -> np.ndarray:
    """``dh_t/dh_{t-1} = diag(1[a_t > 0]) W_hh`` (``eq-irnn-jacobian``) for a ReLU RNN.

    ``a`` is the pre-activation ``(H,)`` or a batch ``(N, H)``; ``Whh`` is ``(H, H)``.
    Returns ``(H, H)`` or ``(N, H, H)``. The inputs are not modified.
    """
    Whh = as_array("Whh", Whh, 2, "(H, H)")
    H = Whh.shape[0]
    if Whh.shape != (H, H):
        raise ValueError(f"Whh: expected a square shape (H, H), got {Whh.shape}")
    a = np.asarray(a)
    if a.ndim not in (1, 2) or a.shape[-1] != H:
        raise ValueError(f"a: expected shape (H,) or (N, H) with H = {H}, got {a.shape}")
    mask = (a > 0).astype(np.result_type(Whh.dtype, np.float64))
    return mask[..., :, None] * Whh


def _step(rnn: nn.Module, x_t: torch.Tensor, state):
    out, state = rnn(x_t, state)
    return out[:, -1], state


def state_gradient_norms(model: nn.Module, x, y, task: str = "regression") -> np.ndarray:
    """``||dL/dh_t||`` for t = 1..T at the model's current weights (``eq-irnn-total``).

    ``model`` is an ``rnnlib.SequenceModel`` (one layer, one direction). The loss is summed over the
    batch, so each example's gradient is its own; the norm is taken per example and averaged over the
    batch. Returns a numpy array of length T. The fused module would hide the states in between, so the
    module is applied one step at a time, with the same weights, and every state keeps its gradient.
    """
    rnn = model.rnn
    if rnn.num_layers != 1 or rnn.bidirectional:
        raise ValueError("model: expected a one-layer, one-direction recurrent module")
    dtype = next(model.parameters()).dtype
    x = torch.as_tensor(np.asarray(x) if not isinstance(x, torch.Tensor) else x).to(dtype)
    if x.dim() != 3 or x.shape[-1] != rnn.input_size:
        raise ValueError(f"x: expected shape (N, T, {rnn.input_size}), got {tuple(x.shape)}")
    if task not in ("regression", "classification"):
        raise ValueError(f"task: expected 'regression' or 'classification', got {task!r}")
    y = torch.as_tensor(np.asarray(y) if not isinstance(y, torch.Tensor) else y)
    y = y.long() if task == "classification" else y.to(dtype)
    state, hs = None, []
    for t in range(x.shape[1]):
        h, state = _step(rnn, x[:, t:t + 1], state)
        h.retain_grad()
        hs.append(h)
        # the next step must start from this very tensor, so that gradients flow through it
        state = h[None] if isinstance(rnn, (nn.RNN, nn.GRU)) else (h[None], state[1])
    out = model.readout(hs[-1])
    if task == "classification":
        loss = nn.functional.cross_entropy(out, y, reduction="sum")
    else:
        loss = nn.functional.mse_loss(out, y, reduction="sum")
    model.zero_grad()
    loss.backward()
    norms = torch.stack([torch.linalg.vector_norm(h.grad, dim=1).mean() for h in hs])
    model.zero_grad()
    return norms.detach().numpy()
