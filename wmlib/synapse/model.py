r"""The Tsodyks–Markram dynamic synapse (short-term facilitation and depression).

Every later model of the book stores memories in these two variables:

* :math:`u`, the *utilisation* (release probability), which jumps up at each
  presynaptic spike and relaxes back with the facilitation time constant
  :math:`\tau_f`;
* :math:`x`, the fraction of *available resources* (neurotransmitter), which
  is used up by each release and recovers with the depression time constant
  :math:`\tau_d`.

Between spikes (exact solution of the linear relaxation)

.. math::

    u(t) = u_\infty + (u^+ - u_\infty)\,e^{-(t-t_{sp})/\tau_f},\qquad
    x(t) = 1 - (1 - x^+)\,e^{-(t-t_{sp})/\tau_d},\qquad
    I(t) = I^+ e^{-(t-t_{sp})/\tau_s},

and at a presynaptic spike

.. math::

    u^+ = u^- + U(1-u^-),\qquad \text{release} = u^+ x^-,\qquad
    x^+ = x^- - u^+x^-,\qquad I^+ = I^- + A\,u^+x^- .

Two conventions exist for the resting value :math:`u_\infty` (see
``TMParams.u_rest``):

* ``"zero"``: :math:`u` relaxes to 0, as in Tsodyks, Pawelzik & Markram (1998)
  the first spike from rest releases
  :math:`U`;
* ``"U"``: :math:`u` relaxes to :math:`U`, as in Mongillo, Barak & Tsodyks
  (2008, SOM eqs. 5–6); the first spike from rest has :math:`u^+=U(2-U)`.

The module offers an exact event-driven simulation for arbitrary spike trains
(:func:`simulate_spikes`), the mean-field (rate) version driven by a firing
rate :math:`r(t)` (:func:`simulate_rate`), and closed-form steady states
(:func:`steady_state_regular`, :func:`mean_field_fixed_point`).  All functions
are vectorised: parameters may be arrays, and broadcast against the trailing
(batch) axes of the spike trains or rates, so thousands of synapses or
parameter sets run in one call.  Time is always the first axis.

References
----------
Tsodyks, M., Pawelzik, K. & Markram, H. (1998). Neural networks with dynamic
synapses. Neural Computation 10, 821–835.

Markram, H., Wang, Y. & Tsodyks, M. (1998). Differential signaling via the same
axon of neocortical pyramidal neurons. PNAS 95, 5323–5328.

Mongillo, G., Barak, O. & Tsodyks, M. (2008). Synaptic theory of working
memory. Science 319, 1543–1546.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from .._validation import (
    Interval,
    Options,
    ParamsMixin,
    check_array,
    check_memory,
    check_random_state,
    check_scalar,
    validate_params,
)

__all__ = [
    "TMParams",
    "rate_derivatives",
    "FACILITATING",
    "DEPRESSING",
    "MBT08",
    "SpikeResponse",
    "RateResponse",
    "SteadyState",
    "MeanFieldState",
    "regular_train",
    "poisson_train",
    "simulate_spikes",
    "simulate_rate",
    "steady_state_regular",
    "mean_field_fixed_point",
    "paired_pulse_ratio",
    "ProbeResponse",
    "probe_after_burst",
    "poisson_mean_release",
]

_POSITIVE = Interval(0.0, np.inf, "neither")
_NON_NEGATIVE = Interval(0.0, np.inf, "left")
_UNIT = Interval(0.0, 1.0, "both")


@dataclass(frozen=True)
class TMParams(ParamsMixin):
    """Parameters of a Tsodyks–Markram synapse.

    Any of ``U``, ``tau_f``, ``tau_d``, ``tau_s`` and ``A`` may be an array: the
    object then describes a batch of synapses, broadcast against the batch axes
    of the input.  Make variants with :func:`dataclasses.replace` (or
    :meth:`replace`); the object itself is immutable.

    Parameters
    ----------
    U : float or array, default=0.2
        Increment of ``u`` at each spike (and its resting value when
        ``u_rest="U"``), in (0, 1].
    tau_f : float or array, default=1.5
        Facilitation time constant, in s: how fast ``u`` returns to rest.
    tau_d : float or array, default=0.2
        Depression (recovery) time constant, in s: how fast ``x`` returns to 1.
    tau_s : float or array, default=0.003
        Decay time constant of the postsynaptic current ``I``, in s
        (``tau_in`` = 3 ms in Tsodyks, Pawelzik & Markram 1998).
    A : float or array, default=1.0
        Absolute synaptic efficacy: the jump of ``I`` for a release of 1.
    dt : float, default=1e-4
        Time step, in s, of the rate (mean-field) integration.  Must be smaller
        than every time constant for a stable forward-Euler step.
    u_rest : {"U", "zero"}, default="U"
        Resting value of ``u``: ``"U"`` as in Mongillo et al. (2008), ``"zero"``
        as in Tsodyks, Pawelzik & Markram (1998).

    Examples
    --------
    >>> TMParams(U=0.45, tau_f=0.05, tau_d=0.75).u_inf
    0.45
    >>> TMParams(tau_d=-0.2)
    Traceback (most recent call last):
    ...
    ValueError: The 'tau_d' parameter of TMParams must be a float in the range (0, inf). Got -0.2 instead.
    """

    U: float = 0.2  # increment of u per spike, in (0, 1]
    tau_f: float = 1.5  # s, facilitation decay
    tau_d: float = 0.2  # s, recovery of resources
    tau_s: float = 0.003  # s, decay of the synaptic current
    A: float = 1.0  # current per unit release
    dt: float = 1e-4  # s, Euler step of the rate model
    u_rest: str = "U"  # "U" (MBT08) or "zero" (TPM98)

    _constraints = {
        "U": Interval(0.0, 1.0, "right"),
        "tau_f": _POSITIVE,
        "tau_d": _POSITIVE,
        "tau_s": _POSITIVE,
        "A": Interval(-np.inf, np.inf),
        "dt": _POSITIVE,
        "u_rest": Options(("U", "zero")),
    }

    def validate(self):
        super().validate()
        if np.ndim(self.dt) != 0:
            raise TypeError(f"The 'dt' parameter of TMParams must be a scalar float. Got {self.dt!r} instead.")
        smallest = float(np.min([np.min(self.tau_f), np.min(self.tau_d), np.min(self.tau_s)]))
        if not self.dt < smallest:
            raise ValueError(
                "The 'dt' parameter of TMParams must be a float in the range "
                f"(0, {smallest:g}) (below the smallest time constant, for a stable Euler step). "
                f"Got {self.dt!r} instead."
            )
        return self

    @property
    def u_inf(self):
        """Resting value of ``u`` (``U`` or 0, per ``u_rest``)."""
        if self.u_rest == "U":
            return self.U
        return np.zeros(np.shape(self.U)) if np.ndim(self.U) else 0.0

    @property
    def batch_shape(self) -> tuple:
        """Broadcast shape of the array-valued parameters (``()`` for one synapse)."""
        return np.broadcast_shapes(*(np.shape(getattr(self, k)) for k in ("U", "tau_f", "tau_d", "tau_s", "A")))



# Parameter sets used throughout the book.
#: Facilitation-dominated synapse (Tsodyks & Wu, Scholarpedia 2013): U 0.15, tau_f 750 ms, tau_d 50 ms.
FACILITATING = TMParams(U=0.15, tau_f=0.75, tau_d=0.05)
#: Depression-dominated synapse (Tsodyks & Wu, Scholarpedia 2013): U 0.45, tau_f 50 ms, tau_d 750 ms.
DEPRESSING = TMParams(U=0.45, tau_f=0.05, tau_d=0.75)
#: Prefrontal E->E synapse of Mongillo, Barak & Tsodyks (2008): U 0.2, tau_f 1.5 s, tau_d 0.2 s.
MBT08 = TMParams(U=0.2, tau_f=1.5, tau_d=0.2)


# ----------------------------------------------------------------------------
# Spike trains
# ----------------------------------------------------------------------------
def regular_train(rate, n_spikes: int, t0: float = 0.0) -> np.ndarray:
    """Spike times of a regular train.

    Parameters
    ----------
    rate : float or array
        Firing rate(s) in Hz, > 0.  An array gives one train per entry.
    n_spikes : int
        Number of spikes, >= 1.
    t0 : float, default=0.0
        Time of the first spike, in s, >= 0.

    Returns
    -------
    ndarray of shape (n_spikes, *rate.shape)
        ``t0 + k / rate`` for ``k = 0 .. n_spikes-1``.
    """
    validate_params(
        "regular_train",
        {"rate": rate, "n_spikes": n_spikes, "t0": t0},
        {"rate": _POSITIVE, "n_spikes": Interval(1, np.inf, "left", integer=True), "t0": Interval(0, np.inf, "left")},
    )
    rate = np.asarray(rate, dtype=float)
    check_memory("regular_train", 8.0 * n_spikes * max(rate.size, 1), f"{n_spikes} spikes per train")
    k = np.arange(int(n_spikes), dtype=float).reshape((-1,) + (1,) * rate.ndim)
    return t0 + k / rate


def poisson_train(rate, duration: float, rng, n_trains: int = 1) -> np.ndarray:
    """Spike times of independent homogeneous Poisson trains.

    Parameters
    ----------
    rate : float
        Firing rate in Hz, >= 0 (a single number).
    duration : float
        Length of the trains in s, > 0.
    rng : int or numpy.random.Generator
        Seed or generator (results are reproducible for a given seed).
    n_trains : int, default=1
        Number of independent trains.

    Returns
    -------
    ndarray of shape (max_spikes, n_trains)
        Sorted spike times, padded at the end with NaN (trains differ in length).
    """
    rate = check_scalar("poisson_train", "rate", rate, _NON_NEGATIVE)
    duration = check_scalar("poisson_train", "duration", duration, _POSITIVE)
    n_trains = check_scalar("poisson_train", "n_trains", n_trains, Interval(1, np.inf, "left", integer=True))
    rng = check_random_state(rng, "rng", "poisson_train")
    expected = float(rate) * float(duration)
    check_memory("poisson_train", 8.0 * (expected + 10.0 * np.sqrt(expected) + 2.0) * n_trains,
                 f"{n_trains} trains of about {expected:.3g} spikes")
    counts = rng.poisson(expected, size=int(n_trains))
    n_max = max(int(counts.max()), 1)
    times = np.sort(rng.uniform(0.0, duration, size=(n_max, int(n_trains))), axis=0)
    times[np.arange(n_max)[:, None] >= counts[None, :]] = np.nan
    return times


# ----------------------------------------------------------------------------
# Event-driven simulation
# ----------------------------------------------------------------------------
class SpikeResponse(NamedTuple):
    """Output of :func:`simulate_spikes`.

    Per-spike arrays have shape ``(n_spikes, *batch)`` (NaN where the input
    train was padded); traces have shape ``(n_t, *batch)`` and are ``None``
    when no ``t_eval`` grid was requested.
    """

    spike_times: np.ndarray  #: input spike times, broadcast to the batch
    u_minus: np.ndarray  #: u just before each spike
    u_plus: np.ndarray  #: u just after each spike
    x_minus: np.ndarray  #: x just before each spike
    x_plus: np.ndarray  #: x just after each spike
    release: np.ndarray  #: u+ x-, the fraction of resources released by each spike
    I_plus: np.ndarray  #: synaptic current just after each spike
    t: np.ndarray | None  #: the evaluation grid, s
    u: np.ndarray | None  #: u(t)
    x: np.ndarray | None  #: x(t)
    I: np.ndarray | None  #: I(t)


def _as_batch(params: TMParams, batch_shape: tuple) -> dict:
    names = ("U", "tau_f", "tau_d", "tau_s", "A")
    out = {k: np.broadcast_to(np.asarray(getattr(params, k), dtype=float), batch_shape) for k in names}
    out["u_inf"] = out["U"] if params.u_rest == "U" else np.zeros(batch_shape)
    return out


def _check_params(owner: str, params) -> TMParams:
    if not isinstance(params, TMParams):
        raise TypeError(f"The 'params' parameter must be a TMParams (the synapses of {owner}). "
                        f"Got {type(params).__name__} instead.")
    return params


def _check_spike_times(spike_times) -> np.ndarray:
    s = check_array("simulate_spikes", "spike_times", spike_times, allow_nan=True, allow_empty=True)
    if s.ndim == 0:
        s = s[None]
    if s.shape[0] == 0:
        raise ValueError("The 'spike_times' parameter must contain at least one spike. Got an empty array instead.")
    valid = ~np.isnan(s)
    if np.any(np.isinf(s)) or np.any(s[valid] < 0):
        raise ValueError("The 'spike_times' parameter must hold finite times >= 0 (NaN only as end padding).")
    # padding only at the end of each train: once NaN, always NaN
    if np.any(valid[1:] & ~valid[:-1]):
        raise ValueError("The 'spike_times' parameter may contain NaN only as padding after the last spike of a train.")
    diffs = np.diff(s, axis=0)
    if np.any(diffs[~np.isnan(diffs)] < 0):
        raise ValueError("The 'spike_times' parameter must be sorted in time along axis 0.")
    return s


def _count_at_or_before(spikes: np.ndarray, t: np.ndarray) -> np.ndarray:
    """Number of spikes ``<= t`` for every grid time and every train.

    ``spikes`` has shape (n_spikes, B), sorted, NaN-padded; ``t`` has shape
    (n_t,).  One ``searchsorted`` over all trains: each train is shifted by its
    own offset so that the concatenation stays sorted.
    """
    n_spk, n_b = spikes.shape
    span = float(max(np.nanmax(spikes) if np.any(~np.isnan(spikes)) else 0.0, t.max(), 0.0)) + 1.0
    filled = np.where(np.isnan(spikes), span - 0.5, spikes)  # padding sits after every real time
    offsets = span * np.arange(n_b)
    flat = (filled + offsets[None, :]).T.ravel()
    queries = t[:, None] + offsets[None, :]
    idx = np.searchsorted(flat, queries.ravel(), side="right").reshape(queries.shape)
    return idx - n_spk * np.arange(n_b)[None, :]


def simulate_spikes(spike_times, params: TMParams, t_eval=None) -> SpikeResponse:
    r"""Exact event-driven simulation of Tsodyks–Markram synapses.

    The synapse is at rest at :math:`t=0` (:math:`u=u_\infty`, :math:`x=1`,
    :math:`I=0`).  Between spikes the linear relaxations are solved exactly; at
    each spike (in this order)

    .. math::

        u^+ = u^- + U(1-u^-),\quad r = u^+x^-,\quad x^+ = x^- - r,\quad I^+ = I^- + A r .

    Parameters
    ----------
    spike_times : array of shape (n_spikes,) or (n_spikes, *batch)
        Presynaptic spike times in s, sorted along axis 0; trains of different
        lengths are padded at the end with NaN.
    params : TMParams
        Synapse parameters; array-valued fields broadcast against ``batch``.
    t_eval : array of shape (n_t,), optional
        Times (s) at which to sample :math:`u(t), x(t), I(t)`.  At a spike time
        the post-spike value is returned.

    Returns
    -------
    SpikeResponse
        Per-spike values (shape ``(n_spikes, *batch)``) and, if ``t_eval`` was
        given, traces of shape ``(n_t, *batch)``.
    """
    _check_params("simulate_spikes", params)
    s = _check_spike_times(spike_times)
    try:
        batch_shape = np.broadcast_shapes(s.shape[1:], params.batch_shape)
    except ValueError:
        raise ValueError(f"The 'spike_times' parameter of simulate_spikes must have shape (n_spikes, *batch), with a batch "
                         f"that broadcasts against the parameters' {params.batch_shape}. Got shape {s.shape} instead.") from None
    if t_eval is not None:
        t_eval = check_array("simulate_spikes", "t_eval", t_eval, Interval(-np.inf, np.inf), ndim=1)
        check_memory("simulate_spikes", 8.0 * 12 * t_eval.size * max(int(np.prod(batch_shape)), 1), "the traces")
    s = np.broadcast_to(s.reshape(s.shape[:1] + (1,) * (len(batch_shape) - s.ndim + 1) + s.shape[1:]),
                        s.shape[:1] + batch_shape)  # a train of shape (n_spikes,) is shared by the whole batch
    p = _as_batch(params, batch_shape)

    n = s.shape[0]
    u_minus, u_plus, x_minus, x_plus, release, I_plus = (np.empty(s.shape) for _ in range(6))
    u_prev, x_prev, I_prev = p["u_inf"].copy(), np.ones(batch_shape), np.zeros(batch_shape)
    t_prev = np.zeros(batch_shape)
    for k in range(n):
        elapsed = s[k] - t_prev
        um, xm = tm_relaxation(u_prev, x_prev, np.exp(-elapsed / p["tau_f"]), np.exp(-elapsed / p["tau_d"]),
                               p["u_inf"])
        Im = I_prev * np.exp(-elapsed / p["tau_s"])
        up, r, x_plus[k] = tm_spike_equations(um, xm, p["U"])
        u_minus[k], u_plus[k], x_minus[k], release[k] = um, up, xm, r
        I_plus[k] = Im + p["A"] * r
        u_prev, x_prev, I_prev, t_prev = up, x_plus[k], I_plus[k], s[k]

    traces = (None, None, None, None)
    if t_eval is not None:
        traces = _traces(s, u_plus, x_plus, I_plus, p, t_eval, batch_shape)
    return SpikeResponse(s, u_minus, u_plus, x_minus, x_plus, release, I_plus, *traces)


def tm_spike_equations(u_minus, x_minus, U):
    """What one presynaptic spike does, unchecked (numbers, arrays or tensors; the engines' inner loops).

    :math:`u^+ = u^- + U(1-u^-)`, the release :math:`r = u^+x^-`, :math:`x^+ = x^- - r`; returns
    ``(u_plus, release, x_plus)``.  :func:`simulate_spikes` and the spiking network (:mod:`wmlib.network`) both
    call it, so that every chapter's synapse is the same.  Not part of the public API: use :func:`simulate_spikes`.
    """
    u_plus = u_minus + U * (1.0 - u_minus)
    release = u_plus * x_minus
    return u_plus, release, x_minus - release


def tm_relaxation(u, x, decay_f, decay_d, u_inf):
    r"""The exact relaxation between spikes, unchecked: ``u`` towards ``u_inf``, ``x`` towards 1.

    ``decay_f`` and ``decay_d`` are :math:`e^{-\Delta t/\tau_f}` and :math:`e^{-\Delta t/\tau_d}` for the
    elapsed time :math:`\Delta t` (computed by the caller, with numpy or torch); returns ``(u, x)``.
    """
    return u_inf + (u - u_inf) * decay_f, 1.0 - (1.0 - x) * decay_d


def _traces(s, u_plus, x_plus, I_plus, p, t_eval, batch_shape):
    t = t_eval
    n = s.shape[0]
    flat = lambda a: a.reshape(n, -1)  # noqa: E731 - (n_spikes, B)
    count = _count_at_or_before(flat(s), t)  # (n_t, B)
    last = np.clip(count - 1, 0, None)
    take = lambda a: np.take_along_axis(flat(a), last, axis=0)  # noqa: E731
    fired = count > 0
    t_last = np.where(fired, take(s), 0.0)
    pb = {k: v.reshape(1, -1) for k, v in p.items()}
    u0 = np.where(fired, take(u_plus), pb["u_inf"])
    x0 = np.where(fired, take(x_plus), 1.0)
    I0 = np.where(fired, take(I_plus), 0.0)
    elapsed = t[:, None] - t_last
    u, x = tm_relaxation(u0, x0, np.exp(-elapsed / pb["tau_f"]), np.exp(-elapsed / pb["tau_d"]), pb["u_inf"])
    I = I0 * np.exp(-elapsed / pb["tau_s"])
    shape = (t.size,) + batch_shape
    return t, u.reshape(shape), x.reshape(shape), I.reshape(shape)


# ----------------------------------------------------------------------------
# Rate (mean-field) version
# ----------------------------------------------------------------------------
class RateResponse(NamedTuple):
    """Output of :func:`simulate_rate`: arrays of shape ``(n_steps + 1, *batch)``."""

    t: np.ndarray  #: time grid, s (shape (n_steps + 1,))
    u: np.ndarray  #: mean utilisation
    x: np.ndarray  #: mean available resources
    I: np.ndarray  #: mean synaptic current
    efficacy: np.ndarray  #: u * x, the mean release per spike


def rate_derivatives(u, x, rate, U, u_inf, tau_f, tau_d):
    r"""Right-hand side of the mean-field Tsodyks–Markram equations (rates in Hz, times in s).

    .. math::  \frac{du}{dt} = \frac{u_\infty-u}{\tau_f} + U(1-u)\,r,\qquad
               \frac{dx}{dt} = \frac{1-x}{\tau_d} - u\,x\,r

    Returns ``(du/dt, dx/dt)``.  Arguments are numbers or arrays that broadcast together: ``u``, ``x`` and
    ``u_inf`` in [0, 1], ``rate`` >= 0 Hz, ``U`` in (0, 1], ``tau_f`` and ``tau_d`` > 0 s.  The equations
    themselves are :func:`tm_rate_equations`, which :func:`simulate_rate` and the network models
    (:mod:`wmlib.capacity`, compiled or on a GPU) call unchecked in their time loops, so that every chapter
    integrates the same synapse.
    """
    constraints = {"u": _UNIT, "x": _UNIT, "rate": _NON_NEGATIVE, "U": Interval(0.0, 1.0, "right"), "u_inf": _UNIT,
                   "tau_f": _POSITIVE, "tau_d": _POSITIVE}
    values = {"u": u, "x": x, "rate": rate, "U": U, "u_inf": u_inf, "tau_f": tau_f, "tau_d": tau_d}
    validate_params("rate_derivatives", values, constraints)
    arrays = {k: np.asarray(v, dtype=float) for k, v in values.items()}
    try:
        np.broadcast_shapes(*(a.shape for a in arrays.values()))
    except ValueError:
        shapes = ", ".join(f"{k} {a.shape}" for k, a in arrays.items())
        raise ValueError(f"The arguments of rate_derivatives must broadcast together. Got shapes {shapes}.") from None
    if all(a.ndim == 0 for a in arrays.values()):
        return tuple(float(d) for d in tm_rate_equations(*(float(a) for a in arrays.values())))
    return tm_rate_equations(*arrays.values())


def tm_rate_equations(u, x, rate, U, u_inf, tau_f, tau_d):
    """The equations of :func:`rate_derivatives`, unchecked: numbers, arrays or tensors (engines' inner loops).

    Not part of the public API (no checks, by design): use :func:`rate_derivatives`.
    """
    return (u_inf - u) / tau_f + U * (1.0 - u) * rate, (1.0 - x) / tau_d - u * x * rate


def simulate_rate(rate, params: TMParams, u0=None, x0=None) -> RateResponse:
    r"""Mean-field Tsodyks–Markram synapse driven by a presynaptic rate.

    Forward-Euler integration, with the rate held constant over each step:

    .. math::

        \frac{du}{dt} = \frac{u_\infty-u}{\tau_f} + U(1-u)\,r,\qquad
        \frac{dx}{dt} = \frac{1-x}{\tau_d} - u\,x\,r,\qquad
        \frac{dI}{dt} = -\frac{I}{\tau_s} + A\,u\,x\,r .

    This is the form used by Mi, Katkov & Tsodyks (2017); it ignores the
    correlations between :math:`u` and :math:`x` and the difference between
    :math:`u^-` and :math:`u^+`, so it is accurate at rates of ~10 Hz and
    above (compare :func:`simulate_spikes` on Poisson trains).

    Parameters
    ----------
    rate : array of shape (n_steps,) or (n_steps, *batch)
        Presynaptic firing rate in Hz (>= 0) during each step of length ``params.dt``.
    params : TMParams
        Synapse parameters (array fields broadcast against ``batch``).
    u0, x0 : float or array, optional
        Initial state; defaults to rest (``u_inf`` and 1).

    Returns
    -------
    RateResponse
        ``t``, ``u``, ``x``, ``I`` and ``efficacy = u * x`` at the ``n_steps + 1``
        grid points ``0, dt, ..., n_steps * dt``.

    Raises
    ------
    ValueError
        If ``rate`` is negative or not finite, or if ``params.dt`` is too large
        for a stable step at the highest rate given.
    """
    _check_params("simulate_rate", params)
    r = check_array("simulate_rate", "rate", rate, allow_nan=True)
    if not np.all(np.isfinite(r)) or np.any(r < 0):
        raise ValueError("The 'rate' parameter must hold finite rates >= 0 Hz (the input of simulate_rate).")
    if r.ndim == 0:
        raise ValueError("The 'rate' parameter must be an array with time on axis 0 (shape (n_steps, ...)) in "
                         "simulate_rate. Got a scalar instead.")
    dt = params.dt
    r_max = float(r.max()) if r.size else 0.0
    limit = 1.0 / max(
        float(np.max(1.0 / np.asarray(params.tau_f) + np.asarray(params.U) * r_max)),
        float(np.max(1.0 / np.asarray(params.tau_d))) + r_max,
        float(np.max(1.0 / np.asarray(params.tau_s))),
    )
    if not dt < limit:
        raise ValueError(
            f"The 'dt' parameter of TMParams must be a float in the range (0, {limit:.3g}) for a stable step "
            f"at the highest rate given ({r_max:g} Hz). Got {dt!r} instead."
        )
    try:
        batch_shape = np.broadcast_shapes(r.shape[1:], params.batch_shape)
    except ValueError:
        raise ValueError(f"The 'rate' parameter of simulate_rate must have shape (n_steps, *batch), with a batch that "
                         f"broadcasts against the parameters' {params.batch_shape}. Got shape {r.shape} instead.") from None
    r = np.broadcast_to(r.reshape(r.shape[:1] + (1,) * (len(batch_shape) - r.ndim + 1) + r.shape[1:]),
                        r.shape[:1] + batch_shape)  # one rate of shape (n_steps,) drives the whole batch
    p = _as_batch(params, batch_shape)
    n = r.shape[0]
    check_memory("simulate_rate", 8.0 * 5 * (n + 1) * max(int(np.prod(batch_shape)), 1), "the traces")
    u = np.empty((n + 1,) + batch_shape)
    x = np.empty_like(u)
    I = np.empty_like(u)
    for name, v in (("u0", u0), ("x0", x0)):
        if v is not None:
            validate_params("simulate_rate", {name: v}, {name: Interval(0.0, 1.0, "both")})
            try:
                np.broadcast_to(np.asarray(v, dtype=float), batch_shape)
            except ValueError:
                raise ValueError(f"The {name!r} parameter of simulate_rate must broadcast to the batch shape "
                                 f"{batch_shape}. Got shape {np.shape(v)} instead.") from None
    u[0] = p["u_inf"] if u0 is None else u0
    x[0] = 1.0 if x0 is None else x0
    I[0] = 0.0
    for k in range(n):
        du, dx = tm_rate_equations(u[k], x[k], r[k], p["U"], p["u_inf"], p["tau_f"], p["tau_d"])
        u[k + 1] = u[k] + dt * du
        x[k + 1] = x[k] + dt * dx
        I[k + 1] = I[k] + dt * (-I[k] / p["tau_s"] + p["A"] * u[k] * x[k] * r[k])
    t = dt * np.arange(n + 1)
    return RateResponse(t, u, x, I, u * x)


# ----------------------------------------------------------------------------
# Closed forms
# ----------------------------------------------------------------------------
class SteadyState(NamedTuple):
    """Closed-form steady state of a regular train (see :func:`steady_state_regular`)."""

    u_minus: np.ndarray
    u_plus: np.ndarray
    x_minus: np.ndarray
    release: np.ndarray  #: u+ x-, release per spike
    I_plus: np.ndarray  #: peak current after each spike


class MeanFieldState(NamedTuple):
    """Fixed point of the mean-field equations (see :func:`mean_field_fixed_point`)."""

    u: np.ndarray
    x: np.ndarray
    efficacy: np.ndarray  #: u* x*, release per spike
    transmitted: np.ndarray  #: u* x* r, released resources per second


def steady_state_regular(rate, params: TMParams) -> SteadyState:
    r"""Steady state reached by a long regular train at ``rate`` (closed form).

    With :math:`\Delta=1/f`, :math:`e_f=e^{-\Delta/\tau_f}`, :math:`e_d=e^{-\Delta/\tau_d}`,
    :math:`e_s=e^{-\Delta/\tau_s}`:

    * ``u_rest="zero"``: :math:`u^+_\infty = U/(1-(1-U)e_f)` and :math:`u^-_\infty = u^+_\infty e_f`;
    * ``u_rest="U"``: :math:`u^-_\infty = U/(1-(1-U)e_f)` and :math:`u^+_\infty = u^-_\infty + U(1-u^-_\infty)`;
    * both: :math:`x^-_\infty = (1-e_d)/(1-(1-u^+_\infty)e_d)`,
      release :math:`u^+_\infty x^-_\infty`, and peak current
      :math:`I^+_\infty = A\,u^+_\infty x^-_\infty/(1-e_s)`.

    Derivation: write the map from one spike to the next (decay for
    :math:`\Delta`, then jump) and solve for its fixed point; the map is linear
    in :math:`u` and, given :math:`u^+`, in :math:`x`.
    """
    _check_params("steady_state_regular", params)
    validate_params("steady_state_regular", {"rate": rate}, {"rate": _POSITIVE})
    delta = 1.0 / np.asarray(rate, dtype=float)
    U, tau_f, tau_d, tau_s, A = (np.asarray(getattr(params, k), dtype=float) for k in ("U", "tau_f", "tau_d", "tau_s", "A"))
    e_f, e_d, e_s = np.exp(-delta / tau_f), np.exp(-delta / tau_d), np.exp(-delta / tau_s)
    fixed = U / (1.0 - (1.0 - U) * e_f)
    if params.u_rest == "zero":
        u_plus, u_minus = fixed, fixed * e_f
    else:
        u_minus = fixed
        u_plus = u_minus + U * (1.0 - u_minus)
    x_minus = (1.0 - e_d) / (1.0 - (1.0 - u_plus) * e_d)
    release = u_plus * x_minus
    return SteadyState(u_minus, u_plus, x_minus, release, A * release / (1.0 - e_s))


def mean_field_fixed_point(rate, params: TMParams) -> MeanFieldState:
    r"""Fixed point of the mean-field equations at a constant rate :math:`r`.

    Setting the derivatives of :func:`simulate_rate` to zero:

    .. math::

        u^* = \frac{u_\infty/\tau_f + U r}{1/\tau_f + U r},\qquad
        x^* = \frac{1}{1+u^*\tau_d r},\qquad
        u^*x^*r \xrightarrow{r\to\infty} 1/\tau_d .

    (With ``u_rest="U"`` this is :math:`u^* = U(1+\tau_f r)/(1+U\tau_f r)`.)
    """
    _check_params("mean_field_fixed_point", params)
    validate_params("mean_field_fixed_point", {"rate": rate}, {"rate": Interval(0, np.inf, "left")})
    r = np.asarray(rate, dtype=float)
    U, tau_f, tau_d = (np.asarray(getattr(params, k), dtype=float) for k in ("U", "tau_f", "tau_d"))
    u_inf = U if params.u_rest == "U" else 0.0
    u = (u_inf / tau_f + U * r) / (1.0 / tau_f + U * r)
    x = 1.0 / (1.0 + u * tau_d * r)
    return MeanFieldState(u, x, u * x, u * x * r)


def paired_pulse_ratio(params: TMParams, interval: float = 0.05):
    """Release by the second of two spikes divided by the first (synapse at rest).

    A ratio above 1 is paired-pulse facilitation, below 1 paired-pulse depression.

    Parameters
    ----------
    params : TMParams
    interval : float, default=0.05
        Time between the two spikes, in s (> 0).
    """
    _check_params("paired_pulse_ratio", params)
    validate_params("paired_pulse_ratio", {"interval": interval}, {"interval": _POSITIVE})
    res = simulate_spikes(np.array([0.0, float(interval)]), params)
    return res.release[1] / res.release[0]


class ProbeResponse(NamedTuple):
    """Output of :func:`probe_after_burst` (arrays of shape ``(n_delays, *batch)``)."""

    delays: np.ndarray  #: silent interval between the end of the burst and the probe, s
    release: np.ndarray  #: u+ x- of the probe spike
    rest_release: np.ndarray  #: u+ x- of a spike at rest (the first spike of the burst)
    u_minus: np.ndarray  #: u just before the probe
    x_minus: np.ndarray  #: x just before the probe


def probe_after_burst(params: TMParams, delays, burst_rate: float = 50.0, n_burst: int = 10) -> ProbeResponse:
    """Release by a single probe spike sent ``delay`` seconds after a brief burst.

    The protocol behind the synaptic theory of working memory: a burst raises
    ``u`` (facilitation) and lowers ``x`` (depression); during the following
    silence ``x`` recovers within ~``tau_d`` while ``u`` stays elevated for
    ~``tau_f``, so a probe spike releases *more* than a spike at rest for a
    time of order ``tau_f`` -- a memory held without any activity.

    All delays (and any array-valued parameters) run in one batched call.

    Parameters
    ----------
    params : TMParams
    delays : array of shape (n_delays,)
        Silent intervals after the last burst spike, in s (> 0).
    burst_rate : float, default=50.0
        Rate of the regular burst, in Hz (> 0).
    n_burst : int, default=10
        Number of spikes in the burst (>= 1).
    """
    _check_params("probe_after_burst", params)
    validate_params(
        "probe_after_burst",
        {"delays": delays, "burst_rate": burst_rate, "n_burst": n_burst},
        {"delays": _POSITIVE, "burst_rate": _POSITIVE, "n_burst": Interval(1, np.inf, "left", integer=True)},
    )
    delays = np.atleast_1d(np.asarray(delays, dtype=float))
    if delays.ndim != 1:
        raise ValueError("The 'delays' parameter of probe_after_burst must be a 1-D array.")
    burst = regular_train(burst_rate, int(n_burst))  # (n_burst,)
    probe = burst[-1] + delays  # (n_delays,)
    extra = (1,) * len(params.batch_shape)
    spikes = np.concatenate(
        [np.broadcast_to(burst[:, None], (burst.size, delays.size)), probe[None, :]], axis=0
    ).reshape((burst.size + 1, delays.size) + extra)
    res = simulate_spikes(spikes, params)
    return ProbeResponse(delays, res.release[-1], res.release[0], res.u_minus[-1], res.x_minus[-1])


def poisson_mean_release(rate, params: TMParams, duration: float, rng, n_trains: int = 100, burn_in: float | None = None):
    """Average release per spike, ``<u+ x->``, of Poisson trains (Monte Carlo).

    Compare with :func:`mean_field_fixed_point`, which neglects the
    fluctuations of ``u`` and ``x`` and the jump from ``u-`` to ``u+``.

    Parameters
    ----------
    rate : float
        Poisson rate in Hz (> 0).
    params : TMParams
        A single synapse (scalar fields).
    duration : float
        Length of each train in s (> 0).
    rng : int or numpy.random.Generator
    n_trains : int, default=100
    burn_in : float, optional
        Spikes before this time (s) are discarded; default ``5 * max(tau_f, tau_d)``,
        which must be shorter than ``duration``.

    Returns
    -------
    float
        Mean of ``u+ x-`` over all spikes after the burn-in, pooled over trains.
    """
    _check_params("poisson_mean_release", params)
    rate = check_scalar("poisson_mean_release", "rate", rate, _POSITIVE)
    duration = check_scalar("poisson_mean_release", "duration", duration, _POSITIVE)
    n_trains = check_scalar("poisson_mean_release", "n_trains", n_trains, Interval(1, np.inf, "left", integer=True))
    if params.batch_shape != ():
        raise ValueError("The 'params' parameter of poisson_mean_release must describe a single synapse (scalar fields).")
    if burn_in is None:
        burn_in = 5.0 * max(float(params.tau_f), float(params.tau_d))
    burn_in = check_scalar("poisson_mean_release", "burn_in", burn_in, _NON_NEGATIVE)
    if not burn_in < duration:
        raise ValueError(
            f"The 'burn_in' parameter of poisson_mean_release must be a float in the range [0, {duration:g}) "
            f"(shorter than 'duration'). Got {burn_in!r} instead."
        )
    spikes = poisson_train(rate, duration, rng, n_trains)
    res = simulate_spikes(spikes, params)
    keep = ~np.isnan(spikes) & (spikes >= burn_in)
    if not np.any(keep):
        raise ValueError("No spike fell after the burn-in: increase 'duration', 'rate' or 'n_trains'.")
    return float(res.release[keep].mean())
