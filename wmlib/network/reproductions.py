"""Published results of the synaptic theory of working memory (Mongillo, Barak & Tsodyks 2008) that the network
chapter reproduces (rows of :mod:`wmlib.reproductions`, found by discovery).

Each row is computed from the shipped runs of the full network (:mod:`.precomputed`; regenerated bit for bit by
``python -m wmlib.network.precomputed``); the behaviour tests check the same claims on the scaled network live.
"""

from __future__ import annotations

import numpy as np

from ..reproductions import Outcome, register

_CHAPTER = "network.ipynb"


@register(
    key="mbt-silent-readout",
    chapter=_CHAPTER,
    source="Mongillo2008",
    claim="Activity-silent memory: after a cue the cued population returns to spontaneous firing with no population "
    "spike, and a nonspecific readout 1 s after the cue evokes a population spike in the cued population only "
    "(full network, 4 trials).",
    paper="population spike in the cued population only",
    tolerance="no population spike in the delay; the cued population answers in every trial, no other in any",
)
def _silent_readout():
    from . import analysis, precomputed

    run = precomputed.load("regimes")["silent"]
    readout_at = precomputed.CUE_END + 1.0
    answers = analysis.readout_success(run, readout_at)
    in_delay = int(analysis.population_spikes(run).count(precomputed.CUE_END + 0.1, readout_at).sum())
    ok = in_delay == 0 and bool(answers[:, 0].all()) and not answers[:, 1:].any()
    return Outcome(float(answers[:, 0].mean()), f"cued {int(answers[:, 0].sum())}/{run.n_trials}, uncued "
                   f"{int(answers[:, 1:].sum())}, {in_delay} spikes in the delay", ok)


@register(
    key="mbt-tau-f-decay",
    chapter=_CHAPTER,
    source="Mongillo2008",
    claim="During a silent delay the cued population's utilisation u decays back to U with the facilitation time "
    "constant (exponential fit to the population mean, full network, 8 trials).",
    paper="$\\tau_f$ = 1.5 s",
    tolerance="fitted time constant within 20 %",
)
def _tau_f_decay():
    from ..analysis import fit_exponential_decay
    from . import precomputed
    from .params import NetworkParams

    p = NetworkParams()
    curve = precomputed.load("delay")
    tau = fit_exponential_decay(curve["t"], curve["u_cued"], baseline=p.U).tau
    return Outcome(tau, f"{tau:.2f} s", abs(tau - p.tau_f) / p.tau_f < 0.2)


@register(
    key="mbt-ps-below-tmax",
    chapter=_CHAPTER,
    source="Mongillo2008",
    claim="At a higher background the cued population emits population spikes on its own, at intervals below "
    "$T_{max} = \\tau_d\\ln[(\\tau_f/\\tau_d)/(1-U)]$; lowering the background stops them (full network, 4 trials).",
    paper="intervals below $T_{max}$ = 0.45 s",
    tolerance="at least 90 % of the intervals below $T_{max}$, no population spike after the drop",
)
def _ps_below_tmax():
    from ..capacity import t_max
    from . import analysis, precomputed

    run = precomputed.load("regimes")["periodic"]
    p = run.params
    ps = analysis.population_spikes(run)
    intervals = analysis.inter_ps_intervals(ps, 0, start=precomputed.CUE_END, stop=3.5)
    limit = float(t_max(p.tau_f, p.tau_d, p.U))
    share = float(np.mean(intervals < limit))
    after = int(ps.count(3.6, run.duration)[:, 0].sum())
    return Outcome(share, f"{100 * share:.0f} % of {intervals.size} below {limit:.2f} s (median "
                   f"{np.median(intervals):.2f} s); {after} after the drop", share >= 0.9 and after == 0)


@register(
    key="mbt-phase-order",
    chapter=_CHAPTER,
    source="Mongillo2008",
    claim="As the background drive rises, one loaded item is held silently, then by periodic population spikes, "
    "then by persistent activity (phase diagram of the full network, 8 trials per drive).",
    paper="silent, periodic, persistent, in this order",
    tolerance="the drives where each regime holds at least half of the trials form three bands in this order",
)
def _phase_order():
    from . import analysis, precomputed

    d = precomputed.load("phase")
    bands = [d.mu_exc[d.fraction[:, k] >= 0.5] for k in range(len(analysis.REGIMES))]
    ok = all(b.size for b in bands) and bands[0].max() < bands[1].min() and bands[1].max() < bands[2].min()
    text = ", ".join(f"{name} {b.min():g}-{b.max():g} mV" if b.size else f"{name} none"
                     for name, b in zip(analysis.REGIMES, bands))
    return Outcome(float(ok), text, bool(ok))


@register(
    key="mbt-capacity-tmax-ts",
    chapter=_CHAPTER,
    source="Mi2017",
    claim="Eight items loaded into a spiking network with eight populations: the number still held matches "
    "$T_{max}/t_s$ with the spacing $t_s$ of its population spikes measured (full network, 8 trials).",
    paper="$N_C \\approx T_{max}/t_s$",
    tolerance="mean items held within 1 of the mean $T_{max}/t_s$",
)
def _capacity():
    from . import precomputed

    c = precomputed.load("capacity")
    held, predicted = float(c.held.mean()), float(np.nanmean(c.predicted))
    return Outcome(held, f"{held:.1f} held, $T_{{max}}/t_s$ = {predicted:.1f}", abs(held - predicted) < 1.0)
