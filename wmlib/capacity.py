r"""Working-memory capacity in the cluster rate model of Mi, Katkov & Tsodyks (2017).

:math:`P` excitatory clusters (one per item) with synaptic current :math:`h_\mu` and
Tsodyks–Markram variables :math:`u_\mu, x_\mu`, and one inhibitory population
:math:`h_I`, with the gain :math:`R(h) = \alpha \ln(1 + e^{h/\alpha})`:

.. math::

    \tau \dot h_\mu &= -h_\mu + J_{EE}\,u_\mu x_\mu R(h_\mu) - J_{EI} R(h_I) + I_b + I^{ext}_\mu(t) + \sigma\sqrt{\tau}\,\xi_\mu(t)\\
    \dot u_\mu &= \frac{U - u_\mu}{\tau_f} + U (1 - u_\mu) R(h_\mu),\qquad
    \dot x_\mu = \frac{1 - x_\mu}{\tau_d} - u_\mu x_\mu R(h_\mu)\\
    \tau_I \dot h_I &= -h_I + J_{IE} \sum_\nu R(h_\nu)

(Mi et al. 2017, STAR Methods; the seed essay's eq. 3).  The synaptic variables follow
the mean-field Tsodyks–Markram equations of :mod:`wmlib.synapse`
(:func:`wmlib.synapse.rate_derivatives`, the same code as :func:`wmlib.synapse.simulate_rate`).
A loaded cluster keeps its item as periodic *population spikes* (PS): brief bursts in
which facilitation (``u``) builds up and resources (``x``) are used, each burst
triggering a pulse of inhibition that silences the other clusters.

Every parameter of :class:`ClusterParams` may be an array: one call to :func:`simulate`
integrates all the parameter sets (and noisy trials) at once, vectorised over a batch
axis.

Default parameters are those of the public BrainPy example of the model (the paper's
STAR-Methods values could not be checked; see the chapter).
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import NamedTuple

import numpy as np

from ._validation import Interval, ParamsMixin, check_random_state, validate_params
from .synapse import rate_derivatives

__all__ = [
    "ClusterParams",
    "LoadingProtocol",
    "ClusterResult",
    "gain",
    "simulate",
    "population_spikes",
    "active_clusters",
    "capacity",
]

_POS = Interval(0.0, np.inf, "neither")
_NONNEG = Interval(0.0, np.inf, "left")


@dataclass(frozen=True)
class ClusterParams(ParamsMixin):
    """Parameters of the cluster model (times in s).

    Any field except ``n_clusters`` and ``dt`` may be an array; arrays broadcast
    together into a batch of parameter sets.
    """

    n_clusters: int = 16  #: P, number of excitatory clusters
    alpha: float = 1.5  #: softness of the gain R(h)
    J_EE: float = 8.0  #: recurrent excitation within a cluster
    J_EI: float = 1.1  #: inhibition onto the clusters (I -> E)
    J_IE: float = 1.75  #: excitation of the inhibitory population (E -> I)
    U: float = 0.3  #: baseline utilisation
    tau_f: float = 1.5  #: facilitation time constant
    tau_d: float = 0.3  #: depression (recovery) time constant
    tau: float = 0.008  #: time constant of the excitatory currents
    tau_I: float = 0.008  #: time constant of the inhibitory current
    I_b: float = 8.0  #: background input to every cluster
    noise: float = 0.0  #: sigma of the white noise on h (0: deterministic)
    dt: float = 1e-4  #: Euler step

    _constraints = {
        "n_clusters": Interval(1, np.inf, "left", integer=True),
        "alpha": _POS,
        "J_EE": _NONNEG,
        "J_EI": _NONNEG,
        "J_IE": _NONNEG,
        "U": Interval(0.0, 1.0, "right"),
        "tau_f": _POS,
        "tau_d": _POS,
        "tau": _POS,
        "tau_I": _POS,
        "I_b": Interval(-np.inf, np.inf, "neither"),
        "noise": _NONNEG,
        "dt": _POS,
    }

    def validate(self):
        super().validate()
        fastest = min(float(np.min(self.tau)), float(np.min(self.tau_I)))
        if not self.dt <= fastest / 10:
            raise ValueError(f"The 'dt' parameter of ClusterParams must be a float in the range (0, {fastest / 10:g}] "
                             f"(a tenth of the fastest time constant) for an accurate Euler step. Got {self.dt!r} instead.")

    @property
    def batch_shape(self) -> tuple:
        return np.broadcast_shapes(*(np.shape(getattr(self, f.name)) for f in fields(self)
                                     if f.name not in ("n_clusters", "dt")))

    def replace(self, **changes) -> "ClusterParams":
        from dataclasses import replace

        return replace(self, **changes)


@dataclass(frozen=True)
class LoadingProtocol(ParamsMixin):
    """Items loaded one after another: cluster ``k`` receives ``amplitude`` for ``duration`` s
    from ``onset + k * spacing`` (the BrainPy example's protocol: 225 for 30 ms, every 100 ms)."""

    n_items: int = 5
    onset: float = 0.07
    spacing: float = 0.1
    duration: float = 0.03
    amplitude: float = 225.0

    _constraints = {
        "n_items": Interval(0, np.inf, "left", integer=True),
        "onset": _NONNEG,
        "spacing": _POS,
        "duration": _POS,
        "amplitude": Interval(-np.inf, np.inf, "neither"),
    }

    def windows(self) -> np.ndarray:
        """(n_items, 2) start and end time of each item's pulse."""
        start = self.onset + self.spacing * np.arange(self.n_items)
        return np.stack([start, start + self.duration], axis=1)


class ClusterResult(NamedTuple):
    """Recorded traces (every ``record_every`` steps), time on axis 0, then batch, then cluster."""

    t: np.ndarray  #: (T,)
    h: np.ndarray  #: (T, *batch, P) excitatory currents
    u: np.ndarray  #: (T, *batch, P)
    x: np.ndarray  #: (T, *batch, P)
    h_I: np.ndarray  #: (T, *batch) inhibitory current
    alpha: np.ndarray  #: gain softness of each batch entry (to compute rates)

    @property
    def rate(self) -> np.ndarray:
        """R(h) of every cluster, (T, *batch, P)."""
        return gain(self.h, self.alpha[..., None])

    @property
    def efficacy(self) -> np.ndarray:
        """u x of every cluster (multiply by J_EE for the synaptic strength)."""
        return self.u * self.x


def gain(h, alpha):
    r"""Softplus gain :math:`R(h) = \alpha\ln(1 + e^{h/\alpha})`, computed without overflow."""
    alpha = np.asarray(alpha, dtype=float)
    return alpha * np.logaddexp(0.0, np.asarray(h, dtype=float) / alpha)


def _batch(params: ClusterParams, extra: tuple) -> dict:
    shape = np.broadcast_shapes(params.batch_shape, extra)
    out = {}
    for f in fields(params):
        if f.name in ("n_clusters", "dt"):
            continue
        out[f.name] = np.broadcast_to(np.asarray(getattr(params, f.name), dtype=float), shape)[..., None]
    return out, shape


def simulate(params: ClusterParams, protocol: LoadingProtocol = LoadingProtocol(), duration: float = 2.5,
             n_trials: int | None = None, rng=None, record_every: int = 10, order=None) -> ClusterResult:
    """Integrate the cluster model (forward Euler) for ``duration`` s.

    Parameters
    ----------
    params : ClusterParams
        Array fields make a batch of parameter sets.
    protocol : LoadingProtocol
        Which clusters are loaded, when, how strongly.
    duration : float
        Simulated time, s.
    n_trials : int, optional
        Repeat every parameter set this many times (a trailing batch axis), for noisy runs.
    rng : int or numpy.random.Generator, optional
        Seed of the noise; required when ``params.noise > 0``.
    record_every : int, default=10
        Keep every k-th step (10 -> every ms at the default dt).
    order : sequence of int, optional
        Cluster receiving the k-th item (default: 0, 1, 2, ...).

    Returns
    -------
    ClusterResult
    """
    if not isinstance(params, ClusterParams):
        raise TypeError(f"The 'params' parameter must be a ClusterParams. Got {type(params).__name__} instead.")
    if not isinstance(protocol, LoadingProtocol):
        raise TypeError(f"The 'protocol' parameter must be a LoadingProtocol. Got {type(protocol).__name__} instead.")
    validate_params("simulate", {"duration": duration, "record_every": record_every},
                    {"duration": _POS, "record_every": Interval(1, np.inf, "left", integer=True)})
    P = params.n_clusters
    order = np.arange(protocol.n_items) if order is None else np.asarray(order, dtype=int)
    if order.shape != (protocol.n_items,) or (order.size and (order.min() < 0 or order.max() >= P)):
        raise ValueError(f"The 'order' parameter must give one cluster in [0, {P - 1}] per item "
                         f"({protocol.n_items} items). Got {order!r} instead.")
    extra = ()
    if n_trials is not None:
        validate_params("simulate", {"n_trials": n_trials}, {"n_trials": Interval(1, np.inf, "left", integer=True)})
        extra = (int(n_trials),)
    p, shape = _batch(params, params.batch_shape + extra)
    noisy = bool(np.any(params.noise > 0))
    if noisy:
        if rng is None:
            raise ValueError("The 'rng' parameter is required when noise > 0 (results must be reproducible).")
        rng = check_random_state(rng)
    dt = params.dt
    n_steps = int(round(duration / dt))
    n_rec = n_steps // record_every + 1

    h = np.zeros(shape + (P,))
    u = np.broadcast_to(p["U"], h.shape).copy()
    x = np.ones_like(h)
    h_I = np.zeros(shape)
    rec = {k: np.empty((n_rec,) + h.shape) for k in ("h", "u", "x")}
    rec_I = np.empty((n_rec,) + shape)

    # external input: per step, which clusters are driven
    windows = protocol.windows()
    drive = np.zeros(P)
    step_on = np.round(windows / dt).astype(int)
    a = p["alpha"]
    noise_scale = p["noise"] * np.sqrt(dt / p["tau"])  # tau dh = ... dt + sigma sqrt(tau) dW
    k_rec = 0
    for k in range(n_steps + 1):
        if k % record_every == 0:
            rec["h"][k_rec], rec["u"][k_rec], rec["x"][k_rec], rec_I[k_rec] = h, u, x, h_I
            k_rec += 1
        if k == n_steps:
            break
        drive[:] = 0.0
        for item, (s, e) in enumerate(step_on):
            if s <= k < e:
                drive[order[item]] += protocol.amplitude
        r = a * np.logaddexp(0.0, h / a)
        r_I = a[..., 0] * np.logaddexp(0.0, h_I / a[..., 0])
        dh = (-h + p["J_EE"] * u * x * r - p["J_EI"] * r_I[..., None] + p["I_b"] + drive) / p["tau"]
        dh_I = (-h_I + p["J_IE"][..., 0] * r.sum(-1)) / p["tau_I"][..., 0]
        du, dx = rate_derivatives(u, x, r, p["U"], p["U"], p["tau_f"], p["tau_d"])
        h = h + dt * dh
        if noisy:
            h += noise_scale * rng.standard_normal(h.shape)
        u = u + dt * du
        x = x + dt * dx
        h_I = h_I + dt * dh_I
    t = np.arange(n_rec) * dt * record_every
    return ClusterResult(t, rec["h"], rec["u"], rec["x"], rec_I, np.broadcast_to(p["alpha"][..., 0], shape).copy())


def population_spikes(t, rate, threshold: float = 20.0) -> list:
    """Times of the population spikes of one cluster: upward crossings of ``threshold`` (Hz) by ``rate``.

    ``rate`` may be (T,) or (T, ...): the result is then a nested list over the trailing axes.
    """
    t = np.asarray(t, dtype=float)
    rate = np.asarray(rate, dtype=float)
    if rate.shape[0] != t.shape[0]:
        raise ValueError(f"The 'rate' parameter must have time on axis 0 with {t.shape[0]} samples. Got {rate.shape}.")
    if rate.ndim == 1:
        above = rate >= threshold
        up = np.flatnonzero(above[1:] & ~above[:-1]) + 1
        return list(t[up])
    return [population_spikes(t, rate[:, i], threshold) for i in range(rate.shape[1])]


def active_clusters(result: ClusterResult, window: float = 1.0, threshold: float = 20.0, min_spikes: int = 1) -> np.ndarray:
    """Boolean (*batch, P): which clusters emit at least ``min_spikes`` PS in the last ``window`` s."""
    t = result.t
    above = result.rate >= threshold
    up = above[1:] & ~above[:-1]
    late = t[1:] > t[-1] - window
    return up[late].sum(0) >= min_spikes


def capacity(params: ClusterParams, n_items: int = 5, duration: float = 2.5, window: float = 1.0, **kwargs) -> np.ndarray:
    """Number of loaded items still held (clusters emitting PS in the last ``window`` s), per batch entry.

    ``kwargs`` go to :func:`simulate` (``protocol`` defaults to :class:`LoadingProtocol` with ``n_items``).
    """
    protocol = kwargs.pop("protocol", LoadingProtocol(n_items=n_items))
    res = simulate(params, protocol, duration, **kwargs)
    return active_clusters(res, window).sum(-1)
