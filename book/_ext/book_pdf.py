"""The PDF edition: the book as one HTML page, printed by headless Chromium after MathJax has typeset.

    python book/_ext/book_pdf.py            # English: _build/pdf/gradients-in-recurrent-networks.pdf
    python book/_ext/book_pdf.py --lang ko  # Korean:  _build/pdf/gradients-in-recurrent-networks-ko.pdf

Two steps, the same for every edition (``make pdf`` runs them):

1. A single-page HTML build of the book (Sphinx's ``singlehtml`` builder, through jupyter-book so that
   _config.yml and _toc.yml apply, with its section numbering) into ``_build/print/<lang>/singlehtml``.
   The notebooks are not executed again: the build reads their outputs from the jupyter cache that
   ``make book`` fills (``_build/.jupyter_cache``); with an empty cache it executes them once and fills it.
   A language other than English builds with ``language=<lang>`` and the gettext catalogs in
   ``book/locale/`` (``-D key=value`` adds or changes Sphinx settings, for example ``-D locale_dirs=...``).
2. That page, served from 127.0.0.1, opened in Debian's Chromium (driven by Playwright, as the browser
   test does; ``$CHROMIUM`` chooses another binary), waited on until MathJax has typeset every formula
   and every image has loaded, then printed to A4 with ``book/_ext/print.css`` (no sidebars or buttons, each
   chapter on a new page, figures and equations not cut across pages, solutions opened, page numbers,
   and a PDF outline of the chapters and sections).

The PDF goes to ``_build/pdf/`` and is copied into the website (``_build/html/`` for English,
``_build/html/<lang>/`` for another edition) as ``gradients-in-recurrent-networks.pdf``, the file the
intro page's download link points to.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import os
import shutil
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

import yaml

ROOT = Path(__file__).resolve().parents[2]
BUILD = ROOT / "_build"
SITE_PDF_NAME = "gradients-in-recurrent-networks.pdf"  # the name the intro page links to (../<name>)
CSS = Path(__file__).with_name("print.css")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]
TIMEOUT_MS = 180_000  # one page holding the whole book, on a busy machine


def editions() -> list[str]:
    """The editions `make pdf` prints: English, and Korean once its catalogs exist (book/locale/ko/)."""
    return ["en"] + [lang for lang in ("ko",) if (ROOT / "book" / "locale" / lang).is_dir()]


def newest_source_mtime() -> float:
    """The newest of the files a PDF is made from (the book, its configuration, this tool)."""
    files = [ROOT / "_config.yml", ROOT / "_toc.yml", Path(__file__), CSS]
    files += [p for p in (ROOT / "book").rglob("*")
              if p.is_file() and ".ipynb_checkpoints" not in p.parts and "__pycache__" not in p.parts]
    return max(p.stat().st_mtime for p in files if p.exists())


def pdf_path(lang: str) -> Path:
    """Where ``make pdf`` puts the edition in ``lang``."""
    return BUILD / "pdf" / (SITE_PDF_NAME if lang == "en" else SITE_PDF_NAME.replace(".pdf", f"-{lang}.pdf"))


def site_copy_path(lang: str) -> Path:
    """The copy inside the website that the intro page's link (../gradients-in-recurrent-networks.pdf) finds."""
    return BUILD / "html" / SITE_PDF_NAME if lang == "en" else BUILD / "html" / lang / SITE_PDF_NAME


def course_version() -> str:
    return str(yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))["version"])


def find_chromium() -> str | None:
    """$CHROMIUM if set (and only it), else Debian's /usr/bin/chromium, else chromium on PATH."""
    if os.environ.get("CHROMIUM"):
        return os.environ["CHROMIUM"] if os.access(os.environ["CHROMIUM"], os.X_OK) else None
    if os.access("/usr/bin/chromium", os.X_OK):
        return "/usr/bin/chromium"
    return shutil.which("chromium") or shutil.which("chromium-browser")


# --------------------------------------------------------------------------- 1. one HTML page
def _give_singlehtml_the_html_handlers() -> None:
    """sphinx-exercise registers node handlers for the builder *name* 'singlehtml', and Sphinx then
    ignores every other extension's handlers for the *format* 'html' in that builder (the build stops
    at sphinx-jupyterbook-latex's HiddenCellNode). Merge them: the 'singlehtml' ones win."""
    from sphinx.registry import SphinxComponentRegistry

    original = SphinxComponentRegistry.create_translator
    if getattr(original, "_merges_html", False):
        return

    def create_translator(self, builder, *args):
        if builder.name == "singlehtml" and "singlehtml" in self.translation_handlers:
            self.translation_handlers["singlehtml"] = {**self.translation_handlers.get("html", {}),
                                                       **self.translation_handlers["singlehtml"]}
        return original(self, builder, *args)

    create_translator._merges_html = True
    SphinxComponentRegistry.create_translator = create_translator


def build_single_page(lang: str, overrides: dict) -> Path:
    """Sphinx's singlehtml build of the book; returns the folder holding index.html."""
    from jupyter_book.sphinx import build_sphinx

    _give_singlehtml_the_html_handlers()

    out = BUILD / "print" / lang
    confoverrides = {
        "external_toc_path": (ROOT / "_toc.yml").as_posix(),
        # the cache `make book` fills, so that no notebook runs again
        "nb_execution_cache_path": (BUILD / ".jupyter_cache").as_posix(),
        "latex_individualpages": False,  # jupyter-book expects it (its CLI always passes it)
    }
    if lang != "en":
        confoverrides.update({"language": lang, "locale_dirs": ["book/locale/"]})
    confoverrides.update(overrides)
    result = build_sphinx(ROOT, out / "singlehtml", doctreedir=out / ".doctrees", noconfig=True,
                          path_config=ROOT / "_config.yml", confoverrides=confoverrides,
                          builder="singlehtml", keep_going=True, quiet=True)
    root = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))["root"]
    page = out / "singlehtml" / f"{root}.html"
    if result != 0 or not page.is_file():
        sys.exit(f"the single-page build for '{lang}' failed ({result!r})")
    # The root document is book/intro, so singlehtml writes the book to book/intro.html but with links
    # to _static/ and _images/ as if it were at the top (and index.html only redirects): put it there.
    (out / "singlehtml" / "index.html").write_text(page.read_text(encoding="utf-8"), encoding="utf-8")
    return out / "singlehtml"


# --------------------------------------------------------------------------- 2. print it
WAIT_FOR_MATHJAX = """async () => {
  if (!document.querySelector('.math')) return 'no maths';
  const t0 = Date.now();
  while (!(window.MathJax && MathJax.startup && MathJax.startup.promise)) {
    if (Date.now() - t0 > 60000) throw new Error('MathJax did not start');
    await new Promise(r => setTimeout(r, 50));
  }
  await MathJax.startup.promise;
  return 'typeset';
}"""

# Before printing: every image loaded, solutions opened, the intro before the chapters, a title page
# for each part, a version line under the title. Returns what the checks in tests/test_pdf.py also look at in the PDF.
PREPARE = """async ([version, lang]) => {
  const imgs = [...document.images];
  imgs.forEach(i => { i.loading = 'eager'; });
  await Promise.all(imgs.map(i => i.complete ? null : new Promise(r => {
    i.addEventListener('load', r); i.addEventListener('error', r); setTimeout(r, 30000); })));
  // sphinx-togglebutton hides solution bodies with .toggle-hidden (print.css shows them)
  document.querySelectorAll('.toggle-hidden').forEach(e => e.classList.remove('toggle-hidden'));
  // the intro page's own sections first (as a preface), then the chapters: in the single page the
  // chapters stand where the intro's {tableofcontents} is (one toctree per part), mid-intro
  const article = document.querySelector('article.bd-article');
  document.querySelectorAll('article .toctree-wrapper').forEach(part => article.appendChild(part));
  // a title page for each part of _toc.yml (the theme's print-only contents list has the captions)
  document.querySelectorAll('#jb-print-toc nav p.caption').forEach(cap => {
    const first = cap.nextElementSibling && cap.nextElementSibling.querySelector('a[href^="#document-"]');
    const anchor = first && document.getElementById(decodeURIComponent(first.getAttribute('href').slice(1)));
    if (!anchor) return;
    const part = document.createElement('div');
    part.className = 'pdf-part';
    part.textContent = cap.textContent.trim();
    anchor.before(part);
  });
  const h1 = document.querySelector('#jb-print-docs-body h1') || document.querySelector('h1');
  if (h1) {
    const p = document.createElement('p');
    p.className = 'pdf-edition';
    p.textContent = (lang === 'ko' ? '판 ' : 'Version ') + version + ' · ' + new Date().toISOString().slice(0, 10);
    h1.after(p);
  }
  return {
    images: imgs.length,
    brokenImages: imgs.filter(i => !(i.complete && i.naturalWidth > 0)).map(i => i.getAttribute('src')),
    maths: document.querySelectorAll('.math').length,
    untypeset: [...document.querySelectorAll('.math')].filter(m => !m.querySelector('mjx-container')).length,
    mathErrors: document.querySelectorAll('mjx-merror').length,
  };
}"""

FOOTER = ('<div style="font-size:8px; width:100%; text-align:center; color:#555;">'
          '<span class="pageNumber"></span> / <span class="totalPages"></span></div>')


def print_pdf(html_dir: Path, out: Path, lang: str) -> dict:
    """Print html_dir/index.html to `out` with headless Chromium; returns facts about the page."""
    from playwright.sync_api import sync_playwright

    chromium = find_chromium()
    if chromium is None:
        sys.exit("no Chromium found: install Debian's `chromium` (apt-get install chromium), or set CHROMIUM")

    class QuietHandler(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(html_dir)))
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    foreign: list[str] = []
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
            context = browser.new_context(viewport={"width": 1000, "height": 1400}, color_scheme="light",
                                          service_workers="block", locale="ko-KR" if lang == "ko" else "en-US")

            def route(r):  # offline, like the website: nothing from another host
                if urlsplit(r.request.url).hostname == "127.0.0.1":
                    r.continue_()
                else:
                    foreign.append(r.request.url)
                    r.abort()

            context.route("**/*", route)
            page = context.new_page()
            page.set_default_timeout(TIMEOUT_MS)
            t0 = time.time()
            page.goto(f"http://127.0.0.1:{server.server_port}/index.html", wait_until="load", timeout=TIMEOUT_MS)
            t1 = time.time()
            page.evaluate(WAIT_FOR_MATHJAX)
            t2 = time.time()
            facts = page.evaluate(PREPARE, [course_version(), lang])
            page.add_style_tag(content=CSS.read_text(encoding="utf-8"))
            page.emulate_media(media="print")
            page.wait_for_timeout(500)
            out.parent.mkdir(parents=True, exist_ok=True)
            page.pdf(path=str(out), format="A4", print_background=True, outline=True, tagged=True,
                     margin={"top": "18mm", "bottom": "18mm", "left": "16mm", "right": "16mm"},
                     display_header_footer=True, header_template="<span></span>", footer_template=FOOTER)
            facts["seconds"] = {"load": round(t1 - t0), "mathjax": round(t2 - t1), "pdf": round(time.time() - t2)}
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
    facts["foreignRequests"] = foreign
    return facts


def make_pdf(lang: str = "en", overrides: dict | None = None, skip_build: bool = False) -> Path:
    t0 = time.time()
    html_dir = BUILD / "print" / lang / "singlehtml" if skip_build else build_single_page(lang, overrides or {})
    t1 = time.time()
    out = pdf_path(lang)
    facts = print_pdf(html_dir, out, lang)
    t2 = time.time()
    problems = []
    if facts["brokenImages"]:
        problems.append(f"images that did not load: {facts['brokenImages'][:5]}")
    if facts["untypeset"] or facts["mathErrors"]:
        problems.append(f"{facts['untypeset']} formulas not typeset, {facts['mathErrors']} MathJax errors")
    if facts["foreignRequests"]:
        problems.append(f"requests to other hosts: {facts['foreignRequests'][:5]}")
    if problems:
        sys.exit(f"{out}: " + "; ".join(problems))
    copy = site_copy_path(lang)
    copy.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(out, copy)
    print(f"{out.relative_to(ROOT)}: {facts['maths']} formulas, {facts['images']} images; "
          f"single-page build {t1 - t0:.0f} s, printing {t2 - t1:.0f} s {facts['seconds']}; "
          f"copied to {copy.relative_to(ROOT)}")
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lang", default="en", help="the edition: en (default) or a language with "
                        "catalogs in book/locale/<lang>/, e.g. ko")
    parser.add_argument("--all", action="store_true", help="every edition of editions(): en, and ko once "
                        "book/locale/ko/ exists")
    parser.add_argument("-D", dest="overrides", action="append", default=[], metavar="KEY=VALUE",
                        help="a Sphinx setting for the single-page build (VALUE is read as YAML)")
    parser.add_argument("--skip-build", action="store_true", help="print the existing single-page build again")
    args = parser.parse_args(argv)
    overrides = {}
    for item in args.overrides:
        key, _, value = item.partition("=")
        overrides[key] = yaml.safe_load(value)
    for lang in editions() if args.all else [args.lang]:
        make_pdf(lang, overrides, args.skip_build)


if __name__ == "__main__":
    main()
