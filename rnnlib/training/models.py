"""Torch models: one small wrapper around ``torch.nn.RNN`` / ``LSTM`` / ``GRU`` and the
initialisations the book compares (identity for the IRNN, forget-gate bias for the LSTM).

The recurrent layer is PyTorch's own fused module (the "real tool"); what the book derives by
hand lives in the numpy modules and is checked against it.
"""
from __future__ import annotations

import contextlib

import torch
from torch import nn

from .._validate import check_positive_int

CELLS = {"rnn": nn.RNN, "lstm": nn.LSTM, "gru": nn.GRU}

#: Named models the chapters compare: (cell, nonlinearity, initialisation).
MODEL_NAMES = ("irnn", "rnn_tanh", "rnn_relu", "lstm", "gru")


@contextlib.contextmanager
def seeded(seed: int):
    """Draw from torch's global generator as if it had been seeded with ``seed``, then put it back.

    A model built inside ``with seeded(seed):`` gets the same initial weights for the same seed, and
    whatever the caller does with the global generator afterwards is not changed by the library.
    """
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        yield


class SequenceModel(nn.Module):
    """A recurrent layer followed by a linear read-out of the last hidden state.

    ``cell`` is ``"rnn"``, ``"lstm"`` or ``"gru"``; ``nonlinearity`` applies to ``"rnn"`` only.
    Input ``x`` is batch-first ``(N, T, input_size)``; output ``(N, output_size)``.
    """

    def __init__(self, input_size: int, hidden_size: int, output_size: int, cell: str = "rnn",
                 nonlinearity: str = "tanh", num_layers: int = 1, bidirectional: bool = False):
        super().__init__()
        if cell not in CELLS:
            raise ValueError(f"cell: expected one of {tuple(CELLS)}, got {cell!r}")
        for name, v in [("input_size", input_size), ("hidden_size", hidden_size),
                        ("output_size", output_size), ("num_layers", num_layers)]:
            check_positive_int(name, v)
        kwargs = dict(num_layers=num_layers, batch_first=True, bidirectional=bidirectional)
        if cell == "rnn":
            if nonlinearity not in ("tanh", "relu"):
                raise ValueError(f"nonlinearity: expected 'tanh' or 'relu' for torch.nn.RNN, got {nonlinearity!r}")
            kwargs["nonlinearity"] = nonlinearity
        self.cell, self.input_size = cell, input_size
        self.rnn = CELLS[cell](input_size, hidden_size, **kwargs)
        self.readout = nn.Linear(hidden_size * (2 if bidirectional else 1), output_size)

    def forward(self, x: torch.Tensor, state=None) -> torch.Tensor:
        if x.dim() != 3 or x.shape[-1] != self.input_size:
            raise ValueError(f"x: expected shape (N, T, input_size) with input_size = {self.input_size}, "
                             f"got {tuple(x.shape)}")
        out, _ = self.rnn(x, state)
        return self.readout(out[:, -1])


def irnn_init_(rnn: nn.RNN, scale: float = 1.0) -> nn.RNN:
    """IRNN initialisation (Le, Jaitly & Hinton 2015): ``weight_hh = scale * I``, biases zero,
    input weights from N(0, 0.001^2), in every layer and direction, with torch's global generator.

    ``rnn`` must be a ``torch.nn.RNN`` with ``nonlinearity="relu"``.
    """
    if not isinstance(rnn, nn.RNN) or rnn.nonlinearity != "relu":
        got = f"nn.RNN with nonlinearity={rnn.nonlinearity!r}" if isinstance(rnn, nn.RNN) else type(rnn).__name__
        raise ValueError(f"rnn: expected a torch.nn.RNN with nonlinearity='relu', got {got}")
    with torch.no_grad():
        for name, p in rnn.named_parameters():
            if name.startswith("weight_hh"):
                p.copy_(scale * torch.eye(p.shape[0], dtype=p.dtype))
            elif name.startswith("weight_ih"):
                p.normal_(0.0, 0.001)
            elif name.startswith("bias"):
                p.zero_()
    return rnn


def set_forget_bias_(lstm: nn.LSTM, value: float = 1.0) -> nn.LSTM:
    """Make the *effective* forget-gate bias ``bias_ih + bias_hh`` equal ``value`` in every layer and
    direction: the forget slice (rows H:2H, gate order i, f, g, o) of ``bias_ih`` becomes ``value`` and
    of ``bias_hh`` zero; the other gates' effective biases are unchanged.
    """
    if not isinstance(lstm, nn.LSTM):
        raise ValueError(f"lstm: expected a torch.nn.LSTM, got {type(lstm).__name__}")
    if not lstm.bias:
        raise ValueError("lstm: expected an LSTM built with bias=True, got bias=False (no bias to set)")
    H = lstm.hidden_size
    with torch.no_grad():
        for name, p in lstm.named_parameters():
            if name.startswith("bias_ih"):
                p[H:2 * H] = value
            elif name.startswith("bias_hh"):
                p[H:2 * H] = 0.0
    return lstm


def make_model(name: str, input_size: int, hidden_size: int, output_size: int, seed: int = 0,
               irnn_scale: float = 1.0, gaussian_std: float = 0.001) -> SequenceModel:
    """Build one of the models the chapters compare, its weights drawn as if torch were seeded with ``seed``
    (inside ``seeded(seed)``: the caller's global generator is left as it was).

    - ``"irnn"``: ReLU RNN with ``irnn_init_(scale=irnn_scale)``.
    - ``"rnn_tanh"``: tanh RNN with PyTorch's default initialisation.
    - ``"rnn_relu"``: ReLU RNN whose recurrent weights are drawn from N(0, gaussian_std^2).
    - ``"lstm"``: LSTM with forget bias 1 (``set_forget_bias_``).
    - ``"gru"``: GRU with PyTorch's default initialisation.
    """
    if name not in MODEL_NAMES:
        raise ValueError(f"name: expected one of {MODEL_NAMES}, got {name!r}")
    with seeded(seed):
        if name in ("irnn", "rnn_relu"):
            model = SequenceModel(input_size, hidden_size, output_size, "rnn", "relu")
            if name == "irnn":
                irnn_init_(model.rnn, irnn_scale)
            else:
                with torch.no_grad():
                    for pname, p in model.rnn.named_parameters():
                        if pname.startswith("weight_hh"):
                            p.normal_(0.0, gaussian_std)
                        elif pname.startswith("bias"):
                            p.zero_()
        elif name == "rnn_tanh":
            model = SequenceModel(input_size, hidden_size, output_size, "rnn", "tanh")
        elif name == "lstm":
            model = SequenceModel(input_size, hidden_size, output_size, "lstm")
            set_forget_bias_(model.rnn, 1.0)
        else:
            model = SequenceModel(input_size, hidden_size, output_size, "gru")
    return model


class StatefulCharRNN(nn.Module):
    """One-hot characters -> ``torch.nn.RNN`` -> a linear read-out of logits at every step.

    With one-hot inputs ``x_t``, the layer computes exactly ``h_t = phi(W_hh h_{t-1} + W_xh x_t + b)``
    of the notation page (``W_xh x_t`` picks a column of ``W_xh``), and ``logits_t = W_hy h_t + b_y``.
    """

    def __init__(self, vocab_size: int, hidden_size: int, nonlinearity: str = "tanh"):
        super().__init__()
        self.vocab_size = check_positive_int("vocab_size", vocab_size)
        check_positive_int("hidden_size", hidden_size)
        self.rnn = nn.RNN(vocab_size, hidden_size, nonlinearity=nonlinearity, batch_first=True)
        self.readout = nn.Linear(hidden_size, vocab_size)

    def forward(self, ids: torch.Tensor, state=None):
        """``ids`` (N, T) integer -> ``(logits (N, T, V), state (1, N, H))``."""
        x = nn.functional.one_hot(ids, self.vocab_size).to(self.readout.weight.dtype)
        out, state = self.rnn(x, state)
        return self.readout(out), state
