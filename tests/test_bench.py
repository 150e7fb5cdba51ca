"""The benchmark runs, and its last line is a JSON object of positive, finite ratios."""
import json
import math
import subprocess
import sys
from pathlib import Path

from rnnlib.bench import toc_notebooks

ROOT = Path(__file__).resolve().parents[1]
KEYS = {"numpy_bptt_vs_torch_autograd", "numpy_bptt_vs_torch_autograd_H256", "per_step_grads_vs_fused",
        "truncated_vs_full_memory", "time_vs_T_exponent"}


def test_bench_quick_prints_json_ratios_last():
    res = subprocess.run([sys.executable, "-m", "rnnlib.bench", "--quick"], capture_output=True, text=True,
                         timeout=300, cwd=ROOT)
    assert res.returncode == 0, res.stderr
    ratios = json.loads(res.stdout.strip().splitlines()[-1])
    assert KEYS <= set(ratios)
    for k, v in ratios.items():
        assert isinstance(v, float) and math.isfinite(v) and v > 0, (k, v)
    assert ratios["truncated_vs_full_memory"] < 0.5          # T=200, k=20: about 0.1
    assert 0.5 < ratios["time_vs_T_exponent"] < 2.0


# The reading order (issue 13): clipping closes "Training through time"; in "Remedies" the LSTM and
# GRU come before the IRNN, which uses them as its baseline. Each chapter uses only what came before.
CHAPTER_ORDER = ["recurrent_basics", "scalar_rnn", "jacobians",
                 "bptt", "truncated_bptt", "clipping",
                 "lstm_gru", "irnn", "beyond"]


def test_toc_notebooks_lists_existing_notebooks_in_order():
    nbs = toc_notebooks(ROOT)
    assert all(p.suffix == ".ipynb" and p.exists() for p in nbs)
    assert [p.stem for p in nbs] == CHAPTER_ORDER
