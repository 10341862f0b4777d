"""The PyTorch engine of the cluster model (for GPUs): the Euler steps of :mod:`._engine_numba` as whole-batch tensor
operations, in float64."""

from __future__ import annotations

import numpy as np

from .._backend import require_torch
from .._validation import check_random_state
from ..synapse.model import tm_rate_equations
from ._engine_numba import external_drive

__all__ = ["integrate_torch"]

def integrate_torch(p, params, protocol, duration, rng, order, record_every, window, threshold, dev):
    """The same Euler steps as :func:`._engine_numba._euler_block`, as whole-batch torch operations (float64).

    For GPUs: each step is a few dozen elementwise kernels over the batch, so it pays off for
    very large batches.  The noise comes from a torch generator seeded from ``rng``: noisy runs
    are reproducible on one device, but differ from the compiled CPU kernel's.
    """
    torch = require_torch("The cluster model on a torch device")
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
    ext = torch.tensor(external_drive(protocol, order, n_steps, dt, P), device=dev)
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
        du, dx = tm_rate_equations(u, x, r, U, U, tau_f, tau_d)  # wmlib.synapse's equations
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
