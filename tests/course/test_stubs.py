"""Coding exercises: every stub is its solution with code replaced by `...`, and calls a checker that exists."""

import pytest

from course import stubs
from wmlib import check

PAIRS = stubs.all_pairs()


def test_there_are_coding_exercises():
    assert len(PAIRS) >= 3


@pytest.mark.parametrize("pair", PAIRS, ids=lambda p: p.label)
def test_stub_matches_its_solution(pair):
    assert stubs.drift(pair) == []


@pytest.mark.parametrize("pair", PAIRS, ids=lambda p: p.label)
def test_stub_calls_checkers_registered_for_its_exercise(pair):
    registry = check.checkers()
    for name in pair.checkers:
        assert name in registry, f"{pair.label}: check.{name} does not exist"
        assert registry[name].exercise == pair.label, f"check.{name} is registered for {registry[name].exercise}"


def test_every_checker_serves_a_stub():
    used = {name for p in PAIRS for name in p.checkers}
    unused = sorted(set(check.checkers()) - used)
    assert not unused, f"checkers no exercise calls: {unused}"


SOLUTION = "def f(a, b):\n    c = a + b  # sum\n    return c * 2\n\n\ncheck.f(f)\n"


@pytest.mark.parametrize("stub", [
    "def f(a, b):\n    raise NotImplementedError('fill in')\n    c = ...  # the sum\n    return c * 2\n\n\ncheck.f(f)\n",
    "def f(a, b):\n    raise NotImplementedError('fill in')\n    ...\n\n\ncheck.f(f)\n",
    "def f(a, b):\n    c = a + ...\n    return ... * 2\ncheck.f(f)\n",
])
def test_faithful_stubs_match(stub):
    assert stubs.matches(stub, SOLUTION)


@pytest.mark.parametrize("stub", [
    "def f(a, b):\n    c = a - ...\n    return c * 2\ncheck.f(f)\n",       # changed code outside the blanks
    "def f(a, b):\n    c = a + b\n    return c * 2\n",                     # dropped code without a blank
    "def f(a, b):\n    c = a + b\n    d = ...\n    return c * 2\ncheck.f(f)\n",  # a blank where the solution has nothing
    "def f(x, b):\n    c = ...\n    return c * 2\ncheck.f(f)\n",           # renamed parameter
])
def test_drifted_stubs_do_not_match(stub):
    assert not stubs.matches(stub, SOLUTION)


def test_drift_reports_a_stub_without_raise_or_checker():
    pair = stubs.Pair("x.ipynb", "x-ex", "c = ...\n", "c = 1\n", ())
    problems = " ".join(stubs.drift(pair))
    assert "NotImplementedError" in problems and "checker" in problems
