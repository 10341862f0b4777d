"""One valid call of every public callable of wmlib.capacity (bad calls are derived from these)."""

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
from badinput import call  # noqa: E402

from wmlib import capacity as cap  # noqa: E402

_P = cap.ClusterParams(n_clusters=4)
_noisy = cap.ClusterParams(n_clusters=4, noise=0.1)
_two = cap.LoadingProtocol(n_items=2)
_res = cap.simulate(_P, _two, duration=0.6)
_t, _rate = _res.t, _res.rate[:, 0]
_sweep_I_b = np.array([4.0, 6.0, 8.0])
_retention = {"2 items": cap.retention_by_position(_noisy, 2, n_trials=4, rng=0, duration=0.6, window=0.3)}
_I = np.array([4.0, 6.0, 8.0])

EXAMPLES = {
    "ClusterParams": call(n_clusters=4, I_b=6.0),
    "LoadingProtocol": call(n_items=2, spacing=0.1),
    "gain": call(np.array([-5.0, 0.0, 5.0]), 1.5),
    "simulate": call(_P, _two, duration=0.3, n_trials=2, rng=np.random.default_rng(0), record_every=10, order=[1, 0],
                     n_jobs=1, device="cpu", optional=("n_trials", "rng", "order", "n_jobs", "device")),
    "summarize": call(_P, _two, duration=0.3, n_trials=2, rng=np.random.default_rng(0), order=[1, 0], window=0.2,
                      threshold=20.0, n_jobs=1, device="cpu", optional=("n_trials", "rng", "order", "n_jobs", "device"),
                      nan_ok=True),  # the spacing of a network holding fewer than two items is undefined
    "population_spikes": call(_t, _rate, threshold=20.0),
    "inter_spike_intervals": call(_t, _res.rate, threshold=20.0, pooled=False),
    "active_clusters": call(_res, window=0.3, threshold=20.0, min_spikes=1),
    "state_at_spikes": call(_res, after=0.2, threshold=20.0, nan_ok=True),  # NaN where a cluster does not burst
    "capacity": call(_P, n_items=2, duration=0.6, window=0.3),
    "load_sweep": call(_P, max_items=2, duration=0.6, window=0.3, optional=("max_items",), nan_ok=True),
    "max_capacity": call(_P, max_items=2, duration=0.6, window=0.3, optional=("max_items",)),
    "critical_background": call(cap.ClusterParams(), lo=0.0, hi=8.0, duration=2.0, window=0.5, n_grid=3),
    "reignition_state": call(cap.ClusterParams(n_clusters=4, I_b=3.0), duration=1.0),
    "retention_by_position": call(_noisy, 2, n_trials=4, rng=0, duration=0.6, window=0.3),
    "t_max": call(1.5, 0.3, 0.3),
    "peak_efficacy": call(0.9, 0.1, 0.3, 1.5, 0.3, horizon=5.0),
    "critical_input": call(20.0, 1.5, I_inh=1.0, exact=False),
    "spacing": call(_I, 2.0, 0.008, -20.0, 6.0),
    "fit_spacing": call(np.array([0.2, 0.15, 0.12]), _I, 2.0, 0.008, -20.0, nan_args=("t_s",)),  # NaN: not measured
    "fit_spacing_slope": call(np.array([0.2, 0.15, 0.12]), _I, 2.0, 0.008, -20.0, nan_args=("t_s",)),
    "capacity_estimate": call(1.5, 0.3, 0.3, 0.008, _I, 2.0, -20.0, 6.0),
    "plotting.plot_loading": call(_res, 8.0, _two, n_show=4, index=(), title="two items", free=("title",),
                                  optional=("protocol", "n_show", "title")),
    "plotting.plot_escape": call(20.0, 1.5, {"I = 2": 2.0}),
    "plotting.plot_capacity_background": call(_I, np.array([2.0, 3.0, 4.0]), np.array([2.5, 3.0, 3.5]), I_crit=2.0,
                                              title="t", free=("title",), optional=("theory", "I_crit", "title"),
                                              nan_args=("simulated", "theory")),  # NaN: not drawn
    "plotting.plot_capacity_sweep": call(np.array([20.0, 30.0, 40.0]), np.array([2.0, 3.0, 4.0]),
                                         np.array([2.0, 3.0, 5.0]), valid=np.array([True, True, False]),
                                         title="t", free=("title",), optional=("valid", "title"),
                                         nan_args=("simulated", "theory")),
    "plotting.plot_serial_position": call(_retention, 4, title="t", free=("title",), optional=("title",)),
    "plotting.plot_spacing": call(_I, np.array([0.2, 0.15, 0.12]), np.array([0.21, 0.15, 0.11]), title="t",
                                  free=("title",), optional=("predicted", "title"), nan_args=("measured", "predicted")),
    "plotting.plot_spacing_recovery": call(np.array([0.2, 0.3]), np.array([20.0, 25.0]), np.array([0.5, 0.4]),
                                           predicted=18.0, n_items=4, title="t", free=("title",),
                                           optional=("predicted", "n_items", "title"),
                                           nan_args=("spacing_over_tau", "efficacy")),
    "plotting.plot_cluster_synapses": call(_res, {"item 1": 0}, index=(), protocol=_two, title="t", free=("title",),
                                           optional=("protocol", "title")),
    "widgets.capacity_loading": call(I_b=6.0, tau_d=0.3, n_items=2, spacing=0.1, duration=1.0),
    "widgets.capacity_loading_figure": call(I_b=6.0, tau_d=0.3, n_items=2, spacing=0.1, duration=1.0),
    "widgets.static_capacity_loading": call(),
}
