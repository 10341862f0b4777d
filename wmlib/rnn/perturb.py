r"""Perturbing trained networks: exchanging states between trials, and silencing units (Masse et al. 2019).

Where is a network's memory at time :math:`t_0`?  Two experiments answer by changing the state and letting the network
finish the trial with the same inputs:

* :func:`shuffle_test` exchanges, *across trials*, either the activity :math:`h` (the **neuronal shuffle**: each trial
  continues with another trial's activity and its own synapses) or the synaptic state :math:`(x, u)` (the **synaptic
  shuffle**: its own activity, another trial's synapses).  If the sample is held only by the synapses, the synaptic
  shuffle takes the accuracy to chance (0.5, match or not) and the neuronal one changes nothing.  The shuffle is
  across trials, not across units: units differ in their baseline, and a permutation across units would change the
  state in ways that carry no information about the sample.
* :func:`suppression_test` sets the activity of chosen units to zero over chosen steps.

Both use trials with half matches (:func:`~wmlib.rnn.make_trials` with ``test_mode=False``; the original code's
analysis script used its test mode, with 1/8 matches, where "always answer non-match" scores 0.875), run each
repetition's branches with the *same* recurrent noise (so that they differ only by the perturbation), and return one
accuracy per fresh-noise repetition, like :func:`sklearn.inspection.permutation_importance` returns one importance per
permutation.

Units come in four groups (:func:`unit_groups`): excitatory or inhibitory (the first 80 % are excitatory) by
facilitating (even index) or depressing (odd index) synapses.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import torch

from .._validation import Interval, Options, check_instance, check_memory, check_random_state, validate_params
from .model import STSPRNN, RNNState
from .tasks import FIXATION, TASKS, Trial, check_trial_matches, make_trials

__all__ = ["ShuffleResult", "shuffle_test", "SuppressionResult", "suppression_test", "unit_groups", "UNIT_GROUPS",
           "SHUFFLE_POINTS", "shuffle_point"]

#: The unit groups of :func:`unit_groups` (and of the ``group`` / ``units`` parameters).
UNIT_GROUPS = ("all", "exc_fac", "exc_dep", "inh_fac", "inh_dep")

#: Where Masse et al. (2019) shuffled, per task: the epoch at whose onset the state is exchanged, and the epochs whose
#: scored steps give the accuracy (``None``: every scored step from there on).  DMS, DMC and the DMRS tasks at test
#: onset (the paper also shuffled at sample offset, ``t0="delay"``); dual DMS at the onset of the second test; ABBA
#: and ABCA at the onset of the first test, scored over the second delay and test as in the original code.
SHUFFLE_POINTS = {"DMS": ("test", None), "DMRS45": ("test", None), "DMRS90": ("test", None),
                  "DMRS180": ("test", None), "DMC": ("test", None), "DMS+DMRS": ("test", None),
                  "dualDMS": ("test2", None), "ABBA": ("test1", ("delay2", "test2")),
                  "ABCA": ("test1", ("delay2", "test2"))}
_MAX_TRIALS_PER_CALL = 8192  # trials of the stacked repetitions run in one call (fixed: results do not depend on RAM)


def unit_groups(model: STSPRNN) -> dict[str, np.ndarray]:
    """Indices of the units of each group in :data:`UNIT_GROUPS`: ``"all"``, and excitatory/inhibitory (``exc``,
    ``inh``) x facilitating/depressing (``fac``: even units, ``dep``: odd units)."""
    check_instance("unit_groups", "model", model, STSPRNN)
    n, n_exc = model.config.n_hidden, model.config.n_exc
    idx = np.arange(n)
    exc, fac = idx < n_exc, idx % 2 == 0
    return {"all": idx, "exc_fac": idx[exc & fac], "exc_dep": idx[exc & ~fac], "inh_fac": idx[~exc & fac],
            "inh_dep": idx[~exc & ~fac]}


def shuffle_point(trial: Trial, t0=None, score_epochs=None) -> tuple[int, np.ndarray]:
    """Resolve a shuffle time and scoring window: (``t0`` as a step, the mask of the steps from ``t0`` on).

    ``t0``: ``None`` (the task's point in :data:`SHUFFLE_POINTS`), the name of an epoch (its first step, e.g.
    ``"test"`` for test onset or ``"delay"`` for sample offset) or a step.  ``score_epochs``: ``None`` (the task's
    choice in :data:`SHUFFLE_POINTS`), ``"all"`` (every scored step from ``t0`` on) or a sequence of epoch names.
    The mask is the trial's loss mask restricted to those steps (the first 50 ms of each test stay unscored).
    """
    check_instance("shuffle_point", "trial", trial, Trial)
    default_t0, default_epochs = SHUFFLE_POINTS.get(trial.task, ("test", None))
    t0 = default_t0 if t0 is None else t0
    if isinstance(t0, str):
        if t0 not in trial.epochs:
            raise ValueError(f"The 't0' parameter must be a step or the name of an epoch of task {trial.task!r}, one of "
                             f"{sorted(trial.epochs)}. Got {t0!r} instead.")
        t0 = trial.epochs[t0][0]
    validate_params("shuffle_point", {"t0": t0}, {"t0": Interval(1, trial.n_steps - 1, "both", integer=True)})
    t0 = int(t0)
    epochs = default_epochs if score_epochs is None else (None if score_epochs == "all" else score_epochs)
    mask = trial.mask[t0:].copy()
    if epochs is not None:
        if isinstance(epochs, str) or not isinstance(epochs, (list, tuple)) or not epochs \
                or not all(isinstance(e, str) and e in trial.epochs for e in epochs):
            raise ValueError(f"The 'score_epochs' parameter must be 'all' or a sequence of epoch names of task "
                             f"{trial.task!r}, from {sorted(trial.epochs)}. Got {score_epochs!r} instead.")
        keep = np.zeros(trial.n_steps, dtype=bool)
        for e in epochs:
            keep[slice(*trial.epochs[e])] = True
        mask[~keep[t0:]] = 0.0
    if not ((mask > 0) & (trial.targets[t0:] != FIXATION)).any():
        raise ValueError(f"Nothing is scored after 't0' = {t0} in the chosen epochs of task {trial.task!r}: choose "
                         f"an earlier 't0' or other 'score_epochs'.")
    return t0, mask


class ShuffleResult(NamedTuple):
    """Output of :func:`shuffle_test`: accuracy (chance 0.5) of each repetition's continuation from each state."""

    intact: np.ndarray  #: (n_repeats,) the true state
    neuronal: np.ndarray  #: (n_repeats,) activity h exchanged between trials (in the chosen group)
    synaptic: np.ndarray  #: (n_repeats,) synaptic state (x, u) exchanged between trials (in the chosen group)
    t0: int  #: first step simulated again
    group: str  #: the units whose state was exchanged

    @property
    def chance(self) -> float:
        """Chance accuracy of a match / non-match answer with half matches."""
        return 0.5

    def drop(self, kind: str) -> np.ndarray:
        """Accuracy lost to the ``kind`` ("neuronal" or "synaptic") shuffle, per repetition."""
        validate_params("ShuffleResult.drop", {"kind": kind}, {"kind": Options(("neuronal", "synaptic"))})
        return self.intact - getattr(self, kind)

    def significant_drop(self, kind: str, fraction: float = 0.975) -> bool:
        """The paper's rule: the shuffle lowers accuracy in more than ``fraction`` of the repetitions."""
        validate_params("ShuffleResult.significant_drop", {"fraction": fraction}, {"fraction": Interval(0, 1, "right")})
        return bool((self.drop(kind) > 0).mean() > fraction)


def _check_common(owner, model, task, n_trials, n_repeats):
    check_instance(owner, "model", model, STSPRNN)
    validate_params(owner, {"task": task, "n_trials": n_trials, "n_repeats": n_repeats},
                    {"task": Options(tuple(TASKS)), "n_trials": Interval(2, 10**6, "both", integer=True),
                     "n_repeats": Interval(1, 10**4, "both", integer=True)})


def _check_group(owner, name, group, model) -> np.ndarray:
    if not isinstance(group, str) or group not in UNIT_GROUPS:
        raise ValueError(f"The {name!r} parameter of {owner} must be one of {list(UNIT_GROUPS)}. Got {group!r} instead.")
    return unit_groups(model)[group]


def _scored_accuracy(logits: np.ndarray, targets: np.ndarray, mask: np.ndarray, n_repeats: int) -> np.ndarray:
    """Accuracy of each repetition of a stack of ``n_repeats`` copies of the trials along the batch axis."""
    scored = (mask > 0) & (targets != FIXATION)
    correct = (logits.argmax(-1) == targets) & scored
    B = targets.shape[1] // n_repeats
    return correct.reshape(correct.shape[0], n_repeats, B).sum((0, 2)) / scored.reshape(-1, n_repeats, B).sum((0, 2))


def shuffle_test(model: STSPRNN, task: str, t0=None, n_trials: int = 512, n_repeats: int = 1, group: str = "all",
                 score_epochs=None, rng=0, engine: str = "auto") -> ShuffleResult:
    """Accuracy after exchanging activity or synapses between trials (Masse et al. 2019, Figs. 2-3).

    The network runs on ``n_trials`` trials of ``task`` (half matches) up to step ``t0 - 1``; its state (h, x, u)
    there is kept, and the rest of the trial (same inputs) is simulated again from

    * ``intact``: the true state;
    * ``neuronal``: h permuted across trials (each trial gets another trial's activity, keeps its own synapses);
    * ``synaptic``: x and u permuted together (its own activity, another trial's synapses).

    Each of ``n_repeats`` repetitions draws a new permutation and new recurrent noise, the same noise for its three
    branches.  ``group`` (one of :data:`UNIT_GROUPS`) exchanges the state of those units only, e.g. ``"inh_dep"``
    (the inhibitory depressing units; the paper's Fig. 3H).

    Parameters
    ----------
    t0, score_epochs
        When to shuffle and what to score: see :func:`shuffle_point` (default: the task's point of
        :data:`SHUFFLE_POINTS`, test onset for DMS).
    engine
        The network's engine (:meth:`STSPRNN.forward`); the repetitions are stacked into calls of up to 8192 trials.

    Returns
    -------
    ShuffleResult
        Accuracy of every repetition in each branch (chance 0.5); ``.drop(kind)`` and ``.significant_drop(kind)``
        (the paper's rule: a drop in more than 97.5 % of the repetitions).
    """
    owner = "shuffle_test"
    _check_common(owner, model, task, n_trials, n_repeats)
    units = torch.from_numpy(_check_group(owner, "group", group, model))
    rng = check_random_state(rng, "rng", owner)
    trial = make_trials(task, n_trials, rng)
    check_trial_matches(model, trial, owner)
    t0, mask = shuffle_point(trial, t0, score_epochs)
    rest_steps, n_hidden = trial.n_steps - t0, model.config.n_hidden
    per_call = max(1, min(n_repeats, _MAX_TRIALS_PER_CALL // n_trials))
    check_memory(owner, 4 * rest_steps * per_call * n_trials * (4 * n_hidden + model.config.n_output) * 2,
                 "the continuations of one batch of repetitions")
    device = next(model.parameters()).device
    inputs = torch.from_numpy(trial.inputs).to(device)
    seed_before = int(rng.integers(2**62))
    perms = np.stack([rng.permutation(n_trials) for _ in range(n_repeats)])
    seeds = rng.integers(2**62, size=-(-n_repeats // per_call))
    out = np.empty((3, n_repeats))
    with torch.no_grad():
        gen = torch.Generator(device=device).manual_seed(seed_before)
        saved = model(inputs[:t0], noise_generator=gen, engine=engine).state(t0 - 1)
        for k, start in enumerate(range(0, n_repeats, per_call)):
            reps = perms[start:start + per_call]
            n = reps.shape[0]
            stacked = [v.repeat(n, 1) for v in saved]  # (n * B, N): repetition-major copies of the saved state
            flat = torch.from_numpy((reps + n_trials * np.arange(n)[:, None]).ravel()).to(device)
            rest = inputs[t0:].repeat(1, n, 1)
            targets, rest_mask = np.tile(trial.targets[t0:], (1, n)), np.tile(mask, (1, n))
            for b, branch in enumerate(("intact", "neuronal", "synaptic")):
                h, x, u = (v.clone() for v in stacked)
                if branch == "neuronal":
                    h[:, units] = stacked[0][flat][:, units]
                elif branch == "synaptic":
                    x[:, units], u[:, units] = stacked[1][flat][:, units], stacked[2][flat][:, units]
                gen = torch.Generator(device=device).manual_seed(int(seeds[k]))  # the same noise in each branch
                logits = model(rest, state=RNNState(h, x, u), noise_generator=gen, engine=engine).logits
                out[b, start:start + n] = _scored_accuracy(logits.cpu().numpy(), targets, rest_mask, n)
    return ShuffleResult(out[0], out[1], out[2], t0, group)


class SuppressionResult(NamedTuple):
    """Output of :func:`suppression_test`: accuracy (chance 0.5) with and without the silenced units."""

    intact: np.ndarray  #: (n_repeats,) accuracy of the unperturbed network
    suppressed: np.ndarray  #: (n_repeats,) accuracy with the units silenced
    steps: np.ndarray  #: the steps at which the units were silenced
    units: np.ndarray  #: the silenced units

    @property
    def drop(self) -> np.ndarray:
        """Accuracy lost to the suppression, per repetition."""
        return self.intact - self.suppressed


def suppression_test(model: STSPRNN, task: str, units="all", steps=None, n_trials: int = 512, n_repeats: int = 1,
                     rng=0, engine: str = "auto") -> SuppressionResult:
    """Accuracy when the activity of ``units`` is set to zero at ``steps`` (Masse et al. 2019, Fig. S1).

    ``units``: a group of :data:`UNIT_GROUPS` or a sequence of unit indices; ``steps``: the silenced steps (default:
    the last 100 ms of the delay before the first test, the paper's Fig. S1 for DMS; for ABBA the paper silenced each
    group for the 200 ms before the first test).  After each silenced step the network goes on from the changed
    activity, with its synapses as they were updated from the activity before.  The two branches of each repetition
    get the same recurrent noise; every repetition draws new trials' noise on the same trials.  Scored on every test
    step after the first silenced one (chance 0.5).
    """
    owner = "suppression_test"
    _check_common(owner, model, task, n_trials, n_repeats)
    if isinstance(units, str):
        unit_idx = _check_group(owner, "units", units, model)
    else:
        from .._validation import check_array

        unit_idx = np.unique(check_array(owner, "units", units, Interval(0, model.config.n_hidden - 1, "both",
                                                                         integer=True), ndim=1).astype(np.int64))
    rng = check_random_state(rng, "rng", owner)
    trial = make_trials(task, n_trials, rng)
    check_trial_matches(model, trial, owner)
    if steps is None:
        first_test = trial.epochs["test" if "test" in trial.epochs else "test1"][0]
        steps = np.arange(first_test - int(round(100 / trial.dt_ms)), first_test)
    else:
        from .._validation import check_array

        steps = np.unique(check_array(owner, "steps", steps, Interval(1, trial.n_steps - 1, "both", integer=True),
                                      ndim=1).astype(np.int64))
    start, stop = int(steps.min()), int(steps.max()) + 1
    mask = trial.mask.copy()
    mask[:start] = 0.0
    if not ((mask > 0) & (trial.targets != FIXATION)).any():
        raise ValueError(f"No test step of task {task!r} comes after the silenced steps (from step {start}); "
                         f"silence earlier steps.")
    check_memory(owner, 4 * trial.n_steps * n_trials * (4 * model.config.n_hidden + model.config.n_output) * 2,
                 "two runs of the trials")
    device = next(model.parameters()).device
    inputs = torch.from_numpy(trial.inputs).to(device)
    seeds = rng.integers(2**62, size=n_repeats)
    silenced = torch.from_numpy(unit_idx).to(device)
    chosen = np.zeros(trial.n_steps, dtype=bool)
    chosen[steps] = True
    out = np.empty((2, n_repeats))
    with torch.no_grad():
        for r in range(n_repeats):
            for b in range(2):
                gen = torch.Generator(device=device).manual_seed(int(seeds[r]))  # the same noise in both branches
                pieces, state = [], None
                # up to the window in one call, then step by step through it, then the rest in one call
                bounds = [0] + list(range(start + 1, stop + 1)) + ([trial.n_steps] if stop < trial.n_steps else [])
                for a, z in zip(bounds[:-1], bounds[1:]):
                    run = model(inputs[a:z], state=state, noise_generator=gen, engine=engine)
                    state = run.state(z - a - 1)
                    if b == 1 and chosen[z - 1]:
                        h = state.h.clone()
                        h[:, silenced] = 0.0
                        state = RNNState(h, state.x, state.u)
                        logits = run.logits.clone()
                        logits[-1] = h @ model.effective_weights()["w_out"] + model.b_out
                        pieces.append(logits)
                    else:
                        pieces.append(run.logits)
                logits = torch.cat(pieces).cpu().numpy()
                out[b, r] = _scored_accuracy(logits, trial.targets, mask, 1)[0]
    return SuppressionResult(out[0], out[1], steps, unit_idx)
