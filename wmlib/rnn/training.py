"""Training the STSP network on a task (Masse et al. 2019 settings), with checkpoints and resume.

Loss: the masked cross-entropy of the outputs plus a spike cost,

.. math::  L = \\frac{1}{TB}\\sum_{t,b} m_{tb}\\,\\mathrm{CE}(y_{tb}, c_{tb}) + \\beta\\,\\frac{1}{TBN}\\sum_{t,b,n} h_{tbn}^2,

minimised with Adam (learning rate 0.02); the gradients of the recurrent and
output weights are multiplied by their masks and then each parameter's
gradient is clipped to norm 0.1 separately, as in the original code.  Every
iteration draws fresh trials.  Trials and noise of iteration ``k`` are seeded
by ``(seed, k)``, so a run resumed from a checkpoint continues bit for bit (on
CPU, with the same ``engine``) as if it had never stopped.

Checkpoints are ``.npz`` files (no pickle): every parameter, Adam's state, the
iteration, the training history and the full configuration as JSON.  They are
written to a temporary file and renamed, so a crash never leaves a half-written
checkpoint.
"""

from __future__ import annotations

import json
import math
import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, fields, replace
from pathlib import Path
from typing import NamedTuple

import numpy as np
import torch
import torch.nn.functional as F

from .._backend import resolve_device as _resolve_device
from .._backend import usable_cpus
from .._io import check_output_folder, check_path, load_npz, read_json_entry, save_npz
from .._validation import Boolean, Interval, Options, ParamsMixin, validate_params
from ._heap import reuse_freed_memory
from .model import ENGINES, STSPRNN, RNNConfig
from .tasks import TASKS, Trial, accuracy, check_trial_matches, make_trials

__all__ = ["TrainConfig", "TrainResult", "train", "default_workers", "load_checkpoint", "save_checkpoint",
           "resolve_device", "loss_and_accuracy", "network_for_task"]

CHECKPOINT = "checkpoint.npz"
_HISTORY_KEYS = ("loss", "perf_loss", "spike_loss", "accuracy")


@dataclass(frozen=True)
class TrainConfig(ParamsMixin):
    """Settings of one training run (defaults: Masse et al. 2019, final code)."""

    task: str = "DMS"
    seed: int = 0
    batch_size: int = 1024
    iterations: int = 2000
    learning_rate: float = 0.02
    spike_cost: float = 0.02  # beta
    clip_norm: float = 0.1  # per-parameter gradient-norm clip
    stsp: bool = True
    checkpoint_every: int = 50  # iterations between checkpoints
    stop_accuracy: float = 1.01  # stop early once the running accuracy (last 10 iterations) reaches this (> 1: never)
    engine: str = "auto"  # how the time loop is computed (wmlib.rnn.model.ENGINES); part of what makes a run reproducible

    _constraints = {
        "task": Options(tuple(TASKS)),
        "seed": Interval(0, np.inf, "left", integer=True),
        "batch_size": Interval(1, np.inf, "left", integer=True),
        "iterations": Interval(1, np.inf, "left", integer=True),
        "learning_rate": Interval(0, np.inf, "neither"),
        "spike_cost": Interval(0, np.inf, "left"),
        "clip_norm": Interval(0, np.inf, "neither"),
        "stsp": Boolean(),
        "checkpoint_every": Interval(1, np.inf, "left", integer=True),
        "stop_accuracy": Interval(0, np.inf, "neither"),
        "engine": Options(ENGINES),
    }

    def network_config(self) -> RNNConfig:
        spec = TASKS[self.task]
        return RNNConfig(n_input=spec.n_inputs, n_output=spec.n_outputs, stsp=self.stsp)


class TrainResult(NamedTuple):
    """Output of :func:`train`."""

    model: STSPRNN
    history: dict  #: "loss", "perf_loss", "spike_loss", "accuracy": arrays over iterations
    config: TrainConfig
    iteration: int  #: iterations completed
    path: Path | None  #: checkpoint file


def resolve_device(device="auto", owner: str = "train") -> torch.device:
    """The device a network runs on, by the convention of :mod:`wmlib._backend` (``None``: the CPU, where the
    reference engine runs; ``"auto"``: CUDA if available, else the CPU)."""
    dev = _resolve_device(device, owner)
    return torch.device("cpu") if dev is None else dev


def network_for_task(task: str, seed: int = 0, stsp: bool = True) -> STSPRNN:
    """A freshly initialised network sized for ``task``."""
    return STSPRNN(TrainConfig(task=task, seed=seed, stsp=stsp).network_config(), rng=seed)


def _iteration_seeds(seed: int, iteration: int):
    ss = np.random.SeedSequence([seed, iteration])
    trial_seed, noise_seed = ss.generate_state(2, dtype=np.uint64)
    return int(trial_seed), int(noise_seed) & 0x7FFF_FFFF_FFFF_FFFF


def loss_and_accuracy(model: STSPRNN, trial: Trial, spike_cost: float, noise_generator, device,
                      engine: str = "auto") -> tuple:
    """Forward pass on a batch; returns (loss, perf_loss, spike_loss, accuracy, output)."""
    check_trial_matches(model, trial, "loss_and_accuracy")
    inputs = torch.from_numpy(trial.inputs).to(device)
    out = model(inputs, noise_generator=noise_generator, engine=engine)
    targets = torch.from_numpy(trial.targets).to(device)
    mask = torch.from_numpy(trial.mask).to(device)
    ce = F.cross_entropy(out.logits.reshape(-1, out.logits.shape[-1]), targets.reshape(-1), reduction="none")
    perf = (ce * mask.reshape(-1)).mean()
    spike = out.mean_square_rate()
    loss = perf + spike_cost * spike
    acc = accuracy(out.logits.detach().cpu().numpy(), trial)
    return loss, perf, spike, acc, out


def _adam(model, lr):
    return torch.optim.Adam(model.parameters(), lr=lr, betas=(0.9, 0.999), eps=1e-8)


def save_checkpoint(path, model: STSPRNN, optimizer, config: TrainConfig, iteration: int, history: dict) -> Path:
    """Write a checkpoint atomically (temporary file in the same folder, then rename)."""
    arrays = {f"param/{k}": v.detach().cpu().numpy() for k, v in model.named_parameters()}
    for name, p in model.named_parameters():
        st = optimizer.state.get(p, {})
        for key in ("exp_avg", "exp_avg_sq"):
            if key in st:
                arrays[f"adam/{name}/{key}"] = st[key].detach().cpu().numpy()
        if "step" in st:
            arrays[f"adam/{name}/step"] = np.asarray(float(st["step"]))
    for k, v in history.items():
        arrays[f"history/{k}"] = np.asarray(v, dtype=np.float64)
    arrays["iteration"] = np.asarray(iteration)
    arrays["train_config"] = np.asarray(json.dumps(asdict(config)))
    arrays["network_config"] = np.asarray(json.dumps(model.config.to_dict()))
    return save_npz(path, arrays)


def load_checkpoint(path, device="cpu"):
    """Read a checkpoint: returns (model, train_config, iteration, history, adam_state dict).

    Every part is checked before it is used: a truncated or corrupted file, a missing entry, weights of the wrong
    shape or not finite, an iteration count that disagrees with the training history, or a missing optimiser state
    raise a ``ValueError`` that names the file.
    """
    what = "checkpoint"
    path = check_path("load_checkpoint", "path", path, kind="file")
    data = load_npz(path, what, required=("iteration", "train_config", "network_config"))
    tc = read_json_entry(data, "train_config", path, what)
    if not isinstance(tc, dict):
        raise ValueError(f"The {what} {path} has an invalid 'train_config' entry.")
    tc.setdefault("engine", "torch")  # written before there was a choice: the torch engine was the only one
    try:
        config = TrainConfig(**tc)
        net_cfg = RNNConfig(**read_json_entry(data, "network_config", path, what))
    except (TypeError, ValueError) as err:
        raise ValueError(f"The {what} {path} holds an invalid configuration: {err}") from err
    model = STSPRNN(net_cfg, rng=config.seed)
    model.load_arrays({k.split("/", 1)[1]: v for k, v in data.items() if k.startswith("param/")}, f"the {what} {path}")
    model.to(resolve_device(device, "load_checkpoint") if not isinstance(device, torch.device) else device)
    history = {k.split("/", 1)[1]: list(v) for k, v in data.items() if k.startswith("history/")}
    iteration = data["iteration"]
    if iteration.shape != () or iteration.dtype.kind not in "iu" or int(iteration) < 0:
        raise ValueError(f"The {what} {path} has an invalid iteration count {iteration!r}.")
    iteration = int(iteration)
    lengths = {k: len(v) for k, v in history.items()}
    if set(lengths) != set(_HISTORY_KEYS) or any(n != iteration for n in lengths.values()):
        raise ValueError(f"The {what} {path} says {iteration} iterations were done but its training history has "
                         f"{lengths}: the file was altered or is damaged.")
    adam = {k: v for k, v in data.items() if k.startswith("adam/")}
    if iteration > 0:
        names = [name for name, _ in model.named_parameters()]
        missing = [n for n in names if any(f"adam/{n}/{key}" not in adam for key in ("exp_avg", "exp_avg_sq", "step"))]
        if missing:
            raise ValueError(f"The {what} {path} lacks the optimiser state of {missing}: resuming from it would not "
                             f"continue the run it came from.")
        for n, p in model.named_parameters():
            for key in ("exp_avg", "exp_avg_sq"):
                v = adam[f"adam/{n}/{key}"]
                if v.shape != tuple(p.shape) or not np.all(np.isfinite(v)):
                    raise ValueError(f"The {what} {path} has an invalid optimiser state for {n!r} ({key}).")
    return model, config, iteration, history, adam


def _restore_adam(optimizer, model, adam: dict):
    device = next(model.parameters()).device
    for name, p in model.named_parameters():
        if f"adam/{name}/exp_avg" in adam:
            optimizer.state[p] = {
                "step": torch.tensor(float(adam[f"adam/{name}/step"])),
                "exp_avg": torch.from_numpy(adam[f"adam/{name}/exp_avg"]).to(device),
                "exp_avg_sq": torch.from_numpy(adam[f"adam/{name}/exp_avg_sq"]).to(device),
            }


def default_workers(device) -> int:
    """Threads that draw trials ahead of training (``workers=None`` in :func:`train`): none on the CPU, whose
    cores the engine uses, and up to 4 (one core left to the training loop) when a GPU computes the network."""
    dev = device if isinstance(device, torch.device) else resolve_device(device, "default_workers")
    return 0 if dev.type == "cpu" else max(0, min(4, usable_cpus() - 1))


def train(config: TrainConfig, out_dir=None, resume: bool = True, device: str = "auto", progress: bool = True,
          workers: int | None = None) -> TrainResult:
    """Train a network; resume from ``out_dir/checkpoint.npz`` if it exists and ``resume``.

    Parameters
    ----------
    config : TrainConfig
    out_dir : str or Path, optional
        Folder of the checkpoint; ``None`` trains in memory without checkpoints.
    resume : bool, default=True
        Continue from an existing checkpoint (its configuration must equal ``config``
        except for ``iterations``, which may be raised to train longer).
    device : str, default="auto"
        "auto" (CUDA when available), "cpu" or "cuda[:N]".
    progress : bool, default=True
        Show a tqdm progress bar with loss and accuracy.
    workers : int, optional
        Threads that generate the next iterations' trials while the network trains (the trials of an
        iteration depend only on the seed and the iteration, so the result is the same for any value).
        On a GPU, drawing a batch of trials on the CPU takes about as long as the training step itself,
        so it pays to do it ahead; default :func:`default_workers`.

    Raises
    ------
    FloatingPointError
        If the loss becomes NaN or infinite; the last good checkpoint is kept.
    """
    if not isinstance(config, TrainConfig):
        raise TypeError(f"The 'config' parameter of train must be a TrainConfig. Got {type(config).__name__} instead.")
    dev = resolve_device(device, "train")
    if workers is None:
        workers = default_workers(dev)
    validate_params("train", {"workers": workers, "resume": resume, "progress": progress},
                    {"workers": Interval(0, 64, "both", integer=True), "resume": Boolean(), "progress": Boolean()})
    if out_dir is not None:
        if not isinstance(out_dir, (str, os.PathLike)):
            raise TypeError(f"The 'out_dir' parameter of train must be None, a str or a path. Got {out_dir!r} instead.")
        check_output_folder(out_dir, "train")  # before training, not at the first checkpoint
    with reuse_freed_memory():  # the same large arrays every iteration: keep them instead of faulting in new pages
        return _train(config, out_dir, resume, dev, progress, int(workers))


def _trials_of(config: TrainConfig, iteration: int) -> Trial:
    return make_trials(config.task, config.batch_size, _iteration_seeds(config.seed, iteration)[0])


class _TrialsAhead:
    """``get(it)`` returns the trials of iteration ``it``, drawn in ``workers`` threads up to 2 x workers
    iterations ahead (numpy releases the GIL while it draws), or drawn on the spot if ``workers`` is 0."""

    def __init__(self, config: TrainConfig, workers: int):
        self.config, self.depth = config, 2 * workers
        self.pool = ThreadPoolExecutor(workers, thread_name_prefix="wmlib-trials") if workers else None
        self.pending = {}

    def get(self, it: int) -> Trial:
        if self.pool is None:
            return _trials_of(self.config, it)
        for k in range(it, min(it + self.depth, self.config.iterations)):
            if k not in self.pending:
                self.pending[k] = self.pool.submit(_trials_of, self.config, k)
        return self.pending.pop(it).result()

    def close(self):
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
            self.pending.clear()


def _train(config, out_dir, resume, dev, progress, workers) -> TrainResult:
    path = Path(out_dir) / CHECKPOINT if out_dir is not None else None
    history = {"loss": [], "perf_loss": [], "spike_loss": [], "accuracy": []}
    start = 0
    if path is not None and resume and path.exists():
        model, saved, start, history, adam = load_checkpoint(path, dev)
        if replace(saved, iterations=config.iterations) != config:
            differ = [f"{f.name}: {getattr(saved, f.name)!r} there, {getattr(config, f.name)!r} here"
                      for f in fields(config) if f.name != "iterations" and getattr(saved, f.name) != getattr(config, f.name)]
            raise ValueError(f"The checkpoint in {out_dir} was made with a different configuration "
                             f"({'; '.join(differ)}); use another folder or resume=False.")
        if start > config.iterations:
            raise ValueError(f"The checkpoint in {out_dir} has done {start} iterations, more than the "
                             f"{config.iterations} asked for; raise 'iterations' or use another folder.")
        optimizer = _adam(model, config.learning_rate)
        _restore_adam(optimizer, model, adam)
    else:
        model = STSPRNN(config.network_config(), rng=config.seed).to(dev)
        optimizer = _adam(model, config.learning_rate)
    masks = model.gradient_masks()

    from tqdm.auto import tqdm

    bar = tqdm(range(start, config.iterations), initial=start, total=config.iterations, disable=not progress,
               desc=f"{config.task} seed {config.seed}", unit="it")
    trials = _TrialsAhead(config, workers)
    try:
        return _loop(config, model, optimizer, masks, history, path, start, dev, bar, trials)
    finally:
        trials.close()
        bar.close()


def _loop(config, model, optimizer, masks, history, path, start, dev, bar, trials) -> TrainResult:
    # A checkpoint is written only once its weights are known to give a finite loss (the next iteration's forward
    # pass), so an update that breaks the network never replaces the last good checkpoint.
    pending = None
    for it in bar:
        noise_seed = _iteration_seeds(config.seed, it)[1]
        trial = trials.get(it)
        gen = torch.Generator(device=dev).manual_seed(noise_seed)
        loss, perf, spike, acc, _ = loss_and_accuracy(model, trial, config.spike_cost, gen, dev, config.engine)
        loss_value = loss.item()
        if not math.isfinite(loss_value):
            raise FloatingPointError(f"The loss became {loss_value} at iteration {it} of {config.task} seed {config.seed}; "
                                     f"training stopped{' and the last good checkpoint in ' + str(path) + ' was kept' if path else ''}.")
        if pending is not None:
            save_checkpoint(path, model, optimizer, config, pending, history)
            pending = None
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        with torch.no_grad():
            for name, p in model.named_parameters():
                if name in masks:
                    p.grad.mul_(masks[name])
                torch.nn.utils.clip_grad_norm_([p], config.clip_norm)
        optimizer.step()
        history["loss"].append(loss_value)
        history["perf_loss"].append(perf.item())
        history["spike_loss"].append(spike.item())
        history["accuracy"].append(acc)
        bar.set_postfix(loss=f"{history['loss'][-1]:.3f}", acc=f"{acc:.3f}")
        done = it + 1
        reached = len(history["accuracy"]) >= 10 and np.mean(history["accuracy"][-10:]) >= config.stop_accuracy
        last = done == config.iterations or reached
        if path is not None and (done % config.checkpoint_every == 0 or last):
            if not last:
                pending = done  # written at the next iteration, once its loss is finite
            elif all(bool(torch.isfinite(p).all()) for p in model.parameters()):
                save_checkpoint(path, model, optimizer, config, done, history)
            else:
                raise FloatingPointError(f"The last update of {config.task} seed {config.seed} made weights non-finite; "
                                         f"the last good checkpoint in {path} was kept.")
        if reached:
            break
    done = len(history["accuracy"])
    return TrainResult(model, {k: np.asarray(v) for k, v in history.items()}, config, done, path)
