"""The torch side: initialisations, the model wrapper and the trainer."""
import numpy as np
import pytest
import torch

import rnnlib as rl


def test_irnn_init_sets_identity_zero_bias_small_inputs_every_layer_and_direction():
    rnn = torch.nn.RNN(3, 5, num_layers=2, nonlinearity="relu", bidirectional=True)
    assert rl.irnn_init_(rnn, scale=0.5) is rnn
    for name, p in rnn.named_parameters():
        if name.startswith("weight_hh"):
            assert torch.equal(p, 0.5 * torch.eye(5)), name
        elif name.startswith("bias"):
            assert torch.all(p == 0), name
        else:
            assert p.abs().max() < 0.01, name


@pytest.mark.parametrize("bad", [torch.nn.RNN(2, 3), torch.nn.LSTM(2, 3)])
def test_irnn_init_refuses_non_relu(bad):
    with pytest.raises(ValueError, match="rnn.*relu"):
        rl.irnn_init_(bad)


def test_set_forget_bias_effective_bias_every_layer_and_direction():
    lstm = torch.nn.LSTM(3, 4, num_layers=2, bidirectional=True)
    before = {n: p.detach().clone() for n, p in lstm.named_parameters()}
    rl.set_forget_bias_(lstm, 1.0)
    H = 4
    for suffix in ["_l0", "_l0_reverse", "_l1", "_l1_reverse"]:
        eff = getattr(lstm, "bias_ih" + suffix) + getattr(lstm, "bias_hh" + suffix)
        old = before["bias_ih" + suffix] + before["bias_hh" + suffix]
        assert torch.allclose(eff[H:2 * H], torch.ones(H))
        assert torch.allclose(eff[:H], old[:H]) and torch.allclose(eff[2 * H:], old[2 * H:])
    with pytest.raises(ValueError, match="bias=False"):
        rl.set_forget_bias_(torch.nn.LSTM(2, 3, bias=False))
    with pytest.raises(ValueError, match="lstm"):
        rl.set_forget_bias_(torch.nn.GRU(2, 3))


@pytest.mark.parametrize("name", rl.MODEL_NAMES)
def test_make_model_shapes_and_seed(name):
    x = torch.randn(4, 7, 2)
    a, b = rl.make_model(name, 2, 8, 3, seed=5), rl.make_model(name, 2, 8, 3, seed=5)
    assert a(x).shape == (4, 3)
    assert torch.equal(a(x), b(x))


def test_model_errors():
    with pytest.raises(ValueError, match="name.*'transformer'"):
        rl.make_model("transformer", 2, 8, 1)
    with pytest.raises(ValueError, match=r"x: expected shape \(N, T, input_size\).*\(4, 7, 3\)"):
        rl.make_model("lstm", 2, 8, 1)(torch.zeros(4, 7, 3))
    with pytest.raises(ValueError, match="hidden_size"):
        rl.SequenceModel(2, 0, 1)


def test_train_is_deterministic_and_learns_the_adding_problem_a_little():
    x, y = rl.adding_problem(512, 10, seed=0)
    runs = []
    for _ in range(2):
        model = rl.make_model("lstm", 2, 16, 1, seed=0)
        runs.append(rl.train(model, (x, y), steps=150, lr=1e-2, clip_norm=1.0, progress=False,
                             eval_data=(x, y), eval_every=50))
    assert runs[0].loss == runs[1].loss
    assert runs[0].eval_step == [50, 100, 150]
    assert runs[0].eval_loss[-1] < 1 / 6 * 0.8                  # beats the predict-1 baseline
    assert all(np.isfinite(runs[0].grad_norm))


def test_train_reports_the_step_where_the_loss_became_nan():
    x, y = rl.adding_problem(64, 10, seed=0)
    model = rl.make_model("rnn_tanh", 2, 8, 1)
    with pytest.raises(rl.TrainingDiverged) as info:
        rl.train(model, (x, y), steps=50, optimizer="sgd", lr=1e30, progress=False)
    step = info.value.step
    assert 1 < step <= 50 and f"at step {step}:" in str(info.value)
    model = rl.make_model("rnn_tanh", 2, 8, 1)
    hist = rl.train(model, (x, y), steps=50, optimizer="sgd", lr=1e30, progress=False, on_nonfinite="stop")
    assert hist.diverged_at == step and len(hist.loss) == step - 1      # same seed, same step
    assert all(np.isfinite(hist.loss))


def test_train_bad_arguments():
    model = rl.make_model("gru", 2, 4, 1)
    data = rl.adding_problem(8, 4)
    for kwargs, word in [({"steps": 0}, "steps"), ({"steps": 5, "optimizer": "lbfgs"}, "optimizer"),
                         ({"steps": 5, "clip_norm": 0.0}, "clip_norm"), ({"steps": 5, "task": "x"}, "task")]:
        with pytest.raises(ValueError, match=word):
            rl.train(model, data, progress=False, **kwargs)
    with pytest.raises(ValueError, match="same number"):
        rl.train(model, (data[0], data[1][:3]), steps=2, progress=False)


def test_train_stop_when_ends_after_the_evaluation_that_asks_for_it():
    x, y = rl.adding_problem(64, 6, seed=0)
    model = rl.make_model("irnn", 2, 4, 1)
    hist = rl.train(model, (x, y), steps=100, progress=False, eval_data=(x, y), eval_every=10,
                    stop_when=lambda h: len(h.eval_step) == 3)
    assert hist.stopped_at == 30 and hist.eval_step == [10, 20, 30] and len(hist.loss) == 30
    full = rl.train(rl.make_model("irnn", 2, 4, 1), (x, y), steps=40, progress=False,
                    eval_data=(x, y), eval_every=10)
    assert full.stopped_at is None and full.loss[:30] == hist.loss      # stopping changes nothing before it
