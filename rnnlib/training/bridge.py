"""numpy weights <-> ``torch.nn.RNN`` / ``nn.LSTM`` / ``nn.GRU``: the one place that copies them.

rnnlib's numpy functions use PyTorch's weight layout (``Wxh`` is ``(H, D)``, gates in PyTorch's order),
so the copy is direct. PyTorch keeps two bias vectors, ``bias_ih`` and ``bias_hh``; the vanilla RNN and
the LSTM only ever use their sum (rnnlib's ``b``), the GRU uses both (``bx``, ``bh``: ``bh_n`` sits inside
the reset gate's product).

* ``to_torch(kind, *weights)``: a one-layer, batch-first module holding exactly these weights
  (``bias_ih = b``, ``bias_hh = 0`` for ``"rnn"`` and ``"lstm"``).
* ``from_torch(module)``: the weights of one layer and direction, in the argument order of the
  matching numpy forward (``rnn_forward``: ``Wxh, Whh, b``; ``lstm_forward``: ``Wx, Wh, b``;
  ``gru_forward``: ``Wx, Wh, bx, bh``).
"""
from __future__ import annotations

import numpy as np
import torch
from torch import nn

from .._validate import check_choice

KINDS = {"rnn": nn.RNN, "lstm": nn.LSTM, "gru": nn.GRU}
GATES = {"rnn": 1, "lstm": 4, "gru": 3}


def to_torch(kind: str, Wx, Wh, *biases, nonlinearity: str = "tanh", dtype=torch.float64) -> nn.Module:
    """A one-layer, batch-first ``nn.RNN``/``nn.LSTM``/``nn.GRU`` with the given numpy weights.

    ``kind`` is ``"rnn"`` (biases ``b``), ``"lstm"`` (``b``, the sum of PyTorch's two) or ``"gru"``
    (``bx, bh``). ``nonlinearity`` is for ``"rnn"`` only. Arrays or tensors are accepted.
    """
    kind = check_choice("kind", kind, tuple(KINDS))
    Wx, Wh = (torch.as_tensor(np.asarray(w), dtype=dtype) for w in (Wx, Wh))
    H, D = Wh.shape[1], Wx.shape[1]
    if Wx.shape[0] != GATES[kind] * H or Wh.shape != (GATES[kind] * H, H):
        raise ValueError(f"Wx, Wh: expected shapes ({GATES[kind]}H, D) and ({GATES[kind]}H, H) for {kind!r}, "
                         f"got {tuple(Wx.shape)} and {tuple(Wh.shape)}")
    n_bias = 2 if kind == "gru" else 1
    if len(biases) != n_bias:
        raise ValueError(f"biases: expected {n_bias} bias vector(s) for {kind!r}, got {len(biases)}")
    kwargs = {"nonlinearity": nonlinearity} if kind == "rnn" else {}
    module = KINDS[kind](D, H, batch_first=True, dtype=dtype, **kwargs)
    bias_ih = torch.as_tensor(np.asarray(biases[0]), dtype=dtype)
    bias_hh = torch.as_tensor(np.asarray(biases[1]), dtype=dtype) if kind == "gru" else torch.zeros_like(bias_ih)
    with torch.no_grad():
        for name, value in [("weight_ih", Wx), ("weight_hh", Wh), ("bias_ih", bias_ih), ("bias_hh", bias_hh)]:
            getattr(module, name + "_l0").copy_(value)
    return module


def from_torch(module: nn.Module, layer: int = 0, reverse: bool = False) -> tuple:
    """The float64 numpy weights of one layer and direction of ``module``, in numpy-forward order.

    ``nn.RNN`` -> ``(Wxh, Whh, b)``; ``nn.LSTM`` -> ``(Wx, Wh, b)`` with ``b = bias_ih + bias_hh``;
    ``nn.GRU`` -> ``(Wx, Wh, bx, bh)``. ``reverse=True`` picks the backward direction of a
    bidirectional module.
    """
    if not isinstance(module, tuple(KINDS.values())):
        raise ValueError(f"module: expected a torch.nn.RNN, LSTM or GRU, got {type(module).__name__}")
    suffix = f"_l{layer}" + ("_reverse" if reverse else "")
    w = {n: getattr(module, n + suffix).detach().double().numpy().copy()
         for n in ("weight_ih", "weight_hh", "bias_ih", "bias_hh")}
    if isinstance(module, nn.GRU):
        return w["weight_ih"], w["weight_hh"], w["bias_ih"], w["bias_hh"]
    return w["weight_ih"], w["weight_hh"], w["bias_ih"] + w["bias_hh"]
