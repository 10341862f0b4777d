"""Integrating the cluster model: :func:`simulate` (traces) and :func:`summarize` (population-spike counts).

The batch of parameter sets (and noisy trials) is split into chunks integrated in parallel threads by the compiled
CPU engine (:mod:`._engine_numba`), or run as whole-batch PyTorch operations on a device (:mod:`._engine_torch`,
``device=``, see :mod:`wmlib._backend`).
"""

from __future__ import annotations

import warnings
from concurrent.futures import ThreadPoolExecutor
from dataclasses import fields
from typing import NamedTuple

import numpy as np

from .._backend import resolve_device, usable_cpus
from .._validation import Interval, check_instance, check_memory, check_random_state, validate_params
from ._engine_numba import integrate_flat
from .params import ClusterParams, LoadingProtocol, gain

__all__ = ["ClusterResult", "ClusterSummary", "simulate", "summarize"]

_POS = Interval(0.0, np.inf, "neither")

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


#: The longest run accepted, in steps of ``dt`` (10,000 s at the default 0.1 ms): the compiled loop cannot be interrupted.
MAX_STEPS = 10**8


def _check(owner, params, protocol, duration, order, rng):
    check_instance(owner, "params", params, ClusterParams)
    check_instance(owner, "protocol", protocol, LoadingProtocol)
    validate_params(owner, {"duration": duration}, {"duration": _POS})
    if duration / params.dt > MAX_STEPS:
        raise ValueError(f"The 'duration' parameter of {owner} must be a float in the range (0, {MAX_STEPS * params.dt:g}] "
                         f"(at most {MAX_STEPS:.0e} steps of dt = {params.dt:g} s). Got {duration!r} instead.")
    P = params.n_clusters
    if protocol.n_items > P:
        raise ValueError(f"The 'protocol' parameter of {owner} loads {protocol.n_items} items into {P} clusters: "
                         f"n_items must be at most n_clusters.")
    if order is not None:
        if isinstance(order, (str, bytes)) or np.ndim(order) != 1:
            raise TypeError(f"The 'order' parameter of {owner} must be a sequence of ints. Got {order!r} instead.")
        validate_params(owner, {"order": order}, {"order": Interval(0, P - 1, "both", integer=True)})
    order = np.arange(protocol.n_items) if order is None else np.asarray(order, dtype=float).astype(int)
    if order.shape != (protocol.n_items,) or (order.size and (order.min() < 0 or order.max() >= P)):
        raise ValueError(f"The 'order' parameter of {owner} must give one cluster in [0, {P - 1}] per item "
                         f"({protocol.n_items} items). Got {order!r} instead.")
    if rng is not None:
        check_random_state(rng, "rng", owner)
    return order


#: Noisy parameter sets or trials integrated together by one thread, each chunk with its own random stream drawn
#: from the caller's generator (a fixed size, so results never depend on n_jobs; small enough that a few hundred
#: trials keep both cores busy).
CHUNK = 64


def _integrate(params, protocol, duration, n_trials, rng, order, record_every, window, threshold, n_jobs=None,
               device=None):
    """Split the batch into chunks and integrate them in threads.

    With noise, chunks hold :data:`CHUNK` parameter sets and each has its own noise generator
    (spawned from ``rng`` in chunk order), so the result is the same for any number of threads.
    Without noise every batch entry is computed independently, so the batch is simply split
    evenly between the threads.  The compiled kernel releases the GIL, so the chunks run in
    parallel on several cores.
    """
    owner = "simulate" if record_every else "summarize"
    if n_trials is not None:
        validate_params(owner, {"n_trials": n_trials}, {"n_trials": Interval(1, np.inf, "left", integer=True)})
    if n_jobs is not None:
        validate_params(owner, {"n_jobs": n_jobs}, {"n_jobs": Interval(1, 1024, "both", integer=True)})
    n_sets = int(np.prod(params.batch_shape + (() if n_trials is None else (int(n_trials),))))
    n_steps = int(round(duration / params.dt))
    per_entry = 8 * params.n_clusters * (12 + (3 * (n_steps // record_every + 1) if record_every else 0))
    check_memory(owner, float(n_sets) * per_entry, f"{n_sets} runs of {params.n_clusters} clusters")
    p, shape = _batch(params, n_trials)
    noisy = bool(np.any(np.asarray(params.noise) > 0))
    if noisy:
        if rng is None:
            raise ValueError(f"The 'rng' parameter is required by {owner} when noise > 0 (results must be reproducible).")
        rng = check_random_state(rng, "rng", owner)
    n = int(np.prod(shape))
    flat = {k: np.ascontiguousarray(np.broadcast_to(v, shape + (1,)).reshape(n, 1)) for k, v in p.items()}
    dev = resolve_device(device, owner)
    if dev is not None:  # one torch run over the whole batch (GPU)
        from ._engine_torch import integrate_torch

        parts = [integrate_torch(flat, params, protocol, duration, rng if noisy else None, order, record_every,
                                 window, threshold, dev)]
        return _assemble(parts, params, shape, flat, record_every)
    threads = n_jobs or usable_cpus()
    size = CHUNK if noisy else max(1, -(-n // threads))
    chunks = [slice(i, min(i + size, n)) for i in range(0, n, size)]
    rngs = ([np.random.default_rng(int(v)) for v in rng.integers(2**63, size=len(chunks))] if noisy
            else [None] * len(chunks))

    def run(c, g):
        return integrate_flat({k: v[c] for k, v in flat.items()}, params, protocol, duration, g, order,
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
        Threads (default: the CPUs this process may use, :func:`wmlib._backend.usable_cpus`); results do not depend
        on it.
    device : None or str, optional
        ``None`` (default): the compiled CPU engine.  ``"cpu"``, ``"cuda"``, ``"cuda:N"`` or ``"auto"``: the steps
        as PyTorch operations on that device (the convention of :mod:`wmlib._backend`), worth it on a GPU for very
        large batches.  Needs torch.  Without noise the
        results equal the default's to rounding; with noise they use a different random stream.

    Returns
    -------
    ClusterResult
        For large sweeps use :func:`summarize`, which keeps no traces.
    """
    order = _check("simulate", params, protocol, duration, order, rng)
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
    order = _check("summarize", params, protocol, duration, order, rng)
    validate_params("summarize", {"window": window, "threshold": threshold},
                    {"window": Interval(0, duration, "right"), "threshold": _POS})
    _, summary = _integrate(params, protocol, duration, n_trials, rng, order, None, float(window), float(threshold),
                            n_jobs, device)
    return summary
