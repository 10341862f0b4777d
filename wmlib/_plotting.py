"""Helpers shared by the plotting modules of every mechanism (imports matplotlib: used by plotting modules only)."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np

U_COLOR, X_COLOR, RELEASE_COLOR, RATE_COLOR = "tab:blue", "tab:orange", "black", "tab:green"


def make_axes(axes, nrows: int, ncols: int, figsize, **kw):
    """Return (fig, 2-D array of axes), creating them unless ``axes`` is given."""
    if axes is None:
        fig, axes = plt.subplots(nrows, ncols, figsize=figsize, squeeze=False, layout="constrained", **kw)
        return fig, axes
    arr = np.asarray(axes, dtype=object)
    if arr.size != nrows * ncols:
        raise ValueError(f"The 'axes' parameter must hold {nrows * ncols} Axes ({nrows} x {ncols}). Got {arr.size} instead.")
    arr = arr.reshape(nrows, ncols)
    return arr.flat[0].figure, arr


def check_mapping(name: str, value, kind: type | tuple | None = None) -> dict:
    """Check that ``value`` is a non-empty mapping label -> result."""
    if not hasattr(value, "items") or len(value) == 0:
        raise TypeError(f"The {name!r} parameter must be a non-empty mapping from labels to results. Got {type(value).__name__} instead.")
    if kind is not None:
        for label, item in value.items():
            if not isinstance(item, kind):
                names = kind.__name__ if isinstance(kind, type) else " or ".join(k.__name__ for k in kind)
                raise TypeError(f"The {name!r} parameter must map labels to {names}. Got {type(item).__name__} for {label!r}.")
    return dict(value)
