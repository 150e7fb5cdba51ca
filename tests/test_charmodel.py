"""The softmax read-out and the character-RNN loss against torch (float64), finite differences and bad inputs."""
import numpy as np
import pytest
import torch
import torch.nn.functional as F

import rnnlib as rl

SHAPES = [(1, 1, 1, 1, 2), (1, 4, 4, 3, 4), (3, 1, 2, 5, 3), (2, 7, 5, 3, 6), (4, 12, 3, 8, 5)]  # N, T, D, H, K


def char_problem(rng, N, T, D, H, K, scale=0.7):
    params = {"Wxh": scale * rng.standard_normal((H, D)), "Whh": scale * rng.standard_normal((H, H)) / np.sqrt(H),
              "b": scale * rng.standard_normal(H), "Why": scale * rng.standard_normal((K, H)),
              "by": scale * rng.standard_normal(K)}
    x = rl.one_hot(rng.integers(0, D, (N, T)), D)
    targets = rng.integers(0, K, (N, T))
    h0 = 0.5 * rng.standard_normal((N, H))
    return params, x, targets, h0


def torch_char_loss(params, x, targets, h0):
    """The same model with torch.nn.RNN + torch.nn.functional.cross_entropy (sum), and autograd."""
    H, D = params["Wxh"].shape
    rnn = rl.to_torch("rnn", params["Wxh"], params["Whh"], params["b"])      # float64 torch.nn.RNN
    Why = torch.tensor(params["Why"], requires_grad=True)
    by = torch.tensor(params["by"], requires_grad=True)
    h0_t = torch.tensor(h0, requires_grad=True)
    hs, _ = rnn(torch.tensor(x), h0_t[None])
    logits = hs @ Why.T + by
    loss = F.cross_entropy(logits.reshape(-1, logits.shape[-1]), torch.tensor(targets).reshape(-1), reduction="sum")
    loss.backward()
    grads = {"Wxh": rnn.weight_ih_l0.grad.numpy(), "Whh": rnn.weight_hh_l0.grad.numpy(),
             "b": rnn.bias_ih_l0.grad.numpy(), "Why": Why.grad.numpy(), "by": by.grad.numpy(),
             "h0": h0_t.grad.numpy()}
    return loss.item(), grads, logits.detach().numpy()


@pytest.mark.parametrize("shape", SHAPES)
def test_char_rnn_loss_matches_torch(rng, shape):
    params, x, targets, h0 = char_problem(rng, *shape)
    loss, grads, cache = rl.char_rnn_loss(params, x, targets, h0)
    loss_t, grads_t, logits_t = torch_char_loss(params, x, targets, h0)
    assert rl.rel_error(loss, loss_t) < rl.AUTOGRAD_TOL
    assert rl.rel_error(cache["logits"], logits_t) < rl.AUTOGRAD_TOL
    assert rl.rel_error(cache["probs"], torch.softmax(torch.tensor(logits_t), -1).numpy()) < rl.AUTOGRAD_TOL
    assert set(grads) == {"Wxh", "Whh", "b", "Why", "by", "h0"}
    for k in grads:
        assert grads[k].shape == grads_t[k].shape, k
        assert rl.rel_error(grads[k], grads_t[k]) < rl.AUTOGRAD_TOL, k


def test_char_rnn_loss_matches_finite_differences(rng):
    params, x, targets, h0 = char_problem(rng, 2, 5, 4, 3, 4)
    _, grads, _ = rl.char_rnn_loss(params, x, targets, h0)
    for k in params:
        num = rl.numerical_gradient(lambda: rl.char_rnn_loss(params, x, targets, h0)[0], params[k])
        assert rl.rel_error(grads[k], num) < rl.FD_TOL, k
    num = rl.numerical_gradient(lambda: rl.char_rnn_loss(params, x, targets, h0)[0], h0)
    assert rl.rel_error(grads["h0"], num) < rl.FD_TOL


def test_readout_backward_matches_finite_differences_in_hs(rng):
    N, T, H, K = 2, 3, 4, 5
    hs = rng.standard_normal((N, T, H))
    Why, by = rng.standard_normal((K, H)), rng.standard_normal(K)
    targets = rng.integers(0, K, (N, T))
    loss, cache = rl.readout_forward(hs, Why, by, targets)
    g = rl.readout_backward(cache)
    num = rl.numerical_gradient(lambda: rl.readout_forward(hs, Why, by, targets)[0], hs)
    assert rl.rel_error(g["hs"], num) < rl.FD_TOL
    assert rl.rel_error(g["logits"], cache["probs"] - rl.one_hot(targets, K)) == 0.0
    # each row of dlogits sums to zero: softmax cannot change the total probability
    assert np.abs(g["logits"].sum(-1)).max() < 1e-12


def test_softmax_is_stable_and_normalised():
    p = rl.softmax(np.array([[1000.0, 1000.0, -1000.0], [0.0, 0.0, 0.0]]))
    assert np.all(np.isfinite(p))
    np.testing.assert_allclose(p, [[0.5, 0.5, 0.0], [1 / 3, 1 / 3, 1 / 3]], atol=1e-15)
    loss, cache = rl.readout_forward(np.zeros((1, 1, 1)), np.array([[1.0], [0.0]]), np.array([800.0, 0.0]),
                                     np.array([[1]]))
    assert loss == pytest.approx(800.0) and np.isfinite(loss)


def test_one_hot():
    np.testing.assert_array_equal(rl.one_hot([2, 0], 3), [[0, 0, 1], [1, 0, 0]])
    assert rl.one_hot(np.zeros((2, 5), dtype=int), 4).shape == (2, 5, 4)
    with pytest.raises(ValueError, match="indices.*0..2.*3"):
        rl.one_hot([3], 3)
    with pytest.raises(ValueError, match="indices.*float"):
        rl.one_hot([1.0], 3)
    with pytest.raises(ValueError, match="K"):
        rl.one_hot([0], 0)


def test_inputs_are_never_modified(rng):
    params, x, targets, h0 = char_problem(rng, 2, 4, 3, 5, 3)
    before = {k: v.copy() for k, v in params.items()}
    x0, t0, h00 = x.copy(), targets.copy(), h0.copy()
    rl.char_rnn_loss(params, x, targets, h0)
    for k in params:
        np.testing.assert_array_equal(params[k], before[k])
    np.testing.assert_array_equal(x, x0)
    np.testing.assert_array_equal(targets, t0)
    np.testing.assert_array_equal(h0, h00)


BAD = [
    ("Why", np.zeros((4, 5)), ["Why", "(K, H)", "H = 3", "(4, 5)"]),
    ("by", np.zeros(3), ["by", "(K,)", "(4,)", "(3,)"]),
    ("targets", np.zeros((2, 4), dtype=int), ["targets", "(N, T)", "(2, 5)", "(2, 4)"]),
    ("targets", np.full((2, 5), 4), ["targets", "0..3", "4"]),
    ("targets", np.zeros((2, 5)), ["targets", "integer", "float64"]),
    ("hs", np.zeros((2, 5)), ["hs", "(N, T, H)", "(2, 5)"]),
]


@pytest.mark.parametrize("arg,value,words", BAD)
def test_bad_inputs_raise_value_error_naming_the_argument(arg, value, words):
    p = {"hs": np.zeros((2, 5, 3)), "Why": np.zeros((4, 3)), "by": np.zeros(4), "targets": np.zeros((2, 5), dtype=int)}
    p[arg] = value
    with pytest.raises(ValueError) as info:
        rl.readout_forward(**p)
    for w in words:
        assert w in str(info.value), (w, str(info.value))


def test_char_rnn_loss_missing_params():
    with pytest.raises(ValueError, match="params.*Why"):
        rl.char_rnn_loss({"Wxh": 0, "Whh": 0, "b": 0, "by": 0}, np.zeros((1, 1, 1)), np.zeros((1, 1), int),
                         np.zeros((1, 1)))
