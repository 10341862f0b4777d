"""Protocols: the external signals of a trial, as changes of the neurons' background drive.

In the paper every signal is a "contrast factor" on the mean external input :math:`\\mu_{ext}` of the neurons it
targets, for a stretch of time.  A :class:`Stimulus` multiplies the drive of its target neurons by ``factor`` (and
may add ``offset`` mV); several signals active at once add their changes, as in the NEST reproduction of Tiddia et
al. (2022): :math:`\\mu_i(t) = \\mu_i + \\sum_k [\\mu_i(A_k - 1) + \\delta_k]` over the active signals k that target
neuron i.  A :class:`Protocol` is a tuple of stimuli; protocols add with ``+``.

The functions build the paper's signals, with its values as defaults (Mongillo, Barak & Tsodyks 2008; values as in
Tiddia et al. 2022):

* :func:`load_item`: one population's drive x1.15 for 350 ms (the item enters memory);
* :func:`readout`: every excitatory neuron x1.05 for 250 ms (a nonspecific signal that reactivates what is held);
* :func:`periodic_readout`: every excitatory neuron x1.075 for 100 ms, every 300 ms;
* :func:`noise_pulse`: x1.15 for 350 ms on a random 15 % of the excitatory neurons (a different draw per trial);
* :func:`background_change`: a lasting change of the excitatory drive (``offset`` in mV), to move between regimes.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .._validation import Interval, check_instance, check_scalar, validate_params

__all__ = ["Stimulus", "Protocol", "load_item", "readout", "periodic_readout", "noise_pulse", "background_change"]

#: The most pulses one :func:`periodic_readout` builds (a longer train is a mistake in ``stop`` or ``period``).
MAX_PULSES = 100_000


def check_window(owner: str, start, stop) -> tuple[float, float]:
    """``(start, stop)`` as floats with 0 <= start < stop (stop may be infinite), or the error naming both."""
    start = check_scalar(owner, "start", start, Interval(0.0, np.inf, "left"))
    stop = check_scalar(owner, "stop", stop, Interval(0.0, np.inf, "right"))
    if stop <= start:
        raise ValueError(f"The 'start' and 'stop' parameters of {owner} must satisfy start < stop. "
                         f"Got start={start!r} and stop={stop!r} instead.")
    return start, stop

_CONSTRAINTS = {
    "onset": Interval(0.0, np.inf, "left"),
    "duration": Interval(0.0, np.inf, "right"),  # inf: until the end of the run
    "factor": Interval(0.0, np.inf, "left"),
    "offset": Interval(-np.inf, np.inf, "neither"),
    "fraction": Interval(0.0, 1.0, "right"),
}


@dataclass(frozen=True)
class Stimulus:
    """A change of the external drive of some excitatory neurons, from ``onset`` for ``duration`` s.

    ``population``: the selective population targeted (``None``: every excitatory neuron).  ``fraction``: a random
    subset of that many of the target neurons (rounded), drawn anew in every trial.  The drive of the targets
    changes by ``mu * (factor - 1) + offset`` mV while the stimulus is on; ``duration=inf`` keeps it on to the end.
    """

    onset: float
    duration: float
    factor: float = 1.0
    offset: float = 0.0
    population: int | None = None
    fraction: float = 1.0

    def __post_init__(self):
        validate_params("Stimulus", {k: getattr(self, k) for k in _CONSTRAINTS}, _CONSTRAINTS)
        if self.population is not None:
            validate_params("Stimulus", {"population": self.population},
                            {"population": Interval(0, np.inf, "left", integer=True)})

    @property
    def end(self) -> float:
        return self.onset + self.duration


@dataclass(frozen=True)
class Protocol:
    """The stimuli of a trial (times in s from the start of the run); ``a + b`` holds the stimuli of both."""

    stimuli: tuple = ()

    def __post_init__(self):
        if not isinstance(self.stimuli, tuple) or not all(isinstance(s, Stimulus) for s in self.stimuli):
            raise TypeError(f"The 'stimuli' parameter of Protocol must be a tuple of Stimulus. Got {self.stimuli!r} instead.")

    def __add__(self, other):
        check_instance("Protocol.__add__", "other", other, Protocol)
        return Protocol(self.stimuli + other.stimuli)

    def change_times(self) -> list[float]:
        """Every time at which some drive changes (sorted, finite)."""
        times = {s.onset for s in self.stimuli} | {s.end for s in self.stimuli if math.isfinite(s.end)}
        return sorted(times)

    def populations_loaded(self) -> list[int]:
        """The populations that receive an item (a stimulus aimed at one population), in order of onset."""
        out = []
        for s in sorted(self.stimuli, key=lambda s: s.onset):
            if s.population is not None and s.population not in out:
                out.append(s.population)
        return out


def load_item(population: int, onset: float, duration: float = 0.35, factor: float = 1.15) -> Protocol:
    """Load an item: the drive of one selective population times ``factor`` (paper: 1.15 for 350 ms)."""
    validate_params("load_item", {"population": population}, {"population": Interval(0, np.inf, "left", integer=True)})
    return Protocol((Stimulus(onset, duration, factor, population=population),))


def readout(onset: float, duration: float = 0.25, factor: float = 1.05) -> Protocol:
    """A nonspecific readout: every excitatory neuron's drive times ``factor`` (paper: 1.05 for 250 ms)."""
    return Protocol((Stimulus(onset, duration, factor),))


def periodic_readout(start: float, stop: float, period: float = 0.3, duration: float = 0.1,
                     factor: float = 1.075) -> Protocol:
    """Nonspecific pulses (paper: x1.075 for 100 ms every 300 ms) with onsets from ``start`` until before ``stop``."""
    start, stop = check_window("periodic_readout", start, stop)
    validate_params("periodic_readout", {"period": period}, {"period": Interval(0.0, np.inf, "neither")})
    if not math.isfinite(stop) or (stop - start) / period > MAX_PULSES:
        raise ValueError(f"The 'stop' and 'period' parameters of periodic_readout must give at most {MAX_PULSES} "
                         f"pulses. Got start={start!r}, stop={stop!r} and period={period!r} instead.")
    n = int(math.floor((stop - start) / period + 1e-9))
    n = n + 1 if start + n * period < stop - 1e-12 else n
    return Protocol(tuple(Stimulus(start + i * period, duration, factor) for i in range(n)))


def noise_pulse(onset: float, fraction: float = 0.15, duration: float = 0.35, factor: float = 1.15) -> Protocol:
    """Random nonspecific noise: ``factor`` on a random ``fraction`` of the excitatory neurons (new in each trial)."""
    return Protocol((Stimulus(onset, duration, factor, fraction=fraction),))


def background_change(onset: float, offset: float, duration: float = math.inf) -> Protocol:
    """Add ``offset`` mV to the drive of every excitatory neuron from ``onset`` (to the end of the run by default):
    lowering the background stops population spikes and clears the memory."""
    return Protocol((Stimulus(onset, duration, 1.0, offset),))
