"""The compiled CPU engine of the neuron–astrocyte network: every step of one trial in one numba loop.

One call advances every trial of a batch by ``n_steps`` steps of ``dt`` with a constant applied current (the
trials run in parallel, one per thread; within a trial everything is sequential, so results never depend on the
number of threads).  Per step, in the order of the authors' code:

1. neurons that spiked in the previous step are reset (V = c, U += d);
2. V takes a forward-Euler step with the synaptic current of the previous step (the total input capped at
   ``input_cap``), then U with the new V (semi-implicit, as the authors' code); V is clamped at ``v_peak``, which
   counts as a spike; glutamate decays and jumps where V >= ``v_glu``;
3. each astrocyte sums what its 16 neurons tell it (glutamate, and in the binary form the number of active and of
   synchronous neurons) and gets its input J_glu;
4. the astrocytes take a fourth-order Runge–Kutta step (diffusion held fixed over the step), or, when a calcium
   trace is replayed, calcium is read from it;
5. at every check step, gates open where the facilitation condition holds;
6. the synaptic current of every neuron is recomputed from the new potentials:
   ``I_i = (E_syn - V_i) (sum_j g_ij s_j + dg_i sum_j s_j)`` with ``s_j = 1 / (1 + exp(-V_j / k_syn))``.

Step 6 visits only presynaptic neurons with ``V_j > v_cut``: below it ``s_j < 1e-20`` and its contribution to any
potential is far below a rounding error of V (the cut does not change the results beyond float rounding; the torch
engine, which sums every neuron, agrees with this one to rounding).
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit, prange

__all__ = ["run", "run_one", "F", "I"]

# indices into the float constants (kf) and the integer constants (ki)
F = {name: i for i, name in enumerate((
    "dt_ms", "dt_s", "a", "b", "c", "d", "v_peak", "e_syn", "k_syn", "v_cut", "alpha_glu", "glu_jump", "v_glu",
    "d_ca", "d_ip3", "ca_thr", "nu_ca", "input_cap", "glu_min", "glu_gate", "glu_level", "a_glu",
    "c0", "c1", "v1", "v2", "v3", "v4", "v6", "k1", "k2", "k3", "k4", "d1", "d2", "d3", "d5", "a2", "alpha",
    "ip3_star", "tau_ip3"))}
I = {name: i for i, name in enumerate((
    "binary", "side", "check_steps", "gate_steps", "glu_steps", "n_active", "n_sync", "sync_steps"))}


@njit(cache=True, nogil=True, inline="always")
def _astro_rhs(ca, h, ip3, j_ip3, j_ca, kf):
    """The Ullah astrocyte's derivatives (wmlib.astrocyte.ullah.derivatives), plus constant extra inputs."""
    c0, c1 = kf[22], kf[23]
    v1, v2, v3, v4, v6 = kf[24], kf[25], kf[26], kf[27], kf[28]
    k1, k2, k3, k4 = kf[29], kf[30], kf[31], kf[32]
    d1, d2, d3, d5, a2, alpha, ip3_star, tau_ip3 = kf[33], kf[34], kf[35], kf[36], kf[37], kf[38], kf[39], kf[40]
    m = ip3 / (ip3 + d1)
    n = ca / (ca + d5)
    store = c0 / c1 - (1.0 + 1.0 / c1) * ca
    mnh = m * n * h
    j_er = c1 * v1 * mnh * mnh * mnh * store
    j_leak = c1 * v2 * store
    j_pump = v3 * ca * ca / (k3 * k3 + ca * ca)
    j_in = v6 * ip3 * ip3 / (k2 * k2 + ip3 * ip3)
    j_out = k1 * ca
    q2 = d2 * (ip3 + d1) / (ip3 + d3)
    j_plc = v4 * (ca + (1.0 - alpha) * k4) / (ca + k4)
    dca = j_er - j_pump + j_leak + j_in - j_out + j_ca
    dh = a2 * (q2 * (1.0 - h) - ca * h)
    dip3 = (ip3_star - ip3) / tau_ip3 + j_plc + j_ip3
    return dca, dh, dip3


@njit(cache=True, nogil=True)
def _trial(v, rec, glu, isyn, ca, h, ip3, gate, glu_on, sync, noise, pulses, step0, n_steps, i_app, indptr, target, weight,
           zone, acts_on, kf, ki, ev_step, ev_neuron, ev_amp, ev_on, ev_ptr, ca_drive, drive_row, counts, trace,
           trace_row):
    N = v.shape[0]
    A = ca.shape[0]
    side = ki[1]
    binary = ki[0] == 1
    dt_ms, dt_s = kf[0], kf[1]
    a, b, c, d, v_peak = kf[2], kf[3], kf[4], kf[5], kf[6]
    e_syn, k_syn, v_cut = kf[7], kf[8], kf[9]
    decay_glu, glu_jump, v_glu = 1.0 - dt_s * kf[10], kf[11], kf[12]
    d_ca, d_ip3, ca_thr, nu_ca, cap = kf[13], kf[14], kf[15], kf[16], kf[17]
    glu_min, glu_gate, glu_level, a_glu = kf[18], kf[19], kf[20], kf[21]
    check_steps, gate_steps, glu_steps, n_active, n_sync, sync_steps = ki[2], ki[3], ki[4], ki[5], ki[6], ki[7]
    replay = ca_drive.shape[0] > 0
    spiked = np.zeros(N, np.bool_)
    zsum = np.zeros(A)
    j_glu = np.zeros(A)
    lap_ca = np.zeros(A)
    lap_ip3 = np.zeros(A)
    dg = np.zeros(A)
    s_w = np.zeros(N)
    s_a = np.zeros(N)
    ptr = ev_ptr
    n_ev = ev_step.shape[0]
    for s in range(n_steps):
        step = step0 + s
        while ptr < n_ev and ev_step[ptr] <= step:  # background pulses start or end
            nn = ev_neuron[ptr]
            if not ev_on[ptr]:  # a pulse ends (back to exactly 0 when no other pulse is on)
                pulses[nn] -= 1
                noise[nn] = 0.0 if pulses[nn] == 0 else noise[nn] - ev_amp[ptr]
            else:
                pulses[nn] += 1
                noise[nn] += ev_amp[ptr]
            ptr += 1
        # 1-2. neurons and glutamate
        for i in range(N):
            vi = v[i]
            ri = rec[i]
            if vi >= v_peak:
                vi = c
                ri += d
            cur = i_app[i] + noise[i] + isyn[i]
            if cur > cap:
                cur = cap
            vn = vi + dt_ms * (0.04 * vi * vi + 5.0 * vi + 140.0 - ri + cur)
            rec[i] = ri + dt_ms * a * (b * vn - ri)  # U from the new V (before the clamp), as the authors' code
            fired = vn >= v_peak
            if fired:
                vn = v_peak
                counts[i] += 1
            spiked[i] = fired
            v[i] = vn
            g = glu[i] * decay_glu
            if vn >= v_glu:
                g += glu_jump
            glu[i] = g
        # 3. what each astrocyte hears
        for q in range(A):
            tot = 0.0
            n_on = 0
            n_fired = 0
            for z in range(16):
                i = zone[q, z]
                gi = glu[i]
                tot += gi
                if gi >= glu_level:
                    n_on += 1
                if spiked[i]:
                    n_fired += 1
            zsum[q] = tot
            if binary:
                if n_on >= n_active:
                    glu_on[q] = glu_steps
                j_glu[q] = a_glu if glu_on[q] > 0 else 0.0
                if n_fired >= n_sync:
                    sync[q] = sync_steps
            else:
                j_glu[q] = tot if tot >= glu_min else 0.0
        # 4. astrocytes
        if replay:
            for q in range(A):
                ca[q] = ca_drive[drive_row + s, q]
        else:
            for q in range(A):
                jr, jc = q // side, q % side
                lc = 0.0
                li = 0.0
                if jr > 0:
                    lc += ca[q - side] - ca[q]
                    li += ip3[q - side] - ip3[q]
                if jr < side - 1:
                    lc += ca[q + side] - ca[q]
                    li += ip3[q + side] - ip3[q]
                if jc > 0:
                    lc += ca[q - 1] - ca[q]
                    li += ip3[q - 1] - ip3[q]
                if jc < side - 1:
                    lc += ca[q + 1] - ca[q]
                    li += ip3[q + 1] - ip3[q]
                lap_ca[q] = d_ca * lc
                lap_ip3[q] = d_ip3 * li
            for q in range(A):
                y0, y1, y2 = ca[q], h[q], ip3[q]
                jip = j_glu[q] + lap_ip3[q]
                jca = lap_ca[q]
                a0, a1, a2_ = _astro_rhs(y0, y1, y2, jip, jca, kf)
                b0, b1, b2 = _astro_rhs(y0 + 0.5 * dt_s * a0, y1 + 0.5 * dt_s * a1, y2 + 0.5 * dt_s * a2_, jip, jca, kf)
                c0_, c1_, c2 = _astro_rhs(y0 + 0.5 * dt_s * b0, y1 + 0.5 * dt_s * b1, y2 + 0.5 * dt_s * b2, jip, jca, kf)
                e0, e1, e2 = _astro_rhs(y0 + dt_s * c0_, y1 + dt_s * c1_, y2 + dt_s * c2, jip, jca, kf)
                ca[q] = y0 + dt_s / 6.0 * (a0 + 2.0 * b0 + 2.0 * c0_ + e0)
                h[q] = y1 + dt_s / 6.0 * (a1 + 2.0 * b1 + 2.0 * c1_ + e1)
                ip3[q] = y2 + dt_s / 6.0 * (a2_ + 2.0 * b2 + 2.0 * c2 + e2)
        row = trace_row + s
        if 0 <= row < trace.shape[0]:
            for q in range(A):
                trace[row, q] = ca[q]
        # 5. gates
        if step % check_steps == 0:
            for q in range(A):
                if ca[q] > ca_thr and ((binary and sync[q] > 0) or (not binary and zsum[q] >= glu_gate)):
                    gate[q] = gate_steps
        top = 0.0
        if not binary:
            for q in range(A):
                if ca[q] - ca_thr > top:
                    top = ca[q] - ca_thr
        for q in range(A):
            if gate[q] > 0:
                if binary:
                    dg[q] = nu_ca
                else:
                    dg[q] = nu_ca * (ca[q] - ca_thr) / top if ca[q] > ca_thr else 0.0
            else:
                dg[q] = 0.0
        # 6. synaptic current from the new potentials
        for i in range(N):
            s_w[i] = 0.0
            s_a[i] = 0.0
        for j in range(N):
            vj = v[j]
            if vj > v_cut:
                sj = 1.0 / (1.0 + math.exp(-vj / k_syn))
                for p in range(indptr[j], indptr[j + 1]):
                    t = target[p]
                    s_w[t] += weight[p] * sj
                    s_a[t] += sj
        for i in range(N):
            isyn[i] = (e_syn - v[i]) * (s_w[i] + dg[acts_on[i]] * s_a[i])
        # timers run down
        for q in range(A):
            if gate[q] > 0:
                gate[q] -= 1
            if glu_on[q] > 0:
                glu_on[q] -= 1
            if sync[q] > 0:
                sync[q] -= 1
    return ptr


@njit(cache=True, nogil=True, parallel=True)
def run(v, rec, glu, isyn, ca, h, ip3, gate, glu_on, sync, noise, pulses, step0, n_steps, i_app, indptr, target,
        weight, zone, acts_on, kf, ki, ev_step, ev_neuron, ev_amp, ev_on, ev_start, ev_ptr, ca_drive, drive_row,
        counts, trace, trace_row):
    """Advance every trial (axis 0 of the state arrays) by ``n_steps``; spikes are added to ``counts``.

    Trial b's background pulses start and end at the events ``ev_*[ev_start[b]:ev_start[b + 1]]`` (sorted by
    step; ``ev_on`` true where a pulse of amplitude ``ev_amp`` starts), of which the first ``ev_ptr[b]`` are already
    applied (updated in place); ``noise`` and ``pulses`` hold each neuron's pulse current and number of pulses on.
    When ``ca_drive`` (rows, astrocytes) has rows, trial b's calcium at its step s is row ``drive_row[b] + s``
    instead of the astrocytes' own.  The calcium after step s is written to row ``trace_row + s`` of ``trace[b]``
    (trials, rows, astrocytes) when that row exists.  A batch of one trial runs without the thread pool
    (:func:`run_one`).
    """
    B = v.shape[0]
    for bb in prange(B):
        lo, hi = ev_start[bb], ev_start[bb + 1]
        done = _trial(v[bb], rec[bb], glu[bb], isyn[bb], ca[bb], h[bb], ip3[bb], gate[bb], glu_on[bb], sync[bb],
                      noise[bb], pulses[bb], step0, n_steps, i_app[bb], indptr, target, weight, zone, acts_on, kf, ki,
                      ev_step[lo:hi], ev_neuron[lo:hi], ev_amp[lo:hi], ev_on[lo:hi], ev_ptr[bb], ca_drive, drive_row[bb],
                      counts[bb], trace[bb], trace_row)
        ev_ptr[bb] = done


def run_one(v, rec, glu, isyn, ca, h, ip3, gate, glu_on, sync, noise, pulses, step0, n_steps, i_app, indptr, target,
            weight, zone, acts_on, kf, ki, ev_step, ev_neuron, ev_amp, ev_on, ev_start, ev_ptr, ca_drive, drive_row,
            counts, trace, trace_row):
    """:func:`run` for a batch of one trial, called directly (no thread pool to wake at every call)."""
    lo, hi = ev_start[0], ev_start[1]
    ev_ptr[0] = _trial(v[0], rec[0], glu[0], isyn[0], ca[0], h[0], ip3[0], gate[0], glu_on[0], sync[0], noise[0],
                       pulses[0], step0, n_steps, i_app[0], indptr, target, weight, zone, acts_on, kf, ki,
                       ev_step[lo:hi], ev_neuron[lo:hi], ev_amp[lo:hi], ev_on[lo:hi], ev_ptr[0], ca_drive,
                       drive_row[0], counts[0], trace[0], trace_row)
