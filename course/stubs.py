"""Stub + solution pairs of the coding exercises, and the check that a stub has not drifted from its solution.

A coding exercise in a chapter is written as

1. the exercise statement (``{exercise-start}`` ... ``{exercise-end}``, or an ``{exercise}`` directive);
2. a **stub** code cell, tagged ``exercise-stub``, ``skip-execution`` and ``raises-exception``: the solution's code
   with parts replaced by ``...``, a ``raise NotImplementedError(...)`` that the student deletes, and a call to the
   exercise's checker (:mod:`wmlib.check`);
3. the gated solution (``{solution-start}`` ... ``{solution-end}``) holding exactly one code cell, which ends with the
   same checker call.

The book executes the solution, never the stub (``skip-execution``); nbval runs the stub and expects it to raise
(``raises-exception``).  :func:`drift` compares the two token by token, ignoring comments: a stub may only replace a
non-empty run of the solution's code by ``...`` and add ``raise NotImplementedError(...)`` statements.
"""

from __future__ import annotations

import io
import json
import pathlib
import re
import tokenize
from functools import cache
from typing import NamedTuple

ROOT = pathlib.Path(__file__).resolve().parents[1]
STUB_TAGS = ("exercise-stub", "skip-execution", "raises-exception")
_START = re.compile(r"^(`{3,}|:{3,})\{solution-start\}\s+(?P<label>\S+)", re.M)
_END = re.compile(r"^(`{3,}|:{3,})\{solution-end\}", re.M)
_CHECK_CALL = re.compile(r"\bcheck\.(?P<name>[a-z_][a-z0-9_]*)\(")


class Pair(NamedTuple):
    """One coding exercise of a chapter."""

    notebook: str  #: file name in chapters/
    label: str  #: the exercise's label (the solution's target)
    stub: str  #: source of the stub cell
    solution: str  #: source of the solution's code cell
    checkers: tuple  #: names of the wmlib.check functions the stub calls


def _source(cell) -> str:
    return "".join(cell["source"])


def pairs(path: pathlib.Path) -> list[Pair]:
    """The stub + solution pairs of one notebook, in order; raises ValueError when a stub is malformed."""
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    found = []
    for i, cell in enumerate(cells):
        if "exercise-stub" not in cell.get("metadata", {}).get("tags", []):
            continue
        where = f"{path.name}, cell {i}"
        if cell["cell_type"] != "code":
            raise ValueError(f"{where}: only a code cell can be a stub")
        missing = [t for t in STUB_TAGS if t not in cell["metadata"]["tags"]]
        if missing:
            raise ValueError(f"{where}: a stub cell needs the tags {STUB_TAGS}; missing {missing}")
        j = i + 1
        while j < len(cells) and not (cells[j]["cell_type"] == "markdown" and _START.search(_source(cells[j]))):
            if cells[j]["cell_type"] == "code":
                raise ValueError(f"{where}: the stub must be followed by its gated solution, not by another code cell")
            j += 1
        if j == len(cells):
            raise ValueError(f"{where}: no solution-start after the stub")
        label = _START.search(_source(cells[j])).group("label")
        code = []
        for cell_k in cells[j + 1:]:
            if cell_k["cell_type"] == "code":
                code.append(_source(cell_k))
            elif _END.search(_source(cell_k)):
                break
        if len(code) != 1:
            raise ValueError(f"{where}: the solution of {label!r} must hold exactly one code cell, not {len(code)}")
        stub = _source(cell)
        found.append(Pair(path.name, label, stub, code[0], tuple(dict.fromkeys(_CHECK_CALL.findall(stub)))))
    return found


def all_pairs(root: pathlib.Path = ROOT) -> list[Pair]:
    """Every stub + solution pair of the book's chapters."""
    return [p for path in sorted((root / "chapters").glob("*.ipynb")) for p in pairs(path)]


def _tokens(source: str) -> list[str]:
    """Code tokens (comments, blank lines and the end marker dropped); ``...`` is one token."""
    out = []
    for tok in tokenize.generate_tokens(io.StringIO(source.rstrip() + "\n").readline):
        if tok.type in (tokenize.COMMENT, tokenize.NL, tokenize.ENDMARKER):
            continue
        out.append(tok.string if tok.type not in (tokenize.INDENT, tokenize.DEDENT) else f"<{tokenize.tok_name[tok.type]}>")
    return out


def _without_raises(tokens: list[str]) -> list[str]:
    """Drop every ``raise NotImplementedError(...)`` statement (up to its NEWLINE) and the indentation it leaves."""
    out, i = [], 0
    while i < len(tokens):
        if tokens[i] == "raise" and i + 1 < len(tokens) and tokens[i + 1] == "NotImplementedError":
            while i < len(tokens) and tokens[i] != "\n":
                i += 1
            i += 1
            continue
        out.append(tokens[i])
        i += 1
    return out


def matches(stub: str, solution: str) -> bool:
    """Whether ``stub`` is ``solution`` with runs of code replaced by ``...`` (each run non-empty)."""
    s = _without_raises(_tokens(stub))
    t = _tokens(solution)

    @cache
    def match(i: int, j: int) -> bool:
        if i == len(s):
            return j == len(t)
        if s[i] == "...":
            return any(match(i + 1, k) for k in range(j + 1, len(t) + 1))
        return j < len(t) and s[i] == t[j] and match(i + 1, j + 1)

    return match(0, 0)


def drift(pair: Pair) -> list[str]:
    """What is wrong with one stub: empty list when it is a faithful stub of its solution."""
    problems = []
    where = f"{pair.notebook} ({pair.label})"
    if not re.search(r"^\s*raise NotImplementedError\(", pair.stub, re.M):
        problems.append(f"{where}: the stub has no `raise NotImplementedError(...)`: it would run silently")
    if "..." not in _tokens(pair.stub):
        problems.append(f"{where}: the stub has no `...` for the student to fill in")
    if not pair.checkers:
        problems.append(f"{where}: the stub calls no checker (check.<name>(...))")
    missing = [c for c in pair.checkers if f"check.{c}(" not in pair.solution]
    if missing:
        problems.append(f"{where}: the solution does not call the stub's checkers {missing}")
    if not matches(pair.stub, pair.solution):
        problems.append(f"{where}: the stub is not its solution with code replaced by `...` (comments aside)")
    return problems
