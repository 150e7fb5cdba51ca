"""The torch layers of the chapter "Beyond the vanilla RNN": the Clockwork RNN and stacked RNNs.

Stacked (multi-layer) RNNs, with optional skip connections between the layers.

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

import math

import torch
from torch import nn

from .._validate import check_positive_int
from ..clockwork import _check_modules, clockwork_mask, clockwork_unit_periods

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


# --- the torch module ---------------------------------------------------------------------------

class ClockworkRNN(nn.Module):
    """A Clockwork RNN layer with a tanh (or relu) nonlinearity, batch first.

    ``module_sizes`` is a list (one size per module) or one integer; ``periods`` one clock period per
    module (the paper uses 1, 2, 4, ...). Parameters ``weight_ih`` ``(H, D)``, ``weight_hh`` ``(H, H)``,
    ``bias`` ``(H,)`` are initialised like ``torch.nn.RNN`` (uniform in ±1/sqrt(H)), with the masked
    entries of ``weight_hh`` set to zero. The forward pass always uses ``weight_hh * mask``, so the
    masked entries get a zero gradient and never influence the output, whatever an optimiser does.

    ``forward(x, h0=None, t_start=1)`` takes ``x`` ``(N, T, D)`` and returns ``(hs, h_T)`` like
    ``torch.nn.RNN``: ``hs`` ``(N, T, H)`` holds every state, ``hs[:, k]`` being h_{t_start + k}.
    Implements {eq}`eq-beyond-cw-update`.
    """

    def __init__(self, input_size: int, module_sizes, periods, nonlinearity: str = "tanh"):
        super().__init__()
        self.input_size = check_positive_int("input_size", input_size)
        module_sizes, periods = _check_modules(module_sizes, periods)
        if nonlinearity not in ("tanh", "relu"):
            raise ValueError(f"nonlinearity: expected 'tanh' or 'relu', got {nonlinearity!r}")
        self.module_sizes, self.periods, self.nonlinearity = module_sizes, periods, nonlinearity
        self.hidden_size = H = sum(module_sizes)
        self.weight_ih = nn.Parameter(torch.empty(H, self.input_size))
        self.weight_hh = nn.Parameter(torch.empty(H, H))
        self.bias = nn.Parameter(torch.empty(H))
        self.register_buffer("mask", torch.as_tensor(clockwork_mask(module_sizes, periods),
                                                     dtype=torch.get_default_dtype()))
        self.register_buffer("unit_periods", torch.as_tensor(clockwork_unit_periods(module_sizes, periods)))
        self.reset_parameters()

    def reset_parameters(self) -> None:
        bound = 1.0 / math.sqrt(self.hidden_size)
        with torch.no_grad():
            for p in (self.weight_ih, self.weight_hh, self.bias):
                p.uniform_(-bound, bound)
            self.weight_hh.masked_fill_(self.mask == 0, 0.0)

    def recurrent_matrix(self) -> torch.Tensor:
        """The effective recurrent weights ``W_hh ⊙ M`` used in the forward pass."""
        return self.weight_hh * self.mask

    def schedule(self, T: int, t_start: int = 1) -> torch.Tensor:
        """``(T, H)`` boolean tensor ``s_t`` per unit: True where the unit's module ticks at that step."""
        t = torch.arange(t_start, t_start + T, device=self.unit_periods.device)
        return t[:, None] % self.unit_periods[None, :] == 0

    def forward(self, x: torch.Tensor, h0: torch.Tensor | None = None, t_start: int = 1):
        if x.dim() != 3 or x.shape[-1] != self.input_size:
            raise ValueError(f"x: expected shape (N, T, input_size) with input_size = {self.input_size}, "
                             f"got {tuple(x.shape)}")
        N, T, _ = x.shape
        H = self.hidden_size
        if h0 is None:
            h0 = x.new_zeros(N, H)
        elif tuple(h0.shape) != (N, H):
            raise ValueError(f"h0: expected shape (N, H) = {(N, H)}, got {tuple(h0.shape)}")
        act = torch.tanh if self.nonlinearity == "tanh" else torch.relu
        W = self.recurrent_matrix()
        xw = x @ self.weight_ih.T + self.bias            # the input term for every step at once
        s = self.schedule(T, t_start)
        h, hs = h0, []
        WT = W.T
        for k in range(T):
            a = torch.addmm(xw[:, k], h, WT)              # a_t = (W_hh ⊙ M) h_{t-1} + W_xh x_t + b
            h = torch.where(s[k], act(a), h)              # eq-beyond-cw-update: s_t ⊙ φ(a_t) + (1 - s_t) ⊙ h_{t-1}
            hs.append(h)
        return torch.stack(hs, dim=1), h
