"""The exercises of the chapter "Gradient clipping".

``check_clip_global_norm(fn)``: the reader's ``fn(grads, max_norm) -> dict`` clips a dict of arrays
by their norm taken all together ({eq}`eq-clip-global-norm`, {eq}`eq-clip-norm`).

``check_clip_per_tensor(fn)``: the reader's ``fn(grads, max_norm) -> dict`` clips every array by
its own norm, the variant some code bases use, which bends the direction of the whole gradient.
"""
from __future__ import annotations

import numpy as np

from ..clip import clip_by_norm, global_norm
from . import CORRECT, Exercise, Mistake, Msg

ABOVE = Msg("a gradient whose norm is above max_norm", "노름이 max_norm보다 큰 기울기")
BELOW = Msg("a gradient whose norm is below max_norm", "노름이 max_norm보다 작은 기울기")
SINGLE = Msg("a single array [3, -4] with max_norm 2.5", "max_norm이 2.5인 배열 하나 [3, -4]")


def _cases():
    """Small gradients: one well above the threshold, one below, one with a single array."""
    rng = np.random.default_rng(2013)
    big = {"Wxh": 3.0 * rng.standard_normal((4, 2)), "Whh": 0.5 * rng.standard_normal((4, 4)),
           "b": 8.0 * rng.standard_normal(4)}
    small = {"Wxh": 0.01 * rng.standard_normal((4, 2)), "Whh": 0.02 * rng.standard_normal((4, 4)),
             "b": 0.01 * rng.standard_normal(4)}
    return [(big, 1.0), (small, 1.0), ({"w": np.array([3.0, -4.0])}, 2.5)]


def _what(grads, max_norm) -> str:
    return (SINGLE if len(grads) == 1 else ABOVE if global_norm(grads) > max_norm else BELOW)()


def _per_tensor(grads, max_norm):
    out = {}
    for k, g in grads.items():
        n = float(np.linalg.norm(g))
        out[k] = g * (max_norm / n) if n > max_norm else g.copy()
    return out


def _global(grads, max_norm):
    return clip_by_norm(grads, max_norm)[0]


def _always_rescaled(grads, max_norm):
    n = float(np.sqrt(sum(np.sum(g ** 2) for g in grads.values())))
    return {k: g * (max_norm / n) for k, g in grads.items()}


GLOBAL_MISTAKES = [
    Mistake(_per_tensor, Msg(
        "it clips each array by its own norm, but the norm in (eq-clip-global-norm) is taken over all arrays "
        "together: add up the squares of every array first, then take one square root.",
        "배열마다 자기 노름으로 클리핑했다. 그러나 (eq-clip-global-norm)의 노름은 모든 배열을 한꺼번에 잰다. "
        "모든 배열의 제곱을 먼저 다 더한 다음 제곱근을 한 번 취하라.")),
    Mistake(_always_rescaled, Msg(
        "it rescales the gradient even when its norm is below max_norm; norm clipping only ever shrinks: leave the "
        "gradient unchanged when its norm is at most max_norm.",
        "노름이 max_norm보다 작을 때도 기울기의 크기를 바꿨다. 노름 클리핑은 줄이기만 한다. 노름이 max_norm 이하면 "
        "기울기를 그대로 두라.")),
]
PER_TENSOR_MISTAKES = [
    Mistake(_global, Msg(
        "it uses the norm of all arrays together; this exercise clips each array by its own norm "
        "np.linalg.norm(g), one array at a time.",
        "모든 배열을 합친 노름을 썼다. 이 연습 문제에서는 배열을 하나씩, 자기 노름 np.linalg.norm(g)으로 "
        "클리핑한다.")),
    Mistake(lambda grads, m: {k: g * (m / np.linalg.norm(g)) for k, g in grads.items()}, Msg(
        "it rescales arrays even when their norm is below max_norm; clipping only ever shrinks.",
        "노름이 max_norm보다 작은 배열도 크기를 바꿨다. 클리핑은 줄이기만 한다.")),
]
def _exercise(name, reference, mistakes):
    return Exercise(name, reference, _cases, CORRECT, mistakes, kind="dict",
                    arg_names=("grads", "max_norm"), tol=1e-9,
                    label=lambda grads, max_norm: f"{name} for {_what(grads, max_norm)}")


CLIP_GLOBAL_NORM = _exercise("clip_global_norm", _global, GLOBAL_MISTAKES)
CLIP_PER_TENSOR = _exercise("clip_per_tensor", _per_tensor, PER_TENSOR_MISTAKES)
EXERCISES = [CLIP_GLOBAL_NORM, CLIP_PER_TENSOR]


def check_clip_global_norm(fn) -> str:
    """Check ``fn(grads, max_norm)`` against norm clipping with the norm of all arrays together."""
    return CLIP_GLOBAL_NORM.check(fn)


def check_clip_per_tensor(fn) -> str:
    """Check ``fn(grads, max_norm)`` against clipping every array by its own norm."""
    return CLIP_PER_TENSOR.check(fn)
