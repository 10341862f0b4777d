r"""The spiking network of the synaptic theory of working memory (Mongillo, Barak & Tsodyks 2008).

Leaky integrate-and-fire neurons whose excitatory synapses facilitate and depress (the Tsodyks–Markram synapse of
:mod:`wmlib.synapse`): an item is held by the facilitated synapses of its population, with or without spikes.

.. math::

   \tau_m \frac{dV_i}{dt} = -V_i + \mu_{ext} + \sigma_{ext}\sqrt{\tau_m}\,\eta_i(t)
   + \tau_m \sum_j J_{ij}\, u_j x_j \sum_k \delta(t - t^j_k - d_{ij})

* :mod:`.params`: :class:`NetworkParams`, the paper's parameters (mV, s), and :meth:`NetworkParams.scaled`, a
  smaller network in which every neuron keeps its inputs;
* :mod:`.connectivity`: :func:`connect`, the random synapses (fixed in-degree), stored by presynaptic neuron;
* :mod:`.protocols`: the external signals (:func:`load_item`, :func:`readout`, :func:`periodic_readout`,
  :func:`noise_pulse`, :func:`background_change`), combined with ``+``;
* :mod:`.simulation`: :func:`simulate`, batched trials on the compiled event-driven CPU engine or, with ``device=``,
  on the torch engine (GPU); it records spikes, population rates and the population means of u, x and u·x;
* :mod:`.analysis`: population spikes, their intervals, readout success, the regime of a population;
* :mod:`.experiments`: the phase diagram over the background drive, capacity by overload;
* :mod:`.plotting` and :mod:`.widgets`: figures (they import matplotlib).
"""

from .analysis import (
    REGIMES,
    PopulationSpikes,
    alternation,
    classify_regime,
    coincident_fraction,
    inter_ps_intervals,
    population_spikes,
    readout_success,
    smoothed_rate,
)
from .connectivity import Connectivity, connect
from .experiments import Capacity, PhaseDiagram, capacity_by_overload, phase_diagram
from .params import FULL_SIZE, REGIME_DRIVES, SCALED_SIZE, NetworkParams
from .protocols import Protocol, Stimulus, background_change, load_item, noise_pulse, periodic_readout, readout
from .simulation import NetworkResult, simulate

__all__ = ["NetworkParams", "FULL_SIZE", "SCALED_SIZE", "REGIME_DRIVES", "Connectivity", "connect", "Stimulus",
           "Protocol", "load_item", "readout",
           "periodic_readout", "noise_pulse", "background_change", "NetworkResult", "simulate", "PopulationSpikes",
           "population_spikes", "inter_ps_intervals", "alternation", "coincident_fraction", "readout_success", "classify_regime",
           "smoothed_rate",
           "REGIMES", "PhaseDiagram", "phase_diagram", "Capacity", "capacity_by_overload"]
