"""Repository-wide pytest configuration.

* Figures are drawn with the non-interactive Agg backend (tests and nbval run headless).
* Each chapter notebook must execute within ``NOTEBOOK_BUDGET_S`` seconds (env. ``WM_NOTEBOOK_BUDGET_S``; the book's
  rule: <= 60 s on a 2-core CPU).  nbval runs every cell as a test item; their
  durations are summed per notebook and the session fails if one is over budget.
"""

from __future__ import annotations

import os
from collections import defaultdict

os.environ.setdefault("MPLBACKEND", "Agg")

NOTEBOOK_BUDGET_S = float(os.environ.get("WM_NOTEBOOK_BUDGET_S", "60"))
_notebook_time: dict[str, float] = defaultdict(float)


def pytest_runtest_logreport(report):
    path = report.nodeid.split("::", 1)[0]
    if path.endswith(".ipynb"):
        _notebook_time[path] += report.duration


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    if not _notebook_time:
        return
    terminalreporter.section("notebook execution times")
    for path, seconds in sorted(_notebook_time.items()):
        flag = "  OVER BUDGET" if seconds > NOTEBOOK_BUDGET_S else ""
        terminalreporter.write_line(f"{seconds:6.1f} s  {path}{flag}")


def pytest_sessionfinish(session, exitstatus):
    over = {p: s for p, s in _notebook_time.items() if s > NOTEBOOK_BUDGET_S}
    if over and session.exitstatus == 0:
        session.exitstatus = 1
