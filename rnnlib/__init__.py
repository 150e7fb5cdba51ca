"""rnnlib: the small library behind "Gradients in Recurrent Networks".

numpy for what the book derives by hand (forward and backward side by side), torch for what
it is checked against and trained with. The public names are listed in ``__all__``.
"""
from .check import AUTOGRAD_TOL, FD_STEP, FD_TOL, numerical_gradient, rel_error, rnn_gradcheck
from .rnn import dphi_from_output, phi, rnn_backward, rnn_forward
from .tasks import adding_problem
from .truncated import truncated_rnn_backward, truncation_windows

__version__ = "1.0.0"  # the course's version: pyproject.toml, _config.yml and CITATION.cff say the same

__all__ = [
    "rnn_forward", "rnn_backward", "truncated_rnn_backward", "truncation_windows",
    "phi", "dphi_from_output",
    "rel_error", "numerical_gradient", "rnn_gradcheck", "AUTOGRAD_TOL", "FD_TOL", "FD_STEP",
    "adding_problem",
]

from .plotting import MODEL_COLORS, use_book_style
from .models import MODEL_NAMES, SequenceModel, irnn_init_, make_model, set_forget_bias_
from .train import History, TrainingDiverged, evaluate, train

__all__ += ["SequenceModel", "make_model", "MODEL_NAMES", "irnn_init_", "set_forget_bias_",
            "train", "evaluate", "History", "TrainingDiverged", "use_book_style", "MODEL_COLORS"]

# --- per-step gradients of torch's fused RNN ---
from .stepgrads import total_state_grads

__all__ += ["total_state_grads"]

# --- Eigendecomposition and Jacobian products (jacobians.ipynb) ---
from .jacobian import (DPHI_BOUND, dphi_bound, jacobian_norm_bound, jacobian_product_norms, jacobian_products,
                       matrix_power_norms, power_by_eig, sigma_max, spectral_radius, step_jacobians)

__all__ += ["step_jacobians", "jacobian_products", "jacobian_product_norms", "spectral_radius", "sigma_max",
            "dphi_bound", "DPHI_BOUND", "jacobian_norm_bound", "matrix_power_norms", "power_by_eig"]
# --- beyond: Clockwork, bidirectional and deep RNNs ---
from .clockwork import (ClockworkRNN, clockwork_backward, clockwork_forward, clockwork_mask,
                        clockwork_schedule, clockwork_unit_periods)
from .deep import StackedRNN

__all__ += ["ClockworkRNN", "clockwork_schedule", "clockwork_mask", "clockwork_unit_periods",
            "clockwork_forward", "clockwork_backward", "StackedRNN"]
# --- Foundations: recurrent networks from scratch (charmodel) and the scalar tanh RNN (scalar) ---
from .charmodel import char_rnn_loss, one_hot, readout_backward, readout_forward, softmax
from .scalar import scalar_bound, scalar_dy_dh1, scalar_forward, scalar_output, tanh_fixed_point

__all__ += ["one_hot", "softmax", "readout_forward", "readout_backward", "char_rnn_loss",
            "scalar_forward", "scalar_output", "scalar_dy_dh1", "scalar_bound", "tanh_fixed_point"]
# --- Gradient clipping (book/clipping.ipynb) ---
from .clip import clip_by_norm, clip_by_value, global_norm

__all__ += ["clip_by_norm", "clip_by_value", "global_norm"]
# --- LSTM and GRU (chapter lstm_gru) ---
from .cells import (gru_backward, gru_forward, gru_step_backward, gru_step_forward, lstm_backward,
                    lstm_forward, lstm_step_backward, lstm_step_forward, sigmoid)

__all__ += ["lstm_forward", "lstm_backward", "lstm_step_forward", "lstm_step_backward",
            "gru_forward", "gru_backward", "gru_step_forward", "gru_step_backward", "sigmoid"]
# --- bptt and truncated_bptt: measuring BPTT's cost; stateful (detach every k steps) training ---
from .cost import SavedTensorBytes, best_time, cache_nbytes, loglog_slope
from .paths import path_terms, truncation_mask
from .stateful import (StatefulCharRNN, backward_in_chunks, batchify, detach_state, sample_chars,
                       train_stateful, truncated_torch_grads)

__all__ += ["best_time", "loglog_slope", "cache_nbytes", "SavedTensorBytes", "path_terms", "truncation_mask",
            "detach_state", "backward_in_chunks", "truncated_torch_grads", "batchify", "StatefulCharRNN",
            "train_stateful", "sample_chars"]
# --- irnn: identity initialisation, pixel-by-pixel tasks ---
from .pixels import load_digits_split, load_mnist, pixel_permutation, pixel_sequences, pixel_task

__all__ += ["pixel_task", "pixel_sequences", "pixel_permutation", "load_digits_split", "load_mnist"]
from .irnn import relu_rnn_jacobian, state_gradient_norms

__all__ += ["relu_rnn_jacobian", "state_gradient_norms"]
