r"""Working-memory capacity in the cluster rate model of Mi, Katkov & Tsodyks (2017).

:math:`P` excitatory clusters (one per item) with synaptic current :math:`h_\mu` and
Tsodyks–Markram variables :math:`u_\mu, x_\mu`, and one inhibitory population
:math:`h_I`, with the gain :math:`R(h) = \alpha \ln(1 + e^{h/\alpha})`:

.. math::

    \tau \dot h_\mu &= -h_\mu + J_{EE}\,u_\mu x_\mu R(h_\mu) - J_{EI} R(h_I) + I_b + I^{ext}_\mu(t) + \sigma\sqrt{\tau}\,\xi_\mu(t)\\
    \dot u_\mu &= \frac{U - u_\mu}{\tau_f} + U (1 - u_\mu) R(h_\mu),\qquad
    \dot x_\mu = \frac{1 - x_\mu}{\tau_d} - u_\mu x_\mu R(h_\mu)\\
    \tau_I \dot h_I &= -h_I + J_{IE} \sum_\nu R(h_\nu)

(Mi et al. 2017, STAR Methods).  A variant of the model that cites the paper's
supplementary equations adds weak excitation between clusters; the BrainPy example, whose
parameters we use, has none, and neither does this model.  The synaptic variables follow the
mean-field Tsodyks–Markram equations of :mod:`wmlib.synapse`
(the code behind :func:`wmlib.synapse.rate_derivatives` and :func:`wmlib.synapse.simulate_rate`).
A loaded cluster keeps its item as periodic *population spikes* (PS): brief bursts in
which facilitation (``u``) builds up and resources (``x``) are used, each burst
triggering a pulse of inhibition that silences the other clusters.

Every parameter of :class:`ClusterParams` may be an array: one call to :func:`simulate`
integrates all the parameter sets (and noisy trials) at once.  The Euler steps run in a
loop compiled with numba (``_engine_numba._euler_block``, which reads like the equations above),
over chunks of the batch in parallel threads, or as PyTorch operations on a GPU (``device=``);
``benchmarks/bench_capacity.py`` measures both.

Default parameters are those of the public BrainPy example of the model.

The modules: :mod:`.params` (parameters, gain), :mod:`.integrate` (simulate, summarize), :mod:`.spikes`
(population-spike analyses), :mod:`.sweeps` (capacity by simulation), :mod:`.theory` (eqs. 4-8),
:mod:`.plotting` and :mod:`.widgets` (figures; they import matplotlib), :mod:`.reproductions`.
"""

from .integrate import ClusterResult, ClusterSummary, simulate, summarize
from .params import ClusterParams, LoadingProtocol, gain
from .spikes import SpikeOnsetState, active_clusters, inter_spike_intervals, population_spikes, state_at_spikes
from .sweeps import (
    LoadSweep,
    ReignitionState,
    capacity,
    critical_background,
    load_sweep,
    max_capacity,
    reignition_state,
    retention_by_position,
)
from .theory import (
    PeakEfficacy,
    SpacingFit,
    capacity_estimate,
    critical_input,
    fit_spacing,
    fit_spacing_slope,
    peak_efficacy,
    spacing,
    t_max,
)

__all__ = [
    "ClusterParams",
    "LoadingProtocol",
    "ClusterResult",
    "gain",
    "ClusterSummary",
    "simulate",
    "summarize",
    "population_spikes",
    "inter_spike_intervals",
    "active_clusters",
    "SpikeOnsetState",
    "state_at_spikes",
    "capacity",
    "LoadSweep",
    "load_sweep",
    "max_capacity",
    "critical_background",
    "ReignitionState",
    "reignition_state",
    "retention_by_position",
    "t_max",
    "PeakEfficacy",
    "peak_efficacy",
    "critical_input",
    "spacing",
    "fit_spacing",
    "SpacingFit",
    "fit_spacing_slope",
    "capacity_estimate",
]
