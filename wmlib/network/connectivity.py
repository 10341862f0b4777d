"""The random synapses of the Mongillo–Barak–Tsodyks network, stored by presynaptic neuron.

Every neuron receives a fixed number of synapses from each group of neurons (fixed in-degree, sources drawn with
replacement, so that a pair may be connected twice and a neuron may contact itself), as in the NEST reproduction
of Tiddia et al. (2022).  With ``K = c * n_exc`` excitatory and ``c * n_inh`` inhibitory inputs per neuron:

* onto a neuron of selective population i: ``f * K`` synapses from population i at ``J_p``, ``f * K`` from each
  other population at ``J_b``, and from the non-selective neurons ``(1 - gamma0)`` of their share at ``J_b`` and
  ``gamma0`` at ``J_p``;
* onto a non-selective excitatory neuron: ``f * K`` from each population at ``J_b``, and from the non-selective
  neurons the same split between ``J_b`` and ``J_p``;
* onto an inhibitory neuron: ``K`` excitatory synapses at ``J_IE``;
* onto every neuron: ``c * n_inh`` inhibitory synapses at ``-J_EI`` (onto excitatory) or ``-J_II`` (onto
  inhibitory).

A neuron that belongs to two overlapping populations receives the potentiated input of both.  Delays are drawn
uniformly among the whole numbers of time steps from ``delay_min / dt`` to ``delay_max / dt`` (rounded).  The
synapses are stored by presynaptic neuron (compressed sparse rows), which is what an event-driven simulation needs:
when neuron j fires, it visits ``indptr[j]:indptr[j + 1]``, whose targets are in increasing order (excitatory
before inhibitory), so that an engine can split them between threads by ranges of target neurons.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .._validation import check_instance, check_memory, check_random_state
from .params import NetworkParams

__all__ = ["Connectivity", "connect"]


class Connectivity(NamedTuple):
    """Synapses grouped by presynaptic neuron: those of neuron j are ``indptr[j]:indptr[j + 1]``, sorted by target."""

    indptr: np.ndarray  #: (n_neurons + 1,) int64 offsets
    target: np.ndarray  #: (n_synapses,) int32 postsynaptic neuron
    weight: np.ndarray  #: (n_synapses,) float32 efficacy, mV (negative for inhibitory synapses)
    delay: np.ndarray  #: (n_synapses,) int16 delay in time steps (>= 1)

    @property
    def n_synapses(self) -> int:
        return int(self.target.size)

    def sources(self) -> np.ndarray:
        """(n_synapses,) presynaptic neuron of every synapse."""
        return np.repeat(np.arange(self.indptr.size - 1, dtype=np.int32), np.diff(self.indptr))


def _count(x: float) -> int:
    """A whole number of synapses: ``x`` rounded down, as the reproductions do, but safe from rounding errors
    (0.1 * 0.2 * 1600 is 32, not 31)."""
    return int(np.floor(x + 1e-9))


def _target_groups(params: NetworkParams):
    """Excitatory neurons grouped by the set of populations they belong to (each group gets the same inputs)."""
    n_exc = params.n_exc
    member = np.zeros((params.n_pop, n_exc), dtype=bool)
    for k, idx in enumerate(params.populations()):
        member[k, idx] = True
    keys, group = np.unique(member.T, axis=0, return_inverse=True)
    return member, [(np.flatnonzero(group.ravel() == g), keys[g]) for g in range(keys.shape[0])]


def connect(params: NetworkParams, rng=0) -> Connectivity:
    """Draw the network's synapses (see the module docstring); the same ``rng`` seed gives the same network.

    Refuses, before allocating, a network whose synapses would not fit in memory.
    """
    check_instance("connect", "params", params, NetworkParams)
    rng = check_random_state(rng, "rng", "connect")
    n_exc, n_inh = params.n_exc, params.n_inh
    exc_in = params.c * n_exc
    k_pop = _count(params.f * exc_in)
    k_rest = params.c * (n_exc - params.pop_size - (params.n_pop - 1) * params.pop_stride)  # non-selective inputs
    k_rest_p, k_rest_b = _count(params.gamma0 * k_rest), _count((1.0 - params.gamma0) * k_rest)
    k_inh = _count(params.c * n_inh)
    lo = max(1, int(round(params.delay_min / params.dt)))
    hi = max(lo, int(round(params.delay_max / params.dt)))
    if hi > np.iinfo(np.int16).max:
        raise ValueError(f"The 'delay_max' parameter of NetworkParams must be at most {np.iinfo(np.int16).max} time "
                         f"steps for connect. Got {params.delay_max!r} s = {hi} steps of {params.dt!r} s instead.")
    n_syn = n_exc * (params.n_pop * k_pop + k_rest_p + k_rest_b + k_inh) + n_inh * (_count(exc_in) + k_inh)
    check_memory("connect", 40.0 * n_syn + params.n_pop * n_exc, f"the {n_syn:,} synapses of the network")
    member, groups = _target_groups(params)
    nonselective = np.flatnonzero(~member.any(axis=0))
    inhibitory = np.arange(n_exc, n_exc + n_inh)
    pops = params.populations()
    blocks = []  # (targets, source pool, in-degree, weight)
    for targets, belongs in groups:
        for k in range(params.n_pop):
            blocks.append((targets, pops[k], k_pop, params.J_p if belongs[k] else params.J_b))
        if nonselective.size:
            blocks.append((targets, nonselective, k_rest_b, params.J_b))
            blocks.append((targets, nonselective, k_rest_p, params.J_p))
        blocks.append((targets, inhibitory, k_inh, -params.J_EI))
    blocks.append((inhibitory, np.arange(n_exc), _count(exc_in), params.J_IE))
    blocks.append((inhibitory, inhibitory, k_inh, -params.J_II))
    assert n_syn == sum(t.size * k for t, _, k, _ in blocks)

    # Every excitatory neuron has the same in-degree, and so has every inhibitory one: the sources are drawn into one
    # row per target neuron, so that the flat arrays are sorted by target, and a stable sort by source then leaves
    # every neuron's outgoing synapses sorted by target (what the engines need to split them between threads).
    k_in = {False: params.n_pop * k_pop + (k_rest_b + k_rest_p if nonselective.size else 0) + k_inh,
            True: _count(exc_in) + k_inh}
    rows = {kind: (np.empty((n, k_in[kind]), dtype=np.int32), np.empty((n, k_in[kind]), dtype=np.float32))
            for kind, n in ((False, n_exc), (True, n_inh))}
    filled = {False: np.zeros(n_exc, dtype=np.int64), True: np.zeros(n_inh, dtype=np.int64)}
    for targets, pool, k, w in blocks:
        if k == 0 or targets.size == 0:
            continue
        kind = bool(targets[0] >= n_exc)
        local = targets - (n_exc if kind else 0)
        col = filled[kind][local[0]]
        src, wts = rows[kind]
        src[local, col:col + k] = pool[rng.integers(0, pool.size, size=(targets.size, k))]
        wts[local, col:col + k] = w
        filled[kind][local] += k
    source = np.concatenate([rows[False][0].ravel(), rows[True][0].ravel()])
    weight = np.concatenate([rows[False][1].ravel(), rows[True][1].ravel()])
    target = np.concatenate([np.repeat(np.arange(n_exc, dtype=np.int32), k_in[False]),
                             np.repeat(np.arange(n_exc, n_exc + n_inh, dtype=np.int32), k_in[True])])
    assert source.size == n_syn
    delay = rng.integers(lo, hi + 1, size=n_syn).astype(np.int16)
    order = np.argsort(source, kind="stable")
    indptr = np.zeros(params.n_neurons + 1, dtype=np.int64)
    np.cumsum(np.bincount(source, minlength=params.n_neurons), out=indptr[1:])
    return Connectivity(indptr, target[order], weight[order], delay[order])
