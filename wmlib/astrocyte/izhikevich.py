r"""The Izhikevich (2003) neuron, in the fast-spiking form used by the neuron–astrocyte network.

Membrane potential :math:`V` (mV) and recovery variable :math:`U` (time in ms, input current :math:`I` in the
model's units):

.. math::

   \frac{dV}{dt} = 0.04\,V^2 + 5\,V + 140 - U + I, \qquad \frac{dU}{dt} = a\,(b\,V - U),

   V \ge V_{peak} \;\Rightarrow\; V \leftarrow c,\quad U \leftarrow U + d .

With :math:`a = 0.1, b = 0.2, c = -65, d = 2` the neuron is fast spiking (Izhikevich 2003, Fig. 2).  At rest
(:math:`I = 0`) it sits at -70 mV; a constant input above about :math:`I = 3.94` (:func:`rheobase`) makes it fire
tonically, at once at about 25 Hz, and faster for larger :math:`I`.  Gordleeva et al. (2021) and
Tsybina et al. (2022) use these values for every neuron of their network, integrated with forward Euler steps of
0.1 ms, the potential clamped at :math:`V_{peak}` = 30 mV for the step in which it crosses it (the spike), and
reset in the next step; :mod:`wmlib.astrocyte.simulation` does the same.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .._validation import Interval, ParamsMixin

__all__ = ["IzhikevichParams", "derivatives", "rheobase"]

_REAL = Interval(-np.inf, np.inf, "neither")
_POS = Interval(0.0, np.inf, "neither")


@dataclass(frozen=True)
class IzhikevichParams(ParamsMixin):
    """Parameters of the Izhikevich neuron (mV, ms); the defaults are the fast-spiking neuron of the network."""

    a: float = 0.1  #: rate of the recovery variable, 1/ms
    b: float = 0.2  #: sensitivity of the recovery variable to V
    c: float = -65.0  #: reset potential after a spike, mV
    d: float = 2.0  #: jump of the recovery variable after a spike
    v_peak: float = 30.0  #: spike cut-off: V is clamped here and reset in the next step, mV
    v_init: float = -70.0  #: initial potential, mV
    u_init: float = 0.0  #: initial recovery variable (the authors' code starts at 0)

    _constraints = {"a": _POS, "b": _REAL, "c": _REAL, "d": _REAL, "v_peak": _REAL, "v_init": _REAL, "u_init": _REAL}

    def validate(self):
        super().validate()
        if not self.c < self.v_peak:
            raise ValueError(f"The 'c' parameter of IzhikevichParams must be a float in the range (-inf, "
                             f"{self.v_peak:g}) (below the spike cut-off, the 'v_peak' parameter). Got {self.c!r} instead.")
        if not self.v_init < self.v_peak:
            raise ValueError(f"The 'v_init' parameter of IzhikevichParams must be a float in the range (-inf, "
                             f"{self.v_peak:g}) (below the spike cut-off, the 'v_peak' parameter). "
                             f"Got {self.v_init!r} instead.")
        return self


def derivatives(v, u, current, params: IzhikevichParams = IzhikevichParams()):
    """(dV/dt, dU/dt) in mV/ms and 1/ms for arrays ``v``, ``u`` and input ``current`` (broadcast together)."""
    v, u, current = np.asarray(v, float), np.asarray(u, float), np.asarray(current, float)
    return 0.04 * v * v + 5.0 * v + 140.0 - u + current, params.a * (params.b * v - u)


def rheobase(params: IzhikevichParams = IzhikevichParams()) -> float:
    r"""The constant input at which the resting state loses its stability, above which the neuron fires.

    The fixed points satisfy :math:`U = bV` and :math:`0.04V^2 + (5 - b)V + 140 + I = 0`; on the lower (resting)
    branch the Jacobian :math:`\begin{pmatrix} 0.08V + 5 & -1 \\ ab & -a \end{pmatrix}` has trace 0 at
    :math:`V_H = (a - 5)/0.08`.  If :math:`V_H` lies below the saddle-node point :math:`V_{SN} = -(5 - b)/0.08`,
    rest loses stability in a Hopf bifurcation at the input that puts the fixed point at :math:`V_H` (3.94 for the
    fast-spiking neuron, which then jumps to firing at about 25 Hz, class 2 excitability); otherwise at the
    saddle-node, :math:`I^* = (5 - b)^2/0.16 - 140`.  (Near the Hopf point the neuron is bistable: started away from
    rest it can already fire slightly below it.)
    """
    p = params
    v_sn = -(5.0 - p.b) / 0.08
    v_h = (p.a - 5.0) / 0.08
    v = v_h if v_h < v_sn else v_sn
    return float(-(0.04 * v * v + (5.0 - p.b) * v + 140.0))
