"""Speed of time-resolved decoding: the batched linear SVM against one scikit-learn SVC per step and resampling.

Run:  python benchmarks/bench_decoding.py [--task DMS] [--seed 0] [--trials 1024] [--svc-steps 25] [--svc-reps 10]
      python benchmarks/bench_decoding.py --full-svc     (also time the SVC loop on the whole protocol: minutes)

On one shipped network, the paper's full protocol (Masse et al. 2019: every time step, 100 resamplings, 25 + 25
trials per class) is decoded from activity h and from synaptic efficacy u*x with ``solver="batched"`` (the default
of :func:`wmlib.analysis.decode_over_time`).  The scikit-learn loop (``solver="sklearn"``) is timed in the same run
on a subset (``--svc-steps`` steps evenly spread over the trial, ``--svc-reps`` resamplings), and so is the batched
solver on that subset: their ratio is the speed-up, and the SVC loop's time per fit gives its time for the full
protocol.  The two solvers' accuracies on the subset are compared (they solve the same problems).  The machine may
be shared: compare the ratios, not the absolute numbers.  The budget is 30 s per network and feature on 2 cores.
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import torch

from wmlib import rnn
from wmlib.analysis import decode_over_time


def timed(features, labels, steps, n_reps, solver="batched"):
    """Seconds taken by one decoding, and its accuracies."""
    t0 = time.perf_counter()
    out = decode_over_time(features, labels, steps, n_reps=n_reps, rng=0, solver=solver)
    return time.perf_counter() - t0, out


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--task", default="DMS", choices=rnn.PAPER_TASKS)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--trials", type=int, default=1024)
    ap.add_argument("--reps", type=int, default=100, help="resamplings of the full protocol (the paper's 100)")
    ap.add_argument("--svc-steps", type=int, default=25)
    ap.add_argument("--svc-reps", type=int, default=10)
    ap.add_argument("--full-svc", action="store_true", help="time the SVC loop on the full protocol too")
    args = ap.parse_args(argv)
    torch.set_num_threads(2)

    rec = rnn.record(rnn.load_pretrained(args.task, args.seed), args.task, args.trials, rng=1, test_mode=True)
    labels = rec.trial.info["sample"]
    labels = labels[:, 0] if labels.ndim > 1 else labels
    n_steps = rec.h.shape[0]
    subset = np.linspace(0, n_steps - 1, args.svc_steps).astype(int)
    decode_over_time(rec.h, labels, subset[:2], n_reps=1)  # load the compiled functions once
    print(f"{args.task} network {args.seed}, {args.trials} trials, {n_steps} steps x {args.reps} resamplings "
          f"= {n_steps * args.reps} eight-class SVMs per feature\n")
    header = f"{'feature':<10} {'batched, full':>14} {'SVC, full':>16} {'subset: SVC / batched':>22} {'max |diff|':>11}"
    print(header)
    print("-" * len(header))
    for name in ("h", "efficacy"):
        features = getattr(rec, name)
        t_full, _ = timed(features, labels, None, args.reps)
        t_svc, ref = timed(features, labels, subset, args.svc_reps, solver="sklearn")
        t_fast, fast = timed(features, labels, subset, args.svc_reps)
        if args.full_svc:
            t_svc_full, _ = timed(features, labels, None, args.reps, solver="sklearn")
            svc_full = f"{t_svc_full:.1f} s"
        else:
            svc_full = f"~{t_svc / ref.size * n_steps * args.reps:.0f} s (est.)"
        print(f"{name:<10} {t_full:>12.1f} s {svc_full:>16} {t_svc / t_fast:>21.1f}x "
              f"{np.abs(fast - ref).max():>11.3f}")


if __name__ == "__main__":
    main()
