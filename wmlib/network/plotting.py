"""Figures of the spiking network: they take results (never simulate) and return a matplotlib Figure."""

from __future__ import annotations

from collections.abc import Mapping

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure
from matplotlib.patches import Circle, FancyArrowPatch

from .._plotting import check_title, make_axes
from .._validation import Interval, check_array, check_instance, validate_params
from .analysis import REGIMES, smoothed_rate
from .experiments import Capacity, PhaseDiagram
from .params import NetworkParams
from .simulation import NetworkResult

__all__ = ["plot_schematic", "plot_trial", "plot_regimes", "plot_phase_diagram", "plot_readout_delay",
           "plot_capacity"]

REGIME_COLORS = {"silent": "tab:blue", "periodic": "tab:orange", "persistent": "tab:red"}


def population_colors(n_pop: int) -> list:
    """One colour per selective population (the same in every figure)."""
    validate_params("population_colors", {"n_pop": n_pop}, {"n_pop": Interval(1, 10_000, "both", integer=True)})
    cmap = plt.get_cmap("tab10")
    skip = {1, 3, 7}  # orange and red mean regimes, grey means non-selective
    colors = [cmap(i) for i in range(10) if i not in skip]
    return [colors[k % len(colors)] for k in range(n_pop)]


def plot_schematic(params: NetworkParams = NetworkParams(), ax=None) -> Figure:
    """The network drawn from its parameters: selective populations, the non-selective pool, inhibition."""
    check_instance("plot_schematic", "params", params, NetworkParams)
    fig, axes = make_axes(ax, 1, 1, (7.0, 3.6), "ax")
    ax = axes[0, 0]
    P = params.n_pop
    colors = population_colors(P)
    xs = np.linspace(0.08, 0.72, P) if P > 1 else np.array([0.4])
    r = min(0.06, 0.3 / P)
    n_sel = params.pop_size
    for k, (x, c) in enumerate(zip(xs, colors)):
        ax.add_patch(Circle((x, 0.72), r, color=c, alpha=0.8))
        ax.text(x, 0.72, str(k), ha="center", va="center", color="white", fontsize=10, fontweight="bold")
        ax.add_patch(FancyArrowPatch((x - 0.4 * r, 0.72 + r), (x + 0.4 * r, 0.72 + r), connectionstyle="arc3,rad=-2.2",
                                     arrowstyle="-|>", mutation_scale=8, color=c, lw=1.5))
    ax.text(xs.mean(), 0.95, f"{P} selective populations of {n_sel} excitatory neurons: within each, "
            f"potentiated synapses $J_p$ = {params.J_p:g} mV", ha="center", fontsize=9)
    ax.add_patch(Circle((0.9, 0.72), 0.07, color="0.6"))
    ax.text(0.9, 0.72, "non-\nselective", ha="center", va="center", fontsize=8)
    ax.text(0.9, 0.55, f"{params.n_exc - P * params.pop_stride if params.overlap == 0 else 'rest of the'} E",
            ha="center", fontsize=8)
    ax.add_patch(Circle((0.45, 0.2), 0.08, color="tab:red", alpha=0.8))
    ax.text(0.45, 0.2, f"{params.n_inh}\ninhibitory", ha="center", va="center", fontsize=8, color="white")
    for x in (*xs, 0.9):
        ax.add_patch(FancyArrowPatch((x, 0.72 - r if x != 0.9 else 0.65), (0.43 + 0.04 * (x - 0.45), 0.28),
                                     arrowstyle="-|>", mutation_scale=7, color="0.4", lw=0.6))
    ax.add_patch(FancyArrowPatch((0.53, 0.22), (0.8, 0.62), arrowstyle="-[", mutation_scale=6, color="tab:red", lw=1.2))
    ax.add_patch(FancyArrowPatch((0.37, 0.22), (0.1, 0.62), arrowstyle="-[", mutation_scale=6, color="tab:red", lw=1.2))
    ax.text(0.72, 0.33, f"inhibition onto every\nneuron ($J_{{EI}}$ = {params.J_EI:g} mV)", fontsize=8, color="tab:red")
    ax.text(0.05, 0.33, f"E→I $J_{{IE}}$ = {params.J_IE:g} mV\nbetween populations $J_b$ = {params.J_b:g} mV",
            fontsize=8, color="0.3")
    ax.text(0.5, 0.02, f"every pathway: connection probability {params.c:g}; "
            f"E→E synapses facilitate and depress (U = {params.U:g}, $\\tau_f$ = {params.tau_f:g} s, "
            f"$\\tau_d$ = {params.tau_d:g} s)", ha="center", fontsize=8)
    ax.set(xlim=(0, 1), ylim=(0, 1), aspect="auto")
    ax.axis("off")
    return fig


def _shade(ax, result: NetworkResult, trial: int, colors):
    """Shade the stimuli of one trial: item loads in their population's colour, nonspecific signals in grey."""
    for s in result.protocols[trial].stimuli:
        stop = min(s.end, result.duration)
        if s.population is not None:
            ax.axvspan(s.onset, stop, color=colors[s.population], alpha=0.15, lw=0)
        elif s.factor != 1.0 or s.fraction < 1.0:
            ax.axvspan(s.onset, stop, color="0.5", alpha=0.15, lw=0)
        elif s.offset != 0.0:
            ax.axvline(s.onset, color="k", ls=":", lw=1)


def plot_trial(result: NetworkResult, trial: int = 0, n_show: int = 40, smooth: float = 0.01, axes=None,
               title: str | None = None) -> Figure:
    """Raster, population rates and synaptic efficacy u·x of one trial (Mongillo et al. 2008, Figs. 2-3).

    ``n_show`` neurons of each selective population (of its own neurons, if populations overlap), of the
    non-selective pool and of the inhibitory neurons in the raster; rates smoothed over ``smooth`` s.  Loads are
    shaded in their population's colour, nonspecific signals in grey; a dotted line marks a change of the background.
    """
    owner = "plot_trial"
    check_instance(owner, "result", result, NetworkResult)
    validate_params(owner, {"trial": trial, "n_show": n_show, "smooth": smooth},
                    {"trial": Interval(0, result.n_trials - 1, "both", integer=True),
                     "n_show": Interval(1, 10**4, "both", integer=True), "smooth": Interval(0.0, 1.0, "neither")})
    title = check_title(owner, title)
    p = result.params
    fig, ax = make_axes(axes, 3, 1, (8.0, 6.0), "axes", sharex=True, height_ratios=(1.6, 1, 1))
    ax = ax[:, 0]
    colors = population_colors(p.n_pop)
    times, ids = result.spikes(trial)
    row = 0
    groups = [(own, colors[k]) for k, own in enumerate(p.own_neurons())]  # a shared neuron is in no row
    member = np.zeros(p.n_exc, dtype=bool)
    member[p.populations().ravel()] = True
    groups += [(np.flatnonzero(~member), "0.5"), (np.arange(p.n_exc, p.n_neurons), "tab:red")]
    for neurons, color in groups:
        shown = neurons[:n_show]
        sel = np.isin(ids, shown)
        ax[0].scatter(times[sel], row + np.searchsorted(shown, ids[sel]), s=1.5, color=color, marker="|", lw=0.8)
        row += shown.size + 3
    ax[0].set(ylabel="neurons", ylim=(-2, row), yticks=[])
    rate = smoothed_rate(result, smooth)[:, trial]
    for k in range(p.n_pop):
        ax[1].plot(result.t, rate[:, k], color=colors[k], lw=1, label=f"population {k}")
    ax[1].plot(result.t, rate[:, p.n_pop + 1], color="tab:red", lw=0.8, ls="--", label="inhibitory")
    ax[1].set(ylabel="rate (Hz)")
    ax[1].legend(fontsize=7, ncol=3, loc="upper right", frameon=False, handlelength=1.2, columnspacing=0.8)
    for k in range(p.n_pop):
        ax[2].plot(result.t, result.ux[:, trial, k], color=colors[k], lw=1.2)
        ax[2].plot(result.t, result.u[:, trial, k], color=colors[k], lw=0.6, ls=":")
    ax[2].plot(result.t, result.ux[:, trial, p.n_pop], color="0.5", lw=1)
    ax[2].set(ylabel="u·x (solid), u (dotted)", xlabel="time (s)", xlim=(0, result.duration), ylim=(0, 1))
    for a in ax:
        _shade(a, result, trial, colors)
    if title:
        ax[0].set_title(title)
    return fig


def plot_regimes(results: Mapping[str, NetworkResult], trial: int = 0, n_show: int = 30, smooth: float = 0.01,
                 axes=None) -> Figure:
    """:func:`plot_trial` side by side, one column per labelled run (e.g. one per regime); ``axes``: 3 x n."""
    if not isinstance(results, Mapping) or not results:
        raise TypeError(f"The 'results' parameter of plot_regimes must be a non-empty mapping from labels to "
                        f"NetworkResult. Got {type(results).__name__} instead.")
    for res in results.values():
        check_instance("plot_regimes", "results", res, NetworkResult)
    fewest = min(res.n_trials for res in results.values())
    validate_params("plot_regimes", {"trial": trial}, {"trial": Interval(0, fewest - 1, "both", integer=True)})
    n = len(results)
    fig, axes = make_axes(axes, 3, n, (4.2 * n, 6.2), "axes", height_ratios=(1.6, 1, 1), sharex="col")
    for j, (label, res) in enumerate(results.items()):
        plot_trial(res, trial=trial, n_show=n_show, smooth=smooth, axes=axes[:, j], title=label)
        if j:
            for a in axes[:, j]:
                a.set_ylabel("")
        if axes[1, j].get_legend() is not None and j < n - 1:
            axes[1, j].get_legend().remove()
    return fig


def plot_phase_diagram(diagram: PhaseDiagram, title: str | None = None, ax=None) -> Figure:
    """Fraction of trials in each regime against the background drive, with the trials in which an uncued
    population became active by itself."""
    check_instance("plot_phase_diagram", "diagram", diagram, PhaseDiagram)
    title = check_title("plot_phase_diagram", title)
    fig, axes = make_axes(ax, 1, 1, (6.5, 3.4), "ax")
    ax = axes[0, 0]
    for k, name in enumerate(REGIMES):
        ax.plot(diagram.mu_exc, diagram.fraction[:, k], "o-", color=REGIME_COLORS[name], label=name)
    ax.plot(diagram.mu_exc, diagram.spurious, "k--", lw=1, label="an uncued population active")
    ax.set(xlabel="background drive $\\mu_{ext}$ of the excitatory neurons (mV)", ylabel="fraction of trials",
           ylim=(-0.03, 1.03))
    ax.legend(fontsize=8, frameon=False, loc="center left")
    if title:
        ax.set_title(title)
    return fig


def plot_readout_delay(delay, success, tau_f: float, t=None, u_cued=None, u_uncued=None, title: str | None = None,
                       axes=None) -> Figure:
    """Left: fraction of successful readouts against the cue-readout delay, beside :math:`e^{-d/\\tau_f}`.  Right
    (if ``t`` is given): the cued and uncued populations' mean u during an undisturbed delay.  ``axes``: one Axes,
    or two with ``t``."""
    owner = "plot_readout_delay"
    d = check_array(owner, "delay", delay, Interval(0.0, np.inf, "left"), ndim=1)
    s = check_array(owner, "success", success, Interval(0.0, 1.0, "both"), ndim=1)
    if s.shape != d.shape:
        raise ValueError(f"The 'success' parameter of {owner} must have one value per delay ({d.size}). "
                         f"Got {s.size} instead.")
    validate_params(owner, {"tau_f": tau_f}, {"tau_f": Interval(0.0, np.inf, "neither")})
    title = check_title(owner, title)
    given = [name for name, v in (("t", t), ("u_cued", u_cued), ("u_uncued", u_uncued)) if v is not None]
    if given and len(given) < 3:
        raise ValueError(f"The 't', 'u_cued' and 'u_uncued' parameters of {owner} must be given together (for the "
                         f"right panel) or not at all. Got only {', '.join(repr(g) for g in given)}.")
    right = t is not None
    fig, axes = make_axes(axes, 1, 2 if right else 1, (9.0 if right else 5.0, 3.3), "axes")
    ax = axes[0, 0]
    ax.plot(d, s, "o-", color="tab:blue", label="readout evokes a population spike")
    grid = np.linspace(0, d.max() * 1.05, 200)
    ax.plot(grid, np.exp(-grid / tau_f), "k--", lw=1, label="$e^{-d/\\tau_f}$")
    ax.set(xlabel="delay d from the end of the cue to the readout (s)", ylabel="fraction of trials", ylim=(-0.03, 1.05))
    ax.legend(fontsize=8, frameon=False)
    if right:
        tt = check_array(owner, "t", t, ndim=1)
        uc = check_array(owner, "u_cued", u_cued, Interval(0.0, 1.0, "both"), ndim=1)
        uu = check_array(owner, "u_uncued", u_uncued, Interval(0.0, 1.0, "both"), ndim=1)
        if not (uc.shape == uu.shape == tt.shape):
            raise ValueError(f"The 't', 'u_cued' and 'u_uncued' parameters of {owner} must have the same length.")
        b = axes[0, 1]
        b.plot(tt, uc, color=population_colors(1)[0], label="cued population")
        b.plot(tt, uu, color="0.5", label="uncued populations")
        b.set(xlabel="time after the end of the cue (s)", ylabel="mean utilisation u")
        b.legend(fontsize=8, frameon=False)
    if title:
        fig.suptitle(title)
    return fig


def plot_capacity(capacity: Capacity, cluster: float | None = None, title: str | None = None, ax=None) -> Figure:
    """Items kept after loading every population, per trial, beside :math:`T_{max}/t_s` of the same trial (and the
    cluster model's capacity for the same synapses, if given)."""
    check_instance("plot_capacity", "capacity", capacity, Capacity)
    title = check_title("plot_capacity", title)
    fig, axes = make_axes(ax, 1, 1, (5.5, 3.3), "ax")
    ax = axes[0, 0]
    trials = np.arange(capacity.held.size)
    ax.plot(trials, capacity.held, "o", color="tab:blue", label="items kept (spiking network)")
    ax.plot(trials, capacity.predicted, "x", color="k", label="$T_{max}/t_s$ (measured $t_s$)")
    if cluster is not None:
        validate_params("plot_capacity", {"cluster": cluster}, {"cluster": Interval(0.0, 1000.0, "left")})
        ax.axhline(cluster, color="tab:orange", ls="--", label="cluster model, same synapses")
    top = max(float(capacity.held.max()), float(np.nanmax(capacity.predicted, initial=0.0)), cluster or 0.0)
    ax.set(xlabel="trial", ylabel="items", ylim=(0, top + 0.6), xticks=trials)
    ax.legend(fontsize=8, frameon=False)
    if title:
        ax.set_title(title)
    return fig
