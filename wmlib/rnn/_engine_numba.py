"""The STSP network on the CPU: drive, recurrence (compiled with numba), readout and spike cost in one pass.

:class:`wmlib.rnn._fused.STSPRecurrence` already replaces autograd by a hand-written
backward pass, but it still spends each step in a dozen separate tensor operations,
and the readout and the spike cost run afterwards over the full (T, B, N) arrays.
On a 2-core CPU most of the time then goes to memory traffic and per-operation
overhead, not to arithmetic.  :class:`STSPNetworkCPU` does the same computation
with two kinds of work per step:

* the matrix products with the recurrent weights (``addmm_`` / ``mm``, PyTorch's BLAS);
* everything elementwise (the Tsodyks–Markram update of x and u, the leak, the ReLU,
  the readout ``h W_out + b_out`` and the running sum of h^2 for the spike cost) in one
  compiled loop over the (B, N) entries (:func:`_forward_step`, :func:`_backward_step`),
  with the trials split between CPU threads.

Forward, per step (rates h in Hz, ``dt`` in seconds, products elementwise except ``@``)::

    a_x' = keep_x - dt u h                 x_t = clip(a_x' x + alpha_x, 0, 1)
    a_u' = keep_u - dU h                   u_t = clip(a_u' u + alpha_u U + dU h, 0, 1)
    p_t  = u_t x_t h                       (h without STSP)
    h_t  = relu(drive_t + p_t @ W + c h)   y_t = h_t @ W_out + b_out

with ``keep_x = 1 - alpha_x``, ``keep_u = 1 - alpha_u``, ``dU = dt U``, ``c = 1 - alpha``, W = alpha W_rec; x, u, h
are the previous step's values, and ``drive_t = sqrt(2 alpha) sigma xi_t + alpha b + s_t alpha W_in`` (recurrent
noise, bias, inputs).  These are the equations of :mod:`wmlib.rnn.model`.

The drive does not depend on the state, but its noise is the largest single cost at large batches: torch draws
normal numbers on one core (~90 ms for the 25.6 million numbers of batch 1024).  :class:`_Drive` therefore draws
them in a helper thread, chunk by chunk, while the time loop runs on the other cores (the same numbers as one
draw, see :func:`_chunks`); the loop takes all cores back once the noise is drawn.

The backward sweep runs the chain rule through the same equations in reverse
(:func:`_backward_step`), recomputing the clip tests and the multipliers a_x', a_u'
from the stored x, u, h with the same expressions as the forward pass
(:func:`_stsp_update`), so both sweeps agree on where a clip was active.

Results equal those of the PyTorch engines to float rounding (not bit for bit: the
order of the operations differs) and are deterministic run to run on a given machine;
``tests/test_rnn_model.py`` compares values and gradients against the plain autograd
loop in float64, and ``benchmarks/bench_rnn.py`` measures the speed.
"""

from __future__ import annotations

import math
import threading

import numba
import numpy as np
import torch
from numba import njit, prange

from ._step import StepConstants
from ._threads import noise_helper

__all__ = ["STSPNetworkCPU", "supports"]


def supports(tensor: torch.Tensor) -> bool:
    """Whether this engine can run on ``tensor``'s device and dtype (CPU, float32 or float64)."""
    return tensor.device.type == "cpu" and tensor.dtype in (torch.float32, torch.float64)


#: Reassociation lets the compiler vectorise the sums over units (readout, sum of h^2); no flag that
#: assumes away NaN or infinity, so a diverging network still produces NaN and stops training.
_FASTMATH = {"reassoc", "contract"}


@njit(cache=True, inline="always", fastmath=_FASTMATH)
def _stsp_update(x, u, h, dt, dU, keep_x, a_x, keep_u, base_u):
    """x~, u~ (before the clip) and their multipliers a_x', a_u' (one unit; shared by both sweeps)."""
    ax = keep_x - dt * (u * h)
    au = keep_u - dU * h
    return ax * x + a_x, au * u + base_u + dU * h, ax, au


@njit(cache=True, inline="always", fastmath=_FASTMATH)
def _rectify_and_read_out(h, b, w_out_t, b_out, logits_out, zero):
    """Row b: ReLU in place (a NaN stays NaN), readout ``h W_out + b_out``; returns the row's sum of h^2."""
    N = h.shape[1]
    s = zero
    for n in range(N):
        hv = h[b, n]
        if hv < zero:
            hv = zero
        h[b, n] = hv
        s += hv * hv
    for k in range(w_out_t.shape[0]):
        acc = b_out[k]
        for n in range(N):
            acc += h[b, n] * w_out_t[k, n]
        logits_out[b, k] = acc
    return s


@njit(cache=True, nogil=True, fastmath=_FASTMATH, parallel=True)
def _forward_step(h, finalize, x, u, drive_t, c, dt, dU, keep_x, a_x, keep_u, base_u, stsp,
                  x_out, u_out, p_out, pre_out, w_out_t, b_out, logits_out, row_sq, zero, one):
    """One step, row by row (trial b).

    ``h`` holds the previous step's pre-activation when ``finalize`` (it is rectified in
    place, read out into ``logits_out`` and its squares summed), else the initial rates.
    Writes x_t, u_t, p_t and ``pre_out = drive_t + c h``; the matrix product p_t @ W is
    added afterwards by BLAS.  Returns the sum of h^2 (0 unless ``finalize``), added up
    row after row whatever the number of threads (``row_sq`` holds the rows' sums).
    """
    B, N = h.shape
    for b in prange(B):  # trials are independent: split between threads
        if finalize:
            row_sq[b] = _rectify_and_read_out(h, b, w_out_t, b_out, logits_out, zero)
        if stsp:
            for n in range(N):
                hv = h[b, n]
                xr, ur, _, _ = _stsp_update(x[b, n], u[b, n], hv, dt, dU[n], keep_x[n], a_x[n], keep_u[n], base_u[n])
                xr = min(max(xr, zero), one)
                ur = min(max(ur, zero), one)
                x_out[b, n] = xr
                u_out[b, n] = ur
                p_out[b, n] = ur * xr * hv
        for n in range(N):
            pre_out[b, n] = drive_t[b, n] + c * h[b, n]
    sq = 0.0
    if finalize:
        for b in range(B):
            sq += row_sq[b]
    return sq


@njit(cache=True, nogil=True, fastmath=_FASTMATH)
def _finish(h, w_out_t, b_out, logits_out, zero):
    """Rectify the last step's pre-activation in place and read it out; returns the sum of h^2."""
    sq = 0.0
    for b in range(h.shape[0]):
        sq += _rectify_and_read_out(h, b, w_out_t, b_out, logits_out, zero)
    return sq


@njit(cache=True, inline="always", fastmath=_FASTMATH)
def _direct_gradient(g, b, h, gh_ext, has_gh, gl, w_out_t, g_sq2, zero):
    """Add to row b of ``g`` (dL/dh) what reaches h directly (spike cost, an external gradient, the
    readout), then pass through the ReLU: ``g`` becomes dL/dz."""
    N = h.shape[1]
    for n in range(N):
        g[b, n] += g_sq2 * h[b, n]
    if has_gh:
        for n in range(N):
            g[b, n] += gh_ext[b, n]
    for k in range(w_out_t.shape[0]):
        glk = gl[b, k]
        for n in range(N):
            g[b, n] += glk * w_out_t[k, n]
    for n in range(N):
        if not h[b, n] > zero:
            g[b, n] = zero


@njit(cache=True, nogil=True, fastmath=_FASTMATH)
def _backward_last(h, gh_ext, has_gh, gl, w_out_t, g_sq2, gz_out, zero):
    """dL/dz of the last step (nothing comes from later steps)."""
    for b in range(h.shape[0]):
        for n in range(h.shape[1]):
            gz_out[b, n] = zero
        _direct_gradient(gz_out, b, h, gh_ext, has_gh, gl, w_out_t, g_sq2, zero)


@njit(cache=True, nogil=True, fastmath=_FASTMATH, parallel=True)
def _backward_step(gp, gz, gx, gu, h, x, u, xt, ut, c, dt, dU, keep_x, a_x, keep_u, base_u, stsp,
                   gx_ext, gu_ext, has_gxu, has_prev, gh_ext, has_gh, gl, w_out_t, g_sq2, g_out, p_out, zero, one):
    """From dL/dz_t (``gz``) and dL/dp_t = gz W^T (``gp``) to dL/dz_{t-1} (or dL/dh_0 when not ``has_prev``).

    ``gx``, ``gu`` hold dL/dx_t, dL/du_t from later steps on entry and dL/dx_{t-1}, dL/du_{t-1}
    on exit; ``h, x, u`` are the previous step's values and ``xt, ut`` this step's.  With STSP,
    p_t = u_t x_t h is recomputed into ``p_out`` (for the weight gradient).
    """
    B, N = h.shape
    for b in prange(B):  # trials are independent: split between threads
        for n in range(N):
            hv = h[b, n]
            g = c * gz[b, n]  # leak
            if stsp:
                xv = x[b, n]
                uv = u[b, n]
                xtv = xt[b, n]
                utv = ut[b, n]
                gpv = gp[b, n]
                p_out[b, n] = utv * xtv * hv
                g += gpv * (utv * xtv)  # p_t = u_t x_t h
                gph = gpv * hv
                gxt = gx[b, n] + gph * utv
                gut = gu[b, n] + gph * xtv
                if has_gxu:
                    gxt += gx_ext[b, n]
                    gut += gu_ext[b, n]
                xr, ur, ax, au = _stsp_update(xv, uv, hv, dt, dU[n], keep_x[n], a_x[n], keep_u[n], base_u[n])
                if xr < zero or xr > one:  # the clip was active: no gradient through it
                    gxt = zero
                if ur < zero or ur > one:
                    gut = zero
                gxx = gxt * xv
                # x~ = (keep_x - dt u h) x + alpha_x ;  u~ = (keep_u - dU h) u + alpha_u U + dU h
                g += gut * (dU[n] * (one - uv)) - dt * (gxx * uv)
                gx[b, n] = gxt * ax
                gu[b, n] = gut * au - dt * (gxx * hv)
            else:
                g += gp[b, n]
            g_out[b, n] = g
        if has_prev:
            _direct_gradient(g_out, b, h, gh_ext, has_gh, gl, w_out_t, g_sq2, zero)


def _forward(drive, w, h0, x0, u0, w_out_t, b_out, k, stsp, H, X, U, logits):
    """The forward sweep: per step the compiled elementwise pass, then ``H[t] += p_t @ W`` by BLAS (torch).

    ``drive`` is a :class:`_Drive` (step t is used once ``drive.wait(t)`` returns); ``w`` and the outputs
    ``H, X, U, logits`` are torch tensors (written in place); the rest are NumPy arrays."""
    T, B, N = H.shape
    D = drive.tensor.numpy()
    Hn, Xn, Un, Ln = H.numpy(), X.numpy(), U.numpy(), logits.numpy()
    p = torch.empty(B, N, dtype=H.dtype)
    pn = p.numpy()
    row_sq = np.zeros(B, np.float64)
    sq = 0.0
    x, u = x0, u0
    for t in range(T):
        drive.wait(t)
        finalize = t > 0  # rectify and read out h_{t-1}, stored in H[t-1] as a pre-activation
        hp = Hn[t - 1] if finalize else h0
        xo, uo = (Xn[t], Un[t]) if stsp else (k.dummy, k.dummy)
        sq += _forward_step(hp, finalize, x, u, D[t], k.c, k.dt, k.dU, k.keep_x, k.a_x, k.keep_u, k.base_u, stsp,
                            xo, uo, pn, Hn[t], w_out_t, b_out, Ln[t - 1] if finalize else k.dummy, row_sq, k.zero, k.one)
        H[t].addmm_(p if stsp else torch.from_numpy(hp), w)
        if stsp:
            x, u = xo, uo
    return sq + _finish(Hn[T - 1], w_out_t, b_out, Ln[T - 1], k.zero)


def _backward(GZ, H, X, U, h0, x0, u0, w, k, stsp, gx_ext, gu_ext, has_gxu, gh_ext, has_gh, g_logits, w_out_t,
              g_sq2, gx, gu, g_w, g_wout_t, gh0):
    """The backward sweep: dL/dz_t into ``GZ``, dL/dW into ``g_w``, dL/dW_out^T into ``g_wout_t`` (torch),
    dL/dh_0 into ``gh0`` and dL/dx_0, dL/du_0 into ``gx``, ``gu`` (NumPy)."""
    T, B, N = H.shape
    Hn, GZn = H.numpy(), GZ.numpy()
    Xn, Un = (X.numpy(), U.numpy()) if stsp else (None, None)
    gp, p = torch.empty(B, N, dtype=H.dtype), torch.empty(B, N, dtype=H.dtype)
    gpn, pn = gp.numpy(), p.numpy()
    w_t = w.t().contiguous()
    gl = g_logits.numpy()
    _backward_last(Hn[T - 1], gh_ext[T - 1 if has_gh else 0], has_gh, gl[T - 1], w_out_t, g_sq2, GZn[T - 1], k.zero)
    for t in range(T - 1, -1, -1):
        g_wout_t.addmm_(g_logits[t].t(), H[t])  # dL/dW_out^T += (dL/dy_t)^T h_t
        torch.mm(GZ[t], w_t, out=gp)  # dL/dp_t
        prev = t > 0
        h = Hn[t - 1] if prev else h0
        if stsp:
            x, u = (Xn[t - 1], Un[t - 1]) if prev else (x0, u0)
            xt, ut = Xn[t], Un[t]
        else:
            x = u = xt = ut = k.dummy
        _backward_step(gpn, GZn[t], gx, gu, h, x, u, xt, ut, k.c, k.dt, k.dU, k.keep_x, k.a_x, k.keep_u, k.base_u,
                       stsp, gx_ext[t if has_gxu else 0], gu_ext[t if has_gxu else 0], has_gxu, prev,
                       gh_ext[t - 1 if (prev and has_gh) else 0], has_gh, gl[t - 1 if prev else 0], w_out_t, g_sq2,
                       GZn[t - 1] if prev else gh0, pn, k.zero, k.one)
        # dL/dW += p_t^T dL/dz_t (GZ[t] is final: the step above wrote only GZ[t - 1])
        g_w.addmm_((p if stsp else torch.from_numpy(h)).t(), GZ[t])


#: About this many normal numbers are drawn at a time (a chunk of whole steps) when the drive is pipelined.
_CHUNK_NUMBERS = 1 << 17
def _chunks(n_steps: int, per_step: int) -> list[tuple[int, int]]:
    """Steps [t0, t1) whose noise is drawn at a time: about ``_CHUNK_NUMBERS`` numbers, and a multiple of 16 numbers
    except the last chunk, which has at least 16.  torch's normal generator transforms its uniform numbers
    in blocks of 16 (and redraws the last 16 of a tensor whose size is not a multiple of 16), so under
    these rules drawing the noise chunk by chunk gives exactly the numbers of one draw of the whole array."""
    m = 16 // math.gcd(per_step, 16)
    k = -(-max(1, _CHUNK_NUMBERS // per_step) // m) * m
    bounds = list(range(0, n_steps, k)) + [n_steps]
    if len(bounds) > 2 and (bounds[-1] - bounds[-2]) * per_step < 16:
        del bounds[-2]
    return list(zip(bounds[:-1], bounds[1:]))


class _Drive:
    """The drive of every step, ``drive_t = noise_scale xi_t + b + s_t W_in`` (xi: torch normal numbers from
    ``generator``; no noise when ``noise_scale`` is 0), for the time loop of :func:`_forward`.

    Built as one would build it for the whole array at once, ``randn((T*B, N)).mul_(noise_scale).add_(b)
    .addmm_(inputs, W_in)`` (what the other engines do, in their order); with ``pipelined``, in two threads
    instead: drawing normal numbers is serial (~90 ms on one core at batch 1024, T = 250) and would leave the
    other cores idle, so a helper thread draws them chunk by chunk (:func:`_chunks`: the same numbers as one
    draw) on one core, while the loop runs on the other cores and, as it reaches step t, scales step t's numbers
    and adds the bias and the input projection s_t W_in.  Elementwise operations give the same numbers either
    way; the matrix product does too as long as BLAS computes a row the same way whatever the number of rows (MKL
    does from 12 rows on, as measured on our machines; pipelining is used only for large batches, see
    :data:`PIPELINE_MIN_NUMBERS`, and ``tests/test_rnn_model.py`` compares the two ways bit for bit).  Once all numbers are drawn,
    the loop gets all cores back.  Use as a context manager; call :meth:`wait` before using step t.
    """

    def __init__(self, inputs, w_in, b, noise_scale, generator, pipelined: bool):
        T, B, n_in = inputs.shape
        N = w_in.shape[1]
        self.tensor = torch.empty(T, B, N, dtype=inputs.dtype)
        self._inputs = inputs.detach()
        self._w_in, self._b = w_in.detach(), b.detach()
        self._scale, self._gen = float(noise_scale), generator
        self._steps = T
        self._chunks = _chunks(T, B * N)
        self._pipelined = pipelined and self._scale != 0 and len(self._chunks) > 1 and torch.get_num_threads() > 1
        self._drawn = 0  # steps whose normal numbers are drawn (pipelined)
        self._cond = threading.Condition()
        self._error = None
        self._stop = False
        self._future = None
        self._threads = None

    def _draw_all(self):
        """The helper thread's task: the normal numbers, chunk by chunk."""
        B = self.tensor.shape[1]
        rows = self.tensor.view(-1, self.tensor.shape[2])
        try:
            for t0, t1 in self._chunks:
                if self._stop:
                    return
                torch.randn(((t1 - t0) * B, rows.shape[1]), generator=self._gen,
                            dtype=rows.dtype, out=rows[t0 * B:t1 * B])
                with self._cond:
                    self._drawn = t1
                    self._cond.notify_all()
        except BaseException as error:  # handed to the time loop, which raises it
            with self._cond:
                self._error = error
                self._cond.notify_all()

    def __enter__(self):
        if not self._pipelined:
            T, B, N = self.tensor.shape
            d = self.tensor.view(T * B, N)
            if self._scale:
                torch.randn((T * B, N), generator=self._gen, dtype=d.dtype, out=d).mul_(self._scale)
            else:
                d.zero_()
            d.add_(self._b).addmm_(self._inputs.reshape(T * B, -1), self._w_in)
            return self
        # one core draws the noise, the others run the loop; all of them again once the noise is drawn
        self._threads = (torch.get_num_threads(), numba.get_num_threads())
        torch.set_num_threads(self._threads[0] - 1)
        numba.set_num_threads(max(1, self._threads[1] - 1))
        self._future = noise_helper().submit(self._draw_all)
        return self

    def wait(self, t: int):
        """Make step t's drive ready (pipelined: wait for its normal numbers, then scale them and add the bias and
        the input projection)."""
        if not self._pipelined:
            return
        if t >= self._drawn:
            with self._cond:
                while t >= self._drawn and self._error is None:
                    self._cond.wait()
        if self._error is not None:
            raise self._error
        if self._threads is not None and self._drawn == self._steps:
            self._restore_threads()
        self.tensor[t].mul_(self._scale).add_(self._b).addmm_(self._inputs[t], self._w_in)

    def _restore_threads(self):
        torch.set_num_threads(self._threads[0])
        numba.set_num_threads(self._threads[1])
        self._threads = None

    def __exit__(self, *exc):
        self._stop = True
        if self._future is not None:
            self._future.result()
        if self._threads is not None:
            self._restore_threads()
        return False


def _np(t: torch.Tensor) -> np.ndarray:
    return t.detach().contiguous().numpy()


#: Smallest drive (numbers, T * B * N) whose noise is drawn in the helper thread while the loop runs; a smaller one
#: is built before the loop (on 2 cores pipelining gained ~10 % at batch 256 and ~15 % at 1024, nothing at 128).
PIPELINE_MIN_NUMBERS = 1 << 22


class STSPNetworkCPU(torch.autograd.Function):
    """``logits, H, X, Uu, sq = STSPNetworkCPU.apply(inputs, w_in, b, w, h0, x0, u0, w_out, b_out, k)``.

    inputs: (T, B, n_in); w_in: (n_in, N) = alpha W_in+; b: (N,) = alpha b_rec; w: (N, N) = alpha W_rec;
    h0, x0, u0: (B, N); w_out: (N, K); b_out: (K,); k: a :class:`~wmlib.rnn._step.StepConstants` (per-unit
    U, alpha_x, alpha_u; the leak 1 - alpha; dt in s; stsp; the s.d. of the recurrent noise per step, 0 for none,
    and the generator it is drawn from).  The drive of step t is ``noise_scale * xi_t + b + s_t w_in``.
    Returns the readout (T, B, K), H, X, Uu (T, B, N; X and Uu are ones without STSP) and sq = mean(H^2).
    Gradients flow to inputs, w_in, b, w, h0, x0, u0, w_out and b_out.
    """

    @staticmethod
    def forward(ctx, inputs, w_in, b, w, h0, x0, u0, w_out, b_out, step: StepConstants):
        ctx.set_materialize_grads(False)  # outputs without a gradient arrive as None: their terms are skipped
        T, B, _ = inputs.shape
        N = w.shape[0]
        K = w_out.shape[1]
        f = inputs.dtype
        H = torch.empty(T, B, N, dtype=f)
        logits = torch.empty(T, B, K, dtype=f)
        stsp = step.stsp
        X = torch.empty_like(H) if stsp else None
        Uu = torch.empty_like(H) if stsp else None
        k = _NumbaConstants(step, f)
        ones = torch.ones(1, 1, 1, dtype=f)  # stands in for X, U without STSP
        with _Drive(inputs, w_in, b, step.noise_scale, step.generator,
                    pipelined=T * B * N >= PIPELINE_MIN_NUMBERS) as drive:
            sq = _forward(drive, w.detach(), _np(h0), _np(x0), _np(u0), _np(w_out.t()), _np(b_out), k, stsp,
                          H, X if stsp else ones, Uu if stsp else ones, logits)
        sq_mean = torch.tensor(sq / (T * B * N), dtype=f)
        ctx.save_for_backward(inputs, w_in, w, h0, x0, u0, w_out, H, *((X, Uu) if stsp else ()))
        ctx.step = step
        if not stsp:
            X = Uu = torch.ones_like(H)
            ctx.mark_non_differentiable(X, Uu)
        return logits, H, X, Uu, sq_mean

    @staticmethod
    def backward(ctx, g_logits, gH, gX, gU, g_sq):
        stsp = ctx.step.stsp
        if stsp:
            inputs, w_in, w, h0, x0, u0, w_out, H, X, Uu = ctx.saved_tensors
        else:
            inputs, w_in, w, h0, x0, u0, w_out, H = ctx.saved_tensors
        T, B, N = H.shape
        K = w_out.shape[1]
        f = H.dtype
        k = _NumbaConstants(ctx.step, f)
        dtype = k.dummy.dtype
        gl = g_logits.detach().contiguous() if g_logits is not None else torch.zeros(T, B, K, dtype=f)
        has_gh = gH is not None
        ghn = _np(gH) if has_gh else np.zeros((1, 1, 1), dtype)
        has_gxu = stsp and (gX is not None or gU is not None)
        if has_gxu:
            gxn = _np(gX) if gX is not None else np.zeros((T, B, N), dtype)
            gun = _np(gU) if gU is not None else np.zeros((T, B, N), dtype)
        else:
            gxn = gun = np.zeros((1, 1, 1), dtype)
        g_sq2 = dtype.type(2.0 * float(g_sq) / (T * B * N) if g_sq is not None else 0.0)  # d mean(h^2) / dh = 2h/TBN
        g_wout_t = torch.zeros(K, N, dtype=f)
        GZ = torch.empty_like(H)  # dL/dz_t = dL/d drive_t
        gx = np.zeros((B, N), dtype)  # dL/dx, dL/du carried backwards
        gu = np.zeros((B, N), dtype)
        gh0 = np.empty((B, N), dtype)
        g_w = torch.zeros(N, N, dtype=f)
        _backward(GZ, H, X if stsp else None, Uu if stsp else None, _np(h0), _np(x0), _np(u0), w.detach(), k, stsp,
                  gxn, gun, has_gxu, ghn, has_gh, gl, _np(w_out.t()), g_sq2, gx, gu, g_w, g_wout_t, gh0)
        g_b_out = gl.sum((0, 1))
        # the drive's terms (noise_scale xi + b + s W_in), as autograd computes them: the bias's gradient is a sum
        # over all rows, W_in's the product s^T dL/d drive
        G = GZ.view(T * B, N)
        s = inputs.detach().reshape(T * B, -1)
        need = ctx.needs_input_grad
        g_inputs = G.mm(w_in.detach().t()).view(inputs.shape) if need[0] else None
        g_w_in = s.t().mm(G) if need[1] else None
        g_b = G.sum(0, keepdim=True).view(N) if need[2] else None
        return (g_inputs, g_w_in, g_b, g_w, torch.from_numpy(gh0), torch.from_numpy(gx) if stsp else None,
                torch.from_numpy(gu) if stsp else None, g_wout_t.t(), g_b_out, None)


class _NumbaConstants:
    """Per-unit constants of the STSP update as NumPy arrays in the arrays' dtype (computed in torch, as the torch
    engine does)."""

    def __init__(self, step: StepConstants, dtype):
        U, a_x, a_u, c, dt_s = step.U, step.alpha_x, step.alpha_u, step.leak, step.dt_s
        t = np.dtype(str(dtype).removeprefix("torch.")).type
        self.zero, self.one, self.c, self.dt = t(0), t(1), t(c), t(dt_s)
        self.dU = _np((dt_s * U).to(dtype))
        self.keep_x = _np((1 - a_x).to(dtype))
        self.a_x = _np(a_x.to(dtype))
        self.keep_u = _np((1 - a_u).to(dtype))
        self.base_u = _np((a_u * U).to(dtype))
        self.dummy = np.zeros((1, 1), t)
