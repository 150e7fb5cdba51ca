"""The scalar tanh RNN: the smallest network in which gradients vanish and explode.

The math (chapter "The scalar tanh RNN"), for t = 1..T::

    z_t = a h_{t-1} + b x_t + c,   h_t = tanh(z_t)            (eq-scalar-rnn)
    y   = d h_T + e                                           (eq-scalar-output)
    dh_t/dh_{t-1} = a tanh'(z_t) = a (1 - h_t^2)              (eq-scalar-step)
    dy/dh_1 = d * prod_{t=2}^{T} a (1 - h_t^2)                (eq-scalar-product)
    |dy/dh_1| <= |d| |a|^(T-1)                                (eq-scalar-bound)

Every function is vectorised: ``a``, ``b``, ``c``, ``d`` and ``h0`` may be arrays that broadcast
against ``x[..., 0]``, so a whole grid of models runs in one call (the heat maps of the chapter).
"""
from __future__ import annotations

import numpy as np


def _as_float(name: str, value) -> np.ndarray:
    arr = np.asarray(value)
    if arr.dtype == object or not (np.issubdtype(arr.dtype, np.number) or arr.dtype == bool):
        raise ValueError(f"{name}: expected a number or a numeric array, got dtype {arr.dtype}")
    return arr


def _batch_shape(x, **coeffs) -> tuple:
    """The broadcast shape of ``x[..., 0]`` and the coefficients, or a ValueError naming the culprit."""
    shape = x.shape[:-1]
    for name, v in coeffs.items():
        try:
            shape = np.broadcast_shapes(shape, v.shape)
        except ValueError:
            raise ValueError(f"{name}: expected a scalar or an array that broadcasts with x[..., 0] of shape "
                             f"{x.shape[:-1]} (x is (..., T)), got shape {v.shape}") from None
    return shape


def scalar_forward(a, b, c, x, h0=0.0):
    """Run ``h_t = tanh(a h_{t-1} + b x_t + c)`` for t = 1..T ({eq}`eq-scalar-rnn`).

    Parameters
    ----------
    a, b, c, h0 : numbers or arrays broadcasting with ``x[..., 0]``.
    x : (..., T) inputs, time on the last axis (T >= 1).

    Returns
    -------
    hs : (batch..., T), ``hs[..., t-1]`` is h_t.
    zs : (batch..., T), the pre-activations z_t.
    """
    x = _as_float("x", x)
    if x.ndim < 1 or x.shape[-1] < 1:
        raise ValueError(f"x: expected shape (..., T) with T >= 1 (time on the last axis), got {x.shape}")
    a, b, c, h0 = (_as_float(n, v) for n, v in (("a", a), ("b", b), ("c", c), ("h0", h0)))
    shape = _batch_shape(x, a=a, b=b, c=c, h0=h0)
    T = x.shape[-1]
    drive = b[..., None] * x + c[..., None]              # b x_t + c for every t at once
    dtype = np.result_type(drive, a, h0, np.float64)
    hs = np.empty(shape + (T,), dtype=dtype)
    zs = np.empty(shape + (T,), dtype=dtype)
    h = np.broadcast_to(h0, shape)
    for t in range(T):
        z = a * h + drive[..., t]                        # eq-scalar-rnn
        h = np.tanh(z)
        zs[..., t], hs[..., t] = z, h
    return hs, zs


def scalar_output(hs, d, e):
    """``y = d h_T + e`` ({eq}`eq-scalar-output`): the read-out of the last state."""
    hs = _as_float("hs", hs)
    if hs.ndim < 1 or hs.shape[-1] < 1:
        raise ValueError(f"hs: expected shape (..., T) with T >= 1, got {hs.shape}")
    return _as_float("d", d) * hs[..., -1] + _as_float("e", e)


def scalar_dy_dh1(a, d, hs, every_T: bool = False):
    """dy/dh_1 by the product formula ``d * prod_{t=2}^{T} a (1 - h_t^2)`` ({eq}`eq-scalar-product`).

    ``hs`` (..., T) are the states from ``scalar_forward``; ``1 - h_t^2`` is tanh'(z_t) written with the
    output (eq-scalar-step). With ``every_T=True`` the result has shape (..., T) and entry T'-1 is the
    gradient for the model read out at step T' (``y = d h_{T'} + e``): one forward pass gives a whole
    row of the (a, T) heat map, because the product for T' is a prefix of the product for T.
    """
    hs = _as_float("hs", hs)
    if hs.ndim < 1 or hs.shape[-1] < 1:
        raise ValueError(f"hs: expected shape (..., T) with T >= 1, got {hs.shape}")
    a, d = _as_float("a", a), _as_float("d", d)
    _batch_shape(hs, a=a, d=d)
    factors = a[..., None] * (1.0 - hs[..., 1:] ** 2)    # dh_t/dh_{t-1} for t = 2..T (eq-scalar-step)
    if not every_T:
        return d * np.prod(factors, axis=-1)
    ones = np.ones(factors.shape[:-1] + (1,))
    return d[..., None] * np.concatenate([ones, np.cumprod(factors, axis=-1)], axis=-1)


def scalar_bound(a, d, T):
    """The bound ``|d| |a|^(T-1)`` on |dy/dh_1| ({eq}`eq-scalar-bound`), from tanh' <= 1.

    ``T`` may be an array of sequence lengths (each >= 1); everything broadcasts.
    """
    T = _as_float("T", T)
    if np.any(T < 1):
        raise ValueError(f"T: expected sequence lengths >= 1, got minimum {T.min()}")
    return np.abs(_as_float("d", d)) * np.abs(_as_float("a", a)) ** (T - 1)


def tanh_fixed_point(a, n_iter: int = 100):
    """The stable fixed point h* >= 0 of ``h = tanh(a h)`` (eq-scalar-fixed), elementwise over ``a >= 0``.

    For ``a <= 1`` it is 0; for ``a > 1`` it is the positive root, found by Newton's method from h = 1
    (which decreases monotonically to the root because ``tanh(a h) - h`` is concave for h > 0).
    The zero-input network's gradient is multiplied by ``a (1 - h*^2)`` per step once h_t has settled.
    """
    a = _as_float("a", a).astype(np.float64)
    if np.any(a < 0):
        raise ValueError(f"a: expected a >= 0 (for a < -1 the state alternates between +h* and -h* of |a|, a 2-cycle; use |a|), got minimum {a.min()}")
    h = np.ones_like(a)
    for _ in range(n_iter):
        th = np.tanh(a * h)
        g, dg = th - h, a * (1.0 - th ** 2) - 1.0
        step = np.divide(g, dg, out=np.zeros_like(h), where=dg < 0)
        h = np.where(a > 1, h - step, 0.0)
    return h
