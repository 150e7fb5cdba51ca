"""The exercises of "Backpropagation through time".

* ``check_step_backward(fn)``: one backward step of a tanh RNN ({eq}`eq-bptt-recursion`,
  {eq}`eq-bptt-preact`, {eq}`eq-bptt-dWhh`, {eq}`eq-bptt-dWxh`, {eq}`eq-bptt-dx`).
* ``check_loss_step_contributions(fn)``: the contribution of each loss term ``ell_t`` to
  dL/dW_hh ({eq}`eq-bptt-unrolled-sum`), grouped by the loss step t.
"""
from __future__ import annotations

import numpy as np

from ..rnn import rnn_backward, rnn_forward
from . import Exercise, Mistake, Msg, compare

STEP_OUTPUTS = ("dh_prev", "dx", "dWxh", "dWhh", "db")


def _problem(seed, N, T, D, H, scale=0.7):
    rng = np.random.default_rng(seed)
    return dict(x=rng.standard_normal((N, T, D)), h0=rng.standard_normal((N, H)),
                Wxh=scale * rng.standard_normal((H, D)), Whh=scale * rng.standard_normal((H, H)) / np.sqrt(H),
                b=scale * rng.standard_normal(H)), rng.standard_normal((N, T, H))


def reference_step_backward(dh, h, h_prev, x, Wxh, Whh):
    """One step back through ``h = tanh(W_hh h_prev + W_xh x + b)`` (batch of row vectors).

    ``dh`` is the *total* dL/dh_t. Returns ``(dh_prev, dx, dWxh, dWhh, db)`` where ``dh_prev`` is
    what this step sends back to h_{t-1}, ``W_hh^T delta_t`` (the second term of
    {eq}`eq-bptt-recursion`), and the weight gradients are this step's terms of {eq}`eq-bptt-dWhh`
    and {eq}`eq-bptt-dWxh`.
    """
    delta = dh * (1.0 - h * h)                     # eq-bptt-preact
    return delta @ Whh, delta @ Wxh, delta.T @ x, delta.T @ h_prev, delta.sum(axis=0)


def _step_cases():
    out = []
    for seed, (N, D, H) in enumerate([(3, 4, 5), (1, 1, 1), (2, 6, 3), (4, 3, 3)]):
        p, G = _problem(seed, N, 2, D, H)
        hs, _ = rnn_forward(p["x"], p["h0"], p["Wxh"], p["Whh"], p["b"])
        out.append((G[:, 1], hs[:, 1], hs[:, 0], p["x"][:, 1], p["Wxh"], p["Whh"]))
    return out


NO_DPHI = Msg("{key}: the derivative of tanh, 1 - h_t**2, is missing.",
              "{key}: tanh의 도함수 1 - h_t**2가 빠졌다.")


def _no_dphi(key):
    return lambda *a: {"key": key}


STEP_MISTAKES = [
    Mistake(lambda dh, h, hp, x, Wxh, Whh: dh @ Whh, Msg(
        "dh_prev: it is dh @ Whh: the derivative of tanh, 1 - h_t**2, is missing "
        "(delta_t = (1 - h_t**2) * dL/dh_t comes first).",
        "dh_prev: dh @ Whh이다. tanh의 도함수 1 - h_t**2가 빠졌다(delta_t = (1 - h_t**2) * dL/dh_t를 먼저 "
        "구한다)."), "dh_prev"),
    Mistake(lambda dh, h, hp, x, Wxh, Whh: (dh * (1 - h * h)) @ Whh.T, Msg(
        "dh_prev: it uses W_hh where W_hh^T belongs: for row vectors, W_hh^T delta_t is `delta @ Whh`, "
        "not `delta @ Whh.T`.",
        "dh_prev: W_hh^T 자리에 W_hh를 썼다. 행 벡터에서 W_hh^T delta_t는 `delta @ Whh.T`가 아니라 "
        "`delta @ Whh`이다."), "dh_prev"),
    Mistake(lambda dh, h, hp, x, Wxh, Whh: dh * (1 - hp * hp) @ Whh, Msg(
        "dh_prev: it uses 1 - h_{t-1}**2, but the tanh of this step is the one that produced h_t.",
        "dh_prev: 1 - h_{t-1}**2를 썼다. 여기서 필요한 것은 h_t를 만든 이 스텝의 tanh다."), "dh_prev"),
    Mistake(lambda dh, h, hp, *_: dh.T @ hp, NO_DPHI, "dWhh", _no_dphi("dWhh")),
    Mistake(lambda dh, h, *_: (dh * (1 - h * h)).T @ h, Msg(
        "dWhh: it multiplies by h_t, but W_hh multiplies h_{t-1} in this step.",
        "dWhh: h_t를 곱했다. 이 스텝에서 W_hh가 곱하는 것은 h_{t-1}이다."), "dWhh"),
    Mistake(lambda dh, h, hp, x, *_: dh.T @ x, NO_DPHI, "dWxh", _no_dphi("dWxh")),
    Mistake(lambda dh, *_: dh.sum(axis=0), NO_DPHI, "db", _no_dphi("db")),
    Mistake(lambda dh, h, *_: dh * (1 - h * h), Msg(
        "db: it still has the batch axis: sum delta over the batch (axis 0).",
        "db: 배치 축이 남아 있다. delta를 배치에 대해(축 0) 더하라."), "db"),
]
STEP_DONE = Msg("step_backward is correct: all five gradients match on four random problems (N = 1 and H = 1 "
                "included).", "step_backward가 맞았다. 무작위 문제 네 개(N = 1, H = 1 포함)에서 기울기 다섯 개가 "
                "모두 일치한다.")


STEP_BACKWARD = Exercise("step_backward", reference_step_backward, _step_cases, STEP_DONE, STEP_MISTAKES,
                         kind="tuple", parts=STEP_OUTPUTS, arg_names=("dh", "h", "h_prev", "x", "Wxh", "Whh"))


def check_step_backward(fn) -> str:
    """Check ``fn(dh, h, h_prev, x, Wxh, Whh) -> (dh_prev, dx, dWxh, dWhh, db)`` for a tanh step."""
    return STEP_BACKWARD.check(fn)


def reference_loss_step_contributions(dhs, cache):
    """``C[t] = d ell_{t+1} / dW_hh`` (0-based t): run BPTT with the direct gradient of one step only."""
    T = cache["hs"].shape[1]
    out = []
    for t in range(T):
        only_t = np.zeros_like(dhs)
        only_t[:, t] = dhs[:, t]
        out.append(rnn_backward(only_t, cache)["Whh"])
    return np.stack(out)


def _contribution_cases():
    out = []
    for seed, (N, T, D, H) in enumerate([(2, 6, 3, 4), (1, 1, 2, 3), (3, 5, 2, 1)]):
        p, dhs = _problem(10 + seed, N, T, D, H)
        out.append((dhs, rnn_forward(**p)[1]))
    return out


def _terms(dhs, cache, total: bool):
    """delta_k h_{k-1}^T for every k, with delta from the total (all loss steps) or the direct gradient."""
    hs = cache["hs"]
    hprev = np.concatenate([cache["h0"][:, None], hs[:, :-1]], axis=1)
    g = rnn_backward(dhs, cache)["hs"] if total else dhs
    return np.einsum("nti,ntj->tij", g * (1 - hs * hs), hprev)


CONTRIBUTION_MISTAKES = [
    Mistake(lambda dhs, cache: _terms(dhs, cache, True), Msg(
        "C: these are the contributions grouped by the step k where W_hh acts (delta_k h_{k-1}^T); they also "
        "sum to dL/dW_hh, but C[t] should be the gradient of the loss at step t alone, through every earlier step.",
        "C: W_hh가 작용하는 스텝 k별로 묶은 기여(delta_k h_{k-1}^T)다. 이것도 더하면 dL/dW_hh가 되지만, C[t]는 "
        "스텝 t의 손실 하나만의 기울기로, 그 앞의 모든 스텝을 거쳐야 한다.")),
    Mistake(lambda dhs, cache: _terms(dhs, cache, False), Msg(
        "C: it keeps only the direct term k = t: the loss at step t also reaches W_hh through h_{t-1}, h_{t-2}, "
        "..., so C[t] needs the whole backward pass from step t.",
        "C: 직접 항 k = t만 남았다. 스텝 t의 손실은 h_{t-1}, h_{t-2}, ...를 거쳐서도 W_hh에 닿으므로, C[t]에는 "
        "스텝 t에서 시작하는 역방향 패스 전체가 필요하다.")),
]
CONTRIBUTION_DONE = Msg("C is correct: the sum of C over t equals dL/dW_hh from rnn_backward.",
                        "C가 맞았다. C를 t에 대해 더하면 rnn_backward의 dL/dW_hh와 같다.")


CONTRIBUTIONS = Exercise("C", reference_loss_step_contributions, _contribution_cases, CONTRIBUTION_DONE,
                         CONTRIBUTION_MISTAKES, arg_names=("dhs", "cache"))
EXERCISES = [STEP_BACKWARD, CONTRIBUTIONS]


def check_loss_step_contributions(fn) -> str:
    """Check ``fn(dhs, cache) -> C`` of shape (T, H, H), ``C[t]`` the gradient of the loss at step t alone."""
    result = CONTRIBUTIONS.check(fn)
    dhs, cache = _contribution_cases()[0]
    compare("the sum of C over t", np.sum(np.asarray(fn(dhs, cache), dtype=np.float64), axis=0),
            rnn_backward(dhs, cache)["Whh"])
    return result
