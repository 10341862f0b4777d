"""Perturbing trained networks: exchanging activity or synaptic states between trials (Masse et al. 2019)."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import torch

from .._validation import Interval, Options, check_instance, check_random_state, validate_params
from .model import STSPRNN, RNNState
from .tasks import TASKS, accuracy, check_trial_matches, make_trials

__all__ = ["ShuffleResult", "shuffle_test"]


class ShuffleResult(NamedTuple):
    """Output of :func:`shuffle_test`: accuracy (chance 0.5) of the continuation from each state."""

    intact: float  #: the true state
    neuronal: float  #: activity h exchanged between trials
    synaptic: float  #: synaptic state (x, u) exchanged between trials


def shuffle_test(model: STSPRNN, task: str, t0: int | None = None, n_trials: int = 512, rng=0) -> ShuffleResult:
    """Accuracy after exchanging activity or synapses between trials (Masse et al. 2019, Fig. 2-3).

    The network runs on ``n_trials`` trials of ``task`` (half matches); its state (h, x, u)
    after step ``t0 - 1`` is kept, and the rest of the trial (steps ``t0`` on, same inputs) is
    simulated again from

    * ``intact``: the true state;
    * ``neuronal``: h permuted across trials (each trial gets another trial's activity, keeps
      its own synapses);
    * ``synaptic``: x and u permuted together (own activity, another trial's synapses).

    The three continuations get the same recurrent noise, so they differ only by the shuffle.
    Returns the accuracy of each on the remaining test steps (chance 0.5).  If the memory is
    held in the synapses, the synaptic shuffle brings accuracy to chance and the neuronal one
    does nothing.  ``t0`` defaults to the onset of the first test.
    """
    check_instance("shuffle_test", "model", model, STSPRNN)
    validate_params("shuffle_test", {"task": task, "n_trials": n_trials},
                    {"task": Options(tuple(TASKS)), "n_trials": Interval(2, 10**6, "both", integer=True)})
    if t0 is not None:
        validate_params("shuffle_test", {"t0": t0}, {"t0": Interval(1, np.inf, "left", integer=True)})
    rng = check_random_state(rng, "rng", "shuffle_test")
    trial = make_trials(task, n_trials, rng)
    check_trial_matches(model, trial, "shuffle_test")
    if t0 is None:
        t0 = trial.epochs["test" if "test" in trial.epochs else "test1"][0]
    validate_params("shuffle_test", {"t0": t0}, {"t0": Interval(1, trial.n_steps - 1, "both", integer=True)})
    device = next(model.parameters()).device
    inputs = torch.from_numpy(trial.inputs).to(device)
    seed_before, seed_after = (int(v) for v in rng.integers(2**62, size=2))
    perm = torch.from_numpy(rng.permutation(n_trials)).to(device)
    rest = trial._replace(inputs=trial.inputs[t0:], targets=trial.targets[t0:], mask=trial.mask[t0:])
    result = []
    with torch.no_grad():
        gen = torch.Generator(device=device).manual_seed(seed_before)
        h, x, u = model(inputs[:t0], noise_generator=gen).state(t0 - 1)
        for state in [(h, x, u), (h[perm], x, u), (h, x[perm], u[perm])]:  # intact, neuronal, synaptic
            gen = torch.Generator(device=device).manual_seed(seed_after)  # same noise in the three branches
            out = model(inputs[t0:], state=RNNState(*state), noise_generator=gen)
            result.append(accuracy(out.logits.cpu().numpy(), rest))
    return ShuffleResult(*result)
