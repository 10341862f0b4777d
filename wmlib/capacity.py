r"""Working-memory capacity in the cluster rate model of Mi, Katkov & Tsodyks (2017).

:math:`P` excitatory clusters (one per item) with synaptic current :math:`h_\mu` and
Tsodyks–Markram variables :math:`u_\mu, x_\mu`, and one inhibitory population
:math:`h_I`, with the gain :math:`R(h) = \alpha \ln(1 + e^{h/\alpha})`:

.. math::

    \tau \dot h_\mu &= -h_\mu + J_{EE}\,u_\mu x_\mu R(h_\mu) - J_{EI} R(h_I) + I_b + I^{ext}_\mu(t) + \sigma\sqrt{\tau}\,\xi_\mu(t)\\
    \dot u_\mu &= \frac{U - u_\mu}{\tau_f} + U (1 - u_\mu) R(h_\mu),\qquad
    \dot x_\mu = \frac{1 - x_\mu}{\tau_d} - u_\mu x_\mu R(h_\mu)\\
    \tau_I \dot h_I &= -h_I + J_{IE} \sum_\nu R(h_\nu)

(Mi et al. 2017, STAR Methods; the seed essay's eq. 3).  A public re-implementation that
cites the paper's supplementary equations adds weak excitation between clusters; the BrainPy
example, whose parameters we use, has none, and neither does this module.  The synaptic
variables follow the mean-field Tsodyks–Markram equations of :mod:`wmlib.synapse`
(:func:`wmlib.synapse.rate_derivatives`, the same code as :func:`wmlib.synapse.simulate_rate`).
A loaded cluster keeps its item as periodic *population spikes* (PS): brief bursts in
which facilitation (``u``) builds up and resources (``x``) are used, each burst
triggering a pulse of inhibition that silences the other clusters.

Every parameter of :class:`ClusterParams` may be an array: one call to :func:`simulate`
integrates all the parameter sets (and noisy trials) at once.  The Euler steps run in a
loop compiled with numba (:func:`_euler_block`, which reads like the equations above), over
chunks of the batch in parallel threads; ``benchmarks/bench_capacity.py`` measures it.

Default parameters are those of the public BrainPy example of the model (the paper's
STAR-Methods values could not be checked; see the chapter).
"""

from __future__ import annotations

import os
import warnings
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, fields
from typing import NamedTuple

import numpy as np
from numba import njit

from ._validation import Interval, ParamsMixin, check_random_state, validate_params
from .synapse import rate_derivatives

__all__ = [
    "ClusterParams",
    "LoadingProtocol",
    "ClusterResult",
    "gain",
    "ClusterSummary",
    "simulate",
    "summarize",
    "population_spikes",
    "inter_spike_intervals",
    "active_clusters",
    "state_at_spikes",
    "capacity",
    "LoadSweep",
    "load_sweep",
    "max_capacity",
    "critical_background",
    "reignition_state",
    "retention_by_position",
    "t_max",
    "peak_efficacy",
    "critical_input",
    "spacing",
    "fit_spacing",
    "fit_spacing_slope",
    "capacity_estimate",
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
    z = np.asarray(h, dtype=float) / alpha
    return alpha * (np.maximum(z, 0.0) + np.log1p(np.exp(-np.abs(z))))


def _batch(params: ClusterParams, n_trials: int | None) -> tuple:
    """Every field broadcast to (*batch, [n_trials,] 1): the batch of parameter sets, then trials."""
    batch = params.batch_shape
    extra = () if n_trials is None else (int(n_trials),)
    shape = batch + extra
    out = {}
    for f in fields(params):
        if f.name in ("n_clusters", "dt"):
            continue
        v = np.broadcast_to(np.asarray(getattr(params, f.name), dtype=float), batch)
        out[f.name] = np.broadcast_to(v.reshape(batch + (1,) * len(extra)), shape)[..., None]
    return out, shape


class ClusterSummary(NamedTuple):
    """Population spikes counted during the run (no traces kept): what sweeps need."""

    late_spikes: np.ndarray  #: (*batch, P) PS in the last ``window`` s of the run
    n_spikes: np.ndarray  #: (*batch, P) PS over the whole run
    last_spike: np.ndarray  #: (*batch, P) time of the last PS (nan if none)
    first_late_spike: np.ndarray  #: (*batch, P) time of the first PS in the final window (nan if none)

    @property
    def spacing(self) -> np.ndarray:
        """(*batch,) mean time between successive PS of *any* cluster in the final window, t_s.

        With the held items firing in turn, this is the spacing :math:`t_s` of the theory
        (the period of each item divided by the number held).  NaN with fewer than two PS.
        """
        n = self.late_spikes.sum(-1)
        with np.errstate(invalid="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN rows: no PS at all
            span = np.nanmax(np.where(self.late_spikes > 0, self.last_spike, np.nan), -1) - np.nanmin(self.first_late_spike, -1)
        return np.where(n >= 2, span / np.maximum(n - 1, 1), np.nan)

    @property
    def active(self) -> np.ndarray:
        """(*batch, P) clusters with at least one PS in the final window."""
        return self.late_spikes > 0

    @property
    def n_active(self) -> np.ndarray:
        """(*batch,) number of items held at the end."""
        return self.active.sum(-1)


def _check(params, protocol, duration, order):
    if not isinstance(params, ClusterParams):
        raise TypeError(f"The 'params' parameter must be a ClusterParams. Got {type(params).__name__} instead.")
    if not isinstance(protocol, LoadingProtocol):
        raise TypeError(f"The 'protocol' parameter must be a LoadingProtocol. Got {type(protocol).__name__} instead.")
    validate_params("simulate", {"duration": duration}, {"duration": _POS})
    P = params.n_clusters
    order = np.arange(protocol.n_items) if order is None else np.asarray(order, dtype=int)
    if order.shape != (protocol.n_items,) or (order.size and (order.min() < 0 or order.max() >= P)):
        raise ValueError(f"The 'order' parameter must give one cluster in [0, {P - 1}] per item "
                         f"({protocol.n_items} items). Got {order!r} instead.")
    return order


#: Parameter sets integrated together by one thread (a fixed size, so results never depend on n_jobs).
CHUNK = 512


def _integrate(params, protocol, duration, n_trials, rng, order, record_every, window, threshold, n_jobs=None,
               device=None):
    """Split the batch into chunks and integrate them in threads.

    With noise, chunks hold :data:`CHUNK` parameter sets and each has its own noise generator
    (spawned from ``rng`` in chunk order), so the result is the same for any number of threads.
    Without noise every batch entry is computed independently, so the batch is simply split
    evenly between the threads.  The compiled kernel releases the GIL, so the chunks run in
    parallel on several cores.
    """
    if n_trials is not None:
        validate_params("simulate", {"n_trials": n_trials}, {"n_trials": Interval(1, np.inf, "left", integer=True)})
    if n_jobs is not None:
        validate_params("simulate", {"n_jobs": n_jobs}, {"n_jobs": Interval(1, np.inf, "left", integer=True)})
    p, shape = _batch(params, n_trials)
    noisy = bool(np.any(np.asarray(params.noise) > 0))
    if noisy:
        if rng is None:
            raise ValueError("The 'rng' parameter is required when noise > 0 (results must be reproducible).")
        rng = check_random_state(rng)
    n = int(np.prod(shape))
    flat = {k: np.ascontiguousarray(np.broadcast_to(v, shape + (1,)).reshape(n, 1)) for k, v in p.items()}
    if device is not None:  # one torch run over the whole batch (GPU)
        parts = [_integrate_torch(flat, params, protocol, duration, rng if noisy else None, order, record_every,
                                  window, threshold, device)]
        return _assemble(parts, params, shape, flat, record_every)
    threads = n_jobs or os.cpu_count() or 1
    size = CHUNK if noisy else max(1, -(-n // threads))
    chunks = [slice(i, min(i + size, n)) for i in range(0, n, size)]
    rngs = ([np.random.default_rng(int(v)) for v in rng.integers(2**63, size=len(chunks))] if noisy
            else [None] * len(chunks))

    def run(c, g):
        return _integrate_flat({k: v[c] for k, v in flat.items()}, params, protocol, duration, g, order,
                               record_every, window, threshold)

    workers = min(len(chunks), threads)
    if workers == 1:
        parts = [run(c, g) for c, g in zip(chunks, rngs)]
    else:
        with ThreadPoolExecutor(workers) as pool:
            parts = list(pool.map(run, chunks, rngs))
    return _assemble(parts, params, shape, flat, record_every)


def _assemble(parts, params, shape, flat, record_every):
    """Concatenate the chunks' summaries (and traces) and restore the batch shape."""
    P = params.n_clusters
    summary = ClusterSummary(*(np.concatenate([q[1][i] for q in parts]).reshape(shape + (P,)) for i in range(4)))
    if record_every is None:
        return None, summary
    rec = parts[0][0]
    cat = {k: np.concatenate([q[0][k] for q in parts], axis=1) for k in ("h", "u", "x", "h_I")}
    result = ClusterResult(rec["t"], cat["h"].reshape((-1,) + shape + (P,)), cat["u"].reshape((-1,) + shape + (P,)),
                           cat["x"].reshape((-1,) + shape + (P,)), cat["h_I"].reshape((-1,) + shape),
                           flat["alpha"][:, 0].reshape(shape).copy())
    return result, summary


#: Steps integrated per call of the compiled kernel (the noise of a block is drawn at once).
BLOCK = 256

_rate_derivatives = njit(cache=True, inline="always")(rate_derivatives)  # wmlib.synapse's equations, compiled


@njit(cache=True, inline="always")
def _softplus(h, alpha):
    """R(h) = alpha log(1 + exp(h / alpha)), without overflow (same formula as :func:`gain`)."""
    z = h / alpha
    return alpha * (max(z, 0.0) + np.log1p(np.exp(-abs(z))))


@njit(cache=True, nogil=True)
def _euler_block(k0, k1, h, u, x, h_I, c, ext, noise, threshold, late_from, dt, record_every,
                 above, late, count, last, first_late, rec_h, rec_u, rec_x, rec_I):
    """Forward-Euler steps k0 .. k1-1 for every batch entry and cluster, in place.

    ``c`` holds one row of constants per batch entry: alpha, J_EE, J_EI, J_IE, U, tau_f, tau_d,
    dt/tau, dt/tau_I, I_b, noise scale.  ``ext[k - k0, mu]`` is the external drive of cluster mu
    at step k; ``noise[k - k0]`` the standard normal draws of step k (empty when noiseless).
    """
    n, P = h.shape
    noisy = noise.shape[0] > 0
    recording = rec_h.shape[0] > 0
    for k in range(k0, k1):
        kb = k - k0
        if recording and k % record_every == 0:
            j = k // record_every
            rec_h[j] = h
            rec_u[j] = u
            rec_x[j] = x
            rec_I[j] = h_I
        for i in range(n):
            a, J_EE, J_EI, J_IE, U, tau_f, tau_d, c_h, c_I, I_b, sigma = c[i]
            r_I = _softplus(h_I[i], a)
            total = 0.0
            for mu in range(P):
                r = _softplus(h[i, mu], a)
                # population spikes: upward crossings of the threshold rate
                now = r >= threshold
                if now and not above[i, mu]:
                    count[i, mu] += 1
                    last[i, mu] = k * dt
                    if k >= late_from:
                        late[i, mu] += 1
                        if np.isnan(first_late[i, mu]):
                            first_late[i, mu] = k * dt
                above[i, mu] = now
                total += r
                # tau dh/dt = -h + J_EE u x R(h) - J_EI R(h_I) + I_b + I_ext  (+ noise)
                hm = h[i, mu]
                h[i, mu] = hm + c_h * (J_EE * u[i, mu] * x[i, mu] * r - hm + I_b + ext[kb, mu] - J_EI * r_I)
                if noisy:
                    h[i, mu] += sigma * noise[kb, i, mu]
                # u, x: the mean-field Tsodyks-Markram equations of wmlib.synapse
                du, dx = _rate_derivatives(u[i, mu], x[i, mu], r, U, U, tau_f, tau_d)
                u[i, mu] += dt * du
                x[i, mu] += dt * dx
            # tau_I dh_I/dt = -h_I + J_IE sum_nu R(h_nu)
            h_I[i] += c_I * (J_IE * total - h_I[i])


_CONSTANTS = ("alpha", "J_EE", "J_EI", "J_IE", "U", "tau_f", "tau_d", "c_h", "c_I", "I_b", "sigma")


def _integrate_flat(p, params, protocol, duration, rng, order, record_every, window, threshold):
    """Integrate a flat batch (parameters of shape (n, 1)); counts PS, optionally records.

    The steps run in the compiled :func:`_euler_block`, :data:`BLOCK` steps per call; the noise
    of a block is drawn in one call of ``rng`` (the same stream as one draw per step).
    """
    P = params.n_clusters
    n = p["alpha"].shape[0]
    dt = params.dt
    n_steps = int(round(duration / dt))
    late_from = n_steps - int(round(window / dt))
    derived = {"c_h": dt / p["tau"], "c_I": dt / p["tau_I"],
               "sigma": p["noise"] * np.sqrt(dt / p["tau"])}  # tau dh = (...) dt + sigma sqrt(tau) dW
    consts = np.ascontiguousarray(np.concatenate([derived[k] if k in derived else p[k] for k in _CONSTANTS], axis=1))

    h = np.zeros((n, P))
    u = np.ascontiguousarray(np.broadcast_to(p["U"], (n, P)))
    x = np.ones((n, P))
    h_I = np.zeros(n)
    above = np.zeros((n, P), dtype=np.bool_)
    late = np.zeros((n, P), dtype=np.int64)
    count = np.zeros((n, P), dtype=np.int64)
    last = np.full((n, P), np.nan)
    first_late = np.full((n, P), np.nan)
    recording = record_every is not None
    n_rec = n_steps // record_every + 1 if recording else 0
    rec = [np.empty((n_rec, n, P)) for _ in range(3)] + [np.empty((n_rec, n))]
    # external drive of every cluster at every step: the loading pulses
    ext = np.zeros((n_steps, P))
    for item, (s, e) in enumerate(np.round(protocol.windows() / dt).astype(int)):
        ext[s:e, order[item]] += protocol.amplitude
    no_noise = np.empty((0, n, P))
    for k0 in range(0, n_steps, BLOCK):
        k1 = min(k0 + BLOCK, n_steps)
        noise = rng.standard_normal((k1 - k0, n, P)) if rng is not None else no_noise
        _euler_block(k0, k1, h, u, x, h_I, consts, ext[k0:k1], noise, float(threshold), late_from, dt,
                     int(record_every or 1), above, late, count, last, first_late, *rec)
    if recording and n_steps % record_every == 0:  # the final state
        rec[0][-1], rec[1][-1], rec[2][-1], rec[3][-1] = h, u, x, h_I
    summary = (late, count, last, first_late)
    if not recording:
        return None, summary
    out = dict(zip(("h", "u", "x", "h_I"), rec))
    out["t"] = np.arange(n_rec) * dt * record_every
    return out, summary


def _integrate_torch(p, params, protocol, duration, rng, order, record_every, window, threshold, device):
    """The same Euler steps as :func:`_euler_block`, as whole-batch torch operations (float64).

    For GPUs: each step is a few dozen elementwise kernels over the batch, so it pays off for
    very large batches.  The noise comes from a torch generator seeded from ``rng``: noisy runs
    are reproducible on one device, but differ from the compiled CPU kernel's.
    """
    try:
        import torch
    except ImportError as err:  # pragma: no cover - torch is an optional dependency
        raise ImportError("The 'device' option needs PyTorch: pip install 'wmlib[torch]'.") from err
    if device == "auto":
        device = "cuda" if torch.cuda.is_available() else "cpu"
    try:
        dev = torch.device(device)
    except (RuntimeError, TypeError) as err:
        raise ValueError(f"The 'device' parameter must name a torch device ('cpu', 'cuda', 'cuda:N', 'auto'). "
                         f"Got {device!r} instead.") from err
    if dev.type == "cuda" and not torch.cuda.is_available():
        raise ValueError(f"The 'device' parameter is {device!r} but CUDA is not available here; use 'auto' or 'cpu'.")
    P, dt = params.n_clusters, params.dt
    n = p["alpha"].shape[0]
    n_steps = int(round(duration / dt))
    late_from = n_steps - int(round(window / dt))

    def col(v):
        return torch.tensor(np.asarray(v, dtype=float), device=dev)  # (n, 1), a copy

    a, J_EE, J_EI, J_IE, U = (col(p[k]) for k in ("alpha", "J_EE", "J_EI", "J_IE", "U"))
    tau_f, tau_d, I_b = col(p["tau_f"]), col(p["tau_d"]), col(p["I_b"])
    c_h, c_I = col(dt / p["tau"]), col(dt / p["tau_I"])
    sigma = col(p["noise"] * np.sqrt(dt / p["tau"]))
    gen = None
    if rng is not None:
        gen = torch.Generator(device=dev).manual_seed(int(check_random_state(rng).integers(2**63)))

    def softplus(h, alpha):  # R(h) = alpha (max(z, 0) + log1p(exp(-|z|))), z = h / alpha
        z = h / alpha
        return alpha * (torch.clamp(z, min=0.0) + torch.log1p(torch.exp(-z.abs())))

    h = torch.zeros(n, P, dtype=torch.float64, device=dev)
    u = U.expand(n, P).clone()
    x = torch.ones_like(h)
    h_I = torch.zeros(n, dtype=torch.float64, device=dev)
    above = torch.zeros(n, P, dtype=torch.bool, device=dev)
    late = torch.zeros(n, P, dtype=torch.int64, device=dev)
    count = torch.zeros_like(late)
    nan = torch.full((n, P), float("nan"), dtype=torch.float64, device=dev)
    last, first_late = nan.clone(), nan.clone()
    ext = np.zeros((n_steps, P))
    for item, (s, e) in enumerate(np.round(protocol.windows() / dt).astype(int)):
        ext[s:e, order[item]] += protocol.amplitude
    ext = torch.tensor(ext, device=dev)
    recording = record_every is not None
    n_rec = n_steps // record_every + 1 if recording else 0
    rec = {k: torch.empty((n_rec, n, P), dtype=torch.float64, device=dev) for k in ("h", "u", "x")}
    rec_I = torch.empty((n_rec, n), dtype=torch.float64, device=dev)
    for k in range(n_steps):
        if recording and k % record_every == 0:
            j = k // record_every
            rec["h"][j], rec["u"][j], rec["x"][j], rec_I[j] = h, u, x, h_I
        r = softplus(h, a)
        now = r >= threshold  # population spikes: upward crossings
        up = now & ~above
        count += up
        last = torch.where(up, k * dt, last)
        if k >= late_from:
            late += up
            first_late = torch.where(up & torch.isnan(first_late), k * dt, first_late)
        above = now
        r_I = softplus(h_I, a[:, 0])
        # tau dh/dt = -h + J_EE u x R(h) - J_EI R(h_I) + I_b + I_ext  (+ noise)
        h_next = h + c_h * (J_EE * u * x * r - h + I_b + ext[k] - J_EI * r_I[:, None])
        if gen is not None:
            h_next = h_next + sigma * torch.randn(h.shape, generator=gen, dtype=torch.float64, device=dev)
        du, dx = rate_derivatives(u, x, r, U, U, tau_f, tau_d)  # wmlib.synapse's equations
        u, x = u + dt * du, x + dt * dx
        h_I = h_I + c_I[:, 0] * (J_IE[:, 0] * r.sum(-1) - h_I)
        h = h_next
    summary = tuple(v.cpu().numpy() for v in (late, count, last, first_late))
    if not recording:
        return None, summary
    if n_steps % record_every == 0:  # the final state
        rec["h"][-1], rec["u"][-1], rec["x"][-1], rec_I[-1] = h, u, x, h_I
    out = {k: v.cpu().numpy() for k, v in rec.items()}
    out["h_I"] = rec_I.cpu().numpy()
    out["t"] = np.arange(n_rec) * dt * record_every
    return out, summary


def simulate(params: ClusterParams, protocol: LoadingProtocol = LoadingProtocol(), duration: float = 2.5,
             n_trials: int | None = None, rng=None, record_every: int = 10, order=None, n_jobs: int | None = None,
             device: str | None = None) -> ClusterResult:
    """Integrate the cluster model (forward Euler) for ``duration`` s and keep the traces.

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
    n_jobs : int, optional
        Threads (default: all cores); results do not depend on it.
    device : str, optional
        Run the steps as PyTorch operations on this device instead (``"cuda"``, ``"cpu"`` or
        ``"auto"``): worth it on a GPU for very large batches.  Needs torch.  Without noise the
        results equal the default's to rounding; with noise they use a different random stream.

    Returns
    -------
    ClusterResult
        For large sweeps use :func:`summarize`, which keeps no traces.
    """
    order = _check(params, protocol, duration, order)
    validate_params("simulate", {"record_every": record_every}, {"record_every": Interval(1, np.inf, "left", integer=True)})
    result, _ = _integrate(params, protocol, duration, n_trials, rng, order, int(record_every), 1.0, 20.0, n_jobs,
                           device)
    return result


def summarize(params: ClusterParams, protocol: LoadingProtocol = LoadingProtocol(), duration: float = 2.5,
              n_trials: int | None = None, rng=None, order=None, window: float = 1.0,
              threshold: float = 20.0, n_jobs: int | None = None, device: str | None = None) -> ClusterSummary:
    """Like :func:`simulate`, but only counts population spikes (rate crossing ``threshold`` Hz upwards).

    Memory does not grow with the duration, so thousands of parameter sets fit in one call.
    ``window``: the final stretch (s) in which a cluster must spike to count as holding its item.
    ``device``: as in :func:`simulate` (PyTorch on a GPU for very large sweeps).
    """
    order = _check(params, protocol, duration, order)
    validate_params("summarize", {"window": window, "threshold": threshold},
                    {"window": Interval(0, duration, "right"), "threshold": _POS})
    _, summary = _integrate(params, protocol, duration, n_trials, rng, order, None, float(window), float(threshold),
                            n_jobs, device)
    return summary


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


def inter_spike_intervals(t, rate, threshold: float = 20.0, pooled: bool = False):
    """Intervals between population spikes, from :func:`population_spikes`.

    For ``rate`` of shape (T, P): a list with, per cluster, the intervals between its own PS
    (its period, which must stay below about :func:`t_max` for the item to survive).  With
    ``pooled=True``: one array of the intervals between successive PS of *any* cluster (the
    spacing :math:`t_s` between turns).
    """
    rate = np.asarray(rate, dtype=float)
    if rate.ndim != 2:
        raise ValueError(f"The 'rate' parameter must have shape (time, clusters). Got {rate.shape}.")
    spikes = population_spikes(t, rate, threshold)
    if pooled:
        return np.diff(np.sort(np.concatenate([np.asarray(s, dtype=float) for s in spikes])))
    return [np.diff(np.asarray(s, dtype=float)) for s in spikes]


def active_clusters(result: ClusterResult, window: float = 1.0, threshold: float = 20.0, min_spikes: int = 1) -> np.ndarray:
    """Boolean (*batch, P): which clusters emit at least ``min_spikes`` PS in the last ``window`` s."""
    t = result.t
    above = result.rate >= threshold
    up = above[1:] & ~above[:-1]
    late = t[1:] > t[-1] - window
    return up[late].sum(0) >= min_spikes


def state_at_spikes(result: ClusterResult, after: float = 0.0, threshold: float = 20.0) -> dict:
    """Synaptic state of a cluster when its population spikes start, averaged over the PS after ``after`` s.

    Returns ``{"u": ..., "x": ..., "efficacy": ...}``, each of shape (*batch,); efficacy is
    :math:`u x`.  The efficacy a cluster has when its turn comes sets how strongly it excites
    itself into the next burst.  The theory's spacing :math:`t_s` assumes every turn starts like
    the first one; comparing these numbers across parameter sets shows when it does not.  NaN
    where no PS follows ``after``.  Record with a fine step (``record_every`` of a few steps) so
    the onset is sharp.
    """
    if not isinstance(result, ClusterResult):
        raise TypeError(f"The 'result' parameter must be a ClusterResult. Got {type(result).__name__} instead.")
    validate_params("state_at_spikes", {"after": after, "threshold": threshold},
                    {"after": Interval(0, float(result.t[-1]), "left"), "threshold": _POS})
    above = result.rate >= threshold
    onset = (above[1:] & ~above[:-1]) & (result.t[1:] > after).reshape((-1,) + (1,) * (above.ndim - 1))
    n = onset.sum(axis=(0, -1))
    out = {}
    for name, value in (("u", result.u), ("x", result.x), ("efficacy", result.efficacy)):
        total = np.where(onset, value[1:], 0.0).sum(axis=(0, -1))
        out[name] = np.where(n > 0, total / np.maximum(n, 1), np.nan)
    return out


def capacity(params: ClusterParams, n_items: int = 5, duration: float = 2.5, window: float = 1.0, **kwargs) -> np.ndarray:
    """Number of loaded items still held (clusters emitting PS in the last ``window`` s), per batch entry.

    ``kwargs`` go to :func:`simulate` (``protocol`` defaults to :class:`LoadingProtocol` with ``n_items``).
    """
    protocol = kwargs.pop("protocol", LoadingProtocol(n_items=n_items))
    return summarize(params, protocol, duration, window=window, **kwargs).n_active


class LoadSweep(NamedTuple):
    """What :func:`load_sweep` finds for each parameter set."""

    capacity: np.ndarray  #: (*batch,) most items held over the loads
    load: np.ndarray  #: (*batch,) the largest load that leaves that many items
    spacing: np.ndarray  #: (*batch,) spacing t_s between successive PS after that load (NaN with < 2 PS)


def load_sweep(params: ClusterParams, max_items: int | None = None, duration: float = 4.0, window: float = 1.5,
               loads=None, **kwargs) -> LoadSweep:
    """Load 1, 2, ..., ``max_items`` items (default: all P clusters), or the sizes in ``loads``, and
    keep, per parameter set, the most items held at the end, with the load and the PS spacing
    that go with it (the network "full": the spacing the theory's :math:`t_s` describes).

    Loading far more items than the network holds can make it lose more than the surplus, even
    all of them (the late items keep interrupting the turn-taking of the early ones, see the
    chapter's exercise), so the number kept after one large load underestimates the capacity;
    the maximum over loads does not.  Each load is one batched call over the parameter sets;
    ``kwargs`` go to :func:`summarize`.
    """
    if not isinstance(params, ClusterParams):
        raise TypeError(f"The 'params' parameter must be a ClusterParams. Got {type(params).__name__} instead.")
    P = params.n_clusters
    if loads is None:
        max_items = P if max_items is None else max_items
        validate_params("load_sweep", {"max_items": max_items}, {"max_items": Interval(1, P, "both", integer=True)})
        loads = range(1, int(max_items) + 1)
    loads = [int(k) for k in np.atleast_1d(loads)]
    if not loads or min(loads) < 1 or max(loads) > P:
        raise ValueError(f"The 'loads' parameter must list load sizes in [1, {P}]. Got {loads!r} instead.")
    runs = [summarize(params, LoadingProtocol(n_items=k), duration, window=window, **kwargs) for k in loads]
    held = np.stack([r.n_active for r in runs])
    best = len(loads) - 1 - np.argmax(held[::-1], axis=0)  # the last (largest) load reaching the maximum
    pick = lambda a: np.take_along_axis(a, best[None], axis=0)[0]  # noqa: E731
    return LoadSweep(held.max(axis=0), pick(np.stack([np.broadcast_to(k, held.shape[1:]) for k in loads])),
                     pick(np.stack([r.spacing for r in runs])))


def max_capacity(params: ClusterParams, max_items: int | None = None, duration: float = 4.0,
                 window: float = 1.5, loads=None, **kwargs) -> np.ndarray:
    """Capacity as the most items the network can hold over loads of 1..``max_items`` items (or
    the sizes in ``loads``): ``load_sweep(...).capacity``, see :func:`load_sweep`."""
    return load_sweep(params, max_items, duration, window, loads, **kwargs).capacity


def critical_background(params: ClusterParams = ClusterParams(), lo: float = 0.0, hi: float = 8.0,
                        duration: float = 12.0, window: float = 2.0, n_grid: int = 33) -> float:
    """Simulated critical background :math:`I_{crit}`: the smallest :math:`I_b` at which one loaded
    item is still held after ``duration`` s.

    Two batched grid passes (``n_grid`` values over [lo, hi], then ``n_grid`` values inside the
    bracketing step), so the resolution is ``(hi - lo) / (n_grid - 1)**2``.  Near the threshold
    the PS of a lone item slow down over several seconds before stopping, hence the long run.
    ``params.I_b`` is ignored.  Raises ``ValueError`` if the item is held at ``lo`` or lost at ``hi``.
    """
    if not isinstance(params, ClusterParams):
        raise TypeError(f"The 'params' parameter must be a ClusterParams. Got {type(params).__name__} instead.")
    if params.batch_shape != ():
        raise ValueError("The 'params' parameter of critical_background must be a single parameter set (no array fields).")
    validate_params("critical_background", {"n_grid": n_grid, "lo": lo, "hi": hi},
                    {"n_grid": Interval(3, np.inf, "left", integer=True), "lo": Interval(-np.inf, hi, "neither"),
                     "hi": Interval(lo, np.inf, "neither")})
    one = LoadingProtocol(n_items=1)
    for _ in range(2):
        grid = np.linspace(lo, hi, int(n_grid))
        held = summarize(params.replace(I_b=grid), one, duration, window=window).n_active > 0
        if held[0] or not held[-1]:
            raise ValueError(f"One item is {'held' if held[0] else 'lost'} at I_b = {grid[0 if held[0] else -1]:g}: "
                             f"widen the range [lo, hi] = [{lo:g}, {hi:g}].")
        first = int(np.argmax(held))
        lo, hi = grid[first - 1], grid[first]
    return float(hi)


def reignition_state(params: ClusterParams = ClusterParams(), duration: float = 4.0):
    r"""What a lone held item's cluster feels just before it reignites: :math:`J_{max}` and :math:`I_{inh}`.

    One item is loaded and the run recorded; in the last complete interval between two of its
    PS, while the cluster is still quiet (rate below 1 Hz), we take the moment its efficacy
    peaks and return

    * ``J_max`` :math:`= J_{EE}\,u x` at that moment (its strongest self-excitation),
    * ``I_inh`` :math:`= J_{EI} R(h_I)` at that moment (the inhibition it must overcome),
    * ``h0``: the lowest current of the cluster after its PS (how deep inhibition pushed it),
    * ``u0``, ``x0``: its synaptic variables when the PS is over (rate back below 1 Hz), the
      starting point of :func:`peak_efficacy`,
    * ``period``: the time between its last two PS.

    These are the quantities of eqs. 6-7; :func:`critical_input` turns the first two into
    :math:`I_{crit}`.  Returns a dict of floats.
    """
    if not isinstance(params, ClusterParams):
        raise TypeError(f"The 'params' parameter must be a ClusterParams. Got {type(params).__name__} instead.")
    if params.batch_shape != ():
        raise ValueError("The 'params' parameter of reignition_state must be a single parameter set (no array fields).")
    res = simulate(params, LoadingProtocol(n_items=1), duration, record_every=1)
    t, rate = res.t, res.rate[:, 0]
    spikes = population_spikes(t, rate)
    if len(spikes) < 3:
        raise ValueError(f"The loaded item is not held for {duration:g} s at I_b = {params.I_b:g} "
                         "(fewer than 3 population spikes): raise I_b or the duration.")
    start, stop = np.searchsorted(t, spikes[-2]), np.searchsorted(t, spikes[-1])
    quiet = np.arange(start, stop)[rate[start:stop] < 1.0]
    eff = params.J_EE * res.efficacy[quiet, 0]
    k = quiet[int(np.argmax(eff))]
    end = quiet[0]  # the PS is over
    return {"J_max": float(eff.max()), "I_inh": float(params.J_EI * gain(res.h_I[k], params.alpha)),
            "h0": float(res.h[start:stop, 0].min()), "u0": float(res.u[end, 0]), "x0": float(res.x[end, 0]),
            "period": float(spikes[-1] - spikes[-2]), "time_before_ps": float(t[stop] - t[k])}


def retention_by_position(params: ClusterParams, n_items: int, n_trials: int = 100, rng=0,
                          duration: float = 3.0, window: float = 1.0, **protocol) -> np.ndarray:
    """Fraction of noisy trials in which the item presented ``k``-th is still held at the end.

    ``params.noise`` must be > 0 (without noise every trial is the same).  Returns an array of
    shape (*batch, n_items): the serial-position curve of retention.
    """
    if not isinstance(params, ClusterParams):
        raise TypeError(f"The 'params' parameter must be a ClusterParams. Got {type(params).__name__} instead.")
    if not np.all(np.asarray(params.noise) > 0):
        raise ValueError("The 'noise' field of params must be > 0 for retention_by_position (trials would be identical).")
    validate_params("retention_by_position", {"n_items": n_items},
                    {"n_items": Interval(1, params.n_clusters, "both", integer=True)})
    s = summarize(params, LoadingProtocol(n_items=int(n_items), **protocol), duration, n_trials=n_trials,
                  rng=rng, window=window)
    return s.active[..., : int(n_items)].mean(-2)


# ----------------------------------------------------------------------------------------------
# Theory: N_C ~ T_max / t_s (Mi, Katkov & Tsodyks 2017; the seed essay's eqs. 4-8)
# ----------------------------------------------------------------------------------------------
def t_max(tau_f, tau_d, U):
    r"""Longest interval between two PS of one cluster that its facilitation survives (eq. 5).

    .. math::  T_{max} \approx \tau_d \ln\frac{\tau_f/\tau_d}{1-U}

    Derivation.  Right after a PS the resources of the cluster are depleted and its
    utilisation is high.  Between PS the cluster is silent (:math:`R \approx 0`), so
    :math:`x` recovers as :math:`1 - (1-x_0)e^{-t/\tau_d}` and :math:`u` decays as
    :math:`U + (u_0-U)e^{-t/\tau_f}`.  The efficacy :math:`ux` first rises (recovery of
    :math:`x`, fast) and then falls (loss of facilitation, slow); the cluster can only
    reignite while :math:`ux` is near its peak.  Setting :math:`d(ux)/dt = 0` with
    :math:`x_0 \ll 1`, :math:`u_0 \approx 1` and :math:`\tau_d \ll \tau_f` gives
    :math:`e^{-t/\tau_d}/\tau_d \approx (1-U)e^{-t/\tau_f}/\tau_f`, whose solution, with
    :math:`e^{-t/\tau_f} \approx 1` over this time, is the formula above: the time at which
    the efficacy peaks after a PS.  A cluster whose next PS comes later than that loses
    its item.

    Examples
    --------
    >>> round(float(t_max(1.5, 0.3, 0.3)), 3)
    0.59
    """
    tau_f, tau_d, U = (np.asarray(v, dtype=float) for v in (tau_f, tau_d, U))
    if np.any(tau_f <= tau_d):
        raise ValueError("The 'tau_f' parameter must be larger than 'tau_d' (facilitation-dominated synapses); "
                         "otherwise no PS-based memory exists and T_max is undefined.")
    if np.any((U <= 0) | (U >= 1)):
        raise ValueError(f"The 'U' parameter must be in the range (0, 1). Got {U} instead.")
    return tau_d * np.log((tau_f / tau_d) / (1.0 - U))


def critical_input(J_max, alpha, I_inh=0.0, exact: bool = False):
    r"""Background input below which a silenced cluster can never reignite (after eq. 7).

    A cluster recovering from inhibition obeys :math:`\tau\dot h = F(h)`,
    :math:`F(h) = -h + J_{max}R(h) + (I_b - I_{inh})` (eq. 6), with :math:`J_{max}` its
    strongest effective self-excitation :math:`J_{EE}ux`.  It escapes only if :math:`F > 0`
    all the way up, i.e. at the minimum of :math:`F`.  With the softplus gain,
    :math:`F'(h) = -1 + J_{max}\sigma(h/\alpha) = 0` at :math:`h^* = -\alpha\ln(J_{max}-1)`,
    and

    .. math::

        F(h^*) = I_b - I_{inh} + \alpha\ln(J_{max}-1) + \alpha J_{max}\ln\frac{J_{max}}{J_{max}-1}.

    Setting :math:`F(h^*) = 0` gives the exact threshold (``exact=True``); dropping the last
    term, which is close to :math:`\alpha` when :math:`J_{max} \gg 1`, gives the essay's
    approximation :math:`I_{crit} \approx I_{inh} - \alpha\ln(J_{max}-1)`.
    """
    J = np.asarray(J_max, dtype=float)
    if np.any(J <= 1):
        raise ValueError(f"The 'J_max' parameter must be > 1 (a cluster must be able to excite itself). Got {J_max}.")
    crit = np.asarray(I_inh, dtype=float) - alpha * np.log(J - 1.0)
    if exact:
        crit = crit - alpha * J * np.log(J / (J - 1.0))
    return crit


def peak_efficacy(u0, x0, U, tau_f, tau_d, horizon: float = 5.0) -> dict:
    r"""Largest efficacy :math:`ux` a silent cluster reaches after a PS that left it at ``(u0, x0)``.

    Between PS the cluster is silent, so :math:`u(t) = U + (u_0 - U)e^{-t/\tau_f}` and
    :math:`x(t) = 1 - (1 - x_0)e^{-t/\tau_d}`; their product rises (x recovers) and then falls
    (u decays).  Returns ``{"efficacy": max ux, "time": when}``, found on a 1 ms grid over
    ``horizon`` s.  The time is the exact counterpart of :func:`t_max`.
    """
    t = np.arange(0.0, horizon, 1e-3)
    ux = (U + (u0 - U) * np.exp(-t / tau_f)) * (1.0 - (1.0 - x0) * np.exp(-t / tau_d))
    k = int(np.argmax(ux))
    return {"efficacy": float(ux[k]), "time": float(t[k])}


def spacing(I_b, I_crit, tau, h0, c):
    r"""Time between PS of successive clusters (eq. 7), in units where the constant scales with :math:`\tau`:

    .. math::  t_s \approx \tau\left[\ln\frac{|h_0|}{I_b - I_{crit}} + c\right]

    After a PS, inhibition pushes the other clusters down to :math:`h_0 < 0`.  Far below
    threshold :math:`R \approx 0` and :math:`\tau\dot h \approx -h + (I_b - I_{inh})`: the current
    relaxes exponentially towards its target, so the time to climb from :math:`h_0` to the
    point where it ignites grows like :math:`\tau\ln(|h_0| / (I_b - I_{crit}))` as the margin
    :math:`I_b - I_{crit}` shrinks.  The PS itself and the inhibitory pulse it triggers last a
    time proportional to :math:`\tau` (with :math:`\tau_I = \tau`), written :math:`c\,\tau`
    (the seed essay's :math:`C`); :func:`fit_spacing` fits :math:`c` to simulations.
    Returns ``inf`` where :math:`I_b \le I_{crit}`.
    """
    margin = np.asarray(I_b, dtype=float) - np.asarray(I_crit, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        ts = np.asarray(tau, dtype=float) * (np.log(np.abs(h0) / margin) + c)
    return np.where(margin > 0, ts, np.inf)


def fit_spacing(t_s, I_b, I_crit, tau, h0) -> float:
    r"""Least-squares :math:`c` of :func:`spacing` from measured spacings ``t_s`` (NaNs ignored).

    The model is linear in :math:`c`: :math:`t_s/\tau - \ln(|h_0|/(I_b - I_{crit})) = c`, so the
    fit is the mean of the left-hand side.  (:math:`h_0` and :math:`c` cannot both be fitted:
    only :math:`\ln|h_0| + c` enters, so :math:`h_0` is measured, see :func:`reignition_state`.)
    """
    t_s, I_b, tau = (np.asarray(v, dtype=float) for v in (t_s, I_b, tau))
    if np.any(I_b <= I_crit):
        raise ValueError(f"The 'I_b' parameter must be above I_crit = {I_crit:g} everywhere (the spacing diverges there).")
    lhs = t_s / tau - np.log(np.abs(h0) / (I_b - I_crit))
    if not np.isfinite(lhs).any():
        raise ValueError("The 't_s' parameter has no finite value to fit.")
    return float(np.nanmean(lhs))


def fit_spacing_slope(t_s, I_b, I_crit, tau, h0) -> dict:
    r"""Least-squares fit of :math:`t_s = k\,\tau\ln\frac{|h_0|}{I_b - I_{crit}} + c\,\tau` with the
    prefactor :math:`k` free (eq. 7 has :math:`k = 1`), for one :math:`\tau`.

    A test of eq. 7's form: if the climb out of inhibition were the only thing that depends on
    :math:`I_b`, the fit would give :math:`k \approx 1`.  Returns ``{"k": k, "c": c}``; NaNs in
    ``t_s`` are ignored.
    """
    t_s, I_b = (np.asarray(v, dtype=float) for v in (t_s, I_b))
    if np.ndim(tau) != 0:
        raise ValueError("The 'tau' parameter of fit_spacing_slope must be a scalar (one network's time constant).")
    if np.any(I_b <= I_crit):
        raise ValueError(f"The 'I_b' parameter must be above I_crit = {I_crit:g} everywhere (the spacing diverges there).")
    keep = np.isfinite(t_s)
    if keep.sum() < 2:
        raise ValueError("The 't_s' parameter needs at least two finite values to fit a slope and an offset.")
    L = np.log(np.abs(h0) / (I_b[keep] - I_crit))
    (k, c), *_ = np.linalg.lstsq(np.stack([L, np.ones_like(L)], axis=1), t_s[keep] / tau, rcond=None)
    return {"k": float(k), "c": float(c)}


def capacity_estimate(tau_f, tau_d, U, tau, I_b, I_crit, h0, c):
    r"""Capacity :math:`N_C \approx T_{max}/t_s` (eqs. 4 and 8):

    .. math::  N_C \approx \frac{\tau_d}{\tau}\,
               \frac{\ln\big[(\tau_f/\tau_d)/(1-U)\big]}{\ln\big[|h_0|/(I_b - I_{crit})\big] + c}

    0 where :math:`I_b \le I_{crit}` (the denominator diverges).  Not rounded: the number of
    whole PS slots that fit in :math:`T_{max}` is its integer part.
    """
    ts = spacing(I_b, I_crit, tau, h0, c)
    with np.errstate(divide="ignore"):
        return np.where(np.isfinite(ts) & (ts > 0), t_max(tau_f, tau_d, U) / ts, 0.0)
