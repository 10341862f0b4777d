"""Speed of the batched cluster-model sweep (Mi, Katkov & Tsodyks 2017) against one parameter set at a time.

Run:  python benchmarks/bench_capacity.py [--points 1000] [--loop-points 20] [--duration 2.5] [--jobs N] [--device cuda]

Both sides run in the same process on the same parameter grid (I_b x tau_d): the batched call
``capacity.summarize`` integrates all points at once (in threads over chunks), the baseline calls it once per
point.  The loop is timed on ``--loop-points`` points and scaled (its cost is linear in the number of points);
the capacities of those points are checked to be identical.  The goal stated in the issue is >= 1000 points
of a 2.5 s simulation in <= 10 s on 2 cores.  Only ratios are meaningful on a shared machine.
``--device`` also times the PyTorch path (``summarize(..., device=...)``) on that device, e.g. a GPU, and
checks that it finds the same capacities.
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from wmlib import capacity as cap


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--points", type=int, default=1000)
    ap.add_argument("--loop-points", type=int, default=20)
    ap.add_argument("--duration", type=float, default=2.5)
    ap.add_argument("--jobs", type=int, default=None, help="threads for the batched call (default: all cores)")
    ap.add_argument("--device", default=None, help="also time the torch path on this device (cpu, cuda)")
    args = ap.parse_args(argv)
    side = int(np.ceil(np.sqrt(args.points)))
    I_b, tau_d = np.meshgrid(np.linspace(2.0, 12.0, side), np.linspace(0.15, 0.6, side))
    I_b, tau_d = I_b.ravel()[: args.points], tau_d.ravel()[: args.points]
    protocol = cap.LoadingProtocol(n_items=5)

    t0 = time.perf_counter()
    window = min(1.0, args.duration / 2)
    batched = cap.summarize(cap.ClusterParams(I_b=I_b, tau_d=tau_d), protocol, args.duration, window=window,
                            n_jobs=args.jobs)
    t_batch = time.perf_counter() - t0

    idx = np.linspace(0, args.points - 1, args.loop_points).astype(int)
    t0 = time.perf_counter()
    looped = [cap.summarize(cap.ClusterParams(I_b=I_b[i], tau_d=tau_d[i]), protocol, args.duration, window=window,
                            n_jobs=1).n_active
              for i in idx]
    t_loop = (time.perf_counter() - t0) * args.points / args.loop_points
    assert np.array_equal(np.array(looped), batched.n_active[idx]), "batched and looped capacities differ"

    print(f"{args.points} parameter points, {args.duration} s each (dt {cap.ClusterParams.dt * 1e3:g} ms, 5 items):")
    print(f"  batched: {t_batch:7.2f} s  ({args.points / t_batch:8.1f} points/s)")
    print(f"  loop:    {t_loop:7.2f} s  ({args.points / t_loop:8.1f} points/s, from {args.loop_points} points)")
    print(f"  speed-up: x{t_loop / t_batch:.1f}")
    if args.device is not None:
        cap.summarize(cap.ClusterParams(I_b=I_b[:2], tau_d=tau_d[:2]), protocol, 0.01, window=0.005,
                      device=args.device)  # warm-up (CUDA context)
        t0 = time.perf_counter()
        other = cap.summarize(cap.ClusterParams(I_b=I_b, tau_d=tau_d), protocol, args.duration, window=window,
                              device=args.device)
        t_dev = time.perf_counter() - t0
        same = np.mean(other.n_active == batched.n_active)
        print(f"  torch on {args.device}: {t_dev:7.2f} s  ({args.points / t_dev:8.1f} points/s, x{t_batch / t_dev:.2f} "
              f"vs the compiled kernel; same capacity at {100 * same:.1f} % of points)")
    if args.points >= 1000 and args.duration >= 2.5:
        print(f"  goal (1000 points of 2.5 s in <= 10 s): {'met' if t_batch * 1000 / args.points <= 10 else 'NOT met'}")


if __name__ == "__main__":
    main()
