"""Checkers for the exercises of the capacity chapter (see :mod:`wmlib.check`)."""

from __future__ import annotations

import numpy as np

from wmlib.capacity.integrate import summarize
from wmlib.capacity.params import ClusterParams, LoadingProtocol
from wmlib.check import Mismatch, checker, passed


@checker("cap-ex-load")
def items_held(loads, held) -> None:
    """Check ``held[k]``, the items still active at the end after loading ``loads[k]`` items, with ``I_b`` = 4.

    The runs are those of the exercise: :func:`summarize` of a 4 s run, the last 1.5 s as the window.
    """
    loads = np.asarray(loads)
    try:
        held = np.asarray(held, dtype=float)
    except (TypeError, ValueError):
        raise TypeError(f"check.items_held takes the numbers of items held; got {held!r}.") from None
    if loads.ndim != 1 or held.shape != loads.shape:
        raise Mismatch(f"give one number of items held per load: {loads.size} loads, but held has shape {held.shape}.")
    params = ClusterParams(I_b=4.0)
    for n_items, got in zip(loads.tolist(), held.tolist()):
        expected = int(summarize(params, LoadingProtocol(n_items=int(n_items)), duration=4.0, window=1.5).n_active)
        if got != expected:
            raise Mismatch(f"after loading {n_items} items you count {got:g} held; the simulation of the exercise "
                           f"(4 s, the last 1.5 s as the window) holds {expected}.")
    passed(f"items_held: the {loads.size} counts agree with the simulations.")
