"""Training speed of the STSP RNN (Masse et al. 2019): wmlib against a straightforward PyTorch loop.

Run:  python benchmarks/bench_rnn.py [--batches 1024 256 64] [--repeats 3] [--time-to 0.95 --batch-for-time 256]
      python benchmarks/bench_rnn.py --device cuda --time-to 0.95 --batch-for-time 1024   (on a GPU)

Both sides train the same model (same equations, constraints, loss and optimiser step) on the same DMS trials,
timed in the same run (the machine may be shared: compare the ratios, not the absolute numbers):

* baseline: the model written the obvious way, one Python loop over time that computes the input projection, the
  noise, the STSP update, the recurrent step and the readout at every step, differentiated by autograd;
* wmlib, engine "torch": :class:`wmlib.rnn.STSPRNN` with state-independent work batched over all steps and a
  hand-written backward pass through time in tensor operations (``wmlib/rnn/_engine_torch.py``; also the GPU engine);
* wmlib, engine "numba" (the default on CPU): the same, with each step's elementwise work, the readout and the
  spike cost compiled into one pass, and (large batches) the recurrent noise drawn in a helper thread while the
  time loop runs (``wmlib/rnn/_engine_numba.py``).

All sides run inside :func:`wmlib.rnn._heap.reuse_freed_memory`, as :func:`~wmlib.rnn.training.train` does
(freed large arrays stay in the heap for the next iteration instead of being faulted in again).  What that
setting is worth cannot be timed within one process (the heap keeps its history): compare a run with
``--plain-heap`` (every side without it) and one without.

Reports seconds per training iteration (best of ``--repeats``), the speed-up over the baseline, and the speed-up
over the original TensorFlow code, whose times on a 2-core machine of this kind were given in the issue
(1.30 s per iteration at batch 1024, 0.28 s at 256, 0.087 s at 64; not re-measured here, TensorFlow is not
installed).  Then (``--time-to``) the wall-clock time for the default engine to reach a running accuracy
(mean of the last 10 iterations) on DMS.

With ``--device cuda`` both the baseline and the "torch" engine run on the GPU (numba is CPU-only), each timed
iteration ends with ``torch.cuda.synchronize()``, and the trials/s of the torch engine are reported; the
TensorFlow column then compares with the 2-core CPU times above, not with a GPU.
"""

from __future__ import annotations

import argparse
import math
import time

import numpy as np
import torch
import torch.nn.functional as F

from wmlib.rnn import STSPRNN, make_trials
from wmlib.rnn._heap import reuse_freed_memory
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
        noise = sd * torch.randn(B, cfg.n_hidden, generator=generator, device=inputs.device)
        h = torch.relu((1 - a) * h + a * (inputs[t] @ w["w_in"] + (u * x * h) @ w["w_rec"] + net.b_rnn) + noise)
        hs.append(h)
        logits.append(h @ w["w_out"] + net.b_out)
    return torch.stack(logits), torch.stack(hs).square().mean()


def wmlib_forward(engine):
    def forward(net, inputs, generator):
        out = net(inputs, noise_generator=generator, engine=engine)
        return out.logits, out.mean_square_rate()

    return forward


#: seconds per iteration of the original TensorFlow implementation (issue #3), by batch size
TENSORFLOW_S_PER_IT = {1024: 1.30, 256: 0.28, 64: 0.087}


def one_iteration(net, opt, forward, trial, generator, beta=0.02):
    dev = net.h0.device
    inputs = torch.from_numpy(trial.inputs).to(dev)
    logits, spike = forward(net, inputs, generator)  # spike: mean(h^2)
    targets, mask = torch.from_numpy(trial.targets).to(dev), torch.from_numpy(trial.mask).to(dev)
    ce = F.cross_entropy(logits.reshape(-1, 3), targets.reshape(-1), reduction="none")
    loss = (ce * mask.reshape(-1)).mean() + beta * spike
    opt.zero_grad(set_to_none=True)
    loss.backward()
    with torch.no_grad():
        masks = net.gradient_masks()
        for name, p in net.named_parameters():
            if name in masks:
                p.grad.mul_(masks[name])
            torch.nn.utils.clip_grad_norm_([p], 0.1)
    opt.step()
    value = loss.item()
    if dev.type == "cuda":
        torch.cuda.synchronize(dev)
    return value


def time_side(forward, batch, repeats, reuse=True, device="cpu"):
    """Best of ``repeats`` seconds per training iteration (after one warm-up iteration); the trials are
    drawn beforehand (their cost is the same for every side)."""
    if reuse:
        with reuse_freed_memory():
            return time_side(forward, batch, repeats, reuse=False, device=device)
    net = STSPRNN(TrainConfig(task="DMS").network_config(), rng=0).to(device)
    opt = torch.optim.Adam(net.parameters(), lr=0.02)
    trials = [make_trials("DMS", batch, k) for k in range(repeats + 1)]
    gen = torch.Generator(device=device).manual_seed(0)
    one_iteration(net, opt, forward, trials[0], gen)  # warm-up
    best = float("inf")
    for k in range(repeats):
        t0 = time.perf_counter()
        one_iteration(net, opt, forward, trials[k + 1], gen)
        best = min(best, time.perf_counter() - t0)
    return best


def arithmetic_floor(batch, repeats, n_steps=250, n=100):
    """Seconds that no implementation of this training step can avoid here: drawing the recurrent noise
    (T*B*N normal numbers, torch's generator) and the three (B, N) x (N, N) matrix products per step
    (forward p_t W, backward dL/dz_t W^T and p_t^T dL/dz_t), timed with the same BLAS."""
    gen = torch.Generator().manual_seed(0)
    a, w, out = torch.rand(batch, n), torch.rand(n, n), torch.empty(batch, n)
    best_noise = best_mm = float("inf")
    for _ in range(repeats):
        t0 = time.perf_counter()
        torch.randn((n_steps * batch, n), generator=gen)
        t1 = time.perf_counter()
        for _ in range(3 * n_steps):
            torch.mm(a, w, out=out)
        t2 = time.perf_counter()
        best_noise, best_mm = min(best_noise, t1 - t0), min(best_mm, t2 - t1)
    return best_noise, best_mm


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--batches", type=int, nargs="+", default=[1024, 256, 64])
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--time-to", type=float, default=None, help="also time training DMS to this running accuracy")
    ap.add_argument("--batch-for-time", type=int, default=256)
    ap.add_argument("--engine-for-time", default="auto")
    ap.add_argument("--plain-heap", action="store_true", help="time every side without reuse_freed_memory")
    ap.add_argument("--device", default="cpu", help="cpu (default) or cuda: where both sides run")
    ap.add_argument("--workers", type=int, default=None, help="trial-drawing threads for --time-to (train's default)")
    args = ap.parse_args(argv)
    reuse = not args.plain_heap
    if args.device != "cpu":
        return main_gpu(args)
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads")
    print(f"heap: {'freed arrays reused (as in training)' if reuse else 'plain (glibc defaults)'}")
    print(f"{'batch':>6} {'baseline':>9} {'torch':>7} {'numba':>7}  (s/it)  {'numba vs baseline':>17} "
          f"{'torch vs baseline':>17} {'numba vs TF':>11} {'numba trials/s':>14}")
    floors = []
    for batch in args.batches:
        t_base = time_side(baseline_forward, batch, args.repeats, reuse)
        t_torch = time_side(wmlib_forward("torch"), batch, args.repeats, reuse)
        t_numba = time_side(wmlib_forward("numba"), batch, args.repeats, reuse)
        tf = TENSORFLOW_S_PER_IT.get(batch)
        vs_tf = f"{tf / t_numba:>10.2f}x" if tf else f"{'-':>11}"
        print(f"{batch:>6} {t_base:>9.3f} {t_torch:>7.3f} {t_numba:>7.3f}          {t_base / t_numba:>16.2f}x "
              f"{t_base / t_torch:>16.2f}x {vs_tf} {batch / t_numba:>14.0f}")
        floors.append((batch, *arithmetic_floor(batch, args.repeats), tf))
    print("\nfloor (noise draw + 3 x 250 matrix products; everything else in an iteration comes on top):")
    for batch, noise, mm, tf in floors:
        best = f", so at best {tf / (noise + mm):.2f}x the TensorFlow time" if tf else ""
        print(f"{batch:>6}: noise {noise:.3f} s + products {mm:.3f} s = {noise + mm:.3f} s{best}")
    if args.time_to is not None:
        time_to_accuracy(args, "cpu")

def time_to_accuracy(args, device):
    """Wall-clock time for the default engine to reach ``--time-to`` running accuracy on DMS."""
    cfg = TrainConfig(task="DMS", batch_size=args.batch_for_time, iterations=3000, stop_accuracy=args.time_to,
                      engine=args.engine_for_time)
    t0 = time.perf_counter()
    res = train(cfg, progress=False, device=device, workers=args.workers)
    elapsed = time.perf_counter() - t0
    acc = np.mean(res.history["accuracy"][-10:])
    print(f"DMS on {device}, batch {cfg.batch_size}, engine {cfg.engine}: running accuracy {acc:.3f} after "
          f"{res.iteration} iterations ({res.iteration * cfg.batch_size} trials), {elapsed:.1f} s")


def main_gpu(args):
    """Baseline and torch engine on the GPU; then the time to ``--time-to`` on DMS, trials drawn ahead on the CPU."""
    dev = torch.device(args.device)
    name = torch.cuda.get_device_name(dev) if dev.type == "cuda" else str(dev)
    print(f"torch {torch.__version__}, {name}, {torch.get_num_threads()} CPU threads")
    print(f"{'batch':>6} {'baseline':>9} {'torch':>7}  (s/it)  {'torch vs baseline':>17} {'TF (2-core CPU) / torch':>23} "
          f"{'torch trials/s':>14}")
    for batch in args.batches:
        t_base = time_side(baseline_forward, batch, args.repeats, False, dev)
        t_torch = time_side(wmlib_forward("torch"), batch, args.repeats, False, dev)
        tf = TENSORFLOW_S_PER_IT.get(batch)
        vs_tf = f"{tf / t_torch:>22.2f}x" if tf else f"{'-':>23}"
        print(f"{batch:>6} {t_base:>9.3f} {t_torch:>7.3f}          {t_base / t_torch:>16.2f}x {vs_tf} {batch / t_torch:>14.0f}")
    if args.time_to is not None:
        time_to_accuracy(args, args.device)

if __name__ == "__main__":
    main()
