"""Figures for behavioural measures (:mod:`wmlib.behaviour`)."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from .._plotting import check_mapping, check_numbers, make_axes
from .._validation import Interval, check_instance, check_scalar
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
    capacity = check_numbers("plot_change_detection", "capacity", capacity, Interval(0, np.inf, "left"))
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


def plot_nback(sequence: NBackSequence, responses=None, n_show: int = 24, ax=None) -> Figure:
    """An N-back stream: each stimulus as a letter, targets highlighted.

    Parameters
    ----------
    sequence : NBackSequence
    responses : bool array, optional
        "Target" answers; hits are ticked, false alarms crossed.
    n_show : int, default=24
        Number of positions drawn (>= 1).
    ax : Axes, optional
    """
    check_instance("plot_nback", "sequence", sequence, NBackSequence)
    n_show = check_scalar("plot_nback", "n_show", n_show, Interval(1, np.inf, "left", integer=True))
    if responses is not None:
        responses = np.asarray(responses)
        if responses.shape != sequence.stimuli.shape or responses.dtype != bool:
            raise ValueError(f"The 'responses' parameter of plot_nback must be a bool array of shape "
                             f"{sequence.stimuli.shape}. Got {responses.dtype} of shape {responses.shape} instead.")
    n_show = min(n_show, sequence.stimuli.size)
    fig, axs = make_axes(ax, 1, 1, (min(0.45 * n_show + 1, 14), 1.9), name="ax")
    a = axs[0, 0]
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
    marks = "; answers: ✓ hit, ✗ false alarm" if responses is not None else ""
    a.set(xlim=(-0.6, n_show - 0.4), ylim=(-1.0, 1.2), yticks=[], xlabel="position in the stream",
          title=f"{sequence.n}-back: gold = target (same as {sequence.n} steps back, red arrow){marks}")
    a.spines[["left", "right", "top"]].set_visible(False)
    return fig


def plot_trial_epochs(timing: Mapping[str, float], title: str | None = None, ax=None) -> Figure:
    """A trial's timeline: consecutive named epochs drawn as coloured blocks.

    Parameters
    ----------
    timing : mapping epoch name -> duration (s), in order
    title : str, optional
    ax : Axes, optional
    """
    timing = check_mapping("timing", timing)
    durations = [check_scalar("plot_trial_epochs", "timing", d, Interval(-np.inf, np.inf, "neither"))
                 for d in timing.values()]
    if min(durations) <= 0:
        raise ValueError(f"The 'timing' parameter of plot_trial_epochs must map epoch names to durations > 0 (s). "
                         f"Got {timing!r} instead.")
    durations = np.array(durations)
    if title is not None and not isinstance(title, str):
        raise TypeError(f"The 'title' parameter of plot_trial_epochs must be a str or None. Got {title!r} instead.")
    fig, axs = make_axes(ax, 1, 1, (8, 1.5), name="ax")
    a = axs[0, 0]
    start = 0.0
    for k, (name, dur) in enumerate(zip(timing, durations)):
        a.add_patch(Rectangle((start, 0), dur, 1, color=f"C{k}", alpha=0.35))
        a.text(start + dur / 2, 0.5, f"{name}\n{dur * 1000:.0f} ms", ha="center", va="center", fontsize=9)
        start += dur
    a.set(xlim=(0, start), ylim=(0, 1), yticks=[], xlabel="time in trial (s)", title=title)
    return fig
