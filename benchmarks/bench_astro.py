"""Speed of the neuron–astrocyte network (Tsybina et al. 2022): wmlib's engines against a straightforward NumPy/SciPy
version, on the same network, in the same run.

Run:  python benchmarks/bench_astro.py [--sizes 40 79 151] [--duration 0.1] [--device cuda] [--protocol]

Per grid size (neurons per side; 100 synapses per neuron, 50 at 40 x 40), one trial of the analog network with the
loading current on (every neuron firing, the astrocytes taking glutamate), for ``--duration`` simulated seconds:
milliseconds of wall time per simulated millisecond for

* the baseline, ``benchmarks/astro_numpy.py`` (whole-array NumPy, ``scipy.sparse`` synaptic sums);
* wmlib's compiled CPU engine (``device=None``; one trial runs on one core, a batch runs one trial per core);
* wmlib's torch engine on the CPU (at the smallest size only: it is built for GPUs) and on ``--device``.

Spike counts are printed to show that the versions simulate the same activity (equal up to float rounding).  With
``--protocol``, the full protocol of Tsybina et al. (loading run of 1.9 s, then four cues of 0.7 s each, replayed
calcium) is timed at 79 x 79 and 151 x 151, each in a fresh process whose peak memory is reported, against the book's
goals (30 s and 5 min on 2 cores, under 2 GB).  Only ratios measured in one run are meaningful on a shared machine.
"""

from __future__ import annotations

import argparse
import json
import pathlib
import subprocess
import sys
import time

import numpy as np

from wmlib import astrocyte as ast

HERE = pathlib.Path(__file__).parent
sys.path.insert(0, str(HERE))

import astro_numpy  # noqa: E402

_PROTOCOL = """
import json, resource, sys, time
from wmlib import astrocyte as ast
from wmlib.astrocyte import precomputed
size = int(sys.argv[1])
params = ast.AnalogParams(size=size)
image = ast.portrait(size)
cues = precomputed.cues(size)
ast.recall(ast.AnalogParams(size=10, n_out=5), ast.portrait(10), precomputed.cues(10), mode="replay")  # compile
t = time.perf_counter()
r = ast.recall(params, image, cues, mode="replay", rng=42, device=None if sys.argv[2] == "none" else sys.argv[2])
wall = time.perf_counter() - t
print(json.dumps({"wall": wall, "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "psnr": r.psnr[0].round(2).tolist()}))
"""


def _case(size: int):
    params = ast.AnalogParams(size=size, n_out=50 if size < 60 else 100)
    image = ast.portrait(size)
    wiring = ast.store_image(ast.connect(params, 0), image, params)
    return params, wiring, ast.load_current(image)


def _time(fn, repeats=2):
    best = np.inf
    out = None
    for _ in range(repeats):
        t = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t)
    return best, out


def _bench_size(size: int, args) -> None:
    params, wiring, current = _case(size)
    n_steps = params.steps(args.duration)
    sim_ms = args.duration * 1e3
    t_np, counts_np = _time(lambda: astro_numpy.run(params, wiring, current, n_steps), repeats=1)
    print(f"{size:>5} {'numpy + scipy.sparse':>22} {1e3 * t_np / sim_ms:9.3f} {1.0:9.2f} {int(counts_np.sum()):8d}")
    engines = [("compiled CPU (numba)", None)]
    if size == min(args.sizes):
        engines.append(("torch, cpu", "cpu"))
    if args.device:
        engines.append((f"torch, {args.device}", args.device))
    for label, device in engines:
        def run(device=device):
            return ast.simulate(params, wiring, args.duration, device=device,
                                stimuli=[ast.Stimulus(0.0, args.duration, current)], windows=[(0.0, args.duration)])

        if device not in (None, "cpu"):
            run()  # warm-up on the GPU
        t, res = _time(run, repeats=1 if device == "cpu" else 2)
        print(f"{size:>5} {label:>22} {1e3 * t / sim_ms:9.3f} {t_np / t:9.2f} {int(res.counts.sum()):8d}")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[40, 79, 151])
    ap.add_argument("--duration", type=float, default=0.1, help="simulated seconds per timing")
    ap.add_argument("--device", default=None, help="also time the torch engine here (e.g. cuda)")
    ap.add_argument("--protocol", action="store_true", help="time the full protocol at 79 and 151 (subprocesses)")
    args = ap.parse_args(argv)
    small = _case(10)
    ast.simulate(small[0], small[1], 0.002, stimuli=[ast.Stimulus(0.0, 0.002, small[2])])  # compile
    print(f"{'size':>5} {'engine':>22} {'ms/ms':>9} {'vs numpy':>9} {'spikes':>8}")
    for size in args.sizes:
        _bench_size(size, args)
    if args.protocol:
        print("\nfull protocol (1.9 s loading + 4 cues of 0.7 s, replayed calcium), fresh process each:")
        goals = {79: 30.0, 151: 300.0}
        for size in (79, 151):
            for device in ["none"] + ([args.device] if args.device else []):
                out = subprocess.run([sys.executable, "-c", _PROTOCOL, str(size), device], capture_output=True,
                                     text=True, check=True)
                r = json.loads(out.stdout.strip().splitlines()[-1])
                print(f"  {size} x {size} ({'CPU engine' if device == 'none' else device}): {r['wall']:.1f} s "
                      f"(goal {goals[size]:g} s), peak memory {r['peak_mb']:.0f} MB (goal < 2048), PSNR {r['psnr']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
