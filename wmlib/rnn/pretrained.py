"""Pretrained networks shipped with wmlib, and the script that regenerates them.

The book's chapters analyse trained networks without training them in the page.
They are stored in ``wmlib/rnn/pretrained/`` as one ``.npz`` file per network
(parameters and configuration, no pickle) plus ``manifest.json``, a list with one
entry per network: task, seed, STSP or not, iterations trained, the accuracy on
fresh trials and the full training configuration.

Protocol (differs from the paper; the chapter says so)
------------------------------------------------------
Masse et al. (2019) trained every network for 2000 iterations of 1024 trials on a GPU.
On the 2-core CPU the book is built on that takes hours per network, so the shipped
networks use :data:`PROTOCOL`: batches of 64 trials (dualDMS: the paper's, :data:`TASK_PROTOCOL`),
training stops when the running accuracy (mean of the last 10 iterations) reaches 0.95
or after a cap of iterations;
everything else (learning rate, spike cost, clipping, noise, tasks) is the paper's.
They have seen ~20-60 times fewer trials than the paper's networks, which matters for
what they learn: the spike cost has had less time to silence the delay activity.

Each network is then evaluated on :data:`EVAL_TRIALS` fresh trials (with noise, seeded
by :func:`eval_seed`) and the accuracy is recorded in the manifest.  As in the paper's
analyses, only networks above 90 % are kept (:data:`INCLUSION_ACCURACY`): one that falls
short is listed in ``excluded.json`` (:func:`list_excluded`) and the next seed of its task
replaces it.  Regenerate with::

    python -m wmlib.rnn pretrain --out wmlib/rnn/pretrained          # everything
    python -m wmlib.rnn pretrain --tasks DMS DMC --seeds 0 1 --out ...  # a subset

To see what the shorter protocol changes, five DMS networks are also trained with the paper's whole protocol (2000
iterations of 1024 trials, no early stop) and kept after 100, 200, 500, 1000 and 2000 iterations, each point in its own
folder (:func:`full_protocol_dir`; ``python -m wmlib.rnn pretrain --full-protocol``).

Training resumes from ``--work`` checkpoints; on a GPU pass ``--device cuda`` (the
trials and noise are seeded the same way, but GPU arithmetic differs in the last bits,
so GPU-trained networks are not bit-identical to CPU-trained ones).  Each manifest entry
records the device and the torch version it was trained with: some dualDMS networks were
trained on a GPU (an NVIDIA H200, about 8 minutes for 2000 iterations of 1024 trials,
against about half an hour on 2 CPU cores).  Their accuracy was measured on the CPU, like
every other network's.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, replace
from importlib import resources
from pathlib import Path

import numpy as np
import torch

from .._io import check_path, load_npz, read_json_entry, save_npz, write_json
from .._validation import Boolean, Interval, Options, validate_params
from .model import STSPRNN, RNNConfig
from .tasks import FIXATION, PAPER_TASKS, TASKS, accuracy, check_trial_matches, make_trials
from .training import TrainConfig, resolve_device, train

__all__ = ["N_SEEDS", "N_CONTROL_SEEDS", "PROTOCOL", "TASK_PROTOCOL", "EVAL_TRIALS", "INCLUSION_ACCURACY",
           "pretrained_plan", "load_pretrained", "list_pretrained", "list_excluded", "evaluate", "eval_seed",
           "build_pretrained", "load_history", "write_manifest", "save_network", "load_network", "PRETRAINED_DIR",
           "FULL_PROTOCOL_DIR", "FULL_PROTOCOL_ITERATIONS", "N_FULL_PROTOCOL_SEEDS", "full_protocol_dir",
           "full_protocol_plan", "build_full_protocol"]

#: Training settings of the shipped networks (the rest are the :class:`TrainConfig` defaults = the paper's).
#: They were trained with the "torch" engine; the faster "numba" engine computes the same equations with
#: a different rounding order, so it would not regenerate these files bit for bit.
PROTOCOL = {"batch_size": 64, "stop_accuracy": 0.95, "checkpoint_every": 100, "engine": "torch"}
#: Tasks trained with other settings than :data:`PROTOCOL`.  dualDMS (two samples, two cued tests) stays
#: at chance with batches of 64.  With 256 and up to 4000 iterations (half the paper's trials) one of three
#: seeds passed 90 % (the other two are in ``excluded.json``), so dualDMS gets the paper's own protocol:
#: batches of 1024 for up to 2000 iterations (about half an hour per network on 2 cores, 8 minutes on a GPU), with
#: the fastest engine of the device ("auto": numba on a CPU, torch on a GPU); the manifest's "device" says
#: which one ran.
TASK_PROTOCOL = {"dualDMS": {"batch_size": 1024, "engine": "auto"}}
#: Iteration cap per task (longer trials and harder rules get more; dualDMS: the paper's 2000).
ITERATION_CAP = {"ABBA": 4000, "ABCA": 4000, "dualDMS": 2000, "DMS+DMRS": 4000}
DEFAULT_CAP = 2500
#: Iteration cap of the DMS controls without STSP (the same as the other single-delay tasks).
CONTROL_CAP = DEFAULT_CAP
#: Fresh trials on which each shipped network's accuracy is measured.
EVAL_TRIALS = 1024
#: Networks per task: the paper's 20, enough to test correlations and differences across networks.
N_SEEDS = 20
#: DMS networks without STSP (the control: whether they fail is the result).
N_CONTROL_SEEDS = 5
MANIFEST = "manifest.json"
#: The paper's inclusion criterion: a network with STSP is shipped only if its accuracy on fresh trials
#: reaches this.  One that does not is listed in :data:`EXCLUDED` (with its accuracy and configuration)
#: and the next unused seed of its task is trained in its place, so every task keeps ``N_SEEDS`` networks.
#: The DMS controls without STSP are shipped whatever their accuracy: whether they fail is the result.
INCLUSION_ACCURACY = 0.9
EXCLUDED = "excluded.json"

PRETRAINED_DIR = Path(str(resources.files("wmlib.rnn") / "pretrained"))

#: DMS networks trained with the paper's whole protocol (batches of 1024 trials, 2000 iterations, no early stop), to
#: show what training length does to the delay activity.  Each network is kept at several points of its training:
#: ``FULL_PROTOCOL_DIR / "iterations_0500"`` holds every seed after 500 iterations, with its own manifest and analyses,
#: so that :func:`load_pretrained` and :func:`~wmlib.rnn.shipped_network_analyses` read it like the main set.
FULL_PROTOCOL_DIR = PRETRAINED_DIR / "full_protocol"
#: The points of training kept (iterations of 1024 trials; the last is the paper's full length).
FULL_PROTOCOL_ITERATIONS = (100, 200, 500, 1000, 2000)
#: Seeds trained with the full protocol.
N_FULL_PROTOCOL_SEEDS = 5


def network_name(task: str, seed: int, stsp: bool = True) -> str:
    """File stem of a shipped network, e.g. ``DMS_s0`` or ``DMS_nostsp_s0``."""
    safe = task.replace("+", "_")
    return f"{safe}{'' if stsp else '_nostsp'}_s{seed}"


def pretrained_plan(tasks=PAPER_TASKS, seeds=range(N_SEEDS), controls: bool = True) -> list[TrainConfig]:
    """The training configurations of the shipped set: every task x seed, plus DMS controls without STSP (the seeds
    below :data:`N_CONTROL_SEEDS`)."""
    plan = []
    for task in tasks:
        for seed in seeds:
            settings = {**PROTOCOL, **TASK_PROTOCOL.get(task, {})}
            plan.append(TrainConfig(task=task, seed=int(seed), iterations=ITERATION_CAP.get(task, DEFAULT_CAP), **settings))
    if controls:
        for seed in (s for s in seeds if s < N_CONTROL_SEEDS):
            plan.append(TrainConfig(task="DMS", seed=int(seed), stsp=False, iterations=CONTROL_CAP, **PROTOCOL))
    return plan


def full_protocol_dir(iterations: int, directory=FULL_PROTOCOL_DIR) -> Path:
    """The folder of the full-protocol DMS networks after ``iterations`` (one of :data:`FULL_PROTOCOL_ITERATIONS`).

    Examples
    --------
    >>> net = load_pretrained("DMS", seed=0, directory=full_protocol_dir(2000))
    >>> net.pretrained["trials_seen"]
    2048000
    """
    validate_params("full_protocol_dir", {"iterations": iterations},
                    {"iterations": Interval(1, 10**7, "both", integer=True)})
    if not isinstance(directory, (str, os.PathLike)):
        raise TypeError(f"The 'directory' parameter of full_protocol_dir must be a str or a path. "
                        f"Got {directory!r} instead.")
    return Path(directory) / f"iterations_{int(iterations):04d}"


def _int_list(owner: str, name: str, values, low: int) -> list[int]:
    """``values`` as a non-empty list of distinct ints >= ``low``, or a ValueError naming the parameter."""
    try:
        out = list(values)
    except TypeError:
        out = []
    if not out or len(set(out)) != len(out) or not all(
            isinstance(v, (int, np.integer)) and not isinstance(v, bool) and v >= low for v in out):
        raise ValueError(f"The {name!r} parameter of {owner} must be a non-empty list of distinct ints >= {low}. "
                         f"Got {values!r} instead.")
    return [int(v) for v in out]


def full_protocol_plan(seeds=range(N_FULL_PROTOCOL_SEEDS), iterations=None) -> list[TrainConfig]:
    """The training configurations of the full-protocol DMS networks, in the order they are built: every seed after
    the first number of ``iterations``, then every seed after the second, ...  Everything is the paper's
    (:class:`TrainConfig`'s defaults: batches of 1024, no early stop) except how often checkpoints are written.
    A configuration with fewer iterations is the same training stopped earlier (the trials and the noise of an
    iteration depend only on the seed and the iteration), so each network continues from the previous point.
    ``iterations``: default :data:`FULL_PROTOCOL_ITERATIONS`."""
    seeds = _int_list("full_protocol_plan", "seeds", seeds, 0)
    iterations = sorted(_int_list("full_protocol_plan", "iterations",
                                  FULL_PROTOCOL_ITERATIONS if iterations is None else iterations, 1))
    return [TrainConfig(task="DMS", seed=int(s), iterations=int(k), checkpoint_every=PROTOCOL["checkpoint_every"])
            for k in iterations for s in seeds]


def build_full_protocol(seeds=range(N_FULL_PROTOCOL_SEEDS), iterations=None,
                        out_dir=FULL_PROTOCOL_DIR, work_dir="runs/full_protocol", device="auto",
                        progress: bool = True, workers: int | None = None) -> list[dict]:
    """Train the full-protocol DMS networks (:func:`full_protocol_plan`) and write each point of their training to
    :func:`full_protocol_dir` ``(k, out_dir)``; returns the manifest entries of all points.

    One checkpoint per seed in ``work_dir`` carries the training from one point to the next (about 13 minutes per
    seed for 2000 iterations on 2 CPU cores).  Every point is shipped whatever its accuracy (an early one may be below
    the paper's 90 %: how the network changes while it learns is the point); the networks of the last point must pass
    the paper's inclusion criterion like every shipped network, with no replacement seeds.
    """
    if not isinstance(out_dir, (str, os.PathLike)):
        raise TypeError(f"The 'out_dir' parameter of build_full_protocol must be a str or a path. Got {out_dir!r} instead.")
    plan = full_protocol_plan(seeds, iterations)
    last = max(c.iterations for c in plan)
    entries = []
    for k in sorted({c.iterations for c in plan}):
        configs = [c for c in plan if c.iterations == k]
        folder = full_protocol_dir(k, out_dir)
        folder.mkdir(parents=True, exist_ok=True)
        entries += build_pretrained(configs, out_dir=folder, work_dir=work_dir, device=device,
                                    progress=progress, max_replacements=0,
                                    inclusion_accuracy=INCLUSION_ACCURACY if k == last else 0.0, workers=workers)
    return entries


def eval_seed(seed: int) -> int:
    """Seed of the evaluation trials of network ``seed`` (never used in training)."""
    return int(np.random.SeedSequence([seed, 10**9]).generate_state(1, dtype=np.uint64)[0])


def evaluate(model: STSPRNN, task: str, n_trials: int = EVAL_TRIALS, rng: int = 0, test_mode: bool = False,
             batch_size: int = 256, engine: str = "auto") -> float:
    """Accuracy (paper's definition, with input and recurrent noise) on ``n_trials`` fresh trials.

    ``engine`` (see :data:`wmlib.rnn.model.ENGINES`) changes the result only through float rounding;
    the manifest's accuracies were measured with the engine of each network's ``train_config``.
    """
    if not isinstance(model, STSPRNN):
        raise TypeError(f"The 'model' parameter of evaluate must be an STSPRNN. Got {type(model).__name__} instead.")
    validate_params("evaluate", {"task": task, "n_trials": n_trials, "rng": rng, "test_mode": test_mode,
                                 "batch_size": batch_size},
                    {"task": Options(tuple(TASKS)), "n_trials": Interval(1, 10**7, "both", integer=True),
                     "rng": Interval(0, np.inf, "left", integer=True), "test_mode": Boolean(),
                     "batch_size": Interval(1, 10**5, "both", integer=True)})
    device = next(model.parameters()).device
    ss = np.random.SeedSequence(int(rng))
    correct = total = 0.0
    with torch.no_grad():
        for start in range(0, n_trials, batch_size):
            b = min(batch_size, n_trials - start)
            trial_seed, noise_seed = ss.spawn(1)[0].generate_state(2, dtype=np.uint64)
            trial = make_trials(task, b, int(trial_seed), test_mode=test_mode)
            check_trial_matches(model, trial, "evaluate")
            gen = torch.Generator(device=device).manual_seed(int(noise_seed) & 0x7FFF_FFFF_FFFF_FFFF)
            out = model(torch.from_numpy(trial.inputs).to(device), noise_generator=gen, engine=engine)
            weight = float(((trial.mask > 0) & (trial.targets != FIXATION)).sum())
            correct += accuracy(out.logits.cpu().numpy(), trial) * weight
            total += weight
    return correct / total


# --- one file per network ----------------------------------------------------------------------
def save_network(path, model: STSPRNN, meta: dict, history: dict | None = None) -> Path:
    """Write a network's parameters, metadata (JSON) and training history to ``path`` (``.npz``, atomically)."""
    arrays = {f"param/{k}": v.detach().cpu().numpy() for k, v in model.named_parameters()}
    for k, v in (history or {}).items():
        arrays[f"history/{k}"] = np.asarray(v, dtype=np.float32)
    arrays["network_config"] = np.asarray(json.dumps(model.config.to_dict()))
    arrays["meta"] = np.asarray(json.dumps(meta))
    return save_npz(path, arrays, compressed=True)


def load_network(path, device="cpu") -> tuple[STSPRNN, dict]:
    """Read a file written by :func:`save_network`: returns (model in eval mode, metadata).

    The file's parameters are checked (present, of the network's shapes, finite) before they are used; a damaged
    file raises a ``ValueError`` naming it.
    """
    what = "network file"
    data = load_npz(path, what, required=("network_config", "meta"))
    try:
        config = RNNConfig(**read_json_entry(data, "network_config", path, what))
    except (TypeError, ValueError) as err:
        raise ValueError(f"The {what} {path} holds an invalid network configuration: {err}") from err
    model = STSPRNN(config, rng=0)
    model.load_arrays({k.split("/", 1)[1]: v for k, v in data.items() if k.startswith("param/")}, f"The {what} {path}")
    model.requires_grad_(False)
    return model.eval().to(resolve_device(device, "load_network")), read_json_entry(data, "meta", path, what)


def write_manifest(directory=PRETRAINED_DIR) -> list[dict]:
    """(Re)write ``manifest.json`` from the network files in ``directory``; returns its entries."""
    directory = Path(directory)
    entries = []
    for f in sorted(directory.glob("*.npz")):
        meta = read_json_entry(load_npz(f, "network file", required=("meta",)), "meta", f, "network file")
        entries.append({"file": f.name, **meta})
    order = list(TASKS)
    entries.sort(key=lambda e: (order.index(e["task"]), not e["stsp"], e["seed"]))
    write_json(directory / MANIFEST, entries)
    return entries


def load_history(task: str, seed: int = 0, stsp: bool = True, directory=PRETRAINED_DIR) -> dict:
    """Training history of a shipped network: arrays "accuracy", "loss", ... over iterations."""
    entry = _find(task, seed, stsp, directory, "load_history")
    data = load_npz(_entry_path(directory, entry), "network file")
    history = {k.split("/", 1)[1]: v.astype(float) for k, v in data.items() if k.startswith("history/")}
    if not history:
        raise ValueError(f"{entry['file']} stores no training history (written by an older wmlib); "
                         f"rebuild it with `python -m wmlib.rnn pretrain --overwrite`.")
    return history


def list_excluded(directory=PRETRAINED_DIR) -> list[dict]:
    """Networks trained for the shipped set but left out (accuracy below :data:`INCLUSION_ACCURACY`):
    one dict per network, with the same fields as a manifest entry except "file"."""
    path = Path(directory) / EXCLUDED
    if not path.is_file():
        return []
    return json.loads(path.read_text())


def _record_excluded(directory, meta: dict | None, forget: tuple | None = None) -> None:
    """Add ``meta`` to ``excluded.json``, replacing an entry of the same network; or only ``forget`` one."""
    key = (meta["task"], meta["seed"], meta["stsp"]) if meta is not None else forget
    old = list_excluded(directory)
    entries = [e for e in old if (e["task"], e["seed"], e["stsp"]) != key] + ([meta] if meta is not None else [])
    if meta is None and len(entries) == len(old):
        return
    order = list(TASKS)
    entries.sort(key=lambda e: (order.index(e["task"]), not e["stsp"], e["seed"]))
    write_json(Path(directory) / EXCLUDED, entries)


def list_pretrained(directory=PRETRAINED_DIR) -> list[dict]:
    """The manifest: one dict per shipped network (task, seed, stsp, iterations, accuracy, ...).

    An existing folder without a manifest holds no network (an empty list).
    """
    path = check_path("list_pretrained", "directory", directory, kind="dir") / MANIFEST
    if not path.is_file():
        return []
    try:
        entries = json.loads(path.read_text())
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        raise ValueError(f"The manifest {path} cannot be read ({err}).") from None
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        raise ValueError(f"The manifest {path} must hold a list of entries (one per network).")
    return entries


def load_pretrained(task: str, seed: int = 0, stsp: bool = True, device="cpu", directory=PRETRAINED_DIR) -> STSPRNN:
    """A shipped trained network, ready to run (``model.pretrained`` holds its manifest entry).

    Examples
    --------
    >>> net = load_pretrained("DMS", seed=0)
    >>> net.pretrained["accuracy"] > 0.9
    True
    """
    entry = _find(task, seed, stsp, directory, "load_pretrained")
    model, meta = load_network(_entry_path(directory, entry), device)
    model.pretrained = {"file": entry["file"], **meta}
    return model


def _entry_path(directory, entry: dict) -> Path:
    """The file of a manifest entry, which must be a plain file name inside ``directory`` (a manifest entry cannot
    point elsewhere)."""
    name = entry.get("file") if isinstance(entry, dict) else None
    if not isinstance(name, str) or Path(name).name != name or name in ("", ".", "..") or not name.endswith(".npz"):
        raise ValueError(f"The manifest in {directory} has an invalid file entry {name!r}: it must be the name of "
                         f"an .npz file in that folder.")
    return Path(directory) / name


def _find(task, seed, stsp, directory, owner) -> dict:
    validate_params(owner, {"task": task, "seed": seed, "stsp": stsp},
                    {"task": Options(tuple(TASKS)), "seed": Interval(0, np.inf, "left", integer=True),
                     "stsp": Boolean()})
    check_path(owner, "directory", directory, kind="dir")
    entries = list_pretrained(directory)
    match = [e for e in entries if e["task"] == task and e["seed"] == seed and e["stsp"] == bool(stsp)]
    if not match:
        have = sorted({e["seed"] for e in entries if e["task"] == task and e["stsp"] == bool(stsp)})
        kind = "" if stsp else " without STSP"
        raise ValueError(f"No pretrained {task} network{kind} with 'seed' = {seed!r} in {str(directory)!r}; available "
                         f"seeds: {have or 'none'}. "
                         f"Train one with `python -m wmlib.rnn train --task {task} --seed {seed} --out runs/...`.")
    return match[0]


def build_pretrained(configs=None, out_dir=PRETRAINED_DIR, work_dir="runs/pretrained", device="auto",
                     progress: bool = True, overwrite: bool = False, max_replacements: int = N_SEEDS,
                     inclusion_accuracy: float | None = None, workers: int | None = None) -> list[dict]:
    """Train (or resume) every configuration, evaluate it and write its file and the manifest.

    Networks whose file already exists with the same configuration are skipped unless ``overwrite``.
    A network with STSP whose accuracy is below ``inclusion_accuracy`` (default
    :data:`INCLUSION_ACCURACY`) is recorded in ``excluded.json`` instead of shipped.  Each task then
    gets replacements: the seeds after the largest one planned for it, in order, until it has as many
    networks as planned (at most ``max_replacements`` extra seeds per task).  A rerun skips the
    recorded and shipped networks without training them again, and seeds fail or pass the same way
    every time on a given machine, so the set is reproducible.  ``workers``: see :func:`~wmlib.rnn.train`.

    To train several networks at once (e.g. one process per seed on a GPU machine), give each process its
    own ``out_dir`` and ``max_replacements=0``, then copy the files into one folder and call
    :func:`write_manifest` there (``excluded.json`` lists are merged by hand).
    """
    if isinstance(max_replacements, bool) or not isinstance(max_replacements, (int, np.integer)) or max_replacements < 0:
        raise ValueError(f"The 'max_replacements' parameter must be an int >= 0. Got {max_replacements!r} instead.")
    plan = pretrained_plan() if configs is None else list(configs)
    threshold = INCLUSION_ACCURACY if inclusion_accuracy is None else float(inclusion_accuracy)
    out_dir, work_dir = Path(out_dir), Path(work_dir)
    args = (out_dir, work_dir, device, progress, overwrite, threshold, workers)
    shipped = {}  # (task, stsp) -> number of planned networks now shipped
    for config in plan:
        group = (config.task, config.stsp)
        shipped[group] = shipped.get(group, 0) + _build_one(config, *args)
    for group, n in shipped.items():
        planned = [c for c in plan if (c.task, c.stsp) == group]
        seed = max(c.seed for c in planned)
        for _ in range(max_replacements):
            if n >= len(planned):
                break
            seed += 1
            n += _build_one(replace(planned[-1], seed=seed), *args)
    return write_manifest(out_dir)


def _build_one(config, out_dir, work_dir, device, progress, overwrite, threshold, workers) -> bool:
    """Train, evaluate and ship or exclude one network (or find it done already); True if it is shipped."""
    name = network_name(config.task, config.seed, config.stsp)
    target = out_dir / f"{name}.npz"
    if not overwrite:
        for e in list_excluded(out_dir):
            if (e["task"], e["seed"], e["stsp"]) == (config.task, config.seed, config.stsp) \
                    and e["train_config"] == asdict(config):
                return False
        if target.exists():
            meta = read_json_entry(load_npz(target, "network file", required=("meta",)), "meta", target, "network file")
            if meta.get("train_config") == asdict(config):
                return True
    result = train(config, out_dir=work_dir / name, device=device, progress=progress, workers=workers)
    model = result.model.cpu()
    acc = evaluate(model, config.task, EVAL_TRIALS, eval_seed(config.seed), engine=config.engine)
    meta = {"task": config.task, "seed": config.seed, "stsp": config.stsp, "iterations": result.iteration,
            "trials_seen": result.iteration * config.batch_size, "accuracy": round(acc, 6),
            "eval_trials": EVAL_TRIALS, "final_train_accuracy": float(np.mean(result.history["accuracy"][-10:])),
            "device": str(resolve_device(device, "build_pretrained")), "torch": torch.__version__, "train_config": asdict(config)}
    if config.stsp and acc < threshold:
        _record_excluded(out_dir, meta)
        if target.exists():  # an earlier version of this network had been shipped
            target.unlink()
        write_manifest(out_dir)
        return False
    save_network(target, model, meta, result.history)
    _record_excluded(out_dir, None, forget=(config.task, config.seed, config.stsp))  # an earlier version had failed
    write_manifest(out_dir)
    return True
