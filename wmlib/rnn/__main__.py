"""Command line: ``python -m wmlib.rnn train --task DMS --seed 0 --out runs/dms0``, ``python -m wmlib.rnn pretrain``
(rebuild the shipped networks; ``--full-protocol``: the DMS networks trained with the paper's whole protocol) and
``python -m wmlib.rnn analyse`` (recompute the shipped analyses of them; ``--full-protocol`` likewise)."""

from __future__ import annotations

import argparse
import sys

from .model import ENGINES
from .pretrained import (
    FULL_PROTOCOL_DIR,
    FULL_PROTOCOL_ITERATIONS,
    N_FULL_PROTOCOL_SEEDS,
    N_SEEDS,
    PRETRAINED_DIR,
    build_full_protocol,
    build_pretrained,
    full_protocol_dir,
    pretrained_plan,
)
from .tasks import PAPER_TASKS, TASKS
from .training import TrainConfig, train

WORKERS_HELP = "threads drawing trials ahead (default: 0 on CPU, up to 4 on a GPU; results do not depend on it)"


def _pretrain(args) -> int:
    full = args.full_protocol
    seeds = args.seeds if args.seeds is not None else list(range(N_FULL_PROTOCOL_SEEDS if full else N_SEEDS))
    out = args.out if args.out is not None else str(FULL_PROTOCOL_DIR if full else PRETRAINED_DIR)
    work = args.work if args.work is not None else ("runs/full_protocol" if full else "runs/pretrained")
    try:
        if full:
            entries = build_full_protocol(seeds, out_dir=out, work_dir=work, device=args.device,
                                          progress=not args.quiet, workers=args.workers)
        else:
            plan = pretrained_plan([] if args.controls_only else args.tasks, seeds, controls=not args.no_controls)
            entries = build_pretrained(plan, out_dir=out, work_dir=work, device=args.device,
                                       progress=not args.quiet, overwrite=args.overwrite,
                                       max_replacements=args.max_replacements, workers=args.workers)
    except (ValueError, TypeError, FloatingPointError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    for e in entries:
        print(f"{e['file']:<24} {e['iterations']:>5} it  accuracy {e['accuracy']:.3f}")
    return 0


def _analyse(args) -> int:
    from .shipped_analyses import build_analyses

    folders = [full_protocol_dir(k) for k in FULL_PROTOCOL_ITERATIONS] if args.full_protocol else [args.dir]
    try:
        for folder in folders:
            print(f"wrote {build_analyses(folder, progress=not args.quiet, networks=not args.no_networks)}")
    except (ValueError, TypeError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    return 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m wmlib.rnn", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    t = sub.add_parser("train", help="train a network (resumes from OUT/checkpoint.npz if present)")
    t.add_argument("--task", required=True, choices=sorted(TASKS))
    t.add_argument("--seed", type=int, default=0)
    t.add_argument("--out", required=True, help="folder for the checkpoint")
    t.add_argument("--device", default="auto", help="auto (GPU if available), cpu, cuda or cuda:N")
    t.add_argument("--batch-size", type=int, default=TrainConfig.batch_size)
    t.add_argument("--iterations", type=int, default=TrainConfig.iterations)
    t.add_argument("--learning-rate", type=float, default=TrainConfig.learning_rate)
    t.add_argument("--spike-cost", type=float, default=TrainConfig.spike_cost)
    t.add_argument("--checkpoint-every", type=int, default=TrainConfig.checkpoint_every)
    t.add_argument("--stop-accuracy", type=float, default=TrainConfig.stop_accuracy,
                   help="stop once the mean accuracy of the last 10 iterations reaches this")
    t.add_argument("--no-stsp", action="store_true", help="control network without short-term plasticity")
    t.add_argument("--engine", default=TrainConfig.engine, choices=ENGINES,
                   help="how the time loop is computed: auto (numba on CPU, torch on GPU), numba, torch, autograd")
    t.add_argument("--no-resume", action="store_true", help="start afresh even if a checkpoint exists")
    t.add_argument("--workers", type=int, default=None, help=WORKERS_HELP)
    t.add_argument("--quiet", action="store_true", help="no progress bar")
    p = sub.add_parser("pretrain", help="(re)build the shipped pretrained networks and their manifest")
    p.add_argument("--tasks", nargs="+", default=list(PAPER_TASKS), choices=sorted(TASKS), metavar="TASK")
    p.add_argument("--seeds", nargs="+", type=int, default=None,
                   help=f"default: 0-{N_SEEDS - 1} (--full-protocol: 0-{N_FULL_PROTOCOL_SEEDS - 1})")
    p.add_argument("--no-controls", action="store_true", help="skip the DMS networks without STSP")
    p.add_argument("--controls-only", action="store_true", help="only the DMS networks without STSP")
    p.add_argument("--full-protocol", action="store_true",
                   help="the DMS networks trained with the paper's whole protocol, kept at several points of training")
    p.add_argument("--out", default=None, help="folder of the network files and manifest.json (default: the shipped one)")
    p.add_argument("--work", default=None,
                   help="folder of the training checkpoints (resumed; default runs/pretrained or runs/full_protocol)")
    p.add_argument("--device", default="auto")
    p.add_argument("--overwrite", action="store_true", help="retrain networks whose file already exists")
    p.add_argument("--max-replacements", type=int, default=N_SEEDS,
                   help="seeds tried per task in place of those below 90 %% (0: none, e.g. one process per seed)")
    p.add_argument("--workers", type=int, default=None, help=WORKERS_HELP)
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    a = sub.add_parser("analyse", help="recompute the analyses shipped with the networks (analyses.json)")
    a.add_argument("--dir", default=str(PRETRAINED_DIR), help="folder of the shipped networks")
    a.add_argument("--full-protocol", action="store_true",
                   help="every folder of the full-protocol DMS networks (instead of --dir)")
    a.add_argument("--quiet", action="store_true", help="no progress bar")
    a.add_argument("--no-networks", action="store_true",
                   help="only the dual-DMS cued persistence, not the per-network analyses (about an hour on 2 cores)")
    args = parser.parse_args(argv)
    if args.command == "pretrain":
        return _pretrain(args)
    if args.command == "analyse":
        return _analyse(args)
    try:
        config = TrainConfig(task=args.task, seed=args.seed, batch_size=args.batch_size, iterations=args.iterations,
                             learning_rate=args.learning_rate, spike_cost=args.spike_cost, stsp=not args.no_stsp,
                             checkpoint_every=args.checkpoint_every, stop_accuracy=args.stop_accuracy,
                             engine=args.engine)
        result = train(config, out_dir=args.out, resume=not args.no_resume, device=args.device, progress=not args.quiet,
                       workers=args.workers)
    except (ValueError, TypeError, FloatingPointError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    acc = result.history["accuracy"]
    print(f"{config.task} seed {config.seed}: {result.iteration} iterations, "
          f"final accuracy {acc[-10:].mean():.3f} (mean of last 10), checkpoint {result.path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
