"""Parameters of the cluster model of Mi, Katkov & Tsodyks (2017) and its gain function."""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np

from .._validation import Interval, ParamsMixin, validate_params

__all__ = ["ClusterParams", "LoadingProtocol", "gain"]

_POS = Interval(0.0, np.inf, "neither")
_NONNEG = Interval(0.0, np.inf, "left")


@dataclass(frozen=True)
class ClusterParams(ParamsMixin):
    """Parameters of the cluster model (times in s).

    Any field except ``n_clusters`` and ``dt`` may be an array; arrays broadcast
    together into a batch of parameter sets.
    """

    n_clusters: int = 16  #: P, number of excitatory clusters
    alpha: float = 1.5  #: softness of the gain R(h)
    J_EE: float = 8.0  #: recurrent excitation within a cluster
    J_EI: float = 1.1  #: inhibition onto the clusters (I -> E)
    J_IE: float = 1.75  #: excitation of the inhibitory population (E -> I)
    U: float = 0.3  #: baseline utilisation
    tau_f: float = 1.5  #: facilitation time constant
    tau_d: float = 0.3  #: depression (recovery) time constant
    tau: float = 0.008  #: time constant of the excitatory currents
    tau_I: float = 0.008  #: time constant of the inhibitory current
    I_b: float = 8.0  #: background input to every cluster
    noise: float = 0.0  #: sigma of the white noise on h (0: deterministic)
    dt: float = 1e-4  #: Euler step

    _constraints = {
        "n_clusters": Interval(1, np.inf, "left", integer=True),
        "alpha": _POS,
        "J_EE": _NONNEG,
        "J_EI": _NONNEG,
        "J_IE": _NONNEG,
        "U": Interval(0.0, 1.0, "right"),
        "tau_f": _POS,
        "tau_d": _POS,
        "tau": _POS,
        "tau_I": _POS,
        "I_b": Interval(-np.inf, np.inf, "neither"),
        "noise": _NONNEG,
        "dt": _POS,
    }

    def validate(self):
        super().validate()
        fastest = min(float(np.min(self.tau)), float(np.min(self.tau_I)))
        if not self.dt <= fastest / 10:
            raise ValueError(f"The 'dt' parameter of ClusterParams must be a float in the range (0, {fastest / 10:g}] "
                             f"(a tenth of the fastest time constant) for an accurate Euler step. Got {self.dt!r} instead.")

    @property
    def batch_shape(self) -> tuple:
        return np.broadcast_shapes(*(np.shape(getattr(self, f.name)) for f in fields(self)
                                     if f.name not in ("n_clusters", "dt")))



@dataclass(frozen=True)
class LoadingProtocol(ParamsMixin):
    """Items loaded one after another: cluster ``k`` receives ``amplitude`` for ``duration`` s
    from ``onset + k * spacing`` (the BrainPy example's protocol: 225 for 30 ms, every 100 ms)."""

    n_items: int = 5
    onset: float = 0.07
    spacing: float = 0.1
    duration: float = 0.03
    amplitude: float = 225.0

    _constraints = {
        "n_items": Interval(0, np.inf, "left", integer=True),
        "onset": _NONNEG,
        "spacing": _POS,
        "duration": _POS,
        "amplitude": Interval(-np.inf, np.inf, "neither"),
    }

    def windows(self) -> np.ndarray:
        """(n_items, 2) start and end time of each item's pulse."""
        start = self.onset + self.spacing * np.arange(self.n_items)
        return np.stack([start, start + self.duration], axis=1)

def gain(h, alpha):
    r"""Softplus gain :math:`R(h) = \alpha\ln(1 + e^{h/\alpha})`, computed without overflow."""
    validate_params("gain", {"h": h, "alpha": alpha}, {"h": Interval(-np.inf, np.inf, "neither"), "alpha": _POS})
    alpha = np.asarray(alpha, dtype=float)
    z = np.asarray(h, dtype=float) / alpha
    return alpha * (np.maximum(z, 0.0) + np.log1p(np.exp(-np.abs(z))))
