"""Figures for the dynamic synapse (:mod:`wmlib.synapse`)."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
from matplotlib.figure import Figure

from .._plotting import RATE_COLOR, RELEASE_COLOR, U_COLOR, X_COLOR, check_curve, check_mapping, check_numbers, make_axes
from .._validation import Interval
from .model import MeanFieldState, ProbeResponse, RateResponse, SpikeResponse, SteadyState

__all__ = [
    "plot_train_responses",
    "plot_burst_memory",
    "plot_frequency_dependence",
    "plot_mean_field_check",
    "plot_rate_responses",
]


def _require_traces(label, res: SpikeResponse):
    if res.t is None:
        raise ValueError(f"The response {label!r} has no traces: call simulate_spikes(..., t_eval=...) first.")


def plot_train_responses(responses: Mapping[str, SpikeResponse], axes=None) -> Figure:
    """Responses of one or more synapses to a spike train, one column each.

    Rows: ``u(t)`` and ``x(t)`` with the spike times; the release ``u+ x-`` of
    each spike; the postsynaptic current ``I(t)``.  Columns share their y axes
    so that columns can be compared by eye.

    Parameters
    ----------
    responses : mapping label -> SpikeResponse
        Single-synapse responses computed with ``t_eval`` (traces needed).
    axes : array of 3 x n_columns Axes, optional
    """
    responses = check_mapping("responses", responses, SpikeResponse)
    for label, res in responses.items():
        _require_traces(label, res)
        if res.u.ndim != 1:
            raise ValueError(f"The response {label!r} is batched (shape {res.u.shape}); plot one synapse per column.")
    ncol = len(responses)
    fig, ax = make_axes(axes, 3, ncol, (3.6 * ncol + 0.6, 6.4), sharex="col", sharey="row")
    for j, (label, res) in enumerate(responses.items()):
        spikes = res.spike_times[~np.isnan(res.spike_times)]
        a = ax[0, j]
        a.plot(res.t, res.u, color=U_COLOR, label="u (release probability)")
        a.plot(res.t, res.x, color=X_COLOR, label="x (available resources)")
        a.plot(spikes, np.full(spikes.shape, 1.04), "|", color="k", ms=8, label="presynaptic spikes")
        a.set_ylim(0, 1.1)
        a.set_title(label)
        b = ax[1, j]
        b.vlines(spikes, 0, res.release[: spikes.size], color=RELEASE_COLOR, lw=2)
        b.plot(spikes, res.release[: spikes.size], "o", color=RELEASE_COLOR, ms=4)
        b.axhline(res.release[0], color="0.6", ls=":", lw=1)
        c = ax[2, j]
        c.plot(res.t, res.I, color=RELEASE_COLOR, lw=1)
        c.set_xlabel("time (s)")
    top = max(float(np.nanmax(r.release)) for r in responses.values())
    ax[1, 0].set_ylim(0, 1.1 * top)
    ax[0, 0].set_ylabel("u, x")
    ax[1, 0].set_ylabel("release per spike\n$u^+x^-$ (dotted: 1st)")
    ax[2, 0].set_ylabel("postsynaptic current I\n(units of A)")
    handles, labels = ax[0, 0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="outside lower center", ncol=3, fontsize=8, frameon=False)
    return fig


def plot_burst_memory(traces: Mapping[str, SpikeResponse], probes: Mapping[str, ProbeResponse],
                      tau_f: Mapping[str, float] | None = None, axes=None) -> Figure:
    """A burst leaves a trace in ``u`` after activity stops.

    Left: ``u(t)`` (solid) and ``x(t)`` (dashed) during and after a brief burst,
    for each parameter set.  Right: release of a single probe spike sent after a
    silent delay, relative to a spike at rest (> 1: the synapse still
    "remembers" the burst), with ``tau_f`` marked if given.

    Parameters
    ----------
    traces : mapping label -> SpikeResponse
        Burst responses with traces (``t_eval``), single synapse each.
    probes : mapping label -> ProbeResponse
        Same labels; single synapse each.
    tau_f : mapping label -> float, optional
        Facilitation time constants, drawn as vertical lines on the right.
    axes : array of 2 Axes, optional
    """
    traces = check_mapping("traces", traces, SpikeResponse)
    probes = check_mapping("probes", probes, ProbeResponse)
    tau_f = check_numbers("plot_burst_memory", "tau_f", tau_f, Interval(0, np.inf, "neither"))
    if set(traces) != set(probes):
        raise ValueError(f"The 'traces' and 'probes' parameters must have the same labels. Got {sorted(traces)} and {sorted(probes)}.")
    fig, ax = make_axes(axes, 1, 2, (10, 3.6))
    left, right = ax[0]
    for k, label in enumerate(traces):
        res, pr = traces[label], probes[label]
        _require_traces(label, res)
        color = f"C{k + 2}" if k else U_COLOR
        left.plot(res.t, res.u, color=color, label=f"u, {label}")
        left.plot(res.t, res.x, color=color, ls="--", label=f"x, {label}")
        right.plot(pr.delays, pr.release / pr.rest_release, "o-", color=color, ms=3, label=label)
        if tau_f is not None and label in tau_f:
            right.axvline(tau_f[label], color=color, ls=":", lw=1)
    spikes = next(iter(traces.values())).spike_times
    left.axvspan(np.nanmin(spikes), np.nanmax(spikes), color="0.85", zorder=0, label="burst")
    left.set(xlabel="time (s)", ylabel="u (solid), x (dashed)", ylim=(0, 1.05), title="after the burst the neuron is silent")
    left.legend(fontsize=7, ncol=2)
    right.axhline(1.0, color="0.5", lw=1)
    right.set(xlabel="silent delay before the probe spike (s)", ylabel="probe release / release at rest",
              title="release by a probe spike" + (" (dotted: $\\tau_f$)" if tau_f else ""))
    right.legend(fontsize=8)
    return fig


def plot_frequency_dependence(rates, closed_form: Mapping[str, SteadyState],
                              simulated: Mapping[str, tuple] | None = None,
                              tau_d: Mapping[str, float] | None = None, axes=None) -> Figure:
    """Steady-state release per spike and transmitted rate versus input rate.

    Parameters
    ----------
    rates : array of shape (n,)
        Input rates (Hz) at which ``closed_form`` was evaluated.
    closed_form : mapping label -> SteadyState
        Closed-form steady states (lines).
    simulated : mapping label -> (rates, release), optional
        Release of the last spike of long simulated trains (markers).
    tau_d : mapping label -> float, optional
        Recovery time constants; ``1/tau_d`` is drawn as the saturation level.
    axes : array of 2 Axes, optional
    """
    closed_form = check_mapping("closed_form", closed_form, SteadyState)
    rates = check_curve("plot_frequency_dependence", "rates", rates)
    for label, ss in closed_form.items():
        if np.shape(ss.release) != rates.shape:
            raise ValueError(f"The 'closed_form' parameter must hold one value per rate ({rates.size}) for each label. "
                             f"Got shape {np.shape(ss.release)} for {label!r}.")
    tau_d = check_numbers("plot_frequency_dependence", "tau_d", tau_d, Interval(0, np.inf, "neither"))
    if simulated is not None:
        simulated = check_mapping("simulated", simulated)
        for label, pair in simulated.items():
            if not isinstance(pair, tuple) or len(pair) != 2:
                raise TypeError(f"The 'simulated' parameter must map labels to (rates, release) pairs. Got {pair!r} for {label!r}.")
            r_sim = check_curve("plot_frequency_dependence", "simulated", pair[0])
            check_curve("plot_frequency_dependence", "simulated", pair[1], length=r_sim.size)
    fig, ax = make_axes(axes, 1, 2, (10, 3.6))
    left, right = ax[0]
    for k, (label, ss) in enumerate(closed_form.items()):
        color = f"C{k}"
        left.plot(rates, ss.release, color=color, label=f"{label} (closed form)")
        right.plot(rates, ss.release * rates, color=color, label=label)
        if simulated is not None and label in simulated:
            r_sim, rel_sim = (np.asarray(v, dtype=float) for v in simulated[label])
            left.plot(r_sim, rel_sim, "o", color=color, mfc="none", label=f"{label} (simulation)")
            right.plot(r_sim, rel_sim * r_sim, "o", color=color, mfc="none")
        if tau_d is not None and label in tau_d:
            right.axhline(1.0 / tau_d[label], color=color, ls=":", lw=1)
    left.set(xscale="log", xlabel="input rate f (Hz)", ylabel="steady release per spike $u^+x^-$")
    left.legend(fontsize=8)
    right.set(xscale="log", xlabel="input rate f (Hz)", ylabel="transmitted rate $u^+x^- f$ (1/s)",
              title="dotted: $1/\\tau_d$" if tau_d else None)
    return fig


def plot_mean_field_check(rates, monte_carlo, mean_field: MeanFieldState, mean_field_rates=None, ax=None) -> Figure:
    """Mean-field fixed point ``u* x*`` against Monte Carlo ``<u+ x->`` of Poisson trains.

    Parameters
    ----------
    rates : array of shape (n,)
        Poisson rates in Hz of the Monte Carlo points.
    monte_carlo : array of shape (n,)
        Average release per spike from :func:`wmlib.synapse.poisson_mean_release`.
    mean_field : MeanFieldState
        From :func:`wmlib.synapse.mean_field_fixed_point`, at ``mean_field_rates``.
    mean_field_rates : array, optional
        Rates of ``mean_field`` (default: ``rates``); a dense grid draws a smooth curve.
    ax : Axes, optional
    """
    if not isinstance(mean_field, MeanFieldState):
        raise TypeError(f"The 'mean_field' parameter must be a MeanFieldState. Got {type(mean_field).__name__} instead.")
    rates = check_curve("plot_mean_field_check", "rates", rates)
    monte_carlo = check_curve("plot_mean_field_check", "monte_carlo", monte_carlo, length=rates.size)
    mf_rates = rates if mean_field_rates is None else check_curve("plot_mean_field_check", "mean_field_rates", mean_field_rates)
    if np.shape(mean_field.efficacy) != mf_rates.shape:
        raise ValueError(f"The 'mean_field' parameter must hold one value per rate ({mf_rates.shape}). "
                         f"Got shape {np.shape(mean_field.efficacy)} instead.")
    fig, axs = make_axes(ax, 1, 1, (5.2, 3.6), name="ax")
    a = axs[0, 0]
    a.plot(mf_rates, mean_field.efficacy, "-", color=U_COLOR, label="mean field $u^*x^*$")
    a.plot(rates, monte_carlo, "o", color=RELEASE_COLOR, mfc="none", label="Poisson spikes $\\langle u^+x^-\\rangle$")
    a.set(xscale="log", xlabel="input rate (Hz)", ylabel="release per spike", ylim=(0, None))
    a.legend(fontsize=8)
    return fig


def plot_rate_responses(responses: Mapping[str, RateResponse], rates: Mapping[str, np.ndarray], axes=None) -> Figure:
    """Rate-driven synapses side by side: input rate, ``u`` and ``x``, efficacy ``u x``.

    Parameters
    ----------
    responses : mapping label -> RateResponse
        Single-synapse responses from :func:`wmlib.synapse.simulate_rate`.
    rates : mapping label -> array of shape (n_steps,)
        The presynaptic rates that drove them (same labels).
    axes : array of 3 x n_columns Axes, optional
    """
    responses = check_mapping("responses", responses, RateResponse)
    rates = check_mapping("rates", rates)
    if set(responses) != set(rates):
        raise ValueError(f"The 'responses' and 'rates' parameters must have the same labels. Got {sorted(responses)} and {sorted(rates)}.")
    ncol = len(responses)
    fig, ax = make_axes(axes, 3, ncol, (3.8 * ncol + 0.6, 5.6), sharex="col", sharey="row")
    for label, res in responses.items():
        check_curve("plot_rate_responses", "rates", rates[label], length=res.t.size - 1)
    for j, (label, res) in enumerate(responses.items()):
        r = np.asarray(rates[label], dtype=float)
        ax[0, j].plot(res.t[:-1], r, color=RATE_COLOR)
        ax[0, j].set_title(label)
        ax[1, j].plot(res.t, res.u, color=U_COLOR, label="u")
        ax[1, j].plot(res.t, res.x, color=X_COLOR, label="x")
        ax[2, j].plot(res.t, res.efficacy, color=RELEASE_COLOR)
        ax[2, j].axhline(res.efficacy[0], color="0.6", ls=":", lw=1)
        ax[2, j].set_xlabel("time (s)")
    ax[0, 0].set_ylabel("firing rate (Hz)")
    ax[1, 0].set_ylabel("u, x")
    ax[1, 0].set_ylim(0, 1.05)
    ax[1, -1].legend(fontsize=8)
    ax[2, 0].set_ylabel("synaptic efficacy u x")
    return fig
