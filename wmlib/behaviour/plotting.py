"""Figures for behavioural measures (:mod:`wmlib.behaviour`)."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from .._plotting import check_mapping, make_axes
from .paradigms import ChangeDetectionResult, NBackSequence

__all__ = ["plot_change_detection", "plot_nback", "plot_trial_epochs"]


def plot_change_detection(results: Mapping[str, ChangeDetectionResult],
                          capacity: Mapping[str, float] | None = None, axes=None) -> Figure:
    """Hit and false-alarm rates, and Cowan's K, against set size.

    Parameters
    ----------
    results : mapping label -> ChangeDetectionResult
    capacity : mapping label -> float, optional
        True capacities of simulated observers (dotted lines on the K panel).
    axes : array of 2 Axes, optional
    """
    results = check_mapping("results", results, ChangeDetectionResult)
    fig, ax = make_axes(axes, 1, 2, (10, 3.6))
    left, right = ax[0]
    for k, (label, res) in enumerate(results.items()):
        color = f"C{k}"
        left.plot(res.set_sizes, res.hit_rate, "o-", color=color, label=f"hits, {label}")
        left.plot(res.set_sizes, res.false_alarm_rate, "s--", color=color, mfc="none", label=f"false alarms, {label}")
        right.plot(res.set_sizes, res.k_estimate, "o-", color=color, label=label)
        if capacity is not None and label in capacity:
            right.axhline(capacity[label], color=color, ls=":", lw=1)
    left.set(xlabel="set size N (items shown)", ylabel='P("changed")', ylim=(-0.02, 1.02))
    left.legend(fontsize=7)
    right.plot(results[next(iter(results))].set_sizes, results[next(iter(results))].set_sizes, color="0.7", lw=1, label="K = N")
    right.set(xlabel="set size N (items shown)", ylabel="Cowan's K = N (H - F)",
              title="dotted: true capacity" if capacity else None)
    right.legend(fontsize=8)
    return fig


def plot_nback(sequence: NBackSequence, responses=None, n_show: int = 24, axes=None) -> Figure:
    """An N-back stream: each stimulus as a letter, targets highlighted.

    Parameters
    ----------
    sequence : NBackSequence
    responses : bool array, optional
        "Target" answers; hits are ticked, false alarms crossed.
    n_show : int, default=24
        Number of positions drawn (>= 1).
    axes : Axes, optional
    """
    if not isinstance(sequence, NBackSequence):
        raise TypeError(f"The 'sequence' parameter must be an NBackSequence. Got {type(sequence).__name__} instead.")
    if int(n_show) < 1:
        raise ValueError(f"The 'n_show' parameter of plot_nback must be an int in the range [1, inf). Got {n_show!r} instead.")
    n_show = min(int(n_show), sequence.stimuli.size)
    fig, ax = make_axes(axes, 1, 1, (min(0.45 * n_show + 1, 14), 1.9))
    a = ax[0, 0]
    letters = "ABCDEFGHJKLMNPQRSTUVWXYZ"
    for i in range(n_show):
        target = bool(sequence.is_target[i])
        a.add_patch(Rectangle((i - 0.4, -0.4), 0.8, 0.8, color="gold" if target else "0.92"))
        a.text(i, 0, letters[sequence.stimuli[i] % len(letters)], ha="center", va="center", fontsize=12, family="monospace")
        if target:
            a.annotate("", xy=(i, 0.45), xytext=(i - sequence.n, 0.45),
                       arrowprops=dict(arrowstyle="->", color="tab:red", connectionstyle="arc3,rad=-0.4", lw=1))
        if responses is not None and responses[i]:
            a.text(i, -0.7, "✓" if target else "✗", ha="center", va="center", color="green" if target else "red")
    a.set(xlim=(-0.6, n_show - 0.4), ylim=(-1.0, 1.2), yticks=[], xlabel="position in the stream",
          title=f"{sequence.n}-back: gold = target (same as {sequence.n} steps back)")
    a.spines[["left", "right", "top"]].set_visible(False)
    return fig


def plot_trial_epochs(timing: Mapping[str, float], title: str | None = None, axes=None) -> Figure:
    """A trial's timeline: consecutive named epochs drawn as coloured blocks.

    Parameters
    ----------
    timing : mapping epoch name -> duration (s), in order
    title : str, optional
    axes : Axes, optional
    """
    timing = check_mapping("timing", timing)
    durations = np.asarray(list(timing.values()), dtype=float)
    if np.any(~np.isfinite(durations)) or np.any(durations <= 0):
        raise ValueError("The 'timing' parameter must map epoch names to durations > 0 (s).")
    fig, ax = make_axes(axes, 1, 1, (8, 1.5))
    a = ax[0, 0]
    start = 0.0
    for k, (name, dur) in enumerate(zip(timing, durations)):
        a.add_patch(Rectangle((start, 0), dur, 1, color=f"C{k}", alpha=0.35))
        a.text(start + dur / 2, 0.5, f"{name}\n{dur * 1000:.0f} ms", ha="center", va="center", fontsize=9)
        start += dur
    a.set(xlim=(0, start), ylim=(0, 1), yticks=[], xlabel="time in trial (s)", title=title)
    return fig
