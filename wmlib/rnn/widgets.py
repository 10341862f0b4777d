"""Callbacks for the trained-networks chapter's ``ipywidgets.interact`` widgets.

Each callback simulates, draws with this mechanism's :mod:`.plotting` and ends with ``plt.show()`` (so that
``ipywidgets.interact`` replaces the figure instead of stacking figures).  Called directly, a callback draws one
figure: that is how the tests run them headless.  ``*_figure`` returns that figure instead of showing it, and
``static_*`` precomputes it over a grid of values for the page's kernel-free sliders (:mod:`wmlib._interactive`).
"""

from __future__ import annotations

import functools

import matplotlib.pyplot as plt
import numpy as np

__all__ = ["rnn_activity", "rnn_activity_figure", "static_rnn_activity"]


@functools.lru_cache(maxsize=8)
def _recording(task: str, seed: int, stsp: bool):
    from .pretrained import load_pretrained
    from .recording import record

    return record(load_pretrained(task, seed, stsp), task, n_trials=32, rng=2024)


def rnn_activity(task: str = "DMS", network: int = 0, trial: int = 0, show: str = "both", stsp: bool = True) -> None:
    """A shipped trained network (:func:`wmlib.rnn.load_pretrained`) on one of 32 fixed trials.

    ``network`` picks one of the task's shipped networks in order of seed (0 to 4 for five networks;
    the seeds differ between tasks, because networks below 90 % were replaced; the title gives the seed).  Draws
    activity h and/or synaptic efficacy u*x of all 100 neurons and the outputs
    (:func:`wmlib.rnn.plotting.plot_activity`).  ``stsp=False`` shows a DMS control network without
    short-term plasticity (only DMS has them).
    """
    rnn_activity_figure(task, network, trial, show, stsp)
    plt.show()


def rnn_activity_figure(task: str = "DMS", network: int = 0, trial: int = 0, show: str = "both", stsp: bool = True):
    """The figure of :func:`rnn_activity`, returned instead of shown."""
    from .._validation import Boolean, Interval, validate_params
    from .plotting import plot_activity
    from .pretrained import list_pretrained

    validate_params("rnn_activity", {"trial": trial, "stsp": stsp},
                    {"trial": Interval(0, 31, "both", integer=True), "stsp": Boolean()})
    if not isinstance(task, str):
        raise TypeError(f"The 'task' parameter of rnn_activity must be a str. Got {task!r} instead.")
    shipped = [e for e in list_pretrained() if e["stsp"] == bool(stsp)]
    seeds = sorted(e["seed"] for e in shipped if e["task"] == task)
    if not seeds:
        tasks = sorted({e["task"] for e in shipped})
        if stsp:
            raise ValueError(f"The 'task' parameter must be one of {tasks}. Got {task!r} instead.")
        raise ValueError(f"The 'stsp' parameter may be False only for task {' or '.join(map(repr, tasks))} "
                         f"(no {task!r} network without STSP is shipped).")
    if isinstance(network, bool) or not isinstance(network, (int, np.integer)) or not 0 <= network < len(seeds):
        raise ValueError(f"The 'network' parameter must be an int in [0, {len(seeds) - 1}] ({task} has "
                         f"{len(seeds)} shipped networks). Got {network!r} instead.")
    seed = seeds[int(network)]
    rec = _recording(task, seed, bool(stsp))
    fig = plot_activity(rec, int(trial), show=show)
    samples = np.ravel(rec.trial.info["sample"][trial])  # two for dualDMS, one per location
    shown = ", ".join(f"{45 * int(s)}°" for s in samples)
    fig.suptitle(f"{task} network seed {seed}{'' if stsp else ' (no STSP)'}, sample{'s' if samples.size > 1 else ''} "
                 f"{shown}", fontsize="medium")
    return fig


def static_rnn_activity():
    """:func:`rnn_activity` precomputed for the page: activity h of the first shipped network of every paper task,
    on the first of the 32 trials (one slider: the task)."""
    from .._interactive import precompute
    from .pretrained import list_pretrained
    from .tasks import PAPER_TASKS

    shipped = {e["task"] for e in list_pretrained() if e["stsp"]}
    tasks = [t for t in PAPER_TASKS if t in shipped]
    return precompute(lambda task: rnn_activity_figure(task, 0, 0, "h", True), {"task": tasks},
                      initial={"task": tasks[0]}, labels={"task": "task"},
                      alt="Activity h of all 100 neurons of a trained network over one trial of the chosen task, "
                          "grouped by type, with the network's outputs below.", dpi=64)
