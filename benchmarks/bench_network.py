"""Speed of the spiking network (Mongillo, Barak & Tsodyks 2008): wmlib's engines against Brian2, same network.

Run:  python benchmarks/bench_network.py [--duration 2] [--neurons 10000] [--brian2-python PATH] [--nest-python PATH]
                                        [--device cuda]

One trial of the readout protocol (an item loaded at 0.5 s for 350 ms, a nonspecific readout at 1.5 s for 250 ms)
on the full network (10,000 neurons, 20 million synapses, dt = 0.1 ms), the same synapses and initial potentials in
every simulator: wall seconds per simulated second for

* wmlib's compiled CPU engine on 1 thread and on all cores (``simulate(..., n_jobs=...)``);
* Brian2 in runtime mode (Cython), in C++ standalone mode (its fastest CPU mode, single-threaded by default) and in
  C++ standalone mode with OpenMP on all cores, the network written in ``benchmarks/brian2_network.py``;
  timings exclude code generation and compilation on both sides
  (wmlib's compiled code is cached; a warm-up run comes first);
* NEST (``iaf_psc_delta`` neurons, ``tsodyks2_synapse``) on 1 thread and on all cores, the network written in
  ``benchmarks/nest_network.py``; timing of ``nest.Simulate`` only (not of building the network);
* with ``--device``, wmlib's torch engine on that device (e.g. a GPU).

Brian2 needs its own environment (it does not support the NumPy of requirements.txt)::

    python -m venv .venv-brian2 && .venv-brian2/bin/pip install brian2 'numpy<2.4'
    python benchmarks/bench_network.py --brian2-python .venv-brian2/bin/python

NEST installs from PyPI into another environment (``python -m venv .venv-nest && .venv-nest/bin/pip install
nest-simulator``); pass ``--nest-python .venv-nest/bin/python``.

Spike counts are printed for every simulator to show that they simulate the same activity (they differ by the noise,
and Brian2 integrates the membrane noise with Euler-Maruyama).  Only ratios measured in one run are meaningful on a
shared machine.
"""

from __future__ import annotations

import argparse
import json
import os
import pathlib
import subprocess
import sys
import tempfile
import time

import numpy as np

from wmlib import network as net
from wmlib.network import simulation as sim

HERE = pathlib.Path(__file__).parent


def _protocol_segments(params, protocol, duration, rng):
    """Initial potentials and the drive of every neuron on each segment between changes (what Brian2 is given)."""
    v0, base, stimuli = sim._initial_state(params, [protocol], np.random.default_rng(rng), "bench")
    n_steps = int(round(duration / params.dt))
    bounds = sorted({0, n_steps, *(k for _, on, off, _, _ in stimuli for k in (on, off) if 0 < k < n_steps)})
    drives = np.stack([sim._mu_at(base, stimuli, k)[0] for k in bounds[:-1]])
    return v0[0], np.asarray(bounds) * params.dt, drives


def _brian2(python, path, mode, workdir):
    out = subprocess.run([python, str(HERE / "brian2_network.py"), str(path), mode, str(workdir)],
                         capture_output=True, text=True, check=False)
    lines = [line for line in out.stdout.splitlines() if line.startswith("{")]
    if out.returncode or not lines:
        tail = (out.stderr or out.stdout).strip().splitlines()[-5:]
        raise RuntimeError(f"Brian2 ({mode}) failed:\n" + "\n".join(tail))
    return json.loads(lines[-1])


def _nest(python, path, threads):
    out = subprocess.run([python, str(HERE / "nest_network.py"), str(path), str(threads)], capture_output=True,
                         text=True, check=False)
    lines = [line for line in out.stdout.splitlines() if line.startswith("{")]
    if out.returncode or not lines:
        tail = (out.stderr or out.stdout).strip().splitlines()[-5:]
        raise RuntimeError(f"NEST ({threads} threads) failed:\n" + "\n".join(tail))
    return json.loads(lines[-1])


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--duration", type=float, default=2.0, help="simulated seconds (default 2)")
    ap.add_argument("--neurons", type=int, default=net.FULL_SIZE)
    ap.add_argument("--brian2-python", default=None, help="a Python with brian2 installed (default: skip Brian2 "
                    "unless this one has it)")
    ap.add_argument("--modes", default="runtime,cpp_standalone,cpp_standalone_openmp", help="Brian2 modes to time")
    ap.add_argument("--nest-python", default=None, help="a Python with NEST installed (nest-simulator from PyPI; "
                    "default: skip NEST)")
    ap.add_argument("--device", default=None, help="also time wmlib's torch engine on this device (cpu, cuda)")
    args = ap.parse_args(argv)
    full = net.NetworkParams()
    params = full if args.neurons == full.n_neurons else full.scaled(args.neurons)
    protocol = net.load_item(0, 0.5) + net.readout(1.5)
    t0 = time.perf_counter()
    conn = net.connect(params, rng=0)
    print(f"network: {params.n_neurons} neurons, {conn.n_synapses:,} synapses (drawn in {time.perf_counter() - t0:.1f} s);"
          f" {args.duration:g} s of the readout protocol, dt = {params.dt * 1e3:g} ms; {os.cpu_count()} cores")
    sim.simulate(params.scaled(2000, c=0.2), protocol, 0.01, network=0)  # compile / load the cached engine
    rows = []
    for jobs in (1, None):
        t0 = time.perf_counter()
        r = net.simulate(params, protocol, args.duration, network=conn, rng=0, n_jobs=jobs)
        wall = time.perf_counter() - t0
        n_e = int((r.spike_ids < params.n_exc).sum())
        rows.append((f"wmlib CPU engine, {jobs or os.cpu_count()} thread(s)", wall, n_e, r.spike_ids.size - n_e))
    if args.device is not None:
        net.simulate(params, protocol, 0.005, network=conn, device=args.device)  # warm-up
        t0 = time.perf_counter()
        r = net.simulate(params, protocol, args.duration, network=conn, rng=0, device=args.device)
        wall = time.perf_counter() - t0
        n_e = int((r.spike_ids < params.n_exc).sum())
        rows.append((f"wmlib torch engine ({args.device})", wall, n_e, r.spike_ids.size - n_e))
    python = args.brian2_python
    if python is None:
        try:
            import brian2  # noqa: F401
            python = sys.executable
        except ImportError:
            print("Brian2 is not installed here: pass --brian2-python (see the docstring); timing wmlib only.")
    if python is not None or args.nest_python is not None:
        with tempfile.TemporaryDirectory() as tmp:
            path = pathlib.Path(tmp) / "network.npz"
            v0, bounds, drives = _protocol_segments(params, protocol, args.duration, 0)
            np.savez(path, source=conn.sources(), target=conn.target, weight=conn.weight, delay=conn.delay, v0=v0,
                     segment_bounds=bounds, segment_drive=drives, n_exc=params.n_exc, n_inh=params.n_inh,
                     **{k: getattr(params, k) for k in ("tau_exc", "tau_inh", "theta", "v_reset_exc", "v_reset_inh",
                                                        "t_ref", "U", "tau_f", "tau_d", "sigma_exc", "sigma_inh",
                                                        "dt")})
            for mode in args.modes.split(",") if python is not None else []:
                res = _brian2(python, path, mode, pathlib.Path(tmp) / mode)
                rows.append((f"Brian2 {mode}", res["wall_s"], res["spikes_exc"], res["spikes_inh"]))
            if args.nest_python is not None:
                for threads in (1, os.cpu_count() or 1):
                    res = _nest(args.nest_python, path, threads)
                    rows.append((f"NEST {threads} thread(s)", res["wall_s"], res["spikes_exc"], res["spikes_inh"]))
    print(f"\n{'simulator':42s} {'wall s':>8s} {'s per sim. s':>13s} {'E rate Hz':>10s} {'I rate Hz':>10s}")
    for name, wall, n_e, n_i in rows:
        print(f"{name:42s} {wall:8.2f} {wall / args.duration:13.3f} {n_e / params.n_exc / args.duration:10.2f} "
              f"{n_i / params.n_inh / args.duration:10.2f}")
    ours = min(wall for name, wall, *_ in rows if name.startswith("wmlib CPU"))
    for name, wall, *_ in rows:
        if name.startswith(("Brian2", "NEST")):
            print(f"{name} / wmlib CPU engine (all cores): x{wall / ours:.1f}")
    single = rows[0][1]
    for name, wall, *_ in rows:
        if name == "Brian2 cpp_standalone":
            print(f"{name} / wmlib CPU engine (1 thread): x{wall / single:.1f}")


if __name__ == "__main__":
    main()
