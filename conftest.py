"""Repository-wide pytest configuration.

* Figures are drawn with the non-interactive Agg backend (tests and nbval run headless).
* nbval runs every cell of a chapter as a test item; their durations are summed per notebook and
  printed at the end of the session, for information only.  Wall time never decides whether the
  tests pass (a busy or slower machine must not fail them): the chapters' time budget is measured by
  ``benchmarks/bench_book.py``.
"""

from __future__ import annotations

import os
from collections import defaultdict

os.environ.setdefault("MPLBACKEND", "Agg")

_notebook_time: dict[str, float] = defaultdict(float)


def pytest_runtest_logreport(report):
    path = report.nodeid.split("::", 1)[0]
    if path.endswith(".ipynb"):
        _notebook_time[path] += report.duration


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    if not _notebook_time:
        return
    terminalreporter.section("notebook execution times (information only; see benchmarks/bench_book.py)")
    for path, seconds in sorted(_notebook_time.items()):
        terminalreporter.write_line(f"{seconds:6.1f} s  {path}")
