"""The published results the book reproduces, computed from the code.

Each :class:`Reproduction` names a claim from a paper, the paper's value, a
function computing our value with :mod:`wmlib`, and the check that decides
whether they agree.  The same registry feeds

* the tests (``tests/test_reproductions.py`` runs :meth:`Reproduction.run`
  for every entry, one test per key), and
* the book's "Reproductions" appendix (:func:`table`), so that no number on
  that page is typed by hand.

A chapter adds its rows by decorating a function with :func:`register`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, NamedTuple

import numpy as np

__all__ = ["Reproduction", "Outcome", "register", "REGISTRY", "get", "table"]


class Outcome(NamedTuple):
    """What a reproduction computed."""

    ours: float  #: our number
    ours_text: str  #: our number as shown in the table
    passed: bool  #: whether it agrees with the paper within the stated tolerance


@dataclass(frozen=True)
class Reproduction:
    """One reproduced result.

    Attributes
    ----------
    key : str
        Stable identifier; also the pytest id (``test_reproduction[key]``).
    chapter : str
        Notebook (in ``chapters/``) where the result is discussed.
    source : str
        Bibtex key of the paper in ``references.bib``.
    claim : str
        The result, in words.
    paper : str
        The paper's value or statement.
    tolerance : str
        What counts as agreement, in words.
    compute : callable
        Returns an :class:`Outcome`.
    """

    key: str
    chapter: str
    source: str
    claim: str
    paper: str
    tolerance: str
    compute: Callable[[], Outcome]

    @property
    def test_id(self) -> str:
        return f"tests/test_reproductions.py::test_reproduction[{self.key}]"

    def run(self) -> Outcome:
        return self.compute()


REGISTRY: dict[str, Reproduction] = {}


def register(key, chapter, source, claim, paper, tolerance):
    """Decorator adding ``compute`` to :data:`REGISTRY` under ``key``."""

    def wrap(compute):
        if key in REGISTRY:
            raise ValueError(f"Reproduction key {key!r} is registered twice.")
        REGISTRY[key] = Reproduction(key, chapter, source, claim, paper, tolerance, compute)
        return compute

    return wrap


def get(key: str) -> Reproduction:
    """The reproduction registered under ``key``."""
    try:
        return REGISTRY[key]
    except KeyError:
        raise ValueError(f"The 'key' parameter must be one of {sorted(REGISTRY)}. Got {key!r} instead.") from None


def table(run: bool = True):
    """All reproductions as a list of row dicts (runs each ``compute`` if ``run``).

    Keys of each row: ``key, chapter, source, claim, paper, ours, agrees,
    tolerance, test``.
    """
    rows = []
    for rep in REGISTRY.values():
        out = rep.run() if run else None
        rows.append(
            {
                "key": rep.key,
                "chapter": rep.chapter,
                "source": rep.source,
                "claim": rep.claim,
                "paper": rep.paper,
                "ours": out.ours_text if out else "",
                "agrees": ("yes" if out.passed else "NO") if out else "",
                "tolerance": rep.tolerance,
                "test": rep.test_id,
            }
        )
    return rows


# ----------------------------------------------------------------------------
# Chapter 1: the dynamic synapse
# ----------------------------------------------------------------------------
@register(
    "tm-steady-state",
    "synapse.ipynb",
    "Tsodyks1998",
    "Release per spike of a long regular train converges to the closed-form steady state "
    "(5, 20, 50 Hz; both conventions for the resting $u$; three parameter sets).",
    "closed form (exact)",
    "max. error <= 1e-6",
)
def _steady_state():
    from . import synapse as syn

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
    "tm-limiting-frequency",
    "synapse.ipynb",
    "Tsodyks1998",
    "At high input rates the transmitted rate $u^+x^- f$ of a depressing synapse saturates at $1/\\tau_d$ "
    "(depression-dominated set, $\\tau_d$ = 0.75 s, at 500 Hz).",
    "$1/\\tau_d$ = 1.333 /s",
    "within 5 %",
)
def _limiting_frequency():
    from . import synapse as syn

    p = syn.DEPRESSING
    rate = 500.0
    res = syn.simulate_spikes(syn.regular_train(rate, 4000), p)
    transmitted = float(res.release[-1] * rate)
    target = 1.0 / float(p.tau_d)
    return Outcome(transmitted, f"{transmitted:.3f} /s", abs(transmitted / target - 1) <= 0.05)


@register(
    "tm-paired-pulse",
    "synapse.ipynb",
    "TsodyksWu2013",
    "Paired-pulse ratio (50 ms interval) is above 1 for the facilitation-dominated set "
    "($U$ 0.15, $\\tau_f$ 750 ms, $\\tau_d$ 50 ms) and below 1 for the depression-dominated set "
    "($U$ 0.45, $\\tau_f$ 50 ms, $\\tau_d$ 750 ms).",
    "facilitation > 1, depression < 1",
    "signs as stated",
)
def _paired_pulse():
    from . import synapse as syn

    fac = float(syn.paired_pulse_ratio(syn.FACILITATING.replace(u_rest="zero")))
    dep = float(syn.paired_pulse_ratio(syn.DEPRESSING.replace(u_rest="zero")))
    return Outcome(fac, f"{fac:.2f} and {dep:.2f}", fac > 1.0 > dep)


@register(
    "mbt08-facilitation-memory",
    "synapse.ipynb",
    "Mongillo2008",
    "After a 10-spike 50 Hz burst, the extra release of a probe spike decays with the facilitation "
    "time constant (fit of probe release vs silent delay, 1-8 s).",
    "$\\tau_f$ = 1.5 s",
    "within 5 %",
)
def _facilitation_memory():
    from . import synapse as syn
    from .analysis import fit_exponential_decay

    delays = np.linspace(1.0, 8.0, 36)
    probe = syn.probe_after_burst(syn.MBT08, delays)
    fit = fit_exponential_decay(delays, probe.release, baseline=float(probe.rest_release[0]))
    return Outcome(fit.tau, f"{fit.tau:.3f} s", abs(fit.tau / float(syn.MBT08.tau_f) - 1) <= 0.05)


@register(
    "tm-mean-field",
    "synapse.ipynb",
    "Tsodyks1998",
    "The mean-field (rate) equations approximate the average release of Poisson spike trains "
    "at 10 Hz and above (Mongillo et al. 2008 parameters, 10 Hz shown).",
    "approximation, good at high rates",
    "relative error <= 10 % at 10 Hz",
)
def _mean_field():
    from . import synapse as syn

    mc = syn.poisson_mean_release(10.0, syn.MBT08, duration=60.0, rng=0, n_trains=100)
    mf = float(syn.mean_field_fixed_point(10.0, syn.MBT08).efficacy)
    err = abs(mf / mc - 1)
    return Outcome(err, f"{mc:.3f} (Monte Carlo) vs {mf:.3f}: {100 * err:.1f} %", err <= 0.10)


# ----------------------------------------------------------------------------
# Trained networks (Masse et al. 2019), on the shipped pretrained networks
# ----------------------------------------------------------------------------
def _shipped(task, stsp=True):
    from .rnn.pretrained import list_pretrained

    return [e for e in list_pretrained() if e["task"] == task and e["stsp"] == stsp]


@register(
    "masse-dms-silent",
    "rnn.ipynb",
    "Masse2019",
    "DMS networks keep the sample in their synapses, not in their activity: sample decoding over the last "
    "100 ms of the delay from activity $h$ vs from synaptic efficacy $u x$ (every shipped DMS network).",
    "$h$: below 0.4 in all 20 networks (15 at chance 0.125); $u x$: 1.0",
    "every network: $h$ < 0.4 and $u x$ > 0.9",
)
def _dms_silent():
    from .rnn import analysis, load_pretrained

    h, ux = [], []
    for e in _shipped("DMS"):
        rec = analysis.record(load_pretrained("DMS", e["seed"]), "DMS", 256, seed=7, test_mode=True, n_steps=200)
        h.append(analysis.persistent_activity(rec, n_reps=2, every=2))
        ux.append(analysis.persistent_activity(rec, n_reps=1, feature="efficacy", every=5))
    h, ux = np.array(h), np.array(ux)
    text = (f"$h$: {h.min():.2f}–{h.max():.2f} ({(h < 0.4).sum()}/{h.size} below 0.4); "
            f"$u x$: {ux.min():.2f}–{ux.max():.2f}")
    return Outcome(float(h.max()), text, bool(h.size) and bool((h < 0.4).all() and (ux > 0.9).all()))


@register(
    "masse-shuffle",
    "rnn.ipynb",
    "Masse2019",
    "Exchanging activity or synaptic states between trials at test onset: in DMS networks the neuronal "
    "shuffle leaves accuracy unchanged and the synaptic shuffle takes it to chance; in DMRS90 networks "
    "both shuffles reduce accuracy (every shipped network, 256 trials each).",
    "DMS: neuronal no effect (14 of 15 silent networks), synaptic to chance; DMRS90: both reduce accuracy in all 20",
    "DMS: every neuronal drop < 0.03 and synaptic accuracy < 0.6; DMRS90: every drop > 0, mean drops > 0.05",
)
def _shuffle():
    from .rnn import analysis, load_pretrained

    res = {t: [analysis.shuffle_test(load_pretrained(t, e["seed"]), t, n_trials=256, seed=11) for e in _shipped(t)]
           for t in ("DMS", "DMRS90")}
    drop = {t: (np.array([r["none"] - r["neuronal"] for r in rs]), np.array([r["none"] - r["synaptic"] for r in rs]))
            for t, rs in res.items()}
    dms_syn = np.array([r["synaptic"] for r in res["DMS"]])
    neu, syn = drop["DMRS90"]
    ok = (len(res["DMS"]) > 0 and len(neu) > 0 and (drop["DMS"][0] < 0.03).all() and (dms_syn < 0.6).all()
          and (neu > 0).all() and (syn > 0).all() and neu.mean() > 0.05 and syn.mean() > 0.05)
    text = (f"DMS: neuronal drop {drop['DMS'][0].mean():+.3f}, synaptic accuracy {dms_syn.mean():.2f}; "
            f"DMRS90: drops {neu.mean():.2f} (neuronal, {int((neu > 0.05).sum())} of {len(neu)} networks "
            f"above 0.05, smallest {neu.min():.3f}), {syn.mean():.2f} (synaptic)")
    return Outcome(float(dms_syn.mean()), text, bool(ok))


@register(
    "masse-dual-cued",
    "rnn.ipynb",
    "Masse2019",
    "Dual DMS: at the end of the first delay the sample whose location is cued for the first test is decoded "
    "better from activity $h$ than the sample that is not cued; both are in the synaptic efficacy $u x$ "
    "(every shipped dualDMS network, 512 trials each, both locations averaged).",
    "$h$: 0.455 cued vs 0.354 not cued (mean of 20 networks, P < 0.001); $u x$: about 1.0 for both",
    "$h$ decoding higher when cued across networks (paired one-sided t-test, P < 0.05); every network's $u x$ "
    "decoding > 0.9",
)
def _dual_cued():
    return _dual_cued_at(delay=1)


@register(
    "masse-dual-cued-delay2",
    "rnn.ipynb",
    "Masse2019",
    "Dual DMS: the same at the end of the second delay, where the cue for the second test decides which "
    "sample is relevant (every shipped dualDMS network, 512 trials each, both locations averaged).",
    "$h$: 0.335 cued vs 0.211 not cued (mean of 20 networks, P < 1e-5); $u x$: about 1.0 for both",
    "$h$ decoding higher when cued across networks (paired one-sided t-test, P < 0.05); every network's $u x$ "
    "decoding > 0.9",
)
def _dual_cued_delay2():
    return _dual_cued_at(delay=2)


def _dual_cued_at(delay):
    from .rnn import analysis, load_pretrained

    results = [analysis.cued_persistence(load_pretrained("dualDMS", e["seed"]), delay=delay)
               for e in _shipped("dualDMS")]
    if not results:
        return Outcome(float("nan"), "no shipped dualDMS network", False)
    eff = analysis.cued_effect(results)
    ok = eff["p"] < 0.05 and eff["min_efficacy"] > 0.9
    text = (f"$h$: {eff['cued']:.2f} cued vs {eff['not cued']:.2f} not cued (mean of {eff['n']} networks, cued higher "
            f"in {eff['n_higher']}, P = {eff['p']:.2f}); $u x$: at least {eff['min_efficacy']:.2f}")
    return Outcome(eff["difference"], text, bool(ok))


@register(
    "masse-no-stsp",
    "rnn.ipynb",
    "Masse2019",
    "Without STSP, DMS networks trained with the same protocol fail, or need many more iterations than "
    "networks with STSP (shipped controls vs shipped DMS networks).",
    "failed to solve the task or required many more training epochs",
    "every control below 90 % accuracy or needing >= 3x the median iterations with STSP",
)
def _no_stsp():
    with_stsp, controls = _shipped("DMS"), _shipped("DMS", stsp=False)
    median = float(np.median([e["iterations"] for e in with_stsp])) if with_stsp else np.nan
    ok = bool(controls) and bool(with_stsp) and all(e["accuracy"] < 0.9 or e["iterations"] >= 3 * median for e in controls)
    solved = sum(e["accuracy"] >= 0.9 for e in controls)
    acc = np.median([e["accuracy"] for e in controls]) if controls else np.nan
    text = (f"{solved}/{len(controls)} controls reached 90 % (median accuracy {acc:.2f} after up to "
            f"{max((e['iterations'] for e in controls), default=0)} iterations); with STSP: median {median:.0f} iterations")
    return Outcome(float(solved), text, ok)


# ------------------------------------------------------------------------------------------------
# Mi, Katkov & Tsodyks (2017): capacity (chapters/capacity.ipynb)
# ------------------------------------------------------------------------------------------------
@register(
    "mi-five-keep-four",
    "capacity.ipynb",
    "Mi2017",
    "Five items loaded one after another into the cluster model: four are kept, as alternating population "
    "spikes (public BrainPy parameters, background input $I_b$ = 3.5; at $I_b$ = 8 all five are kept).",
    "4 of 5 kept",
    "exactly 4 at $I_b$ = 3.5",
)
def _five_keep_four():
    from . import capacity as cap

    kept = cap.capacity(cap.ClusterParams(I_b=np.array([3.5, 8.0])), n_items=5, duration=3.0)
    return Outcome(float(kept[0]), f"{kept[0]} of 5 at $I_b$ = 3.5 ({kept[1]} at $I_b$ = 8)", bool(kept[0] == 4))


@register(
    "mi-critical-background",
    "capacity.ipynb",
    "Mi2017",
    "Below a critical background input no item is held; the threshold found by simulation matches the "
    "escape condition (the exact minimum of the escape function $F$) with $J_{max}$ and $I_{inh}$ read off "
    "the simulation.",
    "capacity 0 below $I_{crit}$; $I_{crit} = I_{inh} - \\alpha\\ln(J_{max}-1)$ (approximate form)",
    "exact form within 0.1 of the simulated threshold",
)
def _critical_background():
    from . import capacity as cap

    simulated = cap.critical_background()
    state = cap.reignition_state(cap.ClusterParams(I_b=simulated + 0.02), duration=6.0)
    exact = float(cap.critical_input(state["J_max"], 1.5, state["I_inh"], exact=True))
    approx = float(cap.critical_input(state["J_max"], 1.5, state["I_inh"]))
    return Outcome(simulated, f"simulated {simulated:.2f}, exact form {exact:.2f} (approximate form {approx:.2f})",
                   abs(exact - simulated) < 0.1)


@register(
    "mi-tau-ratio",
    "capacity.ipynb",
    "Mi2017",
    "Capacity grows with $\\tau_d/\\tau$ as $N_C \\approx T_{max}/t_s$ predicts (200 networks, $I_b$ = 8, "
    "capacity = most items held after loads of 8 and 12; $t_s \\propto \\tau$ with one constant fitted at "
    "the default network).",
    "roughly linear in $\\tau_d/\\tau$",
    "within 1 item at >= 90 % of the points whose predicted capacity does not exceed that of the default "
    "network, where the constant was fitted",
)
def _tau_ratio():
    from . import capacity as cap

    tau_d, tau = np.meshgrid(np.linspace(0.15, 0.5, 10), np.linspace(0.006, 0.016, 20), indexing="ij")
    kw = dict(duration=4.0, window=1.5)
    held = cap.max_capacity(cap.ClusterParams(tau_d=tau_d, tau=tau, tau_I=tau), loads=(8, 12), **kw)
    ref = cap.summarize(cap.ClusterParams(), cap.LoadingProtocol(n_items=10), **kw)
    c = float(ref.spacing) / 0.008  # t_s = c tau at I_b = 8 (eq. 7 at fixed I_b: only the product matters)
    theory = cap.t_max(1.5, tau_d, 0.3) / (c * tau)
    valid = np.floor(theory) <= ref.n_active
    share = float((np.abs(held - np.floor(theory))[valid] <= 1).mean())
    return Outcome(share, f"{100 * share:.0f} % within 1 item ({int(valid.sum())} points)", share >= 0.9)
