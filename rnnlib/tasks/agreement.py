"""A synthetic subject-verb agreement task: "the writer of the books ___" (is / are).

After Linzen, Dupoux & Goldberg (2016), who asked LSTMs to predict the number of an English verb
and counted *agreement attractors*: nouns between the subject and the verb whose number differs
from the subject's. Here the language is tiny and synthetic, so the only thing that varies is the
distance: a sentence with ``d`` attractors is::

    the N0 of the N1 of the N2 ... of the Nd   ->   number of N0 (0 = singular "is", 1 = plural "are")

``2 + 3 d`` tokens, one-hot coded. A model that remembers the subject ("syntactic recency") is right;
one that copies the nearest noun ("sequential recency") is right only when the nearest noun happens
to share the subject's number, and always wrong when every intervening noun is an attractor.

Run ``python -m rnnlib.experiments agreement`` for the full experiment (several seeds, longer training); it writes
``book/data/agreement.json``, which the chapter "LSTM and GRU" plots beside its quick live run.
"""
from __future__ import annotations

import numpy as np
import torch

from .._validate import check_int

from ..training.models import make_model
from ..training.trainer import train

#: Vocabulary: two function words, then singular and plural nouns.
SINGULAR = ("writer", "author", "key", "cat")
PLURAL = ("books", "friends", "cabinets", "dogs")
VOCAB = ("the", "of") + SINGULAR + PLURAL
THE, OF = 0, 1
NOUNS = (np.arange(2, 2 + len(SINGULAR)), np.arange(2 + len(SINGULAR), len(VOCAB)))   # by number


def agreement_batch(n: int, distance: int, rng: np.random.Generator, attractor_prob: float = 0.5):
    """``n`` sentences with ``distance`` intervening nouns, one-hot ``x`` (n, 2 + 3 distance, V) float32,
    labels ``y`` (n,) int64 (the subject's number), and the number of the nearest noun (n,).

    Each intervening noun is an attractor (has the other number) with probability ``attractor_prob``:
    0.5 makes every noun's number a coin flip, 1.0 makes every intervening noun an attractor (the
    hardest test), a small value is like natural text, where the nearest noun is usually the subject.
    """
    if not 0.0 <= attractor_prob <= 1.0:
        raise ValueError(f"attractor_prob: expected a probability in [0, 1], got {attractor_prob!r}")
    distance = check_int("distance", distance, 0)
    subject = rng.integers(0, 2, size=(n, 1))
    flip = rng.random((n, distance)) < attractor_prob
    number = np.concatenate([subject, np.where(flip, 1 - subject, subject)], axis=1)   # subject first
    nouns = np.where(number == 0, rng.choice(NOUNS[0], size=number.shape), rng.choice(NOUNS[1], size=number.shape))
    T = 2 + 3 * distance
    tokens = np.full((n, T), OF)
    tokens[:, 0::3] = THE                                            # the N of the N of ...
    tokens[:, 1::3] = nouns
    x = np.eye(len(VOCAB), dtype=np.float32)[tokens]
    return x, number[:, 0].astype(np.int64), number[:, -1].astype(np.int64)


def train_agreement(name: str, *, train_distances=range(0, 7), attractor_prob: float = 0.15, steps: int = 200,
                    hidden: int = 16, lr: float = 1e-2, batch_size: int = 64, seed: int = 0, progress: bool = False):
    """Train ``make_model(name, V, hidden, 2)`` (``"rnn_tanh"``, ``"lstm"``, ``"gru"``, ...) on sentences whose
    distance is drawn from ``train_distances``, one distance per minibatch, each intervening noun an attractor
    with probability ``attractor_prob``. Adam, gradient norm clipped at 1. Returns ``(model, history)``."""
    distances = np.asarray(list(train_distances))
    model = make_model(name, len(VOCAB), hidden, 2, seed=seed)

    def data(step, generator):
        rng = np.random.default_rng([seed, step])
        x, y, _ = agreement_batch(batch_size, int(rng.choice(distances)), rng, attractor_prob)
        return torch.from_numpy(x), torch.from_numpy(y)

    history = train(model, data, steps=steps, task="classification", lr=lr, clip_norm=1.0, seed=seed,
                    progress=progress, desc=name)
    return model, history


def agreement_accuracy(model, distances, n: int = 500, seed: int = 1, attractor_prob: float = 1.0):
    """Accuracy of ``model`` at each distance (fresh sentences, by default all nouns attractors), and
    how often it agrees with the nearest noun instead."""
    acc, nearest = [], []
    model.eval()
    with torch.no_grad():
        for d in distances:
            x, y, y_near = agreement_batch(n, int(d), np.random.default_rng([seed, int(d)]), attractor_prob)
            pred = model(torch.from_numpy(x).to(next(model.parameters()).dtype)).argmax(1).numpy()
            acc.append(float(np.mean(pred == y)))
            nearest.append(float(np.mean(pred == y_near)))
    model.train()
    return acc, nearest
