"""Figures for the trained networks (:mod:`wmlib.rnn`)."""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from ._common import make_axes

__all__ = ["plot_trial"]


def plot_trial(trial, index: int = 0, output_names=None, axes=None) -> Figure:
    """One trial of a task: inputs (units x time), target outputs and the loss mask.

    Parameters
    ----------
    trial : wmlib.rnn.Trial
        A batch from :func:`wmlib.rnn.make_trials`.
    index : int, default=0
        Which trial of the batch to draw.
    output_names : list of str, optional
        Names of the outputs (default: fixation / non-match / match for 3 outputs,
        fixation / direction k for 9).
    axes : array of 3 Axes, optional
    """
    from ..rnn.tasks import DT_MS, Trial

    if not isinstance(trial, Trial):
        raise TypeError(f"The 'trial' parameter must be a wmlib.rnn.Trial. Got {type(trial).__name__} instead.")
    if not 0 <= int(index) < trial.batch_size:
        raise ValueError(f"The 'index' parameter of plot_trial must be an int in the range [0, {trial.batch_size - 1}]. "
                         f"Got {index!r} instead.")
    n_out = int(trial.targets.max()) + 1
    n_out = max(n_out, 3)
    if output_names is None:
        output_names = ["fixation", "non-match", "match"] if n_out <= 3 else ["fixation"] + [f"{45 * k} deg" for k in range(n_out - 1)]
    t = np.arange(trial.n_steps) * DT_MS / 1000.0
    fig, ax = make_axes(axes, 3, 1, (8, 6.2), sharex="col", gridspec_kw={"height_ratios": [3, 1.6, 0.8]})
    a, b, c = ax[:, 0]
    extent = (t[0], t[-1] + DT_MS / 1000.0, trial.inputs.shape[-1] - 0.5, -0.5)
    im = a.imshow(trial.inputs[:, index].T, aspect="auto", extent=extent, cmap="viridis", interpolation="nearest")
    fig.colorbar(im, ax=a, label="input")
    a.set(ylabel="input unit", title=f"{trial.task}: trial {index}")
    onehot = np.zeros((len(output_names), trial.n_steps))
    onehot[trial.targets[:, index], np.arange(trial.n_steps)] = 1
    b.imshow(onehot, aspect="auto", extent=(extent[0], extent[1], len(output_names) - 0.5, -0.5), cmap="Greys",
             interpolation="nearest")
    b.set(yticks=range(len(output_names)), yticklabels=output_names, ylabel="target")
    c.step(t, trial.mask[:, index], where="post", color="tab:red")
    c.set(ylabel="loss\nweight", xlabel="time (s)", ylim=(-0.2, 2.4))
    for name, (s, e) in trial.epochs.items():
        a.axvline(s * DT_MS / 1000.0, color="w", lw=0.6, ls=":")
    return fig
