"""Analyses shared by the mechanisms: arrays in, arrays out.

* :mod:`.fits`: least-squares fits (exponential decay);
* :mod:`.decoding`: time-resolved population decoding of a trial variable from any ``(T, B, N)`` features (the
  activity or the synaptic efficacy of a trained network, the rates of a spiking network, ...).

Nothing here runs a model: each function turns recorded arrays into the numbers a chapter reports.
"""

from .decoding import chance_level, decode_over_time
from .fits import ExponentialFit, fit_exponential_decay

__all__ = ["ExponentialFit", "fit_exponential_decay", "decode_over_time", "chance_level"]
