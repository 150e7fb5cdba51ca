"""The machinery of the translated editions (한국어판): catalogs, configs, Korean notebooks.

One source: the English pages (notebooks and .md) are the only text authors edit; a translated
edition is the English source plus Sphinx gettext catalogs, one per page:

    book/locale/<lang>/LC_MESSAGES/<docname>.po      e.g. book/locale/ko/LC_MESSAGES/book/scalar_rnn.po

(``gettext_compact = False``, ``locale_dirs = ["book/locale"]``, relative to the repository root,
which is the Sphinx confdir). Only the .po files are committed; the .pot templates and the compiled
.mo files are build products (.gitignore).

Command line (the Makefile's targets call these; run from the repository root, PYTHONPATH=.):

    python book/_ext/course_i18n.py config ko _build/ko_config.yml
        write the jupyter-book config of the Korean edition: _config.yml, then the overlay
        book/locale/ko/config.yml (title, language ...), with the notebooks' jupyter-cache pinned
        to the English build's (_build/.jupyter_cache), so the Korean build executes nothing.
    python book/_ext/course_i18n.py locale [ko]
        re-extract the messages (jupyter-book's gettext builder, reading the cached notebook
        outputs, never executing) into _build/gettext/, then update every page's .po file:
        translations kept, a message whose English changed becomes fuzzy with its previous English
        (#| msgid ...) and the closest old translation, new messages are added empty, messages
        that left the page are kept as obsolete (#~) so that a translator can reuse them; the
        strictness test (tests/test_locale.py) fails on fuzzy and obsolete ones.
    python book/_ext/course_i18n.py publish ko
        move the Korean build (_build/ko/_build/html) to _build/html/ko.

The library part (catalog loading, notebook translation, the glossary term base) is used by the
Sphinx extension course_site.py and by the tests.
"""

from __future__ import annotations

import copy
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LOCALE_DIR = ROOT / "book" / "locale"
BUILD = ROOT / "_build"
CACHE = BUILD / ".jupyter_cache"       # the English build's jupyter-cache, shared by every build
GETTEXT_OUT = BUILD / "gettext"        # --path-output of the extraction build
LANGUAGES = ["ko"]
# Messages of the interface (not of a page) live beside the page catalogs, at the top level:
# sphinx.po (Sphinx and pydata-sphinx-theme), exercise.po (sphinx-exercise), proof.po (sphinx-proof),
# booktheme.po (sphinx-book-theme). course_site.py compiles and installs them.
INTERFACE_CATALOGS = ("sphinx", "exercise", "proof", "booktheme")
# The page catalogs are the .po files under LC_MESSAGES/book/.
PAGE_PREFIX = "book/"


# --------------------------------------------------------------------------- paths
def po_path(lang: str, docname: str) -> Path:
    return LOCALE_DIR / lang / "LC_MESSAGES" / f"{docname}.po"


def pot_dir() -> Path:
    """Where the gettext builder writes the .pot files (jupyter-book puts a _build/ under
    --path-output, then the builder's name)."""
    return GETTEXT_OUT / "_build" / "gettext"


def page_catalogs(lang: str) -> dict[str, Path]:
    """docname -> .po file of every page catalog of ``lang``."""
    base = LOCALE_DIR / lang / "LC_MESSAGES"
    return {str(p.relative_to(base).with_suffix("")).replace(os.sep, "/"): p
            for p in sorted(base.rglob("*.po")) if p.relative_to(base).parts[0] + "/" == PAGE_PREFIX}


# --------------------------------------------------------------------------- configs
def _deep_merge(base: dict, overlay: dict) -> dict:
    out = copy.deepcopy(base)
    for key, value in overlay.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _deep_merge(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


def edition_config(lang: str | None, builder: str = "html") -> dict:
    """The jupyter-book config of an edition: _config.yml (+ book/locale/<lang>/config.yml).
    Paths that jupyter-book resolves against the config file's folder are made absolute, and the
    jupyter-cache is the English build's, so no notebook is executed twice."""
    import yaml

    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    if lang:
        overlay = LOCALE_DIR / lang / "config.yml"
        if overlay.exists():
            config = _deep_merge(config, yaml.safe_load(overlay.read_text(encoding="utf-8")) or {})
        config.setdefault("sphinx", {}).setdefault("config", {})["language"] = lang
    sphinx = config.setdefault("sphinx", {})
    sphinx["local_extensions"] = {name: str((ROOT / path).resolve())
                                  for name, path in (sphinx.get("local_extensions") or {}).items()}
    config.setdefault("execute", {})["cache"] = str(CACHE)
    if builder == "gettext":
        # Extraction reads the cached outputs (figure captions live in the notebooks' outputs);
        # a notebook missing from the cache is executed once and cached for the HTML builds.
        sphinx.setdefault("config", {})["gettext_additional_targets"] = []
    return config


def write_config(lang: str | None, out: Path, builder: str = "html") -> Path:
    import yaml

    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("# generated by book/_ext/course_i18n.py from _config.yml; do not edit\n"
                   + yaml.safe_dump(edition_config(lang, builder), allow_unicode=True, sort_keys=False),
                   encoding="utf-8")
    return out


def _jupyter_book() -> str:
    jb = Path(sys.executable).with_name("jupyter-book")
    return str(jb) if jb.exists() else (shutil.which("jupyter-book") or "jupyter-book")


# --------------------------------------------------------------------------- extraction + update
def extract() -> Path:
    """Run the gettext builder (cached notebooks, nothing executed when the English build ran)."""
    config = write_config(None, BUILD / "gettext_config.yml", builder="gettext")
    cmd = [_jupyter_book(), "build", str(ROOT), "--config", str(config), "--path-output",
           str(GETTEXT_OUT), "--builder", "custom", "--custom-builder", "gettext", "--keep-going"]
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))
    subprocess.run(cmd, cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
    for pot in pot_dir().rglob("*.pot"):
        pot.touch()  # Sphinx rewrites only the templates that changed; all are fresh now
    return pot_dir()


HEADER_COMMENT = """\
# The Korean text of one page of the course, keyed to its English text (book/_ext/course_i18n.py).
# Translate each msgstr following ../shared/KOREAN.md; never edit a msgid (it is the English source,
# rewritten by `make locale`). A "#, fuzzy" message's English changed since it was translated:
# compare with the previous English ("#| msgid"), fix the Korean, delete the fuzzy line."""


def _read_po(path: Path, lang: str | None = None):
    from babel.messages.pofile import read_po

    with open(path, "rb") as f:
        catalog = read_po(f, locale=lang, abort_invalid=True)
    # babel writes a fuzzy message's previous English ("#| msgid") but does not read it back:
    # read it here, so that it survives the next `make locale` and the test can show it
    for msgid, previous in _previous_ids(path.read_text(encoding="utf-8")).items():
        message = catalog.get(msgid)
        if message is not None and message.fuzzy:
            message.previous_id = [previous]
    for message in catalog:  # babel also kept the '#|' lines as translator comments
        message.user_comments = [c for c in message.user_comments if not c.startswith("|")]
    return catalog


def _previous_ids(text: str) -> dict[str, str]:
    """msgid -> previous msgid of every fuzzy entry of a .po file. babel writes the previous
    English as '#| msgid "..."' comment lines, wrapped at spaces, so the lines are joined again."""
    from babel.messages.pofile import denormalize

    found = {}
    for entry in re.split(r"\n\s*\n", text):
        previous, current, in_msgid = [], [], False
        for line in entry.splitlines():
            if line.startswith("#|"):
                previous.append(line[2:].strip())
            elif line.startswith("msgid "):
                in_msgid = True
                current.append(line[len("msgid "):])
            elif line.startswith('"') and in_msgid:
                current.append(line)
            else:
                in_msgid = False
        joined = " ".join(previous)
        if joined.startswith("msgid ") and current:
            found[denormalize("\n".join(current))] = denormalize(joined[len("msgid "):])
    return found


def _write_po(catalog, path: Path) -> None:
    from babel.messages.pofile import write_po

    path.parent.mkdir(parents=True, exist_ok=True)
    for message in catalog:
        # babel guesses "python-format" flags from braces and percent signs (TeX, MyST roles):
        # they mean nothing here and would only make a translator wonder
        message.flags.discard("python-format")
        message.flags.discard("python-brace-format")
    catalog.header_comment = HEADER_COMMENT
    catalog.project, catalog.version = "Gradients in Recurrent Networks", ""
    catalog.msgid_bugs_address = ""
    catalog.last_translator = catalog.last_translator if "EMAIL@" not in catalog.last_translator else ""
    catalog.language_team = ""
    with open(path, "wb") as f:
        # width=0 keeps each message on one line: a translator edits one line per message, and
        # a diff shows the whole message that changed.
        write_po(f, catalog, width=0, omit_header=False, include_previous=True,
                 sort_output=False, no_location=True)


def update_catalogs(lang: str, pots: Path | None = None) -> list[str]:
    """Merge the fresh .pot files into the .po files of ``lang`` (babel's msgmerge)."""
    from babel.messages.catalog import Catalog

    pots = pots or pot_dir()
    report = []
    for pot in sorted(pots.rglob("*.pot")):
        docname = str(pot.relative_to(pots).with_suffix("")).replace(os.sep, "/")
        if not docname.startswith(PAGE_PREFIX):
            continue
        template = _read_po(pot)
        po = po_path(lang, docname)
        if po.exists():
            catalog = _read_po(po, lang)
        else:
            catalog = Catalog(locale=lang, project="Gradients in Recurrent Networks",
                              msgid_bugs_address="", charset="utf-8")
            catalog.fuzzy = False
        before = {m.id: (m.string, m.fuzzy) for m in catalog if m.id}
        previous = {m.id: m.previous_id for m in catalog if m.id and m.fuzzy and m.previous_id}
        # no_fuzzy_matching=False: a changed English paragraph gets its old translation, marked
        # fuzzy, with the old English as "#| msgid" (what the translator compares against).
        catalog.update(template, no_fuzzy_matching=False, update_header_comment=False,
                       keep_user_comments=True, update_creation_date=False)
        catalog.fuzzy = False  # the header is never "fuzzy": only messages are
        for message in catalog:  # babel forgets the previous English of a message still fuzzy
            if message.id in previous and message.fuzzy and not message.previous_id:
                message.previous_id = previous[message.id]
        for msgid in [k for k, m in catalog.obsolete.items() if not m.string]:
            del catalog.obsolete[msgid]  # an untranslated message that left the page: nothing to keep
        new = [m.id for m in catalog if m.id and m.id not in before and not m.fuzzy]
        fuzzy = [m.id for m in catalog if m.id and m.fuzzy]
        _write_po(catalog, po)
        shown = po.relative_to(ROOT) if ROOT in po.parents else po
        report.append(f"{shown}: {len(list(m for m in catalog if m.id))} messages, "
                      f"{len(new)} new, {len(fuzzy)} fuzzy, {len(catalog.obsolete)} obsolete")
    return report


# --------------------------------------------------------------------------- catalogs as dicts
def translations(lang: str, docname: str) -> dict[str, str]:
    """msgid -> msgstr of one page: the messages Sphinx applies (translated and not fuzzy)."""
    po = po_path(lang, docname)
    if not po.exists():
        return {}
    return {m.id: m.string for m in _read_po(po, lang)
            if m.id and isinstance(m.id, str) and m.string and not m.fuzzy}


def compile_catalog(po: Path, mo: Path) -> None:
    from babel.messages.mofile import write_mo

    catalog = _read_po(po)
    mo.parent.mkdir(parents=True, exist_ok=True)
    with open(mo, "wb") as f:
        write_mo(f, catalog, use_fuzzy=False)


# --------------------------------------------------------------------------- Korean notebooks
# Directives whose body is prose (translated like the page around them); other fenced blocks
# (code, maths, bibliography, raw ...) are left exactly as they are.
_NON_PROSE = re.compile(r"^\{(math|code|code-block|code-cell|sourcecode|literalinclude|raw|bibliography|"
                        r"tableofcontents|toctree|glue|glue:[a-z]+|eval-rst|list-table|csv-table|"
                        r"image|figure-md|mermaid|graphviz)\}")


def _md_parser():
    from markdown_it.renderer import RendererHTML
    from myst_parser.config.main import MdParserConfig
    from myst_parser.parsers.mdit import create_md_parser

    config = MdParserConfig(enable_extensions={"amsmath", "dollarmath", "colon_fence", "deflist",
                                               "substitution", "linkify"})
    return create_md_parser(config, RendererHTML)


_PARSER = None


def _line_offsets(text: str) -> list[int]:
    offsets = [0]
    for line in text.splitlines(keepends=True):
        offsets.append(offsets[-1] + len(line))
    return offsets


def _flexible(content: str) -> re.Pattern:
    """A pattern for an inline token's content in the source: its lines may be indented there
    (list items, directive bodies) or prefixed with '>' (quotes)."""
    parts = [re.escape(line) for line in content.split("\n")]
    return re.compile(r"\n[ \t>]*".join(parts))


def translate_markdown(text: str, messages: dict[str, str]) -> tuple[str, list[str]]:
    """Replace, in MyST source, every block (paragraph, heading, list item, table cell,
    directive argument, prose directive body) whose message is in ``messages`` by its translation.
    Returns the new text and the msgids replaced."""
    global _PARSER
    if _PARSER is None:
        _PARSER = _md_parser()
    replaced: list[str] = []
    edits: list[tuple[int, int, str]] = []

    def walk(src: str, base: int, prefix: str = "") -> None:
        offsets = _line_offsets(src)
        cursor = 0
        for tok in _PARSER.parse(src):
            if tok.map is None:
                continue
            line_start = offsets[min(tok.map[0], len(offsets) - 1)]
            if tok.type == "inline":
                msgid = " ".join(tok.content.split("\n")).strip()
                msgstr = messages.get(msgid)
                if prefix and msgstr is None:
                    msgid = prefix + msgid
                    msgstr = messages.get(msgid)
                    if msgstr is not None:
                        msgstr = re.sub(r"^\S+\.\s+", "", msgstr, count=1)
                prefix = ""  # only the first paragraph
                if msgstr is None:
                    continue
                m = _flexible(tok.content.strip()).search(src, max(line_start, cursor))
                if m is None:
                    continue
                edits.append((base + m.start(), base + m.end(), msgstr))
                cursor = m.end()
                replaced.append(msgid)
            elif tok.type in ("fence", "colon_fence") and tok.info.strip().startswith("{"):
                info = tok.info.strip()
                if _NON_PROSE.match(info):
                    continue
                # the directive's argument (e.g. an admonition's or exercise's title); sphinx-proof
                # shows a theorem's title in parentheses, and that is its message: "(title)"
                arg = info.split("}", 1)[1].strip() if "}" in info else ""
                head_end = offsets[tok.map[0] + 1] if tok.map[0] + 1 < len(offsets) else len(src)
                for key, unwrap in ((f"({arg})", True), (arg, False)):
                    translated = messages.get(key) if arg else None
                    if translated is None:
                        continue
                    if unwrap and translated.startswith("(") and translated.endswith(")"):
                        translated = translated[1:-1]
                    pos = src.find(arg, line_start, head_end)
                    if pos >= 0:
                        edits.append((base + pos, base + pos + len(arg), translated))
                        replaced.append(key)
                    break
                # the body: skip the option lines (":key: value"), then translate as MyST
                body_start = head_end
                body_end = offsets[min(tok.map[1], len(offsets) - 1)]
                body = src[body_start:body_end]
                lines = body.splitlines(keepends=True)
                skip = 0
                while skip < len(lines) and re.match(r"\s*:[\w-]+:", lines[skip]):
                    skip += 1
                opt = sum(len(line) for line in lines[:skip])
                # sphinx-proof writes "Proof. " before a proof's first paragraph, and that is the
                # message: its translation starts with the Korean label ("증명. "), dropped here
                label = re.match(r"\{prf:(proof)\}", info)
                walk(body[opt:], base + body_start + opt, label.group(1).title() + ". " if label else "")

    walk(text, 0)
    edits.sort()
    out, last = [], 0
    for start, end, new in edits:
        if start < last:
            continue
        out += [text[last:start], new]
        last = end
    out.append(text[last:])
    return "".join(out), replaced


def translate_notebook(nb: dict, messages: dict[str, str]) -> tuple[dict, list[str]]:
    """The notebook in the other language: markdown cells translated, code cells byte-identical,
    outputs and execution counts empty; figure captions and alt texts in the cells' metadata
    (mystnb.figure.caption, mystnb.image.alt) translated too."""
    nb = copy.deepcopy(nb)
    replaced: list[str] = []
    for cell in nb.get("cells", []):
        if cell.get("cell_type") == "markdown":
            src = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
            new, done = translate_markdown(src, messages)
            replaced += done
            cell["source"] = new.splitlines(keepends=True)
        elif cell.get("cell_type") == "code":
            cell["outputs"] = []
            cell["execution_count"] = None
            mystnb = cell.get("metadata", {}).get("mystnb", {})
            for key, field in (("figure", "caption"), ("image", "alt")):
                value = mystnb.get(key, {}).get(field) if isinstance(mystnb.get(key), dict) else None
                if isinstance(value, str):
                    new, done = translate_markdown(value, messages)
                    if not done and value.strip() in messages:
                        new, done = messages[value.strip()], [value.strip()]
                    mystnb[key][field] = new
                    replaced += done
    return nb, replaced


# --------------------------------------------------------------------------- checks
# Words readers have met in machine translations of this subject (../shared/KOREAN.md, "Never").
NEVER = ["그라데이션", "단절", "제품", "숨겨진 상태", "체인 규칙", "연쇄 규칙", "과도 성장", "즉시 편미분",
         "그라디언트", "그레디언트"]
TRANSLATED_FILE = "TRANSLATED"  # book/locale/<lang>/TRANSLATED: the pages declared translated
GLOSSARY = ROOT / "book" / "glossary.md"
_HANGUL = re.compile(r"[\uac00-\ud7a3]")


def translated_pages(lang: str) -> list[str]:
    """The docnames listed in book/locale/<lang>/TRANSLATED (one a line, '#' comments)."""
    path = LOCALE_DIR / lang / TRANSLATED_FILE
    if not path.exists():
        return []
    lines = (line.split("#", 1)[0].strip() for line in path.read_text(encoding="utf-8").splitlines())
    return [line for line in lines if line]


def _split_parallel(text: str) -> list[str]:
    """'window size / shifting size' and 'eigenvalue, eigenvector' name two terms each (commas
    inside parentheses do not split)."""
    for sep in (" / ", ", "):
        parts, depth, cur = [], 0, ""
        for i, ch in enumerate(text):
            depth += ch == "("
            depth -= ch == ")"
            if depth == 0 and text.startswith(sep, i):
                parts.append(cur)
                cur = ""
                continue
            if depth == 0 and cur == "" and text.startswith(sep[1:], i) and parts:
                continue
            cur += ch
        parts.append(cur)
        parts = [p.strip() for p in parts if p.strip()]
        if len(parts) > 1:
            return parts
    return [text.strip()]


def english_name(term: str) -> str:
    """The English words a message must contain to use a term: the term without its
    parenthesised parts (abbreviations, qualifiers) and maths: 'recurrent neural network (RNN)'
    -> 'recurrent neural network', 'cliff (of the loss surface)' -> 'cliff'."""
    name = re.sub(r"\$[^$]*\$", " ", term)
    name = re.sub(r"\([^()]*\)", " ", name)
    return " ".join(name.split())


def korean_alternatives(korean: str) -> list[str]:
    """The Korean forms that count as the glossary's term: the text outside parentheses and each
    variant inside them, separated by commas or semicolons ('시간 역전파 (시간에 따른 역전파)' -> both;
    '분리 (detach)' -> 분리, detach; '순환 신경망 (RNN)' -> 순환 신경망, RNN). A parenthesised phrase
    ending in the particle 의 qualifies the term and is not a form: '(손실 곡면의) 절벽' -> 절벽."""
    main = " ".join(re.sub(r"\([^()]*\)", " ", korean).split())
    forms = [main] if main else []
    for inner in re.findall(r"\(([^()]*)\)", korean):
        for variant in re.split(r"[,;]", inner):
            variant = variant.strip()
            if variant and not variant.endswith("의"):
                forms.append(variant)  # a Hangul variant, or the form kept in English: (RNN), (detach)
    return list(dict.fromkeys(f for f in forms if f))


def term_base(glossary: Path = GLOSSARY) -> list[tuple[str, list[str], str]]:
    """(English name, accepted Korean forms, glossary row) for every checkable glossary term.
    The glossary's table is | English | 한국어 | meaning | defined in |. Parallel terms are paired
    ('window size / shifting size' | '윈도우 크기 / 이동 크기'); when the Korean has a different
    number of parts, each English part accepts any of them. Abbreviations alone (RNN, LSTM) are
    not checked: they stay as they are in Korean."""
    rows = []
    for line in glossary.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if not line.startswith("|") or len(cells) < 2 or set(cells[0]) <= set("-: "):
            continue
        if cells[0] == "English":
            continue
        rows.append((cells[0], cells[1]))
    base = []
    for english, korean in rows:
        english, korean = (" ".join(re.sub(r"\$[^$]*\$", " ", x).split()) for x in (english, korean))
        en_parts, ko_parts = _split_parallel(english), _split_parallel(korean)
        for i, part in enumerate(en_parts):
            name = english_name(part)
            if not name or re.fullmatch(r"[A-Z0-9-]+", name):
                continue  # an abbreviation: it stays as it is
            kos = [ko_parts[i]] if len(ko_parts) == len(en_parts) else ko_parts
            forms = [f for k in kos for f in korean_alternatives(k)]
            if forms:
                base.append((name, forms, f"{english} | {korean}"))
    return base


def _english_pattern(name: str) -> re.Pattern:
    words = [re.escape(w) for w in re.split(r"[\s-]+", name)]
    return re.compile(r"(?<![\w-])" + r"[\s-]+".join(words) + r"(?:s|es)?(?![\w-])", re.IGNORECASE)


def _prose(msgid: str) -> str:
    """The English words of a message: maths, code spans, link targets and URLs removed (the
    text of roles such as {term}`fixed points <fixed point>` is kept)."""
    text = re.sub(r"\$\$.*?\$\$|\$[^$]*\$", " ", msgid)
    text = re.sub(r"\{[^}]+\}`([^`]*)`", r" \1 ", text)  # roles: their text stays
    text = re.sub(r"`[^`]*`", " ", text)  # code spans go
    text = re.sub(r"\]\([^)]*\)|https?://\S+", " ", text)
    return text


def termbase_problems(msgid: str, msgstr: str, comments: list[str], base) -> list[str]:
    """The glossary terms an English message uses whose Korean term its translation lacks.
    Precisely: a term counts where its English name (case-insensitive, plural -s/-es allowed,
    space or hyphen between words) occurs in the message outside maths, code and link targets,
    and not inside an occurrence of a longer glossary term; then the translation must contain
    one of the term's accepted Korean forms (spaces ignored). Exempt: a translation equal to its
    English (kept in English on purpose), and a term named in a translator comment
    '# termbase: <English name>' above the message."""
    if not msgstr or msgstr == msgid:
        return []
    exempt = {c.split(":", 1)[1].strip().casefold() for c in comments
              if c.strip().lower().startswith("termbase:")}
    text = _prose(msgid)
    spans = []
    for name, forms, row in base:
        for m in _english_pattern(name).finditer(text):
            spans.append((m.start(), m.end(), name, forms, row))
    squeezed = "".join(msgstr.split())
    problems = []
    seen = set()
    for start, end, name, forms, row in spans:
        if name in seen or name.casefold() in exempt:
            continue
        if any(s <= start and end <= e and (e - s) > (end - start) for s, e, *_ in spans):
            continue  # part of a longer term ("gradient" inside "vanishing gradient")
        seen.add(name)
        if not any("".join(f.split()) in squeezed for f in forms):
            problems.append(f"glossary term {name!r} ({row}): the translation has none of "
                            f"{' / '.join(forms)}")
    return problems


def needs_translation(msgid: str) -> bool:
    """A message with no English word outside maths, code and roles (a Korean glossary cell, a
    table cell '$W_{hh}$', a bare {doc}`link`) is the same in Korean: it may stay empty."""
    text = re.sub(r"\{[^}]+\}`[^`]*`", " ", msgid)  # a bare role is the same in Korean
    return bool(re.search(r"[A-Za-z]{2,}", _prose(text)))


def never_problems(msgstr: str) -> list[str]:
    return [f"{word!r} is on KOREAN.md's Never list" for word in NEVER if word in (msgstr or "")]


def check_page(lang: str, docname: str, pots: Path | None = None, strict: bool = True) -> list[str]:
    """Everything wrong with one page's catalog, as sentences naming the English message:
    (strict) messages of the fresh .pot missing from the .po, untranslated or fuzzy (the English
    changed since it was translated), messages of the .po no longer in the page (obsolete, or
    still active because `make locale` was not run); (always) Never-list words, and glossary
    terms whose Korean term is missing from a translation."""
    pots = pots or pot_dir()
    po = po_path(lang, docname)
    pot = pots / f"{docname}.pot"
    problems = []
    catalog = _read_po(po, lang) if po.exists() else None
    if strict:
        if not pot.exists():
            return [f"{docname}: no template {pot} (run `make locale`)"]
        if catalog is None:
            return [f"{docname}: no catalog {po.relative_to(ROOT)} (run `make locale`)"]
        template_ids = [m.id for m in _read_po(pot) if m.id]
        messages = {m.id: m for m in catalog if m.id}
        for msgid in template_ids:
            m = messages.get(msgid)
            if m is None:
                problems.append(f"not in the catalog yet (run `make locale`): {msgid!r}")
            elif m.fuzzy:
                prev = m.previous_id[0] if m.previous_id else "?"
                problems.append(f"stale (fuzzy): the English changed from {prev!r} to {msgid!r}")
            elif not m.string and needs_translation(msgid):
                problems.append(f"untranslated: {msgid!r}")
        for msgid in messages:
            if msgid not in set(template_ids):
                problems.append(f"obsolete (no longer on the page; run `make locale`): {msgid!r}")
        for m in catalog.obsolete.values():
            problems.append(f"obsolete (#~, no longer on the page; delete it): {m.id!r}")
    if catalog is not None:
        base = term_base() if strict else None
        for m in catalog:
            if not m.id or not m.string:
                continue
            where = f"in {_short(m.id)!r} -> {_short(m.string)!r}"
            problems += [f"{p}, {where}" for p in never_problems(m.string)]
            if strict and not m.fuzzy:
                problems += [f"{p}, {where}"
                             for p in termbase_problems(m.id, m.string, m.user_comments, base)]
    return problems


def _short(text: str, width: int = 100) -> str:
    return text if len(text) <= width else text[: width - 3] + "..."


def pots_are_stale(pots: Path | None = None) -> bool:
    pots = pots or pot_dir()
    templates = list(pots.rglob("*.pot")) if pots.exists() else []
    if not templates:
        return True
    sources = [ROOT / "_config.yml", ROOT / "_toc.yml"] + [
        p for p in (ROOT / "book").glob("*") if p.suffix in (".md", ".ipynb")]
    return max(p.stat().st_mtime for p in sources if p.exists()) > min(t.stat().st_mtime for t in templates)


def markdown_blocks(text: str) -> list[str]:
    """The messages (normalised MyST source of each paragraph, heading, list item, table cell,
    directive title) the notebook translator looks up in a markdown cell."""
    seen: dict[str, str] = _Recorder()
    translate_markdown(text, seen)
    return list(seen.asked)


class _Recorder(dict):
    """A message table that records what is asked of it (and has no translations)."""

    def __init__(self):
        super().__init__()
        self.asked: list[str] = []

    def get(self, key, default=None):
        self.asked.append(key)
        return default

    def __contains__(self, key):
        self.asked.append(key)
        return False


# --------------------------------------------------------------------------- command line
def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__)
        return 2
    command, args = argv[0], argv[1:]
    if command == "config":
        lang, out = args[0], Path(args[1])
        print(write_config(lang, out))
    elif command == "locale":
        langs = args or LANGUAGES
        pots = extract()
        for lang in langs:
            for line in update_catalogs(lang, pots):
                print(line)
    elif command == "update":  # merge only (the .pot files are already in _build/gettext)
        for lang in args or LANGUAGES:
            for line in update_catalogs(lang):
                print(line)
    elif command == "check":  # python book/_ext/course_i18n.py check ko book/scalar_rnn ...
        lang, docnames = args[0], args[1:] or translated_pages(args[0])
        if pots_are_stale():
            extract()
        failed = 0
        for docname in docnames:
            problems = check_page(lang, docname)
            failed += bool(problems)
            print(f"{docname}: {'OK' if not problems else f'{len(problems)} problem(s)'}")
            for problem in problems:
                print("  " + problem)
        return 1 if failed else 0
    elif command == "publish":
        lang = args[0]
        src = BUILD / lang / "_build" / "html"
        dst = BUILD / "html" / lang
        if not (src / "index.html").exists():
            print(f"no {lang} build at {src}", file=sys.stderr)
            return 1
        if dst.exists():
            shutil.rmtree(dst)
        shutil.copytree(src, dst)
        print(f"The {lang} edition is at: file://{dst}/index.html")
    else:
        print(f"unknown command {command!r}\n{__doc__}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
