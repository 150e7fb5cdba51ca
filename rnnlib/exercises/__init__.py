"""Checkers for the coding exercises: they tell the reader *what* is wrong, in plain words.

One module per chapter, named after its notebook (``rnnlib.exercises.bptt`` for ``book/bptt.ipynb``).
Each states an exercise as data, in one idiom::

    Exercise(name="step_backward", reference=<the solution>, cases=<the test inputs>,
             mistakes=[Mistake(<a wrong function>, Msg(<English>, <Korean>)), ...], ...)

``Exercise.check(fn)`` runs the reader's ``fn`` on copies of every test input (and says so if it changed
an input in place), checks the answer's type and structure (a dict, a pair, an integer; a ragged list or
a torch tensor gets a message, not a traceback), names a known mistake when the answer equals one, and
otherwise explains the first difference with ``compare``: a wrong shape, a transposed result, a wrong sign,
a constant factor, float32 precision, or the first element that differs.

Every message is a ``Msg`` with an English and a Korean text. The Korean one is used when ``RNNLIB_LANG=ko``,
or when ``RNNLIB_LANG`` is unset and the locale (``LC_ALL``, ``LC_MESSAGES``, ``LANG``) starts with ``ko``.

    >>> from rnnlib.exercises import compare
    >>> compare("dW", [[1.0, 2.0]], [[-1.0, -2.0]])
    Traceback (most recent call last):
    ...
    rnnlib.exercises.ExerciseError: dW has the wrong sign: it is exactly -1 times the expected answer.
"""
from __future__ import annotations

import copy
import json
import numbers
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import numpy as np


def language() -> str:
    """``"ko"`` or ``"en"``: ``RNNLIB_LANG`` if set, else the locale's language."""
    lang = os.environ.get("RNNLIB_LANG", "")
    if not lang:
        lang = next((os.environ[v] for v in ("LC_ALL", "LC_MESSAGES", "LANG") if os.environ.get(v)), "")
    return "ko" if lang.lower().startswith("ko") else "en"


class Msg:
    """One message in English and Korean; calling it fills the ``{fields}`` in the reader's language."""
    ALL: list = []

    def __init__(self, en: str, ko: str):
        self.en, self.ko = en, ko
        Msg.ALL.append(self)

    def __call__(self, **fields) -> str:
        text = self.ko if language() == "ko" else self.en
        return text.format(**fields) if fields else text


class ExerciseError(AssertionError):
    """A reader's answer is wrong; the message says how, in plain words."""


def fail(msg: Msg, **fields):
    raise ExerciseError(msg(**fields))


# --- the messages every checker shares: messages.json, English and Korean side by side ----------------
_SHARED = json.loads(Path(__file__).with_name("messages.json").read_text(encoding="utf-8"))
(NONE, TORCH, DICT, RAGGED, NOT_NUMBERS, SHAPE, HINT_T, HINT_SIZE, NONFINITE, TRANSPOSE, SIGN, FACTOR,
 PRECISION, DIFFERS, CORRECT, RAISED, IN_PLACE, NOT_DICT, MISSING_KEYS, NOT_TUPLE, WRONG_INT, NOT_INT) = \
    (Msg(**_SHARED[key]) for key in ("none", "torch", "dict", "ragged", "not_numbers", "shape", "hint_t",
                                     "hint_size", "nonfinite", "transpose", "sign", "factor", "precision", "differs",
                                     "correct", "raised", "in_place", "not_dict", "missing_keys", "not_tuple",
                                     "wrong_int", "not_int"))


def _type_name(x) -> str:
    return type(x).__module__.split(".")[0] + "." + type(x).__name__ if type(x).__module__ != "builtins" \
        else type(x).__name__


def as_float_array(name: str, got, shape) -> np.ndarray:
    """The reader's answer as a float64 array, or an ``ExerciseError`` that says what it is instead."""
    if got is None:
        fail(NONE, name=name)
    if type(got).__module__.split(".")[0] == "torch":
        fail(TORCH, name=name)
    if isinstance(got, dict):
        fail(DICT, name=name, shape=shape)
    try:
        arr = np.asarray(got, dtype=np.float64)
    except ValueError:
        if isinstance(got, (list, tuple)):
            fail(RAGGED, name=name, shape=shape)
        fail(NOT_NUMBERS, name=name, type=_type_name(got))
    except TypeError:
        fail(NOT_NUMBERS, name=name, type=_type_name(got))
    return arr


def compare(name: str, got, expected, tol: float = 1e-6) -> str:
    """Compare the reader's ``got`` with ``expected`` and explain the first problem found.

    Returns ``"<name> is correct."`` or raises ``ExerciseError``.
    """
    exp_a = np.asarray(expected, dtype=np.float64)
    got_a = as_float_array(name, got, exp_a.shape)
    if got_a.shape != exp_a.shape:
        hint = ""
        if got_a.ndim == 2 and got_a.T.shape == exp_a.shape:
            hint = HINT_T()
        elif got_a.size == exp_a.size:
            hint = HINT_SIZE()
        fail(SHAPE, name=name, got=got_a.shape, expected=exp_a.shape, hint=hint)
    if not np.all(np.isfinite(got_a)):
        fail(NONFINITE, name=name, index=tuple(int(i) for i in np.argwhere(~np.isfinite(got_a))[0]))
    scale = max(1e-8, float(np.max(np.abs(exp_a))) if exp_a.size else 0.0)
    err = np.abs(got_a - exp_a) / np.maximum(1e-8, np.abs(got_a) + np.abs(exp_a))
    if exp_a.size == 0 or np.max(err) < tol:
        return CORRECT(name=name)
    worst = float(np.max(err))
    if worst < 1e-3:                                # right up to rounding: float32, or an epsilon
        fail(PRECISION, name=name, digits=int(-np.log10(2 * worst)), err=worst)
    if got_a.ndim == 2 and got_a.shape[0] == got_a.shape[1] > 1 and np.allclose(got_a.T, exp_a, rtol=tol,
                                                                                 atol=tol * scale):
        fail(TRANSPOSE, name=name)
    if exp_a.size > 1:                              # a factor needs more than one element to be seen
        if np.allclose(got_a, -exp_a, rtol=tol, atol=tol * scale):
            fail(SIGN, name=name)
        nz = np.abs(exp_a) > 1e-12 * scale
        if nz.sum() > 1:
            r = float(np.median(got_a[nz] / exp_a[nz]))
            if np.allclose(got_a, r * exp_a, rtol=1e-4, atol=1e-8 * scale) and abs(r) > 1e-12:
                fail(FACTOR, name=name, ratio=r)
    i = tuple(int(k) for k in np.unravel_index(int(np.argmax(err)), err.shape))
    fail(DIFFERS, name=name, n_wrong=int(np.sum(err >= tol)), size=err.size, index=i, got=got_a[i],
         expected=exp_a[i])


def as_int(name: str, got) -> int:
    """An integer answer: ints and numpy integers, or a float with an integer value; 7.5 is refused."""
    if got is None:
        fail(NONE, name=name)
    if isinstance(got, np.ndarray) and got.ndim == 0:
        got = got.item()
    if isinstance(got, numbers.Integral) and not isinstance(got, bool):
        return int(got)
    if isinstance(got, numbers.Real) and not isinstance(got, bool) and float(got).is_integer():
        return int(got)
    fail(NOT_INT, name=name, got=got)


def same(a, b, rtol: float = 1e-6, atol: float = 1e-9) -> bool:
    """Do two answers (arrays, numbers, or dicts/tuples of them) agree to ``rtol``?"""
    if isinstance(a, dict) or isinstance(b, dict):
        return isinstance(a, dict) and isinstance(b, dict) and set(a) == set(b) and all(same(a[k], b[k], rtol, atol)
                                                                                       for k in a)
    if isinstance(a, (tuple, list)) and isinstance(b, (tuple, list)) and len(a) != len(b):
        return False
    try:
        a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    except (TypeError, ValueError):
        return False
    return a.shape == b.shape and bool(np.allclose(a, b, rtol=rtol, atol=atol))


def unchanged(a, b) -> bool:
    """Is ``b`` still exactly ``a`` (arrays, numbers, strings, and dicts/tuples/lists of them)?"""
    if isinstance(a, dict):
        return isinstance(b, dict) and set(a) == set(b) and all(unchanged(a[k], b[k]) for k in a)
    if isinstance(a, (tuple, list)):
        return isinstance(b, type(a)) and len(a) == len(b) and all(unchanged(x, y) for x, y in zip(a, b))
    if isinstance(a, np.ndarray):
        return isinstance(b, np.ndarray) and np.array_equal(a, b)
    return a == b


@dataclass
class Mistake:
    """A known wrong answer: ``wrong`` takes the exercise's inputs and returns what the mistake gives (the
    whole answer, or the output ``part`` when set); ``message`` explains it."""
    wrong: Callable
    message: Msg
    part: object = None
    fields: Callable | None = None        # inputs -> extra {fields} for the message


@dataclass
class Exercise:
    """An exercise as data: the reference solution, the test inputs and the known mistakes.

    ``kind`` says what the answer is: ``"array"``, ``"dict"`` (the keys ``parts``, or the reference's keys
    when ``parts`` is empty), ``"tuple"`` (``parts``
    in order; a list is accepted too) or ``"int"``. ``cases()`` returns a list of argument tuples.
    ``label(args)`` names a case in messages (default: the function's name).
    """
    name: str
    reference: Callable
    cases: Callable
    done: Msg
    mistakes: list = field(default_factory=list)
    kind: str = "array"
    parts: tuple = ()
    arg_names: tuple = ()
    tol: float = 1e-6
    label: Callable | None = None

    def answer(self, got, where: str, expected):
        """The reader's answer in the reference's structure (or an ``ExerciseError`` saying why not)."""
        if got is None:
            fail(NONE, name=where)
        if self.kind == "dict":
            keys = self.parts or tuple(expected)
            if not isinstance(got, dict):
                fail(NOT_DICT, name=where, keys=keys, type=_type_name(got))
            missing = [k for k in keys if k not in got]
            if missing:
                fail(MISSING_KEYS, name=where, missing=missing, keys=keys)
        if self.kind == "tuple" and (not isinstance(got, (tuple, list)) or len(got) != len(self.parts)):
            what = _type_name(got) + (f" of length {len(got)}" if isinstance(got, (tuple, list)) else "")
            fail(NOT_TUPLE, name=where, n=len(self.parts), names=self.parts, got=what)
        return got

    def _part(self, answer, part):
        if part is None:
            return answer
        return answer[part] if self.kind == "dict" else answer[self.parts.index(part)]

    def check(self, fn) -> str:
        for args in self.cases():
            where = self.label(*args) if self.label else self.name
            given, before = copy.deepcopy(args), copy.deepcopy(args)
            try:
                got = fn(*given)
            except Exception as exc:  # the reader's code failed: say where, keep the message
                raise ExerciseError(RAISED(name=self.name, args="(...)", error=type(exc).__name__,
                                           text=exc)) from exc
            for arg, a, b in zip(self.arg_names, before, given):
                if not unchanged(a, b):
                    fail(IN_PLACE, name=self.name, arg=arg)
            expected = self.reference(*before)
            got = self.answer(got, where, expected)
            for m in self.mistakes:
                wrong = m.wrong(*before)
                if wrong is None or same(wrong, self._part(expected, m.part)):
                    continue                        # on this case the mistake gives the right answer
                mine = self._part(got, m.part)
                if same(mine, wrong):
                    extra = m.fields(*before) if m.fields else {}
                    raise ExerciseError((f"{where}: " if self.label else "") + m.message(**extra))
            if self.kind == "int":
                got = as_int(where, got)
                if got != expected:
                    fail(WRONG_INT, name=where, got=got, expected=expected)
            elif self.kind in ("dict", "tuple"):
                for p in self.parts or tuple(expected):
                    compare(f"{p} ({where})" if self.label else p, self._part(got, p), self._part(expected, p),
                            self.tol)
            else:
                compare(where, got, expected, self.tol)
        return self.done(name=self.name)
