"""Callbacks for the behaviour chapter's ``ipywidgets.interact`` widgets.

Each callback simulates, draws with this mechanism's :mod:`.plotting` and ends with ``plt.show()`` (so that
``ipywidgets.interact`` replaces the figure instead of stacking figures).  Called directly, a callback draws one
figure: that is how the tests run them headless.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np

from .._validation import Interval, validate_params
from .paradigms import simulate_change_detection
from .plotting import plot_change_detection

__all__ = ['change_detection']


def change_detection(capacity: float = 4.0, guess: float = 0.5, n_trials: int = 200, rng: int = 0) -> None:
    """A slot-model observer in a change-detection experiment (set sizes 1-12)."""
    validate_params("change_detection", {"capacity": capacity, "n_trials": n_trials},
                    {"capacity": Interval(0, 12, "both"), "n_trials": Interval(1, 10**5, "both", integer=True)})
    res = simulate_change_detection(np.arange(1, 13), capacity, n_trials, rng, guess=guess)
    plot_change_detection({f"K = {capacity:g}": res}, capacity={f"K = {capacity:g}": capacity})
    plt.show()
