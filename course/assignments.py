"""Graded assignments: one otter-grader master notebook per chapter, in ``assignments/<chapter>/<chapter>.ipynb``.

A master holds the questions, their solutions, public tests (students run them with ``grader.check("q2")``) and
hidden tests (only the autograder runs them).  ``otter assign`` turns it into

* ``student/<chapter>.ipynb``: the notebook handed out, without solutions or hidden tests;
* ``autograder/<chapter>.ipynb`` (the solutions) and ``autograder/<chapter>-autograder_*.zip`` (the grader).

``otter run -a <zip> <submission.ipynb>`` grades a submission locally, without a server, and prints the score.
Questions answered in words (derivations, "explore and explain") are graded by hand from the rubric in the master.

:func:`prove` checks an assignment the way CI does: the student notebook filled in with the master's solutions scores
100 %, the blank student notebook scores 0 without crashing, and a deliberately wrong submission (the filled-in
notebook with the edits of ``wrong.yml``, beside the master) scores in between.

Usage::

    python -m course.assignments                       # prove every assignment (output in _build/assignments)
    python -m course.assignments synapse --out DIR     # one assignment
"""

from __future__ import annotations

import argparse
import json
import pathlib
import shutil
import subprocess
import sys
from typing import NamedTuple

import yaml

ROOT = pathlib.Path(__file__).resolve().parents[1]
ASSIGNMENTS = ROOT / "assignments"


class Built(NamedTuple):
    """What ``otter assign`` produced for one assignment."""

    student: pathlib.Path  #: the notebook handed out
    solution: pathlib.Path  #: the notebook with the solutions
    autograder: pathlib.Path  #: the grader (zip)


class Score(NamedTuple):
    """The autograded score of one submission."""

    points: float
    possible: float
    per_question: dict  #: question name -> points

    @property
    def fraction(self) -> float:
        return self.points / self.possible if self.possible else 0.0


class Proof(NamedTuple):
    """The three grades CI checks for one assignment."""

    filled: Score  #: the student notebook with the master's solutions in its answer cells
    blank: Score  #: the student notebook as handed out
    wrong: Score  #: the filled-in notebook with the edits of wrong.yml


def chapters() -> list[str]:
    """The chapters that have an assignment (the folder names under ``assignments/``)."""
    return sorted(p.parent.name for p in ASSIGNMENTS.glob("*/*.ipynb") if p.stem == p.parent.name)


def master(chapter: str) -> pathlib.Path:
    path = ASSIGNMENTS / chapter / f"{chapter}.ipynb"
    if not path.exists():
        raise ValueError(f"The 'chapter' parameter must be one of {chapters()}. Got {chapter!r} instead.")
    return path


def _otter(*args: str, cwd: pathlib.Path) -> subprocess.CompletedProcess:
    done = subprocess.run([sys.executable, "-m", "otter", *args], cwd=cwd, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"otter {' '.join(args)} failed (exit {done.returncode}):\n{done.stdout}\n{done.stderr}")
    return done


def assign(chapter: str, out: pathlib.Path) -> Built:
    """Run ``otter assign`` on the chapter's master into ``out/<chapter>`` (emptied first); master tests must pass."""
    source = master(chapter)
    dest = (out / chapter).resolve()
    if dest.exists():
        shutil.rmtree(dest)
    dest.parent.mkdir(parents=True, exist_ok=True)
    _otter("assign", source.name, str(dest), cwd=source.parent)
    zips = sorted((dest / "autograder").glob(f"{chapter}-autograder_*.zip"))
    if len(zips) != 1:
        raise RuntimeError(f"otter assign made {len(zips)} autograder zips for {chapter}")
    return Built(dest / "student" / f"{chapter}.ipynb", dest / "autograder" / f"{chapter}.ipynb", zips[0])


def grade(autograder: pathlib.Path, submission: pathlib.Path, workdir: pathlib.Path) -> Score:
    """Grade ``submission`` with ``otter run`` (locally, no container); the autograded points."""
    workdir.mkdir(parents=True, exist_ok=True)
    done = _otter("run", "--no-logo", "-a", str(autograder), "-o", str(workdir), str(submission), cwd=workdir)
    if "Total Score" not in done.stdout:
        raise RuntimeError(f"otter run printed no score for {submission}:\n{done.stdout}")
    results = json.loads((workdir / "results.json").read_text())
    per_question = {t["name"]: float(t["score"]) for t in results["tests"] if t.get("max_score") is not None}
    possible = sum(float(t["max_score"]) for t in results["tests"] if t.get("max_score") is not None)
    return Score(sum(per_question.values()), possible, per_question)


def filled_in(student: pathlib.Path, solution: pathlib.Path, dest: pathlib.Path) -> pathlib.Path:
    """The student notebook with its answer cells filled in from the solution notebook, as a student who solved
    everything would hand it in.  Code cells correspond one to one, in order; a written answer gets a line of text
    (it is graded by hand, not by the autograder)."""
    nb = json.loads(student.read_text(encoding="utf-8"))
    answers = [c for c in json.loads(solution.read_text(encoding="utf-8"))["cells"] if c["cell_type"] == "code"]
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    if len(code) != len(answers):
        raise ValueError(f"{student.name}: {len(code)} code cells, but the solution notebook has {len(answers)}")
    for cell, answer in zip(code, answers):
        if "otter_answer_cell" in cell.get("metadata", {}).get("tags", []):
            lines = "".join(answer["source"]).split("\n")
            cell["source"] = "\n".join(ln for ln in lines if ln.strip() not in ("# BEGIN SOLUTION", "# END SOLUTION"))
    for cell in nb["cells"]:
        if cell["cell_type"] == "markdown" and "otter_answer_cell" in cell.get("metadata", {}).get("tags", []):
            cell["source"] = "The written answer (graded by hand from the rubric)."
    dest.parent.mkdir(parents=True, exist_ok=True)
    dest.write_text(json.dumps(nb, indent=1), encoding="utf-8")
    return dest


def wrong_submission(solution: pathlib.Path, edits: list[dict], dest: pathlib.Path) -> pathlib.Path:
    """A notebook with the solutions (``solution``) and ``edits`` (``{"find": ..., "replace": ...}``, each found
    exactly once in the code cells) applied: a submission that is right on some questions and wrong on others."""
    nb = json.loads(solution.read_text(encoding="utf-8"))
    for edit in edits:
        hits = [c for c in nb["cells"] if c["cell_type"] == "code" and edit["find"] in "".join(c["source"])]
        if len(hits) != 1:
            raise ValueError(f"wrong.yml: {edit['find']!r} is in {len(hits)} code cells of {solution.name}, not 1")
        hits[0]["source"] = "".join(hits[0]["source"]).replace(edit["find"], edit["replace"])
    for cell in nb["cells"]:
        if cell["cell_type"] == "code":
            cell["outputs"], cell["execution_count"] = [], None
    dest.parent.mkdir(parents=True, exist_ok=True)
    dest.write_text(json.dumps(nb, indent=1), encoding="utf-8")
    return dest


def prove(chapter: str, out: pathlib.Path) -> Proof:
    """Assign the chapter's master and grade the filled-in student notebook, the blank one and the wrong submission."""
    built = assign(chapter, out)
    edits = yaml.safe_load((master(chapter).parent / "wrong.yml").read_text(encoding="utf-8"))
    base = (out / chapter).resolve()
    filled = filled_in(built.student, built.solution, base / "filled" / f"{chapter}.ipynb")
    wrong = wrong_submission(filled, edits, base / "wrong" / f"{chapter}.ipynb")
    return Proof(grade(built.autograder, filled, base / "graded-filled"),
                 grade(built.autograder, built.student, base / "graded-blank"),
                 grade(built.autograder, wrong, base / "graded-wrong"))


def problems(proof: Proof) -> list[str]:
    """What is wrong with a proof: empty when the grader tells the three submissions apart as it should."""
    found = []
    if not proof.filled.possible:
        found.append("the assignment has no autograded points")
    if proof.filled.fraction != 1.0:
        found.append(f"the filled-in notebook scores {proof.filled.points:g}/{proof.filled.possible:g}, not full "
                     f"marks: {proof.filled.per_question}")
    if proof.blank.points != 0:
        found.append(f"the blank notebook scores {proof.blank.points:g}, not 0: {proof.blank.per_question}")
    if not 0 < proof.wrong.points < proof.wrong.possible:
        found.append(f"the wrong submission scores {proof.wrong.points:g}/{proof.wrong.possible:g}: it should "
                     f"score something, but not everything")
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m course.assignments", description=__doc__.split("\n\n")[0])
    parser.add_argument("chapter", nargs="*", help=f"assignments to prove (default: all of {chapters()})")
    parser.add_argument("--out", type=pathlib.Path, default=ROOT / "_build" / "assignments")
    args = parser.parse_args(argv)
    failed = False
    for chapter in args.chapter or chapters():
        proof = prove(chapter, args.out)
        found = problems(proof)
        failed |= bool(found)
        print(f"{chapter}: filled in {proof.filled.points:g}/{proof.filled.possible:g}, blank "
              f"{proof.blank.points:g}, wrong submission {proof.wrong.points:g}"
              + ("" if not found else "\n  " + "\n  ".join(found)))
    print(f"student notebooks and autograders in {args.out}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
