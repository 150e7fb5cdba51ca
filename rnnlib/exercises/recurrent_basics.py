"""Checker for the coding exercise of "Recurrent networks from scratch": one step of BPTT.

The reader writes ``step_backward(dh, h, h_prev, x, Wxh, Whh)`` for the batch-first step
``h = tanh(x @ Wxh.T + h_prev @ Whh.T + b)``. ``dh`` (N, H) is the *total* derivative dL/dh_t.
It returns a dict with

* ``"a"``: delta_t = dL/da_t = (1 - h^2) * dh                       (eq-bptt-delta)
* ``"h_prev"``: what this step sends back to h_{t-1}, W_hh^T delta_t  (eq-bptt-total)
* ``"Wxh"``, ``"Whh"``, ``"b"``: this step's terms of the sums in     (eq-bptt-params)

``check_step_backward`` runs it on random inputs and explains the usual mistakes in plain words.
"""
from __future__ import annotations

import numpy as np

from . import ExerciseError, compare

KEYS = ("a", "h_prev", "Wxh", "Whh", "b")


def reference_step_backward(dh, h, h_prev, x, Wxh, Whh) -> dict:
    """The reference answer (what the solution dropdown in the book shows)."""
    da = (1.0 - h ** 2) * dh
    return {"a": da, "h_prev": da @ Whh, "Wxh": da.T @ x, "Whh": da.T @ h_prev, "b": da.sum(axis=0)}


def _close(u, v) -> bool:
    try:
        u, v = np.asarray(u, dtype=float), np.asarray(v, dtype=float)
    except (TypeError, ValueError):
        return False
    return u.shape == v.shape and bool(np.allclose(u, v, rtol=1e-6, atol=1e-9))


def _diagnose(key, got, inp, exp) -> str | None:
    """Recognise a typical mistake for one output and say what it is, or return None."""
    dh, h, h_prev, x, Whh = inp["dh"], inp["h"], inp["h_prev"], inp["x"], inp["Whh"]
    da = exp["a"]
    if key == "a":
        if _close(got, dh):
            return "a equals dh: multiply by tanh'(a_t) = 1 - h_t**2 (elementwise) to go from h_t to a_t."
        if _close(got, (1.0 - h) * dh) or _close(got, (1.0 - h) ** 2 * dh):
            return "a uses the wrong derivative of tanh: tanh'(a_t) = 1 - h_t**2 (h squared, then 1 minus)."
        if _close(got, (1.0 - h_prev ** 2) * dh):
            return "a uses h_prev in tanh': the derivative belongs to this step's state, 1 - h**2."
        if _close(got, np.tanh(dh)) or _close(got, (1.0 - np.tanh(dh) ** 2)):
            return "a applies tanh to the gradient: the backward pass multiplies dh by 1 - h**2 instead."
    if key == "h_prev":
        if _close(got, da @ Whh.T):
            return ("h_prev multiplies by W_hh instead of its transpose: in the math it is W_hh^T delta_t, "
                    "which on a batch of row vectors is `da @ Whh`.")
        if _close(got, dh @ Whh):
            return "h_prev skips tanh': send back W_hh^T delta_t with delta_t = (1 - h**2) * dh, not W_hh^T dh."
    if key == "Whh":
        if _close(got, da.T @ h_prev / len(dh)):
            return "Whh is averaged over the batch: the loss is a sum, so add the terms of all sequences."
        if _close(got, da.T @ h):
            return "Whh uses h_t where h_{t-1} belongs: W_hh multiplied h_prev in the forward pass."
        if _close(got, dh.T @ h_prev):
            return "Whh uses dh instead of delta_t = (1 - h**2) * dh."
    if key == "Wxh":
        if _close(got, dh.T @ x):
            return "Wxh uses dh instead of delta_t = (1 - h**2) * dh."
        if _close(got, da.T @ x / len(dh)):
            return "Wxh is averaged over the batch: the loss is a sum, so add the terms of all sequences."
    if key == "b":
        if _close(got, da.mean(axis=0)):
            return "b is averaged over the batch: the loss is a sum, so add the terms of all sequences."
        if _close(got, dh.sum(axis=0)):
            return "b uses dh instead of delta_t = (1 - h**2) * dh."
    return None


def check_step_backward(fn, seed: int = 0) -> str:
    """Run the reader's ``fn(dh, h, h_prev, x, Wxh, Whh)`` on random problems and compare with the reference.

    Returns a success message, or raises ``ExerciseError`` saying what is wrong.
    """
    rng = np.random.default_rng(seed)
    for N, D, H in [(3, 2, 4), (1, 3, 3), (2, 5, 1)]:
        inp = {"dh": rng.standard_normal((N, H)), "h_prev": np.tanh(rng.standard_normal((N, H))),
               "x": rng.standard_normal((N, D)), "Wxh": rng.standard_normal((H, D)),
               "Whh": rng.standard_normal((H, H)), "b": rng.standard_normal(H)}
        inp["h"] = np.tanh(inp["x"] @ inp["Wxh"].T + inp["h_prev"] @ inp["Whh"].T + inp["b"])
        args = [inp[k].copy() for k in ("dh", "h", "h_prev", "x", "Wxh", "Whh")]
        got = fn(*args)
        if got is None:
            raise ExerciseError("step_backward returned None: did it forget to `return` the dict of gradients?")
        if not isinstance(got, dict):
            raise ExerciseError(f"step_backward should return a dict with keys {KEYS}, got {type(got).__name__}.")
        missing = [k for k in KEYS if k not in got]
        if missing:
            raise ExerciseError(f"step_backward's dict is missing the key(s) {missing}; expected {KEYS}.")
        for k, v in zip(("dh", "h", "h_prev", "x", "Wxh", "Whh"), args):
            if not np.array_equal(v, inp[k]):
                raise ExerciseError(f"step_backward changed its input {k!r} in place; compute new arrays instead.")
        exp = reference_step_backward(*(inp[k] for k in ("dh", "h", "h_prev", "x", "Wxh", "Whh")))
        for k in KEYS:
            try:
                compare(k, got[k], exp[k])
            except ExerciseError:
                why = _diagnose(k, got[k], inp, exp)
                if why is not None:
                    raise ExerciseError(why) from None
                raise
    return "step_backward is correct: every gradient matches on three random problems."
