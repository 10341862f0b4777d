"""The synapses between neurons, stored by presynaptic neuron (compressed sparse rows).

* :class:`AnalogParams` (Tsybina et al. 2022): each neuron makes ``n_out`` synapses onto neurons drawn uniformly
  over the whole grid, with replacement (as in the authors' code, a pair may be connected twice and a neuron may
  contact itself).  :func:`store_image` then sets every weight from the image to be remembered,
  :math:`g_{ij} = g_{min} + (g_{max} - g_{min})\\,w^{|P_i - P_j|}` with :math:`P` the pixel's intensity on a 0-255 scale:
  neurons of similar grey level are strongly coupled, others barely.  This is the network's long-term memory (a
  Hebbian imprint of the image, set before the run); the astrocytes add the short-term one.
* :class:`BinaryParams` (Gordleeva et al. 2021): each neuron makes ``n_out`` synapses onto distinct other neurons
  at offset :math:`(R\\cos\\phi, R\\sin\\phi)` rounded towards zero, :math:`R` exponential with mean
  ``wiring_scale``, :math:`\\phi` uniform; offsets leaving the grid, pointing to the neuron itself or repeating a
  target are drawn again.  Every weight is ``g_syn``.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .._validation import Interval, check_array, check_instance, check_memory, check_random_state
from .params import AnalogParams, BinaryParams

__all__ = ["Wiring", "connect", "store_image"]

_UNIT = Interval(0.0, 1.0, "both")


class Wiring(NamedTuple):
    """Synapses grouped by presynaptic neuron: those of neuron j are ``indptr[j]:indptr[j + 1]``, sorted by target."""

    indptr: np.ndarray  #: (n_neurons + 1,) int64 offsets
    target: np.ndarray  #: (n_synapses,) int64 postsynaptic neuron
    weight: np.ndarray  #: (n_synapses,) float64 conductance g_ij

    @property
    def n_neurons(self) -> int:
        return int(self.indptr.size - 1)

    @property
    def n_synapses(self) -> int:
        return int(self.target.size)

    def sources(self) -> np.ndarray:
        """(n_synapses,) presynaptic neuron of every synapse."""
        return np.repeat(np.arange(self.n_neurons, dtype=np.int64), np.diff(self.indptr))


def _local_targets(params: BinaryParams, rng: np.random.Generator) -> np.ndarray:
    size, k = params.size, params.n_out
    n = size * size
    rows, cols = np.divmod(np.arange(n), size)
    out = np.full((n, k), -1, dtype=np.int64)
    filled = np.zeros(n, dtype=np.int64)
    todo = np.arange(n)
    while todo.size:
        m = 4 * k  # candidates per neuron and round
        radius = rng.exponential(params.wiring_scale, size=(todo.size, m))
        angle = rng.uniform(0.0, 2 * np.pi, size=(todo.size, m))
        r = rows[todo, None] + np.trunc(radius * np.cos(angle)).astype(np.int64)
        c = cols[todo, None] + np.trunc(radius * np.sin(angle)).astype(np.int64)
        valid = (r >= 0) & (r < size) & (c >= 0) & (c < size) & ~((r == rows[todo, None]) & (c == cols[todo, None]))
        cand = np.where(valid, r * size + c, -1)
        # keep, per neuron, the new distinct targets in the order drawn, up to the number still missing
        row = np.repeat(np.arange(todo.size), m)
        pos = np.tile(np.arange(m), todo.size)
        flat = cand.reshape(-1)
        keep = flat >= 0
        row, pos, flat = row[keep], pos[keep], flat[keep]
        have = out[todo] >= 0
        old_row = np.nonzero(have)[0]
        keys = np.concatenate([old_row * n + out[todo][have], row * n + flat])
        order = np.concatenate([np.full(old_row.size, -1), pos])  # existing targets come first
        _, first = np.unique(keys, return_index=True)
        fresh = first[first >= old_row.size] - old_row.size  # first occurrences among the new candidates only
        fresh = fresh[np.lexsort((order[old_row.size:][fresh], row[fresh]))]
        r_new, t_new = row[fresh], flat[fresh]
        rank = np.arange(r_new.size) - np.searchsorted(r_new, r_new)  # 0, 1, 2, ... within each neuron
        slot = filled[todo][r_new] + rank
        ok = slot < k
        out[todo[r_new[ok]], slot[ok]] = t_new[ok]
        filled[todo] += np.bincount(r_new[ok], minlength=todo.size)
        todo = todo[filled[todo] < k]
    return out


def connect(params, rng) -> Wiring:
    """Draw the synapses of a network with ``params`` (:class:`AnalogParams` or :class:`BinaryParams`).

    For :class:`AnalogParams` every weight is ``g_max`` until :func:`store_image` sets them from an image.
    """
    check_instance("connect", "params", params, (AnalogParams, BinaryParams))
    rng = check_random_state(rng, "rng", "connect")
    n, k = params.n_neurons, params.n_out
    check_memory("connect", n * k * 8 * 6, f"{n * k:,} synapses")
    if isinstance(params, AnalogParams):
        targets = np.sort(rng.integers(0, n, size=(n, k)), axis=1)
        weight = np.full(n * k, params.g_max)
    else:
        if params.n_out > min(n - 1, 24 * params.wiring_scale ** 2 + 8):
            raise ValueError(f"The 'n_out' parameter of BinaryParams ({params.n_out}) asks for more distinct nearby "
                             f"targets than a wiring scale of {params.wiring_scale:g} neurons offers; lower it or raise "
                             f"'wiring_scale'.")
        targets = np.sort(_local_targets(params, rng), axis=1)
        weight = np.full(n * k, params.g_syn)
    indptr = np.arange(n + 1, dtype=np.int64) * k
    return Wiring(indptr, targets.reshape(-1).astype(np.int64), weight)


def store_image(wiring: Wiring, image, params: AnalogParams) -> Wiring:
    """The same synapses with the weights of Tsybina et al. (2022) for ``image`` (``(size, size)``, intensity in [0,
    1]): :math:`g_{ij} = g_{min} + (g_{max} - g_{min}) w^{|P_i - P_j|}`, P = round(255 * intensity)."""
    owner = "store_image"
    check_instance(owner, "wiring", wiring, Wiring)
    check_instance(owner, "params", params, AnalogParams)
    image = check_array(owner, "image", image, _UNIT, ndim=2)
    if image.shape != (params.size, params.size):
        raise ValueError(f"The 'image' parameter of {owner} must have shape ({params.size}, {params.size}) (the "
                         f"'size' of params). Got shape {image.shape} instead.")
    if wiring.n_neurons != params.n_neurons:
        raise ValueError(f"The 'wiring' parameter of {owner} must connect {params.n_neurons} neurons (made by connect "
                         f"with the same params). Got {wiring.n_neurons} instead.")
    level = np.round(255.0 * image.reshape(-1))
    diff = np.abs(level[wiring.sources()] - level[wiring.target])
    weight = params.g_min + (params.g_max - params.g_min) * params.w_grey ** diff
    return wiring._replace(weight=weight)
