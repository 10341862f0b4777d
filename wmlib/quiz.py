"""Check-your-understanding questions at the end of a chapter's sections.

Each question is a small dict built by :func:`choice` (multiple choice, each option with the feedback a reader gets
for choosing it) or :func:`number` (a numeric answer accepted within a tolerance); :func:`show` renders a group of
them with `jupyterquiz <https://github.com/jmshea/jupyterquiz>`_.  The quiz is HTML and JavaScript in the cell's
output, so it works in the static page without a kernel as well as in Jupyter, Colab and Binder; the answers are
checked in the browser and nothing is sent anywhere.  Answers that come from a model should be computed with
:mod:`wmlib` in the same cell, never typed.

    >>> q = choice("Which variable recovers within tau_d?", {"x": "Right.", "u": "No: u decays with tau_f."},
    ...            correct="x")
    >>> q["type"], [a["correct"] for a in q["answers"]]
    ('multiple_choice', [True, False])
    >>> number("T_max in s?", 0.45, tolerance=0.01)["answers"][0]["range"]
    [0.44, 0.46]
"""

from __future__ import annotations

import hashlib
import json
import math
import random
import re
from collections.abc import Mapping

__all__ = ["choice", "number", "show"]

#: Colours of the quiz boxes (the book's blue and the theme's greys), passed to jupyterquiz.
COLORS = {
    "--jq-multiple-choice-bg": "#1f4e79",
    "--jq-numeric-bg": "#1f4e79",
    "--jq-many-choice-bg": "#1f4e79",
    "--jq-string-bg": "#1f4e79",
    "--jq-mc-button-bg": "#fafafa",
    "--jq-numeric-input-bg": "#e8e8e8",
    "--jq-numeric-input-label": "#101010",
    "--jq-correct-color": "#1a7f37",
    "--jq-incorrect-color": "#b42318",
    "--jq-text-color": "#ffffff",
}


def _text(owner: str, name: str, value) -> str:
    """A non-empty question, option or feedback, in plain text with ``$...$`` math (jupyterquiz renders no Markdown)."""
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"The {name!r} parameter of {owner} must be a non-empty str. Got {value!r} instead.")
    outside_math = re.sub(r"\$[^$]*\$", "", value)
    if re.search(r"[*`_]", outside_math):
        raise ValueError(f"The {name!r} parameter of {owner} must be plain text with $...$ math: quizzes do not "
                         f"render Markdown (*, _ or `). Got {value!r} instead.")
    return value


def choice(question: str, options: Mapping[str, str], correct) -> dict:
    """A multiple-choice question.

    Parameters
    ----------
    question : str
        The question, in plain text with ``$...$`` math (quizzes render no Markdown).
    options : mapping of str to str
        Each answer a reader can pick, mapped to the feedback shown when it is picked (say why it is right or wrong).
        At least two.
    correct : str or sequence of str
        The right option(s), keys of ``options``.  With several, the reader must pick all of them.
    """
    _text("choice", "question", question)
    if not isinstance(options, Mapping) or len(options) < 2:
        raise ValueError(f"The 'options' parameter of choice must be a mapping of at least two answers to their "
                         f"feedback. Got {options!r} instead.")
    for answer, feedback in options.items():
        _text("choice", "options (an answer)", answer)
        _text("choice", f"options[{answer!r}] (its feedback)", feedback)
    right = [correct] if isinstance(correct, str) else list(correct)
    unknown = [c for c in right if c not in options]
    if not right or unknown:
        raise ValueError(f"The 'correct' parameter of choice must name options among {list(options)}. "
                         f"Got {correct!r} instead.")
    return {"question": question, "type": "many_choice" if len(right) > 1 else "multiple_choice",
            "answers": [{"answer": a, "correct": a in right, "feedback": f} for a, f in options.items()]}


def number(question: str, answer: float, *, tolerance: float, feedback: str = "Right.",
           hint: str = "Not quite: check your steps.", digits: int = 3) -> dict:
    """A question answered by a number, accepted within ``answer ± tolerance``.

    Parameters
    ----------
    question : str
        The question, with the unit the answer is expected in.
    answer : float
        The right value (compute it with :mod:`wmlib`; never type a model's number).
    tolerance : float
        Accepted absolute error, > 0.
    feedback, hint : str
        Shown for a right and for a wrong answer.
    digits : int, default=3
        Significant digits shown in the answer box (1 to 10).
    """
    _text("number", "question", question)
    _text("number", "feedback", feedback)
    _text("number", "hint", hint)
    if isinstance(answer, bool) or not isinstance(answer, int | float) or not math.isfinite(answer):
        raise ValueError(f"The 'answer' parameter of number must be a finite float. Got {answer!r} instead.")
    if isinstance(tolerance, bool) or not isinstance(tolerance, int | float) or not (tolerance > 0
                                                                                    and math.isfinite(tolerance)):
        raise ValueError(f"The 'tolerance' parameter of number must be a float in the range (0, inf). "
                         f"Got {tolerance!r} instead.")
    if isinstance(digits, bool) or not isinstance(digits, int) or not 1 <= digits <= 10:
        raise ValueError(f"The 'digits' parameter of number must be an int in the range [1, 10]. Got {digits!r} instead.")
    lo, hi = float(answer) - float(tolerance), float(answer) + float(tolerance)
    return {"question": question, "type": "numeric", "precision": digits,
            "answers": [{"type": "range", "range": [round(lo, 12), round(hi, 12)], "correct": True,
                         "feedback": feedback},
                        {"type": "default", "feedback": hint}]}


def show(*questions: dict) -> None:
    """Render the questions (from :func:`choice` and :func:`number`) as one quiz in the cell's output.

    The options of a multiple-choice question are shuffled in the browser.  The page id of the quiz is derived from
    its questions, so a rebuilt page is the same.
    """
    if not questions or not all(isinstance(q, dict) and {"question", "type", "answers"} <= set(q) for q in questions):
        raise TypeError("show takes one or more questions made by quiz.choice or quiz.number.")
    from jupyterquiz import display_quiz

    digest = hashlib.sha256(json.dumps(questions, sort_keys=True).encode()).digest()
    state = random.getstate()  # jupyterquiz names its container with the random module
    random.seed(digest)
    try:
        display_quiz(list(questions), colors=COLORS, max_width=700)
    finally:
        random.setstate(state)
