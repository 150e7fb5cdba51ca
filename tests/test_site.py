"""The built website, opened in a real browser, offline.

Serves ``_build/html`` from 127.0.0.1 (building it first when it is missing or older than the
sources) and opens every page of ``_toc.yml`` in headless Chromium (Debian's ``/usr/bin/chromium``
driven by Playwright). A page fails on: an HTTP error, a JavaScript error in the console, any request
to a host other than the local server (the book must work with no network: all requests are
intercepted and recorded), maths that MathJax did not typeset or typeset with an error, raw TeX left
in the visible text, an image that does not load or has no alt text, a same-site link to a missing
file or anchor, a solution that is visible before it is opened, and a notebook page without its
"Run this notebook" note and .ipynb download or whose citations do not link to its own reference
list. Separate tests use the search box, open a solution
dropdown, and look at a phone-width window and the dark theme.

The Korean edition (``_build/html/ko/``, same relative paths) is opened page by page too, with the
same checks plus: ``<html lang="ko">``, Hangul set in a CJK font (the body's computed font family
starts with Noto Sans CJK KR and the font is available), and the language switch (English | 한국어)
linking the twin page; separate tests follow the switch both ways at the same section (also from
file://) and search the Korean edition for a bare noun.

Screenshots go to ``_build/screenshots/`` (every page at 1280 px wide, full page; some pages also at
375 px and in dark mode). Without Chromium the tests skip with a message, except in CI (``CI=true``)
where they fail.
"""

from __future__ import annotations

import functools
import html.parser
import http.server
import os
import re
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
HTML = ROOT / "_build" / "html"
SHOTS = ROOT / "_build" / "screenshots"
IN_CI = os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}
LOCAL_HOST = "127.0.0.1"
TIMEOUT_MS = 60_000  # generous: the machine may be busy

# Raw TeX that should have become typeset maths (code blocks and typeset maths are removed first).
RAW_TEX = re.compile(r"\$\$|\\[()\[\]]|\\[A-Za-z]+|\$[^$\s][^$\n]{0,200}?\$")


# --------------------------------------------------------------------------- the pages
def toc_docnames() -> list[str]:
    """Every page of _toc.yml, root first, in reading order (without file extensions)."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    names = [toc["root"]]

    def walk(entries):
        for entry in entries or []:
            if "file" in entry:
                names.append(entry["file"])
            for key in ("sections", "chapters", "parts"):
                walk(entry.get(key))

    for key in ("parts", "chapters", "sections"):
        walk(toc.get(key))
    return [re.sub(r"\.(md|ipynb)$", "", n) for n in names]


PAGES = toc_docnames()
KO = "ko/"  # the Korean edition's folder under _build/html (book/_ext/course_i18n.py publish)
KO_PAGES = [KO + d for d in PAGES]


def source_of(docname: str) -> Path | None:
    docname = docname.removeprefix(KO)
    for suffix in (".ipynb", ".md"):
        if (ROOT / (docname + suffix)).exists():
            return ROOT / (docname + suffix)
    return None


def is_notebook(docname: str) -> bool:
    src = source_of(docname)
    return src is not None and src.suffix == ".ipynb"


# --------------------------------------------------------------------------- the build
def _newest_source_mtime() -> float:
    files = [ROOT / "_config.yml", ROOT / "_toc.yml"]
    files += [p for p in (ROOT / "book").rglob("*")
              if p.is_file() and ".ipynb_checkpoints" not in p.parts and "__pycache__" not in p.parts
              and p.suffix not in (".mo", ".pot")]  # compiled catalogs are written by the build
    return max(p.stat().st_mtime for p in files if p.exists())


def _site_is_stale() -> str | None:
    for stamp in (HTML / ".buildinfo", HTML / KO / ".buildinfo"):  # rewritten by every build
        if not stamp.exists():                                        # (touched by _build_site)
            return f"no built site ({stamp.relative_to(ROOT)})"
        if _newest_source_mtime() > stamp.stat().st_mtime:
            return "sources changed since the last build"
    missing = [d for d in PAGES + KO_PAGES if not (HTML / f"{d}.html").exists()]
    if missing:
        return f"pages missing from the built site: {missing}"
    return None


def _build_site() -> None:
    """What `make book` does: the English edition, then the Korean one into _build/html/ko."""
    jb = Path(sys.executable).with_name("jupyter-book")
    jb = str(jb) if jb.exists() else (shutil.which("jupyter-book") or "jupyter-book")
    i18n = [sys.executable, str(ROOT / "book" / "_ext" / "course_i18n.py")]
    ko_config = ROOT / "_build" / "ko_config.yml"
    steps = [[jb, "build", str(ROOT), "-W", "-n", "--keep-going"],
             i18n + ["config", "ko", str(ko_config)],
             [jb, "build", str(ROOT), "-W", "-n", "--keep-going", "--config", str(ko_config),
              "--path-output", str(ROOT / "_build" / "ko")],
             i18n + ["publish", "ko"]]
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))
    for cmd in steps:
        proc = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True)
        if proc.returncode != 0:
            pytest.fail(f"the book build failed ({' '.join(cmd)}):\n{(proc.stdout + proc.stderr)[-4000:]}",
                        pytrace=False)
    # A build with nothing to write (e.g. only a data file changed) leaves .buildinfo alone.
    (HTML / ".buildinfo").touch()
    (HTML / KO / ".buildinfo").touch()


# --------------------------------------------------------------------------- fixtures
@pytest.fixture(scope="session")
def site(browser):
    """Base URL of the built site, served from 127.0.0.1 on an ephemeral port."""
    reason = _site_is_stale()
    if reason:
        print(f"\n[test_site] building the book: {reason}", flush=True)
        _build_site()

    class QuietHandler(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(
        (LOCAL_HOST, 0), functools.partial(QuietHandler, directory=str(HTML)))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    SHOTS.mkdir(parents=True, exist_ok=True)
    yield f"http://{LOCAL_HOST}:{server.server_port}/"
    server.shutdown()
    server.server_close()


class PageRecord:
    """What happened while a page was open: console errors, foreign and failed requests."""

    def __init__(self):
        self.console_errors: list[str] = []
        self.foreign_requests: list[str] = []
        self.failed: list[str] = []


@pytest.fixture
def open_page(browser, site):
    """open_page(docname, width=1280, dark=False) -> (page, record), after MathJax has typeset."""
    contexts = []

    def _open(docname: str, width: int = 1280, dark: bool = False):
        context = browser.new_context(viewport={"width": width, "height": 900},
                                      color_scheme="dark" if dark else "light",
                                      service_workers="block")
        contexts.append(context)
        record = PageRecord()

        def route(route):
            if urlsplit(route.request.url).hostname == LOCAL_HOST:
                route.continue_()
            else:
                record.foreign_requests.append(route.request.url)
                route.abort()

        context.route("**/*", route)
        page = context.new_page()
        page.set_default_timeout(TIMEOUT_MS)
        page.on("console", lambda msg: record.console_errors.append(msg.text)
                if msg.type == "error" else None)
        page.on("pageerror", lambda exc: record.console_errors.append(f"uncaught: {exc}"))
        page.on("requestfailed", lambda req: record.failed.append(f"{req.url} ({req.failure})")
                if urlsplit(req.url).hostname == LOCAL_HOST else None)
        page.on("response", lambda resp: record.failed.append(f"{resp.url} (HTTP {resp.status})")
                if resp.status >= 400 else None)
        response = page.goto(site + docname + ".html", wait_until="load", timeout=TIMEOUT_MS)
        if response is None or response.status != 200:
            record.failed.append(f"{docname}.html: HTTP {response.status if response else 'none'}")
        page.evaluate(WAIT_FOR_MATHJAX)
        return page, record

    yield _open
    for context in contexts:
        context.close()


# --------------------------------------------------------------------------- in-page checks (JS)
WAIT_FOR_MATHJAX = """async () => {
  if (!document.querySelector('.math')) return 'no maths';
  const t0 = Date.now();
  while (!(window.MathJax && MathJax.startup && MathJax.startup.promise)) {
    if (Date.now() - t0 > 30000) return 'MathJax did not start';
    await new Promise(r => setTimeout(r, 50));
  }
  await MathJax.startup.promise;
  return 'typeset';
}"""

PAGE_FACTS = """async () => {
  const imgs = [...document.images];
  imgs.forEach(i => { if (i.loading === 'lazy') i.loading = 'eager'; });
  await Promise.all(imgs.map(i => i.complete ? null : new Promise(r => {
    i.addEventListener('load', r); i.addEventListener('error', r); setTimeout(r, 15000); })));
  const maths = [...document.querySelectorAll('.math')];
  const main = document.querySelector('main') || document.body;
  const clone = main.cloneNode(true);
  clone.querySelectorAll('pre, code, kbd, samp, script, style, textarea, mjx-container, .highlight')
       .forEach(e => e.remove());
  const visibleBody = s => [...s.children]
       .filter(c => !c.classList.contains('admonition-title') && c.tagName !== 'BUTTON')
       .some(c => c.checkVisibility({opacityProperty: true, visibilityProperty: true})
                  && c.getBoundingClientRect().height > 0);
  return {
    mathCount: maths.length,
    untypeset: maths.filter(m => !m.querySelector('mjx-container')).map(m => m.textContent.trim().slice(0, 80)),
    mathErrors: [...document.querySelectorAll('mjx-merror, mjx-assistive-mml mtext[mathcolor="red"]')]
                  .map(e => (e.getAttribute('data-mjx-error') || e.textContent).slice(0, 80)),
    unresolvedRefs: [...document.querySelectorAll('mjx-container')].map(e => e.textContent)
                  .filter(t => t.includes('???')).length,
    text: clone.textContent,
    images: imgs.map(i => ({src: i.getAttribute('src'), ok: i.complete && i.naturalWidth > 0,
                            alt: (i.getAttribute('alt') || '').trim(), content: !!i.closest('article')})),
    links: [...document.querySelectorAll('a[href]')].map(a => a.href),
    solutions: [...document.querySelectorAll('div.solution, div.solution-start')].map(s => ({
      id: s.id, dropdown: s.classList.contains('dropdown'), visible: visibleBody(s)})),
    runLocally: !!document.querySelector('article .admonition.run-locally a[download][href$=".ipynb"]'),
    downloadIpynb: !!document.querySelector('a.btn-download-source-button[href$=".ipynb"][download]'),
    horizontalOverflow: document.documentElement.scrollWidth - window.innerWidth,
    foreignCitations: [...document.querySelectorAll('article .bibtex-citation a[href]')]
                  .map(a => a.getAttribute('href')).filter(h => !h.startsWith('#')),
    glossaryOverflow: (t => t ? t.parentElement.scrollWidth - t.parentElement.clientWidth : 0)(
                  document.querySelector('table.glossary-table')),
    lang: document.documentElement.lang,
    bodyFont: getComputedStyle(document.querySelector('article p') || document.body).fontFamily,
    cjkFont: document.fonts.check('16px "Noto Sans CJK KR"', '한국어'),
    hangul: /[\uac00-\ud7a3]/.test((document.querySelector('article') || document.body).innerText),
    switchLinks: [...document.querySelectorAll('nav.course-lang-switch a.course-lang-link')]
                  .map(a => ({lang: a.lang, href: a.href})),
    glossaryRows: [...document.querySelectorAll('table.glossary-table tbody tr')].map(tr => ({
      id: tr.id, term: tr.cells[0].textContent.replace('#', '').trim(), korean: tr.cells[1].textContent.trim()})),
  };
}"""


# --------------------------------------------------------------------------- link checking
class _IdCollector(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        for key, value in attrs:
            if key == "id" or (tag == "a" and key == "name"):
                self.ids.add(value or "")


@functools.lru_cache(maxsize=None)
def _ids_in(path: Path) -> frozenset[str]:
    parser = _IdCollector()
    parser.feed(path.read_text(encoding="utf-8", errors="replace"))
    return frozenset(parser.ids)


def broken_links(links: list[str], base: str) -> list[str]:
    problems = []
    for url in sorted(set(links)):
        if not url.startswith(base):
            continue  # another site, mailto:, javascript: ... (never requested by the test)
        parts = urlsplit(url)
        rel = unquote(parts.path)[len(urlsplit(base).path):]
        target = HTML / (rel or "index.html")
        if rel.endswith("/") or target.is_dir():
            target = target / "index.html"
        if not target.is_file() and target.name == "gradients-in-recurrent-networks.pdf":
            continue  # the PDF edition: `make pdf` copies it there; tests/test_pdf.py checks it
        if not target.is_file():
            problems.append(f"{url}: no such file {target.relative_to(HTML)}")
            continue
        fragment = unquote(parts.fragment)
        if fragment and target.suffix == ".html" and fragment not in _ids_in(target):
            problems.append(f"{url}: no element with id {fragment!r} in {target.relative_to(HTML)}")
    return problems


def screenshot(page, name: str, full_page: bool = True) -> None:
    """JPEG (quality 85): a long chapter is ~25000 px tall, and PNG takes twice as long to encode."""
    page.screenshot(path=str(SHOTS / (name.replace("/", "__") + ".jpg")), full_page=full_page,
                    type="jpeg", quality=85)


# --------------------------------------------------------------------------- the tests
@pytest.mark.parametrize("docname", PAGES + KO_PAGES)
def test_page(open_page, site, docname):
    page, record = open_page(docname)
    facts = page.evaluate(PAGE_FACTS)
    screenshot(page, docname)

    problems = []
    problems += [f"request to a non-local host: {u}" for u in record.foreign_requests]
    problems += [f"failed request: {u}" for u in record.failed]
    problems += [f"console error: {m}" for m in record.console_errors]
    problems += [f"maths not typeset by MathJax: {t!r}" for t in facts["untypeset"]]
    problems += [f"MathJax error: {t!r}" for t in facts["mathErrors"]]
    if facts["unresolvedRefs"]:
        problems.append(f"{facts['unresolvedRefs']} unresolved \\ref/\\eqref (???) in the maths")
    for m in RAW_TEX.finditer(facts["text"]):
        context = " ".join(facts["text"][max(0, m.start() - 40): m.end() + 40].split())
        problems.append(f"raw TeX in the text: {m.group(0)!r} in '...{context}...'")
    for img in facts["images"]:
        if not img["ok"]:
            problems.append(f"image does not load: {img['src']}")
        if img["content"] and (not img["alt"] or re.search(r"\.(png|jpe?g|svg|gif)$", img["alt"], re.I)):
            problems.append(f"image without alt text: {img['src']} (alt={img['alt']!r}); set it with "
                            'the cell metadata mystnb={"image": {"alt": "..."}}')
    problems += broken_links(facts["links"], site)
    korean = docname.startswith(KO)
    twin = site + (docname.removeprefix(KO) if korean else KO + docname) + ".html"
    if [link["href"] for link in facts["switchLinks"]] != [twin]:
        problems.append(f"the language switch (English | 한국어) does not link {twin}: {facts['switchLinks']}")
    if korean:
        if facts["lang"] != "ko":
            problems.append(f'<html lang="{facts["lang"]}">, not "ko"')
        if not facts["hangul"]:
            problems.append("no Hangul in the page's article")
        if not facts["bodyFont"].strip().strip('"').startswith("Noto Sans CJK KR") or not facts["cjkFont"]:
            problems.append(f"Hangul is not set in a CJK font: font-family {facts['bodyFont']!r}, "
                            f"Noto Sans CJK KR available: {facts['cjkFont']} (Debian: fonts-noto-cjk)")
    for sol in facts["solutions"]:
        if not sol["dropdown"]:
            problems.append(f"solution {sol['id']} is not a dropdown (add `:class: dropdown`)")
        elif sol["visible"]:
            problems.append(f"solution {sol['id']} is visible before it is opened")
    if docname.endswith("glossary"):
        rows = facts["glossaryRows"]
        if not rows:
            problems.append("the glossary table was not found (class glossary-table, book/_ext/course_site.py)")
        problems += [f"glossary row {r['term']!r} has no term-... anchor" for r in rows
                     if not r["id"].startswith("term-")]
        problems += [f"glossary row {r['term']!r} has no Korean term" for r in rows if not r["korean"]]
        if facts["glossaryOverflow"] > 1:
            problems.append(f"the glossary table is {facts['glossaryOverflow']} px wider than the page")
        terms = [r["term"].casefold() for r in rows]
        if terms != sorted(terms):
            problems.append("the glossary rows are not sorted by English term")
    if is_notebook(docname):
        if not facts["runLocally"]:
            problems.append("notebook page without the 'Run this notebook' note and its .ipynb link")
        if facts["foreignCitations"]:
            problems.append(f"citations that do not link to this page's own reference list: "
                            f"{sorted(set(facts['foreignCitations']))[:5]}")
        if not facts["downloadIpynb"]:
            problems.append("notebook page whose download button does not offer the .ipynb")
    assert not problems, f"{docname}: {len(problems)} problem(s):\n  " + "\n  ".join(problems)


def test_search_box_finds_pages(open_page, site):
    page, record = open_page(PAGES[0])
    page.keyboard.press("Control+k")  # pydata-sphinx-theme's search shortcut opens the dialog
    box = page.locator("input[name=q]:visible").first
    box.wait_for(state="visible")
    box.fill("gradient")
    box.press("Enter")
    page.wait_for_url(re.compile(r"search\.html\?q=gradient"))
    results = page.locator("#search-results ul.search li")
    results.first.wait_for(state="visible", timeout=TIMEOUT_MS)
    hits = results.count()
    summary = page.locator("#search-results p.search-summary").inner_text()
    screenshot(page, "search")
    assert hits > 0, f"no search results for 'gradient': {summary}"
    assert not record.foreign_requests, record.foreign_requests
    assert not record.console_errors, record.console_errors
    # and a Korean glossary term finds the glossary
    page.goto(site + "search.html?q=" + "은닉")
    page.locator("#search-results p.search-summary").wait_for(state="visible")
    hrefs = page.locator("#search-results ul.search li a").evaluate_all(
        "as => as.map(a => a.getAttribute('href'))")
    assert any("glossary" in h for h in hrefs), f"searching 은닉 does not find the glossary: {hrefs}"


def _first_page_with_solution() -> str | None:
    for docname in PAGES:
        path = HTML / f"{docname}.html"
        if path.exists() and re.search(r'class="solution[^"]*dropdown', path.read_text(encoding="utf-8")):
            return docname
    return None


def test_solution_dropdown_opens(open_page):
    docname = _first_page_with_solution()
    if docname is None:
        if any(is_notebook(d) for d in PAGES):
            pytest.fail("the book has chapters but no solution dropdowns ({solution} + :class: dropdown)")
        pytest.skip("no chapter with exercises in _toc.yml yet")
    page, _ = open_page(docname)
    solution = page.locator("div.solution.dropdown").first
    body = solution.locator(":scope > section, :scope > p:not(.admonition-title), :scope > div").first
    assert not body.is_visible(), "the solution is visible before it is opened"
    solution.locator("button.toggle-button").first.click()  # the chevron sphinx-togglebutton adds
    body.wait_for(state="visible", timeout=10_000)
    solution.scroll_into_view_if_needed()
    screenshot(page, docname + "_solution_open", full_page=False)
    assert body.inner_text().strip(), "the opened solution is empty"


def _pages_for_looks() -> list[str]:
    """The glossary (wide table, Korean) and the first notebook chapter (figures, maths)."""
    chosen = [d for d in PAGES if d.endswith("glossary")][:1]
    chosen += [d for d in PAGES if is_notebook(d)][:1] or [d for d in PAGES if d.endswith("notation")][:1]
    return chosen


@pytest.mark.parametrize("docname", _pages_for_looks() + [KO + d for d in _pages_for_looks()])
def test_phone_width(open_page, docname):
    page, record = open_page(docname, width=375)
    facts = page.evaluate(PAGE_FACTS)
    screenshot(page, docname + "_phone")
    assert facts["horizontalOverflow"] <= 1, (
        f"{docname} scrolls sideways at 375 px: the page is {facts['horizontalOverflow']} px too wide "
        "(wide tables and equations must scroll inside their own box)")
    assert not record.console_errors, record.console_errors


CONTRAST = """() => {
  const rgb = s => (s.match(/[\\d.]+/g) || []).map(Number);
  const lum = ([r, g, b]) => { const f = c => (c /= 255) <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
                               return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b); };
  const background = el => { for (; el; el = el.parentElement) { const c = rgb(getComputedStyle(el).backgroundColor);
                               if (c.length === 3 || c[3] > 0.5) return c.slice(0, 3); } return [255, 255, 255]; };
  const worst = [];
  for (const el of [...document.querySelectorAll('article p, article li, article td, article th, article .admonition-title, article figcaption')].slice(0, 400)) {
    if (!el.textContent.trim() || !el.checkVisibility()) continue;
    const fg = rgb(getComputedStyle(el).color).slice(0, 3), bg = background(el);
    const [a, b] = [lum(fg), lum(bg)].sort((x, y) => y - x);
    const ratio = (a + 0.05) / (b + 0.05);
    if (ratio < 4.5) worst.push(`${el.tagName.toLowerCase()} '${el.textContent.trim().slice(0, 40)}': ${ratio.toFixed(2)}`);
  }
  return {theme: document.documentElement.dataset.theme, low: worst.slice(0, 10)};
}"""


@pytest.mark.parametrize("docname", _pages_for_looks())
def test_dark_mode(open_page, docname):
    page, record = open_page(docname, dark=True)
    result = page.evaluate(CONTRAST)
    screenshot(page, docname + "_dark")
    assert result["theme"] == "dark", f"the theme did not follow the dark system setting: {result['theme']}"
    assert not result["low"], f"{docname}: text with contrast below 4.5 in dark mode: {result['low']}"
    assert not record.console_errors, record.console_errors


# --------------------------------------------------------------------------- the Korean edition
def _chapter_with_sections() -> str:
    return next((d for d in PAGES if is_notebook(d)), PAGES[0])


def test_language_switch_keeps_the_section(open_page, site):
    """English -> 한국어 -> English on the same page, at the same section (the URL's #hash)."""
    docname = _chapter_with_sections()
    page, record = open_page(docname)
    section = page.evaluate("() => [...document.querySelectorAll('article section[id]')][2].id")
    page.goto(site + docname + ".html#" + section)
    page.locator("nav.course-lang-switch a.course-lang-link").first.click()
    page.wait_for_url(re.compile(re.escape(KO + docname) + r"\.html#" + re.escape(section) + "$"))
    assert page.evaluate("() => document.documentElement.lang") == "ko"
    assert page.locator(f"section[id='{section}']").count() == 1, f"no section #{section} in the Korean page"
    page.locator("nav.course-lang-switch a.course-lang-link").first.click()
    page.wait_for_url(re.compile(r"/" + re.escape(docname) + r"\.html#" + re.escape(section) + "$"))
    assert not page.url.startswith(site + KO)
    assert not record.console_errors, record.console_errors


def test_language_switch_from_file_urls(browser):
    """The site works from any folder: the switch's links are relative, also under file://."""
    context = browser.new_context()
    try:
        page = context.new_page()
        docname = _chapter_with_sections()
        page.goto((HTML / KO / f"{docname}.html").as_uri() + "#exercises")
        href = page.locator("nav.course-lang-switch a.course-lang-link").first.evaluate("a => a.href")
        assert href == (HTML / f"{docname}.html").as_uri() + "#exercises", href
        page.goto((HTML / f"{docname}.html").as_uri())
        href = page.locator("nav.course-lang-switch a.course-lang-link").first.evaluate("a => a.href")
        assert href == (HTML / KO / f"{docname}.html").as_uri(), href
    finally:
        context.close()


def test_home_pages_name_the_other_edition(open_page, site):
    for docname, other in ((PAGES[0], KO + PAGES[0]), (KO + PAGES[0], PAGES[0])):
        page, _ = open_page(docname)
        hrefs = page.locator("article .course-other-edition a").evaluate_all("as => as.map(a => a.href)")
        assert site + other + ".html" in hrefs, f"{docname}: the home page does not link the other edition: {hrefs}"


@pytest.mark.parametrize("query", ["상계", "기울기"])
def test_korean_search_finds_a_chapter(open_page, site, query):
    """A bare noun finds the page where it only occurs with particles ('상계와', '기울기는')."""
    page, record = open_page(KO + PAGES[0])
    page.goto(site + KO + "search.html?q=" + query)
    results = page.locator("#search-results ul.search li")
    results.first.wait_for(state="visible", timeout=TIMEOUT_MS)
    hrefs = page.locator("#search-results ul.search li a").evaluate_all(
        "as => as.map(a => a.getAttribute('href'))")
    screenshot(page, f"{KO}search_{query}")
    chapters = [h for h in hrefs if any(d.split("/")[-1] in h for d in PAGES if is_notebook(d))]
    assert chapters, f"searching {query} in the Korean edition finds no chapter: {hrefs}"
    if query == "상계":
        assert any("scalar_rnn" in h for h in hrefs), f"searching 상계 does not find the scalar chapter: {hrefs}"
    assert not record.foreign_requests and not record.console_errors, (record.foreign_requests,
                                                                       record.console_errors)
