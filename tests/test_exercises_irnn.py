"""The IRNN exercise checker accepts the reference and explains typical mistakes."""
import numpy as np
import pytest
import torch

import rnnlib as rl
from rnnlib.exercises import ExerciseError
from rnnlib.exercises.irnn import check_jacobian_product, reference_jacobian_product


def reader_solution(a, Whh):
    P = np.eye(Whh.shape[0])
    for a_k in a:
        P = np.diag((a_k > 0).astype(float)) @ Whh @ P
    return P


def test_reference_matches_autograd_through_a_relu_rnn(rng):
    H, K = 4, 5
    Whh, u = rng.normal(size=(H, H)), rng.normal(size=(K, H))     # u_k = W_xh x_k + b
    h0 = rng.normal(size=H)

    def run(h):
        for k in range(K):
            h = torch.relu(torch.tensor(Whh) @ h + torch.tensor(u[k]))
        return h
    J = torch.autograd.functional.jacobian(run, torch.tensor(h0)).numpy()
    a, h = [], h0
    for k in range(K):
        a.append(Whh @ h + u[k])
        h = np.maximum(a[-1], 0)
    assert rl.rel_error(reference_jacobian_product(np.array(a), Whh), J) < rl.AUTOGRAD_TOL


def test_checker_accepts_a_correct_solution():
    assert check_jacobian_product(reader_solution) == "jacobian_product is correct."


def _reverse(a, Whh):
    P = np.eye(Whh.shape[0])
    for a_k in a:
        P = P @ np.diag((a_k > 0).astype(float)) @ Whh
    return P


def _column_mask(a, Whh):
    P = np.eye(Whh.shape[0])
    for a_k in a:
        P = Whh @ np.diag((a_k > 0).astype(float)) @ P
    return P


def _in_place(a, Whh):
    a *= 1.0
    a[0, 0] = 5.0
    return reader_solution(a, Whh)


@pytest.mark.parametrize("wrong, message", [
    (lambda a, W: None, "is None: did the function forget to `return`"),
    (_reverse, "wrong order: the Jacobian of the latest step goes on the LEFT"),
    (lambda a, W: np.linalg.matrix_power(W, len(a)), "missing the ReLU mask"),
    (_column_mask, "masking columns instead of rows"),
    (lambda a, W: -reader_solution(a, W), "wrong sign"),
    (lambda a, W: 2 * reader_solution(a, W), "off by a constant factor: it is 2 times"),
    (lambda a, W: reader_solution(a, W)[:, :1], "has shape"),
    (_in_place, "changed its input"),
])
def test_checker_explains_typical_mistakes(wrong, message):
    with pytest.raises(ExerciseError, match=message):
        check_jacobian_product(wrong)
