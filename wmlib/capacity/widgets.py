"""Callbacks for the capacity chapter's ``ipywidgets.interact`` widgets.

Each callback simulates, draws with this mechanism's :mod:`.plotting` and ends with ``plt.show()`` (so that
``ipywidgets.interact`` replaces the figure instead of stacking figures).  Called directly, a callback draws one
figure: that is how the tests run them headless.  ``*_figure`` returns that figure instead of showing it, and
``static_*`` precomputes it over a grid of values for the page's kernel-free sliders (:mod:`wmlib._interactive`).
"""

from __future__ import annotations

import matplotlib.pyplot as plt

from .._interactive import SliderFigure, precompute
from .._validation import Interval, validate_params
from .integrate import simulate
from .params import ClusterParams, LoadingProtocol
from .plotting import plot_loading
from .spikes import active_clusters

__all__ = ["capacity_loading", "capacity_loading_figure", "static_capacity_loading"]


def capacity_loading(I_b: float = 3.5, tau_d: float = 0.3, n_items: int = 5, spacing: float = 0.1,
                     duration: float = 2.5) -> None:
    """Load ``n_items`` into the cluster model (Mi, Katkov & Tsodyks 2017) and show which survive.

    ``I_b`` background input, ``tau_d`` depression time constant (s), ``spacing`` time between item
    onsets (s).  The title gives the number of items still emitting population spikes in the last second.
    """
    capacity_loading_figure(I_b, tau_d, n_items, spacing, duration)
    plt.show()


def capacity_loading_figure(I_b: float = 3.5, tau_d: float = 0.3, n_items: int = 5, spacing: float = 0.1,
                            duration: float = 2.5):
    """The figure of :func:`capacity_loading`, returned instead of shown."""
    validate_params("capacity_loading", {"n_items": n_items, "spacing": spacing, "duration": duration},
                    {"n_items": Interval(1, 16, "both", integer=True), "spacing": Interval(0, 1, "right"),
                     "duration": Interval(0, 60, "right")})
    params = ClusterParams(I_b=I_b, tau_d=tau_d)
    protocol = LoadingProtocol(n_items=int(n_items), spacing=spacing)
    res = simulate(params, protocol, duration)
    kept = int(active_clusters(res, window=min(1.0, duration / 2)).sum())
    return plot_loading(res, params.J_EE, protocol,
                        title=f"I_b = {I_b:g}, tau_d = {tau_d:g} s: {kept} of {n_items} items held")


def static_capacity_loading() -> SliderFigure:
    """:func:`capacity_loading` precomputed for the page: three background inputs x three loads (2.5 s runs)."""
    return precompute(lambda I_b, n_items: capacity_loading_figure(I_b, 0.3, n_items, 0.1, 2.5),
                      {"I_b": [3.5, 5.0, 8.0], "n_items": [4, 5, 6]},
                      initial={"I_b": 3.5, "n_items": 5},
                      labels={"I_b": "background input I_b", "n_items": "items loaded"},
                      alt="Population spikes of every cluster and the self-excitation of the loaded clusters after "
                          "loading the chosen number of items at the chosen background input.")
