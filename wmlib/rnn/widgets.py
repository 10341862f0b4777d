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

__all__ = ["rnn_activity", "rnn_activity_figure", "static_rnn_activity", "metrics_explorer", "metrics_explorer_figure",
           "static_metrics_explorer"]


@functools.lru_cache(maxsize=8)
def _recording(task: str, seed: int, stsp: bool):
    from .pretrained import load_pretrained
    from .recording import record

    return record(load_pretrained(task, seed, stsp), task, n_trials=32, rng=2024)


def rnn_activity(task: str = "DMS", network: int = 0, trial: int = 0, show: str = "both", stsp: bool = True) -> None:
    """A shipped trained network (:func:`wmlib.rnn.load_pretrained`) on one of 32 fixed trials.

    ``network`` picks one of the task's shipped networks in order of seed (0 to n - 1 for n networks;
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


#: Time points of the metrics explorer (s from trial start) and its tasks in the page's precomputed figure.
EXPLORER_TIMES = (0.75, 1.25, 1.95)
EXPLORER_TASKS = ("DMS", "DMRS90", "ABBA")


@functools.lru_cache(maxsize=8)
def _explored(task: str, seed: int):
    from .pretrained import load_pretrained
    from .recording import record
    from .tasks import N_DIRECTIONS

    rec = record(load_pretrained(task, seed), task, n_trials=256, rng=2024, test_mode=True)
    return rec, rec.trial.info["sample"] * (2 * np.pi / N_DIRECTIONS)


def metrics_explorer_figure(task: str = "DMS", network: int = 0, time: float = 1.95):
    """The figure of :func:`metrics_explorer`, returned instead of shown."""
    from .._validation import Interval, Options, validate_params
    from ..analysis.tuning import direction_tuning
    from .plotting import _epoch_lines
    from .pretrained import list_pretrained
    from .shipped_analyses import shipped_network_analysis
    from .tasks import DT_MS

    tasks = sorted({e["task"] for e in list_pretrained() if e["stsp"]})
    validate_params("metrics_explorer", {"task": task}, {"task": Options(tuple(tasks))})
    seeds = sorted(e["seed"] for e in list_pretrained() if e["stsp"] and e["task"] == task)
    if isinstance(network, bool) or not isinstance(network, (int, np.integer)) or not 0 <= network < len(seeds):
        raise ValueError(f"The 'network' parameter of metrics_explorer must be an int in [0, {len(seeds) - 1}] ({task} "
                         f"has {len(seeds)} shipped networks). Got {network!r} instead.")
    seed = seeds[int(network)]
    rec, theta = _explored(task, seed)
    trial = rec.trial
    duration = trial.n_steps * DT_MS / 1000.0
    validate_params("metrics_explorer", {"time": time}, {"time": Interval(0, duration - DT_MS / 1000.0, "both")})
    step = int(round(time * 1000.0 / DT_MS))
    neural, synaptic = (direction_tuning(z[step:step + 1], theta) for z in (rec.h, rec.efficacy))
    curve = shipped_network_analysis(task, seed)["curve"]
    t = np.asarray(curve["steps"]) * DT_MS / 1000.0
    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 3.4), gridspec_kw={"width_ratios": [1.6, 1]})
    fig.subplots_adjust(left=0.07, right=0.98, bottom=0.15, top=0.91, wspace=0.22)  # fixed: frames draw fast
    left.plot(t, curve["h"], color="tab:red", lw=1.8, label="from activity h")
    left.plot(t, curve["efficacy"], color="tab:blue", lw=1.8, label="from efficacy u·x")
    left.axhline(1 / 8, color="gray", ls="--", lw=1, label="chance")
    left.axvline(time, color="k", lw=1.2)
    _epoch_lines(left, trial.epochs, DT_MS / 1000.0)
    left.set(xlabel="time (s)", ylabel="sample decoding", ylim=(0, 1.3), yticks=np.linspace(0, 1, 6),
             title=f"{task} network seed {seed}")
    left.legend(frameon=False, fontsize="small", loc="upper center", ncol=3)  # above the curves
    for tun, colour, name in ((neural, "tab:red", "h"), (synaptic, "tab:blue", "u·x")):
        right.scatter(np.degrees(tun.preferred[0]), tun.pev[0], s=12, color=colour, alpha=0.7,
                      label=f"{name}: mean PEV {tun.pev[0].mean():.2f}")
    right.set(xlabel="preferred sample direction (deg)", ylabel="explained variance (PEV)", xlim=(-185, 185),
              ylim=(-0.02, 1.02), xticks=[-180, -90, 0, 90, 180], title=f"tuning of the 100 units at {time:.2f} s")
    right.legend(frameon=False, fontsize="small", loc="upper left")
    return fig


def metrics_explorer(task: str = "DMS", network: int = 0, time: float = 1.95) -> None:
    """A shipped network's sample decoding over the trial (from its shipped analysis) and, at ``time`` (s), the
    direction tuning of each of its units: preferred direction and percent explained variance, from activity and
    from synaptic efficacy (256 test-mode trials).  ``network`` picks one of the task's shipped networks in order of
    seed (the title gives the seed)."""
    metrics_explorer_figure(task, network, time)
    plt.show()


def static_metrics_explorer():
    """:func:`metrics_explorer` precomputed for the page: three tasks, their first two networks and three times."""
    from .._interactive import precompute

    return precompute(lambda task, network, time: metrics_explorer_figure(task, network, time),
                      {"task": list(EXPLORER_TASKS), "network": [0, 1], "time": list(EXPLORER_TIMES)},
                      initial={"task": "DMS", "network": 0, "time": 1.95},
                      labels={"task": "task", "network": "network", "time": "time (s)"},
                      alt="Left: sample decoding over one trial from activity and from synaptic efficacy for a "
                          "trained network, with a line at the chosen time. Right: preferred direction and explained "
                          "variance of each of its 100 units at that time.", dpi=64)
