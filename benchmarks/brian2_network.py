"""The Mongillo-Barak-Tsodyks network written in Brian2, for ``bench_network.py`` (run in its own environment).

Usage (called by bench_network.py):
    python brian2_network.py NETWORK.npz {runtime,cpp_standalone,cpp_standalone_openmp} WORKDIR

NETWORK.npz holds the parameters, the synapses drawn by ``wmlib.network.connect`` (the same network as ours) and
the protocol as a list of (start, stop, drive of every neuron) segments.  The model is the same as wmlib's: current-
based LIF neurons with delta synapses, refractoriness, per-synapse delays, Gaussian white noise, Tsodyks-Markram
plasticity per presynaptic excitatory neuron (the release u+ x- of its last spike is stored on the neuron and every
E->E synapse transmits J * release), written the way a Brian2 user would (refractoriness with ``unless
refractory``, the plasticity update in the reset, heterogeneous delays).  Brian2 integrates the noisy membrane with
Euler-Maruyama (its stochastic state updater), wmlib with the exact Ornstein-Uhlenbeck step; at dt = 0.1 ms and
tau = 10-15 ms the two agree closely, and the work per step is the same.

Prints one JSON line: wall seconds of the simulation (without code generation, compilation, and in standalone mode
without loading the synapses: Brian2's own timer of the run), and the spike counts of the excitatory and inhibitory
neurons.  The protocol's drive is a TimedArray, so that the whole simulation is one run.
"""

from __future__ import annotations

import json
import os
import sys
import time

import numpy as np


def _drive_table(b2, data):
    """The drive of every neuron as a 2-D TimedArray on the coarsest grid that holds the protocol's change times."""
    bounds, drives = data["segment_bounds"], data["segment_drive"]
    for step in (0.05, 0.01, 0.005, 0.001, float(data["dt"])):
        if np.allclose(np.round(bounds / step) * step, bounds, atol=1e-9):
            break
    k = np.round(bounds / step).astype(int)
    table = np.repeat(drives, np.diff(k), axis=0)  # (time bins, neurons)
    return b2.TimedArray(table * b2.mV, dt=step * b2.second)


def main(path, mode, workdir):
    import brian2 as b2

    data = np.load(path)
    p = {k: float(data[k]) for k in ("tau_exc", "tau_inh", "theta", "v_reset_exc", "v_reset_inh", "t_ref", "U",
                                      "tau_f", "tau_d", "sigma_exc", "sigma_inh", "dt", "n_exc", "n_inh")}
    n_exc, n_inh = int(p["n_exc"]), int(p["n_inh"])
    if mode.startswith("cpp_standalone"):
        b2.set_device("cpp_standalone", directory=workdir, build_on_run=False)
        if mode == "cpp_standalone_openmp":  # Brian2's multi-threaded standalone code, one thread per core
            b2.prefs.devices.cpp_standalone.openmp_threads = os.cpu_count() or 1
    else:
        b2.prefs.codegen.target = "cython"
    b2.defaultclock.dt = p["dt"] * b2.second
    mV, second = b2.mV, b2.second
    eqs = """
    dv/dt = (mu - v) / tau + sigma * xi / sqrt(tau) : volt (unless refractory)
    mu = drive(t, i) : volt
    tau : second (constant)
    sigma : volt (constant)
    v_reset : volt (constant)
    u : 1
    x : 1
    release : 1
    t_last : second
    """
    # Tsodyks-Markram update once per spike, in the reset: every delay is at least one step, so a synapse (whose code
    # runs when the spike arrives) reads the release of the spike it carries (the delays, at most 1 ms, are shorter
    # than the refractory period: no second spike comes in between)
    reset = """
    v = v_reset
    u = U + (u - U) * exp(-(t - t_last) / tau_f)
    x = 1 - (1 - x) * exp(-(t - t_last) / tau_d)
    u = u + U * (1 - u)
    release = u * x
    x = x - release
    t_last = t
    """
    G = b2.NeuronGroup(n_exc + n_inh, eqs, threshold="v >= theta", reset=reset,
                       refractory=p["t_ref"] * second, method="euler",
                       namespace={"theta": p["theta"] * mV, "U": p["U"], "tau_f": p["tau_f"] * second,
                                  "tau_d": p["tau_d"] * second, "drive": _drive_table(b2, data)})
    G.tau[:n_exc], G.tau[n_exc:] = p["tau_exc"] * second, p["tau_inh"] * second
    G.sigma[:n_exc], G.sigma[n_exc:] = p["sigma_exc"] * mV, p["sigma_inh"] * mV
    G.v_reset[:n_exc], G.v_reset[n_exc:] = p["v_reset_exc"] * mV, p["v_reset_inh"] * mV
    G.v = data["v0"] * mV
    G.u, G.x, G.t_last = p["U"], 1.0, 0 * second
    src, tgt, w, d = data["source"], data["target"], data["weight"], data["delay"]
    stp = (src < n_exc) & (tgt < n_exc)
    ee = b2.Synapses(G, G, "w : volt (constant)", on_pre="v_post += w * release_pre")
    ee.connect(i=src[stp], j=tgt[stp])
    ee.w = w[stp] * mV
    ee.delay = d[stp] * p["dt"] * second
    static = b2.Synapses(G, G, "w : volt (constant)", on_pre="v_post += w")
    static.connect(i=src[~stp], j=tgt[~stp])
    static.w = w[~stp] * mV
    static.delay = d[~stp] * p["dt"] * second
    spikes = b2.SpikeMonitor(G, record=False)  # counts only
    net = b2.Network(G, ee, static, spikes)
    duration = float(data["segment_bounds"][-1])
    if mode == "runtime":
        net.run(1 * b2.defaultclock.dt)  # code generation and compilation, not timed
        t0 = time.perf_counter()
        net.run(duration * second - 1 * b2.defaultclock.dt)
        wall = time.perf_counter() - t0
    else:
        net.run(duration * second)  # one run, so that Brian2's own timer covers the whole simulation
        b2.device.build(directory=workdir, compile=True, run=True, debug=False)
        wall = float(b2.device._last_run_time)  # the binary's measure of the run, without loading the synapses
    counts = np.asarray(spikes.count[:])
    print(json.dumps({"mode": mode, "wall_s": wall, "spikes_exc": int(counts[:n_exc].sum()),
                      "spikes_inh": int(counts[n_exc:].sum()), "duration_s": duration}))


if __name__ == "__main__":
    main(*sys.argv[1:4])
