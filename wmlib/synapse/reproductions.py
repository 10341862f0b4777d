"""Published results on the dynamic synapse (Tsodyks, Pawelzik & Markram 1998; Tsodyks & Wu 2013;
Mongillo, Barak & Tsodyks 2008) that the synapse chapter reproduces
(rows of :mod:`wmlib.reproductions`, found by discovery)."""

from __future__ import annotations

import numpy as np

from ..reproductions import Outcome, register


@register(
    key="tm-steady-state",
    chapter="synapse.ipynb",
    source="Tsodyks1998",
    claim="Release per spike of a long regular train converges to the closed-form steady state "
    "(5, 20, 50 Hz; both conventions for the resting $u$; three parameter sets).",
    paper="closed form (exact)",
    tolerance="max. error <= 1e-6",
)
def _steady_state():
    from . import model as syn

    worst = 0.0
    rates = np.array([5.0, 20.0, 50.0])
    for base in (syn.FACILITATING, syn.DEPRESSING, syn.MBT08):
        for conv in ("U", "zero"):
            p = base.replace(u_rest=conv)
            res = syn.simulate_spikes(syn.regular_train(rates, 400), p)
            ss = syn.steady_state_regular(rates, p)
            worst = max(worst, float(np.max(np.abs(res.release[-1] - ss.release))),
                        float(np.max(np.abs(res.u_minus[-1] - ss.u_minus))),
                        float(np.max(np.abs(res.x_minus[-1] - ss.x_minus))))
    return Outcome(worst, f"max error {worst:.1e}", worst <= 1e-6)


@register(
    key="tm-limiting-frequency",
    chapter="synapse.ipynb",
    source="Tsodyks1998",
    claim="At high input rates the transmitted rate $u^+x^- f$ of a depressing synapse saturates at $1/\\tau_d$ "
    "(depression-dominated set, $\\tau_d$ = 0.75 s, at 500 Hz).",
    paper="$1/\\tau_d$ = 1.333 /s",
    tolerance="within 5 %",
)
def _limiting_frequency():
    from . import model as syn

    p = syn.DEPRESSING
    rate = 500.0
    res = syn.simulate_spikes(syn.regular_train(rate, 4000), p)
    transmitted = float(res.release[-1] * rate)
    target = 1.0 / float(p.tau_d)
    return Outcome(transmitted, f"{transmitted:.3f} /s", abs(transmitted / target - 1) <= 0.05)


@register(
    key="tm-paired-pulse",
    chapter="synapse.ipynb",
    source="TsodyksWu2013",
    claim="Paired-pulse ratio (50 ms interval) is above 1 for the facilitation-dominated set "
    "($U$ 0.15, $\\tau_f$ 750 ms, $\\tau_d$ 50 ms) and below 1 for the depression-dominated set "
    "($U$ 0.45, $\\tau_f$ 50 ms, $\\tau_d$ 750 ms); $u$ rests at $U$, the book's convention.",
    paper="facilitation > 1, depression < 1",
    tolerance="signs as stated",
)
def _paired_pulse():
    from . import model as syn

    fac = float(syn.paired_pulse_ratio(syn.FACILITATING))  # the book's convention, as in the chapter
    dep = float(syn.paired_pulse_ratio(syn.DEPRESSING))
    return Outcome(fac, f"{fac:.2f} and {dep:.2f}", fac > 1.0 > dep)


@register(
    key="mbt08-facilitation-memory",
    chapter="synapse.ipynb",
    source="Mongillo2008",
    claim="After a 10-spike 50 Hz burst, the extra release of a probe spike decays with the facilitation "
    "time constant (fit of probe release vs silent delay, 1-8 s).",
    paper="$\\tau_f$ = 1.5 s",
    tolerance="within 5 %",
)
def _facilitation_memory():
    from ..analysis import fit_exponential_decay
    from . import model as syn

    delays = np.linspace(1.0, 8.0, 36)
    probe = syn.probe_after_burst(syn.MBT08, delays)
    fit = fit_exponential_decay(delays, probe.release, baseline=float(probe.rest_release[0]))
    return Outcome(fit.tau, f"{fit.tau:.3f} s", abs(fit.tau / float(syn.MBT08.tau_f) - 1) <= 0.05)


@register(
    key="tm-mean-field",
    chapter="synapse.ipynb",
    source="Tsodyks1998",
    claim="The mean-field (rate) equations approximate the average release of Poisson spike trains "
    "at 10 Hz and above (Mongillo et al. 2008 parameters, 10 Hz shown).",
    paper="approximation, good at high rates",
    tolerance="relative error <= 10 % at 10 Hz",
)
def _mean_field():
    from . import model as syn

    mc = syn.poisson_mean_release(10.0, syn.MBT08, duration=60.0, rng=0, n_trains=40)  # the chapter's run at 10 Hz
    mf = float(syn.mean_field_fixed_point(10.0, syn.MBT08).efficacy)
    err = abs(mf / mc - 1)
    return Outcome(err, f"{mc:.3f} (Monte Carlo) vs {mf:.3f}: {100 * err:.1f} %", err <= 0.10)


