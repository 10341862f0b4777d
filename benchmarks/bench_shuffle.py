"""Speed of the shuffle test: stacked repetitions against a straightforward loop over repetitions.

Run:  python benchmarks/bench_shuffle.py [--task DMS] [--seed 0] [--trials 512] [--repeats 100]

The shuffle test of Masse et al. (2019) exchanges, at test onset, the activity or the synaptic state of a trained
network between trials and lets the network finish the trial; the paper repeats it 100 times with fresh noise.
:func:`wmlib.rnn.shuffle_test` stacks the repetitions along the batch axis (up to 8192 trials per call), so the
three branches of 16 repetitions of 512 trials are three calls of the network.  The baseline is the loop anyone
would write first: for each repetition, a new permutation and three calls of the network on the 512 trials, with
the same engine, and the same recurrent-noise generator seeded alike in the three branches.  Both are timed in the
same run (the machine may be shared: compare the ratio, not the absolute times), and their mean accuracies are
printed: they draw different noise, so they agree to within the spread of the repetitions, not bit for bit.
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import torch

from wmlib import rnn


def loop_shuffle(model, task, n_trials, n_repeats, rng=0):
    """The straightforward version: one repetition at a time, three network calls each."""
    rng = np.random.default_rng(rng)
    trial = rnn.make_trials(task, n_trials, rng)
    t0, mask = rnn.shuffle_point(trial)
    inputs = torch.from_numpy(trial.inputs)
    rest = trial._replace(targets=trial.targets[t0:], mask=mask)
    out = np.empty((3, n_repeats))
    with torch.no_grad():
        h, x, u = model(inputs[:t0], noise_generator=torch.Generator().manual_seed(1)).state(t0 - 1)
        for r in range(n_repeats):
            perm = torch.from_numpy(rng.permutation(n_trials))
            seed = int(rng.integers(2**62))
            for b, state in enumerate([(h, x, u), (h[perm], x, u), (h, x[perm], u[perm])]):
                logits = model(inputs[t0:], state=rnn.RNNState(*state),
                               noise_generator=torch.Generator().manual_seed(seed)).logits
                out[b, r] = rnn.accuracy(logits.numpy(), rest)
    return out


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--task", default="DMS", choices=rnn.PAPER_TASKS)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--trials", type=int, default=512)
    ap.add_argument("--repeats", type=int, default=100, help="repetitions (the paper's 100)")
    args = ap.parse_args(argv)
    torch.set_num_threads(2)
    model = rnn.load_pretrained(args.task, args.seed)
    rnn.shuffle_test(model, args.task, n_trials=16, rng=0)  # load the compiled engine once

    start = time.perf_counter()
    fast = rnn.shuffle_test(model, args.task, n_trials=args.trials, n_repeats=args.repeats, rng=0)
    t_fast = time.perf_counter() - start
    start = time.perf_counter()
    slow = loop_shuffle(model, args.task, args.trials, args.repeats)
    t_slow = time.perf_counter() - start

    print(f"{args.task} network {args.seed}: {args.repeats} repetitions of {args.trials} trials, shuffled at test onset\n")
    print(f"{'':<24} {'time':>8} {'intact':>8} {'neuronal':>9} {'synaptic':>9}")
    for name, t, res in (("wmlib.rnn.shuffle_test", t_fast, (fast.intact, fast.neuronal, fast.synaptic)),
                         ("loop over repetitions", t_slow, tuple(slow))):
        print(f"{name:<24} {t:>6.1f} s " + " ".join(f"{np.mean(v):>8.3f}" for v in res))
    print(f"\nspeed-up: {t_slow / t_fast:.1f}x")


if __name__ == "__main__":
    main()
