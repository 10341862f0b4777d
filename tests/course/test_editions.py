"""The student edition: generated from the chapters, up to date, and free of solutions."""

import json

import pytest

from course import editions

ROOT = editions.ROOT


def _nb(*cells):
    return {"cells": [{"cell_type": t, "metadata": {}, "source": s, **({"outputs": [], "execution_count": None}
                                                                       if t == "code" else {})} for t, s in cells],
            "metadata": {}, "nbformat": 4, "nbformat_minor": 5}


def test_student_edition_is_up_to_date():
    stale = editions.out_of_date()
    assert not stale, f"student/ is out of date; run `python -m course.editions`: {stale}"


def test_strip_removes_plain_and_gated_solutions():
    nb = _nb(
        ("markdown", "Intro.\n\n````{exercise}\n:label: a\nDo A.\n````\n\n````{solution} a\n:class: dropdown\n"
                     "Secret answer A.\n```python\nsecret_code_a()\n```\n````\n\n````{exercise-start}\n:label: b\n````\n"
                     "Do B.\n````{exercise-end}\n````"),
        ("code", "stub_b = ...  # kept"),
        ("markdown", "````{solution-start} b\n:class: dropdown\n````\nSecret prose B."),
        ("code", "secret_code_b()"),
        ("markdown", "More secret B.\n\n````{solution-end}\n````\n\n## Summary\nKept."),
    )
    out, removed = editions.strip_notebook(nb)
    text = "\n".join("".join(c["source"]) for c in out["cells"])
    assert "secret" not in text.lower() and "solution" not in text
    assert "Do A." in text and "Do B." in text and "stub_b" in text and "## Summary\nKept." in text
    assert [c["cell_type"] for c in out["cells"]] == ["markdown", "code", "markdown"]
    flat = "\n".join(t for _, t in removed)
    assert all(s in flat for s in ("Secret answer A.", "secret_code_a()", "Secret prose B.", "secret_code_b()",
                                   "More secret B."))
    assert nb["cells"][3]["source"] == "secret_code_b()"  # the input is not modified


def test_edition_markers():
    text, _ = editions.strip_markdown("A.\n<!-- instructor -->\nFor instructors.\n<!-- /instructor -->\n"
                                      "<!-- student\nFor students.\n-->\nB.\n")
    assert text == "A.\nFor students.\nB.\n"


@pytest.mark.parametrize("source", ["````{solution-start} a\n````\nno end", "````{solution-end}\n````"])
def test_unbalanced_gates_are_refused(source):
    with pytest.raises(ValueError, match="solution"):
        editions.strip_notebook(_nb(("markdown", source)))


def test_fingerprints_find_a_leak():
    code, prose = editions.fingerprints()
    assert len(code) > 20 and len(prose) > 20
    leaked = f"<p>{prose[0]}</p><pre>{code[0]}</pre>"
    assert editions.leaks(editions._page_text(leaked), code, prose) == [code[0], prose[0]]


def test_student_notebooks_contain_no_solution():
    code, prose = editions.fingerprints()
    for path in sorted((ROOT / "student").rglob("*")):
        if path.suffix not in (".ipynb", ".md") or "_build" in path.parts:
            continue
        raw = path.read_text(encoding="utf-8")
        text = "\n".join("".join(c["source"]) for c in json.loads(raw)["cells"]) if path.suffix == ".ipynb" else raw
        assert "{solution" not in text, f"{path.name}: a solution directive is left"
        assert editions.leaks(text, code, prose) == [], f"{path.name} contains solution text"


def test_student_config_points_at_the_student_notebooks():
    config = editions.student_config(editions.yaml.safe_load((ROOT / "_config.yml").read_text()))
    assert config["repository"]["path_to_book"] == "student"
    assert config["bibtex_bibfiles"] == ["../references.bib"]
    assert all(path.startswith("../") for path in config["sphinx"]["local_extensions"].values())


def test_instructor_pages_are_left_out_of_the_student_edition():
    files = editions.student_files()
    assert "student/chapters/teaching.ipynb" not in files, "the guide for instructors is for instructors"
    assert "chapters/teaching" not in files["student/_toc.yml"] and "chapters/synapse" in files["student/_toc.yml"]
    toc = editions.student_toc("parts:\n- caption: A\n  chapters:\n  - file: chapters/x\n- caption: B\n  chapters:\n"
                               "  - file: chapters/y\n", {"chapters/y"})
    assert "caption: B" not in toc and "chapters/x" in toc  # a part left empty is dropped
