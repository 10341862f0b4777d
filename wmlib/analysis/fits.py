"""Least-squares fits shared by several chapters.

Simulation modules return arrays; the functions here turn arrays into the
numbers the book reports, so that every number in a chapter is computed by
one documented, tested function.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from scipy.optimize import curve_fit

from .._validation import Interval, check_array, check_scalar

__all__ = ["ExponentialFit", "fit_exponential_decay"]


class ExponentialFit(NamedTuple):
    """Result of :func:`fit_exponential_decay`: ``y = baseline + amplitude * exp(-t / tau)``."""

    tau: float  #: fitted time constant (same unit as ``t``)
    amplitude: float  #: value of ``y - baseline`` at ``t = 0``
    baseline: float  #: asymptote (given or fitted)
    tau_stderr: float  #: standard error of ``tau`` from the fit covariance


def fit_exponential_decay(t, y, baseline: float | None = None) -> ExponentialFit:
    r"""Least-squares fit of :math:`y(t) = b + a\,e^{-t/\tau}`.

    Uses :func:`scipy.optimize.curve_fit`, started from a log-linear estimate.

    Parameters
    ----------
    t : array of shape (n,)
        Times, finite, at least 3 distinct values.
    y : array of shape (n,)
        Observations, finite.
    baseline : float, optional
        Known asymptote :math:`b` (e.g. the resting value of ``u``); fitted if omitted.

    Returns
    -------
    ExponentialFit
    """
    t = check_array("fit_exponential_decay", "t", t, Interval(-np.inf, np.inf, "neither"), ndim=1)
    y = check_array("fit_exponential_decay", "y", y, Interval(-np.inf, np.inf, "neither"), ndim=1)
    if baseline is not None:
        baseline = check_scalar("fit_exponential_decay", "baseline", baseline, Interval(-np.inf, np.inf, "neither"))
    if t.shape != y.shape:
        raise ValueError(f"The 't' and 'y' parameters of fit_exponential_decay must be 1-D arrays of equal length. "
                         f"Got shapes {t.shape} and {y.shape} instead.")
    if np.unique(t).size < 3 or not (np.all(np.isfinite(t)) and np.all(np.isfinite(y))):
        raise ValueError("The 't' parameter of fit_exponential_decay must hold at least 3 distinct time points.")
    t0 = t.min()
    ts = t - t0
    b0 = float(y[np.argmax(t)]) if baseline is None else float(baseline)
    dev = y - b0
    sign = np.sign(dev[np.argmax(np.abs(dev))]) or 1.0
    mask = sign * dev > 1e-12 * max(np.abs(dev).max(), 1e-300)
    if mask.sum() >= 2:
        slope, intercept = np.polyfit(ts[mask], np.log(sign * dev[mask]), 1)
        tau0 = -1.0 / slope if slope < 0 else np.ptp(ts)
        a0 = sign * np.exp(intercept)
    else:
        tau0, a0 = np.ptp(ts) / 3, float(dev[0])
    try:
        with np.errstate(over="ignore", invalid="ignore"):
            if baseline is None:
                f = lambda tt, a, tau, b: b + a * np.exp(-tt / tau)  # noqa: E731
                popt, pcov = curve_fit(f, ts, y, p0=(a0, tau0, b0), maxfev=20000)
                a, tau, b = popt
            else:
                f = lambda tt, a, tau: baseline + a * np.exp(-tt / tau)  # noqa: E731
                popt, pcov = curve_fit(f, ts, y, p0=(a0, tau0), maxfev=20000)
                (a, tau), b = popt, float(baseline)
    except RuntimeError as exc:  # no convergence: the data are not an exponential relaxation
        raise ValueError(f"The 'y' parameter of fit_exponential_decay could not be fitted by an exponential decay "
                         f"({exc}).") from None
    if not (np.isfinite(tau) and tau > 0 and np.isfinite(a)):
        raise ValueError(f"The 'y' parameter of fit_exponential_decay does not decay exponentially (fitted tau = "
                         f"{tau:g}).")
    a = a * np.exp(t0 / tau)  # amplitude referred to t = 0
    err = float(np.sqrt(pcov[1, 1])) if np.all(np.isfinite(pcov)) else float("nan")
    return ExponentialFit(float(tau), float(a), float(b), err)
