"""Recording a trained STSP network: its activity and synaptic efficacy on a batch of trials."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import torch

from .._validation import Interval, check_random_state, validate_params
from .model import STSPRNN
from .tasks import TASKS, Trial, accuracy, check_trial_matches, make_trials

__all__ = ["Recording", "record"]


class Recording(NamedTuple):
    """A network run on a batch of trials; arrays are NumPy, time-major (T, B, ...)."""

    trial: Trial
    h: np.ndarray  #: activity, (T, B, N)
    efficacy: np.ndarray  #: synaptic efficacy u*x, (T, B, N)
    logits: np.ndarray  #: outputs, (T, B, n_outputs)

    @property
    def accuracy(self) -> float:
        """Task accuracy of this run (paper's definition)."""
        return accuracy(self.logits, self.trial)


def record(model: STSPRNN, task: str, n_trials: int = 256, rng=0, test_mode: bool = False,
           noise: bool = True, n_steps: int | None = None) -> Recording:
    """Run ``model`` on ``n_trials`` fresh trials of ``task`` and keep h and u*x at every step.

    ``test_mode=True`` draws the test directions independently of the sample (use it for
    decoding, so that the test stimulus carries no information about the sample).
    ``n_steps`` stops the run early (the network is causal: the first steps are the same as in
    a full run); the trial is cut to the same length.
    """
    if not isinstance(model, STSPRNN):
        raise TypeError(f"The 'model' parameter must be an STSPRNN. Got {type(model).__name__} instead.")
    if task not in TASKS:
        raise ValueError(f"The 'task' parameter must be one of {sorted(TASKS)}. Got {task!r} instead.")
    if TASKS[task].n_inputs != model.config.n_input:
        raise ValueError(f"The network has {model.config.n_input} inputs but task {task!r} needs "
                         f"{TASKS[task].n_inputs}; load a network trained on {task!r}.")
    validate_params("record", {"n_trials": n_trials}, {"n_trials": Interval(1, np.inf, "left", integer=True)})
    rng = check_random_state(rng)
    trial = make_trials(task, n_trials, rng, test_mode=test_mode, noise=noise)
    check_trial_matches(model, trial, "record")
    if n_steps is not None:
        validate_params("record", {"n_steps": n_steps}, {"n_steps": Interval(1, trial.n_steps, "both", integer=True)})
        trial = trial._replace(inputs=trial.inputs[:n_steps], targets=trial.targets[:n_steps], mask=trial.mask[:n_steps],
                               epochs={k: (a, min(b, n_steps)) for k, (a, b) in trial.epochs.items() if a < n_steps})
    device = next(model.parameters()).device
    gen = torch.Generator(device=device).manual_seed(int(rng.integers(2**62)))
    with torch.no_grad():
        out = model(torch.from_numpy(trial.inputs).to(device), noise_generator=gen, noise=noise)
    return Recording(trial, out.h.cpu().numpy(), out.efficacy.cpu().numpy(), out.logits.cpu().numpy())
