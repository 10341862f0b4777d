"""The published results the book reproduces, computed from the code: the registry behind the Reproductions page.

Each :class:`Reproduction` names a claim from a paper, the paper's value, a function computing our value with
:mod:`wmlib`, the check that decides whether they agree, and whether the book reproduces it (``status``, with the
reason when it does not).  Every mechanism registers its own rows in its ``reproductions`` module
(``wmlib/<mechanism>/reproductions.py``) with :func:`register`; :func:`discover` imports those modules by walking the
subpackages of :mod:`wmlib`, so a new chapter edits no list here.  The same registry feeds

* the tests (``tests/test_reproductions.py`` runs :meth:`Reproduction.run` for every row, one test per key; a row
  marked "not reproduced" is an expected failure that must keep failing), and
* the book's Reproductions appendix (:func:`table`), so that no number on that page is typed by hand.

A row whose optional dependency is missing (``requires``, e.g. torch) is listed as skipped, never dropped.
"""

from __future__ import annotations

import importlib
import importlib.util
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass
from typing import NamedTuple

__all__ = ["Reproduction", "Outcome", "register", "REGISTRY", "STATUSES", "mechanisms", "discover", "get", "table"]

#: The status a row declares: whether the book's code reproduces the paper's result.
STATUSES = ("reproduced", "not reproduced")


class Outcome(NamedTuple):
    """What a reproduction computed."""

    ours: float  #: our number
    ours_text: str  #: our number as shown in the table
    passed: bool  #: whether it agrees with the paper within the stated tolerance


@dataclass(frozen=True)
class Reproduction:
    """One reproduced (or not reproduced) published result.

    Attributes
    ----------
    key : str
        Stable identifier; also the pytest id (``test_reproduction[key]``).
    chapter : str
        Notebook (in ``chapters/``) where the result is discussed.
    source : str
        Bibtex key of the paper in ``references.bib``.
    claim : str
        The result, in words.
    paper : str
        The paper's value or statement.
    tolerance : str
        What counts as agreement, in words.
    compute : callable
        Returns an :class:`Outcome`.
    status : {"reproduced", "not reproduced"}
        Whether our code reproduces it (its check passes).
    reason : str
        Why not, for a row that is not reproduced ("" otherwise).
    requires : tuple of str
        Optional packages the computation needs (e.g. ``("torch",)``).
    mechanism : str
        The :mod:`wmlib` subpackage that registered the row.
    """

    key: str
    chapter: str
    source: str
    claim: str
    paper: str
    tolerance: str
    compute: Callable[[], Outcome]
    status: str = "reproduced"
    reason: str = ""
    requires: tuple = ()
    mechanism: str = ""

    @property
    def test_id(self) -> str:
        return f"tests/test_reproductions.py::test_reproduction[{self.key}]"

    @property
    def missing(self) -> tuple:
        """The packages of ``requires`` that are not installed."""
        return tuple(m for m in self.requires if importlib.util.find_spec(m) is None)

    def run(self) -> Outcome:
        return self.compute()


REGISTRY: dict[str, Reproduction] = {}


def register(*, key: str, chapter: str, source: str, claim: str, paper: str, tolerance: str,
             status: str = "reproduced", reason: str = "", requires: tuple = ()):
    """Decorator adding ``compute`` to :data:`REGISTRY` under ``key`` (keyword arguments only).

    A row that the book does not reproduce says so: ``status="not reproduced"`` with a ``reason`` for readers.
    """
    if status not in STATUSES:
        raise ValueError(f"The 'status' parameter of register must be a str among {set(STATUSES)}. Got {status!r} instead.")
    if (status == "not reproduced") != bool(reason):
        raise ValueError(f"Reproduction {key!r}: a 'reason' is required exactly when status is 'not reproduced'.")

    def wrap(compute):
        if key in REGISTRY:
            raise ValueError(f"Reproduction key {key!r} is registered twice.")
        mechanism = compute.__module__.removeprefix(__package__ + ".").split(".")[0]
        REGISTRY[key] = Reproduction(key, chapter, source, claim, paper, tolerance, compute, status, reason,
                                     tuple(requires), mechanism)
        return compute

    return wrap


def mechanisms() -> list[str]:
    """The subpackages of :mod:`wmlib` (one per mechanism, plus the shared ``analysis``), in alphabetical order."""
    import wmlib

    return sorted(m.name for m in pkgutil.iter_modules(wmlib.__path__) if m.ispkg and not m.name.startswith("_"))


def discover() -> dict[str, Reproduction]:
    """Import the ``reproductions`` module of every subpackage that has one; returns :data:`REGISTRY`.

    Those modules import only the registry at load time (their computations import what they need when run), so
    discovery works without the optional dependencies.
    """
    for name in mechanisms():
        if importlib.util.find_spec(f"{__package__}.{name}.reproductions") is not None:
            importlib.import_module(f"{__package__}.{name}.reproductions")
    return REGISTRY


def get(key: str) -> Reproduction:
    """The reproduction registered under ``key``."""
    discover()
    try:
        return REGISTRY[key]
    except KeyError:
        raise ValueError(f"The 'key' parameter must be one of {sorted(REGISTRY)}. Got {key!r} instead.") from None


def table(run: bool = True, chapters=None) -> list[dict]:
    """All reproductions as a list of row dicts (runs each ``compute`` if ``run``).

    ``chapters``: notebook names in reading order; rows are sorted by it (then kept in registration order), and
    rows of other chapters come last.  Keys of each row: ``key, chapter, source, claim, paper, ours, agrees,
    tolerance, status, reason, test``.  A row whose ``requires`` are missing is not run: ``agrees`` says
    "skipped" and names them.
    """
    rows = []
    reps = list(discover().values())
    if chapters is not None:
        order = {c: i for i, c in enumerate(chapters)}
        reps.sort(key=lambda r: order.get(r.chapter, len(order)))
    for rep in reps:
        missing = rep.missing
        out = rep.run() if run and not missing else None
        if missing:
            agrees = f"skipped (needs {', '.join(missing)})"
        else:
            agrees = ("yes" if out.passed else "NO") if out else ""
        rows.append({"key": rep.key, "chapter": rep.chapter, "source": rep.source, "claim": rep.claim,
                     "paper": rep.paper, "ours": out.ours_text if out else "", "agrees": agrees,
                     "tolerance": rep.tolerance, "status": rep.status, "reason": rep.reason, "test": rep.test_id})
    return rows
