"""Figures of the book.

Every function takes simulation results (never parameters to simulate) and
returns a :class:`matplotlib.figure.Figure`; none calls ``plt.show()``.  They
accept an optional ``axes`` argument so a chapter can compose panels.
Matplotlib is imported here only, so ``import wmlib.synapse`` stays light.
"""

from .behaviour import plot_change_detection, plot_nback, plot_trial_epochs
from .capacity import plot_capacity_background, plot_cluster_synapses, plot_capacity_sweep, plot_escape, plot_loading, plot_serial_position, plot_spacing
from .synapse import (
    plot_burst_memory,
    plot_frequency_dependence,
    plot_mean_field_check,
    plot_rate_responses,
    plot_train_responses,
)

__all__ = [
    "plot_train_responses",
    "plot_burst_memory",
    "plot_frequency_dependence",
    "plot_mean_field_check",
    "plot_rate_responses",
    "plot_change_detection",
    "plot_nback",
    "plot_trial_epochs",
    "plot_loading",
    "plot_escape",
    "plot_capacity_background",
    "plot_capacity_sweep",
    "plot_serial_position",
    "plot_spacing",
    "plot_cluster_synapses",
    "plot_trial",
    "plot_activity",
    "plot_decoding",
    "plot_persistence",
    "plot_learning_curves",
]

_RNN = ("plot_trial", "plot_activity", "plot_decoding", "plot_persistence", "plot_learning_curves")


def __getattr__(name):  # the RNN figures need torch (through wmlib.rnn): import them only when asked for
    if name in _RNN:
        from . import rnn

        return getattr(rnn, name)
    raise AttributeError(f"module 'wmlib.plotting' has no attribute {name!r}")
