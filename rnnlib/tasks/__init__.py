"""The data the chapters train on, one module a task: ``adding`` (the adding problem), ``pixels``
(digits pixel by pixel), ``agreement`` (subject-verb agreement), ``remember`` (remember the first input),
``text`` (a long text stream read in order). ``adding`` and ``pixels`` are numpy only.
"""
from .adding import adding_problem, fresh_batches

__all__ = ["adding_problem", "fresh_batches"]
