"""Persistent activity of trained networks: decoding at the end of a delay (Masse et al. 2019).

The *amount of persistent activity* of a network is its neuronal decoding accuracy of the sample averaged over the
last 100 ms of the delay (:func:`persistent_activity`); for dual DMS, :func:`cued_persistence` compares the sample
cued for the next test with the other one, and :func:`cued_effect` summarises that comparison across networks.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .._validation import Boolean, Interval, Options, check_instance, validate_params
from ..analysis.decoding import decode_over_time
from .model import STSPRNN
from .recording import Recording, record
from .tasks import Trial, make_trials

__all__ = ["delay_window", "persistent_activity", "CuedPersistence", "cued_persistence", "CuedEffect", "cued_effect"]


def delay_window(trial: Trial, length_ms: float = 100.0, delay: int = 1) -> np.ndarray:
    """Steps of the last ``length_ms`` of a delay, the paper's end-of-delay window (in steps of ``trial.dt_ms``).

    ``delay``: which delay of a task with several (dualDMS: 1 before the first test, 2 before the
    second); a task with one delay has only ``delay=1``.
    """
    check_instance("delay_window", "trial", trial, Trial)
    if isinstance(delay, bool) or not isinstance(delay, (int, np.integer)) or delay < 1:
        raise ValueError(f"The 'delay' parameter must be an int >= 1 (of delay_window). Got {delay!r} instead.")
    validate_params("delay_window", {"length_ms": length_ms}, {"length_ms": Interval(0, np.inf, "neither")})
    name = "delay" if delay == 1 and "delay" in trial.epochs else f"delay{delay}"
    if name not in trial.epochs:
        have = sorted(k for k in trial.epochs if k.startswith("delay"))
        raise ValueError(f"The 'delay' parameter of delay_window must select a delay of task {trial.task!r}: it has no "
                         f"delay epoch {name!r}" + (f" (it has {have})." if have else "."))
    start, stop = trial.epochs[name]
    n = int(round(length_ms / trial.dt_ms))
    return np.arange(max(start, stop - n), stop)


def persistent_activity(rec: Recording, n_reps: int = 10, rng=0, feature: str = "h", every: int = 1,
                        location: int = 0, cued: bool | None = None, delay: int = 1, target: str = "sample") -> float:
    """Mean neuronal (``feature="h"``) or synaptic (``"efficacy"``) sample decoding, last 100 ms of the delay.

    Chance is 1/8.  Masse et al. (2019) call a DMS network activity-silent when this is at chance
    for ``h`` while synaptic decoding stays high.  ``every=k`` decodes only every k-th step of the
    window (faster, a little noisier).

    ``target`` chooses what is decoded: ``"sample"`` (the sample direction), or another per-trial
    label of ``rec.trial.info``, e.g. ``"category"`` for DMC (two classes, chance 1/2).  A network
    that holds only the sample's category decodes the direction at 1/4: the category leaves four
    directions.

    For dualDMS, ``location`` (0 or 1) chooses which of the two samples is decoded, at the end of
    delay ``delay`` (1 or 2); the cue of the test that follows has then been on for 500 ms.
    ``cued=True`` keeps only the trials whose next test is cued to that location (the sample is
    relevant), ``cued=False`` those cued to the other one (it can be set aside, or after delay 2
    forgotten), ``None`` all trials.  Masse et al. (2019) report more persistent activity for the
    cued sample at the end of both delays.
    """
    check_instance("persistent_activity", "rec", rec, Recording)
    validate_params("persistent_activity", {"feature": feature, "every": every, "location": location},
                    {"feature": Options(("h", "efficacy")), "every": Interval(1, 10, "both", integer=True),
                     "location": Interval(0, 1, "both", integer=True)})
    if cued is not None:
        validate_params("persistent_activity", {"cued": cued}, {"cued": Boolean()})
    window = delay_window(rec.trial, delay=delay)  # checks 'delay' against the task's epochs
    labelled = sorted(k for k, v in rec.trial.info.items() if np.ndim(v) == 1 or k == "sample")
    if not isinstance(target, str) or target not in labelled:
        raise ValueError(f"The 'target' parameter of persistent_activity must be a per-trial label of task "
                         f"{rec.trial.task!r}, one of {labelled}. Got {target!r} instead.")
    labels = np.asarray(rec.trial.info[target])
    trials = np.arange(labels.shape[0])
    if target != "sample" and (location != 0 or cued is not None):
        raise ValueError("The 'location' and 'cued' parameters apply to the dualDMS sample only (target='sample').")
    if labels.ndim > 1:
        if cued is not None:
            trials = np.flatnonzero((rec.trial.info["rule"][:, delay - 1] == location) == cued)
        labels = labels[trials, location]
    elif location != 0 or cued is not None:
        raise ValueError(f"The 'location' and 'cued' parameters apply to dualDMS only; this recording is of "
                         f"{rec.trial.task!r}.")
    steps = window[::-1][::every]
    features = getattr(rec, feature)[steps][:, trials]  # the window's steps only, then the chosen trials
    return float(decode_over_time(features, labels, n_reps=n_reps, rng=rng).mean())


class CuedPersistence(NamedTuple):
    """Output of :func:`cued_persistence`: end-of-delay sample decoding (chance 1/8), both locations averaged."""

    h_cued: float  #: from activity, the sample cued for the next test
    h_not_cued: float  #: from activity, the other sample
    efficacy_cued: float  #: from synaptic efficacy, the cued sample
    efficacy_not_cued: float  #: from synaptic efficacy, the other sample


def cued_persistence(model: STSPRNN, n_trials: int = 512, rng=0, n_reps: int = 5, every: int = 1,
                     delay: int = 1) -> CuedPersistence:
    """Dual DMS: decoding of the sample cued for the next test and of the other one, end of a delay.

    The network runs on ``n_trials`` dualDMS trials (``test_mode``, stopped at the end of delay
    ``delay``, 1 or 2).  For each location, :func:`persistent_activity` decodes that location's
    sample in the trials whose next test is cued to it (``"cued"``) and in those cued to the other
    location (``"not cued"``); the two locations are averaged.  Returns a :class:`CuedPersistence`
    (chance 1/8).  Masse et al. (2019)
    report, from activity over 20 networks, 0.455 vs 0.354 after delay 1 and 0.335 vs 0.211 after
    delay 2, with synaptic decoding near 1 for both.  The defaults decode every step of the window
    with 5 resamplings (the paper used 100): a network's two values then move by about 0.01-0.02
    from one trial seed to another, so compare networks with :func:`cued_effect`, not one by one.
    """
    check_instance("cued_persistence", "model", model, STSPRNN)
    end = int(delay_window(make_trials("dualDMS", 1, 0), delay=delay)[-1]) + 1
    rec = record(model, "dualDMS", n_trials, rng=rng, test_mode=True, n_steps=end)
    values = [float(np.mean([persistent_activity(rec, n_reps=n_reps, every=every, feature=feature, location=loc,
                                                 cued=cued, delay=delay) for loc in (0, 1)]))
              for feature in ("h", "efficacy") for cued in (True, False)]
    return CuedPersistence(*values)


class CuedEffect(NamedTuple):
    """Output of :func:`cued_effect`: the cued-sample effect summarised over networks."""

    cued: float  #: mean decoding from activity of the cued sample
    not_cued: float  #: mean decoding from activity of the other sample
    difference: float  #: mean of cued - not cued
    n_higher: int  #: networks where the cued sample is decoded better
    n: int  #: networks
    p: float  #: one-sided paired t-test across networks (NaN with fewer than two)
    min_efficacy: float  #: the lowest synaptic decoding of either sample


def cued_effect(results) -> CuedEffect:
    """Summary over networks of :func:`cued_persistence` results (one per network).

    Returns a :class:`CuedEffect`: the mean decoding from activity of the cued and the other sample,
    their mean difference, the networks where the cued sample is decoded better, ``p`` (one-sided paired
    t-test across networks that the cued sample is decoded better, :func:`scipy.stats.ttest_rel`; NaN with
    fewer than two networks), the number of networks and the lowest synaptic decoding of either sample.  Masse et al. (2019) report
    P < 0.001 over 20 networks after either delay.
    """
    from scipy import stats

    if isinstance(results, (str, bytes)) or not hasattr(results, "__iter__"):
        raise TypeError(f"The 'results' parameter of cued_effect must be a sequence of CuedPersistence (from "
                        f"cued_persistence). Got {type(results).__name__} instead.")
    results = list(results)
    if not results or not all(isinstance(r, CuedPersistence) for r in results):
        raise TypeError("The 'results' parameter of cued_effect must be a non-empty sequence of CuedPersistence "
                        "(from cued_persistence).")
    cued = np.array([r.h_cued for r in results])
    other = np.array([r.h_not_cued for r in results])
    p = float(stats.ttest_rel(cued, other, alternative="greater").pvalue) if len(results) > 1 else float("nan")
    return CuedEffect(float(cued.mean()), float(other.mean()), float((cued - other).mean()), int((cued > other).sum()),
                      len(results), p, float(min(min(r.efficacy_cued, r.efficacy_not_cued) for r in results)))
