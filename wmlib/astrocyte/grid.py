"""Geometry of the two layers: which neurons each astrocyte covers, and which astrocyte acts on each neuron.

Neurons sit on a ``size`` × ``size`` grid, numbered row by row (neuron ``r * size + c``); astrocytes on an
``n`` × ``n`` grid with ``size = 3 n + 1``, numbered the same way.  Astrocyte ``(j, k)`` covers the 4 × 4 block of
neurons in rows ``3j .. 3j + 3`` and columns ``3k .. 3k + 3``, so neighbouring blocks share a row or a column: it
*listens to* those 16 neurons (their glutamate drives it).  Each neuron is *acted on* by one astrocyte: for a neuron
in a shared row or column, the later of the two (``min(r // 3, n - 1)``), as in the authors' code.
"""

from __future__ import annotations

import numpy as np

from .._validation import Interval, check_array, check_scalar

__all__ = ["zones", "astrocyte_of", "to_neuron_grid"]

_SIZE = Interval(4, 3001, "both", integer=True)


def _size(owner, size):
    size = check_scalar(owner, "size", size, _SIZE)
    if size % 3 != 1:
        raise ValueError(f"The 'size' parameter of {owner} must be an int of the form 3 * n + 1. Got {size!r} instead.")
    return size


def zones(size: int) -> np.ndarray:
    """(n_astrocytes, 16) int64: the neurons each astrocyte covers, row by row within the block."""
    size = _size("zones", size)
    n = (size - 1) // 3
    j, k = np.divmod(np.arange(n * n), n)
    dr, dc = np.divmod(np.arange(16), 4)
    rows = 3 * j[:, None] + dr[None, :]
    cols = 3 * k[:, None] + dc[None, :]
    return (rows * size + cols).astype(np.int64)


def astrocyte_of(size: int) -> np.ndarray:
    """(size * size,) int64: the astrocyte that acts on each neuron (the later one on a shared row or column)."""
    size = _size("astrocyte_of", size)
    n = (size - 1) // 3
    line = np.minimum(np.arange(size) // 3, n - 1)
    return (line[:, None] * n + line[None, :]).reshape(-1).astype(np.int64)


def to_neuron_grid(values, size: int) -> np.ndarray:
    """Spread astrocyte values (``(..., n_astrocytes)``) onto the neuron grid (``(..., size, size)``): each neuron
    takes the value of the astrocyte that acts on it."""
    size = _size("to_neuron_grid", size)
    n = (size - 1) // 3
    values = check_array("to_neuron_grid", "values", values)
    if values.ndim < 1 or values.shape[-1] != n * n:
        raise ValueError(f"The 'values' parameter of to_neuron_grid must have {n * n} astrocytes on its last axis "
                         f"(a {size} x {size} neuron grid). Got shape {values.shape} instead.")
    return values[..., astrocyte_of(size)].reshape(values.shape[:-1] + (size, size))
