"""The compiled, event-driven CPU engine of the spiking network.

One call of :func:`run_steps` advances every trial by a range of time steps.  Each trial's neurons are cut into
fixed blocks (excitatory and inhibitory blocks apart); one task per (trial, block) runs in parallel in every step
and does, in order:

1. **delivery**: the spikes emitted in the previous step, by every block of the trial, travel along their outgoing
   synapses; the task handles the synapses whose target lies in its own block (a neuron's synapses are sorted by
   target, so ``row_split`` gives that range directly) and adds ``J * u x`` (E→E) or ``J`` (other pathways) to the
   delay ring buffer slot ``(step + delay) mod D`` of the target;
2. **integration** of its neurons: the exact Ornstein–Uhlenbeck step of the membrane potential
   :math:`V \\leftarrow \\mu + (V-\\mu)e^{-dt/\\tau} + \\sigma\\sqrt{(1-e^{-2dt/\\tau})/2}\\,\\xi`, plus the input
   arriving now; a neuron at or above threshold spikes, is reset and stays refractory (no input, no noise);
3. **short-term plasticity** of the excitatory neurons that fired, per presynaptic neuron: relaxation since the
   neuron's last spike (a table of decays) and the spike update, with the synapse module's own equations
   (:func:`wmlib.synapse.model.tm_relaxation`, :func:`wmlib.synapse.model.tm_spike_equations`), compiled here; the
   release ``u+ x-`` is what every E→E synapse of that spike transmits;
4. **recording**: the spike (neuron, step), and every ``record_every`` steps the block's sums of u, x and u·x per
   population (relaxed to the present).

Each block draws its noise from its own random stream (:mod:`._noise`), so results do not depend on the number of
threads, and the order of every sum is fixed: runs are reproducible bit for bit.
"""

from __future__ import annotations

import numpy as np
from numba import njit, prange

from ..synapse.model import tm_relaxation, tm_spike_equations
from ._noise import standard_normal

__all__ = ["run_steps", "split_rows"]

_relax = njit(cache=True, inline="always")(tm_relaxation)  # wmlib.synapse's equations, compiled
_spike = njit(cache=True, inline="always")(tm_spike_equations)


@njit(cache=True, nogil=True, boundscheck=False)
def _task(k, t, b, recording, j_rec, state, net, blocks, consts, spikes, rec):
    """One (trial, block) task of step k: delivery, integration and plasticity, recording (see the module docstring)."""
    V, ref, u, x, last, ring, mu, streams = state
    target, weight, delay, row_split = net
    block_lo, block_hi, block_exc = blocks
    a_m, s_m, v_r, theta, n_ref, n_exc, U, decay_f, decay_d = consts
    spk_ids, spk_rel, spk_n = spikes
    rec_ids, rec_steps, rec_n, grp_ptr, grp_idx, rec_sum, probe, probe_ptr, rec_v = rec
    D = ring.shape[1]
    p = k & 1  # this step's spike list; 1 - p holds the previous step's
    q = 1 - p
    lo = block_lo[b]
    hi = block_hi[b]
    exc = block_exc[b]
    # 1. delivery of the previous step's spikes (from every block of the trial) into this block's targets
    ring_t = ring[t]
    sent = (k - 1) % D  # the slot of the step they were emitted in; delays are 1 .. D - 1 steps
    for b2 in range(block_lo.shape[0]):
        for m in range(spk_n[q, t, b2]):
            j = spk_ids[q, t, b2, m]
            eff = spk_rel[q, t, b2, m] if (exc and j < n_exc) else 1.0  # u+ x- on E->E synapses only
            for s in range(row_split[j, b], row_split[j, b + 1]):
                arrive = sent + delay[s]
                if arrive >= D:
                    arrive -= D
                ring_t[arrive, target[s]] += weight[s] * eff
    # 2. integration, 3. plasticity of the neurons that fire
    kind = 0 if exc else 1
    a = a_m[kind]
    sig = s_m[kind]
    vr = v_r[kind]
    s0 = streams[t, b, 0]
    s1 = streams[t, b, 1]
    n_sp = 0
    n_rec = rec_n[t, b]
    V_t = V[t]  # this trial's rows (views), so that the loop below indexes one axis
    ref_t = ref[t]
    mu_t = mu[t]
    in_t = ring_t[k % D]
    for i in range(lo, hi):
        inp = in_t[i]
        in_t[i] = 0.0
        if ref_t[i] > 0:  # refractory: clamped at reset, input lost
            ref_t[i] -= 1
            continue
        z, s0, s1 = standard_normal(s0, s1)
        m_i = mu_t[i]
        v = m_i + (V_t[i] - m_i) * a + sig * z + inp
        if v >= theta:
            V_t[i] = vr
            ref_t[i] = n_ref
            release = 1.0
            if i < n_exc:
                elapsed = k - last[t, i]
                uu, xx = _relax(u[t, i], x[t, i], decay_f[elapsed], decay_d[elapsed], U)
                u_plus, release, x_plus = _spike(uu, xx, U)
                u[t, i] = u_plus
                x[t, i] = x_plus
                last[t, i] = k
            spk_ids[p, t, b, n_sp] = i
            spk_rel[p, t, b, n_sp] = release
            n_sp += 1
            rec_ids[t, b, n_rec] = i
            rec_steps[t, b, n_rec] = k
            n_rec += 1
        else:
            V_t[i] = v
    spk_n[p, t, b] = n_sp
    rec_n[t, b] = n_rec
    streams[t, b, 0] = s0
    streams[t, b, 1] = s1
    # 4. population sums of u, x, u x (excitatory blocks), membrane potentials of the probed neurons
    if recording:
        if exc:
            for i in range(lo, hi):
                elapsed = k - last[t, i]
                uu, xx = _relax(u[t, i], x[t, i], decay_f[elapsed], decay_d[elapsed], U)
                for g in range(grp_ptr[i], grp_ptr[i + 1]):
                    gi = grp_idx[g]
                    rec_sum[t, j_rec, b, gi, 0] += uu
                    rec_sum[t, j_rec, b, gi, 1] += xx
                    rec_sum[t, j_rec, b, gi, 2] += uu * xx
        for m in range(probe_ptr[b], probe_ptr[b + 1]):
            rec_v[t, j_rec, m] = V_t[probe[m]]


@njit(cache=True, nogil=True, parallel=True, boundscheck=False)
def run_steps(k0, k1, record_every, state, net, blocks, consts, spikes, rec):
    """Advance every trial from step ``k0`` to ``k1`` (exclusive) in place; returns the step reached.

    It stops early, at a step boundary, when a block's spike record could overflow in the next step (the caller
    enlarges ``rec_ids``/``rec_steps`` and calls again from the returned step).  The arguments are tuples of arrays
    (``T`` trials, ``N`` neurons, ``B`` blocks, ``D`` ring slots, ``G`` population groups, ``P`` probes)::

        state  = V (T, N), ref (T, N) int32, u, x (T, n_exc), last (T, n_exc) int64, ring (T, D, N), mu (T, N),
                 streams (T, B, 2) uint64
        net    = target, weight, delay (n_synapses,), row_split (N, B + 1)
        blocks = block_lo, block_hi (B,), block_exc (B,) bool
        consts = a_m, s_m, v_r (2,) for E then I: decay per step, noise scale, reset; theta, n_ref, n_exc, U;
                 decay_f, decay_d: exp(-n dt / tau_f) and exp(-n dt / tau_d) for every number of steps n of the
                 run (a table shared with the torch engine, so that both compute the same numbers)
        spikes = spk_ids, spk_rel (2, T, B, largest block), spk_n (2, T, B): the last two steps' spikes, by parity
        rec    = rec_ids, rec_steps (T, B, capacity), rec_n (T, B), grp_ptr, grp_idx (CSR of the groups of every
                 excitatory neuron), rec_sum (T, R, B, G, 3), probe (P,), probe_ptr (B + 1,), rec_v (T, R, P)
    """
    rec_ids, rec_n = rec[0], rec[2]
    block_lo, block_hi = blocks[0], blocks[1]
    T = rec_n.shape[0]
    B = block_lo.shape[0]
    cap = rec_ids.shape[2]
    for k in range(k0, k1):
        for t in range(T):  # room for a whole block of spikes in every record
            for b in range(B):
                if rec_n[t, b] + block_hi[b] - block_lo[b] > cap:
                    return k
        recording = k % record_every == 0
        j_rec = k // record_every
        for tb in prange(T * B):
            t = tb // B
            _task(k, t, tb - t * B, recording, j_rec, state, net, blocks, consts, spikes, rec)
    return k1


@njit(cache=True, nogil=True)
def split_rows(indptr, target, block_lo):
    """(N, B + 1) synapse index at which each neuron's outgoing synapses (sorted by target) reach each block."""
    N = indptr.shape[0] - 1
    B = block_lo.shape[0]
    out = np.empty((N, B + 1), dtype=np.int64)
    for j in range(N):
        start = indptr[j]
        stop = indptr[j + 1]
        for b in range(B):
            lo, hi = start, stop  # first index in [start, stop) with target >= block_lo[b]
            while lo < hi:
                mid = (lo + hi) >> 1
                if target[mid] < block_lo[b]:
                    lo = mid + 1
                else:
                    hi = mid
            out[j, b] = lo
        out[j, B] = stop
    return out
