"""Every exercise, stated as data, checked the same way in English and in Korean:

the checker accepts the reference solution, names each known mistake with its message, notices an input
changed in place, and answers a ragged list, a dict or a torch tensor with a message. Every message exists
in both languages, with the same fields, and the language follows RNNLIB_LANG or the locale."""
import importlib
import re

import numpy as np
import pytest
import torch

from rnnlib import exercises
from rnnlib.exercises import ExerciseError, Msg, compare, language

CHAPTERS = ["recurrent_basics", "scalar_rnn", "jacobians", "bptt", "truncated_bptt", "clipping", "lstm_gru", "irnn",
            "beyond"]
MODULES = [importlib.import_module(f"rnnlib.exercises.{c}") for c in CHAPTERS]
EXERCISES = [(m.__name__.split(".")[-1], ex) for m in MODULES for ex in m.EXERCISES]
MISTAKES = [(chapter, ex, i) for chapter, ex in EXERCISES for i in range(len(ex.mistakes))]
HANGUL = re.compile(r"[\uac00-\ud7a3]")
LANGS = ["en", "ko"]


@pytest.fixture(params=LANGS)
def lang(request, monkeypatch):
    monkeypatch.setenv("RNNLIB_LANG", request.param)
    return request.param


def with_part(ex, answer, part, value):
    if part is None:
        return value
    if ex.kind == "dict":
        return {**answer, part: value}
    out = list(answer)
    out[ex.parts.index(part)] = value
    return tuple(out)


def test_every_chapter_has_a_checker_module_named_after_its_notebook():
    from pathlib import Path
    book = Path(__file__).resolve().parents[1] / "book"
    assert sorted(CHAPTERS) == sorted(p.stem for p in book.glob("*.ipynb"))
    assert all(m.EXERCISES for m in MODULES)


@pytest.mark.parametrize("chapter,ex", EXERCISES, ids=[f"{c}.{e.name}" for c, e in EXERCISES])
def test_checker_accepts_the_reference(chapter, ex, lang):
    message = ex.check(ex.reference)
    assert bool(HANGUL.search(message)) == (lang == "ko"), message


@pytest.mark.parametrize("chapter,ex,i", MISTAKES, ids=[f"{c}.{e.name}.{i}" for c, e, i in MISTAKES])
def test_checker_names_each_known_mistake(chapter, ex, i, lang):
    m = ex.mistakes[i]

    def student(*args):
        wrong = m.wrong(*args)
        return ex.reference(*args) if wrong is None else with_part(ex, ex.reference(*args), m.part, wrong)

    with pytest.raises(ExerciseError) as info:
        ex.check(student)
    fields = {}
    for args in ex.cases():
        if m.fields:
            fields = m.fields(*args)
            break
    expected = m.message(**fields)
    assert expected in str(info.value), (str(info.value), expected)
    assert bool(HANGUL.search(str(info.value))) == (lang == "ko")


WITH_ARRAYS = [(c, e) for c, e in EXERCISES
               if any(isinstance(a, (np.ndarray, dict)) for a in e.cases()[0])]


@pytest.mark.parametrize("chapter,ex", WITH_ARRAYS, ids=[f"{c}.{e.name}" for c, e in WITH_ARRAYS])
def test_checker_notices_an_input_changed_in_place(chapter, ex, lang):
    """Every exercise whose inputs include an array (the others have nothing to change in place)."""
    def student(*args):
        answer = ex.reference(*[a.copy() if isinstance(a, np.ndarray) else a for a in args])
        for a in args:
            if isinstance(a, np.ndarray) and a.size:
                a.flat[0] += 1.0
                break
            if isinstance(a, dict):
                next(v for v in a.values() if isinstance(v, np.ndarray)).flat[0] += 1.0
                break
        return answer

    with pytest.raises(ExerciseError) as info:
        ex.check(student)
    assert exercises.IN_PLACE.en.split("{arg!r}")[0].format(name=ex.name) in str(info.value) or lang == "ko"
    assert ("제자리에서" in str(info.value)) == (lang == "ko")


@pytest.mark.parametrize("got,msg", [
    ([[1.0, 2.0], [3.0]], exercises.RAGGED), ({"W": 1.0}, exercises.DICT), (torch.ones(2, 2), exercises.TORCH),
    (None, exercises.NONE), ("abc", exercises.NOT_NUMBERS), (np.ones((2, 2)) * np.nan, exercises.NONFINITE),
    (np.ones((3, 2)), exercises.SHAPE), (-np.arange(1.0, 5.0).reshape(2, 2), exercises.SIGN),
])
def test_odd_answers_get_a_message_not_a_traceback(got, msg, lang):
    with pytest.raises(ExerciseError) as info:
        compare("W", got, np.arange(1.0, 5.0).reshape(2, 2))
    text = msg.ko if lang == "ko" else msg.en
    assert text.split("{")[1 if text.startswith("{") else 0].split("}")[-1][:6] in str(info.value)


def test_float32_precision_is_named_not_a_factor_of_one(lang):
    E = np.linspace(0.1, 2.0, 12)
    with pytest.raises(ExerciseError) as info:
        compare("W", E.astype(np.float32) * (1 + 3e-7), E, tol=1e-9)      # clipping checks to 1e-9
    assert ("float32" in str(info.value)) and "times" not in str(info.value)


def test_no_factor_diagnosis_on_one_element(lang):
    with pytest.raises(ExerciseError) as info:
        compare("y", [2.0], [1.0])
    assert "2 times" not in str(info.value) and "2배" not in str(info.value)
    with pytest.raises(ExerciseError):
        compare("y", [-1.0], [1.0])


def test_integer_answers_must_be_integers(lang):
    from rnnlib.exercises.truncated_bptt import check_backward_steps, check_windows, reference_backward_steps
    assert check_backward_steps(lambda *a: float(reference_backward_steps(*a)))          # 8.0 is 8
    with pytest.raises(ExerciseError):
        check_backward_steps(lambda *a: reference_backward_steps(*a) + 0.5)             # 8.5 is not
    with pytest.raises(ExerciseError):
        check_windows([(1, 2, 1), (3, 4, 1.5), (5, 6, 3), (7, 7, 4)], 7, 2, 4)          # 1.5 in a window
    assert check_windows([(1, 2, 1), (3, 4, 1), (5, 6, 3), (7, 7, 4)], 7, 2, 4)


def test_a_pair_may_be_a_list():
    from rnnlib.exercises.lstm_gru import check_cifg_lstm_step, cifg_lstm_step_reference
    assert "correct" in check_cifg_lstm_step(lambda *a: list(cifg_lstm_step_reference(*a)))


def test_the_mask_hint_states_the_strict_rule():
    from rnnlib.exercises.beyond import MASK_MISTAKES
    assert ">=" not in MASK_MISTAKES[0].message.en and "T_u < T_v" in MASK_MISTAKES[0].message.en


def test_every_message_exists_in_both_languages_with_the_same_fields():
    assert len(Msg.ALL) > 60
    for msg in Msg.ALL:
        assert msg.en.strip() and msg.ko.strip()
        assert not HANGUL.search(msg.en) and HANGUL.search(msg.ko), msg.en
        fields = lambda s: sorted(set(re.findall(r"\{(\w+)", s)))  # noqa: E731
        assert fields(msg.en) == fields(msg.ko), (msg.en, msg.ko)


@pytest.mark.parametrize("env,expected", [
    ({"RNNLIB_LANG": "ko"}, "ko"), ({"RNNLIB_LANG": "en", "LANG": "ko_KR.UTF-8"}, "en"),
    ({"LANG": "ko_KR.UTF-8"}, "ko"), ({"LC_ALL": "ko_KR.UTF-8", "LANG": "en_US.UTF-8"}, "ko"),
    ({"LC_MESSAGES": "ko_KR"}, "ko"), ({"LANG": "en_US.UTF-8"}, "en"), ({}, "en"),
])
def test_the_language_follows_rnnlib_lang_then_the_locale(env, expected, monkeypatch):
    for var in ("RNNLIB_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(var, raising=False)
    for var, value in env.items():
        monkeypatch.setenv(var, value)
    assert language() == expected
