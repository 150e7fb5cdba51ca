"""Gradient checks: the relative error with a floor, and central finite differences.

Used by every notebook's ``assert`` and by the tests (thresholds from the book's conventions):

* analytic vs torch autograd, float64: ``rel_error < 1e-7``  (``AUTOGRAD_TOL``)
* analytic vs central differences with step 1e-6, float64: ``rel_error < 1e-5``  (``FD_TOL``)
"""
from __future__ import annotations

from typing import Callable

import numpy as np

AUTOGRAD_TOL = 1e-7
FD_TOL = 1e-5
FD_STEP = 1e-6


def rel_error(a, b) -> float:
    """``max |a - b| / max(1e-8, |a| + |b|)`` over all elements (0.0 for empty arrays).

    The floor keeps the ratio meaningful where both values are (nearly) zero.
    """
    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    if a.shape != b.shape:
        raise ValueError(f"b: expected the shape of a, {a.shape}, got {b.shape}")
    if a.size == 0:
        return 0.0
    return float(np.max(np.abs(a - b) / np.maximum(1e-8, np.abs(a) + np.abs(b))))


def numerical_gradient(f: Callable[[], float], x: np.ndarray, h: float = FD_STEP) -> np.ndarray:
    """Central differences of the scalar ``f()`` with respect to every element of ``x``.

    ``x`` is changed in place one element at a time and restored, so ``f`` must read it
    (a closure over the array). ``(f(x + h e_i) - f(x - h e_i)) / (2 h)`` for each i.
    """
    if not isinstance(x, np.ndarray) or x.dtype != np.float64:
        raise ValueError(f"x: expected a float64 numpy array (finite differences need float64), got "
                         f"{type(x).__name__} {getattr(x, 'dtype', '')}")
    grad = np.zeros_like(x)
    it = np.nditer(x, flags=["multi_index"])
    for _ in it:
        i = it.multi_index
        old = x[i]
        x[i] = old + h
        fp = f()
        x[i] = old - h
        fm = f()
        x[i] = old
        grad[i] = (fp - fm) / (2 * h)
    return grad


def gradcheck(forward: Callable, backward: Callable, params: dict, upstream, keys=None) -> dict:
    """Check an analytic backward pass against central differences: the relative error per input.

    ``forward(*params.values())`` returns ``(out, cache)`` and ``backward(upstream, cache)`` a dict of
    gradients. The loss is ``L = sum(out * upstream)`` (a random ``upstream``, not a plain sum, so that
    a transposed or misplaced gradient shows). ``params`` maps names to float64 arrays, in ``forward``'s
    argument order, and is perturbed in place one element at a time (then restored). Returns
    ``{name: rel_error(analytic, numerical)}`` for ``keys`` (default: every name in ``params``).
    """
    upstream = np.asarray(upstream)

    def loss():
        return float(np.sum(forward(*params.values())[0] * upstream))

    grads = backward(upstream, forward(*params.values())[1])
    return {k: rel_error(grads[k], numerical_gradient(loss, params[k])) for k in (keys or params)}


def rnn_gradcheck(N: int = 2, T: int = 4, D: int = 3, H: int = 5, nonlinearity: str = "tanh",
                  seed: int = 0, scale: float = 0.5) -> dict:
    """Check ``rnn_backward`` against central differences on a random problem (float64).

    The loss is ``L = sum(hs * G)`` with a random upstream gradient ``G`` (a plain sum would
    give every element the same weight and hide transposition bugs). Returns the relative
    error for every gradient ``rnn_backward`` returns, ``"hs"`` included (the total derivative
    dL/dh_t, checked by perturbing h_t in a forward pass restarted from that state).
    """
    from .rnn import rnn_backward, rnn_forward

    rng = np.random.default_rng(seed)
    p = {"x": rng.standard_normal((N, T, D)), "h0": rng.standard_normal((N, H)),
         "Wxh": scale * rng.standard_normal((H, D)), "Whh": scale * rng.standard_normal((H, H)),
         "b": scale * rng.standard_normal(H)}
    if nonlinearity == "relu":  # keep pre-activations away from the kink at 0
        p["b"] = np.abs(p["b"]) + 0.1
    G = rng.standard_normal((N, T, H))
    errors = gradcheck(lambda *a: rnn_forward(*a, nonlinearity), rnn_backward, p, G)
    hs, cache = rnn_forward(p["x"], p["h0"], p["Wxh"], p["Whh"], p["b"], nonlinearity)
    grads = rnn_backward(G, cache)

    # Total derivative dL/dh_t: restart the forward pass from a perturbed h_t.
    num_hs = np.zeros_like(hs)
    for t in range(T):
        h_t = hs[:, t].copy()

        def loss_from_t():
            rest, _ = rnn_forward(p["x"][:, t + 1:], h_t, p["Wxh"], p["Whh"], p["b"], nonlinearity) \
                if t + 1 < T else (np.zeros((N, 0, H)), None)
            return float(np.sum(h_t * G[:, t]) + np.sum(rest * G[:, t + 1:]))

        num_hs[:, t] = numerical_gradient(loss_from_t, h_t)
    errors["hs"] = rel_error(grads["hs"], num_hs)
    return errors
