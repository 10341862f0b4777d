"""Quick quizzes: questions are validated, rendered offline by jupyterquiz, and the same on every build."""

import math
import random

import pytest

from wmlib import quiz

pytest.importorskip("jupyterquiz")


def test_choice_marks_the_right_option():
    q = quiz.choice("Which?", {"a": "yes", "b": "no"}, correct="a")
    assert q["type"] == "multiple_choice"
    assert [(a["answer"], a["correct"], a["feedback"]) for a in q["answers"]] == [("a", True, "yes"), ("b", False, "no")]
    assert quiz.choice("Which?", {"a": "yes", "b": "yes too", "c": "no"}, correct=["a", "b"])["type"] == "many_choice"


def test_number_accepts_a_range():
    q = quiz.number("How much?", 0.36, tolerance=0.005)
    right, default = q["answers"]
    assert right["correct"] and right["range"] == [0.355, 0.365] and default["type"] == "default"


@pytest.mark.parametrize("call, message", [
    (lambda: quiz.choice("", {"a": "x", "b": "y"}, correct="a"), "'question'"),
    (lambda: quiz.choice("Q?", {"a": "x"}, correct="a"), "at least two"),
    (lambda: quiz.choice("Q?", {"a": "x", "b": ""}, correct="a"), "feedback"),
    (lambda: quiz.choice("Q?", {"a": "x", "b": "y"}, correct="c"), "'correct'"),
    (lambda: quiz.number("Q?", math.nan, tolerance=0.1), "'answer'"),
    (lambda: quiz.number("Q?", 1.0, tolerance=0.0), "'tolerance'"),
    (lambda: quiz.number("Q?", 1.0, tolerance=0.1, digits=0), "'digits'"),
    (lambda: quiz.choice("Is it *this*?", {"a": "x", "b": "y"}, correct="a"), "plain text"),
    (lambda: quiz.number("Q?", 1.0, tolerance=0.1, hint="use `np.log`"), "plain text"),
])
def test_bad_questions_are_refused(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_show_refuses_anything_but_questions():
    with pytest.raises(TypeError, match="quiz.choice or quiz.number"):
        quiz.show({"question": "no type"})
    with pytest.raises(TypeError):
        quiz.show()


def _render(monkeypatch, *questions):
    import jupyterquiz.dynamic.display as jq

    shown = []
    monkeypatch.setattr(jq, "display", lambda obj: shown.append(obj.data))
    quiz.show(*questions)
    return shown


def test_show_renders_offline_and_reproducibly(monkeypatch):
    q = [quiz.choice("Which variable recovers?", {"x": "Right.", "u": "No."}, correct="x"),
         quiz.number("How much?", 0.36, tolerance=0.005)]
    state = random.getstate()
    first, second = _render(monkeypatch, *q), _render(monkeypatch, *q)
    assert random.getstate() == state, "show must not disturb the random module"
    assert first == second, "a rebuilt page must be the same"
    html, script = first
    assert "Which variable recovers?" in script and "0.355" in script
    assert "http" not in html and "src=" not in script, "nothing may be loaded from outside the page"
