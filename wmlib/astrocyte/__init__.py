r"""Astrocytes as a memory substrate: the neuron–astrocyte network of Gordleeva et al. (2021) and Tsybina et al. (2022).

A layer of spiking neurons (Izhikevich) under a layer of astrocytes (Ullah et al. 2006).  Neurons that fire
together release glutamate; the astrocytes above them produce IP3 and, a second later, a calcium rise that lasts
seconds; while their calcium is high they strengthen the synapses onto their neurons.  An image loaded into the
neurons is therefore kept through a silent delay by the astrocytes' calcium, and a noisy cue recalls it.

* :mod:`.izhikevich`, :mod:`.ullah`: the two cell models (one file each), with their equations;
* :mod:`.params`: :class:`AnalogParams` (Tsybina et al. 2022, grey-level images, graded facilitation) and
  :class:`BinaryParams` (Gordleeva et al. 2021, black-and-white patterns, all-or-none facilitation);
* :mod:`.grid`, :mod:`.wiring`: the two layers' geometry and the synapses (:func:`connect`, :func:`store_image`);
* :mod:`.simulation`: :func:`simulate`, batched trials on the compiled CPU engine or, with ``device=``, on torch;
* :mod:`.images`: images and cues from installed packages; :mod:`.recall` (grey-level images, PSNR) and
  :mod:`.patterns` (binary digits, the pattern score): the published protocols;
* :mod:`.plotting` and :mod:`.widgets`: figures (they import matplotlib).
"""

from .grid import astrocyte_of, to_neuron_grid, zones
from .images import OTHER_IMAGES, digit_patterns, flip, noisy, other_image, portrait, salt_and_pepper
from .izhikevich import IzhikevichParams
from .params import GRID_SIZES, AnalogParams, BinaryParams, astrocytes_per_side
from .patterns import PatternMemory, learn_and_test, pattern_score
from .recall import Cue, Recall, cue_current, image_cue, load_current, psnr, recall, uniform_cue
from .simulation import AstroResult, Pulses, State, Stimulus, background_pulses, initial_state, simulate
from .ullah import CellResponse, UllahParams, response, rest_state
from .wiring import Wiring, connect, store_image

__all__ = ["IzhikevichParams", "UllahParams", "rest_state", "response", "CellResponse", "AnalogParams",
           "BinaryParams", "GRID_SIZES", "astrocytes_per_side", "zones", "astrocyte_of", "to_neuron_grid", "Wiring",
           "connect", "store_image", "State", "Stimulus", "Pulses", "AstroResult", "initial_state",
           "background_pulses", "simulate", "portrait", "other_image", "OTHER_IMAGES", "digit_patterns", "noisy",
           "salt_and_pepper", "flip", "Cue", "image_cue", "uniform_cue", "load_current", "cue_current", "psnr",
           "Recall", "recall", "pattern_score", "PatternMemory", "learn_and_test"]
