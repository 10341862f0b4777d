r"""Parameters of the neuron–astrocyte network, in its two published forms.

Both forms share the architecture of Gordleeva et al. (2021): an :math:`M\times M` grid of Izhikevich neurons
(:mod:`.izhikevich`) under an :math:`M_a\times M_a` grid of Ullah astrocytes (:mod:`.ullah`), :math:`M = 3M_a + 1`,
each astrocyte covering a 4×4 block of neurons (neighbouring blocks share a row or a column).  Neurons excite each
other through pulse-coupled synapses,

.. math::

   I^{syn}_i = \sum_{j \in \mathrm{pre}(i)} \frac{g^{eff}_{ij}\,(E_{syn} - V_i)}{1 + \exp(-V_j / k_{syn})},

which conduct only while the presynaptic potential :math:`V_j` is near its spike peak; every spike releases
glutamate, :math:`dG_i/dt = -\alpha_{glu} G_i + k_{glu}\,\Theta(V_i - V_{glu})`; glutamate around an astrocyte
makes IP3 (:math:`J_{glu}`), and an astrocyte whose calcium is high strengthens the synapses onto its neurons
(:math:`g^{eff}_{ij} = g_{ij} + \Delta g_i`).  Astrocytes exchange calcium and IP3 with their four nearest neighbours
(diffusion terms :math:`d_{Ca}\Delta[Ca]` and :math:`d_{IP_3}\Delta[IP_3]`, no flux across the border).  The two
forms differ in how neurons write into astrocytes and astrocytes act back:

* :class:`BinaryParams`, Gordleeva et al. (2021), black-and-white patterns: an astrocyte receives a fixed
  :math:`J_{glu} = A_{glu}` for :math:`t_{glu}` after at least :math:`F_{act}` of its neurons have glutamate above
  :math:`G_{thr}`; once its calcium exceeds a threshold while at least :math:`F_{astro}` of its neurons fire in the
  same step, every synapse onto its neurons gains :math:`\nu_{Ca}` for :math:`\tau_{astro}`.  Synapses are local
  (lengths drawn from an exponential distribution) and all equal; neurons receive random background pulses.
* :class:`AnalogParams`, Tsybina et al. (2022), grey-level images: the astrocyte receives the summed glutamate of
  its neurons (when above a floor), and its facilitation is graded, proportional to how far its calcium is above
  the threshold (relative to the most active astrocyte).  Synapses join random pairs across the whole grid, with
  weights that link neurons of similar grey level in the image being stored.

The values are those of the authors' published code (MIT licence; Gordleeva et al. 2021 and Tsybina et al. 2022),
whose papers describe the same models.  Times are in seconds except inside the neuron model (ms).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np

from .._validation import Instance, Interval, ParamsMixin, check_scalar
from .izhikevich import IzhikevichParams
from .ullah import UllahParams

__all__ = ["AnalogParams", "BinaryParams", "GRID_SIZES", "astrocytes_per_side"]

_POS = Interval(0.0, np.inf, "neither")
_NONNEG = Interval(0.0, np.inf, "left")
_REAL = Interval(-np.inf, np.inf, "neither")
_SIZE = Interval(4, 3001, "both", integer=True)
_COUNT = Interval(1, 10_000, "both", integer=True)
_TIME = Interval(0.0, 1e3, "neither")

#: Grid sizes used by the book: the tests and live figures (40), the reproduction figures (79, the size of Gordleeva
#: et al. 2021) and the size of Tsybina et al. (2022) (151, one neuron per pixel of their 151×151 image).
GRID_SIZES = {"small": 40, "figure": 79, "paper": 151}


def astrocytes_per_side(size: int) -> int:
    """Astrocytes per side of the grid for ``size`` neurons per side (``size = 3 * n + 1``)."""
    size = check_scalar("astrocytes_per_side", "size", size, _SIZE)
    if size % 3 != 1:
        raise ValueError(f"The 'size' parameter of astrocytes_per_side must be an int of the form 3 * n + 1. "
                         f"Got {size!r} instead.")
    return (size - 1) // 3


def _common_constraints():
    return {
        "size": _SIZE, "n_out": _COUNT, "dt": Interval(0.0, 1e-3, "right"), "e_syn": _REAL, "k_syn": _POS,
        "alpha_glu": _POS, "k_glu": _NONNEG, "v_glu": _REAL, "d_ca": _NONNEG, "d_ip3": _NONNEG,
        "ca_threshold": _NONNEG, "nu_ca": _NONNEG, "gate_duration": _TIME, "check_every": _TIME,
        "input_cap": Interval(0.0, np.inf, "both"),
        "neuron": Instance(IzhikevichParams), "astrocyte": Instance(UllahParams),
    }


class _Checks:
    """Cross-field checks shared by both forms (mixed into the parameter classes)."""

    def validate(self):
        super().validate()
        name = type(self).__name__
        if self.size % 3 != 1:
            lo = 3 * ((self.size - 1) // 3) + 1
            raise ValueError(f"The 'size' parameter of {name} must be an int of the form 3 * n + 1 (each astrocyte "
                             f"covers 4 x 4 neurons, neighbours share a row), e.g. {lo} or {lo + 3}. "
                             f"Got {self.size!r} instead.")
        if self.n_out >= self.size * self.size:
            raise ValueError(f"The 'n_out' parameter of {name} must be an int in the range [1, "
                             f"{self.size * self.size - 1}] (fewer synapses per neuron than neurons). "
                             f"Got {self.n_out!r} instead.")
        for what in ("check_every", "gate_duration"):
            steps = getattr(self, what) / self.dt
            if abs(steps - round(steps)) > 1e-6 or round(steps) < 1:
                raise ValueError(f"The {what!r} parameter of {name} must be a float in the range [{self.dt:g}, 1000) "
                                 f"that is a whole number of time steps (the 'dt' parameter, {self.dt:g} s). "
                                 f"Got {getattr(self, what)!r} instead.")
        if not self.v_glu <= self.neuron.v_peak:
            raise ValueError(f"The 'v_glu' parameter of {name} must be a float in the range (-inf, "
                             f"{self.neuron.v_peak:g}] (at most the neuron's spike cut-off, v_peak, or no spike "
                             f"would release glutamate). Got {self.v_glu!r} instead.")
        return self

    @property
    def n_neurons(self) -> int:
        return self.size * self.size

    @property
    def astro_side(self) -> int:
        """Astrocytes per side, ``(size - 1) / 3``."""
        return (self.size - 1) // 3

    @property
    def n_astrocytes(self) -> int:
        return self.astro_side ** 2

    def steps(self, seconds: float) -> int:
        """A duration as a whole number of time steps (rounded)."""
        return int(round(seconds / self.dt))

    def resized(self, size: int):
        """The same parameters on a ``size`` × ``size`` grid."""
        return replace(self, size=size)


@dataclass(frozen=True)
class AnalogParams(_Checks, ParamsMixin):
    """The network of Tsybina et al. (2022): grey-level images, graded astrocytic facilitation.

    Defaults: the authors' code, on their 151 × 151 grid (one neuron per pixel).  The synaptic weights come from the
    image being stored (:func:`wmlib.astrocyte.image_weights`): :math:`g_{ij} = g_{min} + (g_{max} - g_{min})
    w^{|P_i - P_j|}`, with :math:`P` the pixel's intensity on a 0-255 scale (:mod:`.images`).  During recall the synapses
    onto neuron i gain

    .. math::

       \\Delta g_i = \nu_{Ca}\\,\frac{([Ca]_{a(i)} - Ca_{thr})_+}{\\max_k([Ca]_k - Ca_{thr})_+}\\;\\mathrm{gate}_{a(i)},

    where :math:`a(i)` is the astrocyte above neuron i and its gate opens for ``gate_duration`` whenever, at a check
    (every ``check_every``), its calcium is above ``ca_threshold`` and its neurons' glutamate sums to at least
    ``glu_gate``.  The astrocyte's input is :math:`J_{glu,a} = \\sum_{i \\in a} G_i` when that sum is at least
    ``glu_min``, else 0.
    """

    size: int = 151  #: neurons per side (3 n + 1)
    n_out: int = 100  #: synapses made by each neuron, to targets drawn uniformly over the grid
    dt: float = 1e-4  #: time step, s (neurons and astrocytes)
    e_syn: float = 0.0  #: synaptic reversal potential, mV (every synapse is excitatory)
    k_syn: float = 0.2  #: slope of the presynaptic sigmoid, mV
    alpha_glu: float = 10.0  #: glutamate clearance rate, 1/s
    k_glu: float = 600.0  #: glutamate release rate while a neuron spikes, µM/s
    v_glu: float = 29.0  #: potential above which a neuron releases glutamate, mV
    d_ca: float = 0.05  #: calcium diffusion between neighbouring astrocytes, 1/s
    d_ip3: float = 0.05  #: IP3 diffusion between neighbouring astrocytes, 1/s
    ca_threshold: float = 0.2  #: calcium above which an astrocyte facilitates, µM
    nu_ca: float = 0.1  #: largest added conductance (the most active astrocyte)
    gate_duration: float = 0.3  #: how long a gate stays open, s
    check_every: float = 1e-3  #: interval between the astrocytes' gate checks, s
    input_cap: float = np.inf  #: largest total input current of a neuron (none)
    glu_min: float = 2.0  #: smallest summed glutamate an astrocyte responds to, µM
    glu_gate: float = 3.0  #: summed glutamate needed to open the gate, µM
    g_min: float = 0.001  #: weight between neurons of very different grey level
    g_max: float = 0.025  #: weight between neurons of equal grey level
    w_grey: float = 0.9  #: decay of the weight per grey level of difference
    neuron: IzhikevichParams = field(default_factory=IzhikevichParams)  #: the neurons
    astrocyte: UllahParams = field(default_factory=lambda: UllahParams(d5=0.082))  #: the astrocytes

    _constraints = {**_common_constraints(), "glu_min": _NONNEG, "glu_gate": _NONNEG, "g_min": _NONNEG,
                    "g_max": _NONNEG, "w_grey": Interval(0.0, 1.0, "both")}

    def validate(self):
        super().validate()
        if not self.g_max >= self.g_min:
            raise ValueError(f"The 'g_max' parameter of AnalogParams must be a float in the range [{self.g_min:g}, inf) "
                             f"(at least the 'g_min' parameter). Got {self.g_max!r} instead.")
        return self


@dataclass(frozen=True)
class BinaryParams(_Checks, ParamsMixin):
    r"""The network of Gordleeva et al. (2021): black-and-white patterns, all-or-none astrocytic facilitation.

    Defaults: the authors' code (79 × 79 neurons, 26 × 26 astrocytes).  An astrocyte receives :math:`J_{glu} =
    A_{glu}` for ``t_glu`` after any step in which at least ``n_active`` of its neurons have glutamate at or above
    ``glu_level``.  At each check (every ``check_every``) an astrocyte whose calcium is above ``ca_threshold``, and
    at least ``n_sync`` of whose neurons fired in one same step during the last ``sync_window``, opens its gate for
    ``gate_duration``: every synapse onto its neurons then has conductance ``g_syn + nu_ca`` instead of ``g_syn``.
    The total input current of a neuron is capped at ``input_cap``.  Each neuron makes ``n_out`` synapses to
    neurons at distance :math:`R \sim \mathrm{Exp}(\lambda)` (``wiring_scale``) in a uniformly random direction,
    and receives background pulses (:func:`~wmlib.astrocyte.background_pulses`: the first at a uniform time before
    ``noise_phase``, then one every ``1 / noise_rate`` on average, each ``noise_duration`` long with an amplitude
    uniform in ±``noise_amplitude``).
    """

    size: int = 79  #: neurons per side (3 n + 1)
    n_out: int = 40  #: synapses made by each neuron, to nearby targets
    dt: float = 1e-4  #: time step, s (neurons and astrocytes)
    e_syn: float = 0.0  #: synaptic reversal potential, mV
    k_syn: float = 0.2  #: slope of the presynaptic sigmoid, mV
    alpha_glu: float = 10.0  #: glutamate clearance rate, 1/s
    k_glu: float = 600.0  #: glutamate release rate while a neuron spikes, µM/s
    v_glu: float = 30.0  #: potential at which a neuron releases glutamate (the spike peak), mV
    d_ca: float = 0.05  #: calcium diffusion between neighbouring astrocytes, 1/s
    d_ip3: float = 0.1  #: IP3 diffusion between neighbouring astrocytes, 1/s
    ca_threshold: float = 0.15  #: calcium above which an astrocyte facilitates, µM
    nu_ca: float = 0.5  #: added conductance while the gate is open
    gate_duration: float = 0.25  #: how long a gate stays open, s
    check_every: float = 1e-3  #: interval between the astrocytes' gate checks, s
    input_cap: float = 25.0  #: largest total input current of a neuron
    glu_level: float = 0.7  #: glutamate at which a neuron counts as active for its astrocyte, µM
    n_active: int = 8  #: active neurons (of 16) that start an astrocyte's input
    a_glu: float = 5.0  #: the astrocyte's IP3 input while it is on, µM/s
    t_glu: float = 0.06  #: how long the input lasts after the last activation, s
    n_sync: int = 6  #: neurons (of 16) firing in one step that count as synchronous
    sync_window: float = 0.01  #: how far back a synchronous step counts at a check, s
    g_syn: float = 0.025  #: conductance of every synapse without facilitation
    wiring_scale: float = 5.0  #: mean synapse length, in neurons
    noise_rate: float = 1.5  #: rate of the background pulses of each neuron, 1/s
    noise_phase: float = 1.5  #: the first pulse of each neuron starts at a uniform time in [0, noise_phase), s
    noise_duration: float = 0.03  #: duration of a background pulse, s
    noise_amplitude: float = 20.0  #: largest amplitude of a background pulse (uniform in ±)
    neuron: IzhikevichParams = field(default_factory=IzhikevichParams)  #: the neurons
    astrocyte: UllahParams = field(default_factory=lambda: UllahParams(d5=0.082))  #: the astrocytes

    _constraints = {**_common_constraints(), "glu_level": _NONNEG, "n_active": Interval(1, 16, "both", integer=True),
                    "a_glu": _NONNEG, "t_glu": _TIME, "n_sync": Interval(1, 16, "both", integer=True),
                    "sync_window": _TIME, "g_syn": _NONNEG, "wiring_scale": _POS, "noise_rate": _NONNEG,
                    "noise_phase": _NONNEG, "noise_duration": _TIME, "noise_amplitude": _NONNEG}

    def validate(self):
        super().validate()
        for what in ("t_glu", "sync_window", "noise_duration"):
            steps = getattr(self, what) / self.dt
            if abs(steps - round(steps)) > 1e-6 or round(steps) < 1:
                raise ValueError(f"The {what!r} parameter of BinaryParams must be a float in the range [{self.dt:g}, "
                                 f"1000) that is a whole number of time steps (the 'dt' parameter, {self.dt:g} s). "
                                 f"Got {getattr(self, what)!r} instead.")
        return self
