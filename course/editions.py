"""The book's two editions, from one source.

The **instructor edition** is the book as written in ``chapters/``: every exercise is followed by its solution, folded
in a dropdown.  The **student edition** is written to ``student/`` by this module: the same pages with every solution
removed, so that neither its web pages nor the notebooks a student downloads or opens in Colab or Binder contain one.
``student/`` is committed (Colab opens notebooks from the repository), and a test checks that it is up to date.

What is removed
    * ``{solution}`` directives, whole;
    * everything between ``{solution-start}`` and ``{solution-end}`` (the gated form used for solutions with code
      cells), including the code cells in between;
    * text between ``<!-- instructor -->`` and ``<!-- /instructor -->``.  Text inside ``<!-- student ... -->`` is
      uncommented instead, so a page can say something different to each reader;
    * whole pages whose notebook metadata says ``"edition": "instructor"`` (the guide for instructors), with their
      entries in the table of contents.

Coding exercises keep their stub cell (tagged ``exercise-stub``; see :mod:`course.stubs`): the student fills it in.

Usage::

    python -m course.editions            # rewrite student/ from chapters/ and _config.yml
    python -m course.editions --check    # exit 1 if student/ is out of date
    jupyter-book build student -W        # build the student edition into student/_build/html
    python -m course.editions --check-html student/_build/html   # no solution text in the built pages
"""

from __future__ import annotations

import argparse
import copy
import html
import json
import pathlib
import re
import sys

import yaml

ROOT = pathlib.Path(__file__).resolve().parents[1]
STUDENT = "student"

_DIRECTIVE = re.compile(r"^(?P<fence>`{3,}|:{3,})\{(?P<name>[a-z-]+)\}")
_INSTRUCTOR_BLOCK = re.compile(r"<!-- instructor -->.*?<!-- /instructor -->\n?", re.S)
_STUDENT_BLOCK = re.compile(r"<!-- student\n(.*?)-->\n?", re.S)


def _closes(line: str, fence: str) -> bool:
    """Whether ``line`` closes a directive opened by ``fence`` (same character, at least as long, nothing else)."""
    stripped = line.strip()
    return bool(stripped) and set(stripped) == {fence[0]} and len(stripped) >= len(fence)


def _split_markdown(text: str, in_gate: bool) -> tuple[str, list[str], bool]:
    """Split one markdown cell into what the student sees and the solution text; track gated solutions.

    Returns (kept text, removed pieces, whether a gated solution is still open at the end of the cell).
    """
    kept, removed = [], []
    lines = text.split("\n")
    i = 0
    while i < len(lines):
        m = _DIRECTIVE.match(lines[i])
        name = m.group("name") if m else None
        if m and name in ("solution", "solution-start", "solution-end"):
            j = i + 1
            while j < len(lines) and not _closes(lines[j], m.group("fence")):
                j += 1
            block = lines[i:j + 1]
            if name == "solution" and not in_gate:
                removed.append("\n".join(block))
            elif name == "solution-start":
                if in_gate:
                    raise ValueError(f"a solution-start inside another gated solution: {lines[i]!r}")
                in_gate = True
            elif name == "solution-end":
                if not in_gate:
                    raise ValueError("a solution-end without its solution-start")
                in_gate = False
            i = j + 1
            continue
        (removed if in_gate else kept).append(lines[i])
        i += 1
    return "\n".join(kept), ["\n".join(removed)] if removed else [], in_gate


def _edition_text(text: str) -> str:
    text = _INSTRUCTOR_BLOCK.sub("", text)
    return _STUDENT_BLOCK.sub(lambda m: m.group(1), text)


def _tidy(text: str) -> str:
    """Collapse the blank lines left where a solution was."""
    return re.sub(r"\n{3,}", "\n\n", text).strip("\n")


def strip_notebook(nb: dict) -> tuple[dict, list[tuple[str, str]]]:
    """The student version of a notebook (a new dict) and every solution removed from it, as (cell type, text)."""
    out = copy.deepcopy(nb)
    cells, removed, in_gate = [], [], False
    for cell in out["cells"]:
        source = "".join(cell["source"])
        if cell["cell_type"] == "markdown":
            text, pieces, in_gate = _split_markdown(source, in_gate)
            removed += [("markdown", p) for p in pieces if p.strip()]
            text = _tidy(_edition_text(text))
            if not text:
                continue
            cell["source"] = text
        elif in_gate:
            removed.append(("code", source))
            continue
        cells.append(cell)
    if in_gate:
        raise ValueError("a gated solution is never closed (no solution-end)")
    out["cells"] = cells
    return out, removed


def strip_markdown(text: str) -> tuple[str, list[tuple[str, str]]]:
    """The student version of a MyST markdown page and the solutions removed from it, as (cell type, text)."""
    kept, removed, in_gate = _split_markdown(text, False)
    if in_gate:
        raise ValueError("a gated solution is never closed (no solution-end)")
    return _tidy(_edition_text(kept)) + "\n", [("markdown", p) for p in removed]


def _dump_notebook(nb: dict) -> str:
    return json.dumps(nb, indent=1, ensure_ascii=False) + "\n"


def student_config(config: dict) -> dict:
    """The student edition's ``_config.yml``: the book's, pointing back at the shared files, with its own title."""
    c = copy.deepcopy(config)
    c["title"] = f"{config['title']} (student edition)"
    c["bibtex_bibfiles"] = [f"../{f}" for f in config.get("bibtex_bibfiles", [])]
    sphinx = c.setdefault("sphinx", {})
    sphinx["local_extensions"] = {k: f"../{v}" for k, v in sphinx.get("local_extensions", {}).items()}
    sphinx.get("config", {}).pop("hide_solutions", None)  # nothing left to hide
    c["repository"]["path_to_book"] = STUDENT  # the launch buttons open the student notebooks
    return c


def student_files(root: pathlib.Path = ROOT) -> dict[str, str]:
    """Every file of the student edition: path relative to ``root`` -> content."""
    config = yaml.safe_load((root / "_config.yml").read_text(encoding="utf-8"))
    header = "# Generated by `python -m course.editions` from the book's own file: edit that one, not this one.\n"
    files = {f"{STUDENT}/_config.yml": header + yaml.safe_dump(student_config(config), sort_keys=False, allow_unicode=True)}
    instructor_only = set()
    for path in sorted((root / "chapters").iterdir()):
        rel = f"{STUDENT}/chapters/{path.name}"
        if path.suffix == ".ipynb":
            nb = json.loads(path.read_text(encoding="utf-8"))
            if nb.get("metadata", {}).get("edition") == "instructor":
                instructor_only.add(f"chapters/{path.stem}")
                continue
            files[rel] = _dump_notebook(strip_notebook(nb)[0])
        elif path.suffix == ".md":
            files[rel] = strip_markdown(path.read_text(encoding="utf-8"))[0]
    files[f"{STUDENT}/_toc.yml"] = header + student_toc((root / "_toc.yml").read_text(encoding="utf-8"), instructor_only)
    return files


def student_toc(toc_text: str, instructor_only: set) -> str:
    """The table of contents without the instructor-only pages (and without parts left empty)."""
    toc = yaml.safe_load(toc_text)
    parts = []
    for part in toc.get("parts", []):
        chapters = [c for c in part["chapters"] if c["file"].removesuffix(".ipynb") not in instructor_only]
        if chapters:
            parts.append({**part, "chapters": chapters})
    toc["parts"] = parts
    return yaml.safe_dump(toc, sort_keys=False, allow_unicode=True)


def solution_texts(root: pathlib.Path = ROOT) -> dict[str, list[tuple[str, str]]]:
    """The solutions of every chapter: file name -> removed pieces, as (cell type, text)."""
    out = {}
    for path in sorted((root / "chapters").iterdir()):
        if path.suffix == ".ipynb":
            out[path.name] = strip_notebook(json.loads(path.read_text(encoding="utf-8")))[1]
        elif path.suffix == ".md":
            out[path.name] = strip_markdown(path.read_text(encoding="utf-8"))[1]
    return out


def write(root: pathlib.Path = ROOT) -> list[str]:
    """Write the student edition under ``root/student``; remove files that no longer belong.  Returns changed paths."""
    files = student_files(root)
    changed = []
    for rel, text in files.items():
        path = root / rel
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            changed.append(rel)
    for path in sorted((root / STUDENT).rglob("*")):
        rel = path.relative_to(root).as_posix()
        if path.is_file() and "_build" not in path.parts and rel not in files:
            path.unlink()
            changed.append(rel)
    return changed


def out_of_date(root: pathlib.Path = ROOT) -> list[str]:
    """Files of ``student/`` that differ from what :func:`write` would write (missing, changed or extra)."""
    files = student_files(root)
    stale = [rel for rel, text in files.items()
             if not (root / rel).exists() or (root / rel).read_text(encoding="utf-8") != text]
    extra = [p.relative_to(root).as_posix() for p in (root / STUDENT).rglob("*")
             if p.is_file() and "_build" not in p.parts and p.relative_to(root).as_posix() not in files]
    return stale + extra


# ----------------------------------------------------------------------------------------------- solution leaks
def _normalise(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _code_lines(kind: str, piece: str) -> list[str]:
    """Lines of code in a piece of solution: a code cell, or the fenced code blocks of a markdown one."""
    if kind == "code":
        return piece.split("\n")
    lines, inside = [], False
    for line in piece.split("\n"):
        if re.match(r"^```(python)?\s*$", line.strip()):
            inside = not inside
            continue
        if inside:
            lines.append(line)
    return lines


def _prose_runs(piece: str, words: int = 8) -> list[str]:
    """Runs of ``words`` plain words from the prose of a solution (no math, roles or markup), as a reader sees them."""
    text = re.sub(r"^(`{3,}|:{3,}).*$", " ", piece, flags=re.M)
    text = re.sub(r"```.*?```", " | ", text, flags=re.S)
    text = re.sub(r"\$\$.*?\$\$|\$[^$]*\$|\{[a-z:]+\}`[^`]*`|`[^`]*`", " | ", text, flags=re.S)
    text = re.sub(r"^:[a-z-]+:.*$", " ", text, flags=re.M)
    runs = []
    for chunk in re.split(r"[|()\[\]*_#>\n]+|(?<=[.;:?!])\s", text):
        tokens = chunk.split()
        if len(tokens) >= words and all(re.fullmatch(r"[A-Za-z][A-Za-z'’,-]*", t) for t in tokens[:words]):
            runs.append(" ".join(tokens[:words]))
    return runs


def _reader_text(name: str, text: str) -> str:
    """The sources of a notebook (its cells joined), or a text file as it is."""
    if name.endswith(".ipynb"):
        return "\n".join("".join(c["source"]) for c in json.loads(text)["cells"])
    return text


def fingerprints(root: pathlib.Path = ROOT, min_length: int = 30) -> tuple[list[str], list[str]]:
    """Text that appears in the solutions and nowhere in the student edition's sources.

    Returns (code lines, prose runs); a student page or notebook that contains one of them leaks a solution.
    """
    student = "\n".join(_reader_text(rel, text) for rel, text in student_files(root).items())
    flat_student = _normalise(student)
    code, prose = set(), set()
    for pieces in solution_texts(root).values():
        for kind, piece in pieces:
            for line in _code_lines(kind, piece):
                n = _normalise(line)
                if len(n) >= min_length and n not in flat_student and not n.startswith("#"):
                    code.add(n)
            if kind == "markdown":
                prose.update(r for r in _prose_runs(piece) if r not in flat_student)
    return sorted(code), sorted(prose)


def leaks(text: str, code: list[str], prose: list[str]) -> list[str]:
    """The fingerprints found in ``text`` (already reduced to what a reader sees)."""
    flat = _normalise(text)
    return [f for f in code + prose if f in flat]


def _page_text(page: str) -> str:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(page, "html.parser")
    for tag in soup(["script", "style"]):
        tag.decompose()
    return html.unescape(soup.get_text(" "))


def check_html(site: pathlib.Path, root: pathlib.Path = ROOT) -> list[str]:
    """Problems found in a built student edition: solution blocks or solution text in any page or notebook."""
    code, prose = fingerprints(root)
    if not code or not prose:
        return ["no solution text found in the chapters to look for: the check cannot fail, so it is not a check"]
    problems = []
    pages = sorted(site.rglob("*.html")) + sorted(site.rglob("*.ipynb"))
    if not any(p.name.endswith(".html") for p in pages):
        return [f"{site}: no HTML pages (build the student edition first)"]
    for path in pages:
        raw = path.read_text(encoding="utf-8", errors="replace")
        if path.suffix == ".html":
            if re.search(r'class="[^"]*\bsolution\b', raw):
                problems.append(f"{path.relative_to(site)}: contains a solution block")
            text = _page_text(raw)
        else:
            text = _reader_text(path.name, raw)
        problems += [f"{path.relative_to(site)}: contains solution text {f!r}" for f in leaks(text, code, prose)]
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m course.editions", description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if student/ is out of date; write nothing")
    parser.add_argument("--check-html", metavar="SITE", type=pathlib.Path,
                        help="look for solution text in a built student edition (e.g. student/_build/html)")
    args = parser.parse_args(argv)
    if args.check_html:
        problems = check_html(args.check_html)
        for p in problems:
            print(p, file=sys.stderr)
        if not problems:
            code, prose = fingerprints()
            print(f"student edition: no solution in {args.check_html} "
                  f"(looked for {len(code)} lines of solution code and {len(prose)} runs of solution prose)")
        return 1 if problems else 0
    if args.check:
        stale = out_of_date()
        for rel in stale:
            print(f"out of date: {rel} (run python -m course.editions)", file=sys.stderr)
        return 1 if stale else 0
    changed = write()
    print("\n".join(f"wrote {rel}" for rel in changed) or "student/ is up to date")
    return 0


if __name__ == "__main__":
    sys.exit(main())
