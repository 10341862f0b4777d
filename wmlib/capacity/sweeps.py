"""Capacity measured by simulation: items held after a load, sweeps over loads, the critical background, the
state of a cluster before it reignites, and retention by serial position."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .._validation import Interval, check_array, check_instance, validate_params
from .integrate import simulate, summarize
from .params import ClusterParams, LoadingProtocol, gain
from .spikes import population_spikes

__all__ = ["capacity", "LoadSweep", "load_sweep", "max_capacity", "critical_background", "ReignitionState",
           "reignition_state", "retention_by_position"]

def capacity(params: ClusterParams, n_items: int = 5, duration: float = 2.5, window: float = 1.0, **kwargs) -> np.ndarray:
    """Number of loaded items still held (clusters emitting PS in the last ``window`` s), per batch entry.

    ``kwargs`` go to :func:`simulate` (``protocol`` defaults to :class:`LoadingProtocol` with ``n_items``).
    """
    check_instance("capacity", "params", params, ClusterParams)
    validate_params("capacity", {"n_items": n_items}, {"n_items": Interval(0, params.n_clusters, "both", integer=True)})
    protocol = kwargs.pop("protocol", LoadingProtocol(n_items=n_items))
    return summarize(params, protocol, duration, window=window, **kwargs).n_active


class LoadSweep(NamedTuple):
    """What :func:`load_sweep` finds for each parameter set."""

    capacity: np.ndarray  #: (*batch,) most items held over the loads
    load: np.ndarray  #: (*batch,) the largest load that leaves that many items
    spacing: np.ndarray  #: (*batch,) spacing t_s between successive PS after that load (NaN with < 2 PS)


def load_sweep(params: ClusterParams, max_items: int | None = None, duration: float = 4.0, window: float = 1.5,
               loads=None, **kwargs) -> LoadSweep:
    """Load 1, 2, ..., ``max_items`` items (default: all P clusters), or the sizes in ``loads``, and
    keep, per parameter set, the most items held at the end, with the load and the PS spacing
    that go with it (the network "full": the spacing the theory's :math:`t_s` describes).

    Loading far more items than the network holds can make it lose more than the surplus, even
    all of them (the late items keep interrupting the turn-taking of the early ones, see the
    chapter's exercise), so the number kept after one large load underestimates the capacity;
    the maximum over loads does not.  Each load is one batched call over the parameter sets;
    ``kwargs`` go to :func:`summarize`.
    """
    check_instance("load_sweep", "params", params, ClusterParams)
    P = params.n_clusters
    if loads is None:
        max_items = P if max_items is None else max_items
        validate_params("load_sweep", {"max_items": max_items}, {"max_items": Interval(1, P, "both", integer=True)})
        loads = range(1, int(max_items) + 1)
    loads = [int(k) for k in check_array("load_sweep", "loads", loads, Interval(1, P, "both", integer=True), ndim=(0, 1))
             .reshape(-1)]
    runs = [summarize(params, LoadingProtocol(n_items=k), duration, window=window, **kwargs) for k in loads]
    held = np.stack([r.n_active for r in runs])
    best = len(loads) - 1 - np.argmax(held[::-1], axis=0)  # the last (largest) load reaching the maximum
    pick = lambda a: np.take_along_axis(a, best[None], axis=0)[0]  # noqa: E731
    return LoadSweep(held.max(axis=0), pick(np.stack([np.broadcast_to(k, held.shape[1:]) for k in loads])),
                     pick(np.stack([r.spacing for r in runs])))


def max_capacity(params: ClusterParams, max_items: int | None = None, duration: float = 4.0,
                 window: float = 1.5, loads=None, **kwargs) -> np.ndarray:
    """Capacity as the most items the network can hold over loads of 1..``max_items`` items (or
    the sizes in ``loads``): ``load_sweep(...).capacity``, see :func:`load_sweep`."""
    return load_sweep(params, max_items, duration, window, loads, **kwargs).capacity


def critical_background(params: ClusterParams = ClusterParams(), lo: float = 0.0, hi: float = 8.0,
                        duration: float = 12.0, window: float = 2.0, n_grid: int = 33) -> float:
    """Simulated critical background :math:`I_{crit}`: the smallest :math:`I_b` at which one loaded
    item is still held after ``duration`` s.

    Two batched grid passes (``n_grid`` values over [lo, hi], then ``n_grid`` values inside the
    bracketing step), so the resolution is ``(hi - lo) / (n_grid - 1)**2``.  Near the threshold
    the PS of a lone item slow down over several seconds before stopping, hence the long run.
    ``params.I_b`` is ignored.  Raises ``ValueError`` if the item is held at ``lo`` or lost at ``hi``.
    """
    check_instance("critical_background", "params", params, ClusterParams)
    if params.batch_shape != ():
        raise ValueError("The 'params' parameter of critical_background must be a single parameter set (no array fields).")
    validate_params("critical_background", {"n_grid": n_grid, "lo": lo, "hi": hi},
                    {"n_grid": Interval(3, 1000, "both", integer=True), "lo": Interval(-np.inf, np.inf, "neither"),
                     "hi": Interval(-np.inf, np.inf, "neither")})
    if not lo < hi:
        raise ValueError(f"The 'lo' parameter of critical_background must be below 'hi' = {hi!r}. Got {lo!r} instead.")
    one = LoadingProtocol(n_items=1)
    for _ in range(2):
        grid = np.linspace(lo, hi, int(n_grid))
        held = summarize(params.replace(I_b=grid), one, duration, window=window).n_active > 0
        if held[0] or not held[-1]:
            raise ValueError(f"One item is {'held' if held[0] else 'lost'} at I_b = {grid[0 if held[0] else -1]:g}: "
                             f"widen the range from 'lo' = {lo:g} to 'hi' = {hi:g}.")
        first = int(np.argmax(held))
        lo, hi = grid[first - 1], grid[first]
    return float(hi)


class ReignitionState(NamedTuple):
    """Output of :func:`reignition_state` (floats)."""

    J_max: float  #: J_EE u x at the efficacy peak before the next PS
    I_inh: float  #: J_EI R(h_I) at that moment
    h0: float  #: lowest current of the cluster after its PS
    u0: float  #: u when the PS is over
    x0: float  #: x when the PS is over
    period: float  #: time between the last two PS, s
    time_before_ps: float  #: time from the efficacy peak to the next PS, s


def reignition_state(params: ClusterParams = ClusterParams(), duration: float = 4.0) -> ReignitionState:
    r"""What a lone held item's cluster feels just before it reignites: :math:`J_{max}` and :math:`I_{inh}`.

    One item is loaded and the run recorded; in the last complete interval between two of its
    PS, while the cluster is still quiet (rate below 1 Hz), we take the moment its efficacy
    peaks and return

    * ``J_max`` :math:`= J_{EE}\,u x` at that moment (its strongest self-excitation),
    * ``I_inh`` :math:`= J_{EI} R(h_I)` at that moment (the inhibition it must overcome),
    * ``h0``: the lowest current of the cluster after its PS (how deep inhibition pushed it),
    * ``u0``, ``x0``: its synaptic variables when the PS is over (rate back below 1 Hz), the
      starting point of :func:`peak_efficacy`,
    * ``period``: the time between its last two PS.

    These are the quantities of eqs. 6-7; :func:`critical_input` turns the first two into
    :math:`I_{crit}`.  Returns a :class:`ReignitionState`.
    """
    check_instance("reignition_state", "params", params, ClusterParams)
    if params.batch_shape != ():
        raise ValueError("The 'params' parameter of reignition_state must be a single parameter set (no array fields).")
    res = simulate(params, LoadingProtocol(n_items=1), duration, record_every=1)
    t, rate = res.t, res.rate[:, 0]
    spikes = population_spikes(t, rate)
    if len(spikes) < 3:
        raise ValueError(f"The loaded item is not held for {duration:g} s at I_b = {params.I_b:g} "
                         "(fewer than 3 population spikes): raise I_b or the duration.")
    start, stop = np.searchsorted(t, spikes[-2]), np.searchsorted(t, spikes[-1])
    quiet = np.arange(start, stop)[rate[start:stop] < 1.0]
    eff = params.J_EE * res.efficacy[quiet, 0]
    k = quiet[int(np.argmax(eff))]
    end = quiet[0]  # the PS is over
    return ReignitionState(J_max=float(eff.max()), I_inh=float(params.J_EI * gain(res.h_I[k], params.alpha)),
                           h0=float(res.h[start:stop, 0].min()), u0=float(res.u[end, 0]), x0=float(res.x[end, 0]),
                           period=float(spikes[-1] - spikes[-2]), time_before_ps=float(t[stop] - t[k]))


def retention_by_position(params: ClusterParams, n_items: int, n_trials: int = 100, rng=0,
                          duration: float = 3.0, window: float = 1.0, **protocol) -> np.ndarray:
    """Fraction of noisy trials in which the item presented ``k``-th is still held at the end.

    ``params.noise`` must be > 0 (without noise every trial is the same).  Returns an array of
    shape (*batch, n_items): the serial-position curve of retention.
    """
    check_instance("retention_by_position", "params", params, ClusterParams)
    if not np.all(np.asarray(params.noise) > 0):
        raise ValueError("The 'noise' field of 'params' must be > 0 for retention_by_position (without noise every "
                         "trial is the same).")
    validate_params("retention_by_position", {"n_items": n_items, "n_trials": n_trials},
                    {"n_items": Interval(1, params.n_clusters, "both", integer=True),
                     "n_trials": Interval(1, np.inf, "left", integer=True)})
    s = summarize(params, LoadingProtocol(n_items=int(n_items), **protocol), duration, n_trials=n_trials,
                  rng=rng, window=window)
    return s.active[..., : int(n_items)].mean(-2)
