"""The compiled CPU engine of the cluster model: forward-Euler steps in a numba loop that reads like the equations.

:func:`_euler_block` integrates a block of steps for every batch entry and cluster in place; the synaptic variables
use :func:`wmlib.synapse.rate_derivatives` (the equations of the synapse chapter, compiled).  It releases the GIL,
so :func:`wmlib.capacity.simulate` runs chunks of the batch in parallel threads.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from ..synapse.model import tm_rate_equations

__all__ = ["integrate_flat", "external_drive"]

BLOCK = 256

_rate_derivatives = njit(cache=True, inline="always")(tm_rate_equations)  # wmlib.synapse's equations, compiled


@njit(cache=True, inline="always")
def _softplus(h, alpha):
    """R(h) = alpha log(1 + exp(h / alpha)), without overflow (same formula as :func:`gain`)."""
    z = h / alpha
    return alpha * (max(z, 0.0) + np.log1p(np.exp(-abs(z))))


@njit(cache=True, nogil=True)
def _euler_block(k0, k1, h, u, x, h_I, c, ext, noise, threshold, late_from, dt, record_every,
                 above, late, count, last, first_late, rec_h, rec_u, rec_x, rec_I):
    """Forward-Euler steps k0 .. k1-1 for every batch entry and cluster, in place.

    ``c`` holds one row of constants per batch entry: alpha, J_EE, J_EI, J_IE, U, tau_f, tau_d,
    dt/tau, dt/tau_I, I_b, noise scale.  ``ext[k - k0, mu]`` is the external drive of cluster mu
    at step k; ``noise[k - k0]`` the standard normal draws of step k (empty when noiseless).
    """
    n, P = h.shape
    noisy = noise.shape[0] > 0
    recording = rec_h.shape[0] > 0
    for k in range(k0, k1):
        kb = k - k0
        if recording and k % record_every == 0:
            j = k // record_every
            rec_h[j] = h
            rec_u[j] = u
            rec_x[j] = x
            rec_I[j] = h_I
        for i in range(n):
            a, J_EE, J_EI, J_IE, U, tau_f, tau_d, c_h, c_I, I_b, sigma = c[i]
            r_I = _softplus(h_I[i], a)
            total = 0.0
            for mu in range(P):
                r = _softplus(h[i, mu], a)
                # population spikes: upward crossings of the threshold rate
                now = r >= threshold
                if now and not above[i, mu]:
                    count[i, mu] += 1
                    last[i, mu] = k * dt
                    if k >= late_from:
                        late[i, mu] += 1
                        if np.isnan(first_late[i, mu]):
                            first_late[i, mu] = k * dt
                above[i, mu] = now
                total += r
                # tau dh/dt = -h + J_EE u x R(h) - J_EI R(h_I) + I_b + I_ext  (+ noise)
                hm = h[i, mu]
                h[i, mu] = hm + c_h * (J_EE * u[i, mu] * x[i, mu] * r - hm + I_b + ext[kb, mu] - J_EI * r_I)
                if noisy:
                    h[i, mu] += sigma * noise[kb, i, mu]
                # u, x: the mean-field Tsodyks-Markram equations of wmlib.synapse
                du, dx = _rate_derivatives(u[i, mu], x[i, mu], r, U, U, tau_f, tau_d)
                u[i, mu] += dt * du
                x[i, mu] += dt * dx
            # tau_I dh_I/dt = -h_I + J_IE sum_nu R(h_nu)
            h_I[i] += c_I * (J_IE * total - h_I[i])


_CONSTANTS = ("alpha", "J_EE", "J_EI", "J_IE", "U", "tau_f", "tau_d", "c_h", "c_I", "I_b", "sigma")


def external_drive(protocol, order, n_steps: int, dt: float, n_clusters: int) -> np.ndarray:
    """(n_steps, P) external input of every cluster at every step: the loading pulses of ``protocol``."""
    ext = np.zeros((n_steps, n_clusters))
    for item, (s, e) in enumerate(np.round(protocol.windows() / dt).astype(int)):
        ext[s:e, order[item]] += protocol.amplitude
    return ext


def integrate_flat(p, params, protocol, duration, rng, order, record_every, window, threshold):
    """Integrate a flat batch (parameters of shape (n, 1)); counts PS, optionally records.

    The steps run in the compiled :func:`_euler_block`, :data:`BLOCK` steps per call; the noise
    of a block is drawn in one call of ``rng`` (the same stream as one draw per step).
    """
    P = params.n_clusters
    n = p["alpha"].shape[0]
    dt = params.dt
    n_steps = int(round(duration / dt))
    late_from = n_steps - int(round(window / dt))
    derived = {"c_h": dt / p["tau"], "c_I": dt / p["tau_I"],
               "sigma": p["noise"] * np.sqrt(dt / p["tau"])}  # tau dh = (...) dt + sigma sqrt(tau) dW
    consts = np.ascontiguousarray(np.concatenate([derived[k] if k in derived else p[k] for k in _CONSTANTS], axis=1))

    h = np.zeros((n, P))
    u = np.ascontiguousarray(np.broadcast_to(p["U"], (n, P)))
    x = np.ones((n, P))
    h_I = np.zeros(n)
    above = np.zeros((n, P), dtype=np.bool_)
    late = np.zeros((n, P), dtype=np.int64)
    count = np.zeros((n, P), dtype=np.int64)
    last = np.full((n, P), np.nan)
    first_late = np.full((n, P), np.nan)
    recording = record_every is not None
    n_rec = n_steps // record_every + 1 if recording else 0
    rec = [np.empty((n_rec, n, P)) for _ in range(3)] + [np.empty((n_rec, n))]
    ext = external_drive(protocol, order, n_steps, dt, P)
    no_noise = np.empty((0, n, P))
    for k0 in range(0, n_steps, BLOCK):
        k1 = min(k0 + BLOCK, n_steps)
        noise = rng.standard_normal((k1 - k0, n, P)) if rng is not None else no_noise
        _euler_block(k0, k1, h, u, x, h_I, consts, ext[k0:k1], noise, float(threshold), late_from, dt,
                     int(record_every or 1), above, late, count, last, first_late, *rec)
    if recording and n_steps % record_every == 0:  # the final state
        rec[0][-1], rec[1][-1], rec[2][-1], rec[3][-1] = h, u, x, h_I
    summary = (late, count, last, first_late)
    if not recording:
        return None, summary
    out = dict(zip(("h", "u", "x", "h_I"), rec))
    out["t"] = np.arange(n_rec) * dt * record_every
    return out, summary
