r"""The spiking network of the synaptic theory of working memory (Mongillo, Barak & Tsodyks 2008).

Leaky integrate-and-fire neurons whose excitatory synapses facilitate and depress (the Tsodyks–Markram synapse of
:mod:`wmlib.synapse`): an item is held by the facilitated synapses of its population, with or without spikes.

* :mod:`.params`: :class:`NetworkParams`, the paper's parameters (mV, s), and :meth:`NetworkParams.scaled`, a
  smaller network with the same mean inputs;
* :mod:`.connectivity`: :func:`connect`, the random synapses (fixed in-degree), stored by presynaptic neuron.
"""

from .connectivity import Connectivity, connect
from .params import FULL_SIZE, NetworkParams

__all__ = ["NetworkParams", "FULL_SIZE", "Connectivity", "connect"]
