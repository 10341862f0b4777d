"""Running the spiking network: :func:`simulate` and what it records (:class:`NetworkResult`).

A run is a batch of trials of one network (the same synapses) with independent noise, driven by a
:class:`~wmlib.network.protocols.Protocol`.  What is kept is compact: every spike (time, neuron, trial), the
population rates, and the population means of u, x and u·x every ``record_every`` steps; membrane potentials only
of the few neurons named in ``record_v``.  The engine is chosen by ``device`` (the convention of
:mod:`wmlib._backend`): ``None`` runs the compiled event-driven CPU engine (:mod:`._engine_numba`), a torch device
name runs :mod:`._engine_torch`.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numba
import numpy as np

from .._backend import resolve_device, usable_cpus
from .._validation import Boolean, Interval, check_array, check_instance, check_memory, check_random_state, validate_params
from ._engine_numba import run_steps, split_rows
from ._noise import seed_streams
from .connectivity import Connectivity, connect
from .params import NetworkParams
from .protocols import Protocol

__all__ = ["NetworkResult", "simulate", "MAX_STEPS", "BLOCK"]

#: Neurons per block of the compiled engine: each block has its own noise stream and thread task (a fixed number, so
#: that results never depend on the number of threads).
BLOCK = 1024

#: The longest run accepted, in steps of ``dt`` (1000 s at the default 0.1 ms): the compiled loop cannot be interrupted
#: between progress updates of 0.1 s, but a run this long should be split by the caller anyway.
MAX_STEPS = 10**7

#: Steps per call of the compiled engine (the progress bar moves and the drive may change between calls).
SEGMENT = 1000


class NetworkResult(NamedTuple):
    """What a run recorded; time is axis 0, trials axis 1.

    Population groups: ``u``, ``x`` and ``ux`` have one column per selective population, then one for the
    non-selective excitatory neurons; ``rate`` has those and one more for the inhibitory neurons.
    """

    t: np.ndarray  #: (R,) start of every record bin, s
    rate: np.ndarray  #: (R, n_trials, n_pop + 2) population rate in the bin [t, t + dt_record), Hz
    u: np.ndarray  #: (R, n_trials, n_pop + 1) mean utilisation of the group's E→E synapses at t
    x: np.ndarray  #: (R, n_trials, n_pop + 1) mean available resources at t
    ux: np.ndarray  #: (R, n_trials, n_pop + 1) mean synaptic efficacy u·x at t (mean of the product)
    spike_times: np.ndarray  #: (n_spikes,) s, sorted by trial, then time, then neuron
    spike_ids: np.ndarray  #: (n_spikes,) int32 neuron (excitatory first)
    spike_trials: np.ndarray  #: (n_spikes,) int32 trial
    v: np.ndarray  #: (R, n_trials, len(v_ids)) membrane potential of the probed neurons at t, mV
    v_ids: np.ndarray  #: probed neurons
    params: NetworkParams
    protocols: list  #: the Protocol of every trial
    duration: float

    @property
    def dt_record(self) -> float:
        """Spacing of the records, s."""
        return float(self.t[1] - self.t[0]) if self.t.size > 1 else self.duration

    @property
    def n_trials(self) -> int:
        return int(self.rate.shape[1])

    def spikes(self, trial: int = 0) -> tuple[np.ndarray, np.ndarray]:
        """(times, neuron ids) of one trial's spikes."""
        validate_params("NetworkResult.spikes", {"trial": trial},
                        {"trial": Interval(0, self.n_trials - 1, "both", integer=True)})
        lo, hi = np.searchsorted(self.spike_trials, [trial, trial + 1])
        return self.spike_times[lo:hi], self.spike_ids[lo:hi]


def _groups(params: NetworkParams):
    """CSR (ptr, idx) of the groups of every excitatory neuron, and the size of every group.

    Groups 0 .. n_pop - 1 are the selective populations (a neuron of two overlapping populations is in both),
    group n_pop the non-selective excitatory neurons.
    """
    member = np.zeros((params.n_pop + 1, params.n_exc), dtype=bool)
    for k, idx in enumerate(params.populations()):
        member[k, idx] = True
    member[-1] = ~member[:-1].any(axis=0)
    neuron, group = np.nonzero(member.T)  # sorted by neuron
    ptr = np.zeros(params.n_exc + 1, dtype=np.int64)
    np.cumsum(np.bincount(neuron, minlength=params.n_exc), out=ptr[1:])
    return ptr, group.astype(np.int64), member.sum(axis=1)


def _blocks(n: int, start: int, size: int):
    k = max(1, -(-n // size))
    edges = start + (np.arange(k + 1) * n) // k
    return edges[:-1], edges[1:]


def _check_network(network, params, owner):
    if isinstance(network, Connectivity):
        if network.indptr.shape != (params.n_neurons + 1,) or network.n_synapses != int(network.indptr[-1]):
            raise ValueError(f"The 'network' parameter of {owner} must be the Connectivity of a network of "
                             f"{params.n_neurons} neurons (made by connect with the same params). Got one of "
                             f"{network.indptr.size - 1} neurons instead.")
        if network.n_synapses and (int(network.delay.min()) < 1 or int(network.target.max()) >= params.n_neurons):
            raise ValueError(f"The 'network' parameter of {owner} has delays below one step or targets outside "
                             f"the network; make it with connect(params).")
        return network
    if isinstance(network, (int, np.integer)) and not isinstance(network, bool):
        return connect(params, rng=check_random_state(network, "network", owner))
    raise TypeError(f"The 'network' parameter of {owner} must be a Connectivity (from connect) or an int seed. "
                    f"Got {type(network).__name__} instead.")


def _protocols(protocol, n_trials, owner):
    """One Protocol per trial (a single Protocol is shared by every trial)."""
    if isinstance(protocol, Protocol):
        return [protocol] * n_trials
    if isinstance(protocol, (list, tuple)) and all(isinstance(p, Protocol) for p in protocol):
        if len(protocol) != n_trials:
            raise ValueError(f"The 'protocol' parameter of {owner} must be one Protocol or one per trial "
                             f"(n_trials = {n_trials}). Got {len(protocol)} protocols instead.")
        return list(protocol)
    raise TypeError(f"The 'protocol' parameter of {owner} must be a Protocol or a list of Protocols (one per trial). "
                    f"Got {type(protocol).__name__} instead.")


def _drive(params, protocols, rng, owner):
    """Base drive (T, N) and, for each stimulus of each trial, (trial, on step, off step, targets, delta)."""
    steps_of = lambda t: int(round(t / params.dt)) if math.isfinite(t) else MAX_STEPS + 1  # noqa: E731
    base = np.empty(params.n_neurons)
    base[:params.n_exc] = params.mu_exc
    base[params.n_exc:] = params.mu_inh
    pops = params.populations()
    out = []
    for trial, protocol in enumerate(protocols):
        for s in protocol.stimuli:
            if s.population is not None and s.population >= params.n_pop:
                raise ValueError(f"The 'protocol' parameter of {owner} targets population {s.population}, but the "
                                 f"network has n_pop = {params.n_pop} populations (0 .. {params.n_pop - 1}).")
            targets = pops[s.population] if s.population is not None else np.arange(params.n_exc)
            if s.fraction < 1.0:
                targets = np.sort(rng.choice(targets, size=int(round(s.fraction * targets.size)), replace=False))
            out.append((trial, steps_of(s.onset), steps_of(s.end), targets, params.mu_exc * (s.factor - 1.0) + s.offset))
    return np.broadcast_to(base, (len(protocols), params.n_neurons)).copy(), out


def decay_tables(params, n_steps):
    """exp(-n dt / tau_f) and exp(-n dt / tau_d) for n = 0 .. n_steps (the synapses' relaxation over n steps)."""
    n = np.arange(n_steps + 1) * params.dt
    return np.exp(-n / params.tau_f), np.exp(-n / params.tau_d)


def _initial_state(params, protocols, rng, owner):
    """What both engines draw first, in the same order: the initial potentials, then the drive (with the random
    targets of noise pulses).

    Excitatory potentials start uniform in [V_r - 10, theta - 2] mV and inhibitory ones uniform in [V_r, theta]: the
    inhibitory neurons fire first, so that the network settles without the synchronous burst of every population
    (which would facilitate every synapse) that starting all neurons between reset and threshold produces.
    """
    T, n_exc = len(protocols), params.n_exc
    V = np.empty((T, params.n_neurons))
    V[:, :n_exc] = rng.uniform(params.v_reset_exc - 10.0, params.theta - 2.0, size=(T, n_exc))
    V[:, n_exc:] = rng.uniform(params.v_reset_inh, params.theta, size=(T, params.n_inh))
    base, stimuli = _drive(params, protocols, rng, owner)
    return V, base, stimuli


def _mu_at(base, stimuli, k):
    mu = base.copy()
    for trial, on, off, targets, delta in stimuli:
        if on <= k < off:
            mu[trial, targets] += delta
    return mu


_CONSTRAINTS = {"duration": Interval(0.0, np.inf, "neither"), "n_trials": Interval(1, 10**6, "both", integer=True),
                "record_every": Interval(1, np.inf, "left", integer=True), "progress": Boolean()}


def simulate(params: NetworkParams, protocol: Protocol = Protocol(), duration: float = 3.0, n_trials: int = 1,
             rng=0, network: Connectivity | int = 0, record_every: int = 10, record_v=None,
             n_jobs: int | None = None, device: str | None = None, progress: bool = False) -> NetworkResult:
    """Simulate ``n_trials`` trials of the network for ``duration`` s.

    Parameters
    ----------
    params : NetworkParams
    protocol : Protocol or list of Protocol
        The external signals (see :mod:`wmlib.network.protocols`), times from the start of the run; one for every
        trial, or a list with one per trial (e.g. readouts at different delays, run as one batch).  Start the first
        signal after a second or so: the run begins with spread-out membrane potentials, u = U and x = 1, and the
        synapses take about tau_f to reach their spontaneous state.
    duration : float
        Simulated time, s.
    n_trials : int, default=1
        Trials of the same network with independent noise (and initial potentials, and noise-pulse targets).
    rng : int or numpy.random.Generator, default=0
        Seed of everything random in the trials.
    network : Connectivity or int, default=0
        The synapses (from :func:`~wmlib.network.connect` with the same ``params``), or the seed to draw them.
    record_every : int, default=10
        Record rates, u and x every this many steps (10: every ms at dt = 0.1 ms).
    record_v : sequence of int, optional
        Neurons whose membrane potential is recorded (a few; the full history is never kept).
    n_jobs : int, optional
        Threads of the CPU engine (default: the CPUs this process may use, :func:`wmlib._backend.usable_cpus`);
        results do not depend on it.
    device : None or str, optional
        ``None``: the compiled CPU engine.  A torch device (``"cpu"``, ``"cuda"``, ``"auto"``): the torch engine.
    progress : bool, default=False
        Show a progress bar over simulated time.

    Returns
    -------
    NetworkResult
    """
    owner = "simulate"
    check_instance(owner, "params", params, NetworkParams)
    validate_params(owner, {"duration": duration, "n_trials": n_trials, "record_every": record_every,
                            "progress": progress}, _CONSTRAINTS)
    protocols = _protocols(protocol, int(n_trials), owner)
    n_steps = int(round(duration / params.dt))
    if not 1 <= n_steps <= MAX_STEPS:
        raise ValueError(f"The 'duration' parameter of {owner} must be a float in the range "
                         f"[{params.dt:g}, {MAX_STEPS * params.dt:g}] (1 to {MAX_STEPS:.0e} steps of dt = "
                         f"{params.dt:g} s). Got {duration!r} instead.")
    validate_params(owner, {"record_every": record_every},
                    {"record_every": Interval(1, n_steps, "both", integer=True)})  # at least one record
    if n_jobs is not None:
        validate_params(owner, {"n_jobs": n_jobs}, {"n_jobs": Interval(1, 1024, "both", integer=True)})
    probe = (np.zeros(0, dtype=np.int64) if record_v is None else
             np.unique(check_array(owner, "record_v", record_v, Interval(0, params.n_neurons - 1, "both", integer=True),
                                   ndim=1)))
    if probe.size > 1000:
        raise ValueError(f"The 'record_v' parameter of {owner} must name at most 1000 neurons (membrane potentials "
                         f"are for a few examples). Got {probe.size} instead.")
    dev = resolve_device(device, owner)
    rng = check_random_state(rng, "rng", owner)
    T, N, n_exc = int(n_trials), params.n_neurons, params.n_exc
    re = int(record_every)
    R = -(-n_steps // re)
    D = int(round(params.delay_max / params.dt)) + 1
    G = params.n_pop + 1
    e_lo, e_hi = _blocks(n_exc, 0, BLOCK)
    i_lo, i_hi = _blocks(params.n_inh, n_exc, BLOCK)
    block_lo, block_hi = np.concatenate([e_lo, i_lo]), np.concatenate([e_hi, i_hi])
    B = block_lo.size
    state_bytes = T * (N * (8 + 4 + 8 + 8 * D) + n_exc * 24 + B * 64 * max(1, BLOCK)) + 16 * n_steps
    record_bytes = R * T * (B * G * 3 * 8 + (G + 1) * 8 + 3 * G * 8 + probe.size * 8)
    check_memory(owner, float(state_bytes + record_bytes), f"{T} trials of {N} neurons over {n_steps} steps")
    network = _check_network(network, params, owner)
    if dev is not None:
        from ._engine_torch import simulate_torch

        return simulate_torch(params, protocols, duration, rng, network, re, probe, dev, progress)

    V, base, stimuli = _initial_state(params, protocols, rng, owner)
    streams = seed_streams(rng, T * B).reshape(T, B, 2)

    ref = np.zeros((T, N), dtype=np.int32)
    u = np.full((T, n_exc), params.U)
    x = np.ones((T, n_exc))
    last = np.zeros((T, n_exc), dtype=np.int64)
    ring = np.zeros((T, D, N))
    a_e, a_i = math.exp(-params.dt / params.tau_exc), math.exp(-params.dt / params.tau_inh)
    a_m = np.array([a_e, a_i])
    s_m = np.array([params.sigma_exc * math.sqrt((1 - a_e**2) / 2), params.sigma_inh * math.sqrt((1 - a_i**2) / 2)])
    v_r = np.array([params.v_reset_exc, params.v_reset_inh])
    n_ref = int(round(params.t_ref / params.dt))
    decay_f, decay_d = decay_tables(params, n_steps)
    row_split = split_rows(network.indptr, network.target, block_lo)
    max_block = int((block_hi - block_lo).max())
    spk_ids = np.zeros((2, T, B, max_block), dtype=np.int32)
    spk_rel = np.zeros((2, T, B, max_block))
    spk_n = np.zeros((2, T, B), dtype=np.int64)
    cap = 4 * max_block + int(20.0 * duration * max_block)  # room for 20 Hz on average; grows if needed
    rec_ids = np.empty((T, B, cap), dtype=np.int32)
    rec_steps = np.empty((T, B, cap), dtype=np.int32)
    rec_n = np.zeros((T, B), dtype=np.int64)
    grp_ptr, grp_idx, grp_size = _groups(params)
    rec_sum = np.zeros((T, R, B, G, 3))
    probe_ptr = np.searchsorted(probe, np.concatenate([block_lo, block_hi[-1:]])).astype(np.int64)
    rec_v = np.zeros((T, R, probe.size))
    bounds = sorted({0, n_steps, *range(0, n_steps, SEGMENT),
                     *(k for _, on, off, _, _ in stimuli for k in (on, off) if 0 < k < n_steps)})

    net = (network.target, network.weight, network.delay, row_split)
    blocks = (block_lo, block_hi, block_lo < n_exc)
    consts = (a_m, s_m, v_r, float(params.theta), n_ref, n_exc, float(params.U), decay_f, decay_d)
    spikes = (spk_ids, spk_rel, spk_n)

    from tqdm.auto import tqdm

    threads = numba.get_num_threads()
    numba.set_num_threads(min(n_jobs or usable_cpus(), numba.config.NUMBA_NUM_THREADS))
    try:
        with tqdm(total=n_steps, desc="simulate", unit="step", disable=not progress) as bar:
            for k0, k1 in zip(bounds[:-1], bounds[1:]):
                mu = _mu_at(base, stimuli, k0)
                k = k0
                while k < k1:
                    k = run_steps(k, k1, re, (V, ref, u, x, last, ring, mu, streams), net, blocks, consts, spikes,
                                  (rec_ids, rec_steps, rec_n, grp_ptr, grp_idx, rec_sum, probe, probe_ptr, rec_v))
                    if k < k1:  # a spike record is nearly full: enlarge it
                        check_memory(owner, 2.0 * rec_ids.nbytes * 2, "the spike record")
                        grow = rec_ids.shape[2]
                        rec_ids = np.concatenate([rec_ids, np.empty((T, B, grow), dtype=np.int32)], axis=2)
                        rec_steps = np.concatenate([rec_steps, np.empty((T, B, grow), dtype=np.int32)], axis=2)
                bar.update(k1 - k0)
    finally:
        numba.set_num_threads(threads)
    return _assemble(params, protocols, duration, n_steps, re, rec_ids, rec_steps, rec_n, rec_sum, grp_size,
                     probe, rec_v)


def _assemble(params, protocol, duration, n_steps, re, rec_ids, rec_steps, rec_n, rec_sum, grp_size, probe, rec_v):
    """Merge the blocks' records into a :class:`NetworkResult`."""
    T = rec_n.shape[0]
    ids, steps, trials = [], [], []
    for t in range(T):
        i = np.concatenate([rec_ids[t, b, :rec_n[t, b]] for b in range(rec_n.shape[1])])
        s = np.concatenate([rec_steps[t, b, :rec_n[t, b]] for b in range(rec_n.shape[1])])
        order = np.lexsort((i, s))
        ids.append(i[order])
        steps.append(s[order])
        trials.append(np.full(i.size, t, dtype=np.int32))
    ids, steps, trials = np.concatenate(ids), np.concatenate(steps), np.concatenate(trials)
    return _result(params, protocol, duration, n_steps, re, ids, steps, trials, rec_sum.sum(axis=2), grp_size,
                   probe, rec_v)


def rate_groups(params: NetworkParams) -> np.ndarray:
    """(n_pop + 2, n_neurons) membership of the groups of :attr:`NetworkResult.rate`: the selective populations, the
    non-selective excitatory neurons, the inhibitory neurons."""
    member = np.zeros((params.n_pop + 2, params.n_neurons), dtype=bool)
    for k, idx in enumerate(params.populations()):
        member[k, idx] = True
    member[params.n_pop, :params.n_exc] = ~member[:params.n_pop, :params.n_exc].any(axis=0)
    member[params.n_pop + 1, params.n_exc:] = True
    return member


def _result(params, protocol, duration, n_steps, re, ids, steps, trials, sums, grp_size, probe, rec_v):
    """Shared by both engines: ``sums`` (T, R, G, 3) population sums of u, x, u x; spikes as flat arrays."""
    T, R = sums.shape[:2]
    with np.errstate(invalid="ignore", divide="ignore"):  # an empty group (no non-selective neurons) gives NaN
        means = sums / grp_size[None, None, :, None]
    member = rate_groups(params)
    sizes = member.sum(axis=1)
    counts = np.zeros((params.n_pop + 2, T * R))
    key = trials.astype(np.int64) * R + steps // re
    for g in range(params.n_pop + 2):
        counts[g] = np.bincount(key[member[g, ids]], minlength=T * R)
    width = np.minimum(re, n_steps - np.arange(R) * re) * params.dt  # the last bin may be shorter
    rate = counts.reshape(-1, T, R).transpose(2, 1, 0) / (np.maximum(sizes, 1) * width[:, None, None])
    t = np.arange(R) * re * params.dt
    means = means.transpose(1, 0, 2, 3)  # (R, T, G, 3)
    return NetworkResult(t, rate, means[..., 0], means[..., 1], means[..., 2], steps * params.dt,
                         ids.astype(np.int32), trials.astype(np.int32), rec_v.transpose(1, 0, 2), probe.astype(np.int64),
                         params, protocol, float(duration))
