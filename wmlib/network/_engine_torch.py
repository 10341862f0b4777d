"""The PyTorch engine of the spiking network (for GPUs): the same model as :mod:`._engine_numba`, in float64.

Every step is a few whole-batch tensor operations over all trials and neurons: the Ornstein–Uhlenbeck step of the
membrane potentials, threshold and refractoriness, the synapse module's spike update for the excitatory neurons that
fired (:func:`wmlib.synapse.model.tm_relaxation`, :func:`wmlib.synapse.model.tm_spike_equations` accept tensors),
and the delivery of the step's spikes: the outgoing synapses of the neurons that fired are gathered from the
compressed rows of :class:`~wmlib.network.connectivity.Connectivity` (sparse storage, no dense matrix) and their
``J u x`` added into a delay ring buffer with ``index_add_``.

The membrane noise comes from a torch generator seeded from the caller's ``rng``, so runs are reproducible on one
device but do not repeat the CPU engine's numbers; the initial potentials and the noise-pulse targets are drawn
exactly as the CPU engine draws them, so without noise (``sigma_exc = sigma_inh = 0``) both engines compute the same
spikes (on a GPU the order of the additions of ``index_add_`` may differ in the last bit).
"""

from __future__ import annotations

import math

import numpy as np

from .._backend import require_torch
from ..synapse.model import tm_relaxation, tm_spike_equations

__all__ = ["simulate_torch"]


def simulate_torch(params, protocols, duration, rng, network, re, probe, dev, progress):
    from tqdm.auto import tqdm

    from .simulation import SEGMENT, _groups, _initial_state, _mu_at, _result, decay_tables

    torch = require_torch("The spiking network on a torch device")
    f64 = torch.float64
    T, N, n_exc = len(protocols), params.n_neurons, params.n_exc
    n_steps = int(round(duration / params.dt))
    R = -(-n_steps // re)
    D = int(round(params.delay_max / params.dt)) + 1
    V0, base, stimuli = _initial_state(params, protocols, rng, "simulate")
    gen = torch.Generator(device=dev).manual_seed(int(rng.integers(2**63)))

    tensor = lambda a, dtype=f64: torch.as_tensor(np.ascontiguousarray(a), dtype=dtype, device=dev)  # noqa: E731
    decay_f, decay_d = (tensor(v) for v in decay_tables(params, n_steps))
    indptr = tensor(network.indptr, torch.int64)
    degree = indptr[1:] - indptr[:-1]
    target = tensor(network.target, torch.int64)
    weight = tensor(network.weight.astype(np.float64))
    delay = tensor(network.delay, torch.int64)
    plastic = (tensor(network.sources(), torch.int64) < n_exc) & (target < n_exc)  # E->E synapses
    V = tensor(V0)
    ref = torch.zeros((T, N), dtype=torch.int64, device=dev)
    u = torch.full((T, n_exc), params.U, dtype=f64, device=dev)
    x = torch.ones((T, n_exc), dtype=f64, device=dev)
    last = torch.zeros((T, n_exc), dtype=torch.int64, device=dev)
    release = torch.ones((T, N), dtype=f64, device=dev)  # what a spike of each neuron transmits (u+ x- for E)
    ring = torch.zeros(T * D * N, dtype=f64, device=dev)
    a_e, a_i = math.exp(-params.dt / params.tau_exc), math.exp(-params.dt / params.tau_inh)  # as the CPU engine
    per_neuron = lambda e, i: tensor(np.r_[np.full(n_exc, e), np.full(params.n_inh, i)])  # noqa: E731 (float64)
    a = per_neuron(a_e, a_i)
    s = per_neuron(params.sigma_exc * math.sqrt((1 - a_e**2) / 2), params.sigma_inh * math.sqrt((1 - a_i**2) / 2))
    v_r = per_neuron(params.v_reset_exc, params.v_reset_inh)
    n_ref = int(round(params.t_ref / params.dt))
    ptr, idx, grp_size = _groups(params)
    member = torch.zeros((n_exc, params.n_pop + 1), dtype=f64, device=dev)
    member[tensor(np.repeat(np.arange(n_exc), np.diff(ptr)), torch.int64), tensor(idx, torch.int64)] = 1.0
    sums = torch.zeros((T, R, params.n_pop + 1, 3), dtype=f64, device=dev)
    rec_v = torch.zeros((T, R, probe.size), dtype=f64, device=dev)
    probe_t = tensor(probe, torch.int64)
    trial_off = (torch.arange(T, device=dev) * (D * N))[:, None]
    spike_steps, spike_trials, spike_ids = [], [], []
    bounds = sorted({0, n_steps, *range(0, n_steps, SEGMENT),
                     *(k for _, on, off, _, _ in stimuli for k in (on, off) if 0 < k < n_steps)})
    with tqdm(total=n_steps, desc="simulate (torch)", unit="step", disable=not progress) as bar:
        for k0, k1 in zip(bounds[:-1], bounds[1:]):
            mu = tensor(_mu_at(base, stimuli, k0))
            for k in range(k0, k1):
                slot = (trial_off + (k % D) * N + torch.arange(N, device=dev)).reshape(-1)
                inp = ring[slot].reshape(T, N)
                ring[slot] = 0.0
                free = ref == 0
                noise = torch.randn((T, N), generator=gen, dtype=f64, device=dev)
                v_new = mu + (V - mu) * a + s * noise + inp
                spiking = free & (v_new >= params.theta)
                V = torch.where(spiking, v_r, torch.where(free, v_new, V))
                ref = torch.where(spiking, n_ref, torch.clamp(ref - 1, min=0))
                fired_e = spiking[:, :n_exc]
                elapsed = k - last
                uu, xx = tm_relaxation(u, x, decay_f[elapsed], decay_d[elapsed], params.U)
                u_plus, rel, x_plus = tm_spike_equations(uu, xx, params.U)  # wmlib.synapse's equations
                u = torch.where(fired_e, u_plus, u)
                x = torch.where(fired_e, x_plus, x)
                last = torch.where(fired_e, k, last)
                release[:, :n_exc] = rel
                if k % re == 0:
                    j = k // re
                    un, xn = tm_relaxation(u, x, decay_f[k - last], decay_d[k - last], params.U)
                    sums[:, j, :, 0] = un @ member
                    sums[:, j, :, 1] = xn @ member
                    sums[:, j, :, 2] = (un * xn) @ member
                    if probe.size:
                        rec_v[:, j] = V[:, probe_t]
                tr, nid = torch.nonzero(spiking, as_tuple=True)
                if tr.numel():
                    spike_steps.append(torch.full_like(nid, k))
                    spike_trials.append(tr)
                    spike_ids.append(nid)
                    counts = degree[nid]
                    first = torch.repeat_interleave(indptr[nid], counts)
                    offset = torch.arange(int(counts.sum()), device=dev) - torch.repeat_interleave(
                        torch.cumsum(counts, 0) - counts, counts)
                    syn = first + offset
                    who = torch.repeat_interleave(tr * N + nid, counts)
                    eff = torch.where(plastic[syn], release.reshape(-1)[who], 1.0)
                    dest = (torch.repeat_interleave(tr, counts) * (D * N) + ((k + delay[syn]) % D) * N + target[syn])
                    ring.index_add_(0, dest, weight[syn] * eff)
            bar.update(k1 - k0)
    cat = lambda parts: torch.cat(parts).cpu().numpy() if parts else np.zeros(0, dtype=np.int64)  # noqa: E731
    steps, trials, ids = cat(spike_steps), cat(spike_trials), cat(spike_ids)
    order = np.lexsort((ids, steps, trials))
    return _result(params, protocols, duration, n_steps, re, ids[order], steps[order], trials[order],
                   sums.cpu().numpy(), grp_size, probe, rec_v.cpu().numpy())
