"""Helpers shared by the plotting modules of every mechanism (imports matplotlib: used by plotting modules only)."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes

from ._validation import Interval, check_array, check_instance, check_scalar

U_COLOR, X_COLOR, RELEASE_COLOR, RATE_COLOR = "tab:blue", "tab:orange", "black", "tab:green"


def make_axes(axes, nrows: int, ncols: int, figsize, name: str = "axes", **kw):
    """Return (fig, 2-D array of axes), creating them unless ``axes`` is given (``name``: the argument's name)."""
    if axes is None:
        fig, axes = plt.subplots(nrows, ncols, figsize=figsize, squeeze=False, layout="constrained", **kw)
        return fig, axes
    arr = np.asarray(axes, dtype=object)
    what = "an Axes" if nrows * ncols == 1 else f"{nrows * ncols} Axes ({nrows} x {ncols})"
    if not all(isinstance(a, Axes) for a in arr.flat):
        raise TypeError(f"The {name!r} parameter must hold {what}. Got {axes!r} instead.")
    if arr.size != nrows * ncols:
        raise ValueError(f"The {name!r} parameter must hold {what}. Got {arr.size} instead.")
    arr = arr.reshape(nrows, ncols)
    return arr.flat[0].figure, arr


def check_numbers(owner: str, name: str, value, constraint: Interval | None = None,
                  optional: bool = True) -> dict | None:
    """Check a mapping label -> number (a time constant per curve, ...); return it as a dict of floats."""
    if value is None and optional:
        return None
    if not hasattr(value, "items"):
        raise TypeError(f"The {name!r} parameter of {owner} must be a mapping from labels to numbers. "
                        f"Got {type(value).__name__} instead.")
    constraint = Interval() if constraint is None else constraint
    return {label: check_scalar(owner, name, v, constraint) for label, v in value.items()}


def check_curve(owner: str, name: str, value, length: int | None = None, allow_nan: bool = False) -> np.ndarray:
    """Check a 1-D array of finite numbers (of ``length`` entries if given)."""
    arr = check_array(owner, name, value, Interval(), ndim=1, allow_nan=allow_nan)
    if length is not None and arr.size != length:
        raise ValueError(f"The {name!r} parameter of {owner} must hold {length} values. Got {arr.size} instead.")
    return arr


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


def check_title(owner: str, title) -> str | None:
    """A figure or panel title: a str or None."""
    return check_instance(owner, "title", title, str, optional=True)


def check_batch_index(owner: str, index, batch_shape: tuple) -> tuple:
    """``index`` selects one entry of a batch of shape ``batch_shape``: a tuple of ints, one per batch axis."""
    if isinstance(index, (int, np.integer)) and not isinstance(index, bool):
        index = (index,)
    if not isinstance(index, tuple) or not all(isinstance(i, (int, np.integer)) and not isinstance(i, bool) for i in index):
        raise TypeError(f"The 'index' parameter of {owner} must be an int or a tuple of ints (one per batch axis of "
                        f"{batch_shape}). Got {index!r} instead.")
    if len(index) != len(batch_shape) or not all(-n <= i < n for i, n in zip(index, batch_shape)):
        raise ValueError(f"The 'index' parameter of {owner} must select one run of the batch {batch_shape} "
                         f"({len(batch_shape)} ints). Got {index!r} instead.")
    return tuple(int(i) for i in index)
