"""Analyses of trained STSP networks: recordings, population decoding, persistent activity.

Decoding follows Masse et al. (2019), Methods: a linear support-vector machine
(scikit-learn ``SVC(kernel="linear", C=1)``) is trained and tested separately at every
time step, on the 100 neuronal activities ``h`` ("neuronal decoding") or on the 100
synaptic efficacies ``u*x`` ("synaptic decoding").  In each repetition the trials of every
class are split 75 % / 25 %, and 25 training and 25 test trials per class are drawn with
replacement from the two parts; each neuron is min-max scaled with the training trials'
range.  Chance is 1/8 for the sample direction.  The *amount of persistent activity* of a
network is its neuronal decoding accuracy averaged over the last 100 ms of the delay.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import torch

from .._validation import Interval, check_random_state, validate_params
from .model import RNNState, STSPRNN
from .tasks import TASKS, Trial, accuracy, make_trials

__all__ = ["Recording", "record", "decode_over_time", "delay_window", "persistent_activity", "cued_persistence",
           "cued_effect", "chance_level", "shuffle_test"]


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


def record(model: STSPRNN, task: str, n_trials: int = 256, seed=0, test_mode: bool = False,
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
    rng = check_random_state(seed)
    trial = make_trials(task, n_trials, rng, test_mode=test_mode, noise=noise)
    if n_steps is not None:
        validate_params("record", {"n_steps": n_steps}, {"n_steps": Interval(1, trial.n_steps, "both", integer=True)})
        trial = trial._replace(inputs=trial.inputs[:n_steps], targets=trial.targets[:n_steps], mask=trial.mask[:n_steps],
                               epochs={k: (a, min(b, n_steps)) for k, (a, b) in trial.epochs.items() if a < n_steps})
    device = next(model.parameters()).device
    gen = torch.Generator(device=device).manual_seed(int(rng.integers(2**62)))
    with torch.no_grad():
        out = model(torch.from_numpy(trial.inputs).to(device), noise_generator=gen, noise=noise)
    return Recording(trial, out.h.cpu().numpy(), out.efficacy.cpu().numpy(), out.logits.cpu().numpy())


def chance_level(labels) -> float:
    """Chance accuracy of a balanced decoder: 1 / number of classes."""
    return 1.0 / len(np.unique(labels))


def decode_over_time(features, labels, steps=None, n_reps: int = 10, per_class: int = 25, normalize: bool = True,
                     rng=0) -> np.ndarray:
    """Cross-validated linear-SVM decoding of ``labels`` from ``features`` at each time step.

    Parameters
    ----------
    features : array of shape (T, B, N)
        ``Recording.h`` (neuronal decoding) or ``Recording.efficacy`` (synaptic decoding).
    labels : array of shape (B,)
        The decoded variable per trial (e.g. ``trial.info["sample"]``).
    steps : sequence of int, optional
        Time steps to decode (default: all).
    n_reps : int, default=10
        Resampling repetitions (the paper used 100).
    per_class : int, default=25
        Training and test trials drawn per class in each repetition (with replacement, from a
        75 % / 25 % split of that class's trials).
    normalize : bool, default=True
        Min-max scale every neuron with the training trials' range.
    rng : int or numpy.random.Generator

    Returns
    -------
    accuracy : array of shape (len(steps), n_reps)
        Test accuracy; chance is :func:`chance_level` of ``labels``.
    """
    import sklearn

    features = np.asarray(features)
    labels = np.asarray(labels)
    if features.ndim != 3:
        raise ValueError(f"The 'features' parameter must have shape (T, B, N). Got {features.shape} instead.")
    if labels.shape != (features.shape[1],):
        raise ValueError(f"The 'labels' parameter must have shape ({features.shape[1]},) (one label per trial). "
                         f"Got {labels.shape} instead.")
    validate_params("decode_over_time", {"n_reps": n_reps, "per_class": per_class},
                    {"n_reps": Interval(1, np.inf, "left", integer=True),
                     "per_class": Interval(1, np.inf, "left", integer=True)})
    steps = np.arange(features.shape[0]) if steps is None else np.asarray(steps, dtype=int)
    if steps.size == 0 or steps.min() < 0 or steps.max() >= features.shape[0]:
        raise ValueError(f"The 'steps' parameter must hold time steps in [0, {features.shape[0] - 1}]. Got {steps}.")
    features = np.asarray(features[steps], dtype=float)  # only the decoded steps, in float64
    classes = np.unique(labels)
    if classes.size < 2:
        raise ValueError("The 'labels' parameter must contain at least two classes.")
    counts = np.array([(labels == c).sum() for c in classes])
    if counts.min() < 4:
        raise ValueError(f"Every class needs at least 4 trials for a 75/25 split; the smallest has {counts.min()}. "
                         f"Record more trials.")
    rng = check_random_state(rng)
    out = np.empty((steps.size, n_reps))
    with sklearn.config_context(assume_finite=True, skip_parameter_validation=True):  # checked above; same fits
        _decode_reps(features, labels, classes, per_class, normalize, rng, out)
    return out


def _decode_reps(features, labels, classes, per_class, normalize, rng, out):
    """The resampling loop of :func:`decode_over_time`, filling ``out`` (steps, reps)."""
    from sklearn.svm import SVC

    for r in range(out.shape[1]):
        train_idx, test_idx = [], []
        for c in classes:
            idx = rng.permutation(np.flatnonzero(labels == c))
            n_train = int(round(0.75 * idx.size))
            train_idx.append(rng.choice(idx[:n_train], per_class))
            test_idx.append(rng.choice(idx[n_train:], per_class))
        train_idx, test_idx = np.concatenate(train_idx), np.concatenate(test_idx)
        y_train, y_test = labels[train_idx], labels[test_idx]
        for i in range(out.shape[0]):
            x_train, x_test = features[i, train_idx], features[i, test_idx]
            if normalize:
                lo, hi = x_train.min(0), x_train.max(0)
                scale = np.where(hi > lo, hi - lo, 1.0)
                x_train, x_test = (x_train - lo) / scale, (x_test - lo) / scale
            clf = SVC(C=1.0, kernel="linear", shrinking=False, tol=1e-3).fit(x_train, y_train)
            out[i, r] = np.mean(clf.predict(x_test) == y_test)  # the accuracy clf.score gives, without its checks


def delay_window(trial: Trial, length_ms: float = 100.0, dt_ms: float = 10.0, delay: int = 1) -> np.ndarray:
    """Steps of the last ``length_ms`` of a delay, the paper's end-of-delay window.

    ``delay``: which delay of a task with several (dualDMS: 1 before the first test, 2 before the
    second); a task with one delay has only ``delay=1``.
    """
    if isinstance(delay, bool) or not isinstance(delay, (int, np.integer)) or delay < 1:
        raise ValueError(f"The 'delay' parameter must be an int >= 1. Got {delay!r} instead.")
    name = "delay" if delay == 1 and "delay" in trial.epochs else f"delay{delay}"
    if name not in trial.epochs:
        have = sorted(k for k in trial.epochs if k.startswith("delay"))
        raise ValueError(f"Task {trial.task!r} has no delay epoch {name!r}" + (f" (it has {have})." if have else "."))
    start, stop = trial.epochs[name]
    n = int(round(length_ms / dt_ms))
    return np.arange(max(start, stop - n), stop)


def persistent_activity(rec: Recording, n_reps: int = 10, rng=0, feature: str = "h", every: int = 1,
                        location: int = 0, cued: bool | None = None, delay: int = 1) -> float:
    """Mean neuronal (``feature="h"``) or synaptic (``"efficacy"``) sample decoding, last 100 ms of the delay.

    Chance is 1/8.  Masse et al. (2019) call a DMS network activity-silent when this is at chance
    for ``h`` while synaptic decoding stays high.  ``every=k`` decodes only every k-th step of the
    window (faster, a little noisier).

    For dualDMS, ``location`` (0 or 1) chooses which of the two samples is decoded, at the end of
    delay ``delay`` (1 or 2); the cue of the test that follows has then been on for 500 ms.
    ``cued=True`` keeps only the trials whose next test is cued to that location (the sample is
    relevant), ``cued=False`` those cued to the other one (it can be set aside, or after delay 2
    forgotten), ``None`` all trials.  Masse et al. (2019) report more persistent activity for the
    cued sample at the end of both delays.
    """
    if feature not in ("h", "efficacy"):
        raise ValueError(f"The 'feature' parameter must be 'h' or 'efficacy'. Got {feature!r} instead.")
    validate_params("persistent_activity", {"every": every}, {"every": Interval(1, 10, "both", integer=True)})
    window = delay_window(rec.trial, delay=delay)  # checks 'delay' against the task's epochs
    labels = rec.trial.info["sample"]
    trials = np.arange(labels.shape[0])
    if labels.ndim > 1:
        if location not in (0, 1):
            raise ValueError(f"The 'location' parameter must be 0 or 1. Got {location!r} instead.")
        if cued not in (None, True, False):
            raise TypeError(f"The 'cued' parameter must be None, True or False. Got {cued!r} instead.")
        if cued is not None:
            trials = np.flatnonzero((rec.trial.info["rule"][:, delay - 1] == location) == cued)
        labels = labels[trials, location]
    elif location != 0 or cued is not None:
        raise ValueError(f"The 'location' and 'cued' parameters apply to dualDMS only; this recording is of "
                         f"{rec.trial.task!r}.")
    steps = window[::-1][::every]
    features = getattr(rec, feature)[steps][:, trials]  # the window's steps only, then the chosen trials
    return float(decode_over_time(features, labels, n_reps=n_reps, rng=rng).mean())


def cued_persistence(model: STSPRNN, n_trials: int = 512, seed=0, n_reps: int = 5, every: int = 1,
                     delay: int = 1) -> dict:
    """Dual DMS: decoding of the sample cued for the next test and of the other one, end of a delay.

    The network runs on ``n_trials`` dualDMS trials (``test_mode``, stopped at the end of delay
    ``delay``, 1 or 2).  For each location, :func:`persistent_activity` decodes that location's
    sample in the trials whose next test is cued to it (``"cued"``) and in those cued to the other
    location (``"not cued"``); the two locations are averaged.  Returns
    ``{"h": {"cued": ..., "not cued": ...}, "efficacy": {...}}`` (chance 1/8).  Masse et al. (2019)
    report, from activity over 20 networks, 0.455 vs 0.354 after delay 1 and 0.335 vs 0.211 after
    delay 2, with synaptic decoding near 1 for both.  The defaults decode every step of the window
    with 5 resamplings (the paper used 100): a network's two values then move by about 0.01-0.02
    from one trial seed to another, so compare networks with :func:`cued_effect`, not one by one.
    """
    end = int(delay_window(make_trials("dualDMS", 1, 0), delay=delay)[-1]) + 1
    rec = record(model, "dualDMS", n_trials, seed=seed, test_mode=True, n_steps=end)
    return {feature: {label: float(np.mean([persistent_activity(rec, n_reps=n_reps, every=every, feature=feature,
                                                                location=loc, cued=cued, delay=delay)
                                            for loc in (0, 1)]))
                      for label, cued in (("cued", True), ("not cued", False))}
            for feature in ("h", "efficacy")}


def cued_effect(results) -> dict:
    """Summary over networks of :func:`cued_persistence` results (one per network).

    Returns the mean decoding from activity of the cued and the other sample (``"cued"``,
    ``"not cued"``), their mean ``"difference"``, ``"n_higher"`` (networks where the cued sample is
    decoded better), ``"p"`` (one-sided paired t-test across networks that the cued sample is decoded
    better, :func:`scipy.stats.ttest_rel`; NaN with fewer than two networks), ``"n"`` and
    ``"min_efficacy"`` (the lowest synaptic decoding of either sample).  Masse et al. (2019) report
    P < 0.001 over 20 networks after either delay.
    """
    from scipy import stats

    results = list(results)
    if not results:
        raise ValueError("The 'results' parameter must hold at least one cued_persistence result.")
    cued = np.array([r["h"]["cued"] for r in results])
    other = np.array([r["h"]["not cued"] for r in results])
    p = float(stats.ttest_rel(cued, other, alternative="greater").pvalue) if len(results) > 1 else float("nan")
    return {"cued": float(cued.mean()), "not cued": float(other.mean()), "difference": float((cued - other).mean()),
            "n_higher": int((cued > other).sum()), "n": len(results), "p": p,
            "min_efficacy": float(min(min(r["efficacy"].values()) for r in results))}


def shuffle_test(model: STSPRNN, task: str, t0: int | None = None, n_trials: int = 512, seed=0) -> dict:
    """Accuracy after exchanging activity or synapses between trials (Masse et al. 2019, Fig. 2-3).

    The network runs on ``n_trials`` trials of ``task`` (half matches); its state (h, x, u)
    after step ``t0 - 1`` is kept, and the rest of the trial (steps ``t0`` on, same inputs) is
    simulated again from

    * ``"none"``: the true state;
    * ``"neuronal"``: h permuted across trials (each trial gets another trial's activity, keeps
      its own synapses);
    * ``"synaptic"``: x and u permuted together (own activity, another trial's synapses).

    The three continuations get the same recurrent noise, so they differ only by the shuffle.
    Returns the accuracy of each on the remaining test steps (chance 0.5).  If the memory is
    held in the synapses, the synaptic shuffle brings accuracy to chance and the neuronal one
    does nothing.  ``t0`` defaults to the onset of the first test.
    """
    if task not in TASKS:
        raise ValueError(f"The 'task' parameter must be one of {sorted(TASKS)}. Got {task!r} instead.")
    rng = check_random_state(seed)
    trial = make_trials(task, n_trials, rng)
    if t0 is None:
        t0 = trial.epochs["test" if "test" in trial.epochs else "test1"][0]
    validate_params("shuffle_test", {"t0": t0}, {"t0": Interval(1, trial.n_steps - 1, "both", integer=True)})
    device = next(model.parameters()).device
    inputs = torch.from_numpy(trial.inputs).to(device)
    seed_before, seed_after = (int(v) for v in rng.integers(2**62, size=2))
    perm = torch.from_numpy(rng.permutation(n_trials)).to(device)
    rest = trial._replace(inputs=trial.inputs[t0:], targets=trial.targets[t0:], mask=trial.mask[t0:])
    result = {}
    with torch.no_grad():
        gen = torch.Generator(device=device).manual_seed(seed_before)
        h, x, u = model(inputs[:t0], noise_generator=gen).state(t0 - 1)
        for name, state in [("none", (h, x, u)), ("neuronal", (h[perm], x, u)), ("synaptic", (h, x[perm], u[perm]))]:
            gen = torch.Generator(device=device).manual_seed(seed_after)  # same noise in the three branches
            out = model(inputs[t0:], state=RNNState(*state), noise_generator=gen)
            result[name] = accuracy(out.logits.cpu().numpy(), rest)
    return result
