"""The torch engine of the neuron–astrocyte network: the same step as :mod:`._engine_numba`, in tensor operations
over the whole batch, on any torch device (a GPU above all).

Each step is a few dozen tensor operations on (trials, neurons) and (trials, astrocytes) arrays; the synaptic sums
are two sparse matrix products (weighted and unweighted) with every neuron's sigmoid, cut at the same ``v_cut`` as
the CPU engine.  Results agree with the CPU engine to float rounding (the sums run in another order), in float64.
"""

from __future__ import annotations

import numpy as np

from .._backend import require_torch
from ._engine_numba import F, I

__all__ = ["TorchEngine"]


def _astro_rhs(torch, ca, h, ip3, j_ip3, j_ca, k):
    m = ip3 / (ip3 + k["d1"])
    n = ca / (ca + k["d5"])
    store = k["c0"] / k["c1"] - (1.0 + 1.0 / k["c1"]) * ca
    mnh = m * n * h
    j_er = k["c1"] * k["v1"] * mnh * mnh * mnh * store
    j_leak = k["c1"] * k["v2"] * store
    j_pump = k["v3"] * ca * ca / (k["k3"] * k["k3"] + ca * ca)
    j_in = k["v6"] * ip3 * ip3 / (k["k2"] * k["k2"] + ip3 * ip3)
    q2 = k["d2"] * (ip3 + k["d1"]) / (ip3 + k["d3"])
    j_plc = k["v4"] * (ca + (1.0 - k["alpha"]) * k["k4"]) / (ca + k["k4"])
    dca = j_er - j_pump + j_leak + j_in - k["k1"] * ca + j_ca
    dh = k["a2"] * (q2 * (1.0 - h) - ca * h)
    dip3 = (k["ip3_star"] - ip3) / k["tau_ip3"] + j_plc + j_ip3
    return dca, dh, dip3


class TorchEngine:
    """Holds the state as tensors on ``device`` and advances it; the driver is :func:`wmlib.astrocyte.simulate`."""

    def __init__(self, params, wiring, state, device, ev_step, ev_neuron, ev_amp, ev_on, ev_start, constants):
        torch = require_torch("the torch engine of wmlib.astrocyte")
        from .grid import astrocyte_of, zones

        self.torch = torch
        self.device = device
        kf, ki = constants
        self.k = {name: float(kf[i]) for name, i in F.items()}
        self.ki = {name: int(ki[i]) for name, i in I.items()}
        t = lambda x, dtype=torch.float64: torch.as_tensor(np.ascontiguousarray(x), dtype=dtype, device=device)  # noqa: E731
        self.t = t
        self.v, self.rec, self.glu, self.isyn = (t(x) for x in state[:4])
        self.ca, self.h, self.ip3 = (t(x) for x in state[4:7])
        self.gate, self.glu_on, self.sync = (t(x, torch.int64) for x in state[7:10])
        self.step0 = int(state.step)
        self.step = int(state.step)
        B, N = state.v.shape
        self.B, self.N, self.A = B, N, state.ca.shape[1]
        self.zone = t(zones(params.size), torch.int64)
        self.acts_on = t(astrocyte_of(params.size), torch.int64)
        src = wiring.sources()
        idx = torch.as_tensor(np.stack([wiring.target, src]), dtype=torch.int64, device=device)  # (post, pre)
        self.w = torch.sparse_coo_tensor(idx, t(wiring.weight), (N, N), check_invariants=False).coalesce()
        self.a = torch.sparse_coo_tensor(idx, torch.ones(src.size, dtype=torch.float64, device=device),
                                         (N, N), check_invariants=False).coalesce()
        self.noise = torch.zeros(B, N, dtype=torch.float64, device=device)
        self.pulses = torch.zeros(B, N, dtype=torch.int64, device=device)
        trial = np.repeat(np.arange(B), np.diff(ev_start))
        order = np.argsort(ev_step, kind="stable")  # by step, keeping each trial's order (an end before a start)
        self.ev = [x[order] for x in (ev_step, trial, ev_neuron, ev_amp, ev_on)]
        self.ev_ptr = int(np.searchsorted(self.ev[0], self.step0))
        self.drive = None

    def _events(self, step):
        torch = self.torch
        ev_step = self.ev[0]
        lo = self.ev_ptr
        hi = lo
        while hi < ev_step.size and ev_step[hi] <= step:
            hi += 1
        if hi == lo:
            return
        self.ev_ptr = hi
        _, trial, neuron, amp, on = (x[lo:hi] for x in self.ev)
        for mask, sign in ((~on, -1), (on, 1)):  # ends first, then starts
            if mask.any():
                tt = self.t(trial[mask], torch.int64)
                nn = self.t(neuron[mask], torch.int64)
                self.pulses.index_put_((tt, nn), torch.full((tt.numel(),), sign, dtype=torch.int64,
                                                            device=self.device), accumulate=True)
                self.noise.index_put_((tt, nn), self.t(sign * amp[mask]), accumulate=True)
                if sign < 0:
                    cur = self.noise[tt, nn]
                    self.noise[tt, nn] = torch.where(self.pulses[tt, nn] == 0, torch.zeros_like(cur), cur)

    def advance(self, lo, n, i_app, drive, drive_row):
        torch, k, ki = self.torch, self.k, self.ki
        binary = ki["binary"] == 1
        i_app = self.t(i_app)
        counts = torch.zeros(self.B, self.N, dtype=torch.int64, device=self.device)
        if drive is not None and self.drive is None:
            self.drive = self.t(drive)
        rows = self.t(drive_row, torch.int64) if drive is not None else None
        side = ki["side"]
        dt_ms, dt = k["dt_ms"], k["dt_s"]
        for s in range(n):
            step = self.step0 + lo + s
            self._events(step)
            v = self.v
            fired = v >= k["v_peak"]
            v = torch.where(fired, torch.full_like(v, k["c"]), v)
            rec = self.rec + k["d"] * fired
            cur = torch.clamp(i_app + self.noise + self.isyn, max=k["input_cap"])
            vn = v + dt_ms * (0.04 * v * v + 5.0 * v + 140.0 - rec + cur)
            self.rec = rec + dt_ms * k["a"] * (k["b"] * vn - rec)
            fired = vn >= k["v_peak"]
            vn = torch.clamp(vn, max=k["v_peak"])
            counts += fired
            self.glu = self.glu * (1.0 - dt * k["alpha_glu"]) + k["glu_jump"] * (vn >= k["v_glu"])
            zg = self.glu[:, self.zone]  # (B, A, 16)
            zsum = zg.sum(dim=-1)
            if binary:
                n_on = (zg >= k["glu_level"]).sum(dim=-1)
                self.glu_on = torch.where(n_on >= ki["n_active"], torch.full_like(self.glu_on, ki["glu_steps"]),
                                          self.glu_on)
                j_glu = k["a_glu"] * (self.glu_on > 0)
                n_fired = fired[:, self.zone].sum(dim=-1)
                self.sync = torch.where(n_fired >= ki["n_sync"], torch.full_like(self.sync, ki["sync_steps"]),
                                        self.sync)
            else:
                j_glu = torch.where(zsum >= k["glu_min"], zsum, torch.zeros_like(zsum))
            if drive is not None:
                self.ca = self.drive[rows + s]
            else:
                ca, h, ip3 = self.ca, self.h, self.ip3
                lap_ca = k["d_ca"] * self._laplacian(ca, side)
                j_ip3 = j_glu + k["d_ip3"] * self._laplacian(ip3, side)
                a = _astro_rhs(torch, ca, h, ip3, j_ip3, lap_ca, k)
                b = _astro_rhs(torch, ca + 0.5 * dt * a[0], h + 0.5 * dt * a[1], ip3 + 0.5 * dt * a[2], j_ip3, lap_ca, k)
                c = _astro_rhs(torch, ca + 0.5 * dt * b[0], h + 0.5 * dt * b[1], ip3 + 0.5 * dt * b[2], j_ip3, lap_ca, k)
                e = _astro_rhs(torch, ca + dt * c[0], h + dt * c[1], ip3 + dt * c[2], j_ip3, lap_ca, k)
                self.ca = ca + dt / 6.0 * (a[0] + 2.0 * b[0] + 2.0 * c[0] + e[0])
                self.h = h + dt / 6.0 * (a[1] + 2.0 * b[1] + 2.0 * c[1] + e[1])
                self.ip3 = ip3 + dt / 6.0 * (a[2] + 2.0 * b[2] + 2.0 * c[2] + e[2])
            ca = self.ca
            if step % ki["check_steps"] == 0:
                cond = ca > k["ca_thr"]
                cond = cond & ((self.sync > 0) if binary else (zsum >= k["glu_gate"]))
                self.gate = torch.where(cond, torch.full_like(self.gate, ki["gate_steps"]), self.gate)
            if binary:
                dg = k["nu_ca"] * (self.gate > 0)
            else:
                above = torch.clamp(ca - k["ca_thr"], min=0.0)
                top = above.amax(dim=1, keepdim=True)
                dg = torch.where((self.gate > 0) & (above > 0), k["nu_ca"] * above / torch.where(top > 0, top, 1.0),
                                 torch.zeros_like(above))
            sig = torch.sigmoid(vn / k["k_syn"]) * (vn > k["v_cut"])
            s_w = torch.sparse.mm(self.w, sig.t()).t()
            s_a = torch.sparse.mm(self.a, sig.t()).t()
            self.isyn = (k["e_syn"] - vn) * (s_w + dg[:, self.acts_on] * s_a)
            self.v = vn
            self.gate = torch.clamp(self.gate - 1, min=0)
            self.glu_on = torch.clamp(self.glu_on - 1, min=0)
            self.sync = torch.clamp(self.sync - 1, min=0)
        self.step = self.step0 + lo + n
        return counts.cpu().numpy()

    def _laplacian(self, x, side):
        torch = self.torch
        g = x.reshape(-1, 1, side, side)
        p = torch.nn.functional.pad(g, (1, 1, 1, 1), mode="replicate")  # a missing neighbour adds nothing
        lap = p[..., :-2, 1:-1] + p[..., 2:, 1:-1] + p[..., 1:-1, :-2] + p[..., 1:-1, 2:] - 4.0 * g
        return lap.reshape(x.shape)

    def calcium(self):
        return self.ca.cpu().numpy()

    def state(self):
        from .simulation import State

        as_np = lambda x: x.cpu().numpy().copy()  # noqa: E731
        return State(as_np(self.v), as_np(self.rec), as_np(self.glu), as_np(self.isyn), as_np(self.ca),
                     as_np(self.h), as_np(self.ip3), as_np(self.gate), as_np(self.glu_on), as_np(self.sync), self.step)
