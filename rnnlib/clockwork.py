"""The Clockwork RNN (Koutník, Greff, Gomez & Schmidhuber 2014): a vanilla RNN whose hidden units
are split into modules that tick at different clock periods.

The math (column vectors, book notation, chapter "Beyond the vanilla RNN"). Module ``i`` has period
``T_i``; time runs t = 1..T and module ``i`` updates at step t exactly when ``t mod T_i = 0``
(so with periods 1, 2, 4 the step-1 update touches only the period-1 module). ``s_t`` holds a 1 for
every unit whose module ticks at step t and a 0 elsewhere::

    s_t[u] = [t mod T_{m(u)} = 0]                         (eq-beyond-cw-schedule)
    M[u, v] = [m(u) = m(v)  or  T_{m(u)} < T_{m(v)}]        (eq-beyond-cw-mask)
    a_t = (W_hh ⊙ M) h_{t-1} + W_xh x_t + b
    h_t = s_t ⊙ φ(a_t) + (1 - s_t) ⊙ h_{t-1}               (eq-beyond-cw-update)

``M[u, v] = 1`` lets unit ``v`` (the source, a column) feed unit ``u`` (a row): slower modules feed
faster ones and never the reverse. With the modules sorted by increasing period, ``M`` is block-upper
triangular (the paper's layout). Backward, with ``J_t = ∂h_t/∂h_{t-1}``::

    J_t = diag(1 - s_t) + diag(s_t ⊙ φ'(a_t)) (W_hh ⊙ M)    (eq-beyond-cw-jacobian)

Units that do not tick copy their state, so their part of ``J_t`` is the identity: a module with
period ``T_i`` puts one nonlinear factor on the gradient path every ``T_i`` steps instead of every step.

``clockwork_forward`` and ``clockwork_backward`` are the equations in numpy, forward and backward side
by side; the torch module ``ClockworkRNN`` (``rnnlib.training.layers``) runs them for training and is
checked against them.
"""
from __future__ import annotations

import numpy as np

from ._validate import check_positive_int
from .rnn import _check_dhs, _check_rnn_inputs, dphi_from_output, phi

__all__ = ["clockwork_schedule", "clockwork_mask", "clockwork_unit_periods", "clockwork_forward",
           "clockwork_backward"]


# --- the schedule and the mask (plain numpy, so a reader can print them) --------------------------

def _check_int_list(name: str, values) -> tuple[int, ...]:
    if isinstance(values, (str, bytes)) or not hasattr(values, "__len__") or len(values) == 0:
        raise ValueError(f"{name}: expected a non-empty sequence of positive integers, got {values!r}")
    return tuple(check_positive_int(f"{name}[{i}]", v) for i, v in enumerate(values))


def _check_modules(module_sizes, periods):
    periods = _check_int_list("periods", periods)
    if isinstance(module_sizes, (int, np.integer)) and not isinstance(module_sizes, bool):
        module_sizes = [module_sizes] * len(periods)      # one size for every module
    module_sizes = _check_int_list("module_sizes", module_sizes)
    if len(module_sizes) != len(periods):
        raise ValueError(f"module_sizes: expected one size per period, {len(periods)} in all, "
                         f"got {len(module_sizes)}")
    return module_sizes, periods


def clockwork_schedule(T: int, periods, t_start: int = 1) -> np.ndarray:
    """Which module updates at which step: ``schedule[k, i] = ((t_start + k) mod periods[i] == 0)``.

    Implements {eq}`eq-beyond-cw-schedule` with steps counted from 1 as everywhere in the book, so
    row ``k`` is step ``t = t_start + k`` and the default first row is step 1. A sequence that
    continues an earlier one (carried state) passes ``t_start = T_before + 1``.
    Returns a boolean array of shape ``(T, number of modules)``.
    """
    T = check_positive_int("T", T)
    periods = np.array(_check_int_list("periods", periods))
    if isinstance(t_start, bool) or not isinstance(t_start, (int, np.integer)):
        raise ValueError(f"t_start: expected an integer step number, got {t_start!r}")
    t = np.arange(int(t_start), int(t_start) + T)
    return (t[:, None] % periods[None, :]) == 0


def clockwork_unit_periods(module_sizes, periods) -> np.ndarray:
    """The period of every hidden unit, ``(H,)``: module ``i`` contributes ``module_sizes[i]`` units.

    ``module_sizes`` may be one integer (every module the same size).
    """
    module_sizes, periods = _check_modules(module_sizes, periods)
    return np.repeat(np.array(periods), module_sizes)


def clockwork_mask(module_sizes, periods) -> np.ndarray:
    """The ``(H, H)`` 0/1 mask of allowed recurrent connections, {eq}`eq-beyond-cw-mask`.

    ``mask[u, v] = 1`` when source unit ``v`` may feed unit ``u``: both in the same module, or ``v``'s
    module is strictly slower (larger period) than ``u``'s. Rows are receivers, as in ``W_hh``.
    For modules sorted by increasing period the mask is block-upper triangular.
    """
    module_sizes, periods = _check_modules(module_sizes, periods)
    module = np.repeat(np.arange(len(periods)), module_sizes)           # module index of every unit
    per = np.array(periods)[module]
    same = module[:, None] == module[None, :]
    slower_source = per[None, :] > per[:, None]
    return (same | slower_source).astype(np.float64)


# --- numpy: forward and backward side by side ----------------------------------------------------

def clockwork_forward(x, h0, Wxh, Whh, b, module_sizes, periods, nonlinearity: str = "tanh"):
    """The Clockwork RNN in numpy, {eq}`eq-beyond-cw-update`; ``Whh`` is masked inside.

    Shapes as ``rnn_forward``: ``x`` ``(N, T, D)``, ``h0`` ``(N, H)``, ``Wxh`` ``(H, D)``, ``Whh`` ``(H, H)``,
    ``b`` ``(H,)`` with ``H = sum(module_sizes)``. Returns ``(hs, cache)``; ``hs[:, k]`` is h_{k+1}.
    """
    M = clockwork_mask(module_sizes, periods)
    H = M.shape[0]
    x, h0, Wxh, Whh, b = _check_rnn_inputs(x, h0, Wxh, Whh, b, nonlinearity, H, "sum(module_sizes)")
    N, T, D = x.shape
    per = clockwork_unit_periods(module_sizes, periods)
    s = (np.arange(1, T + 1)[:, None] % per[None, :] == 0).astype(np.float64)   # (T, H), eq-beyond-cw-schedule
    WM = Whh * M
    xw = x @ Wxh.T + b
    dtype = np.result_type(xw, h0, WM)
    hs = np.empty((N, T, H), dtype=dtype)
    phis = np.empty((N, T, H), dtype=dtype)             # φ(a_t) for every unit, ticking or not
    h = h0
    for k in range(T):
        f = phi(xw[:, k] + h @ WM.T, nonlinearity)
        h = s[k] * f + (1 - s[k]) * h                   # eq-beyond-cw-update
        phis[:, k], hs[:, k] = f, h
    cache = {"x": x, "h0": h0, "Wxh": Wxh, "Whh": Whh, "b": b, "WM": WM, "M": M, "s": s, "hs": hs,
             "phis": phis, "nonlinearity": nonlinearity}
    return hs, cache


def clockwork_backward(dhs, cache):
    """Backpropagation through time for ``clockwork_forward``.

    ``dhs`` ``(N, T, H)`` is what the loss sends to each h_t directly. Units that did not tick at step
    t+1 pass their gradient straight back (the identity part of {eq}`eq-beyond-cw-jacobian`);
    this is {eq}`eq-beyond-cw-backward`::

        dL/dh_t = dhs_t + (1 - s_{t+1}) ⊙ dL/dh_{t+1} + (W_hh ⊙ M)^T δ_{t+1}
        δ_t     = s_t ⊙ φ'(a_t) ⊙ dL/dh_t
        dL/dW_hh = M ⊙ Σ_t δ_t h_{t-1}^T,  dL/dW_xh = Σ_t δ_t x_t^T,  dL/db = Σ_t δ_t

    Returns a dict like ``rnn_backward``: ``"x"``, ``"h0"``, ``"Wxh"``, ``"Whh"``, ``"b"`` and ``"hs"``
    (the total derivative dL/dh_t).
    """
    dhs = _check_dhs(dhs, cache)
    hs, s, WM = cache["hs"], cache["s"], cache["WM"]
    N, T, H = hs.shape
    dtype = np.result_type(dhs, hs)
    dphi = dphi_from_output(cache["phis"], cache["nonlinearity"])
    total = np.empty((N, T, H), dtype=dtype)
    deltas = np.empty((N, T, H), dtype=dtype)
    carry = np.zeros((N, H), dtype=dtype)              # what step t+1 sends back to h_t
    for k in range(T - 1, -1, -1):
        g = dhs[:, k] + carry                          # dL/dh_t (total)
        total[:, k] = g
        d = s[k] * dphi[:, k] * g                      # δ_t: only ticking units
        deltas[:, k] = d
        carry = (1 - s[k]) * g + d @ WM                # identity for the resting units + (W ⊙ M)^T δ_t
    x, h0 = cache["x"], cache["h0"]
    hprev = np.concatenate([h0[:, None, :], hs[:, :-1]], axis=1)
    d2 = deltas.reshape(N * T, H)
    return {"x": deltas @ cache["Wxh"], "h0": carry,
            "Wxh": d2.T @ x.reshape(N * T, -1),
            "Whh": cache["M"] * (d2.T @ hprev.reshape(N * T, H)),
            "b": d2.sum(axis=0), "hs": total}
