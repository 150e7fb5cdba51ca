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

class SavedTensorBytes:
    """Count the bytes of the tensors autograd saves for the backward pass (a context manager).

    Inside ``with SavedTensorBytes() as m:``, every tensor an operation saves for its backward
    is recorded; ``m.nbytes`` is the size of the *distinct* storages among them (a weight matrix
    saved by every step counts once). This is the memory a graph holds on to until its
    ``backward()``: it is what BPTT has to keep, not the whole process's memory (parameters,
    inputs and temporaries that are freed during the forward pass are not counted).

    ``m.peak`` is the largest ``m.nbytes`` seen at a call of ``m.checkpoint()``, which also starts
    a new count: call it after each chunk's backward to get the largest graph of a chunked loop.
    """

    def __init__(self):
        self._storages: dict[int, int] = {}
        self.peak = 0
        self._ctx = None

    @property
    def nbytes(self) -> int:
        return int(sum(self._storages.values()))

    def checkpoint(self) -> int:
        """Record the current count into ``peak``, then start counting afresh; returns the count."""
        n = self.nbytes
        self.peak = max(self.peak, n)
        self._storages.clear()
        return n

    def _pack(self, t: torch.Tensor):
        st = t.untyped_storage()
        self._storages[st.data_ptr()] = st.nbytes()
        return t

    def __enter__(self):
        self._ctx = torch.autograd.graph.saved_tensors_hooks(self._pack, lambda t: t)
        self._ctx.__enter__()
        return self

    def __exit__(self, *exc):
        self._ctx.__exit__(*exc)
        self.peak = max(self.peak, self.nbytes)
        return False
