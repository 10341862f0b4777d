"""Execution time of every chapter, against the book's budget of 20 s per chapter on 2 CPU cores.

Run:  python benchmarks/bench_book.py [--repeats 3] [--budget 20] [chapters/rnn.ipynb ...]

Each chapter is executed from a clean kernel ``--repeats`` times (with nbclient, as the book build does; outputs
are discarded, the files are not changed) and the script prints, per chapter, the time of every run, the median and
its ratio to the budget (below 1: within budget).  The first run of a session also pays for numba compiling into
its cache, which is why the median is the figure to quote.  Timing belongs here and never in the tests: a test
that failed on a busy machine would block every change from landing.
"""

from __future__ import annotations

import argparse
import pathlib
import statistics
import sys
import time

import nbformat
from nbclient import NotebookClient

ROOT = pathlib.Path(__file__).resolve().parents[1]


def run_once(path: pathlib.Path, timeout: int) -> float:
    """Seconds to execute the notebook at ``path`` in a fresh kernel, from its own folder."""
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, timeout=timeout, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}})
    start = time.perf_counter()
    client.execute()
    return time.perf_counter() - start


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("chapters", nargs="*", type=pathlib.Path, help="notebooks (default: every chapters/*.ipynb)")
    ap.add_argument("--repeats", type=int, default=3, help="runs per chapter (default 3)")
    ap.add_argument("--budget", type=float, default=20.0, help="seconds allowed per chapter (default 20)")
    ap.add_argument("--timeout", type=int, default=600, help="seconds allowed per cell before giving up")
    args = ap.parse_args(argv)
    if args.repeats < 1:
        ap.error("--repeats must be >= 1")
    if not args.budget > 0:
        ap.error("--budget must be > 0")
    paths = args.chapters or sorted((ROOT / "chapters").glob("*.ipynb"))
    missing = [str(p) for p in paths if not p.is_file()]
    if missing:
        ap.error(f"no such notebook: {', '.join(missing)}")
    print(f"{'chapter':<28} {'runs (s)':<28} {'median':>7} {'/ budget':>9}")
    over = 0
    for path in paths:
        times = [run_once(path.resolve(), args.timeout) for _ in range(args.repeats)]
        med = statistics.median(times)
        ratio = med / args.budget
        over += ratio > 1
        runs = ", ".join(f"{t:.1f}" for t in times)
        print(f"{path.name:<28} {runs:<28} {med:7.1f} {ratio:8.2f}x", flush=True)
    print(f"{over} of {len(paths)} chapters over the {args.budget:g} s budget (median of {args.repeats} runs)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
