"""rnnlib: the small library behind "Gradients in Recurrent Networks".

numpy for what the book derives by hand (forward and backward side by side), torch for what
it is checked against and trained with. The public names are listed in ``__all__``.
"""
from .check import AUTOGRAD_TOL, FD_STEP, FD_TOL, numerical_gradient, rel_error, rnn_gradcheck
from .rnn import dphi_from_output, phi, rnn_backward, rnn_forward
from .tasks import adding_problem
from .truncated import truncated_rnn_backward, truncation_windows

__version__ = "0.1.0"

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

# --- irnn: identity initialisation, pixel-by-pixel tasks ---
from .pixels import load_digits_split, load_mnist, pixel_permutation, pixel_sequences, pixel_task

__all__ += ["pixel_task", "pixel_sequences", "pixel_permutation", "load_digits_split", "load_mnist"]
from .irnn import relu_rnn_jacobian, state_gradient_norms

__all__ += ["relu_rnn_jacobian", "state_gradient_norms"]
