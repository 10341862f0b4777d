"""Theory of the capacity: :math:`N_C \\approx T_{max}/t_s` (Mi, Katkov & Tsodyks 2017, eqs. 4-8), in closed form."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .._validation import Boolean, Interval, check_array, validate_params

__all__ = ["t_max", "critical_input", "PeakEfficacy", "peak_efficacy", "spacing", "fit_spacing", "SpacingFit",
           "fit_spacing_slope", "capacity_estimate"]


_POS = Interval(0.0, np.inf, "neither")
_FINITE = Interval(-np.inf, np.inf, "neither")
_UNIT = Interval(0.0, 1.0, "both")
_NEGATIVE = Interval(-np.inf, 0.0, "neither")


def t_max(tau_f, tau_d, U):
    r"""Longest interval between two PS of one cluster that its facilitation survives (eq. 5).

    .. math::  T_{max} \approx \tau_d \ln\frac{\tau_f/\tau_d}{1-U}

    Derivation.  Right after a PS the resources of the cluster are depleted and its
    utilisation is high.  Between PS the cluster is silent (:math:`R \approx 0`), so
    :math:`x` recovers as :math:`1 - (1-x_0)e^{-t/\tau_d}` and :math:`u` decays as
    :math:`U + (u_0-U)e^{-t/\tau_f}`.  The efficacy :math:`ux` first rises (recovery of
    :math:`x`, fast) and then falls (loss of facilitation, slow); the cluster can only
    reignite while :math:`ux` is near its peak.  Setting :math:`d(ux)/dt = 0` with
    :math:`x_0 \ll 1`, :math:`u_0 \approx 1` and :math:`\tau_d \ll \tau_f` gives
    :math:`e^{-t/\tau_d}/\tau_d \approx (1-U)e^{-t/\tau_f}/\tau_f`, whose solution, with
    :math:`e^{-t/\tau_f} \approx 1` over this time, is the formula above: the time at which
    the efficacy peaks after a PS.  A cluster whose next PS comes later than that loses
    its item.

    Examples
    --------
    >>> round(float(t_max(1.5, 0.3, 0.3)), 3)
    0.59
    """
    validate_params("t_max", {"tau_f": tau_f, "tau_d": tau_d, "U": U},
                    {"tau_f": _POS, "tau_d": _POS, "U": Interval(0.0, 1.0, "neither")})
    tau_f, tau_d, U = (np.asarray(v, dtype=float) for v in (tau_f, tau_d, U))
    if np.any(tau_f <= tau_d):
        raise ValueError("The 'tau_f' parameter must be larger than 'tau_d' (facilitation-dominated synapses); "
                         "otherwise no PS-based memory exists and T_max is undefined.")
    if np.any((U <= 0) | (U >= 1)):
        raise ValueError(f"The 'U' parameter must be in the range (0, 1). Got {U} instead.")
    return tau_d * np.log((tau_f / tau_d) / (1.0 - U))


def critical_input(J_max, alpha, I_inh=0.0, exact: bool = False):
    r"""Background input below which a silenced cluster can never reignite (after eq. 7).

    A cluster recovering from inhibition obeys :math:`\tau\dot h = F(h)`,
    :math:`F(h) = -h + J_{max}R(h) + (I_b - I_{inh})` (eq. 6), with :math:`J_{max}` its
    strongest effective self-excitation :math:`J_{EE}ux`.  It escapes only if :math:`F > 0`
    all the way up, i.e. at the minimum of :math:`F`.  With the softplus gain,
    :math:`F'(h) = -1 + J_{max}\sigma(h/\alpha) = 0` at :math:`h^* = -\alpha\ln(J_{max}-1)`,
    and

    .. math::

        F(h^*) = I_b - I_{inh} + \alpha\ln(J_{max}-1) + \alpha J_{max}\ln\frac{J_{max}}{J_{max}-1}.

    Setting :math:`F(h^*) = 0` gives the exact threshold (``exact=True``); dropping the last
    term, which is close to :math:`\alpha` when :math:`J_{max} \gg 1`, gives the
    approximation usually quoted, :math:`I_{crit} \approx I_{inh} - \alpha\ln(J_{max}-1)`.
    """
    validate_params("critical_input", {"J_max": J_max, "alpha": alpha, "I_inh": I_inh, "exact": exact},
                    {"J_max": Interval(1.0, np.inf, "neither"), "alpha": _POS, "I_inh": _FINITE, "exact": Boolean()})
    J = np.asarray(J_max, dtype=float)
    if np.any(J <= 1):
        raise ValueError(f"The 'J_max' parameter must be > 1 (a cluster must be able to excite itself). Got {J_max}.")
    crit = np.asarray(I_inh, dtype=float) - alpha * np.log(J - 1.0)
    if exact:
        crit = crit - alpha * J * np.log(J / (J - 1.0))
    return crit


class PeakEfficacy(NamedTuple):
    """Output of :func:`peak_efficacy`."""

    efficacy: float  #: the largest u x
    time: float  #: when it is reached after the PS, s


def peak_efficacy(u0, x0, U, tau_f, tau_d, horizon: float = 5.0) -> PeakEfficacy:
    r"""Largest efficacy :math:`ux` a silent cluster reaches after a PS that left it at ``(u0, x0)``.

    Between PS the cluster is silent, so :math:`u(t) = U + (u_0 - U)e^{-t/\tau_f}` and
    :math:`x(t) = 1 - (1 - x_0)e^{-t/\tau_d}`; their product rises (x recovers) and then falls
    (u decays).  Returns a :class:`PeakEfficacy` (the largest ux and when it is reached), found on a 1 ms grid over
    ``horizon`` s.  The time is the exact counterpart of :func:`t_max`.
    """
    validate_params("peak_efficacy", {"u0": u0, "x0": x0, "U": U, "tau_f": tau_f, "tau_d": tau_d, "horizon": horizon},
                    {"u0": _UNIT, "x0": _UNIT, "U": Interval(0.0, 1.0, "right"), "tau_f": _POS, "tau_d": _POS,
                     "horizon": Interval(1e-3, 3600.0, "both")})
    t = np.arange(0.0, horizon, 1e-3)
    ux = (U + (u0 - U) * np.exp(-t / tau_f)) * (1.0 - (1.0 - x0) * np.exp(-t / tau_d))
    k = int(np.argmax(ux))
    return PeakEfficacy(float(ux[k]), float(t[k]))


def spacing(I_b, I_crit, tau, h0, c):
    r"""Time between PS of successive clusters (eq. 7), in units where the constant scales with :math:`\tau`:

    .. math::  t_s \approx \tau\left[\ln\frac{|h_0|}{I_b - I_{crit}} + c\right]

    After a PS, inhibition pushes the other clusters down to :math:`h_0 < 0`.  Far below
    threshold :math:`R \approx 0` and :math:`\tau\dot h \approx -h + (I_b - I_{inh})`: the current
    relaxes exponentially towards its target, so the time to climb from :math:`h_0` to the
    point where it ignites grows like :math:`\tau\ln(|h_0| / (I_b - I_{crit}))` as the margin
    :math:`I_b - I_{crit}` shrinks.  The PS itself and the inhibitory pulse it triggers last a
    time proportional to :math:`\tau` (with :math:`\tau_I = \tau`), written :math:`c\,\tau`;
    :func:`fit_spacing` fits :math:`c` to simulations.
    Returns ``inf`` where :math:`I_b \le I_{crit}`.
    """
    validate_params("spacing", {"I_b": I_b, "I_crit": I_crit, "tau": tau, "h0": h0, "c": c},
                    {"I_b": _FINITE, "I_crit": _FINITE, "tau": _POS, "h0": _NEGATIVE, "c": _FINITE})
    margin = np.asarray(I_b, dtype=float) - np.asarray(I_crit, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        ts = np.asarray(tau, dtype=float) * (np.log(np.abs(h0) / margin) + c)
    return np.where(margin > 0, ts, np.inf)


def fit_spacing(t_s, I_b, I_crit, tau, h0) -> float:
    r"""Least-squares :math:`c` of :func:`spacing` from measured spacings ``t_s`` (NaNs ignored).

    The model is linear in :math:`c`: :math:`t_s/\tau - \ln(|h_0|/(I_b - I_{crit})) = c`, so the
    fit is the mean of the left-hand side.  (:math:`h_0` and :math:`c` cannot both be fitted:
    only :math:`\ln|h_0| + c` enters, so :math:`h_0` is measured, see :func:`reignition_state`.)
    """
    t_s, I_b = _check_fit_data("fit_spacing", t_s, I_b, I_crit, tau, h0)
    tau = np.asarray(tau, dtype=float)
    if np.any(I_b <= I_crit):
        raise ValueError(f"The 'I_b' parameter of fit_spacing must be above 'I_crit' = {I_crit:g} everywhere "
                         "(the spacing diverges there).")
    lhs = t_s / tau - np.log(np.abs(h0) / (I_b - I_crit))
    if not np.isfinite(lhs).any():
        raise ValueError("The 't_s' parameter has no finite value to fit.")
    return float(np.nanmean(lhs))


def _check_fit_data(owner, t_s, I_b, I_crit, tau, h0):
    """Measured spacings (NaN: not measured) and their backgrounds, 1-D and of one length; the constants."""
    validate_params(owner, {"I_crit": I_crit, "tau": tau, "h0": h0},
                    {"I_crit": _FINITE, "tau": _POS, "h0": _NEGATIVE})
    t_s = check_array(owner, "t_s", t_s, Interval(0.0, np.inf, "neither"), ndim=(0, 1), allow_nan=True)
    I_b = check_array(owner, "I_b", I_b, _FINITE, ndim=(0, 1))
    if t_s.ndim and I_b.ndim and I_b.shape != t_s.shape:
        raise ValueError(f"The 't_s' and 'I_b' parameters of {owner} must hold one spacing per background (or one "
                         f"of them a single number). Got shapes {t_s.shape} and {I_b.shape} instead.")
    t_s, I_b = np.broadcast_arrays(np.atleast_1d(t_s), I_b)
    return t_s, I_b


class SpacingFit(NamedTuple):
    """Output of :func:`fit_spacing_slope`: :math:`t_s = k\\,\\tau\\ln(|h_0|/(I_b - I_{crit})) + c\\,\\tau`."""

    k: float  #: prefactor of the logarithm (eq. 7: 1)
    c: float  #: offset, in units of tau


def fit_spacing_slope(t_s, I_b, I_crit, tau, h0) -> SpacingFit:
    r"""Least-squares fit of :math:`t_s = k\,\tau\ln\frac{|h_0|}{I_b - I_{crit}} + c\,\tau` with the
    prefactor :math:`k` free (eq. 7 has :math:`k = 1`), for one :math:`\tau`.

    A test of eq. 7's form: if the climb out of inhibition were the only thing that depends on
    :math:`I_b`, the fit would give :math:`k \approx 1`.  Returns a :class:`SpacingFit`; NaNs in
    ``t_s`` are ignored.
    """
    t_s, I_b = _check_fit_data("fit_spacing_slope", t_s, I_b, I_crit, tau, h0)
    if np.ndim(tau) != 0:
        raise ValueError("The 'tau' parameter of fit_spacing_slope must be a scalar (one network's time constant).")
    if np.any(I_b <= I_crit):
        raise ValueError(f"The 'I_b' parameter of fit_spacing_slope must be above 'I_crit' = {I_crit:g} everywhere "
                         "(the spacing diverges there).")
    keep = np.isfinite(t_s)
    if keep.sum() < 2:
        raise ValueError("The 't_s' parameter needs at least two finite values to fit a slope and an offset.")
    L = np.log(np.abs(h0) / (I_b[keep] - I_crit))
    (k, c), *_ = np.linalg.lstsq(np.stack([L, np.ones_like(L)], axis=1), t_s[keep] / tau, rcond=None)
    return SpacingFit(float(k), float(c))


def capacity_estimate(tau_f, tau_d, U, tau, I_b, I_crit, h0, c):
    r"""Capacity :math:`N_C \approx T_{max}/t_s` (eqs. 4 and 8):

    .. math::  N_C \approx \frac{\tau_d}{\tau}\,
               \frac{\ln\big[(\tau_f/\tau_d)/(1-U)\big]}{\ln\big[|h_0|/(I_b - I_{crit})\big] + c}

    0 where :math:`I_b \le I_{crit}` (the denominator diverges).  Not rounded: the number of
    whole PS slots that fit in :math:`T_{max}` is its integer part.
    """
    validate_params("capacity_estimate", {"tau_f": tau_f, "tau_d": tau_d, "U": U},
                    {"tau_f": _POS, "tau_d": _POS, "U": Interval(0.0, 1.0, "neither")})
    ts = spacing(I_b, I_crit, tau, h0, c)
    with np.errstate(divide="ignore"):
        return np.where(np.isfinite(ts) & (ts > 0), t_max(tau_f, tau_d, U) / ts, 0.0)
