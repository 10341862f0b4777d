r"""How much a network manipulates the sample, against how much it keeps it in its activity (Masse et al. 2019, Fig. 7).

The paper compares ten *conditions* (a task, and for two tasks a kind of trial) by two numbers, each averaged over the
networks of a condition:

* **persistent activity**: neuronal decoding of the sample over the last 100 ms of the delay (chance 1/8);
* the **manipulation index** (:func:`wmlib.analysis.manipulation_index`): one minus the similarity between the
  neuronal tuning to the sample in the first 100 ms of the sample and the synaptic tuning in the last 100 ms of the
  delay, facilitating minus depressing synapses.  0: the synapses hold the sample as it came in; 1: they hold no
  trace of its direction that matches the input's (e.g. a rotated copy).

Both are measured on a *standardised* trial, so that tasks of different timings can be compared: a DMS trial (500 ms
sample, 1000 ms delay) for every network whose inputs are the DMS inputs (DMS, DMRS, DMC, ABBA, ABCA), the task's own
trial for the delayed-rule task (the same timing, split by the rule cued in the delay) and for dual DMS (the first
delay, split by whether a sample's location is cued for the first test).  Tests are drawn independently of the sample
(``test_mode``), as for every decoding.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .._validation import Interval, Options, check_instance, validate_params
from ..analysis.tuning import direction_tuning, manipulation_index
from .model import STSPRNN
from .persistence import delay_window, persistent_activity
from .recording import Recording, record
from .tasks import N_DIRECTIONS, make_trials

__all__ = ["MANIPULATION_CONDITIONS", "ConditionMetrics", "condition_metrics", "standard_recording"]

#: The ten conditions of the paper's Fig. 7: name -> (task of the network, which trials, which sample).
#: ``("rule", k)`` keeps the trials of rule k (DMS+DMRS: 0 DMS, 1 DMRS90); ``("cued", True/False)`` decodes, at each
#: dual-DMS location, the sample of the trials whose first test is cued there (or elsewhere), both locations averaged.
MANIPULATION_CONDITIONS = {
    "DMS": ("DMS", None), "DMRS45": ("DMRS45", None), "DMRS90": ("DMRS90", None), "DMRS180": ("DMRS180", None),
    "ABBA": ("ABBA", None), "ABCA": ("ABCA", None),
    "delayed rule, DMS trials": ("DMS+DMRS", ("rule", 0)), "delayed rule, DMRS trials": ("DMS+DMRS", ("rule", 1)),
    "dual DMS, cued": ("dualDMS", ("cued", True)), "dual DMS, not cued": ("dualDMS", ("cued", False)),
}
#: Tasks measured on their own trials; every other network runs DMS trials.
_OWN_TRIALS = ("DMS+DMRS", "dualDMS")
_WINDOW_MS = 100.0


def _standard_task(task: str) -> str:
    return task if task in _OWN_TRIALS else "DMS"


def standard_recording(model: STSPRNN, task: str, n_trials: int = 1024, rng=0) -> Recording:
    """The network of ``task`` on its standardised trials (``test_mode``, up to the end of the first delay).

    At least 256 trials, so that every sample direction (and, for dual DMS, every cue) has trials to decode from.
    """
    check_instance("standard_recording", "model", model, STSPRNN)
    tasks = sorted({t for t, _ in MANIPULATION_CONDITIONS.values()})
    validate_params("standard_recording", {"task": task, "n_trials": n_trials},
                    {"task": Options(tuple(tasks)), "n_trials": Interval(256, 10**6, "both", integer=True)})
    run_task = _standard_task(task)
    end = int(delay_window(make_trials(run_task, 1, 0))[-1]) + 1
    return record(model, run_task, n_trials, rng=rng, test_mode=True, n_steps=end)


class ConditionMetrics(NamedTuple):
    """Output of :func:`condition_metrics` for one network and condition."""

    manipulation: float  #: manipulation index (0: the sample kept as it came in)
    persistence: float  #: neuronal sample decoding, last 100 ms of the delay (chance 1/8)
    synaptic: float  #: synaptic sample decoding over the same window


def _one_sample(rec: Recording, trials: np.ndarray, sample: np.ndarray, facilitating: np.ndarray) -> float:
    theta = sample * (2 * np.pi / N_DIRECTIONS)
    n = int(round(_WINDOW_MS / rec.trial.dt_ms))
    s0 = rec.trial.epochs["sample"][0]
    early = np.arange(s0, s0 + n)
    late = delay_window(rec.trial, _WINDOW_MS)
    neural = direction_tuning(rec.h[early][:, trials], theta)
    synaptic = direction_tuning(rec.efficacy[late][:, trials], theta)
    return manipulation_index(neural, synaptic, np.arange(n), np.arange(late.size), facilitating)


def condition_metrics(model: STSPRNN, condition: str, n_trials: int = 1024, rng=0, n_reps: int = 10,
                      recording: Recording | None = None) -> ConditionMetrics:
    """Manipulation index and persistent activity of one network in one condition of :data:`MANIPULATION_CONDITIONS`.

    The network runs ``n_trials`` standardised trials (:func:`standard_recording`, seeded by ``rng``; or pass a
    ``recording`` of them to reuse it for several conditions).  Persistent activity and synaptic decoding are
    :func:`~wmlib.rnn.persistent_activity` with ``n_reps`` resamplings (the paper used 100).

    Examples
    --------
    >>> from wmlib.rnn import load_pretrained
    >>> m = condition_metrics(load_pretrained("DMS", 0), "DMS", n_trials=256, n_reps=2)
    >>> m.manipulation < 0.5 < m.synaptic
    True
    """
    check_instance("condition_metrics", "model", model, STSPRNN)
    if not isinstance(condition, str) or condition not in MANIPULATION_CONDITIONS:
        raise ValueError(f"The 'condition' parameter of condition_metrics must be one of "
                         f"{list(MANIPULATION_CONDITIONS)}. Got {condition!r} instead.")
    validate_params("condition_metrics", {"n_reps": n_reps}, {"n_reps": Interval(1, 10**4, "both", integer=True)})
    task, which = MANIPULATION_CONDITIONS[condition]
    if recording is None:
        recording = standard_recording(model, task, n_trials, rng)
    else:
        check_instance("condition_metrics", "recording", recording, Recording)
        if recording.trial.task != _standard_task(task):
            raise ValueError(f"The 'recording' parameter of condition_metrics must be of {_standard_task(task)!r} "
                             f"trials for condition {condition!r} (from standard_recording). Got "
                             f"{recording.trial.task!r} trials instead.")
    facilitating = np.arange(model.config.n_hidden) % 2 == 0
    info = recording.trial.info
    all_trials = np.arange(recording.trial.batch_size)
    if which is None:
        index = _one_sample(recording, all_trials, info["sample"], facilitating)
        h, ux = (persistent_activity(recording, n_reps=n_reps, feature=f) for f in ("h", "efficacy"))
        return ConditionMetrics(float(index), float(h), float(ux))
    kind, value = which
    if kind == "rule":
        trials = np.flatnonzero(info["rule"] == value)
        sub = _subset(recording, trials)
        index = _one_sample(sub, np.arange(trials.size), sub.trial.info["sample"], facilitating)
        h, ux = (persistent_activity(sub, n_reps=n_reps, feature=f) for f in ("h", "efficacy"))
        return ConditionMetrics(float(index), float(h), float(ux))
    values = []  # dual DMS: both locations
    for loc in (0, 1):
        trials = np.flatnonzero((info["rule"][:, 0] == loc) == value)
        index = _one_sample(recording, trials, info["sample"][trials, loc], facilitating)
        h, ux = (persistent_activity(recording, n_reps=n_reps, feature=f, location=loc, cued=value)
                 for f in ("h", "efficacy"))
        values.append((index, h, ux))
    return ConditionMetrics(*(float(v) for v in np.mean(values, axis=0)))


def _subset(rec: Recording, trials: np.ndarray) -> Recording:
    """The recording of ``trials`` only."""
    t = rec.trial
    info = {k: (v[trials] if np.ndim(v) >= 1 and np.shape(v)[0] == t.batch_size else v) for k, v in t.info.items()}
    trial = t._replace(inputs=t.inputs[:, trials], targets=t.targets[:, trials], mask=t.mask[:, trials], info=info)
    return Recording(trial, rec.h[:, trials], rec.efficacy[:, trials], rec.logits[:, trials])
