"""Figures for the capacity model (:mod:`wmlib.capacity`)."""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from ._common import make_axes

__all__ = ["plot_loading"]


def plot_loading(result, J_EE: float = 8.0, protocol=None, n_show: int | None = None, index=(), axes=None,
                 title: str | None = None) -> Figure:
    """Population spikes of every cluster (top) and its synaptic strength J_EE u x (bottom).

    Parameters
    ----------
    result : wmlib.capacity.ClusterResult
        From :func:`wmlib.capacity.simulate`.
    J_EE : float, default=8.0
        Recurrent strength, to draw the efficacy as J_EE u x (the effective self-excitation).
    protocol : wmlib.capacity.LoadingProtocol, optional
        Shades the loading pulses.
    n_show : int, optional
        Clusters to draw in the bottom panel (default: the loaded ones, or all).
    index : tuple, default=()
        Which entry of a batched result to draw.
    """
    from ..capacity import ClusterResult

    if not isinstance(result, ClusterResult):
        raise TypeError(f"The 'result' parameter must be a ClusterResult. Got {type(result).__name__} instead.")
    index = tuple(np.atleast_1d(index)) if np.size(index) else ()
    rate = result.rate[(slice(None),) + index]
    eff = result.efficacy[(slice(None),) + index]
    if rate.ndim != 2:
        raise ValueError(f"The 'index' parameter must select one run of the batch {result.h.shape[1:-1]}. Got {index}.")
    P = rate.shape[1]
    if n_show is None:
        n_show = protocol.n_items if protocol is not None and protocol.n_items > 0 else P
    if not isinstance(n_show, (int, np.integer)) or not 1 <= n_show <= P:
        raise ValueError(f"The 'n_show' parameter must be an int in the range [1, {P}]. Got {n_show!r} instead.")
    t = result.t
    fig, ax = make_axes(axes, 2, 1, (8, 5.2), sharex="col", gridspec_kw={"height_ratios": [1.3, 1]})
    top, bottom = ax[:, 0]
    im = top.imshow(rate.T, aspect="auto", origin="lower", cmap="Greys", interpolation="nearest",
                    extent=(t[0], t[-1], -0.5, P - 0.5), vmin=0, vmax=max(60.0, float(np.percentile(rate, 99.9))))
    fig.colorbar(im, ax=top, label="rate R(h) (Hz)")
    top.set(ylabel="cluster", title=title)
    for k in range(n_show):
        bottom.plot(t, J_EE * eff[:, k], lw=1.2, color=f"C{k % 10}", label=f"cluster {k}")
    if protocol is not None:
        for s, e in protocol.windows():
            for a in (top, bottom):
                a.axvspan(s, e, color="tab:orange", alpha=0.25, lw=0)
    bottom.set(xlabel="time (s)", ylabel="$J_{EE}\\,u\\,x$")
    bottom.legend(loc="upper right", fontsize="x-small", ncol=min(n_show, 4), frameon=False)
    return fig
