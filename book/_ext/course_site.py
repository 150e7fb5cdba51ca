"""Small Sphinx extension for the course website: what every page gets without editing it.

1. A "Run this notebook" note under the title of every page whose source is a notebook, with
   a link to the .ipynb (the same file the download button in the header offers).
2. The glossary table (``book/glossary.md``, a plain MyST table that chapters append rows to)
   is sorted by English term, and each row gets an anchor ``#term-<english-term>`` and becomes a
   Sphinx glossary term, so any page can link it with ``{term}`hidden state```. Aliases are
   registered too: the part before a parenthesis, the abbreviation inside it, and both halves of
   "a / b" (``{term}`BPTT``` and ``{term}`backpropagation through time``` reach the same row).
   Two rows with the same English term fail the build (duplicate term warning).
3. A notebook that cites gets its own reference list at its end (the works it cites), unless it
   has a {bibliography} directive already; book/bibliography.md lists everything. A citation on
   a page without its own reference list links to the global bibliography page
   (book/bibliography.md) rather than to whichever chapter happens to list the key.
4. A change to a file in book/_static (CSS, JS) reaches the built site even when no page changed.
5. Nothing is loaded from the network: sphinx-thebe's scripts (which name a CDN and are useless
   without launch buttons) are dropped from every page, and a warning is raised if MathJax is
   configured to come from a URL rather than from ``_static``.
6. Two editions (English at the site root, Korean under ``ko/``; book/_ext/course_i18n.py):
   every page names its twin in the other edition (``<meta name="course-twin">``, which
   course.js turns into the "English | 한국어" switch, keeping the section), the home page says the
   other edition exists, the notes this extension writes are in the page's language, the
   interface catalogs of the book (book/locale/<lang>/LC_MESSAGES/{exercise,proof,booktheme}.po)
   take precedence over the packages' own, a translated edition's download button gives the
   notebook in its language (markdown translated with the page's catalog, the code unchanged),
   and Korean gets a search language that also indexes bare nouns (particles stripped).
"""

from __future__ import annotations

import json
import posixpath
import re
from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util import logging
from sphinx.util.nodes import make_id

logger = logging.getLogger(__name__)

RUN_LOCALLY_TITLE = "Run this notebook"

# The notes this extension writes, in each edition's language.
TEXT = {
    "en": {
        "run_title": RUN_LOCALLY_TITLE,
        "run_1": "This page is a Jupyter notebook. ",
        "run_download": "Download <code>{filename}</code>",
        "run_2": " and run it in a copy of the course repository: ",
        "run_3": " installs the pinned packages and the course library ",
        "run_4": " into ",
        "run_5": "; open the notebook with that environment's kernel, or run every cell with ",
        "run_6": ". A laptop CPU is enough; no GPU or network is needed.",
        "other_title": "한국어판 (Korean edition)",
        "other_1": "This course also exists in Korean, built from the same source: ",
        "other_link": "한국어판",
        "other_2": ". The English | 한국어 switch at the top of every page opens the same section "
                   "in the other language.",
        "search_bar": "Search this book...",
    },
    "ko": {
        "run_title": "이 노트북 실행하기",
        "run_1": "이 페이지는 Jupyter 노트북이다. ",
        "run_download": "<code>{filename}</code> 내려받기",
        "run_2": "를 눌러 받은 노트북은 강의 저장소의 사본에서 실행할 수 있다. 먼저 ",
        "run_3": " 명령이 고정된 버전의 패키지와 강의 라이브러리 ",
        "run_4": "을 ",
        "run_5": " 폴더에 설치한다. 그 환경의 커널로 노트북을 열거나, 다음 명령으로 모든 셀을 실행해 보자: ",
        "run_6": ". 내려받은 노트북은 설명만 한국어이고 코드는 영어판과 똑같다. "
                 "노트북 PC의 CPU면 충분하며 GPU도 네트워크도 필요 없다.",
        "other_title": "English edition (영어판)",
        "other_1": "이 강의는 같은 원본에서 만든 영어판도 있다: ",
        "other_link": "English edition",
        "other_2": ". 모든 페이지 위쪽의 English | 한국어 전환 단추를 누르면 다른 언어판의 같은 절이 열린다.",
        "search_bar": "이 책에서 검색...",
    },
}


def page_language(app: Sphinx) -> str:
    return (app.config.language or "en").split("_")[0].split("-")[0]


def _text(app: Sphinx) -> dict:
    return TEXT.get(page_language(app), TEXT["en"])


def _insert_under_title(doctree: nodes.document, note: nodes.Element) -> None:
    """Put ``note`` right under the page's title (at the top if the page has none)."""
    section = next(iter(doctree.findall(nodes.section)), None)
    if section is not None and len(section) and isinstance(section[0], nodes.title):
        section.insert(1, note)
    else:
        doctree.insert(0, note)


# --------------------------------------------------------------------------- run-locally note
def _notebook_source(app: Sphinx, docname: str) -> str | None:
    """The source file name (relative to the book root) if ``docname`` is a notebook."""
    path = app.env.doc2path(docname, base=False)
    return str(path).replace("\\", "/") if str(path).endswith(".ipynb") else None


def add_run_locally_note(app: Sphinx, doctree: nodes.document) -> None:
    docname = app.env.docname
    source = _notebook_source(app, docname)
    if source is None or not app.config.course_run_locally_note:
        return
    # The page lives at <docname>.html; the header's download button points at _sources/<source>.
    up = "../" * docname.count("/")
    href = posixpath.join(up + "_sources", source)
    filename = posixpath.basename(source)

    t = _text(app)
    para = nodes.paragraph()
    para += nodes.Text(t["run_1"])
    para += nodes.raw(
        "",
        f'<a class="reference download" href="{href}" download="{filename}">'
        + t["run_download"].format(filename=filename) + "</a>",
        format="html",
    )
    para += nodes.Text(t["run_2"])
    para += nodes.literal(text="make env")
    para += nodes.Text(t["run_3"])
    para += nodes.literal(text="rnnlib")
    para += nodes.Text(t["run_4"])
    para += nodes.literal(text=".venv")
    para += nodes.Text(t["run_5"])
    para += nodes.literal(text=f".venv/bin/python -m pytest --nbval-lax {source}")
    para += nodes.Text(t["run_6"])

    note = nodes.admonition(classes=["tip", "run-locally"])
    note += nodes.title(text=t["run_title"])
    note += para

    _insert_under_title(doctree, note)


# --------------------------------------------------------------------------- glossary
def term_aliases(term: str) -> list[str]:
    """Other names a glossary row answers to: 'recurrent neural network (RNN)' gives
    'recurrent neural network' and 'RNN'; 'window size / shifting size' gives both halves."""
    names = []
    for part in [p.strip() for p in term.split(" / ")] if " / " in term else [term]:
        if part != term:
            names.append(part)
        m = re.fullmatch(r"(.+?)\s+\(([A-Za-z][\w-]*)\)", part)  # "long name (ABBR)"
        if m:
            names += [m.group(1).strip(), m.group(2).strip()]
    return [n for n in dict.fromkeys(names) if n and n != term]


def process_glossary(app: Sphinx, doctree: nodes.document) -> None:
    env = app.env
    if env.docname != app.config.course_glossary_doc:
        return
    table = next(iter(doctree.findall(nodes.table)), None)
    tbody = next(iter(table.findall(nodes.tbody)), None) if table is not None else None
    if tbody is None:
        logger.warning("course_site: no table found in the glossary page %s", env.docname,
                       location=env.docname)
        return
    table["classes"] += ["glossary-table"]
    std = env.get_domain("std")

    rows = [row for row in tbody.children if isinstance(row, nodes.row)]
    keyed = []
    for row in rows:
        cells = [c for c in row.children if isinstance(c, nodes.entry)]
        term = " ".join(cells[0].astext().split()) if cells else ""
        if not term:
            logger.warning("course_site: a glossary row has an empty English term", location=row)
            continue
        keyed.append((term.casefold(), term, row))
    keyed.sort(key=lambda k: k[0])
    tbody[:] = [row for _, _, row in keyed]

    for _, term, row in keyed:
        node_id = make_id(env, doctree, "term", term)
        row["ids"].append(node_id)
        doctree.note_explicit_target(row)
        # Two rows with the same English term: Sphinx warns "duplicate term description".
        std._note_term(term, node_id, location=row)
        for alias in term_aliases(term):
            if alias.lower() not in std._terms:
                std._note_term(alias, node_id, location=row)
        first = row.children[0]
        target = first[0] if len(first) and isinstance(first[0], nodes.paragraph) else first
        target += nodes.reference("", "#", refid=node_id, classes=["headerlink"],
                                  reftitle="Link to this term")


# --------------------------------------------------------------------------- bibliography
REFERENCE_LIST = "```{bibliography}\n:filter: docname in docnames\n```\n"


def add_reference_list(app: Sphinx, docname: str, source: list) -> None:
    """A notebook that cites and has no {bibliography} of its own gets one as its last cell, so
    its References section ends with the works it cites. (Only the page changes; the notebook
    file and the copy the download button offers stay as written.)"""
    if not app.config.course_reference_lists or _notebook_source(app, docname) is None:
        return
    text = source[0]
    if "{cite" not in text or "{bibliography}" in text:
        return
    notebook = json.loads(text)
    headings = [line for cell in notebook["cells"] if cell["cell_type"] == "markdown"
                for line in "".join(cell["source"]).splitlines() if re.match(r"#{1,6} ", line)]
    body = REFERENCE_LIST
    if not headings or headings[-1].lstrip("#").strip().lower() != "references":
        body = "## References\n\n" + body
    cell = {"cell_type": "markdown", "metadata": {}, "source": body}
    if (notebook.get("nbformat"), notebook.get("nbformat_minor", 0)) >= (4, 5):
        cell["id"] = "course-site-reference-list"
    notebook["cells"].append(cell)
    source[0] = json.dumps(notebook)


def prefer_global_bibliography(app: Sphinx, env) -> list:
    """A citation resolves to the reference list on its own page first; on a page without one,
    sphinxcontrib-bibtex takes the LAST list holding the key, which could be any chapter's.
    Put the global bibliography page's entries last, so such citations link there."""
    domain = env.get_domain("cite")
    citations = getattr(domain, "citations", None)
    if isinstance(citations, list):
        target = app.config.course_bibliography_doc
        citations.sort(key=lambda cit: cit.bibliography_key.docname == target)
    return []


# --------------------------------------------------------------------------- offline assets
def drop_network_assets(app: Sphinx, pagename, templatename, context, doctree) -> None:
    """Remove sphinx-thebe's scripts and stylesheet (they point at unpkg.com)."""
    scripts = context.get("script_files")
    if isinstance(scripts, list):
        scripts[:] = [
            js for js in scripts
            if "thebe" not in (getattr(js, "filename", "") or "")
            and "THEBE_JS_URL" not in str(getattr(js, "attributes", {}).get("body", ""))
        ]
    styles = context.get("css_files")
    if isinstance(styles, list):
        styles[:] = [css for css in styles if "thebe" not in (getattr(css, "filename", "") or "")]


def drop_thebe_config(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """sphinx-thebe writes a binder configuration block into every page; launch buttons are off."""
    for node in list(doctree.findall(nodes.raw)):
        if "text/x-thebe-config" in node.astext() or node.astext().strip().startswith(
                "<script>kernelName"):
            node.parent.remove(node)


def static_files_changed(app: Sphinx, env, added, changed, removed) -> list:
    """Sphinx copies html_static_path only when it writes some page, so a change to course.css
    alone never reached the site ("no targets are out of date"). Re-read the root page then."""
    outdir = Path(app.outdir) / "_static"
    for entry in app.config.html_static_path:
        src = Path(app.confdir, entry)
        if not src.is_dir() or Path(app.srcdir) not in src.resolve().parents:
            continue  # the themes' and extensions' own static folders
        for file in src.rglob("*"):
            copy = outdir / file.relative_to(src)
            if file.is_file() and (not copy.exists() or copy.stat().st_size != file.stat().st_size
                                   or copy.stat().st_mtime < file.stat().st_mtime):
                return [app.config.root_doc]
    return []


def check_config(app: Sphinx, config) -> None:
    if "://" in (config.mathjax_path or ""):
        logger.warning("course_site: mathjax_path %r is a URL; the book must work offline, "
                       "serve MathJax from _static (book/_static/mathjax/)", config.mathjax_path)

# --------------------------------------------------------------------------- editions
def _edition_prefix(app: Sphinx, lang: str) -> str:
    """Where an edition lives under the site root (English at the root, others in <lang>/)."""
    return app.config.course_editions.get(lang, f"{lang}/")


def twin_url(app: Sphinx, pagename: str, other: str) -> str:
    """The relative URL, from ``pagename``'s HTML file, of the same page in edition ``other``."""
    here = page_language(app)
    up = "../" * pagename.count("/")
    to_site_root = "../" * _edition_prefix(app, here).count("/")
    return f"{up}{to_site_root}{_edition_prefix(app, other)}{pagename}.html"


def add_twin_links(app: Sphinx, pagename, templatename, context, doctree) -> None:
    """<meta name="course-twin"> for the language switch (course.js) and hreflang alternates."""
    here = page_language(app)
    tags = []
    for other in app.config.course_editions:
        if other == here:
            continue
        url = twin_url(app, pagename, other)
        tags.append(f'<meta name="course-twin" content="{url}" data-lang="{other}">')
        tags.append(f'<link rel="alternate" hreflang="{other}" href="{url}">')
    context["metatags"] = context.get("metatags", "") + "\n" + "\n".join(tags)


def add_other_edition_note(app: Sphinx, doctree: nodes.document) -> None:
    """The home page of each edition says the other one exists (with a link to it)."""
    docname = app.env.docname
    if docname != app.config.root_doc or len(app.config.course_editions) < 2:
        return
    here = page_language(app)
    other = next(lang for lang in app.config.course_editions if lang != here)
    t = _text(app)
    para = nodes.paragraph()
    para += nodes.Text(t["other_1"])
    para += nodes.raw("", f'<a class="reference external course-other-edition-link" '
                          f'href="{twin_url(app, docname, other)}" hreflang="{other}">'
                          f'{t["other_link"]}</a>', format="html")
    para += nodes.Text(t["other_2"])
    note = nodes.admonition(classes=["note", "course-other-edition"])
    note += nodes.title(text=t["other_title"])
    note += para
    _insert_under_title(doctree, note)


def untranslatable_maths(app: Sphinx, doctree: nodes.document) -> None:
    """Display maths and raw output (a notebook's LaTeX) are not messages: keep them out of the
    catalogs (translators would otherwise have to copy every equation)."""
    for node in doctree.findall(lambda n: isinstance(n, (nodes.math_block, nodes.raw))):
        node["translatable"] = False


def translate_toc_captions(app: Sphinx, doctree: nodes.document) -> None:
    """The part captions of _toc.yml ("Foundations" ...) are messages of the root page's catalog,
    but sphinx-external-toc adds its toctrees after Sphinx has applied the catalog: apply it here."""
    lang = page_language(app)
    if lang == "en":
        return
    import course_i18n
    from sphinx import addnodes

    messages = None
    for toctree in doctree.findall(addnodes.toctree):
        if toctree.get("caption"):
            if messages is None:
                messages = course_i18n.translations(lang, app.env.docname)
            toctree["caption"] = messages.get(toctree["caption"], toctree["caption"])
            if toctree.get("rawcaption"):
                toctree["rawcaption"] = toctree["caption"]


def install_interface_catalogs(app: Sphinx, config) -> None:
    """The book's own translations of the packages' labels (sphinx-exercise's "Exercise" is 연습
    in its Korean catalog; the course says 연습 문제) win over the packages' catalogs, which stay
    as fallbacks. (sphinx.po needs nothing: Sphinx reads locale_dirs before its own catalog.)"""
    import gettext

    from sphinx import locale

    lang = page_language(app)
    if lang == "en":
        return
    import course_i18n

    # jupyter-book sets the search box's placeholder in English in html_theme_options
    if isinstance(config.html_theme_options, dict):
        config.html_theme_options["search_bar_text"] = _text(app)["search_bar"]
    base = Path(app.confdir)
    for locale_dir in config.locale_dirs:
        folder = base / locale_dir / lang / "LC_MESSAGES"
        for name in course_i18n.INTERFACE_CATALOGS:
            po = folder / f"{name}.po"
            if not po.exists():
                continue
            mo = po.with_suffix(".mo")
            if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
                course_i18n.compile_catalog(po, mo)
            with open(mo, "rb") as f:
                ours = gettext.GNUTranslations(f)
            theirs = locale.translators.get(("general", name))
            if theirs is not None and not type(theirs) is gettext.NullTranslations:
                ours.add_fallback(theirs)
            locale.translators[("general", name)] = ours


def write_translated_notebooks(app: Sphinx, exception) -> None:
    """In a translated edition, the download button's notebook (_sources/<docname>.ipynb) is the
    notebook in that language: markdown translated with the page's catalog, code cells exactly
    the English ones, no outputs."""
    lang = page_language(app)
    if exception is not None or lang == "en" or app.builder.format != "html":
        return
    import course_i18n

    for docname in sorted(app.env.found_docs):
        source = _notebook_source(app, docname)
        target = Path(app.outdir) / "_sources" / (source or "")
        if source is None or not target.exists():
            continue
        notebook = json.loads(Path(app.srcdir, source).read_text(encoding="utf-8"))
        translated, _ = course_i18n.translate_notebook(notebook, course_i18n.translations(lang, docname))
        target.write_text(json.dumps(translated, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


# --------------------------------------------------------------------------- Korean search
HANGUL = re.compile(r"[\uac00-\ud7a3\u3131-\u318e]+")
# Particles and endings that follow a noun, longest first (은/는/이/가/을/를/의/에/에서/으로/로/
# 와/과/도/만/에게/까지/부터, and the copula and 하다 endings).
KOREAN_ENDINGS = sorted("""
은 는 이 가 을 를 의 에 에서 으로 로 와 과 도 만 에게 까지 부터 보다 처럼 마다 이나 나 이며 며 이고 고
이다 다 이다. 이면 면 이라 라 이라는 라는 이란 란 으로는 로는 으로도 로도 에서는 에는 에도 에서도 과는 와는
의해 에 의해 에서의 으로의 로의 와의 과의 까지의 부터의 한다 하다 하는 하고 하며 하면 해서 했다 된다 되는 되어
되고 하여 이었다 였다 이므로 므로 이지만 지만 들 들이 들은 들을 들의 들에 들로 들과
""".split(), key=len, reverse=True)


def korean_forms(word: str) -> list[str]:
    """The index terms of one Hangul word: the word, the word without a trailing particle or
    ending, and every prefix of two or more syllables (so '기울기가' is found by '기울기' and
    '손실을' by '손실')."""
    forms = [word]
    for ending in KOREAN_ENDINGS:
        if word.endswith(ending) and len(word) > len(ending):
            forms.append(word[: -len(ending)])
    forms += [word[:n] for n in range(2, len(word))]
    return list(dict.fromkeys(forms))


def _korean_search_class():
    from sphinx.search.en import SearchEnglish

    class SearchKorean(SearchEnglish):
        """English words as the English index does them (Porter stemmer), Hangul words with
        their bare nouns (korean_forms); the browser side stems only ASCII words."""
        lang = "ko"
        language_name = "Korean"
        js_stemmer_code = SearchEnglish.js_stemmer_code + """
var CoursePorterStemmer = Stemmer;
Stemmer = function() {
  const porter = new CoursePorterStemmer();
  this.stemWord = (w) => (/^[\\x00-\\x7f]*$/.test(w) ? porter.stemWord(w) : w);
};
"""

        def split(self, input: str) -> list[str]:
            words = []
            for word in self._word_re.findall(input):
                for part in re.findall(r"[\uac00-\ud7a3\u3131-\u318e]+|[^\W\uac00-\ud7a3\u3131-\u318e]+", word):
                    words += korean_forms(part) if HANGUL.fullmatch(part) else [part]
            return words

        def stem(self, word: str) -> str:
            return super().stem(word) if word.isascii() else word

        def word_filter(self, word: str) -> bool:
            return bool(word) and (not word.isascii() or super().word_filter(word))

    return SearchKorean



# --------------------------------------------------------------------------- exercise titles
def translatable_exercise_titles() -> None:
    """Make the title of an ``{exercise}`` (its directive argument) a translation message.

    sphinx-exercise builds the title's node without a source, so Sphinx's gettext skips it and the
    Korean page kept English titles. The node gets the argument's MyST text as its message and the
    directive's source and line, before the i18n transform runs."""
    from sphinx_exercise.directive import ExerciseDirective
    from sphinx_exercise.nodes import exercise_subtitle

    original = ExerciseDirective.run
    if getattr(original, "course_translatable", False):
        return

    def run(self):
        result = original(self)
        if self.arguments:
            source, line = self.state_machine.get_source_and_line(self.lineno)
            for node in result:
                for sub in node.findall(exercise_subtitle):
                    sub.rawsource, sub.source, sub.line = self.arguments[0], source, line
        return result

    run.course_translatable = True
    ExerciseDirective.run = run



def collect_exercise_titles(app: Sphinx, doctree: nodes.document) -> None:
    """Remember each exercise title's message while the page is read: sphinx-exercise's
    post-transform replaces the title node before the gettext builder collects messages."""
    from sphinx_exercise.nodes import exercise_subtitle

    titles = getattr(app.env, "course_exercise_titles", {})
    titles[app.env.docname] = [(n.rawsource, n.source, n.line)
                               for n in doctree.findall(exercise_subtitle) if n.rawsource]
    app.env.course_exercise_titles = titles


def refresh_exercise_registry(app: Sphinx, doctree: nodes.document) -> None:
    """sphinx-exercise keeps a copy of each exercise, made when its directive runs, to title the
    solutions; that copy predates the translation of the page, so a Korean solution would carry the
    English exercise title. Once the page is read (and translated), the copy is refreshed."""
    from sphinx_exercise.nodes import exercise_enumerable_node, exercise_node

    registry = getattr(app.env, "sphinx_exercise_registry", {})
    for node in doctree.findall(lambda n: isinstance(n, (exercise_node, exercise_enumerable_node))):
        entry = registry.get(node.get("label"))
        if entry is not None and entry.get("docname") == app.env.docname:
            entry["node"] = node.deepcopy()


def add_exercise_titles_to_catalog(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    if app.builder.name != "gettext":
        return
    from sphinx.builders.gettext import MsgOrigin
    from sphinx.util.i18n import docname_to_domain

    catalog = app.builder.catalogs[docname_to_domain(docname, app.config.gettext_compact)]
    for msg, source, line in getattr(app.env, "course_exercise_titles", {}).get(docname, []):
        catalog.add(msg, MsgOrigin(source, line))


def setup(app: Sphinx) -> dict:
    translatable_exercise_titles()
    app.connect("doctree-read", collect_exercise_titles)
    app.connect("doctree-read", refresh_exercise_registry)
    app.connect("doctree-resolved", add_exercise_titles_to_catalog)
    app.add_config_value("course_glossary_doc", "book/glossary", "env")
    app.add_config_value("course_run_locally_note", True, "env")
    app.add_config_value("course_bibliography_doc", "book/bibliography", "env")
    app.add_config_value("course_reference_lists", True, "env")
    # edition language -> its folder under the site root (the Makefile builds both)
    app.add_config_value("course_editions", {"en": "", "ko": "ko/"}, "html")
    from sphinx.search import languages

    languages.setdefault("ko", _korean_search_class())
    # before sphinx-exercise bakes translate("Exercise") into numfig_format (priority 500)
    app.connect("config-inited", install_interface_catalogs, priority=100)
    app.connect("doctree-read", add_other_edition_note)
    app.connect("doctree-read", translate_toc_captions)
    app.connect("doctree-read", untranslatable_maths)
    app.connect("html-page-context", add_twin_links)
    app.connect("build-finished", write_translated_notebooks)
    app.connect("source-read", add_reference_list)
    app.connect("config-inited", check_config)
    app.connect("env-get-outdated", static_files_changed)
    app.connect("doctree-read", add_run_locally_note)
    app.connect("doctree-read", process_glossary)
    # after sphinxcontrib-bibtex has matched citations to lists (its handler has priority 500)
    app.connect("env-updated", prefer_global_bibliography, priority=900)
    app.connect("doctree-resolved", drop_thebe_config, priority=900)
    # after sphinx.ext.mathjax and sphinx-thebe have added their scripts
    app.connect("html-page-context", drop_network_assets, priority=900)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
