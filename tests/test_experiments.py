"""The experiment scripts: tiny dry runs write JSON with the metadata, unknown names fail clearly,
and the committed results agree with the code that wrote them."""
import json
from pathlib import Path

import pytest

from rnnlib import experiments
from rnnlib.experiments import adding
from rnnlib.experiments.__main__ import main

DATA = Path(__file__).resolve().parents[1] / "book" / "data"
META = {"command", "seed", "date", "versions", "settings"}


def _load(path):
    with open(path) as f:
        return json.load(f)


def test_dry_runs_write_json_with_metadata(tmp_path):
    out = ["--dry-run", "--out", str(tmp_path), "--models", "irnn", "lstm"]
    sweep = experiments.run("adding-sweep", out)
    runs = experiments.run("adding", out)
    pix = experiments.run("pixels", out + ["--tasks", "permuted"])
    assert [p.name for p in sweep] == ["irnn_adding_sweep_irnn.json", "irnn_adding_sweep_lstm.json"]
    assert [p.name for p in runs] == ["irnn_adding_irnn_T6.json", "irnn_adding_lstm_T6.json"]
    assert [p.name for p in pix] == ["irnn_pixels_permuted_irnn_b0.json", "irnn_pixels_permuted_lstm_b0.json"]
    for p in sweep + runs + pix:
        d = _load(p)
        assert META <= set(d) and {"torch", "numpy"} <= set(d["versions"]), p.name
        assert d["command"].startswith("python -m rnnlib.experiments ") and "--dry-run" in d["command"]
    s = _load(sweep[0])
    assert s["chosen_lr"] in adding.SWEEP_LRS and len(s["runs"]) == len(adding.SWEEP_LRS)
    assert s["chosen_lr"] == adding.choose_lr(s["runs"]) and "plateau" in s["rule"]
    r = _load(runs[0])
    assert r["lr"] == s["chosen_lr"] and r["settings"]["lr_source"] == "irnn_adding_sweep_irnn.json"
    assert r["steps_run"] == 20 and r["eval_step"] == [10, 20] and len(r["train_mse"]) == 2
    assert r["stop_reason"] in ("solved", "step budget")
    assert 0 <= _load(pix[0])["final_accuracy"] <= 1
    same = experiments.run("pixels", out + ["--tasks", "sequential", "--lr", "0.01"])
    assert [p.name for p in same] == ["irnn_pixels_sequential_irnn_b0_lr0.01.json",
                                      "irnn_pixels_sequential_lstm_b0_lr0.01.json"]
    assert all(_load(p)["lr"] == 0.01 == _load(p)["lr_override"] for p in same)


def test_choose_lr_takes_the_best_score_or_the_largest_stable_rate_on_a_plateau():
    runs = lambda *scores: [{"lr": lr, "score": sc} for lr, sc in zip((1e-4, 3e-4, 1e-3), scores)]  # noqa: E731
    assert adding.choose_lr(runs(0.12, 0.11, 0.17)) == 3e-4                 # someone learned: best score
    assert adding.choose_lr(runs(0.1728, 0.1730, 0.1731)) == 1e-3           # all on the plateau: largest
    assert adding.choose_lr(runs(0.170, 0.168, float("inf"))) == 3e-4        # ... that did not diverge


def test_unknown_experiment_and_help(capsys):
    with pytest.raises(ValueError, match=r"name: unknown experiment 'mnist'; expected one of \('adding-sweep'"):
        experiments.run("mnist")
    assert main(["mnist"]) == 2
    assert "unknown experiment 'mnist'" in capsys.readouterr().err
    assert main(["--help"]) == 0
    assert "adding-sweep" in capsys.readouterr().out
    with pytest.raises(SystemExit):
        main(["adding", "--models", "transformer"])                      # argparse refuses the choice


def test_committed_results_parse_and_match_the_code():
    files = sorted(DATA.glob("irnn_*.json"))
    assert files, "no committed results in book/data"
    for p in files:
        d = _load(p)
        assert META <= set(d), p.name
        assert d["command"].startswith("python -m rnnlib.experiments ") and "--dry-run" not in d["command"]
    for m, lr in adding.CHOSEN_LR.items():
        sweep = DATA / f"irnn_adding_sweep_{m}.json"
        if sweep.exists():
            d = _load(sweep)
            assert d["chosen_lr"] == lr == adding.choose_lr(d["runs"]), f"CHOSEN_LR[{m!r}] disagrees with {sweep.name}"
