"""The Tsodyks–Markram dynamic synapse: short-term facilitation and depression (chapter "The dynamic synapse").

The equations, the two conventions for the resting utilisation and the references are in :mod:`.model`;
:mod:`.plotting` and :mod:`.widgets` draw the chapter's figures (they import matplotlib), and
:mod:`.reproductions` lists the published results the chapter reproduces.
"""

from .model import (
    DEPRESSING,
    FACILITATING,
    MBT08,
    MeanFieldState,
    ProbeResponse,
    RateResponse,
    SpikeResponse,
    SteadyState,
    TMParams,
    mean_field_fixed_point,
    paired_pulse_ratio,
    poisson_mean_release,
    poisson_train,
    probe_after_burst,
    rate_derivatives,
    regular_train,
    simulate_rate,
    simulate_spikes,
    steady_state_regular,
)

__all__ = [
    "TMParams",
    "rate_derivatives",
    "FACILITATING",
    "DEPRESSING",
    "MBT08",
    "SpikeResponse",
    "RateResponse",
    "SteadyState",
    "MeanFieldState",
    "regular_train",
    "poisson_train",
    "simulate_spikes",
    "simulate_rate",
    "steady_state_regular",
    "mean_field_fixed_point",
    "paired_pulse_ratio",
    "ProbeResponse",
    "probe_after_burst",
    "poisson_mean_release",
]
