"""The Mongillo-Barak-Tsodyks network written in NEST, for ``bench_network.py`` (run in its own environment).

Usage (called by bench_network.py):
    python nest_network.py NETWORK.npz THREADS

NETWORK.npz is the file ``bench_network.py`` writes for Brian2 (parameters, the synapses drawn by
``wmlib.network.connect``, initial potentials, the protocol as segments of constant drive).  The model is written
the way a NEST user would: ``iaf_psc_delta`` neurons (delta synapses, PSP jumps in mV, refractoriness), the mean
drive as a constant current ``I_e = mu C_m / tau_m`` plus ``step_current_generator`` changes for the protocol, the
fluctuations from a ``noise_generator`` (a Gaussian current redrawn every step, independent for every neuron, scaled
so that the membrane potential fluctuates as in wmlib's Ornstein-Uhlenbeck drive), ``tsodyks2_synapse`` on E->E
synapses (Tsodyks-Markram plasticity per synapse: every synapse of a neuron sees the same spikes, so it follows the
same u and x as wmlib's per-neuron variables) and ``static_synapse`` elsewhere.

Prints one JSON line: wall seconds of ``nest.Simulate`` (not of building the network) and the spike counts of the
excitatory and inhibitory neurons.
"""

from __future__ import annotations

import json
import sys
import time

import numpy as np

C_M = 250.0  # pF, any value: currents are scaled by it


def main(path, threads):
    import nest

    nest.set_verbosity("M_ERROR")
    data = np.load(path)
    p = {k: float(data[k]) for k in ("tau_exc", "tau_inh", "theta", "v_reset_exc", "v_reset_inh", "t_ref", "U",
                                      "tau_f", "tau_d", "sigma_exc", "sigma_inh", "dt", "n_exc", "n_inh")}
    n_exc, n_inh = int(p["n_exc"]), int(p["n_inh"])
    dt_ms = p["dt"] * 1e3
    nest.ResetKernel()
    nest.SetKernelStatus({"resolution": dt_ms, "local_num_threads": int(threads), "rng_seed": 1})
    bounds, drives = data["segment_bounds"], data["segment_drive"]  # (segments + 1,) s, (segments, neurons) mV
    tau = np.r_[np.full(n_exc, p["tau_exc"]), np.full(n_inh, p["tau_inh"])] * 1e3  # ms
    sigma = np.r_[np.full(n_exc, p["sigma_exc"]), np.full(n_inh, p["sigma_inh"])]
    neurons = nest.Create("iaf_psc_delta", n_exc + n_inh)
    neurons.set({"C_m": C_M, "E_L": 0.0, "V_th": p["theta"], "t_ref": p["t_ref"] * 1e3})
    neurons.set({"tau_m": tau.tolist(), "I_e": (drives[0] * C_M / tau).tolist(), "V_m": data["v0"].tolist(),
                 "V_reset": np.r_[np.full(n_exc, p["v_reset_exc"]), np.full(n_inh, p["v_reset_inh"])].tolist()})
    # the protocol: one step current generator per distinct sequence of drive changes
    changes = drives - drives[0]
    patterns, which = np.unique(changes.T, axis=0, return_inverse=True)
    for k, pattern in enumerate(patterns):
        if not np.any(pattern):
            continue
        members = np.flatnonzero(which.ravel() == k)
        for tau_value in np.unique(tau[members]):
            group = members[tau[members] == tau_value]
            times = np.maximum(bounds[:-1] * 1e3, dt_ms)  # NEST step times must be positive
            gen = nest.Create("step_current_generator",
                              params={"amplitude_times": times.tolist(),
                                      "amplitude_values": (pattern * C_M / tau_value).tolist()})
            nest.Connect(gen, neurons[group.tolist()])
    # fluctuations: a current of std s redrawn every dt gives V a stationary std sigma / sqrt(2) as the OU drive
    for lo, hi in ((0, n_exc), (n_exc, n_exc + n_inh)):
        s = sigma[lo] / np.sqrt(2.0) * C_M / tau[lo] * np.sqrt(2.0 * tau[lo] / dt_ms)
        noise = nest.Create("noise_generator", params={"mean": 0.0, "std": float(s), "dt": dt_ms})
        nest.Connect(noise, neurons[lo:hi])
    src, tgt, w, d = data["source"], data["target"], data["weight"], data["delay"]
    stp = (src < n_exc) & (tgt < n_exc)
    ids = np.asarray(neurons.tolist())
    for sel, spec in ((stp, {"synapse_model": "tsodyks2_synapse", "U": p["U"], "u": p["U"], "x": 1.0,
                             "tau_fac": p["tau_f"] * 1e3, "tau_rec": p["tau_d"] * 1e3}),
                      (~stp, {"synapse_model": "static_synapse"})):
        spec = {**spec, "weight": w[sel].astype(float), "delay": d[sel].astype(float) * dt_ms}
        nest.Connect(ids[src[sel]], ids[tgt[sel]], "one_to_one", syn_spec=spec)
    recorder = nest.Create("spike_recorder")
    nest.Connect(neurons, recorder)
    duration = float(bounds[-1])
    t0 = time.perf_counter()
    nest.Simulate(duration * 1e3)
    wall = time.perf_counter() - t0
    senders = np.asarray(recorder.get("events")["senders"]) - ids[0]
    print(json.dumps({"mode": f"nest ({threads} threads)", "wall_s": wall, "spikes_exc": int((senders < n_exc).sum()),
                      "spikes_inh": int((senders >= n_exc).sum()), "duration_s": duration}))


if __name__ == "__main__":
    main(*sys.argv[1:3])
