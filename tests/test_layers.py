"""The package's layers: the numpy core imports no torch, lower layers never import higher ones, every
public name is reachable as ``rl.<name>``, files stay within their line budget, and the results pipeline
(one writer, one schema, one reader) agrees with the registry, the Makefile and the README."""
import ast
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

import rnnlib as rl
from rnnlib.experiments import EXPERIMENTS
from rnnlib.experiments.results import HEAD, load_results, normalise, write_results

ROOT = Path(__file__).resolve().parents[1]
PKG = ROOT / "rnnlib"
LAYERS = ["core", "training", "tasks", "tools", "exercises", "experiments"]   # bottom to top


def layer_of(path: Path) -> str:
    parts = path.relative_to(PKG).parts
    if parts == ("bench.py",):
        return "tools"                       # the documented ``python -m rnnlib.bench`` entry point
    return "core" if len(parts) == 1 else parts[0]


def imported_modules(path: Path):
    """(absolute module name, line) of every import in a file of the package."""
    tree = ast.parse(path.read_text())
    package = ".".join(("rnnlib",) + path.relative_to(PKG).parent.parts)
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from ((a.name, node.lineno) for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package.split(".")[:len(package.split(".")) - node.level + 1] if node.level else []
            mod = ".".join(base + ([node.module] if node.module else []))
            yield mod, node.lineno
            if node.module is None:
                yield from ((f"{mod}.{a.name}", node.lineno) for a in node.names)


def test_import_rnnlib_without_torch_gives_the_numpy_core():
    code = """
import sys
sys.modules["torch"] = None                      # import torch now fails, as on a machine without it
import numpy as np
import rnnlib as rl
rng = np.random.default_rng(0)
x, h0 = rng.standard_normal((2, 5, 3)), np.zeros((2, 4))
Wxh, Whh, b = rng.standard_normal((4, 3)), 0.5 * rng.standard_normal((4, 4)), np.zeros(4)
hs, cache = rl.rnn_forward(x, h0, Wxh, Whh, b)
g = rl.rnn_backward(np.ones_like(hs), cache)
t = rl.truncated_rnn_backward(np.ones_like(hs), cache, 2, 3)
assert max(rl.rnn_gradcheck().values()) < rl.FD_TOL
rl.lstm_forward(x, h0, h0, rng.standard_normal((16, 3)), rng.standard_normal((16, 4)), np.zeros(16))
rl.clip_by_norm(g, 1.0); rl.jacobian_product_norms(rl.step_jacobians(cache)); rl.adding_problem(2, 4)
rl.clockwork_forward(x, h0, Wxh, Whh, b, [2, 2], [1, 2]); rl.scalar_forward(0.5, 1.0, 0.0, np.ones(3))
rl.load_results("tbptt_remember")
assert "torch" not in {m for m in sys.modules if sys.modules[m] is not None}
try:
    rl.make_model
except ImportError:
    print("torch parts need torch")
"""
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert res.returncode == 0, res.stderr
    assert "torch parts need torch" in res.stdout


@pytest.mark.parametrize("path", sorted(PKG.rglob("*.py")), ids=lambda p: str(p.relative_to(PKG)))
def test_layers_import_only_downwards_and_the_core_no_torch(path):
    mine = LAYERS.index(layer_of(path))
    for mod, line in imported_modules(path):
        if layer_of(path) == "core":
            assert mod.split(".")[0] != "torch", f"{path.name}:{line} imports {mod}: the numpy core imports no torch"
        if mod.startswith("rnnlib.") and mod.split(".")[1] in LAYERS[1:]:
            assert LAYERS.index(mod.split(".")[1]) <= mine, f"{path.relative_to(PKG)}:{line} imports higher layer {mod}"


@pytest.mark.parametrize("path", sorted(PKG.rglob("*.py")), ids=lambda p: str(p.relative_to(PKG)))
def test_every_module_stays_within_the_line_budget(path):
    assert len(path.read_text().splitlines()) <= 300, f"{path.relative_to(PKG)} is over 300 lines"


def test_every_public_name_is_reachable_and_api_md_names_are_public():
    for name in rl.__all__:
        assert getattr(rl, name) is not None, name
    assert len(rl.__all__) == len(set(rl.__all__))
    api = Path("/work/shared/API.md")
    if api.exists():
        named = set(re.findall(r"^`(\w+)\(", api.read_text(), flags=re.M)) | {"AUTOGRAD_TOL", "FD_TOL"}
        assert named <= set(rl.__all__), named - set(rl.__all__)
    with pytest.raises(AttributeError):
        rl.no_such_name


def test_results_schema_round_trip_and_old_schemas(tmp_path):
    p = write_results(tmp_path / "x.json", {"loss": [0.5, 0.25]}, command="python -m rnnlib.experiments x",
                      seed=3, settings={"steps": 2})
    d = json.loads(p.read_text())
    assert list(d)[:5] == list(HEAD) and d["loss"] == [0.5, 0.25] and d["seed"] == 3
    assert load_results("x", tmp_path) == d and load_results("*", tmp_path) == [d]
    old_adding = {"command": "c", "seed": 0, "date": "d", "versions": {}, "threads": 1, "settings": {"a": 1},
                  "model": "irnn", "T": 400}
    n = normalise(old_adding)
    assert list(n) == [*HEAD, "model", "T"] and n["settings"] == {"a": 1, "threads": 1}
    old_tbptt = {"config": {"seeds": [0, 1]}, "curves": {}, "provenance": {"command": "c", "python": "3",
                                                                           "numpy": "2", "torch": "2", "date": "d"}}
    n = normalise(old_tbptt)
    assert n["seed"] == [0, 1] and n["versions"] == {"python": "3", "numpy": "2", "torch": "2"}
    with pytest.raises(ValueError, match="name: no results file"):
        load_results("no_such_file")


def test_committed_results_are_in_the_schema():
    for p in sorted((ROOT / "book" / "data").glob("*.json")):
        d = json.loads(p.read_text())
        assert list(d)[:5] == list(HEAD), p.name


def test_registry_drives_the_cli_the_makefile_and_the_readme():
    res = subprocess.run([sys.executable, "-m", "rnnlib.experiments", "--list"], capture_output=True, text=True,
                         cwd=ROOT, timeout=60)
    assert res.stdout.split() == list(EXPERIMENTS)
    assert "python -m rnnlib.experiments --list" in (ROOT / "Makefile").read_text()
    readme = (ROOT / "README.md").read_text()
    rows = re.findall(r"^\| `([\w-]+)` \| ([^|]+) \| ([^|]+) \|$", readme, flags=re.M)
    assert [(n, c.strip(), w.strip()) for n, c, w in rows] == [(n, e[2], e[3]) for n, e in EXPERIMENTS.items()]
