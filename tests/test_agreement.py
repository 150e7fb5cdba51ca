"""The synthetic agreement task: sentence structure, labels, attractors, and the script's dry run."""
import numpy as np
import pytest

from rnnlib.experiments import agreement as agreement_experiment
from rnnlib.tasks import agreement as ag


def decode(x):
    return [[ag.VOCAB[k] for k in row.argmax(1)] for row in x]


def number_of(word):
    return 0 if word in ag.SINGULAR else 1


@pytest.mark.parametrize("d", [0, 1, 5])
def test_sentences_have_the_structure_the_doc_says(d):
    x, y, y_near = ag.agreement_batch(50, d, np.random.default_rng(0))
    assert x.shape == (50, 2 + 3 * d, len(ag.VOCAB)) and x.dtype == np.float32
    assert np.all(x.sum(2) == 1)                                   # one-hot
    for words, label, near in zip(decode(x), y, y_near):
        assert words[0::3] == ["the"] * (d + 1) and words[2::3] == ["of"] * d
        nouns = words[1::3]
        assert label == number_of(nouns[0]) and near == number_of(nouns[-1])


def test_attractor_probability():
    rng = np.random.default_rng(1)
    x, y, y_near = ag.agreement_batch(200, 4, rng, attractor_prob=1.0)
    for words, label in zip(decode(x), y):
        assert all(number_of(n) != label for n in words[4::3])     # every intervening noun
    x, y, y_near = ag.agreement_batch(200, 4, rng, attractor_prob=0.0)
    assert np.array_equal(y, y_near)
    x, y, _ = ag.agreement_batch(4000, 1, rng, attractor_prob=0.15)
    nouns = [number_of(w[4]) for w in decode(x)]
    assert abs(np.mean(np.array(nouns) != y) - 0.15) < 0.03
    assert abs(y.mean() - 0.5) < 0.05                               # both numbers equally often


@pytest.mark.parametrize("kwargs,words", [
    (dict(distance=-1), "distance"), (dict(distance=2.0), "distance"),
    (dict(distance=2, attractor_prob=1.5), "attractor_prob"),
])
def test_bad_arguments(kwargs, words):
    with pytest.raises(ValueError, match=words):
        ag.agreement_batch(3, rng=np.random.default_rng(0), **kwargs)


def test_dry_run_trains_and_writes_nothing(tmp_path):
    out = tmp_path / "agreement.json"
    result = agreement_experiment.main(["--dry-run", "--seeds", "1", "--models", "lstm", "--max-test-distance", "3",
                      "--out", str(out)])
    assert not out.exists()
    acc = result["results"]["lstm"][0]["accuracy"]
    assert len(acc) == 4 and all(0.0 <= a <= 1.0 for a in acc)
    assert result["description"]
