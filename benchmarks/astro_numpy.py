"""A straightforward NumPy/SciPy version of the analog neuron–astrocyte network (Tsybina et al. 2022): the baseline of
``bench_astro.py``.

The same equations and the same order of operations per step as :mod:`wmlib.astrocyte` (see its
``_engine_numba`` module), written the way one would first write them: whole-array NumPy expressions for the neurons
and astrocytes, the 4 x 4 zone sums with ``sliding_window_view``, the astrocytes' Laplacian with ``np.pad``, and the
synaptic sums as two ``scipy.sparse`` matrix-vector products over every neuron.  One trial, constant input.
"""

from __future__ import annotations

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view
from scipy import sparse

from wmlib.astrocyte import astrocyte_of, initial_state


def _rhs(ca, h, ip3, j_ip3, j_ca, p):
    m = ip3 / (ip3 + p.d1)
    n = ca / (ca + p.d5)
    store = p.c0 / p.c1 - (1.0 + 1.0 / p.c1) * ca
    j_er = p.c1 * p.v1 * (m * n * h) ** 3 * store
    dca = (j_er - p.v3 * ca**2 / (p.k3**2 + ca**2) + p.c1 * p.v2 * store + p.v6 * ip3**2 / (p.k2**2 + ip3**2)
           - p.k1 * ca + j_ca)
    q2 = p.d2 * (ip3 + p.d1) / (ip3 + p.d3)
    dh = p.a2 * (q2 * (1.0 - h) - ca * h)
    dip3 = (p.ip3_star - ip3) / p.tau_ip3 + p.v4 * (ca + (1.0 - p.alpha) * p.k4) / (ca + p.k4) + j_ip3
    return dca, dh, dip3


def _laplacian(x):
    g = np.pad(x, 1, mode="edge")  # a missing neighbour adds nothing
    return g[:-2, 1:-1] + g[2:, 1:-1] + g[1:-1, :-2] + g[1:-1, 2:] - 4.0 * x


def run(params, wiring, current, n_steps):
    """Run one trial for ``n_steps`` with the constant input ``current`` (size x size); returns spike counts."""
    cell, astro = params.neuron, params.astrocyte
    size, side = params.size, params.astro_side
    s = initial_state(params, 1)
    v, u, glu, isyn = s.v[0].copy(), s.rec[0].copy(), s.glu[0].copy(), s.isyn[0].copy()
    ca, h, ip3 = (x[0].reshape(side, side).copy() for x in (s.ca, s.h, s.ip3))
    gate = np.zeros((side, side), dtype=np.int64)
    post, pre = wiring.target, wiring.sources()
    n = params.n_neurons
    w = sparse.csr_matrix((wiring.weight, (post, pre)), shape=(n, n))
    a = sparse.csr_matrix((np.ones(pre.size), (post, pre)), shape=(n, n))
    acts_on = astrocyte_of(size)
    i_app = np.asarray(current, float).reshape(-1)
    dt_ms, dt = params.dt * 1e3, params.dt
    check, gate_steps = params.steps(params.check_every), params.steps(params.gate_duration)
    counts = np.zeros(n, dtype=np.int64)
    for step in range(n_steps):
        fired = v >= cell.v_peak
        v = np.where(fired, cell.c, v)
        u = u + cell.d * fired
        vn = v + dt_ms * (0.04 * v * v + 5.0 * v + 140.0 - u + np.minimum(i_app + isyn, params.input_cap))
        u = u + dt_ms * cell.a * (cell.b * vn - u)
        spiking = vn >= cell.v_peak
        vn = np.minimum(vn, cell.v_peak)
        counts += spiking
        glu = glu * (1.0 - dt * params.alpha_glu) + params.k_glu * dt * (vn >= params.v_glu)
        zsum = sliding_window_view(glu.reshape(size, size), (4, 4))[::3, ::3].sum(axis=(2, 3))
        j_glu = np.where(zsum >= params.glu_min, zsum, 0.0)
        lap_ca, j_ip3 = params.d_ca * _laplacian(ca), j_glu + params.d_ip3 * _laplacian(ip3)
        k1 = _rhs(ca, h, ip3, j_ip3, lap_ca, astro)
        k2 = _rhs(ca + 0.5 * dt * k1[0], h + 0.5 * dt * k1[1], ip3 + 0.5 * dt * k1[2], j_ip3, lap_ca, astro)
        k3 = _rhs(ca + 0.5 * dt * k2[0], h + 0.5 * dt * k2[1], ip3 + 0.5 * dt * k2[2], j_ip3, lap_ca, astro)
        k4 = _rhs(ca + dt * k3[0], h + dt * k3[1], ip3 + dt * k3[2], j_ip3, lap_ca, astro)
        ca, h, ip3 = (x + dt / 6.0 * (a1 + 2 * a2 + 2 * a3 + a4) for x, a1, a2, a3, a4 in zip((ca, h, ip3), k1, k2, k3, k4))
        if step % check == 0:
            gate = np.where((ca > params.ca_threshold) & (zsum >= params.glu_gate), gate_steps, gate)
        above = np.maximum(ca - params.ca_threshold, 0.0)
        top = above.max()
        dg = np.where((gate > 0) & (above > 0), params.nu_ca * above / (top if top > 0 else 1.0), 0.0).reshape(-1)
        sig = np.where(vn > -params.k_syn * np.log(1e20), 1.0 / (1.0 + np.exp(-vn / params.k_syn)), 0.0)
        isyn = (params.e_syn - vn) * (w @ sig + dg[acts_on] * (a @ sig))
        v = vn
        gate = np.maximum(gate - 1, 0)
    return counts
