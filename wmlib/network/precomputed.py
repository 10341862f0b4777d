"""Runs of the full network (10,000 neurons) shipped with wmlib, for the chapter's figures.

The full network runs about 0.5 s per simulated second per trial on two cores, too slow for a page that must build
in seconds, so the chapter loads these runs and computes live only on the scaled network.  Regenerate them with::

    python -m wmlib.network.precomputed [--out DIR] [--force]

(about 15 minutes on two cores; each experiment is written atomically to its own file as soon as it is done, and a
second call skips the files already there, so an interrupted run resumes).  Every run is seeded: the files are
reproduced bit for bit.  What is stored is compact: population spike counts in bins of :data:`BIN` s and the
population means of u, x and u·x at the start of every bin (float16), and the spikes of the neurons a raster shows
(:data:`RASTER` of each group), not all spikes.  When populations overlap, the stored rate of each selective population
(and its raster) is that of its *own* neurons, those it shares with no other population, so that a population spike
of one population does not appear in its neighbour's rate; u, x and u·x remain means over whole populations.

:func:`load` returns each experiment as the library's own result types (:class:`NetworkResult` with the raster
neurons' spikes, :class:`PhaseDiagram`, :class:`Capacity`), so the chapter plots them with :mod:`.plotting`.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import math
from pathlib import Path

import numpy as np

from .._io import load_npz, read_json_entry, write_experiments
from .analysis import readout_success
from .connectivity import connect
from .experiments import Capacity, PhaseDiagram, capacity_by_overload, phase_diagram
from .params import REGIME_DRIVES, NetworkParams
from .protocols import Protocol, Stimulus, background_change, load_item, readout
from .simulation import NetworkResult, rate_groups, simulate

__all__ = ["FOLDER", "EXPERIMENTS", "RASTER", "BIN", "CUE", "CUE_END", "RISE", "MERGING_DRIVES", "SLIDER_DRIVES",
           "SLIDER_DELAYS", "DELAYS", "PHASE_DRIVES", "CAPACITY_DRIVE", "generate", "load"]

#: Where the shipped runs live.
FOLDER = Path(__file__).parent / "precomputed"
#: Neurons of each group (every population, the non-selective pool, the inhibitory neurons) whose spikes are kept.
RASTER = 40
#: Width of the stored bins, s (rates and synaptic variables of the stored runs are at this resolution).
BIN = 0.005
#: The item is loaded into population 0 at 1 s, for 350 ms (the paper's cue).
CUE = 1.0
CUE_END = CUE + 0.35
#: In the persistent-activity run the item is loaded in the periodic regime and the background rises at this time, s
#: (started at the persistent regime's drive, populations can ignite before any cue and hold a spurious memory).
RISE = 2.5
#: Background drive of the merging runs for each overlap, mV: populations that share neurons excite each other more,
#: so the periodic regime (one item held by population spikes, no ignition without a cue) comes at a lower drive.
MERGING_DRIVES = {0.0: REGIME_DRIVES["periodic"], 0.25: 22.8}
#: The grid of the chapter's in-page slider: background drive x delay from the end of the cue to the readout.
SLIDER_DRIVES = (REGIME_DRIVES["silent"], 23.0, REGIME_DRIVES["periodic"])
SLIDER_DELAYS = (0.5, 1.0, 2.0, 3.0)
#: Delays of the readout-success curve, s after the end of the cue.
DELAYS = (0.25, 0.5, 1.0, 1.5, 2.0, 3.0, 4.0)
#: Background drives of the phase diagram, mV.
PHASE_DRIVES = tuple(np.round(np.arange(22.0, 25.21, 0.4), 2))
#: Background drive of the capacity experiment (8 populations), mV.
CAPACITY_DRIVE = 23.8

EXPERIMENTS = ("regimes", "slider", "items", "delay", "phase", "capacity", "merging")


def _full(**changes) -> NetworkParams:
    return NetworkParams(**changes)


def _specs():
    """The runs of every experiment: (key, params, protocols, duration, n_trials, seed)."""
    p = _full()
    cue = load_item(0, CUE)
    drop = background_change(3.5, REGIME_DRIVES["silent"] - REGIME_DRIVES["periodic"])
    rise = background_change(RISE, REGIME_DRIVES["persistent"] - REGIME_DRIVES["periodic"])  # to persistent activity
    return {
        "regimes": [
            ("silent", p.replace(mu_exc=REGIME_DRIVES["silent"]), [cue + readout(CUE_END + 1.0)] * 4, 4.0, 4, 1),
            ("periodic", p.replace(mu_exc=REGIME_DRIVES["periodic"]), [cue + drop + readout(6.0)] * 4, 6.5, 4, 2),
            ("persistent", p.replace(mu_exc=REGIME_DRIVES["periodic"]), [cue + rise] * 4, 5.0, 4, 3),
        ],
        "slider": [(f"{mu:g}_{d:g}", p.replace(mu_exc=mu), [cue + readout(CUE_END + d)], CUE_END + d + 0.5, 1, 10 + k)
                   for k, (mu, d) in enumerate((mu, d) for mu in SLIDER_DRIVES for d in SLIDER_DELAYS)],
        "items": [
            ("two", p.replace(mu_exc=REGIME_DRIVES["periodic"]), [cue + load_item(1, 2.0)], 4.5, 1, 30),
            ("three", p.replace(mu_exc=REGIME_DRIVES["periodic"]), [cue + load_item(1, 2.0) + load_item(2, 3.0)],
             5.5, 1, 31),
        ],
        "merging": [
            (f"overlap{ov:g}_gap{gap:g}", _full(overlap=ov).replace(mu_exc=MERGING_DRIVES[ov]),
             [cue + load_item(1, CUE + gap)] * 4, 4.5, 4, 40 + k)
            for k, (ov, gap) in enumerate([(0.0, 0.0), (0.0, 0.5), (0.25, 0.0), (0.25, 0.5)])
        ],
    }


def _protocol_json(protocol: Protocol) -> list:
    return [dataclasses.asdict(s) for s in protocol.stimuli]


def _protocol_from(items) -> Protocol:
    return Protocol(tuple(Stimulus(**{k: (math.inf if v == "inf" else v) for k, v in s.items()}) for s in items))


def _pack(result: NetworkResult, prefix: str) -> dict:
    """The compact arrays of one run (raster neurons' spikes only)."""
    p = result.params
    member = np.zeros(p.n_exc, dtype=bool)
    member[p.populations().ravel()] = True
    own = p.own_neurons()
    shown = np.concatenate([*(pop[:RASTER] for pop in own), np.flatnonzero(~member)[:RASTER],
                            np.arange(p.n_exc, p.n_exc + min(RASTER, p.n_inh))])
    keep = np.isin(result.spike_ids, shown)
    spec = {"params": dataclasses.asdict(p), "duration": result.duration,
            "protocols": [_protocol_json(q) for q in result.protocols]}
    k = int(round(BIN / result.dt_record))
    R = result.rate.shape[0] // k * k
    sizes = rate_groups(p).sum(axis=1)
    counts = np.rint(result.rate[:R] * sizes * result.dt_record).reshape(R // k, k, *result.rate.shape[1:]).sum(1)
    if p.overlap > 0:  # each population's own neurons only (a burst of one must not show in its neighbour's rate)
        counts[:, :, :p.n_pop] = 0
        n_bins = R // k
        step = np.floor(result.spike_times / BIN + 1e-9).astype(np.int64)
        for g, neurons in enumerate(own):
            sel = np.isin(result.spike_ids, neurons) & (step < n_bins)
            np.add.at(counts, (step[sel], result.spike_trials[sel], g), 1)
    small = lambda a: a[:R:k].astype(np.float16)  # noqa: E731
    return {f"{prefix}/counts": counts.astype(np.uint16), f"{prefix}/u": small(result.u), f"{prefix}/x": small(result.x),
            f"{prefix}/ux": small(result.ux),
            f"{prefix}/spike_times": result.spike_times[keep], f"{prefix}/spike_ids": result.spike_ids[keep],
            f"{prefix}/spike_trials": result.spike_trials[keep].astype(np.int16),
            f"{prefix}/spec": np.array(json.dumps(spec))}


def _unpack(data: dict, prefix: str, path) -> NetworkResult:
    spec = read_json_entry(data, f"{prefix}/spec", path, "precomputed run")
    params = NetworkParams(**spec["params"])
    sizes = rate_groups(params).sum(axis=1)
    sizes[:params.n_pop] = [own.size for own in params.own_neurons()]
    rate = data[f"{prefix}/counts"].astype(float) / (sizes * BIN)
    t = np.arange(rate.shape[0]) * BIN
    return NetworkResult(t, rate, data[f"{prefix}/u"].astype(float), data[f"{prefix}/x"].astype(float),
                         data[f"{prefix}/ux"].astype(float), data[f"{prefix}/spike_times"],
                         data[f"{prefix}/spike_ids"], data[f"{prefix}/spike_trials"].astype(np.int32),
                         np.zeros((rate.shape[0], rate.shape[1], 0)), np.zeros(0, dtype=np.int64), params,
                         [_protocol_from(q) for q in spec["protocols"]], float(spec["duration"]))


def _run_experiment(name: str, progress: bool) -> dict:
    from tqdm.auto import tqdm

    full = _full()
    if name in ("regimes", "slider", "items", "merging"):
        out, networks = {}, {}
        for key, params, protocols, duration, n_trials, seed in tqdm(_specs()[name], desc=name, disable=not progress):
            structure = params.overlap
            if structure not in networks:
                networks[structure] = connect(params, rng=0)
            r = simulate(params, protocols, duration, n_trials, rng=seed, network=networks[structure])
            out.update(_pack(r, key))
        return out
    if name == "delay":
        params = full.replace(mu_exc=REGIME_DRIVES["silent"])
        n = 8
        protocols = [load_item(0, CUE) + readout(CUE_END + d) for d in DELAYS for _ in range(n)]
        duration = CUE_END + max(DELAYS) + 0.35
        r = simulate(params, protocols, duration, len(protocols), rng=20, network=connect(params, rng=0),
                     progress=progress)
        success = np.array([readout_success(r, CUE_END + d)[i * n:(i + 1) * n].mean(axis=0)
                            for i, d in enumerate(DELAYS)])  # (delay, population)
        last = slice((len(DELAYS) - 1) * n, len(DELAYS) * n)  # the longest delay: an undisturbed decay
        window = (r.t >= CUE_END) & (r.t < CUE_END + max(DELAYS))
        return {"delay": np.array(DELAYS), "success": success, "t": r.t[window] - CUE_END,
                "u_cued": r.u[window, last, 0].mean(axis=1), "u_uncued": r.u[window, last, 1:params.n_pop].mean(axis=(1, 2)),
                "n_trials": np.array(n)}
    if name == "phase":
        d = phase_diagram(full, list(PHASE_DRIVES), n_trials=8, duration=4.0, network=connect(full, rng=0), rng=21,
                          progress=progress)
        return {"mu_exc": d.mu_exc, "regime": d.regime.astype("U10"), "fraction": d.fraction, "spurious": d.spurious,
                "rate": d.rate}
    if name == "capacity":
        params = _full(n_pop=8).replace(mu_exc=CAPACITY_DRIVE)
        c = capacity_by_overload(params, n_trials=8, network=connect(params, rng=0), rng=22)
        return {"held": c.held, "spacing": c.spacing, "t_max": np.array(c.t_max), "predicted": c.predicted}
    raise ValueError(f"The 'name' parameter must be a str among {EXPERIMENTS}. Got {name!r} instead.")


def generate(out_dir=FOLDER, experiments=EXPERIMENTS, force: bool = False, progress: bool = True) -> Path:
    """Run the experiments and write ``<out_dir>/<name>.npz`` for each (atomically); existing files are kept unless
    ``force``.  Checks the output folder before starting."""
    return write_experiments(out_dir, experiments, EXPERIMENTS, lambda name: _run_experiment(name, progress), force=force)


def load(name: str, folder=FOLDER):
    """One experiment of :data:`EXPERIMENTS`, as result objects (a dict of runs for the run-based experiments)."""
    if name not in EXPERIMENTS:
        raise ValueError(f"The 'name' parameter of load must be a str among {EXPERIMENTS}. Got {name!r} instead.")
    path = Path(folder) / f"{name}.npz"
    data = load_npz(path, "precomputed run")
    if name in ("regimes", "slider", "items", "merging"):
        keys = sorted({k.split("/")[0] for k in data}, key=lambda k: [s[0] for s in _specs()[name]].index(k))
        return {k: _unpack(data, k, path) for k in keys}
    if name == "phase":
        return PhaseDiagram(data["mu_exc"], data["regime"], data["fraction"], data["spurious"], data["rate"])
    if name == "capacity":
        return Capacity(data["held"], data["spacing"], float(data["t_max"]), data["predicted"])
    return data  # delay: the arrays of the readout-success curve


def main(argv=None):
    ap = argparse.ArgumentParser(description="Regenerate the precomputed runs of the full network.")
    ap.add_argument("--out", default=str(FOLDER), help=f"output folder (default: {FOLDER})")
    ap.add_argument("--force", action="store_true", help="recompute experiments whose file exists")
    ap.add_argument("--only", nargs="*", default=list(EXPERIMENTS), choices=EXPERIMENTS)
    args = ap.parse_args(argv)
    print(generate(args.out, args.only, force=args.force))


if __name__ == "__main__":
    main()
