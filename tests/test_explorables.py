"""The interactive figures ("explorables", issue 15), in a real browser, offline.

Each explorable is a ``{container} explorable xp-NAME`` in a notebook's markdown (its caption and
every label, translated with the page) followed by a code cell whose output is the JSON payload
computed with rnnlib (``rnnlib/explorable.py``); ``book/_static/explorables.js`` draws it. This file
checks, on every English page and on the Korean pages when ``_build/html/ko/`` exists:

- the built HTML holds the container with its label lists and a small, valid payload (no browser);
- in headless Chromium: the figure is drawn, the no-JavaScript text is hidden, every slider has a
  label taken from the page and a live ``<output>``, a slider moved with the keyboard or with ``fill``
  changes the drawing (the SVG), no JavaScript error, no request to a host other than 127.0.0.1;
- the matrix powers the page computes itself (jacobians) match ``rl.matrix_power_norms``;
- the light and the dark theme, and a 375 px wide window (no overflow, readable tick labels).

Screenshots of each explorable at two slider positions (and dark, 375 px) go to
``_build/screenshots/explorables/``. The site is served from ``_build/html`` (built first when missing).
Without Chromium or Playwright the browser tests skip, except in CI (``CI=true``) where they fail; a
missing English page always fails.
"""

from __future__ import annotations

import functools
import html.parser
import http.server
import json
import os
import re
import subprocess
import sys
import threading
from pathlib import Path
from urllib.parse import urlsplit

import numpy as np
import pytest

import rnnlib as rl
from rnnlib.explorable import explorable_data, log10_list, payload_json, sig_list

ROOT = Path(__file__).resolve().parents[1]
HTML = ROOT / "_build" / "html"
SHOTS = ROOT / "_build" / "screenshots" / "explorables"
IN_CI = os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}
LOCAL_HOST = "127.0.0.1"
TIMEOUT_MS = 60_000
MAX_PAYLOAD = 40_000  # bytes of JSON per explorable

# (chapter, explorable name, number of sliders, number of series, number of read-outs)
EXPLORABLES = [
    ("scalar_rnn", "scalar-a", 2, 2, 1),
    ("jacobians", "jordan", 2, 2, 2),
    ("lstm_gru", "lstm-forget", 2, 2, 1),
    ("clipping", "clip-cliff", 1, 3, 2),
    ("truncated_bptt", "tbptt-window", 2, 2, 3),
]

# The second slider position of each explorable's screenshot pair: {slider: index into its values}.
SECOND = {
    "scalar-a": {1: 3},       # a = 1.5: input scale 0 (gradient = bound) -> 1 (far below the bound)
    "jordan": {0: 0},         # lambda = 0.9: c = 5 (transient growth to 19) -> c = 0 (lambda^k)
    "lstm-forget": {0: 8},    # input scale 1: forget bias 1 -> 4
    "clip-cliff": {0: 11},    # threshold 1 -> no clipping
    "tbptt-window": {0: 9},   # k1 = 1: window 8 -> 32
}


def languages() -> list[str]:
    """English always; Korean when the Korean edition has been built into _build/html/ko/."""
    return ["en"] + (["ko"] if (HTML / "ko").is_dir() else [])


def page_path(lang: str, chapter: str) -> str:
    return f"book/{chapter}.html" if lang == "en" else f"ko/book/{chapter}.html"


CASES = [pytest.param(lang, *ex, id=f"{lang}-{ex[1]}") for lang in languages() for ex in EXPLORABLES]


# --------------------------------------------------------------------------- rnnlib.explorable
def test_payload_helpers():
    assert log10_list([1.0, 1e-3, 0.0, -100.0], floor=-31) == [0.0, -3.0, -31.0, 2.0]
    assert sig_list([np.pi, 12345.678, 1e-20 / 3], 3) == [3.14, 12300.0, 3.33e-21]
    assert payload_json({"a": [1.0, None]}) == '{"a":[1.0,null]}'
    with pytest.raises(ValueError):
        payload_json({"a": float("nan")})
    with pytest.raises(ValueError, match="name"):
        explorable_data("Bad Name", {})
    html_out = explorable_data("x-1", {"v": [1]}).data
    assert html_out == '<script type="application/json" data-explorable="x-1">{"v":[1]}</script>'


def test_script_has_no_words_of_its_own():
    """Every word a reader sees comes from the page (so it is translated): the script's string
    literals hold class names, selectors, attribute names and numbers, never a phrase."""
    js = (ROOT / "book" / "_static" / "explorables.js").read_text(encoding="utf-8")
    code = "\n".join(line for line in js.splitlines() if not line.strip().startswith("//"))
    literals = re.findall(r'"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|`(?:[^`\\]|\\.)*`', code)
    assert len(literals) > 50
    phrases = [lit for lit in literals if lit != '"use strict"'
               and re.search(r"\b[A-Za-z]{2,}\s+[A-Za-z]{2,}\b", re.sub(r"\$\{[^}]*\}", " 0 ", lit))]
    assert not phrases, phrases
    assert len(js.encode()) < 20_000, "explorables.js should stay a few kilobytes"


# --------------------------------------------------------------------------- the built HTML
class _Explorables(html.parser.HTMLParser):
    """The explorable containers (with the text of their label lists) and the JSON payloads of a page."""

    LISTS = ("xp-sliders", "xp-axes", "xp-legend", "xp-readouts")

    def __init__(self):
        super().__init__()
        self.containers: dict[str, dict] = {}
        self.payloads: dict[str, str] = {}
        self._stack: list[tuple[str, str | None, str | None]] = []  # (tag, explorable, list)
        self._script: str | None = None
        self._li: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "script" and a.get("type") == "application/json" and "data-explorable" in a:
            self._script = a["data-explorable"]
            self.payloads[self._script] = ""
            return
        classes = (a.get("class") or "").split()
        exp = self._stack[-1][1] if self._stack else None
        lst = self._stack[-1][2] if self._stack else None
        if "explorable" in classes:
            exp = next((c[3:] for c in classes if c.startswith("xp-")), "")
            self.containers[exp] = {k: [] for k in self.LISTS} | {"caption": False, "fallback": False}
        for c in classes:
            if exp is not None and c in self.LISTS:
                lst = c
            if exp is not None and c in ("xp-caption", "xp-fallback"):
                self.containers[exp][c[3:]] = True
        if tag == "li" and exp is not None and lst is not None:
            self._li = []
        if tag not in ("br", "img", "input", "meta", "link", "hr", "wbr"):
            self._stack.append((tag, exp, lst))

    def handle_endtag(self, tag):
        if tag == "script" and self._script is not None:
            self._script = None
            return
        if tag == "li" and self._li is not None and self._stack:
            _, exp, lst = self._stack[-1]
            self.containers[exp][lst].append(" ".join("".join(self._li).split()))
            self._li = None
        while self._stack:
            if self._stack.pop()[0] == tag:
                break

    def handle_data(self, data):
        if self._script is not None:
            self.payloads[self._script] += data
        elif self._li is not None:
            self._li.append(data)


@functools.lru_cache(maxsize=None)
def parsed_page(path: Path) -> _Explorables:
    parser = _Explorables()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def built_page(lang: str, chapter: str) -> Path:
    path = HTML / page_path(lang, chapter)
    if not path.exists():
        if lang == "en" and not (HTML / "index.html").exists() and not IN_CI:
            pytest.skip("the book is not built (run `jupyter-book build . -W -n --keep-going`)")
        pytest.fail(f"{path.relative_to(ROOT)} is missing from the built site", pytrace=False)
    return path


@pytest.mark.parametrize("lang,chapter,name,n_sliders,n_series,n_readouts", CASES)
def test_explorable_in_html(lang, chapter, name, n_sliders, n_series, n_readouts):
    page = parsed_page(built_page(lang, chapter))
    assert name in page.containers, f"no explorable xp-{name} on {page_path(lang, chapter)}"
    box = page.containers[name]
    assert box["caption"] and box["fallback"], "the caption or the no-JavaScript text is missing"
    assert len(box["xp-sliders"]) == n_sliders and all(box["xp-sliders"]), box["xp-sliders"]
    assert len(box["xp-axes"]) == 2 and all(box["xp-axes"]), box["xp-axes"]
    assert len(box["xp-legend"]) == n_series and all(box["xp-legend"]), box["xp-legend"]
    assert len(box["xp-readouts"]) == n_readouts and all(box["xp-readouts"]), box["xp-readouts"]
    assert name in page.payloads, f"no payload data-explorable={name!r}: was the notebook executed?"
    text = page.payloads[name]
    assert len(text.encode()) < MAX_PAYLOAD, f"payload of {name}: {len(text.encode())} bytes"
    data = json.loads(text)
    assert len(data["sliders"]) == n_sliders and len(data["series"]) == n_series
    for s in data["sliders"]:
        assert len(s["values"]) >= 2 and 0 <= s["init"] < len(s["values"])
    for series in data["series"]:  # every grid point is present
        size = int(np.prod([len(data["sliders"][d]["values"]) for d in series.get("dims", [])]))
        if "ys" in series:
            assert len(series["ys"]) == size and all(len(y) == len(data["xs"]) for y in series["ys"])
        if "xy" in series:
            assert len(series["xy"]) == size
    if not data.get("compute"):
        assert len(data.get("readouts", [])) == n_readouts


# --------------------------------------------------------------------------- the browser
@pytest.fixture(scope="module")
def site(browser):
    """Base URL of _build/html served from 127.0.0.1 (the book is built first when it is missing)."""
    if not (HTML / "index.html").exists():
        jb = Path(sys.executable).with_name("jupyter-book")
        cmd = [str(jb) if jb.exists() else "jupyter-book", "build", str(ROOT), "-W", "-n", "--keep-going"]
        env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))
        proc = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True)
        if proc.returncode != 0:
            pytest.fail(f"the book build failed:\n{(proc.stdout + proc.stderr)[-4000:]}", pytrace=False)

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer((LOCAL_HOST, 0), functools.partial(Quiet, directory=str(HTML)))
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    SHOTS.mkdir(parents=True, exist_ok=True)
    yield f"http://{LOCAL_HOST}:{server.server_port}/"
    server.shutdown()
    server.server_close()


@pytest.fixture
def open_page(browser, site):
    """open_page(path, width, dark) -> (page, problems): problems lists JS errors and off-host requests."""
    contexts = []

    def _open(path: str, width: int = 1280, dark: bool = False):
        context = browser.new_context(viewport={"width": width, "height": 900},
                                      color_scheme="dark" if dark else "light", service_workers="block")
        contexts.append(context)
        problems: list[str] = []

        def route(r):
            if urlsplit(r.request.url).hostname == LOCAL_HOST:
                r.continue_()
            else:
                problems.append(f"request off {LOCAL_HOST}: {r.request.url}")
                r.abort()

        context.route("**/*", route)
        page = context.new_page()
        page.set_default_timeout(TIMEOUT_MS)
        page.on("console", lambda m: problems.append(f"console error: {m.text}") if m.type == "error" else None)
        page.on("pageerror", lambda exc: problems.append(f"uncaught: {exc}"))
        page.on("response", lambda resp: problems.append(f"HTTP {resp.status}: {resp.url}")
                if resp.status >= 400 else None)
        page.goto(site + path, wait_until="load", timeout=TIMEOUT_MS)
        return page, problems

    yield _open
    for c in contexts:
        c.close()


def unpin_header(page):
    """Let the theme's sticky header scroll away, so that it does not cover an element screenshot."""
    page.add_style_tag(content=".bd-header, .bd-header-article { position: static !important; }")


def drawing(root) -> str:
    """What the SVG draws: the path data and the marks (changes whenever a curve moves)."""
    return root.evaluate("""r => [...r.querySelectorAll('.xp-figure svg path, .xp-figure svg circle')]
        .map(e => e.getAttribute('d') || `${e.getAttribute('cx')},${e.getAttribute('cy')}`).join('|')""")


def next_frame(page):
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")


@pytest.mark.parametrize("lang,chapter,name,n_sliders,n_series,n_readouts", CASES)
def test_explorable_moves(open_page, lang, chapter, name, n_sliders, n_series, n_readouts):
    built_page(lang, chapter)
    page, problems = open_page(page_path(lang, chapter))
    root = page.locator(f".explorable.xp-{name}")
    root.wait_for(state="attached")
    page.wait_for_selector(f".explorable.xp-{name}.xp-ready", timeout=TIMEOUT_MS)
    facts = root.evaluate("""r => ({
        fallbackHidden: r.querySelector('.xp-fallback').hidden
            && r.querySelector('.xp-fallback').getBoundingClientRect().height === 0,
        sliders: [...r.querySelectorAll('input[type=range]')].map(i => ({
            label: (r.querySelector(`label[for="${i.id}"]`) || {}).textContent || '',
            output: (r.querySelector(`output[for="${i.id}"]`) || {}).textContent || ''})),
        sliderItems: [...r.querySelectorAll('.xp-sliders li')].map(li => li.textContent.replace(/\\s+/g, ' ').trim()),
        legend: [...r.querySelectorAll('.xp-legend-list li')].map(li => li.textContent.trim()),
        legendItems: [...r.querySelectorAll('.xp-legend li')].map(li => li.textContent.replace(/\\s+/g, ' ').trim()),
        readouts: [...r.querySelectorAll('.xp-readout-list output')].map(o => o.textContent),
        axisLabels: [...r.querySelectorAll('.xp-figure text.xp-label')].map(t => t.textContent),
        axisItems: [...r.querySelectorAll('.xp-axes li')].map(li => li.textContent.replace(/\\s+/g, ' ').trim()),
        paths: r.querySelectorAll('.xp-figure svg path').length,
    })""")
    assert facts["fallbackHidden"], "the no-JavaScript text is still shown"
    # every word shown comes from the page's own (translated) lists
    assert [s["label"] for s in facts["sliders"]] == facts["sliderItems"] and len(facts["sliders"]) == n_sliders
    assert all(s["output"].strip() for s in facts["sliders"]), facts["sliders"]
    assert facts["legend"] == facts["legendItems"] and len(facts["legend"]) == n_series
    assert facts["axisLabels"] == facts["axisItems"]
    assert len(facts["readouts"]) == n_readouts and all(facts["readouts"]), facts["readouts"]
    assert facts["paths"] >= 1

    SHOTS.mkdir(parents=True, exist_ok=True)
    unpin_header(page)
    root.screenshot(path=str(SHOTS / f"{lang}-{name}-1.png"))
    sliders = root.locator("input[type=range]")
    initial = drawing(root)
    for i in range(n_sliders):  # each slider from the initial state, then back
        slider = sliders.nth(i)
        output = root.locator(f'output[for="{slider.get_attribute("id")}"]')
        start, top = slider.evaluate("s => [+s.value, +s.max]")
        out_before = output.text_content()
        if i == 0:  # the keyboard: focus the slider, then End (or Home when it already is at the end)
            slider.focus()
            page.keyboard.press("Home" if start == top else "End")
        else:       # fill sets the value and fires the input event
            slider.fill(str(0 if start > 0 else top))
        next_frame(page)
        assert drawing(root) != initial, f"slider {i} of {name} did not change the drawing"
        assert output.text_content() != out_before, f"slider {i} of {name}: its <output> did not change"
        slider.fill(str(start))
        next_frame(page)
        assert drawing(root) == initial and output.text_content() == out_before
    # the second screenshot: the contrast the caption asks for (slider index -> value index)
    for i, value in SECOND[name].items():
        sliders.nth(i).fill(str(value))
    next_frame(page)
    assert drawing(root) != initial
    root.screenshot(path=str(SHOTS / f"{lang}-{name}-2.png"))
    assert not problems, problems


@pytest.mark.parametrize("lang,chapter,name,n_sliders,n_series,n_readouts", CASES)
def test_explorable_dark_and_narrow(open_page, lang, chapter, name, n_sliders, n_series, n_readouts):
    built_page(lang, chapter)
    page, problems = open_page(page_path(lang, chapter), width=375, dark=True)
    page.wait_for_selector(f".explorable.xp-{name}.xp-ready", timeout=TIMEOUT_MS)
    root = page.locator(f".explorable.xp-{name}")
    root.scroll_into_view_if_needed()
    next_frame(page)
    facts = root.evaluate("""r => {
        const lum = c => { const m = c.match(/[\\d.]+/g).map(Number);
            const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
            return 0.2126 * f(m[0]) + 0.7152 * f(m[1]) + 0.0722 * f(m[2]); };
        let bg = 'rgb(255, 255, 255)';
        for (let e = r; e; e = e.parentElement) {
            const c = getComputedStyle(e).backgroundColor;
            if (c && !c.startsWith('rgba(0, 0, 0, 0)') && c !== 'transparent') { bg = c; break; } }
        const tick = r.querySelector('.xp-figure text.xp-tick');
        const line = r.querySelector('.xp-figure path.xp-s0');
        const contrast = (a, b) => (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
        const svg = r.querySelector('.xp-figure svg').getBoundingClientRect();
        const box = r.getBoundingClientRect();
        return {theme: document.documentElement.dataset.theme,
                tickContrast: contrast(lum(getComputedStyle(tick).fill), lum(bg)),
                lineContrast: contrast(lum(getComputedStyle(line).stroke), lum(bg)),
                svgInside: svg.left >= box.left - 0.5 && svg.right <= box.right + 0.5,
                overflow: document.documentElement.scrollWidth - window.innerWidth};
    }""")
    assert facts["theme"] == "dark"
    assert facts["tickContrast"] > 4.5, facts
    assert facts["lineContrast"] > 3, facts
    assert facts["svgInside"] and facts["overflow"] <= 0, facts
    unpin_header(page)
    root.screenshot(path=str(SHOTS / f"{lang}-{name}-dark-375.png"))
    assert not problems, problems


@pytest.mark.parametrize("lang", languages())
def test_jordan_norms_match_rnnlib(open_page, lang):
    """The only numbers the page computes itself: ||W^k|| for W = [[lam, c], [0, lam]]."""
    built_page(lang, "jacobians")
    page, problems = open_page(page_path(lang, "jacobians"))
    page.wait_for_selector(".explorable.xp-jordan.xp-ready", timeout=TIMEOUT_MS)
    data = json.loads(page.locator('script[data-explorable="jordan"]').text_content())
    points = [(p["lam"], p["c"], p["norms"]) for p in data["check"]]
    points += [(lam, c, None) for lam in (0.5, 0.9, 0.99) for c in (0.0, 0.3, 7.5)]
    K = data["x"]["max"]
    for lam, c, from_payload in points:
        js = np.array(page.evaluate("([l, c, K]) => window.explorables.jordanNorms(l, c, K)", [lam, c, K]))
        ref = rl.matrix_power_norms(np.array([[lam, c], [0.0, lam]]), K)
        assert rl.rel_error(js, ref) < 1e-10, (lam, c)
        if from_payload is not None:
            assert rl.rel_error(js, np.array(from_payload)) < 1e-10, (lam, c)
    assert not problems, problems
