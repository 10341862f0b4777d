"""One valid call of every public callable of wmlib.network (bad calls are derived from these)."""

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
from badinput import call  # noqa: E402

from wmlib import network as net  # noqa: E402

_small = net.NetworkParams(n_exc=80, n_inh=20)
_tiny = net.NetworkParams().scaled(500, c=0.2)
_conn = net.connect(_tiny, rng=0)
_proto = net.load_item(0, 0.05, duration=0.05) + net.readout(0.12, duration=0.05)
_res = net.simulate(_tiny, _proto, 0.2, n_trials=2, rng=0, network=_conn)
_ps = net.population_spikes(_res)
_diagram = net.PhaseDiagram(np.array([22.0, 23.0]), np.array([["silent"] * 2, ["periodic"] * 2]),
                            np.array([[1.0, 0, 0], [0, 1.0, 0]]), np.array([0.0, 0.0]), np.array([0.1, 3.0]))
_capacity = net.Capacity(np.array([2, 3]), np.array([0.15, 0.12]), 0.45, np.array([3.0, 3.75]))

EXAMPLES = {
    "NetworkParams": call(n_exc=400, n_inh=100, mu_exc=23.7),
    "connect": call(_small, rng=0),
    "Stimulus": call(0.1, 0.2, factor=1.1, offset=0.0, population=1, fraction=0.5, optional=("population",)),
    "Protocol": call((net.Stimulus(0.1, 0.2),)),
    "load_item": call(0, 0.5, duration=0.35, factor=1.15),
    "readout": call(0.5, duration=0.25, factor=1.05),
    "periodic_readout": call(0.5, 1.5, period=0.3, duration=0.1, factor=1.075),
    "noise_pulse": call(0.5, fraction=0.15, duration=0.35, factor=1.15),
    "background_change": call(0.5, -1.0, duration=1.0),
    "simulate": call(_tiny, _proto, 0.1, n_trials=1, rng=0, network=_conn, record_every=10, record_v=[1, 2],
                     n_jobs=1, progress=False, optional=("record_v", "n_jobs", "device"),
                     skip={"device": "the torch engine is checked by its own tests"}),
    "population_spikes": call(_res, threshold=40.0, smooth=0.01, min_interval=0.05),
    "inter_ps_intervals": call(_ps, 0, start=0.0, stop=0.2),
    "alternation": call(_ps, [0, 1], start=0.0, stop=0.2, nan_ok=True),  # NaN: fewer than two PS
    "coincident_fraction": call(_ps, 1, 0, tolerance=0.03, start=0.0, stop=0.2, nan_ok=True),  # NaN: no PS
    "readout_success": call(_res, 0.12, duration=0.05, threshold=40.0, smooth=0.01),
    "classify_regime": call(_res, 0.05, 0.2, population=0, floor=5.0, active_fraction=0.5, threshold=40.0,
                            smooth=0.02),
    "smoothed_rate": call(_res, smooth=0.01),
    "phase_diagram": call(_tiny, [22.5], n_trials=1, duration=0.2, onset=0.05, window=0.1, network=_conn, rng=0,
                          n_jobs=1, progress=False, optional=("n_jobs",)),
    "capacity_by_overload": call(_tiny, gap=0.05, n_trials=1, settle=0.1, window=0.1, min_spikes=1, network=_conn,
                                 rng=0, n_jobs=1, optional=("n_jobs",), nan_ok=True),  # NaN spacing: < 3 PS
    "plotting.plot_schematic": call(_tiny, optional=("ax",)),
    "plotting.plot_trial": call(_res, trial=1, n_show=10, smooth=0.01, title="a trial", free=("title",),
                                optional=("axes", "title")),
    "plotting.plot_regimes": call({"one": _res}, trial=0, n_show=10, smooth=0.01, optional=("axes",)),
    "plotting.plot_phase_diagram": call(_diagram, title="diagram", free=("title",), optional=("title", "ax")),
    "plotting.plot_readout_delay": call(np.array([0.5, 1.0]), np.array([1.0, 0.5]), 1.5, title="delay",
                                        free=("title",), optional=("t", "u_cued", "u_uncued", "title", "axes")),
    "plotting.plot_capacity": call(_capacity, cluster=3.0, title="capacity", free=("title",),
                                   optional=("cluster", "title", "ax")),
    "widgets.network_readout": call(22.4, delay=0.0, n_neurons=2000, seed=0),
    "widgets.network_readout_figure": call(22.4, delay=0.0, n_neurons=2000, seed=0),
    "widgets.static_network_readout": call(),
}
