"""The chapters follow the book's template and are committed clean.

Execution itself is tested by nbval (``pytest`` collects ``chapters/*.ipynb``
with ``--nbval-lax``; see ``pyproject.toml``); here we check the files.
"""

import json
import pathlib
import re

import pytest
import yaml

ROOT = pathlib.Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "chapters").glob("*.ipynb"))
#: Pages that are not teaching chapters (no objectives, exercises or widget required).
NOT_CHAPTERS = {"reproductions.ipynb", "teaching.ipynb"}


def _load(path):
    return json.loads(path.read_text(encoding="utf-8"))


def _toc_files():
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    files = [toc["root"]]
    for part in toc.get("parts", []):
        files += [c["file"] for c in part["chapters"]]
    return files


def test_there_are_chapters():
    assert NOTEBOOKS, "no notebooks found in chapters/"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_committed_without_outputs(path):
    for i, cell in enumerate(_load(path)["cells"]):
        if cell["cell_type"] == "code":
            assert cell["outputs"] == [], f"{path.name}: cell {i} has outputs (clear them before committing)"
            assert cell["execution_count"] is None, f"{path.name}: cell {i} has an execution count"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_first_code_cell_installs_wmlib_only_in_colab_and_is_hidden(path):
    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    repo = config["repository"]
    first = next(c for c in _load(path)["cells"] if c["cell_type"] == "code")
    src = "".join(first["source"])
    assert '"google.colab" in sys.modules' in src
    assert f"git+{repo['url']}@{repo['branch']}" in src
    assert "remove-cell" in first.get("metadata", {}).get("tags", [])


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_markdown_has_no_control_characters(path):
    """A LaTeX command written into a notebook without escaping its backslash (\\theta, \\bar, \\alpha in a
    non-raw string) arrives as a tab, backspace or bell followed by the rest of the word, and the formula breaks."""
    for k, cell in enumerate(_load(path)["cells"]):
        text = "".join(cell["source"])
        bad = re.search(r"[\x00-\x08\x0b-\x1f]|\t", text) if cell["cell_type"] == "markdown" else None
        assert bad is None, f"{path.name}, cell {k}: control character {bad.group()!r} in {text[bad.start() - 20:bad.end() + 10]!r}"


def test_toc_lists_exactly_the_chapters():
    listed = set()
    for entry in _toc_files():
        stem = entry.removesuffix(".ipynb").removesuffix(".md")
        found = [s for s in (".ipynb", ".md") if (ROOT / f"{stem}{s}").exists()]
        assert len(found) == 1, f"_toc.yml entry {entry!r} must match exactly one .ipynb or .md file"
        listed.add(f"{stem}{found[0]}")
    present = {f"chapters/{p.name}" for p in NOTEBOOKS}
    assert present <= listed, f"notebooks missing from _toc.yml: {sorted(present - listed)}"


@pytest.mark.parametrize("path", [p for p in NOTEBOOKS if p.name not in NOT_CHAPTERS], ids=lambda p: p.name)
def test_chapter_template(path):
    cells = _load(path)["cells"]
    text = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
    code = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")
    for needle in ("Learning objectives", "Estimated time", "## Exercises", "## Summary", "## References", "{bibliography}"):
        assert needle in text, f"{path.name}: missing {needle!r}"
    exercises = re.findall(r"\{exercise(?:-start)?\}", text)
    solutions = re.findall(r"\{solution(?:-start)?\}", text)
    assert len(exercises) >= 3, f"{path.name}: needs at least 3 exercises"
    assert len(solutions) == len(exercises), f"{path.name}: every exercise needs a solution"
    assert re.search(r"\{cite(:[pt])?\}", text), f"{path.name}: cites nothing"
    assert "interact(" in code, f"{path.name}: needs an ipywidgets.interact widget"
    for cell in cells:  # widgets are for Jupyter; the page shows the static figure, and nbval still runs the cell
        if cell["cell_type"] == "code" and "interact(" in "".join(cell["source"]):
            tags = cell.get("metadata", {}).get("tags", [])
            assert {"remove-output", "skip-execution"} <= set(tags), \
                f"{path.name}: the interact cell needs the tags remove-output and skip-execution (nbclient can hang " \
                f"on widget messages, jupyter/nbclient#312)"
    static = [c for c in cells if c["cell_type"] == "code" and "static_" in "".join(c["source"])]
    assert static, f"{path.name}: needs an in-page interactive figure (a widgets.static_* call) for the static site"
    assert all("figure" in c.get("metadata", {}).get("mystnb", {}) for c in static), \
        f"{path.name}: the in-page interactive figure needs a caption (mystnb figure metadata)"
    assert "glue(" in code, f"{path.name}: simulated numbers in the prose must be glued"
    stubs = [c for c in cells if "exercise-stub" in c.get("metadata", {}).get("tags", [])]
    assert stubs, f"{path.name}: needs a coding exercise (a stub cell tagged exercise-stub, with a checker)"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_figures_are_captioned(path):
    """Every cell that draws a figure has a numbered caption and alt text (MyST-NB figure metadata)."""
    for i, cell in enumerate(_load(path)["cells"]):
        src = "".join(cell["source"])
        if cell["cell_type"] != "code" or "interact(" in src or "static_" in src:
            continue
        if "exercise-stub" in cell.get("metadata", {}).get("tags", []):  # never executed: it draws nothing
            continue
        if re.search(r"plt\.show\(\)|^fig\b.*=", src, re.M):
            meta = cell.get("metadata", {}).get("mystnb", {})
            assert meta.get("figure", {}).get("caption") and meta["figure"].get("name"), \
                f"{path.name}: cell {i} draws a figure without a caption"
            assert meta.get("image", {}).get("alt"), f"{path.name}: cell {i} draws a figure without alt text"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_glued_keys_exist(path):
    cells = _load(path)["cells"]
    text = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
    code = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")
    used = set(re.findall(r"\{glue(?::\w+)?\}`([\w-]+)", text)) | set(re.findall(r"\{glue(?::\w+)?\} ([\w-]+)", text))
    defined = set(re.findall(r"glue\(\s*f?[\"']([\w{}\[\]-]+)[\"']", code))
    literal = {k for k in defined if "{" not in k}
    templated = [re.compile("^" + re.sub(r"\{[^}]*\}", r"[\\w-]+", k) + "$") for k in defined if "{" in k]
    for key in used:
        assert key in literal or any(t.match(key) for t in templated), f"{path.name}: glue key {key!r} is never glued"


#: Sections that end without a quiz: the hands-on and closing ones, and the introduction's map of the book.
NO_QUIZ = {"Explore", "Exercises", "Summary", "References", "A map of the book"}


@pytest.mark.parametrize("path", [p for p in NOTEBOOKS if p.name not in NOT_CHAPTERS], ids=lambda p: p.name)
def test_every_section_ends_with_a_quiz(path):
    """Each section before the Explore/Exercises part ends with 2-3 check-your-understanding questions (wmlib.quiz)."""
    sections, current = [], None
    for cell in _load(path)["cells"]:
        src = "".join(cell["source"])
        if cell["cell_type"] == "markdown":
            for line in src.split("\n"):
                if line.startswith("## "):
                    current = {"title": line[3:].strip(), "quizzes": []}
                    sections.append(current)
        elif "quiz.show(" in src and current is not None:
            assert "remove-input" in cell.get("metadata", {}).get("tags", []), f"{path.name}: a quiz cell shows its code"
            current["quizzes"].append(len(re.findall(r"quiz\.(?:choice|number)\(", src)))
    taught = []
    for s in sections:
        if s["title"] in ("Explore", "Exercises"):
            break
        taught.append(s)
    for s in taught:
        if s["title"] in NO_QUIZ:
            continue
        assert len(s["quizzes"]) == 1 and 2 <= s["quizzes"][0] <= 3, \
            f"{path.name}: section {s['title']!r} must end with one quiz of 2-3 questions, found {s['quizzes']}"
