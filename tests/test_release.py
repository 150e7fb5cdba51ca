"""The course's version, licences and citation agree with each other.

One version number (``version`` in _config.yml) is repeated in pyproject.toml, ``rnnlib.__version__``,
CITATION.cff, the BibTeX entry on the intro page and the newest CHANGELOG.md entry; the licences are
stated in LICENSE (with the MIT text), LICENSE-CC-BY-SA-4.0.txt (the legal code, unchanged) and the
footer of every page.
"""

import hashlib
import re
import tomllib
from pathlib import Path

import yaml

import rnnlib

ROOT = Path(__file__).resolve().parents[1]
CONFIG = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
VERSION = str(CONFIG["version"])
# sha256 of https://creativecommons.org/licenses/by-sa/4.0/legalcode.txt, as committed
CC_BY_SA_SHA256 = "2003829cf643d61b00a76088dd31bb11b8029546f24c56b39fd492adb9281483"


def test_one_version_everywhere():
    assert re.fullmatch(r"\d+\.\d+\.\d+", VERSION), f"_config.yml version {VERSION!r} is not MAJOR.MINOR.PATCH"
    citation = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    intro = (ROOT / "book" / "intro.md").read_text(encoding="utf-8")
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    versions = {
        "_config.yml sphinx release": str(CONFIG["sphinx"]["config"]["release"]),
        "pyproject.toml": pyproject["project"]["version"],
        "rnnlib.__version__": rnnlib.__version__,
        "CITATION.cff": str(citation["version"]),
        "intro.md BibTeX": re.search(r"version\s*=\s*\{([^}]*)\}", intro).group(1),
        "CHANGELOG.md newest entry": re.search(r"^## (\S+)", changelog, flags=re.M).group(1),
    }
    wrong = {where: v for where, v in versions.items() if v != VERSION}
    assert not wrong, f"_config.yml says version {VERSION}, but: {wrong}"


def test_citation_cff_is_complete():
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    assert cff["cff-version"] == "1.2.0"
    for key in ("message", "title", "authors", "version", "date-released", "license", "type"):
        assert cff.get(key), f"CITATION.cff has no {key}"
    assert cff["title"] == CONFIG["title"]
    assert cff["type"] in {"software", "dataset"}
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(cff["date-released"]))
    assert sorted(cff["license"]) == ["CC-BY-SA-4.0", "MIT"]
    assert all(a.get("name") or a.get("family-names") for a in cff["authors"])


def test_licence_files():
    summary = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert "CC BY-SA 4.0" in summary and "LICENSE-CC-BY-SA-4.0.txt" in summary
    assert "Permission is hereby granted, free of charge" in summary  # the MIT text itself
    legal = (ROOT / "LICENSE-CC-BY-SA-4.0.txt").read_bytes()
    assert hashlib.sha256(legal).hexdigest() == CC_BY_SA_SHA256, "the CC BY-SA 4.0 legal code was changed"


def test_every_page_footer_states_the_licences():
    footer = CONFIG["html"]["extra_footer"]
    assert "https://creativecommons.org/licenses/by-sa/4.0/" in footer and "CC BY-SA 4.0" in footer
    assert "MIT" in footer


def test_intro_says_how_to_cite():
    intro = (ROOT / "book" / "intro.md").read_text(encoding="utf-8")
    assert "## Licence and how to cite" in intro
    assert "```bibtex" in intro and "CITATION.cff" in intro
