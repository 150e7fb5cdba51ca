"""The PDF editions (`make pdf`, book/_ext/book_pdf.py): built, complete, and without raw TeX.

Each edition's PDF (English always; Korean once book/locale/ko/ exists) is built when it is missing or
older than the book's sources, as `make pdf` builds it: a single-page HTML build that reuses the
jupyter cache of `make book` (nothing is executed again) printed by headless Chromium. Then the
text pypdf extracts must hold every chapter title of _toc.yml (with its chapter number for numbered
parts), section numbers, no raw TeX, and the PDF must hold enough pages and the figures. The text
comes from poppler's `pdftotext` when it is installed (.ci/run installs it), else from pypdf (slower).
Without Chromium or Playwright the tests skip with a message, except in CI (``CI=true``) where they fail.
"""

from __future__ import annotations

import functools
import json
import os
import re
import shutil
import subprocess
import sys
import time
import unicodedata
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "book" / "_ext"))
import book_pdf  # noqa: E402  (book/_ext/ is not a package)

IN_CI = os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}
MIN_PAGES = 120  # the English book printed to 232 A4 pages in version 1.0.0
RAW_TEX = ["\\frac", "$$", "\\begin{"]  # what untypeset maths would leave (code cells are printed too)


def squash(text: str) -> str:
    """Compare text without whitespace, ligatures (ﬁ) or compatibility forms: PDF text extraction
    splits and joins words and glyphs its own way."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def title_in(title: str, squashed_text: str) -> bool:
    """Is the title in the text? Text extraction may put a run in another script (the Hangul of
    "Glossary (용어집)") on a line of its own, so each run of one script is looked for on its own."""
    runs = re.findall(r"[\uac00-\ud7a3]+|[^\uac00-\ud7a3]+", title)
    return all(squash(run) in squashed_text for run in runs if squash(run))


def toc_chapters() -> list[tuple[str, str | None]]:
    """(title, chapter number or None) for every chapter of _toc.yml, from each file's first heading."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    chapters, number = [], 0
    for part in toc.get("parts", []):
        for entry in part.get("chapters", []):
            path = ROOT / entry["file"]
            if path.with_suffix(".ipynb").exists():
                cells = json.loads(path.with_suffix(".ipynb").read_text(encoding="utf-8"))["cells"]
                source = next("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
            else:
                source = path.with_suffix(".md").read_text(encoding="utf-8")
            title = re.search(r"^#\s+(.+?)\s*$", source, flags=re.M).group(1)
            title = re.sub(r"[*_`]", "", title)
            if part.get("numbered"):
                number += 1
                chapters.append((title, str(number)))
            else:
                chapters.append((title, None))
    return chapters


def _unavailable(reason: str):
    if IN_CI:
        pytest.fail(f"{reason} (CI=true: the PDF test must run in CI)", pytrace=False)
    pytest.skip(f"PDF test skipped: {reason}")


@functools.lru_cache(maxsize=None)
def built_pdf(lang: str) -> Path:
    """The edition's PDF, built now if it is missing or older than the sources."""
    pdf = book_pdf.pdf_path(lang)
    if pdf.exists() and pdf.stat().st_mtime >= book_pdf.newest_source_mtime():
        return pdf
    if book_pdf.find_chromium() is None:
        _unavailable("no Chromium found (install Debian's `chromium`, or set CHROMIUM=/path)")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        _unavailable("playwright for Python is not installed")
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))
    t0 = time.time()
    proc = subprocess.run([sys.executable, str(ROOT / "book" / "_ext" / "book_pdf.py"), "--lang", lang],
                          cwd=ROOT, env=env, capture_output=True, text=True)
    if proc.returncode != 0 or not pdf.exists():
        pytest.fail(f"`book/_ext/book_pdf.py --lang {lang}` failed:\n{(proc.stdout + proc.stderr)[-4000:]}",
                    pytrace=False)
    print(f"\n[test_pdf] built {pdf.name} in {time.time() - t0:.0f} s", flush=True)
    return pdf


@functools.lru_cache(maxsize=None)
def pdf_facts(lang: str) -> dict:
    from pypdf import PdfReader

    pdf = built_pdf(lang)
    reader = PdfReader(pdf)
    if shutil.which("pdftotext"):  # poppler-utils (.ci/run installs it): 2 s, where pypdf takes a minute
        out = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, check=True)
        pages = out.stdout.decode("utf-8").split("\f")[:len(reader.pages)]
    else:
        pages = [page.extract_text() or "" for page in reader.pages]
    images = set()
    for page in reader.pages:
        xobjects = page.get("/Resources", {}).get("/XObject", {})
        for name, ref in xobjects.items():
            obj = ref.get_object()
            if obj.get("/Subtype") == "/Image":
                images.add((getattr(ref, "idnum", None), name))
    return {"pages": pages, "text": "\n".join(pages), "images": len(images),
            "outline": len(reader.outline)}


def figures_in_book() -> int:
    """Images in the single-page build (notebook figures and images in the text)."""
    html = (book_pdf.BUILD / "print" / "en" / "singlehtml" / "index.html").read_text(encoding="utf-8")
    article = html[html.find("<article"):html.find("</article>")]
    return len(set(re.findall(r'<img [^>]*src="([^"]+)"', article)))


EDITIONS = book_pdf.editions()


@pytest.mark.parametrize("lang", EDITIONS)
def test_pdf_has_every_chapter_and_enough_pages(lang):
    facts = pdf_facts(lang)
    assert len(facts["pages"]) >= MIN_PAGES, f"{lang}: only {len(facts['pages'])} pages"
    text = squash(facts["text"])
    if lang == "en":
        missing = [f"{n + '.' if n else ''}{t}" for t, n in toc_chapters()
                   if not title_in(f"{n + '.' if n else ''}{t}", text)]
        assert not missing, f"chapter titles (with their numbers) not found in the PDF's text: {missing}"
    else:  # a translation: the chapter numbers, and the text in its own script
        for _, n in toc_chapters():
            if n:
                assert f"{n}.1." in text, f"{lang}: no section {n}.1 in the PDF"
    assert "1.1." in text and "2.1." in text, "no section numbers (1.1., 2.1.) in the PDF"
    assert facts["outline"] > 0, "the PDF has no outline (bookmarks)"


@pytest.mark.parametrize("lang", EDITIONS)
def test_pdf_has_no_raw_tex(lang):
    text = pdf_facts(lang)["text"]
    found = {pattern: text.count(pattern) for pattern in RAW_TEX if pattern in text}
    assert not found, f"{lang}: raw TeX in the PDF's text (maths MathJax did not typeset?): {found}"


def test_pdf_has_the_figures():
    facts = pdf_facts("en")
    expected = figures_in_book()
    assert expected > 20, f"the single-page build has only {expected} images"
    assert facts["images"] >= expected, f"the PDF holds {facts['images']} images, the book {expected}"


@pytest.mark.skipif("ko" not in EDITIONS, reason="no Korean edition yet (book/locale/ko/)")
def test_korean_pdf_is_in_hangul():
    hangul = len(re.findall(r"[\uac00-\ud7a3]", pdf_facts("ko")["text"]))
    assert hangul > 5000, f"the Korean PDF holds only {hangul} Hangul syllables"


def test_the_site_links_each_pdf():
    """The intro page's download link (../gradients-in-recurrent-networks.pdf) finds the copy
    `make pdf` puts into the website."""
    intro = (ROOT / "book" / "intro.md").read_text(encoding="utf-8")
    assert f'href="../{book_pdf.SITE_PDF_NAME}"' in intro
    for lang in EDITIONS:
        built_pdf(lang)
        copy = book_pdf.site_copy_path(lang)
        assert copy.exists(), f"{copy} is missing: book/_ext/book_pdf.py copies the PDF there"
