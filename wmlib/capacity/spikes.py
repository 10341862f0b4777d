"""Population spikes (PS) of the cluster model: detection, intervals, which clusters are active, state at onset."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .._validation import Boolean, Interval, check_array, check_instance, check_scalar, validate_params
from .integrate import ClusterResult

__all__ = ["population_spikes", "inter_spike_intervals", "active_clusters", "SpikeOnsetState", "state_at_spikes"]

_POS = Interval(0.0, np.inf, "neither")

def population_spikes(t, rate, threshold: float = 20.0) -> list:
    """Times of the population spikes of one cluster: upward crossings of ``threshold`` (Hz) by ``rate``.

    ``rate`` may be (T,) or (T, ...): the result is then a nested list over the trailing axes.
    """
    t, rate, threshold = _check_trace("population_spikes", t, rate, threshold)
    return _crossings(t, rate, threshold)


def _check_trace(owner, t, rate, threshold, ndim=None):
    t = check_array(owner, "t", t, ndim=1)
    if np.any(np.diff(t) <= 0):
        raise ValueError(f"The 't' parameter of {owner} must be increasing (a time grid).")
    rate = check_array(owner, "rate", rate, Interval(0.0, np.inf, "left"), ndim=ndim)
    if rate.ndim == 0 or rate.shape[0] != t.shape[0]:
        raise ValueError(f"The 'rate' parameter of {owner} must have time on axis 0 with {t.shape[0]} samples "
                         f"(as 't'). Got shape {rate.shape} instead.")
    threshold = check_scalar(owner, "threshold", threshold, _POS)
    return t, rate, threshold


def _crossings(t, rate, threshold):
    if rate.ndim == 1:
        above = rate >= threshold
        up = np.flatnonzero(above[1:] & ~above[:-1]) + 1
        return list(t[up])
    return [_crossings(t, rate[:, i], threshold) for i in range(rate.shape[1])]


def inter_spike_intervals(t, rate, threshold: float = 20.0, pooled: bool = False):
    """Intervals between population spikes, from :func:`population_spikes`.

    For ``rate`` of shape (T, P): a list with, per cluster, the intervals between its own PS
    (its period, which must stay below about :func:`t_max` for the item to survive).  With
    ``pooled=True``: one array of the intervals between successive PS of *any* cluster (the
    spacing :math:`t_s` between turns).
    """
    t, rate, threshold = _check_trace("inter_spike_intervals", t, rate, threshold, ndim=2)
    validate_params("inter_spike_intervals", {"pooled": pooled}, {"pooled": Boolean()})
    spikes = _crossings(t, rate, threshold)
    if pooled:
        return np.diff(np.sort(np.concatenate([np.asarray(s, dtype=float) for s in spikes])))
    return [np.diff(np.asarray(s, dtype=float)) for s in spikes]


def active_clusters(result: ClusterResult, window: float = 1.0, threshold: float = 20.0, min_spikes: int = 1) -> np.ndarray:
    """Boolean (*batch, P): which clusters emit at least ``min_spikes`` PS in the last ``window`` s."""
    check_instance("active_clusters", "result", result, ClusterResult)
    validate_params("active_clusters", {"window": window, "threshold": threshold, "min_spikes": min_spikes},
                    {"window": Interval(0, float(result.t[-1] - result.t[0]), "right"), "threshold": _POS,
                     "min_spikes": Interval(1, np.inf, "left", integer=True)})
    t = result.t
    above = result.rate >= threshold
    up = above[1:] & ~above[:-1]
    late = t[1:] > t[-1] - window
    return up[late].sum(0) >= min_spikes


class SpikeOnsetState(NamedTuple):
    """Output of :func:`state_at_spikes`: mean synaptic state at the onset of population spikes, (*batch,) each."""

    u: np.ndarray  #: utilisation
    x: np.ndarray  #: available resources
    efficacy: np.ndarray  #: u x


def state_at_spikes(result: ClusterResult, after: float = 0.0, threshold: float = 20.0) -> SpikeOnsetState:
    """Synaptic state of a cluster when its population spikes start, averaged over the PS after ``after`` s.

    Returns a :class:`SpikeOnsetState` (``u``, ``x``, ``efficacy``), each of shape (*batch,); efficacy is
    :math:`u x`.  The efficacy a cluster has when its turn comes sets how strongly it excites
    itself into the next burst.  The theory's spacing :math:`t_s` assumes every turn starts like
    the first one; comparing these numbers across parameter sets shows when it does not.  NaN
    where no PS follows ``after``.  Record with a fine step (``record_every`` of a few steps) so
    the onset is sharp.
    """
    check_instance("state_at_spikes", "result", result, ClusterResult)
    validate_params("state_at_spikes", {"after": after, "threshold": threshold},
                    {"after": Interval(0, float(result.t[-1]), "left"), "threshold": _POS})
    above = result.rate >= threshold
    onset = (above[1:] & ~above[:-1]) & (result.t[1:] > after).reshape((-1,) + (1,) * (above.ndim - 1))
    n = onset.sum(axis=(0, -1))
    out = []
    for value in (result.u, result.x, result.efficacy):
        total = np.where(onset, value[1:], 0.0).sum(axis=(0, -1))
        out.append(np.where(n > 0, total / np.maximum(n, 1), np.nan))
    return SpikeOnsetState(*out)
