"""Figures for the capacity model (:mod:`wmlib.capacity`)."""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from .._plotting import check_batch_index, check_numbers, check_title, make_axes
from .._validation import Interval, check_array, check_instance, check_scalar

__all__ = ["plot_loading", "plot_escape", "plot_capacity_background", "plot_capacity_sweep", "plot_serial_position", "plot_spacing",
           "plot_spacing_recovery", "plot_cluster_synapses"]


def plot_loading(result, J_EE: float = 8.0, protocol=None, n_show: int | None = None, index=(), axes=None,
                 title: str | None = None) -> Figure:
    """Population spikes of every cluster (top) and its synaptic strength J_EE u x (bottom).

    Parameters
    ----------
    result : wmlib.capacity.ClusterResult
        From :func:`wmlib.capacity.simulate`.
    J_EE : float, default=8.0
        Recurrent strength, to draw the efficacy as J_EE u x (the effective self-excitation).
    protocol : wmlib.capacity.LoadingProtocol, optional
        Shades the loading pulses.
    n_show : int, optional
        Clusters to draw in the bottom panel (default: the loaded ones, or all).
    index : tuple, default=()
        Which entry of a batched result to draw.
    """
    from .integrate import ClusterResult
    from .params import LoadingProtocol

    check_instance("plot_loading", "result", result, ClusterResult)
    J_EE = check_scalar("plot_loading", "J_EE", J_EE, Interval(0, np.inf, "neither"))
    check_instance("plot_loading", "protocol", protocol, LoadingProtocol, optional=True)
    check_title("plot_loading", title)
    index = check_batch_index("plot_loading", index, result.h.shape[1:-1])
    rate = result.rate[(slice(None),) + index]
    eff = result.efficacy[(slice(None),) + index]
    P = rate.shape[1]
    if n_show is None:
        n_show = protocol.n_items if protocol is not None and protocol.n_items > 0 else P
    n_show = check_scalar("plot_loading", "n_show", n_show, Interval(1, P, "both", integer=True))
    t = result.t
    fig, ax = make_axes(axes, 2, 1, (8, 5.2), sharex="col", gridspec_kw={"height_ratios": [1.3, 1]})
    top, bottom = ax[:, 0]
    im = top.imshow(rate.T, aspect="auto", origin="lower", cmap="Greys", interpolation="nearest",
                    extent=(t[0], t[-1], 0.5, P + 0.5), vmin=0, vmax=max(60.0, float(np.percentile(rate, 99.9))))
    fig.colorbar(im, ax=top, label="rate R(h) (Hz)")
    top.set(ylabel="cluster (item k loads cluster k)", title=title)
    for k in range(n_show):  # clusters are numbered from 1 in figures, like the items they hold
        bottom.plot(t, J_EE * eff[:, k], lw=1.2, color=f"C{k % 10}", label=f"cluster {k + 1}")
    if protocol is not None:
        for s, e in protocol.windows():
            for a in (top, bottom):
                a.axvspan(s, e, color="tab:orange", alpha=0.25, lw=0)
    bottom.set(xlabel="time (s)", ylabel="$J_{EE}\\,u\\,x$")
    bottom.legend(loc="upper right", fontsize="x-small", ncol=min(n_show, 4), frameon=False)
    return fig


def _axis(ax, figsize):
    fig, axes = make_axes(ax, 1, 1, figsize, name="ax")
    return fig, axes[0, 0]


def _same_shape(owner, nan_ok=(), optional=(), **arrays):
    """Check arrays of numbers (NaN only where ``nan_ok`` names them) of one shape; return them as float arrays.

    Only the arrays named in ``optional`` may be None.
    """
    out = {k: None if v is None and k in optional else check_array(owner, k, v, allow_nan=k in nan_ok)
           for k, v in arrays.items()}
    shapes = {k: v.shape for k, v in out.items() if v is not None}
    if len(set(shapes.values())) > 1:
        raise ValueError(f"The parameters {', '.join(repr(k) for k in shapes)} of {owner} must have the same shape. "
                         f"Got {shapes}.")
    return out.values()


def plot_escape(J_max: float, alpha: float, margins: dict, ax=None) -> Figure:
    r"""The escape function :math:`F(h) = -h + J_{max}R(h) + m` (eq. 6) for several margins
    :math:`m = I_b - I_{inh}` (``margins``: label -> m).  The cluster reignites only where
    :math:`F > 0` everywhere: the curve whose minimum touches 0 marks :math:`I_{crit}`."""
    from .integrate import gain

    J_max = check_scalar("plot_escape", "J_max", J_max, Interval(1, np.inf, "neither"))
    alpha = check_scalar("plot_escape", "alpha", alpha, Interval(0, np.inf, "neither"))
    margins = check_numbers("plot_escape", "margins", margins, Interval(-np.inf, np.inf, "neither"), optional=False)
    if not margins:
        raise ValueError("The 'margins' parameter of plot_escape must be a non-empty mapping label -> I_b - I_inh.")
    fig, ax = _axis(ax, (5.5, 3.6))
    h = np.linspace(-12, 8, 801)
    for k, (label, m) in enumerate(margins.items()):
        ax.plot(h, -h + J_max * gain(h, alpha) + m, color=f"C{k}", label=label)
    ax.axhline(0, color="0.5", lw=0.8)
    ax.axvline(-alpha * np.log(J_max - 1), color="0.5", lw=0.8, ls=":", label="$h^*$, minimum of F")
    ax.set(xlabel="current h of the silent cluster", ylabel="$F(h) = \\tau\\,dh/dt$", ylim=(-4, 8))
    ax.legend(fontsize="small", frameon=False)
    return fig


def plot_capacity_background(I_b, simulated, theory=None, I_crit: float | None = None, ax=None,
                             title: str | None = None) -> Figure:
    """Capacity against background input: simulated (steps) and, optionally, the estimate
    :math:`T_{max}/t_s` (line) and the critical input (dashed)."""
    I_b, simulated, theory = _same_shape("plot_capacity_background", nan_ok=("simulated", "theory"), optional=("theory",),
                                         I_b=I_b, simulated=simulated, theory=theory)
    if I_crit is not None:
        I_crit = check_scalar("plot_capacity_background", "I_crit", I_crit, Interval(-np.inf, np.inf, "neither"))
    check_title("plot_capacity_background", title)
    fig, ax = _axis(ax, (5.5, 3.6))
    ax.step(I_b, simulated, where="mid", color="black", label="simulation (most items held)")
    if theory is not None:
        ax.plot(I_b, theory, color="tab:red", label="$T_{max}/t_s$")
    if I_crit is not None:
        ax.axvline(I_crit, color="tab:blue", ls="--", label=f"$I_{{crit}}$ = {I_crit:.2f}")
    ax.set(xlabel="background input $I_b$", ylabel="items held", title=title)
    ax.legend(fontsize="small", frameon=False, loc="upper left")
    return fig


def plot_capacity_sweep(ratio, simulated, theory, valid=None, ax=None, title: str | None = None) -> Figure:
    """Capacity against :math:`\\tau_d/\\tau`: each parameter point simulated (dots) and the
    formula's value (crosses); ``valid`` (bool array) greys out points outside the
    approximation's range."""
    if valid is not None and np.asarray(valid).dtype != bool:
        raise TypeError(f"The 'valid' parameter of plot_capacity_sweep must be a bool array. Got {valid!r} instead.")
    ratio, simulated, theory = _same_shape("plot_capacity_sweep", nan_ok=("simulated", "theory"), ratio=ratio,
                                           simulated=simulated, theory=theory)
    if valid is not None and np.shape(valid) != ratio.shape:
        raise ValueError(f"The 'valid' parameter of plot_capacity_sweep must have the shape of 'ratio' {ratio.shape}. "
                         f"Got {np.shape(valid)} instead.")
    check_title("plot_capacity_sweep", title)
    ratio, simulated, theory = (np.ravel(v) for v in (ratio, simulated, theory))
    valid = np.ones(ratio.shape, bool) if valid is None else np.ravel(valid)
    fig, ax = _axis(ax, (6, 3.8))
    jitter = np.random.default_rng(0).uniform(-0.12, 0.12, ratio.shape)  # fixed: identical pages
    for mask, alpha, tag in ((valid, 0.8, ""), (~valid, 0.25, " (outside range)")):
        if mask.any():
            ax.scatter(ratio[mask], simulated[mask] + jitter[mask], s=10, color="black", alpha=alpha,
                       label="simulation" + tag)
            ax.scatter(ratio[mask], theory[mask], s=12, marker="x", color="tab:red", alpha=alpha,
                       label="$N_C = T_{max}/t_s$" + tag)
    ax.set(xlabel="$\\tau_d / \\tau$", ylabel="items held", title=title)
    ax.legend(fontsize="x-small", frameon=False, loc="upper left")
    return fig


def plot_serial_position(retention: dict, n_trials: int, ax=None, title: str | None = None) -> Figure:
    """Retention probability by serial position (label -> array over positions), with binomial
    standard errors from ``n_trials`` trials."""
    if not hasattr(retention, "items") or not retention:
        raise TypeError("The 'retention' parameter must be a non-empty mapping label -> array over positions.")
    retention = {label: check_array("plot_serial_position", "retention", p, Interval(0, 1, "both"), ndim=1)
                 for label, p in retention.items()}
    n_trials = check_scalar("plot_serial_position", "n_trials", n_trials, Interval(1, np.inf, "left", integer=True))
    check_title("plot_serial_position", title)
    fig, ax = _axis(ax, (5.5, 3.6))
    for k, (label, p) in enumerate(retention.items()):
        pos = np.arange(1, p.size + 1)
        ax.errorbar(pos, p, yerr=np.sqrt(p * (1 - p) / n_trials), marker="o", capsize=3, color=f"C{k}", label=label)
    ax.set(xlabel="serial position of the item", ylabel="P(item still held)", ylim=(0, 1.05), title=title)
    ax.legend(fontsize="small", frameon=False)
    return fig


def plot_spacing(I_b, measured, predicted=None, ax=None, title: str | None = None) -> Figure:
    """Spacing :math:`t_s` between successive PS against background input: measured (dots) and
    the formula of :func:`wmlib.capacity.spacing` (line), in ms."""
    I_b, measured, predicted = _same_shape("plot_spacing", nan_ok=("measured", "predicted"), optional=("predicted",),
                                           I_b=I_b, measured=measured, predicted=predicted)
    check_title("plot_spacing", title)
    fig, ax = _axis(ax, (5.5, 3.6))
    ax.plot(I_b, 1e3 * np.asarray(measured), "o", ms=4, color="black", label="simulation")
    if predicted is not None:
        ax.plot(I_b, 1e3 * np.asarray(predicted), color="tab:red", label="formula, $c$ fitted")
    ax.set(xlabel="background input $I_b$", ylabel="$t_s$ (ms)", title=title)
    ax.legend(fontsize="small", frameon=False)
    return fig


def plot_spacing_recovery(tau_d, spacing_over_tau, efficacy, predicted: float | None = None, n_items=None,
                          axes=None, title: str | None = None) -> Figure:
    """Two panels against the recovery time constant :math:`\\tau_d`: the measured spacing in units
    of :math:`\\tau` (left, with the formula's constant ``predicted`` as a line) and the efficacy
    :math:`u x` of a cluster when its burst starts (right, from
    :func:`wmlib.capacity.state_at_spikes`)."""
    tau_d, spacing_over_tau, efficacy = _same_shape("plot_spacing_recovery", nan_ok=("spacing_over_tau", "efficacy"),
                                                    tau_d=tau_d, spacing_over_tau=spacing_over_tau, efficacy=efficacy)
    if predicted is not None:
        predicted = check_scalar("plot_spacing_recovery", "predicted", predicted, Interval(-np.inf, np.inf, "neither"))
    if n_items is not None:
        n_items = check_scalar("plot_spacing_recovery", "n_items", n_items, Interval(0, np.inf, "left", integer=True))
    check_title("plot_spacing_recovery", title)
    fig, axes = make_axes(axes, 1, 2, (10, 3.4))
    left, right = axes[0]
    tau_d = 1e3 * np.asarray(tau_d, dtype=float)
    left.plot(tau_d, spacing_over_tau, "o-", ms=4, color="black", label="simulation")
    if predicted is not None:
        left.axhline(predicted, color="tab:red", label="formula ($c$ fitted at the default $\\tau_d$)")
    left.set(xlabel="$\\tau_d$ (ms)", ylabel="$t_s / \\tau$", title="spacing between turns")
    left.legend(fontsize="small", frameon=False)
    right.plot(tau_d, efficacy, "o-", ms=4, color="tab:purple")
    right.set(xlabel="$\\tau_d$ (ms)", ylabel="$u x$ at burst onset", title="efficacy when a turn starts")
    if n_items is not None:
        right.text(0.97, 0.95, f"{n_items} items held", transform=right.transAxes, ha="right", va="top", fontsize="small")
    if title:
        fig.suptitle(title)
    return fig


def plot_cluster_synapses(result, clusters, index=(), protocol=None, axes=None, title: str | None = None) -> Figure:
    """Release probability u (top) and available resources x (bottom) of some clusters over time.

    ``clusters`` maps a label to a cluster index (or is a list of indices); ``index`` picks
    one run of a batched :class:`wmlib.capacity.ClusterResult`.
    """
    from .integrate import ClusterResult
    from .params import LoadingProtocol

    check_instance("plot_cluster_synapses", "result", result, ClusterResult)
    check_instance("plot_cluster_synapses", "protocol", protocol, LoadingProtocol, optional=True)
    check_title("plot_cluster_synapses", title)
    index = check_batch_index("plot_cluster_synapses", index, result.h.shape[1:-1])
    u, x = result.u[(slice(None),) + index], result.x[(slice(None),) + index]
    if isinstance(clusters, (str, bytes)) or not hasattr(clusters, "__iter__"):
        raise TypeError(f"The 'clusters' parameter of plot_cluster_synapses must map labels to cluster indices (or "
                        f"list indices). Got {clusters!r} instead.")
    if not hasattr(clusters, "items"):
        clusters = {f"cluster {k + 1}": k for k in clusters}  # numbered from 1 in figures, like the items
    if not clusters:
        raise ValueError("The 'clusters' parameter of plot_cluster_synapses must name at least one cluster.")
    P = u.shape[1]
    for label, k in clusters.items():
        if not isinstance(k, (int, np.integer)) or isinstance(k, bool):
            raise TypeError(f"The 'clusters' parameter of plot_cluster_synapses must name clusters by int index. "
                            f"Got {k!r} for {label!r}.")
        if not 0 <= k < P:
            raise ValueError(f"The 'clusters' parameter must name clusters in [0, {P - 1}]. Got {k!r} for {label!r}.")
    fig, ax = make_axes(axes, 2, 1, (6, 4.2), sharex="col")
    top, bottom = ax[:, 0]
    for j, (label, k) in enumerate(clusters.items()):
        top.plot(result.t, u[:, k], color=f"C{j}", label=label)
        bottom.plot(result.t, x[:, k], color=f"C{j}", label=label)
    if protocol is not None:
        for s, e in protocol.windows():
            for a in (top, bottom):
                a.axvspan(s, e, color="tab:orange", alpha=0.25, lw=0)
    top.set(ylabel="u (release probability)", ylim=(0, 1), title=title)
    bottom.set(xlabel="time (s)", ylabel="x (resources)", ylim=(0, 1))
    top.legend(fontsize="small", frameon=False, loc="upper right")
    return fig
