"""Every published result listed on the book's Reproductions page is checked here, one test per row.

The rows are found by discovery (each mechanism's ``reproductions`` module) and each carries its own status: a row
marked "not reproduced" is a strict expected failure, so the mark cannot outlive the problem; a row whose optional
dependency is missing is skipped.
"""

import pathlib
import re

import pytest

from wmlib import reproductions

ROOT = pathlib.Path(__file__).resolve().parents[1]


def _param(rep):
    marks = []
    if rep.status == "not reproduced":
        marks.append(pytest.mark.xfail(strict=True, reason=rep.reason))
    if rep.missing:
        marks.append(pytest.mark.skip(reason=f"needs {', '.join(rep.missing)}"))
    return pytest.param(rep.key, marks=marks, id=rep.key)


@pytest.mark.parametrize("key", [_param(r) for r in reproductions.discover().values()])
def test_reproduction(key):
    rep = reproductions.get(key)
    outcome = rep.run()
    assert outcome.passed, f"{rep.claim}: paper {rep.paper}, ours {outcome.ours_text} (tolerance: {rep.tolerance})"


def test_registry_rows_are_complete_and_cite_known_sources():
    bib_keys = set(re.findall(r"@\w+\{([^,]+),", (ROOT / "references.bib").read_text()))
    rows = reproductions.table(run=False)
    assert rows
    for row in rows:
        assert row["source"] in bib_keys, row
        assert (ROOT / "chapters" / row["chapter"]).exists(), row
        assert row["test"].endswith(f"[{row['key']}]")
        assert row["status"] in reproductions.STATUSES
        assert bool(row["reason"]) == (row["status"] == "not reproduced"), row


def test_rows_follow_the_given_chapter_order():
    """The order of the book (``_toc.yml``), as the Reproductions page gives it."""
    import pathlib

    import yaml

    toc = yaml.safe_load((pathlib.Path(__file__).resolve().parents[1] / "_toc.yml").read_text())
    order = [c["file"].rsplit("/", 1)[-1] + ".ipynb" for part in toc["parts"] for c in part["chapters"]]
    rows = reproductions.table(run=False, chapters=order)
    chapters = [r["chapter"] for r in rows]
    assert chapters == sorted(chapters, key=order.index)
    assert {"rnn.ipynb", "metrics.ipynb"} <= set(chapters)


def test_a_row_needing_a_missing_package_is_listed_as_skipped(monkeypatch):
    rep = next(iter(reproductions.discover().values()))
    fake = rep.__class__(**{**rep.__dict__, "key": "needs-missing", "requires": ("no_such_package_xyz",)})
    monkeypatch.setitem(reproductions.REGISTRY, "needs-missing", fake)
    row = next(r for r in reproductions.table(run=False) if r["key"] == "needs-missing")
    assert row["agrees"] == "skipped (needs no_such_package_xyz)"


def test_register_takes_keywords_and_checks_the_status():
    with pytest.raises(TypeError):
        reproductions.register("k", "c", "s", "claim", "paper", "tol")
    with pytest.raises(ValueError, match="'status' parameter of register"):
        reproductions.register(key="k", chapter="c", source="s", claim="", paper="", tolerance="", status="maybe")
    with pytest.raises(ValueError, match="'reason' is required"):
        reproductions.register(key="k", chapter="c", source="s", claim="", paper="", tolerance="",
                               status="not reproduced")


def test_unknown_key():
    with pytest.raises(ValueError, match="'key' parameter must be one of"):
        reproductions.get("nope")
