"""Callbacks for the behaviour chapter's ``ipywidgets.interact`` widgets.

Each callback simulates, draws with this mechanism's :mod:`.plotting` and ends with ``plt.show()`` (so that
``ipywidgets.interact`` replaces the figure instead of stacking figures).  Called directly, a callback draws one
figure: that is how the tests run them headless.  ``*_figure`` returns that figure instead of showing it, and
``static_*`` precomputes it over a grid of values for the page's kernel-free sliders (:mod:`wmlib._interactive`).
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np

from .._interactive import SliderFigure, precompute
from .._validation import Interval, validate_params
from .paradigms import simulate_change_detection
from .plotting import plot_change_detection

__all__ = ["change_detection", "change_detection_figure", "static_change_detection"]


def change_detection(capacity: float = 4.0, guess: float = 0.5, n_trials: int = 200, rng: int = 0) -> None:
    """A slot-model observer in a change-detection experiment (set sizes 1-12)."""
    change_detection_figure(capacity, guess, n_trials, rng)
    plt.show()


def change_detection_figure(capacity: float = 4.0, guess: float = 0.5, n_trials: int = 200, rng: int = 0):
    """The figure of :func:`change_detection`, returned instead of shown."""
    validate_params("change_detection", {"capacity": capacity, "n_trials": n_trials},
                    {"capacity": Interval(0, 12, "both"), "n_trials": Interval(1, 10**5, "both", integer=True)})
    res = simulate_change_detection(np.arange(1, 13), capacity, n_trials, rng, guess=guess)
    return plot_change_detection({f"K = {capacity:g}": res}, capacity={f"K = {capacity:g}": capacity})


def static_change_detection() -> SliderFigure:
    """:func:`change_detection` precomputed for the page: capacities 1-8 x three guessing rates (200 trials)."""
    return precompute(lambda capacity, guess: change_detection_figure(capacity, guess, 200, 0),
                      {"capacity": [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0], "guess": [0.1, 0.5, 0.9]},
                      initial={"capacity": 4.0, "guess": 0.5},
                      labels={"capacity": "capacity K (slots)", "guess": "guessing rate g"},
                      alt="Hit and false-alarm rates against set size (left) and Cowan's K against set size (right) "
                          "for a slot observer with the chosen capacity and guessing rate.")
