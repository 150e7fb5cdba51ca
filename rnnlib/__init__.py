"""rnnlib: the small library behind "Gradients in Recurrent Networks".

The layers, bottom to top (a lower layer never imports a higher one):

* the numpy core, the modules at the top of this package: what the book derives by hand, forward and
  backward side by side (``rnn``, ``truncated``, ``paths``, ``cells``, ``clockwork``, ``clip``, ``scalar``,
  ``jacobian``, ``readout``, ``check``, ``_validate``). It imports no torch.
* ``training``: the torch models and initialisations, the one trainer, the numpy <-> torch weight bridge,
  truncated BPTT in torch, and probes (per-step gradient norms, saved-tensor bytes).
* ``tasks``: the data (adding problem, pixels, agreement, remember-the-first-input, text streams).
* ``tools``: timing, the benchmark, the figure style.
* ``exercises`` (one checker module per chapter) and ``experiments`` (long runs and their results files).

``import rnnlib`` loads the numpy core only; every other public name below is loaded on first use
(torch is needed from there on). The public names are ``__all__``, grouped by layer.
"""
from __future__ import annotations

import importlib

# --- numpy core -------------------------------------------------------------------------------------
from .cells import (gru_backward, gru_forward, gru_step_backward, gru_step_forward, lstm_backward, lstm_forward,
                    lstm_step_backward, lstm_step_forward, sigmoid)
from .check import AUTOGRAD_TOL, FD_STEP, FD_TOL, gradcheck, numerical_gradient, rel_error, rnn_gradcheck
from .clip import clip_by_norm, clip_by_value, global_norm
from .clockwork import (clockwork_backward, clockwork_forward, clockwork_mask, clockwork_schedule,
                        clockwork_unit_periods)
from .jacobian import (DPHI_BOUND, dphi_bound, jacobian_norm_bound, jacobian_product_norms, jacobian_products,
                       matrix_power_norms, power_by_eig, relu_rnn_jacobian, sigma_max, spectral_radius,
                       step_jacobians)
from .paths import path_terms, truncation_mask
from .readout import char_rnn_loss, one_hot, readout_backward, readout_forward, softmax
from .rnn import dphi_from_output, phi, rnn_backward, rnn_forward
from .scalar import scalar_bound, scalar_dy_dh1, scalar_forward, scalar_output, tanh_fixed_point
from .truncated import truncated_rnn_backward, truncation_windows

__version__ = "1.0.0"  # the course's version: pyproject.toml, _config.yml and CITATION.cff say the same

CORE = [
    "rnn_forward", "rnn_backward", "phi", "dphi_from_output",
    "truncated_rnn_backward", "truncation_windows", "path_terms", "truncation_mask",
    "lstm_forward", "lstm_backward", "lstm_step_forward", "lstm_step_backward",
    "gru_forward", "gru_backward", "gru_step_forward", "gru_step_backward", "sigmoid",
    "clockwork_schedule", "clockwork_mask", "clockwork_unit_periods", "clockwork_forward", "clockwork_backward",
    "clip_by_norm", "clip_by_value", "global_norm",
    "scalar_forward", "scalar_output", "scalar_dy_dh1", "scalar_bound", "tanh_fixed_point",
    "step_jacobians", "jacobian_products", "jacobian_product_norms", "spectral_radius", "sigma_max",
    "dphi_bound", "DPHI_BOUND", "jacobian_norm_bound", "matrix_power_norms", "power_by_eig", "relu_rnn_jacobian",
    "one_hot", "softmax", "readout_forward", "readout_backward", "char_rnn_loss",
    "rel_error", "numerical_gradient", "gradcheck", "rnn_gradcheck", "AUTOGRAD_TOL", "FD_TOL", "FD_STEP",
]

#: Every public name outside the core, by the module that defines it (loaded on first use).
LAZY = {
    "training.models": ["SequenceModel", "make_model", "MODEL_NAMES", "irnn_init_", "set_forget_bias_",
                        "seeded", "StatefulCharRNN"],
    "training.layers": ["ClockworkRNN", "StackedRNN"],
    "training.trainer": ["train", "evaluate", "History", "TrainingDiverged"],
    "training.bridge": ["to_torch", "from_torch"],
    "training.tbptt": ["detach_state", "backward_in_chunks", "truncated_torch_grads"],
    "training.probes": ["total_state_grads", "state_gradient_norms", "SavedTensorBytes"],
    "tasks.adding": ["adding_problem", "fresh_batches"],
    "tasks.pixels": ["pixel_task", "pixel_sequences", "pixel_permutation", "load_digits_split", "load_mnist"],
    "tasks.text": ["batchify", "train_stateful", "sample_chars"],
    "tools.timing": ["best_time", "loglog_slope", "cache_nbytes"],
    "tools.plotting": ["use_book_style", "MODEL_COLORS"],
    "experiments.results": ["load_results"],
}
_WHERE = {name: module for module, names in LAZY.items() for name in names}

__all__ = CORE + [name for names in LAZY.values() for name in names]


def __getattr__(name: str):
    """Load a public name outside the numpy core on first use (PEP 562)."""
    if name not in _WHERE:
        raise AttributeError(f"module 'rnnlib' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{_WHERE[name]}", __name__), name)
    globals()[name] = value
    return value


def __dir__():
    return sorted(set(globals()) | set(__all__))
