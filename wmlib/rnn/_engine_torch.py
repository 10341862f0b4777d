"""Hand-written backpropagation through time for the STSP recurrence of :mod:`wmlib.rnn.model`.

Autograd records ~20 small operations per time step and, for 250 steps, spends
much of its time allocating and bookkeeping.  :class:`STSPRecurrence` runs the
same equations with autograd switched off, writing each step's results
straight into preallocated (T, B, N) arrays, and computes the gradients in one
reverse sweep written out by hand from the forward equations (see the comments
in :meth:`STSPRecurrence.backward`).  ``tests/test_rnn_model.py`` checks that
values and gradients equal those of the plain autograd loop
(:func:`recurrence_autograd`), and ``benchmarks/bench_rnn.py`` measures the gain.

Forward, per step (rates h in Hz, ``dt_s`` in seconds; products elementwise
except ``@``)::

    x~ = x (1 - a_x - dt_s u h) + a_x                  x_t = clip(x~, 0, 1)
    u~ = u (1 - a_u - dt_s U h) + a_u U + dt_s U h      u_t = clip(u~, 0, 1)
    p  = u_t x_t h                                      (h if there is no STSP)
    h_t = relu(drive_t + p @ W + c h),                   c = 1 - alpha

where x, u, h are the values of the previous step and W is alpha * W_rec.
"""

from __future__ import annotations

import torch

from ._step import StepConstants

__all__ = ["STSPRecurrence", "recurrence_autograd"]


def recurrence_autograd(drive, w, h0, x0, u0, step: StepConstants):
    """Reference implementation: the same recurrence, differentiated by autograd."""
    U, a_x, a_u, c, dt_s, stsp = step.U, step.alpha_x, step.alpha_u, step.leak, step.dt_s, step.stsp
    h, x, u = h0, x0, u0
    hs, xs, us = [], [], []
    for d in drive.unbind(0):
        if stsp:
            x_new = torch.clamp(x * (1 - a_x - dt_s * u * h) + a_x, 0.0, 1.0)
            u = torch.clamp(u * (1 - a_u - dt_s * U * h) + a_u * U + dt_s * U * h, 0.0, 1.0)
            x = x_new
            p = u * x * h
        else:
            p = h
        h = torch.relu(torch.addmm(d, p, w) + c * h)
        hs.append(h)
        xs.append(x)
        us.append(u)
    return torch.stack(hs), torch.stack(xs), torch.stack(us)


def _outside01(v) -> bool:
    lo, hi = torch.aminmax(v)
    return lo.item() < 0.0 or hi.item() > 1.0


class STSPRecurrence(torch.autograd.Function):
    """``H, X, Uu = STSPRecurrence.apply(drive, w, h0, x0, u0, step)``.

    drive: (T, B, N); w: (N, N) = alpha * W_rec; h0, x0, u0: (B, N); step: a
    :class:`~wmlib.rnn._step.StepConstants` (per-unit U, alpha_x, alpha_u; the leak c = 1 - alpha; dt in s;
    stsp).  Returns H, X, Uu of shape (T, B, N) (after each step;
    X and Uu are ones without STSP).  Gradients flow to drive, w, h0, x0 and u0.
    """

    @staticmethod
    def forward(ctx, drive, w, h0, x0, u0, step: StepConstants):
        U, a_x, a_u, c, dt_s, stsp = step.U, step.alpha_x, step.alpha_u, step.leak, step.dt_s, step.stsp
        T, B, N = drive.shape
        H = torch.empty_like(drive)
        X = torch.empty_like(drive) if stsp else None
        Uu = torch.empty_like(drive) if stsp else None
        P = torch.empty_like(drive) if stsp else None  # presynaptic drive p_t (kept for the weight gradient)
        # multipliers of the previous x and u (kept: the backward pass needs exactly these)
        AX = torch.empty_like(drive) if stsp else None  # keep_x - dt_s u h
        AU = torch.empty_like(drive) if stsp else None  # keep_u - dt_s U h
        clipped = {}  # step -> (mask_x, mask_u) where a clip was active (rare; gradients are zero there)
        h, x, u = h0, x0, u0
        dU = dt_s * U
        keep_x, keep_u, base_u = 1 - a_x, 1 - a_u, a_u * U
        for t in range(T):
            if stsp:
                xt, ut, pt, ax, au = X[t], Uu[t], P[t], AX[t], AU[t]
                torch.mul(u, h, out=ax).mul_(-dt_s).add_(keep_x)
                torch.mul(ax, x, out=xt).add_(a_x)  # x~ = ax x + a_x
                uh = dU * h
                torch.sub(keep_u, uh, out=au)
                torch.mul(au, u, out=ut).add_(base_u).add_(uh)  # u~ = au u + a_u U + dU h
                if _outside01(xt) or _outside01(ut):
                    clipped[t] = ((xt >= 0) & (xt <= 1), (ut >= 0) & (ut <= 1))
                    xt.clamp_(0.0, 1.0)
                    ut.clamp_(0.0, 1.0)
                torch.mul(ut, xt, out=pt).mul_(h)
                x, u, p = xt, ut, pt
            else:
                p = h
            ht = H[t]
            torch.addmm(drive[t], p, w, out=ht)
            ht.add_(h, alpha=c).clamp_(min=0.0)
            h = ht
        ctx.save_for_backward(w, h0, x0, u0, H, *((X, Uu, P, AX, AU) if stsp else ()))
        ctx.step, ctx.clipped = step, clipped
        if not stsp:
            X = Uu = torch.ones_like(H)
        return H, X, Uu

    @staticmethod
    def backward(ctx, gH, gX, gU):
        step, clipped = ctx.step, ctx.clipped
        U, c, dt_s, stsp = step.U, step.leak, step.dt_s, step.stsp
        if stsp:
            w, h0, x0, u0, H, X, Uu, P, AX, AU = ctx.saved_tensors
        else:
            w, h0, x0, u0, H = ctx.saved_tensors
        T, B, N = H.shape
        GZ = torch.empty_like(H)  # gradient w.r.t. the pre-activation = w.r.t. drive_t
        wT = w.t().contiguous()
        dU = dt_s * U
        gh = torch.zeros(B, N, dtype=H.dtype, device=H.device)  # dL/dh_t from later steps
        gx = torch.zeros_like(gh)
        gu = torch.zeros_like(gh)
        for t in range(T - 1, -1, -1):
            h_prev = H[t - 1] if t > 0 else h0
            if gH is not None:
                gh.add_(gH[t])
            gz = GZ[t]
            torch.ops.aten.threshold_backward.grad_input(gh, H[t], 0.0, grad_input=gz)  # relu
            gp = gz @ wT
            gh = gz * c  # dL/dh_{t-1}, accumulated below
            if not stsp:
                gh.add_(gp)
                continue
            x_prev = X[t - 1] if t > 0 else x0
            u_prev = Uu[t - 1] if t > 0 else u0
            xt, ut = X[t], Uu[t]
            # p_t = u_t x_t h_{t-1}
            gph = gp * h_prev
            gx.addcmul_(gph, ut)
            gu.addcmul_(gph, xt)
            gh.addcmul_(gp, ut * xt)
            if gX is not None:
                gx.add_(gX[t])
            if gU is not None:
                gu.add_(gU[t])
            if t in clipped:  # clip: no gradient where the clamp was active
                mx, mu = clipped[t]
                gx.mul_(mx)
                gu.mul_(mu)
            # x~ = AX x_prev + a_x with AX = keep_x - dt_s u_prev h_prev
            gxx = gx * x_prev
            gh.addcmul_(gxx, u_prev, value=-dt_s)
            gu_new = (gxx * h_prev).mul_(-dt_s)
            gx.mul_(AX[t])
            # u~ = AU u_prev + a_u U + dU h_prev with AU = keep_u - dU h_prev
            gh.addcmul_(gu, dU - dU * u_prev)
            gu_new.addcmul_(gu, AU[t])
            gu = gu_new
        # weight gradient in one matmul over all steps: sum_t p_t^T gz_t
        pre = P if stsp else torch.cat([h0.unsqueeze(0), H[:-1]])
        g_w = pre.reshape(T * B, N).t() @ GZ.reshape(T * B, N)
        return GZ, g_w, gh, (gx if stsp else None), (gu if stsp else None), None
