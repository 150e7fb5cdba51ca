"""Stacked (multi-layer) RNNs, with optional skip connections between the layers.

Layer ``l`` (l = 1..L) runs its own recurrence over the sequence its input ``z^{l-1}`` gives it
(book notation, chapter "Beyond the vanilla RNN")::

    h^l_t = φ(W^l_hh h^l_{t-1} + W^l_xh z^{l-1}_t + b^l)                 (eq-beyond-deep-layer)

and the ``skip`` argument decides what ``z^l`` (the output of layer l, the input of layer l+1) is::

    "none":      z^l = h^l                          (z^0 = x; torch.nn.RNN with num_layers = L)
    "residual":  z^l = h^l + z^{l-1}   for l >= 2   (z^1 = h^1; He et al. 2016)   (eq-beyond-deep-residual)
    "dense":     z^l = [x; h^1; ...; h^l]            (every layer sees the input and all earlier layers)

The network's output is ``z^L``: ``(N, T, H)`` for "none" and "residual", ``(N, T, D + L·H)`` for
"dense" (``output_size`` says which). Each layer is a one-layer ``torch.nn.RNN``, PyTorch's fused
recurrence; only the wiring between layers is written here.
"""
from __future__ import annotations

import torch
from torch import nn

from ._validate import check_positive_int

SKIPS = ("none", "residual", "dense")


class StackedRNN(nn.Module):
    """``num_layers`` one-layer ``torch.nn.RNN``\\ s, batch first, wired by ``skip``.

    ``forward(x, h0=None)`` takes ``x`` ``(N, T, input_size)`` and ``h0`` ``(num_layers, N, H)`` (zeros if
    None) and returns ``(out, h_n)``: ``out`` ``(N, T, output_size)`` is ``z^L`` of
    {eq}`eq-beyond-deep-layer` / {eq}`eq-beyond-deep-residual`, and ``h_n`` ``(num_layers, N, H)`` the
    last state of every layer, as ``torch.nn.RNN`` returns them.
    """

    def __init__(self, input_size: int, hidden_size: int, num_layers: int, skip: str = "none",
                 nonlinearity: str = "tanh"):
        super().__init__()
        self.input_size = check_positive_int("input_size", input_size)
        self.hidden_size = H = check_positive_int("hidden_size", hidden_size)
        self.num_layers = L = check_positive_int("num_layers", num_layers)
        if skip not in SKIPS:
            raise ValueError(f"skip: expected one of {SKIPS}, got {skip!r}")
        if nonlinearity not in ("tanh", "relu"):
            raise ValueError(f"nonlinearity: expected 'tanh' or 'relu', got {nonlinearity!r}")
        self.skip = skip
        sizes = [input_size + l * H if skip == "dense" else (input_size if l == 0 else H) for l in range(L)]
        self.layers = nn.ModuleList(nn.RNN(d, H, nonlinearity=nonlinearity, batch_first=True) for d in sizes)
        self.output_size = input_size + L * H if skip == "dense" else H

    def forward(self, x: torch.Tensor, h0: torch.Tensor | None = None):
        if x.dim() != 3 or x.shape[-1] != self.input_size:
            raise ValueError(f"x: expected shape (N, T, input_size) with input_size = {self.input_size}, "
                             f"got {tuple(x.shape)}")
        L, H, N = self.num_layers, self.hidden_size, x.shape[0]
        if h0 is None:
            h0 = x.new_zeros(L, N, H)
        elif tuple(h0.shape) != (L, N, H):
            raise ValueError(f"h0: expected shape (num_layers, N, H) = {(L, N, H)}, got {tuple(h0.shape)}")
        z, last = x, []
        for l, rnn in enumerate(self.layers):
            h, h_n = rnn(z, h0[l:l + 1])                  # eq-beyond-deep-layer
            last.append(h_n[0])
            if self.skip == "none" or (self.skip == "residual" and l == 0):
                z = h
            elif self.skip == "residual":
                z = h + z                                  # eq-beyond-deep-residual
            else:
                z = torch.cat([z, h], dim=-1)              # dense: [x; h^1; ...; h^l]
        return z, torch.stack(last)
