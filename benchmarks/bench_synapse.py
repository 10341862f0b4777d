"""Speed of the batched Tsodyks-Markram simulation against one-synapse-at-a-time loops.

Run:  python benchmarks/bench_synapse.py [--synapses 1000] [--spikes 200] [--repeats 3]

Both sides are timed in the same run on the same inputs (the machine may be shared, so only the ratio is
meaningful), and the results are checked to be identical before the times are reported.

* event-driven: ``simulate_spikes`` on a (n_spikes, n_synapses) array of Poisson trains with one parameter set per
  synapse, against a Python loop calling it once per synapse;
* rate model: ``simulate_rate`` for n_synapses rates at once, against a loop over synapses.
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from wmlib import synapse


def best_of(fn, repeats):
    best, out = float("inf"), None
    for _ in range(repeats):
        t0 = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t0)
    return best, out


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--synapses", type=int, default=1000)
    ap.add_argument("--spikes", type=int, default=200, help="approximate spikes per train")
    ap.add_argument("--repeats", type=int, default=3)
    args = ap.parse_args(argv)
    n = args.synapses
    rng = np.random.default_rng(0)

    # a sweep over facilitation time constants, one per synapse
    tau_f = rng.uniform(0.1, 2.0, n)
    params = synapse.MBT08.replace(tau_f=tau_f)
    trains = synapse.poisson_train(20.0, args.spikes / 20.0, rng=1, n_trains=n)

    def batched():
        return synapse.simulate_spikes(trains, params).release

    def looped():
        out = np.full(trains.shape, np.nan)
        for j in range(n):
            s = trains[:, j][~np.isnan(trains[:, j])]
            out[: s.size, j] = synapse.simulate_spikes(s, synapse.MBT08.replace(tau_f=float(tau_f[j]))).release
        return out

    t_b, r_b = best_of(batched, args.repeats)
    t_l, r_l = best_of(looped, 1)
    valid = ~np.isnan(trains)
    assert np.allclose(r_b[valid], r_l[valid], rtol=1e-12, atol=0), "batched and looped results differ"
    print(f"event-driven, {n} synapses x ~{args.spikes} spikes: batched {t_b:.3f} s, loop {t_l:.3f} s, "
          f"speed-up x{t_l / t_b:.1f}")

    steps = 2000
    rates = rng.uniform(1.0, 40.0, (steps, n))
    p_rate = synapse.MBT08.replace(tau_f=tau_f, dt=1e-3)

    def rate_batched():
        return synapse.simulate_rate(rates, p_rate).efficacy

    def rate_looped():
        cols = [synapse.simulate_rate(rates[:, j], synapse.MBT08.replace(tau_f=float(tau_f[j]), dt=1e-3)).efficacy
                for j in range(n)]
        return np.stack(cols, axis=1)

    t_b, r_b = best_of(rate_batched, args.repeats)
    t_l, r_l = best_of(rate_looped, 1)
    assert np.allclose(r_b, r_l, rtol=1e-12, atol=0), "batched and looped rate results differ"
    print(f"rate model, {n} synapses x {steps} steps: batched {t_b:.3f} s, loop {t_l:.3f} s, speed-up x{t_l / t_b:.1f}")


if __name__ == "__main__":
    main()
