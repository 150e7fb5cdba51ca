"""The Korean edition's catalogs (book/locale/ko/LC_MESSAGES/book/*.po) against the English pages.

* Strict, for the pages listed in book/locale/ko/TRANSLATED: every message of the page (freshly
  extracted with the gettext builder from the cached notebooks) is translated, none is fuzzy
  (English changed since it was translated) and none is obsolete; and every glossary term the
  English uses appears in the translation with the glossary's Korean term (the rule:
  course_i18n.termbase_problems). One page by hand, listed or not:
      python book/_ext/course_i18n.py check ko book/scalar_rnn
* Always, every page: no word of KOREAN.md's Never list in any translation; the catalog of each
  page exists; the Korean notebook generated for the download button has exactly the English code
  cells, no outputs, and every translated message of the markdown replaced; the Korean search
  indexes bare nouns; the interface labels are the course's (연습 문제, 풀이, 정리, 증명).
"""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
EXT = ROOT / "book" / "_ext"
if str(EXT) not in sys.path:
    sys.path.insert(0, str(EXT))

import course_i18n  # noqa: E402

LANG = "ko"
sys.path.insert(0, str(ROOT / "tests"))
from test_site import PAGES  # noqa: E402  (the pages of _toc.yml, in reading order)

TRANSLATED = course_i18n.translated_pages(LANG)


@pytest.fixture(scope="session")
def pots() -> Path:
    """The .pot files of the current English text (re-extracted when a source is newer)."""
    if course_i18n.pots_are_stale():
        course_i18n.extract()
    return course_i18n.pot_dir()


def test_translated_list_names_real_pages():
    unknown = [d for d in TRANSLATED if d not in PAGES]
    assert not unknown, f"book/locale/ko/TRANSLATED names pages that are not in _toc.yml: {unknown}"


def test_every_page_is_translated():
    """The Korean edition is complete: every page of _toc.yml is held to the strict check."""
    missing = [d for d in PAGES if d not in TRANSLATED]
    assert not missing, f"pages of _toc.yml without a complete Korean translation: {missing}"


@pytest.mark.parametrize("docname", PAGES)
def test_every_page_has_a_catalog(docname):
    po = course_i18n.po_path(LANG, docname)
    assert po.exists(), f"{docname}: no Korean catalog {po.relative_to(ROOT)}: run `make locale`"


@pytest.mark.parametrize("docname", PAGES)
def test_page_translation(pots, docname):
    """Strict for the pages declared translated; for the others only the Never list (and the
    catalogs are allowed to lag behind the English text)."""
    strict = docname in TRANSLATED
    problems = course_i18n.check_page(LANG, docname, pots, strict=strict)
    assert not problems, (
        f"{docname} ({'declared translated' if strict else 'not yet declared translated'}): "
        f"{len(problems)} problem(s) in {course_i18n.po_path(LANG, docname).relative_to(ROOT)}:\n  "
        + "\n  ".join(problems[:60]))


# --------------------------------------------------------------------------- the rules themselves
BASE = [("hidden state", ["은닉 상태"], "hidden state | 은닉 상태"),
        ("gradient", ["기울기", "그래디언트"], "gradient | 기울기 (그래디언트)"),
        ("vanishing gradient", ["기울기 소실"], "vanishing gradient | 기울기 소실"),
        ("detach", ["분리", "detach"], "detach | 분리 (detach)")]


@pytest.mark.parametrize("msgid, msgstr, comments, bad", [
    ("The hidden state carries the past.", "은닉 상태는 과거를 나른다.", [], []),
    ("The hidden states carry the past.", "은닉상태는 과거를 나른다.", [], []),  # plural; spaces ignored
    ("The hidden state carries the past.", "숨은 상태가 과거를 나른다.", [], ["hidden state"]),
    ("A {term}`vanishing gradient <vanishing gradient>`.", "기울기 소실.", [], []),
    ("A vanishing gradient.", "소실.", [], ["vanishing gradient"]),  # the longer term only
    ("Call `h.detach()` on $h_{hidden state}$.", "`h.detach()`를 호출한다.", [], []),  # code, maths
    ("Detach every $k$ steps", "$k$ 스텝마다 detach", [], []),  # the glossary's (detach)
    ("{doc}`a` keeps the hidden state, {doc}`b` too.", "{doc}`a`와 {doc}`b`.", [], ["hidden state"]),
    ("The hidden state.", "상태.", ["termbase: hidden state"], []),  # exempted by a comment
    ("rnnlib", "rnnlib", [], []),  # kept in English on purpose
])
def test_termbase_rule(msgid, msgstr, comments, bad):
    problems = course_i18n.termbase_problems(msgid, msgstr, comments, BASE)
    assert [p.split("'")[1] for p in problems] == bad, problems


def test_glossary_terms_are_read_from_the_table():
    base = {name: forms for name, forms, _ in course_i18n.term_base()}
    assert "hidden state" in base and "은닉 상태" in base["hidden state"]
    assert "recurrent neural network" in base  # "(RNN)" is not part of the English name
    assert all("RNN" != name for name in base)  # abbreviations alone are not checked
    assert course_i18n.korean_alternatives("시간 역전파 (시간에 따른 역전파)") == ["시간 역전파", "시간에 따른 역전파"]
    assert course_i18n.korean_alternatives("(손실 곡면의) 절벽") == ["절벽"]


def test_messages_without_english_need_no_translation():
    assert not course_i18n.needs_translation("은닉 상태")
    assert not course_i18n.needs_translation("$W_{hh}$")
    assert not course_i18n.needs_translation("{doc}`bptt`")
    assert course_i18n.needs_translation("see {doc}`bptt`")


def test_never_list():
    assert course_i18n.never_problems("그라데이션 클리핑")
    assert course_i18n.never_problems("야코비 행렬의 제품")
    assert not course_i18n.never_problems("야코비 행렬의 곱")


# --------------------------------------------------------------------------- Korean notebooks
NOTEBOOKS = [d for d in PAGES if (ROOT / f"{d}.ipynb").exists()]


@pytest.mark.parametrize("docname", NOTEBOOKS)
def test_korean_notebook(docname):
    english = json.loads((ROOT / f"{docname}.ipynb").read_text(encoding="utf-8"))
    messages = course_i18n.translations(LANG, docname)
    korean, replaced = course_i18n.translate_notebook(english, messages)
    assert [c["cell_type"] for c in korean["cells"]] == [c["cell_type"] for c in english["cells"]]
    for en, ko in zip(english["cells"], korean["cells"]):
        if en["cell_type"] == "code":
            assert ko["source"] == en["source"], f"{docname}: a code cell changed in the Korean notebook"
            assert ko["outputs"] == [] and ko["execution_count"] is None
    # every translated message that is a block of the English markdown was replaced
    blocks = {b for c in english["cells"] if c["cell_type"] == "markdown"
              for b in course_i18n.markdown_blocks("".join(c["source"]))}
    missed = sorted(m for m in messages if m in blocks and m not in set(replaced))
    assert not missed, f"{docname}: translated messages left in English in the Korean notebook: {missed[:10]}"
    built = ROOT / "_build" / "html" / "ko" / "_sources" / f"{docname}.ipynb"
    if built.exists() and (ROOT / "_build" / "html" / "ko" / "index.html").stat().st_mtime >= max(
            (ROOT / f"{docname}.ipynb").stat().st_mtime, course_i18n.po_path(LANG, docname).stat().st_mtime):
        assert json.loads(built.read_text(encoding="utf-8")) == korean, (
            f"{built.relative_to(ROOT)} (the Korean download) is not the generated Korean notebook")


@pytest.mark.parametrize("docname", NOTEBOOKS)
def test_every_message_reaches_the_korean_notebook(pots, docname):
    """Each message of a notebook page (from the fresh .pot) is found in the notebook's markdown
    (or a figure caption / alt text), so the Korean download carries every translation."""
    from babel.messages.pofile import read_po

    with open(pots / f"{docname}.pot", "rb") as f:
        ids = [m.id for m in read_po(f) if m.id]
    fake = {i: ("증명. " if i.startswith("Proof. ") else "") + "@" + i for i in ids}
    english = json.loads((ROOT / f"{docname}.ipynb").read_text(encoding="utf-8"))
    _, replaced = course_i18n.translate_notebook(english, fake)
    missed = [i for i in ids if i not in set(replaced)]
    assert not missed, f"{docname}: messages the Korean notebook cannot place: {missed[:10]}"


def test_translate_markdown_blocks():
    src = ("# Title\n\nA paragraph with $x$ and\n**bold** text.\n\n- item one\n  continued\n- item two\n\n"
           "| a | b |\n|---|---|\n| a | cell |\n\n```{exercise} The title\n:label: ex-1\n\nBody with a.\n```\n\n"
           "```python\nTitle = 1\n```\n")
    messages = {"Title": "제목", "A paragraph with $x$ and **bold** text.": "$x$와 **굵은** 글씨가 있는 문단.",
                "item one continued": "첫 항목", "a": "가", "The title": "제목", "Body with a.": "a가 있는 본문."}
    out, replaced = course_i18n.translate_markdown(src, messages)
    assert out.startswith("# 제목\n\n$x$와 **굵은** 글씨가 있는 문단.\n\n- 첫 항목\n- item two\n")
    assert "| 가 | b |" in out and "| 가 | cell |" in out
    assert "```{exercise} 제목\n:label: ex-1\n\na가 있는 본문.\n```" in out
    assert "```python\nTitle = 1\n```" in out  # code is never touched
    # sphinx-proof: a theorem's title is the message "(title)", a proof's first paragraph "Proof. ..."
    src = "```{prf:theorem} Bound\n:label: thm\n\nIt holds.\n```\n\n```{prf:proof}\nBy induction.\n```\n"
    out, _ = course_i18n.translate_markdown(src, {"(Bound)": "(상계)", "Proof. By induction.": "증명. 귀납법으로."})
    assert out == "```{prf:theorem} 상계\n:label: thm\n\nIt holds.\n```\n\n```{prf:proof}\n귀납법으로.\n```\n"


# --------------------------------------------------------------------------- Korean search
def test_korean_search_indexes_bare_nouns():
    spec = importlib.util.spec_from_file_location("course_site", EXT / "course_site.py")
    course_site = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(course_site)
    search = course_site._korean_search_class()({})
    words = search.split("기울기가 손실을 rnnlib으로 계산한다. Gradients vanish.")
    for noun in ("기울기", "손실", "rnnlib", "Gradients"):
        assert noun in words, (noun, words)
    assert search.stem("Gradients") == search.stem("gradient") and search.stem("기울기") == "기울기"


def test_built_korean_search_index():
    index = ROOT / "_build" / "html" / "ko" / "searchindex.js"
    if not index.exists():
        pytest.skip("the Korean edition is not built (make book)")
    data = json.loads(index.read_text(encoding="utf-8").split("(", 1)[1].rsplit(")", 1)[0])
    docs = data["docnames"]
    # "상계" (upper bound) is on the scalar chapter's page with a particle ("상계와 그 의미")
    hits = set()
    for table in ("terms", "titleterms"):
        entry = data[table].get("상계", [])
        hits |= {docs[i] for i in ([entry] if isinstance(entry, int) else entry)}
    assert "book/scalar_rnn" in hits, f"the Korean index does not find 상계 on book/scalar_rnn: {sorted(hits)}"


# --------------------------------------------------------------------------- interface labels
def test_interface_labels_are_the_courses():
    import gettext

    folder = course_i18n.LOCALE_DIR / LANG / "LC_MESSAGES"
    expected = {"exercise": {"Exercise": "연습 문제", "Solution to": "풀이:"},
                "proof": {"Proof": "증명", "Theorem": "정리"}}
    for name, labels in expected.items():
        mo = Path(pytest.importorskip("tempfile").mkdtemp()) / f"{name}.mo"
        course_i18n.compile_catalog(folder / f"{name}.po", mo)
        with open(mo, "rb") as f:
            catalog = gettext.GNUTranslations(f)
        for english, korean in labels.items():
            assert catalog.gettext(english) == korean


# --------------------------------------------------------------------------- make locale
def test_update_keeps_translations_and_marks_changed_english_fuzzy(tmp_path, monkeypatch):
    """`make locale`'s merge: a kept message keeps its translation, a changed one becomes fuzzy
    with its previous English (also after a second merge), a new one is added empty, and an
    untranslated message that left the page disappears."""
    monkeypatch.setattr(course_i18n, "LOCALE_DIR", tmp_path / "locale")
    pots = tmp_path / "pots" / "book"
    pots.mkdir(parents=True)

    def pot(*ids):
        (pots / "p.pot").write_text('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
                                    + "".join(f'msgid "{i}"\nmsgstr ""\n\n' for i in ids), encoding="utf-8")

    pot("Kept.", "Old sentence about the hidden state.", "Gone.")
    course_i18n.update_catalogs(LANG, pots.parent)
    po = course_i18n.po_path(LANG, "book/p")
    catalog = course_i18n._read_po(po, LANG)
    catalog["Kept."].string = "유지."
    catalog["Old sentence about the hidden state."].string = "은닉 상태에 관한 옛 문장."
    course_i18n._write_po(catalog, po)

    pot("Kept.", "New sentence about the hidden state.", "Brand new.")
    for _ in range(2):  # the previous English survives a second `make locale`
        course_i18n.update_catalogs(LANG, pots.parent)
        catalog = course_i18n._read_po(po, LANG)
        assert catalog["Kept."].string == "유지." and not catalog["Kept."].fuzzy
        changed = catalog["New sentence about the hidden state."]
        assert changed.fuzzy and changed.string == "은닉 상태에 관한 옛 문장."
        assert changed.previous_id == ["Old sentence about the hidden state."]
        assert catalog["Brand new."].string == "" and catalog.get("Gone.") is None
