"""Callbacks for the network chapter's ``ipywidgets.interact`` widget and its in-page slider figure.

:func:`network_readout` loads item 0 into the scaled network (:data:`~wmlib.network.params.SCALED_SIZE` neurons,
every neuron with the inputs it has in the full network), sends a nonspecific readout after a chosen delay, draws the
trial with :func:`~wmlib.network.plotting.plot_trial` and ends with ``plt.show()`` (so that ``interact`` replaces
the figure).  :func:`network_readout_figure` returns the figure instead.  :func:`static_network_readout` draws the
same figure for the precomputed runs of the full network (:mod:`.precomputed`) over a grid of drives and delays, for
the page's kernel-free sliders (:mod:`wmlib._interactive`).
"""

from __future__ import annotations

import matplotlib.pyplot as plt

from .._interactive import SliderFigure, precompute
from .._validation import Interval, validate_params
from . import precomputed
from .analysis import classify_regime, readout_success
from .params import SCALED_SIZE, NetworkParams
from .plotting import plot_trial
from .protocols import load_item, readout
from .simulation import NetworkResult, simulate

__all__ = ["network_readout", "network_readout_figure", "static_network_readout"]

CUE, CUE_END = precomputed.CUE, precomputed.CUE_END  # the cue of the shipped runs (the paper's 350 ms)
READOUT = 0.25  # the paper's readout, s


def _title(result: NetworkResult, mu_exc: float, delay: float) -> str:
    onset = CUE_END + delay
    regime = classify_regime(result, CUE_END + 0.3, onset, 0)[0] if delay > 0.3 else "-"
    hit = readout_success(result, onset, READOUT)[0]
    answered = ", ".join(str(k) for k in range(hit.size) if hit[k]) or "none"
    return (f"$\\mu_{{ext}}$ = {mu_exc:g} mV, readout {delay:g} s after the cue: delay {regime}; "
            f"population spikes at readout: {answered}")


def _draw(result: NetworkResult, mu_exc: float, delay: float):
    return plot_trial(result, n_show=30, smooth=0.01, title=_title(result, mu_exc, delay))


def network_readout_figure(mu_exc: float = 22.4, delay: float = 1.0, n_neurons: int = SCALED_SIZE, seed: int = 0):
    """The figure of :func:`network_readout`, returned instead of shown."""
    validate_params("network_readout", {"delay": delay, "n_neurons": n_neurons, "seed": seed},
                    {"delay": Interval(0.0, 5.0, "both"), "n_neurons": Interval(2000, 10_000, "both", integer=True),
                     "seed": Interval(0, 2**31, "left", integer=True)})
    params = NetworkParams(mu_exc=mu_exc).scaled(int(n_neurons))
    onset = CUE_END + delay
    result = simulate(params, load_item(0, CUE) + readout(onset, READOUT), onset + READOUT + 0.25,
                      rng=seed, network=seed)
    return _draw(result, mu_exc, delay)


def network_readout(mu_exc: float = 22.4, delay: float = 1.0, n_neurons: int = SCALED_SIZE, seed: int = 0) -> None:
    """Load item 0 (population 0's drive x1.15 for 350 ms at 1 s), read out after ``delay`` s, and show the trial.

    ``mu_exc`` is the excitatory background drive (mV): about 22.4 holds the item silently, 23.5 with periodic
    population spikes, 24.7 with persistent firing (Mongillo, Barak & Tsodyks 2008).  The title names the delay's
    regime and the populations that answer the readout with a population spike.
    """
    network_readout_figure(mu_exc, delay, n_neurons, seed)
    plt.show()


def static_network_readout() -> SliderFigure:
    """:func:`network_readout` for the precomputed runs of the full network: drive x delay (kernel-free sliders)."""
    runs = precomputed.load("slider")
    return precompute(lambda mu_exc, delay: _draw(runs[f"{mu_exc:g}_{delay:g}"], mu_exc, delay),
                      {"mu_exc": list(precomputed.SLIDER_DRIVES), "delay": list(precomputed.SLIDER_DELAYS)},
                      initial={"mu_exc": precomputed.SLIDER_DRIVES[0], "delay": 1.0},
                      labels={"mu_exc": "background drive (mV)", "delay": "readout delay (s)"},
                      alt="Raster, population rates and synaptic efficacy of one trial of the full network: an item "
                          "is loaded at 1 s and a nonspecific readout follows after the chosen delay.")
