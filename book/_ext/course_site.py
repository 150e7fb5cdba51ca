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

    para = nodes.paragraph()
    para += nodes.Text("This page is a Jupyter notebook. ")
    para += nodes.raw(
        "",
        f'<a class="reference download" href="{href}" download="{filename}">'
        f"Download <code>{filename}</code></a>",
        format="html",
    )
    para += nodes.Text(" and run it in a copy of the course repository: ")
    para += nodes.literal(text="make env")
    para += nodes.Text(" installs the pinned packages and the course library ")
    para += nodes.literal(text="rnnlib")
    para += nodes.Text(" into ")
    para += nodes.literal(text=".venv")
    para += nodes.Text("; open the notebook with that environment's kernel, or run every cell with ")
    para += nodes.literal(text=f".venv/bin/python -m pytest --nbval-lax {source}")
    para += nodes.Text(". A laptop CPU is enough; no GPU or network is needed.")

    note = nodes.admonition(classes=["tip", "run-locally"])
    note += nodes.title(text=RUN_LOCALLY_TITLE)
    note += para

    section = next(iter(doctree.findall(nodes.section)), None)
    if section is not None and len(section) and isinstance(section[0], nodes.title):
        section.insert(1, note)
    else:
        doctree.insert(0, note)


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


def setup(app: Sphinx) -> dict:
    app.add_config_value("course_glossary_doc", "book/glossary", "env")
    app.add_config_value("course_run_locally_note", True, "env")
    app.add_config_value("course_bibliography_doc", "book/bibliography", "env")
    app.add_config_value("course_reference_lists", True, "env")
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
