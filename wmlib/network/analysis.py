"""What the spiking network's runs show: population spikes, their intervals, readout success and the regime.

A **population spike** (PS) is a brief synchronous burst of one selective population: its rate, smoothed over
``smooth`` s, rises above ``threshold`` Hz (spontaneous rates are around 1 Hz, a PS peaks near 100 Hz); a PS is
dated by its peak, and peaks closer than ``min_interval`` are one PS.  A cued population holds its item in one of
three **regimes** (Mongillo, Barak & Tsodyks 2008, Fig. 3):

* ``"silent"``: no spontaneous PS; the item is held only by the facilitated synapses (u stays elevated, decaying
  with tau_f) and a nonspecific readout can reactivate it;
* ``"periodic"``: the population emits PS on its own, at intervals bounded by
  :math:`T_{max} = \\tau_d \\ln[(\\tau_f/\\tau_d)/(1-U)]`; each PS refreshes u;
* ``"persistent"``: the population fires tonically (its smoothed rate is above ``floor`` most of the time), with u
  saturated and x depressed: classical persistent activity.

Every function takes a :class:`~wmlib.network.simulation.NetworkResult` and returns arrays.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np
from scipy.ndimage import uniform_filter1d

from .._validation import Interval, check_array, check_instance, validate_params
from .protocols import check_window
from .simulation import NetworkResult

__all__ = ["PopulationSpikes", "smoothed_rate", "population_spikes", "inter_ps_intervals", "alternation",
           "coincident_fraction", "readout_success", "classify_regime", "REGIMES"]

#: The regimes of :func:`classify_regime`, in the order of increasing background drive.
REGIMES = ("silent", "periodic", "persistent")

_POS = Interval(0.0, np.inf, "neither")


def smoothed_rate(result: NetworkResult, smooth: float = 0.01) -> np.ndarray:
    """(R, n_trials, groups) population rates averaged over a centred window of ``smooth`` s (at least one record)."""
    check_instance("smoothed_rate", "result", result, NetworkResult)
    validate_params("smoothed_rate", {"smooth": smooth}, {"smooth": Interval(0.0, result.duration, "right")})
    width = max(1, int(round(smooth / result.dt_record)))
    return uniform_filter1d(result.rate, size=width, axis=0, mode="nearest")


class PopulationSpikes(NamedTuple):
    """Every population spike of a run, as flat arrays sorted by trial, then time (then population)."""

    time: np.ndarray  #: (n,) s, time of the peak
    trial: np.ndarray  #: (n,) int
    population: np.ndarray  #: (n,) int
    peak: np.ndarray  #: (n,) smoothed rate at the peak, Hz
    n_trials: int  #: trials of the run
    n_pop: int  #: selective populations of the network

    def count(self, start: float = 0.0, stop: float = math.inf) -> np.ndarray:
        """(n_trials, n_pop) number of PS with ``start <= time < stop``."""
        sel = (self.time >= start) & (self.time < stop)
        out = np.zeros((self.n_trials, self.n_pop), dtype=np.int64)
        np.add.at(out, (self.trial[sel], self.population[sel]), 1)
        return out

    def times(self, trial: int, population: int) -> np.ndarray:
        """Times of the PS of one population in one trial."""
        return self.time[(self.trial == trial) & (self.population == population)]


def population_spikes(result: NetworkResult, threshold: float = 40.0, smooth: float = 0.01,
                      min_interval: float = 0.05) -> PopulationSpikes:
    """Detect the population spikes of every selective population (see the module docstring)."""
    check_instance("population_spikes", "result", result, NetworkResult)
    validate_params("population_spikes", {"threshold": threshold, "min_interval": min_interval},
                    {"threshold": _POS, "min_interval": Interval(0.0, np.inf, "left")})
    n_pop = result.params.n_pop
    rate = smoothed_rate(result, smooth)[:, :, :n_pop]  # (R, T, P)
    above = rate > threshold
    out = {"time": [], "trial": [], "population": [], "peak": []}
    for trial in range(rate.shape[1]):
        for pop in range(n_pop):
            r, a = rate[:, trial, pop], above[:, trial, pop]
            if not a.any():
                continue
            edges = np.diff(np.concatenate([[0], a.astype(np.int8), [0]]))
            starts, stops = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)  # runs above threshold
            peaks = [s + int(np.argmax(r[s:e])) for s, e in zip(starts, stops)]
            kept = []
            for k in peaks:  # runs closer than min_interval are one PS (keep the higher peak)
                if kept and result.t[k] - result.t[kept[-1]] < min_interval:
                    if r[k] > r[kept[-1]]:
                        kept[-1] = k
                    continue
                kept.append(k)
            out["time"].append(result.t[kept])
            out["peak"].append(r[kept])
            out["trial"].append(np.full(len(kept), trial))
            out["population"].append(np.full(len(kept), pop))
    if not out["time"]:
        return PopulationSpikes(np.zeros(0), np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64), np.zeros(0),
                                result.n_trials, n_pop)
    time, trial = np.concatenate(out["time"]), np.concatenate(out["trial"]).astype(np.int64)
    population, peak = np.concatenate(out["population"]).astype(np.int64), np.concatenate(out["peak"])
    order = np.lexsort((population, time, trial))
    return PopulationSpikes(time[order], trial[order], population[order], peak[order], result.n_trials, n_pop)


def inter_ps_intervals(ps: PopulationSpikes, population: int, start: float = 0.0, stop: float = math.inf) -> np.ndarray:
    """All intervals between successive PS of ``population`` within [start, stop), pooled over trials."""
    check_instance("inter_ps_intervals", "ps", ps, PopulationSpikes)
    start, stop = check_window("inter_ps_intervals", start, stop)
    validate_params("inter_ps_intervals", {"population": population},
                    {"population": Interval(0, ps.n_pop - 1, "both", integer=True)})
    out = []
    for trial in range(ps.n_trials):
        t = ps.times(trial, population)
        t = t[(t >= start) & (t < stop)]
        out.append(np.diff(t))
    return np.concatenate(out) if out else np.zeros(0)


def alternation(ps: PopulationSpikes, populations, start: float = 0.0, stop: float = math.inf) -> np.ndarray:
    """(n_trials,) fraction of successive PS (among ``populations``, within [start, stop)) that change population.

    Items held together fire in turn (Mongillo et al. 2008, Fig. 4): with two items the sequence of PS alternates,
    0 1 0 1 ..., and the fraction is near 1; one item firing alone gives 0.  NaN for a trial with fewer than two PS.
    """
    check_instance("alternation", "ps", ps, PopulationSpikes)
    start, stop = check_window("alternation", start, stop)
    pops = np.unique(check_array("alternation", "populations", populations,
                                 Interval(0, ps.n_pop - 1, "both", integer=True), ndim=1))
    out = np.full(ps.n_trials, np.nan)
    for trial in range(ps.n_trials):
        sel = (ps.trial == trial) & np.isin(ps.population, pops) & (ps.time >= start) & (ps.time < stop)
        seq = ps.population[sel]  # in time order
        if seq.size >= 2:
            out[trial] = np.mean(seq[1:] != seq[:-1])
    return out


def coincident_fraction(ps: PopulationSpikes, population: int, partner: int, tolerance: float = 0.03,
                        start: float = 0.0, stop: float = math.inf) -> np.ndarray:
    """(n_trials,) fraction of ``population``'s PS in [start, stop) that lie within ``tolerance`` s of a PS of
    ``partner``: near 0 for items that take turns, near 1 for items that have merged and burst together.  NaN for a
    trial in which ``population`` emits no PS in the window."""
    owner = "coincident_fraction"
    check_instance(owner, "ps", ps, PopulationSpikes)
    start, stop = check_window(owner, start, stop)
    pop = Interval(0, ps.n_pop - 1, "both", integer=True)
    validate_params(owner, {"population": population, "partner": partner, "tolerance": tolerance},
                    {"population": pop, "partner": pop, "tolerance": Interval(0.0, 1.0, "right")})
    if population == partner:
        raise ValueError(f"The 'partner' parameter of {owner} must differ from 'population'. Got {partner!r} for both.")
    out = np.full(ps.n_trials, np.nan)
    for trial in range(ps.n_trials):
        own, other = ps.times(trial, population), ps.times(trial, partner)
        own = own[(own >= start) & (own < stop)]
        if not own.size:
            continue
        if not other.size:
            out[trial] = 0.0
            continue
        nearest = np.searchsorted(other, own)
        gap = np.minimum(np.abs(own - other[np.clip(nearest - 1, 0, other.size - 1)]),
                         np.abs(other[np.clip(nearest, 0, other.size - 1)] - own))
        out[trial] = float(np.mean(gap <= tolerance))
    return out


def readout_success(result: NetworkResult, onset: float, duration: float = 0.25, threshold: float = 40.0,
                    smooth: float = 0.01) -> np.ndarray:
    """(n_trials, n_pop) whether each population emits a PS during a readout (from ``onset`` to 50 ms after it ends)."""
    check_instance("readout_success", "result", result, NetworkResult)
    validate_params("readout_success", {"onset": onset, "duration": duration},
                    {"onset": Interval(0.0, result.duration, "left"), "duration": _POS})
    ps = population_spikes(result, threshold, smooth)
    return ps.count(onset, onset + duration + 0.05) > 0


def classify_regime(result: NetworkResult, start: float, stop: float, population: int = 0, floor: float = 5.0,
                    active_fraction: float = 0.5, threshold: float = 40.0, smooth: float = 0.02) -> np.ndarray:
    """(n_trials,) regime of ``population`` between ``start`` and ``stop`` s: one of :data:`REGIMES`.

    ``"persistent"`` if its smoothed rate exceeds ``floor`` Hz during more than ``active_fraction`` of the window;
    else ``"periodic"`` if it emits at least two PS in the window; else ``"silent"``.
    """
    check_instance("classify_regime", "result", result, NetworkResult)
    validate_params("classify_regime", {"start": start, "stop": stop, "population": population, "floor": floor,
                                        "active_fraction": active_fraction},
                    {"start": Interval(0.0, result.duration, "left"), "stop": Interval(start, result.duration, "right"),
                     "population": Interval(0, result.params.n_pop - 1, "both", integer=True), "floor": _POS,
                     "active_fraction": Interval(0.0, 1.0, "neither")})
    if stop <= start:
        raise ValueError(f"The 'stop' parameter of classify_regime must be a float in the range ({start:g}, "
                         f"{result.duration:g}]. Got {stop!r} instead.")
    window = (result.t >= start) & (result.t < stop)
    rate = smoothed_rate(result, smooth)[window, :, population]
    active = (rate > floor).mean(axis=0)
    n_ps = population_spikes(result, threshold).count(start, stop)[:, population]
    return np.where(active > active_fraction, "persistent", np.where(n_ps >= 2, "periodic", "silent"))
