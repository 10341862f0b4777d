"""Analyses shared by the mechanisms: arrays in, arrays out.

* :mod:`.fits`: least-squares fits (exponential decay);
* :mod:`.decoding`: time-resolved population decoding of a trial variable from any ``(T, B, N)`` features (the
  activity or the synaptic efficacy of a trained network, the rates of a spiking network, ...);
* :mod:`.tuning`: direction tuning of every unit (explained variance, preferred direction), the similarity of two
  tunings, the manipulation index of Masse et al. (2019) and the category tuning index;
* :mod:`.stats`: statistics across networks (mean and standard error, correlations, t-tests).

Nothing here runs a model: each function turns recorded arrays into the numbers a chapter reports.
"""

from .decoding import CrossTemporalDecoding, Decoding, chance_level, decode, decode_cross_temporal, decode_over_time
from .fits import ExponentialFit, fit_exponential_decay
from .stats import Comparison, Correlation, Summary, compare, correlate, summarize
from .tuning import Tuning, category_tuning_index, direction_tuning, manipulation_index, tuning_similarity

__all__ = ["ExponentialFit", "fit_exponential_decay", "Decoding", "CrossTemporalDecoding", "decode", "decode_over_time",
           "decode_cross_temporal", "chance_level", "Tuning", "direction_tuning",
           "tuning_similarity", "manipulation_index", "category_tuning_index", "Summary", "summarize", "Correlation",
           "correlate", "Comparison", "compare"]
