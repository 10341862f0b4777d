"""Training speed of the STSP RNN (Masse et al. 2019): wmlib against a straightforward PyTorch loop.

Run:  python benchmarks/bench_rnn.py [--batches 1024 256 64] [--repeats 3] [--time-to 0.95 --batch-for-time 256]

Both sides train the same model (same equations, constraints, loss and optimiser step) on the same DMS trials,
timed in the same run (the machine may be shared: compare the ratios, not the absolute numbers):

* baseline: the model written the obvious way, one Python loop over time that computes the input projection, the
  noise, the STSP update, the recurrent step and the readout at every step, differentiated by autograd;
* wmlib: :class:`wmlib.rnn.STSPRNN` (state-independent work batched over all steps, hand-written backward pass
  through time, ``wmlib/rnn/_fused.py``).

Reports seconds per training iteration and trials per second at each batch size, then (``--time-to``) the
wall-clock time for wmlib to reach a running accuracy (mean of the last 10 iterations) on DMS.
For reference, the original TensorFlow code was measured on a 2-core machine of this kind at 1.30 s per iteration
at batch 1024, 0.28 s at 256 and 0.087 s at 64 (numbers given in the issue, not re-measured here).
"""

from __future__ import annotations

import argparse
import math
import time

import numpy as np
import torch
import torch.nn.functional as F

from wmlib.rnn import STSPRNN, make_trials
from wmlib.rnn.training import TrainConfig, train


def baseline_forward(net: STSPRNN, inputs, generator):
    """The straightforward loop: everything per step, autograd records every operation."""
    cfg = net.config
    a = cfg.alpha
    w = net.effective_weights()
    T, B, _ = inputs.shape
    h, x, u = net.initial_state(B)
    logits, hs = [], []
    sd = math.sqrt(2 * a) * cfg.noise_rnn_sd
    for t in range(T):
        x_new = torch.clamp(x + net.alpha_x * (1 - x) - 0.01 * u * x * h, 0, 1)
        u = torch.clamp(u + net.alpha_u * (net.U - u) + 0.01 * net.U * (1 - u) * h, 0, 1)
        x = x_new
        noise = sd * torch.randn(B, cfg.n_hidden, generator=generator)
        h = torch.relu((1 - a) * h + a * (inputs[t] @ w["w_in"] + (u * x * h) @ w["w_rec"] + net.b_rnn) + noise)
        hs.append(h)
        logits.append(h @ w["w_out"] + net.b_out)
    return torch.stack(logits), torch.stack(hs)


def wmlib_forward(net, inputs, generator):
    out = net(inputs, noise_generator=generator)
    return out.logits, out.h


def one_iteration(net, opt, forward, trial, generator, beta=0.02):
    inputs = torch.from_numpy(trial.inputs)
    logits, h = forward(net, inputs, generator)
    ce = F.cross_entropy(logits.reshape(-1, 3), torch.from_numpy(trial.targets).reshape(-1), reduction="none")
    loss = (ce * torch.from_numpy(trial.mask).reshape(-1)).mean() + beta * h.square().mean()
    opt.zero_grad(set_to_none=True)
    loss.backward()
    with torch.no_grad():
        masks = net.gradient_masks()
        for name, p in net.named_parameters():
            if name in masks:
                p.grad.mul_(masks[name])
            torch.nn.utils.clip_grad_norm_([p], 0.1)
    opt.step()
    return loss.item()


def time_side(forward, batch, repeats):
    net = STSPRNN(TrainConfig(task="DMS").network_config(), rng=0)
    opt = torch.optim.Adam(net.parameters(), lr=0.02)
    trials = [make_trials("DMS", batch, k) for k in range(repeats + 1)]
    gen = torch.Generator().manual_seed(0)
    one_iteration(net, opt, forward, trials[0], gen)  # warm-up
    best = float("inf")
    for k in range(repeats):
        t0 = time.perf_counter()
        one_iteration(net, opt, forward, trials[k + 1], gen)
        best = min(best, time.perf_counter() - t0)
    return best


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--batches", type=int, nargs="+", default=[1024, 256, 64])
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--time-to", type=float, default=None, help="also time training DMS to this running accuracy")
    ap.add_argument("--batch-for-time", type=int, default=256)
    args = ap.parse_args(argv)
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads")
    print(f"{'batch':>6} {'baseline s/it':>14} {'wmlib s/it':>11} {'speed-up':>9} {'wmlib trials/s':>15}")
    for batch in args.batches:
        t_base = time_side(baseline_forward, batch, args.repeats)
        t_lib = time_side(wmlib_forward, batch, args.repeats)
        print(f"{batch:>6} {t_base:>14.3f} {t_lib:>11.3f} {t_base / t_lib:>8.2f}x {batch / t_lib:>15.0f}")
    if args.time_to is not None:
        cfg = TrainConfig(task="DMS", batch_size=args.batch_for_time, iterations=3000, stop_accuracy=args.time_to)
        t0 = time.perf_counter()
        res = train(cfg, progress=False, device="cpu")
        elapsed = time.perf_counter() - t0
        acc = np.mean(res.history["accuracy"][-10:])
        print(f"DMS, batch {cfg.batch_size}: running accuracy {acc:.3f} after {res.iteration} iterations, {elapsed:.1f} s")


if __name__ == "__main__":
    main()
