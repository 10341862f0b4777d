"""One valid call of every public callable of wmlib.synapse (bad calls are derived from these)."""

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
from badinput import call  # noqa: E402

from wmlib import synapse as syn  # noqa: E402

_rng = np.random.default_rng(0)
_train = syn.regular_train(20.0, 5)
_resp = syn.simulate_spikes(_train, syn.MBT08, t_eval=np.linspace(0.0, 0.5, 51))
_probe = syn.probe_after_burst(syn.MBT08, np.array([0.1, 0.5]))
_rates = np.array([5.0, 20.0])
_steady = syn.steady_state_regular(_rates, syn.MBT08)
_mean_field = syn.mean_field_fixed_point(_rates, syn.MBT08)
_rate_resp = syn.simulate_rate(np.full(20, 10.0), syn.MBT08)

EXAMPLES = {
    "TMParams": call(U=0.2, tau_f=1.5, tau_d=0.2),
    "rate_derivatives": call(0.3, 0.8, 10.0, 0.2, 0.2, 1.5, 0.2),
    "regular_train": call(20.0, 5, t0=0.1),
    "poisson_train": call(20.0, 0.5, np.random.default_rng(0), n_trains=2, nan_ok=True),  # NaN pads shorter trains
    "simulate_spikes": call(_train, syn.MBT08, t_eval=np.linspace(0.0, 0.5, 11), optional=("t_eval",)),
    "simulate_rate": call(np.full(20, 10.0), syn.MBT08, u0=0.3, x0=0.9, optional=("u0", "x0")),
    "steady_state_regular": call(_rates, syn.MBT08),
    "mean_field_fixed_point": call(_rates, syn.MBT08),
    "paired_pulse_ratio": call(syn.MBT08, interval=0.05),
    "probe_after_burst": call(syn.MBT08, np.array([0.1, 0.5]), burst_rate=50.0, n_burst=5),
    "poisson_mean_release": call(10.0, syn.MBT08, 1.0, np.random.default_rng(0), n_trains=4, burn_in=0.2,
                                 optional=("burn_in",)),
    "plotting.plot_train_responses": call({"MBT08": _resp}),
    "plotting.plot_burst_memory": call({"MBT08": _resp}, {"MBT08": _probe}, tau_f={"MBT08": 1.5}, optional=("tau_f",)),
    "plotting.plot_frequency_dependence": call(_rates, {"MBT08": _steady}, tau_d={"MBT08": 0.2}, optional=("tau_d",)),
    "plotting.plot_mean_field_check": call(_rates, np.array([0.4, 0.3]), _mean_field),
    "plotting.plot_rate_responses": call({"MBT08": _rate_resp}, {"MBT08": np.full(20, 10.0)}),
    "widgets.train_response": call(U=0.2, tau_f=1.5, tau_d=0.2, rate=20.0, n_spikes=5),
    "widgets.burst_memory": call(tau_f=1.5, tau_d=0.2, U=0.2, burst_rate=50.0),
    "widgets.train_response_figure": call(U=0.2, tau_f=1.5, tau_d=0.2, rate=20.0, n_spikes=5),
    "widgets.static_train_response": call(),
}
