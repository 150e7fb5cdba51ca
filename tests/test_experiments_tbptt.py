"""python -m rnnlib.experiments: the dispatcher, the remember-the-first-input experiment and its committed results."""
import json
from pathlib import Path

import numpy as np
import pytest
import torch

import rnnlib as rl
from rnnlib.experiments import DATA_DIR, __main__ as cli
from rnnlib.tasks import remember as tbptt_remember

torch.set_num_threads(1)


def test_dispatcher_lists_experiments_on_bad_name(capsys):
    assert cli.main([]) == 2
    assert cli.main(["no_such_experiment"]) == 2
    assert "tbptt_remember" in capsys.readouterr().err


def test_remember_first_batch():
    x, y = tbptt_remember.remember_first_batch(6, 5, torch.Generator().manual_seed(0))
    assert x.shape == (6, 5, 2) and y.shape == (6,)
    assert torch.equal(x[:, 0, 0], 2 * y - 1) and torch.all(x[:, 1:, 0] == 0) and torch.all(x[:, 0, 1] == 0)
    assert torch.all(x[:, 1:, 1].abs() <= 1)


def test_training_is_seeded_and_the_run_writes_provenance(tmp_path):
    a = tbptt_remember.train_remember_first(5, T=8, steps=4, hidden=4, seed=3)
    b = tbptt_remember.train_remember_first(5, T=8, steps=4, hidden=4, seed=3)
    assert a.shape == (4,) and np.array_equal(a, b)
    out = tmp_path / "r.json"
    assert cli.main(["tbptt_remember", "--seeds", "1", "--steps", "10", "--out", str(out)]) == 0
    res = json.loads(out.read_text())
    assert list(res)[:5] == ["command", "seed", "versions", "date", "settings"]
    assert res["command"].startswith("python -m rnnlib.experiments tbptt_remember")
    assert {"torch", "numpy", "python"} <= set(res["versions"]) and res["seed"] == [0]
    assert set(res["final_loss"]) == {"5", "10", "20"} and len(res["curves"]["5"][0]) == 1


def test_committed_results_support_the_chapter():
    res = rl.load_results("tbptt_remember")
    cfg = res["settings"]
    assert cfg["T"] == 20 and cfg["ks"] == [5, 10, 20] and len(cfg["seeds"]) == 10
    final = {k: np.array(v) for k, v in res["final_loss"].items()}
    assert np.all(final["20"] < 0.1)                               # the full window: every seed
    assert np.sum(final["5"] < 0.1) <= 5 and np.sum(final["10"] < 0.1) <= 5
    assert res["chance"] == pytest.approx(np.log(2))
    assert Path(DATA_DIR).name == "data" and Path(DATA_DIR).parent.name == "book"


def test_block_means():
    assert tbptt_remember.block_means(np.arange(25.0), 10).tolist() == [4.5, 14.5]
