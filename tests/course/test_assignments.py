"""The graded assignments: otter-grader gives a filled-in notebook full marks, a blank one 0 and a wrong one less."""

import json

import pytest

from course import assignments

CHAPTERS = assignments.chapters()


def test_there_are_assignments():
    assert CHAPTERS


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_the_grader_tells_right_blank_and_wrong_apart(chapter, tmp_path):
    proof = assignments.prove(chapter, tmp_path)
    assert assignments.problems(proof) == []
    student = json.loads((tmp_path / chapter / "student" / f"{chapter}.ipynb").read_text())
    text = "\n".join("".join(c["source"]) for c in student["cells"])
    assert "BEGIN SOLUTION" not in text and "Rubric" not in text and "hidden" not in text


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_master_is_committed_without_outputs_and_mixes_question_kinds(chapter):
    nb = json.loads(assignments.master(chapter).read_text())
    assert all(c.get("outputs", []) == [] for c in nb["cells"] if c["cell_type"] == "code")
    configs = [("".join(c["source"])) for c in nb["cells"] if c["cell_type"] == "raw"
               and "".join(c["source"]).startswith("# BEGIN QUESTION")]
    manual = [c for c in configs if "manual: true" in c]
    assert len(manual) >= 2 and len(configs) - len(manual) >= 2, "a derivation, an explore-and-explain, and code"
    assert "student_rng(STUDENT_ID)" in "".join("".join(c["source"]) for c in nb["cells"]), "numbers per student"


def test_wrong_submission_edits_must_each_hit_one_cell(tmp_path):
    solution = tmp_path / "s.ipynb"
    solution.write_text(json.dumps({"cells": [{"cell_type": "code", "source": "a = 1\n", "outputs": [],
                                               "execution_count": None, "metadata": {}}]}))
    out = assignments.wrong_submission(solution, [{"find": "a = 1", "replace": "a = 2"}], tmp_path / "w.ipynb")
    assert json.loads(out.read_text())["cells"][0]["source"] == "a = 2\n"
    with pytest.raises(ValueError, match="in 0 code cells"):
        assignments.wrong_submission(solution, [{"find": "b = 1", "replace": ""}], tmp_path / "w.ipynb")


def test_unknown_chapter_is_refused():
    with pytest.raises(ValueError, match="chapter"):
        assignments.master("no-such-chapter")


def test_every_chapter_has_an_assignment():
    """Every teaching chapter (one with an estimated time) of the table of contents has a master notebook."""
    import yaml

    toc = yaml.safe_load((assignments.ROOT / "_toc.yml").read_text())
    teaching = [c["file"].rsplit("/", 1)[-1] for part in toc["parts"] for c in part["chapters"]
                if "**Estimated time:**" in (assignments.ROOT / f"{c['file']}.ipynb").read_text()]
    assert teaching and set(teaching) <= set(CHAPTERS), f"chapters without an assignment: {set(teaching) - set(CHAPTERS)}"


def test_filling_in_needs_matching_notebooks(tmp_path):
    def nb(*sources, tags=()):
        return {"cells": [{"cell_type": "code", "source": src, "outputs": [], "execution_count": None,
                           "metadata": {"tags": list(tags)}} for src in sources]}

    student, solution = tmp_path / "s.ipynb", tmp_path / "a.ipynb"
    student.write_text(json.dumps(nb("x = ...", tags=["otter_answer_cell"])))
    solution.write_text(json.dumps(nb("# BEGIN SOLUTION\nx = 1\n# END SOLUTION")))
    filled = assignments.filled_in(student, solution, tmp_path / "f.ipynb")
    assert json.loads(filled.read_text())["cells"][0]["source"] == "x = 1"
    solution.write_text(json.dumps(nb("x = 1", "y = 2")))
    with pytest.raises(ValueError, match="code cells"):
        assignments.filled_in(student, solution, tmp_path / "f.ipynb")
