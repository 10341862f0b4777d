"""Checkers for the book's coding exercises: immediate feedback while you read.

Each coding exercise in a chapter ends with a call such as ``check.tm_spike(tm_spike)``.  The checker runs your
function on inputs it draws at random (seeded, so the same inputs every time), compares what you return with
:mod:`wmlib`'s own computation, and either prints one line saying what agreed or raises :class:`Mismatch` with the
input that failed, what was expected and what your code returned.  Checkers that take a value instead of a function
(``check.half_time(half)``) say how far off the value is, never the value itself.

    >>> from wmlib import check
    >>> check.tm_spike(lambda u, x, U: (u, x, u * x))      # doctest: +SKIP
    Mismatch: tm_spike(u_minus=0.637, x_minus=0.27, U=0.0543) returned u_plus = 0.637; expected 0.6567.

The checkers live with their mechanism (``wmlib/<mechanism>/checks.py``) and register themselves with
:func:`checker`; this module finds them when one is first asked for, so a new chapter edits no list here.
:func:`checkers` lists them all with the exercise each one serves.
"""

from __future__ import annotations

import hashlib
import importlib
import importlib.util
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

__all__ = ["Mismatch", "Checker", "checker", "checkers", "call", "compare", "passed", "student_rng", "REGISTRY"]


class Mismatch(AssertionError):
    """Your answer and the library's disagree; the message says on which input and how."""


@dataclass(frozen=True)
class Checker:
    """One registered checker."""

    name: str  #: the attribute of :mod:`wmlib.check` (``check.<name>``)
    exercise: str  #: label of the exercise it serves (e.g. ``"syn-ex-code"``)
    func: Callable
    mechanism: str  #: the wmlib subpackage that registered it


REGISTRY: dict[str, Checker] = {}


def checker(exercise: str):
    """Decorator registering a checker function under its own name, for the exercise labelled ``exercise``."""

    def wrap(func):
        if func.__name__ in REGISTRY:
            raise ValueError(f"A checker named {func.__name__!r} is registered twice.")
        mechanism = func.__module__.removeprefix("wmlib.").split(".")[0]
        REGISTRY[func.__name__] = Checker(func.__name__, exercise, func, mechanism)
        return func

    return wrap


def checkers() -> dict[str, Checker]:
    """Every checker, found in the ``checks`` module of each :mod:`wmlib` subpackage."""
    from wmlib.reproductions import mechanisms

    for name in mechanisms():
        if importlib.util.find_spec(f"wmlib.{name}.checks") is not None:
            importlib.import_module(f"wmlib.{name}.checks")
    return REGISTRY


def __getattr__(name: str):
    if name.startswith("__"):
        raise AttributeError(name)
    found = checkers()
    if name in found:
        return found[name].func
    raise AttributeError(f"wmlib.check has no checker {name!r}; the checkers are {sorted(found)}")


def __dir__():
    return sorted(set(__all__) | set(checkers()))


# --------------------------------------------------------------------------------------- helpers for checkers
def _show(value) -> str:
    if isinstance(value, float | np.floating):
        return f"{float(value):.6g}"
    if isinstance(value, np.ndarray) and value.size <= 8:
        return np.array2string(value, precision=5, separator=", ")
    if isinstance(value, np.ndarray):
        return f"an array of shape {value.shape}"
    if type(value).__name__ == "Tensor":
        return f"a tensor of shape {tuple(value.shape)}"
    if isinstance(value, tuple) and hasattr(value, "_fields"):
        return f"{type(value).__name__}({', '.join(f'{k}={_show(v)}' for k, v in zip(value._fields, value))})"
    if type(value).__name__ == "STSPRNN":
        return f"a small random network ({value.config.n_hidden} units)"
    return repr(value)


def _describe(func_name: str, inputs: dict) -> str:
    args = ", ".join(f"{k}={_show(v)}" for k, v in inputs.items())
    return f"{func_name}({args})"


def call(func, func_name: str, inputs: dict):
    """Call the student's ``func(**inputs)``; if it fails (other than by NotImplementedError), say on which input.

    The inputs are passed positionally, in the order of ``inputs``, since students name their parameters freely.
    """
    if not callable(func):
        raise TypeError(f"check.{func_name} takes your function; got {type(func).__name__} {func!r} instead.")
    try:
        return func(*inputs.values())
    except NotImplementedError:
        raise
    except Exception as err:
        raise Mismatch(f"{_describe(func_name, inputs)} raised {type(err).__name__}: {err}") from err


def compare(got, expected, *, what: str, func_name: str, inputs: dict, rtol: float = 1e-9, atol: float = 1e-12):
    """Raise :class:`Mismatch` unless ``got`` equals ``expected`` (same shape, close values)."""
    try:
        got_arr = np.asarray(got, dtype=float)
    except (TypeError, ValueError):
        raise Mismatch(f"{_describe(func_name, inputs)} returned {what} = {got!r}, which is not a number "
                       f"or an array of numbers.") from None
    expected_arr = np.asarray(expected, dtype=float)
    if got_arr.shape != expected_arr.shape:
        raise Mismatch(f"{_describe(func_name, inputs)} returned {what} of shape {got_arr.shape}; expected shape "
                       f"{expected_arr.shape}.")
    bad = ~np.isclose(got_arr, expected_arr, rtol=rtol, atol=atol, equal_nan=False)
    if bad.any():
        if got_arr.size <= 8:
            raise Mismatch(f"{_describe(func_name, inputs)} returned {what} = {_show(got_arr)}; expected "
                           f"{_show(expected_arr)}.")
        where = tuple(int(k) for k in np.unravel_index(int(np.argmax(bad)), bad.shape))
        index = ", ".join(map(str, where))
        raise Mismatch(f"{_describe(func_name, inputs)} returned {what} with {int(bad.sum())} of {bad.size} values "
                       f"wrong; the first, {what}[{index}], is {_show(got_arr[where])} where {_show(expected_arr[where])} "
                       f"was expected.")


def passed(message: str) -> None:
    """Print the one line a checker says when everything agreed."""
    print(f"\N{CHECK MARK} {message}")


def student_rng(student_id) -> np.random.Generator:
    """A random generator seeded by a student's identifier: the graded assignments draw each student's numbers from it.

    The same identifier always gives the same numbers (on any machine), different identifiers different ones, so
    that an answer copied from another student fails the tests.  ``student_id`` is a non-empty string or integer.
    """
    if isinstance(student_id, bool) or not isinstance(student_id, str | int):
        raise TypeError(f"The 'student_id' parameter of student_rng must be a str or an int. Got {student_id!r} instead.")
    text = str(student_id).strip()
    if not text:
        raise ValueError("The 'student_id' parameter of student_rng must not be empty: write your student number.")
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return np.random.default_rng(int.from_bytes(digest[:8], "little"))
