"""Callbacks for the dynamic-synapse chapter's ``ipywidgets.interact`` widgets.

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
from . import model as synapse
from .plotting import plot_burst_memory, plot_train_responses

__all__ = ["train_response", "train_response_figure", "static_train_response", "burst_memory"]


def train_response(U: float = 0.2, tau_f: float = 1.5, tau_d: float = 0.2, rate: float = 20.0,
                   n_spikes: int = 10, u_rest: str = "U") -> None:
    """One synapse driven by a regular train, then 0.8 s of silence and a probe spike.

    Parameters are those of :class:`wmlib.synapse.TMParams` (times in s) and
    the train's rate (Hz) and length.  The title reports the closed-form
    steady-state release for comparison with the last spikes.
    """
    train_response_figure(U, tau_f, tau_d, rate, n_spikes, u_rest)
    plt.show()


def train_response_figure(U: float = 0.2, tau_f: float = 1.5, tau_d: float = 0.2, rate: float = 20.0,
                          n_spikes: int = 10, u_rest: str = "U"):
    """The figure of :func:`train_response`, returned instead of shown."""
    validate_params("train_response", {"rate": rate, "n_spikes": n_spikes},
                    {"rate": Interval(0, 1000, "right"), "n_spikes": Interval(1, 200, "both", integer=True)})
    params = synapse.TMParams(U=U, tau_f=tau_f, tau_d=tau_d, u_rest=u_rest)
    train = synapse.regular_train(rate, int(n_spikes))
    spikes = np.append(train, train[-1] + 0.8)
    t = np.linspace(0.0, spikes[-1] + 0.4, 1500)
    res = synapse.simulate_spikes(spikes, params, t_eval=t)
    steady = synapse.steady_state_regular(rate, params).release
    label = f"U={U:g}, $\\tau_f$={tau_f:g} s, $\\tau_d$={tau_d:g} s, {rate:g} Hz (steady release {float(steady):.3f})"
    fig = plot_train_responses({label: res})
    fig.set_size_inches(8, 5.5)
    return fig


def static_train_response() -> SliderFigure:
    """:func:`train_response` precomputed for the page: 5 facilitation x 5 recovery time constants (U = 0.2,
    10 spikes at 20 Hz), each slider one time constant."""
    return precompute(lambda tau_f, tau_d: train_response_figure(0.2, tau_f, tau_d, 20.0, 10),
                      {"tau_f": [0.05, 0.2, 0.5, 1.5, 3.0], "tau_d": [0.05, 0.2, 0.5, 1.0, 2.0]},
                      initial={"tau_f": 1.5, "tau_d": 0.2},
                      labels={"tau_f": "facilitation time constant τ_f (s)", "tau_d": "recovery time constant τ_d (s)"},
                      alt="Response of one synapse to ten spikes at 20 Hz and a late probe spike: u and x, the "
                          "release of each spike and the postsynaptic current, for the chosen time constants.")


def burst_memory(tau_f: float = 1.5, tau_d: float = 0.2, U: float = 0.2, burst_rate: float = 50.0) -> None:
    """How long a 10-spike burst is remembered by one synapse (probe release vs delay)."""
    validate_params("burst_memory", {"burst_rate": burst_rate}, {"burst_rate": Interval(0, 1000, "right")})
    params = synapse.TMParams(U=U, tau_f=tau_f, tau_d=tau_d)
    burst = synapse.regular_train(burst_rate, 10)
    t = np.linspace(0.0, 4.0, 800)
    label = f"$\\tau_f$={tau_f:g} s, $\\tau_d$={tau_d:g} s, U={U:g}"
    trace = synapse.simulate_spikes(burst, params, t_eval=t)
    probe = synapse.probe_after_burst(params, np.linspace(0.05, 4.0, 60), burst_rate=burst_rate)
    plot_burst_memory({label: trace}, {label: probe}, tau_f={label: tau_f})
    plt.show()
