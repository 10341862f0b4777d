"""Experiments made of many runs: the phase diagram over the background drive, and capacity by overload.

Each function runs :func:`~wmlib.network.simulate` (batched trials) and returns a NamedTuple of arrays; the chapter
and the tests call them, and the figures plot what they return.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .._validation import Boolean, Interval, check_array, check_instance, check_random_state, validate_params
from ..capacity.theory import t_max
from .analysis import REGIMES, classify_regime, population_spikes
from .connectivity import Connectivity
from .params import NetworkParams
from .protocols import load_item
from .simulation import _check_network, simulate

__all__ = ["PhaseDiagram", "phase_diagram", "Capacity", "capacity_by_overload"]


class PhaseDiagram(NamedTuple):
    """Regime of the cued population after one item is loaded, for every background drive and trial."""

    mu_exc: np.ndarray  #: (n_mu,) background drive of the excitatory neurons, mV
    regime: np.ndarray  #: (n_mu, n_trials) one of :data:`~wmlib.network.analysis.REGIMES`
    fraction: np.ndarray  #: (n_mu, 3) fraction of trials in each regime, in the order of ``REGIMES``
    spurious: np.ndarray  #: (n_mu,) fraction of trials in which an uncued population is not silent
    rate: np.ndarray  #: (n_mu,) mean rate of the cued population over the window, Hz


def phase_diagram(params: NetworkParams, mu_exc, n_trials: int = 8, duration: float = 4.0, onset: float = 1.0,
                  window: float = 2.5, network: Connectivity | int = 0, rng=0, n_jobs: int | None = None,
                  progress: bool = False) -> PhaseDiagram:
    """Load item 0 at ``onset`` and classify its population over the last ``window`` s, for every drive in ``mu_exc``.

    One batch of ``n_trials`` trials per drive, on the same network; ``rng`` seeds the first batch and the others
    follow from it.
    """
    owner = "phase_diagram"
    check_instance(owner, "params", params, NetworkParams)
    mus = check_array(owner, "mu_exc", mu_exc, Interval(0.0, 200.0, "neither"), ndim=1)
    validate_params(owner, {"n_trials": n_trials, "duration": duration, "progress": progress},
                    {"n_trials": Interval(1, 10**4, "both", integer=True), "duration": Interval(0.0, 1000.0, "neither"),
                     "progress": Boolean()})
    validate_params(owner, {"onset": onset}, {"onset": Interval(0.0, duration, "left")})
    validate_params(owner, {"window": window}, {"window": Interval(0.0, duration - onset, "right")})
    network = _check_network(network, params, owner)
    seeds = check_random_state(rng, "rng", owner).integers(2**63, size=mus.size)
    regime, spurious, rate = [], [], []
    start = duration - window
    from tqdm.auto import tqdm

    for mu, seed in tqdm(list(zip(mus, seeds)), desc=owner, disable=not progress):
        r = simulate(params.replace(mu_exc=float(mu)), load_item(0, onset), duration, n_trials, rng=int(seed),
                     network=network, n_jobs=n_jobs)
        regime.append(classify_regime(r, start, duration, 0))
        others = np.array([classify_regime(r, start, duration, k) for k in range(1, params.n_pop)])
        spurious.append(float(np.mean((others != "silent").any(axis=0))) if others.size else 0.0)
        rate.append(float(r.rate[r.t >= start, :, 0].mean()))
    regime = np.array(regime)
    fraction = np.stack([(regime == name).mean(axis=1) for name in REGIMES], axis=1)
    return PhaseDiagram(mus, regime, fraction, np.array(spurious), np.array(rate))


class Capacity(NamedTuple):
    """Items kept after every population was loaded, and the spacing of the population spikes that keep them."""

    held: np.ndarray  #: (n_trials,) populations still emitting PS at the end
    spacing: np.ndarray  #: (n_trials,) median time between successive PS of any population at the end, s
    t_max: float  #: the longest interval a facilitated population survives, s
    predicted: np.ndarray  #: (n_trials,) T_max / spacing, the capacity N_C of Mi et al. (2017)


def capacity_by_overload(params: NetworkParams, gap: float = 0.3, n_trials: int = 6, settle: float = 3.0,
                         window: float = 2.0, min_spikes: int = 3, network: Connectivity | int = 0, rng=0,
                         n_jobs: int | None = None) -> Capacity:
    """Load all ``params.n_pop`` populations one after another (every ``gap`` s from 1 s) and count those still held.

    A population is held if it emits at least ``min_spikes`` PS in the last ``window`` s of the run, which ends
    ``settle`` s after the last load ends.  Beside the count, the spacing :math:`t_s` of successive PS (of any
    population) in that window gives the capacity :math:`N_C \\approx T_{max}/t_s` that Mi, Katkov & Tsodyks (2017)
    derive for the cluster model, here measured on the spiking network.
    """
    owner = "capacity_by_overload"
    check_instance(owner, "params", params, NetworkParams)
    validate_params(owner, {"gap": gap, "n_trials": n_trials, "settle": settle, "window": window,
                            "min_spikes": min_spikes},
                    {"gap": Interval(0.0, 10.0, "neither"), "n_trials": Interval(1, 10**4, "both", integer=True),
                     "settle": Interval(0.0, 100.0, "neither"), "window": Interval(0.0, settle, "right"),
                     "min_spikes": Interval(1, 1000, "both", integer=True)})
    protocol = load_item(0, 1.0)
    for k in range(1, params.n_pop):
        protocol = protocol + load_item(k, 1.0 + gap * k)
    end = 1.0 + gap * (params.n_pop - 1) + protocol.stimuli[-1].duration
    duration = end + settle
    r = simulate(params, protocol, duration, n_trials, rng=rng, network=network, n_jobs=n_jobs)
    ps = population_spikes(r)
    held = (ps.count(duration - window, duration) >= min_spikes).sum(axis=1)
    spacing = np.full(n_trials, np.nan)
    for trial in range(n_trials):
        t = ps.time[(ps.trial == trial) & (ps.time >= duration - window)]  # time order
        if t.size >= 3:
            spacing[trial] = np.median(np.diff(t))
    limit = float(t_max(params.tau_f, params.tau_d, params.U))
    return Capacity(held, spacing, limit, limit / spacing)
