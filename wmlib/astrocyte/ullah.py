r"""The astrocyte of Ullah, Jung & Cornell-Bell (2006): calcium released from internal stores by IP3.

An astrocyte has no spikes.  Its signal is the concentration of free calcium in its cytosol, :math:`[Ca]` (µM),
which rises when the messenger IP3 opens channels of the endoplasmic reticulum (ER, the cell's calcium store) and
falls as pumps move calcium back.  With :math:`h`, the fraction of those channels not inactivated, and time in
seconds:

.. math::

   \frac{d[Ca]}{dt} &= J_{ER} - J_{pump} + J_{leak} + J_{in} - J_{out}, \\
   \frac{dh}{dt} &= a_2\big(Q_2 (1 - h) - [Ca]\,h\big), \qquad Q_2 = d_2\,\frac{[IP_3] + d_1}{[IP_3] + d_3}, \\
   \frac{d[IP_3]}{dt} &= \frac{IP_3^* - [IP_3]}{\tau_{IP_3}} + J_{PLC\delta} + J_{glu},

with the fluxes

.. math::

   J_{ER} &= c_1 v_1\, m_\infty^3 n_\infty^3 h^3\,\Big(\frac{c_0}{c_1} - \big(1 + \tfrac{1}{c_1}\big)[Ca]\Big),
   \quad m_\infty = \frac{[IP_3]}{[IP_3] + d_1},\ n_\infty = \frac{[Ca]}{[Ca] + d_5}, \\
   J_{leak} &= c_1 v_2\Big(\frac{c_0}{c_1} - \big(1 + \tfrac{1}{c_1}\big)[Ca]\Big), \qquad
   J_{pump} = \frac{v_3 [Ca]^2}{k_3^2 + [Ca]^2}, \\
   J_{in} &= \frac{v_6 [IP_3]^2}{k_2^2 + [IP_3]^2}, \qquad J_{out} = k_1 [Ca], \qquad
   J_{PLC\delta} = v_4\,\frac{[Ca] + (1 - \alpha) k_4}{[Ca] + k_4}.

:math:`J_{ER}` is release through the IP3 receptor channel (it needs IP3 *and* calcium: calcium-induced calcium
release), :math:`J_{leak}` a leak from the ER, :math:`J_{pump}` the pump refilling it, :math:`J_{in}, J_{out}`
exchange with the outside, :math:`J_{PLC\delta}` the cell's own IP3 production, and :math:`J_{glu}` (µM/s) the IP3
produced when glutamate released by neighbouring neurons reaches the astrocyte: the input through which neurons
write into it.  The parameters are those of the neuron–astrocyte networks of Gordleeva et al. (2021) and Tsybina et
al. (2022) (their code); the isolated cell is excitable, not oscillating: a pulse of :math:`J_{glu}` produces one
calcium rise that peaks one to two seconds later and lasts several seconds (:func:`response`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
from scipy.optimize import brentq

from .._validation import Interval, ParamsMixin, check_instance, check_scalar

__all__ = ["UllahParams", "derivatives", "rest_state", "CellResponse", "response"]

_POS = Interval(0.0, np.inf, "neither")
_NONNEG = Interval(0.0, np.inf, "left")


@dataclass(frozen=True)
class UllahParams(ParamsMixin):
    """Parameters of the Ullah et al. (2006) astrocyte (µM, s), as used by Gordleeva et al. (2021)."""

    c0: float = 2.0  #: total free calcium per cytosolic volume, µM
    c1: float = 0.185  #: ER-to-cytosol volume ratio
    v1: float = 6.0  #: maximal rate of the IP3 receptor channel, 1/s
    v2: float = 0.11  #: ER leak rate, 1/s
    v3: float = 2.2  #: maximal pump rate, µM/s
    v4: float = 0.3  #: maximal PLC-delta IP3 production, µM/s
    v6: float = 0.2  #: maximal calcium influx from outside, µM/s
    k1: float = 0.5  #: calcium efflux rate, 1/s
    k2: float = 1.0  #: IP3 half-activation of the influx, µM
    k3: float = 0.1  #: pump half-activation, µM
    k4: float = 1.1  #: calcium half-activation of PLC-delta, µM
    d1: float = 0.13  #: IP3 dissociation constant, µM
    d2: float = 1.049  #: calcium inactivation dissociation constant, µM
    d3: float = 0.9434  #: IP3 dissociation constant (inactivation), µM
    d5: float = 0.08234  #: calcium activation dissociation constant, µM
    a2: float = 0.14  #: inactivation binding rate, 1/(µM s)
    alpha: float = 0.8  #: strength of calcium feedback on PLC-delta
    ip3_star: float = 0.16  #: IP3 level without production, µM
    tau_ip3: float = 1 / 0.14  #: IP3 degradation time constant, s
    ca_init: float = 0.072495  #: initial calcium, µM (the authors' code; not the rest state, see rest_state)
    h_init: float = 0.886314  #: initial h
    ip3_init: float = 0.820204  #: initial IP3, µM

    _constraints = {
        "c0": _POS, "c1": _POS, "v1": _NONNEG, "v2": _NONNEG, "v3": _NONNEG, "v4": _NONNEG, "v6": _NONNEG,
        "k1": _NONNEG, "k2": _POS, "k3": _POS, "k4": _POS, "d1": _POS, "d2": _POS, "d3": _POS, "d5": _POS,
        "a2": _POS, "alpha": Interval(0.0, 1.0, "both"), "ip3_star": _NONNEG, "tau_ip3": _POS,
        "ca_init": _NONNEG, "h_init": Interval(0.0, 1.0, "both"), "ip3_init": _NONNEG,
    }


def derivatives(ca, h, ip3, j_glu=0.0, params: UllahParams = UllahParams()):
    """(d[Ca]/dt, dh/dt, d[IP3]/dt) of the isolated cell (no diffusion), for arrays broadcast together.

    ``j_glu`` is the glutamate-driven IP3 production, µM/s.
    """
    p = params
    ca, h, ip3 = np.asarray(ca, float), np.asarray(h, float), np.asarray(ip3, float)
    m = ip3 / (ip3 + p.d1)
    n = ca / (ca + p.d5)
    store = p.c0 / p.c1 - (1.0 + 1.0 / p.c1) * ca  # (c0 - (1 + c1) Ca) / c1: the ER's calcium
    j_er = p.c1 * p.v1 * (m * n * h) ** 3 * store
    j_leak = p.c1 * p.v2 * store
    j_pump = p.v3 * ca * ca / (p.k3 * p.k3 + ca * ca)
    j_in = p.v6 * ip3 * ip3 / (p.k2 * p.k2 + ip3 * ip3)
    j_out = p.k1 * ca
    q2 = p.d2 * (ip3 + p.d1) / (ip3 + p.d3)
    j_plc = p.v4 * (ca + (1.0 - p.alpha) * p.k4) / (ca + p.k4)
    dca = j_er - j_pump + j_leak + j_in - j_out
    dh = p.a2 * (q2 * (1.0 - h) - ca * h)
    dip3 = (p.ip3_star - ip3) / p.tau_ip3 + j_plc + np.asarray(j_glu, float)
    return dca, dh, dip3


def rest_state(params: UllahParams = UllahParams()) -> tuple[float, float, float]:
    """The cell's resting (Ca, h, IP3) without input: the fixed point, found by solving for Ca in one dimension.

    At rest h and IP3 follow from Ca (h = Q2 / (Q2 + Ca); IP3 from its own balance), so the rest calcium is the
    root of d[Ca]/dt along that curve, bracketed between 1e-6 and the total calcium c0 / (1 + c1).
    """
    p = check_instance("rest_state", "params", params, UllahParams)

    def along(ca):
        plc = p.v4 * (ca + (1.0 - p.alpha) * p.k4) / (ca + p.k4)
        ip3 = p.ip3_star + p.tau_ip3 * plc
        q2 = p.d2 * (ip3 + p.d1) / (ip3 + p.d3)
        h = q2 / (q2 + ca)
        return ip3, h

    def f(ca):
        ip3, h = along(ca)
        return float(derivatives(ca, h, ip3, 0.0, p)[0])

    ca = brentq(f, 1e-6, p.c0 / (1.0 + p.c1), xtol=1e-14)
    ip3, h = along(ca)
    return float(ca), float(h), float(ip3)


class CellResponse(NamedTuple):
    """The isolated cell's response to a step of glutamate input."""

    t: np.ndarray  #: (T,) time from the start of the input, s
    ca: np.ndarray  #: (T,) calcium, µM
    h: np.ndarray  #: (T,) fraction of channels not inactivated
    ip3: np.ndarray  #: (T,) IP3, µM


def response(amplitude: float = 5.0, duration: float = 0.06, t_max: float = 8.0, *, dt: float = 1e-3,
             params: UllahParams = UllahParams()) -> CellResponse:
    """Integrate one cell, starting at rest, with ``J_glu = amplitude`` (µM/s) for ``duration`` s (RK4 steps of ``dt``).

    Gordleeva et al.'s network gives an astrocyte 5 µM/s for 60 ms each time the neurons it covers fire together.
    """
    owner = "response"
    check_instance(owner, "params", params, UllahParams)
    amplitude = check_scalar(owner, "amplitude", amplitude, Interval(0.0, 1e3, "both"))
    duration = check_scalar(owner, "duration", duration, Interval(0.0, 1e3, "both"))
    t_max = check_scalar(owner, "t_max", t_max, Interval(0.0, 1e3, "neither"))
    dt = check_scalar(owner, "dt", dt, Interval(0.0, 0.01, "right"))
    n = int(round(t_max / dt))
    if n < 1:
        raise ValueError(f"The 't_max' parameter of {owner} must be at least one step of dt = {dt:g} s. "
                         f"Got {t_max!r} instead.")
    y = np.array(rest_state(params))
    out = np.empty((n + 1, 3))
    out[0] = y
    rhs = lambda state, j: np.array(derivatives(*state, j, params))  # noqa: E731
    for k in range(n):
        j = amplitude if k * dt < duration - 1e-12 else 0.0
        k1 = rhs(y, j)
        k2 = rhs(y + 0.5 * dt * k1, j)
        k3 = rhs(y + 0.5 * dt * k2, j)
        k4 = rhs(y + dt * k3, j)
        y = y + dt / 6.0 * (k1 + 2 * k2 + 2 * k3 + k4)
        out[k + 1] = y
    return CellResponse(np.arange(n + 1) * dt, out[:, 0], out[:, 1], out[:, 2])
