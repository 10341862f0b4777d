r"""Behavioural measures of working memory: capacity and the N-back task.

The introduction uses these to show *how* the numbers psychologists report are
computed from a subject's answers.

**Change detection and Cowan's K.**  In a change-detection trial
(Luck & Vogel 1997) the subject sees :math:`N` items, a blank delay, then the
display again with one item possibly changed, and answers "same" or
"changed".  The *slot model* (Cowan 2001) assumes the subject stores
:math:`\min(K, N)` of the items perfectly and nothing about the others.  If the
probed item is stored, the answer is correct; otherwise the subject guesses
"changed" with probability :math:`g`.  With :math:`p=\min(K,N)/N`,

.. math::

    H = p + (1-p)\,g, \qquad F = (1-p)\,g
    \quad\Longrightarrow\quad K = N\,(H - F),

where :math:`H` is the hit rate (saying "changed" on change trials) and :math:`F`
the false-alarm rate (saying "changed" on same trials).  The last formula,
*Cowan's K*, estimates capacity from the two measured rates.

**N-back.**  A stream of stimuli; at each one the subject reports whether it
matches the stimulus :math:`n` steps back (Kirchner 1958).  Performance is
summarised by the hit and false-alarm rates and the sensitivity
:math:`d' = \Phi^{-1}(H) - \Phi^{-1}(F)` of signal-detection theory.

References
----------
Luck, S. J. & Vogel, E. K. (1997). The capacity of visual working memory for
features and conjunctions. Nature 390, 279–281.

Cowan, N. (2001). The magical number 4 in short-term memory. Behavioral and
Brain Sciences 24, 87–114.

Kirchner, W. K. (1958). Age differences in short-term retention of rapidly
changing information. Journal of Experimental Psychology 55, 352–358.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from scipy.stats import norm

from .._validation import Interval, check_array, check_instance, check_memory, check_random_state, validate_params

__all__ = [
    "DMS_TIMING",
    "ChangeDetectionResult",
    "simulate_change_detection",
    "cowan_k",
    "NBackSequence",
    "nback_sequence",
    "NBackScore",
    "score_nback",
    "slot_observer_nback",
]

#: Epochs of a delayed match-to-sample trial, in s, as in the DMS task of
#: Masse et al. (2019): fixation 500 ms, sample 500 ms, delay 1000 ms, test 500 ms.
DMS_TIMING = {"fixation": 0.5, "sample": 0.5, "delay": 1.0, "test": 0.5}

_PROB = Interval(0.0, 1.0, "both")
_COUNT = Interval(1, np.inf, "left", integer=True)


class ChangeDetectionResult(NamedTuple):
    """Output of :func:`simulate_change_detection` (arrays of shape ``(n_set_sizes,)``)."""

    set_sizes: np.ndarray
    hit_rate: np.ndarray  #: P("changed" | change trial)
    false_alarm_rate: np.ndarray  #: P("changed" | same trial)
    k_estimate: np.ndarray  #: Cowan's K computed from the two rates


def simulate_change_detection(set_sizes, capacity: float, n_trials: int, rng, guess: float = 0.5) -> ChangeDetectionResult:
    """Simulate a slot-model observer in a change-detection experiment.

    Each set size gets ``n_trials`` change trials and ``n_trials`` same trials;
    on every trial the probed item is in memory with probability
    ``min(capacity, N) / N`` (see the module docstring).

    Parameters
    ----------
    set_sizes : array of int
        Numbers of items shown, each >= 1.
    capacity : float
        Number of slots K, >= 0.
    n_trials : int
        Trials of each kind per set size, >= 1.
    rng : int or numpy.random.Generator
    guess : float, default=0.5
        Probability of answering "changed" when the probed item is not stored, in [0, 1].
    """
    validate_params(
        "simulate_change_detection",
        {"set_sizes": set_sizes, "capacity": capacity, "n_trials": n_trials, "guess": guess},
        {"set_sizes": _COUNT, "capacity": Interval(0, np.inf, "left"), "n_trials": _COUNT, "guess": _PROB},
    )
    rng = check_random_state(rng, "rng", "simulate_change_detection")
    n = np.atleast_1d(check_array("simulate_change_detection", "set_sizes", set_sizes, _COUNT, ndim=(0, 1)).astype(float))
    check_memory("simulate_change_detection", 4.0 * 8 * n.size * float(n_trials), f"{n_trials} trials per set size")
    p_stored = np.minimum(capacity, n) / n
    shape = (int(n_trials), n.size)
    stored_c = rng.random(shape) < p_stored
    stored_s = rng.random(shape) < p_stored
    guess_c = rng.random(shape) < guess
    guess_s = rng.random(shape) < guess
    hits = np.where(stored_c, True, guess_c).mean(axis=0)
    fas = np.where(stored_s, False, guess_s).mean(axis=0)
    return ChangeDetectionResult(n.astype(int), hits, fas, cowan_k(hits, fas, n))


def cowan_k(hit_rate, false_alarm_rate, set_size):
    """Cowan's capacity estimate ``K = N (H - F)`` (Cowan 2001).

    Parameters
    ----------
    hit_rate, false_alarm_rate : float or array in [0, 1]
    set_size : int or array, >= 1
    """
    validate_params(
        "cowan_k",
        {"hit_rate": hit_rate, "false_alarm_rate": false_alarm_rate, "set_size": set_size},
        {"hit_rate": _PROB, "false_alarm_rate": _PROB, "set_size": _COUNT},
    )
    return np.asarray(set_size, dtype=float) * (np.asarray(hit_rate, dtype=float) - np.asarray(false_alarm_rate, dtype=float))


class NBackSequence(NamedTuple):
    """Output of :func:`nback_sequence`."""

    stimuli: np.ndarray  #: int array of shape (length,), stimulus identities
    is_target: np.ndarray  #: bool array, True where ``stimuli[i] == stimuli[i - n]``
    n: int


def nback_sequence(length: int, n: int, rng, n_stimuli: int = 8, p_target: float = 0.3) -> NBackSequence:
    """A random N-back stream with about ``p_target`` targets.

    The first ``n`` positions cannot be targets.  At every later position a
    target is placed with probability ``p_target``; otherwise a stimulus
    different from the one ``n`` back is drawn uniformly.

    Parameters
    ----------
    length : int
        Number of stimuli, > n.
    n : int
        The "N" of N-back, >= 1.
    rng : int or numpy.random.Generator
    n_stimuli : int, default=8
        Size of the stimulus alphabet, >= 2.
    p_target : float, default=0.3
        Probability of a target at each eligible position, in [0, 1].
    """
    validate_params(
        "nback_sequence",
        {"length": length, "n": n, "n_stimuli": n_stimuli, "p_target": p_target},
        {"length": _COUNT, "n": _COUNT, "n_stimuli": Interval(2, np.inf, "left", integer=True), "p_target": _PROB},
    )
    if not length > n:
        raise ValueError(f"The 'length' parameter of nback_sequence must be an int in the range ({n}, inf) (longer than 'n'). "
                         f"Got {length!r} instead.")
    check_memory("nback_sequence", 40.0 * int(length), f"a stream of {int(length)} stimuli")
    if int(length) > 10**7:
        raise ValueError(f"The 'length' parameter of nback_sequence must be an int in the range ({n}, 10000000] (the "
                         f"stream is built one position at a time). Got {length!r} instead.")
    rng = check_random_state(rng, "rng", "nback_sequence")
    length, n, n_stimuli = int(length), int(n), int(n_stimuli)
    stim = np.empty(length, dtype=int)
    stim[:n] = rng.integers(0, n_stimuli, size=n)
    target_draw = rng.random(length) < p_target
    other = rng.integers(0, n_stimuli - 1, size=length)  # a stimulus != the one n back
    for i in range(n, length):
        back = stim[i - n]
        stim[i] = back if target_draw[i] else other[i] + (other[i] >= back)
    is_target = np.zeros(length, dtype=bool)
    is_target[n:] = stim[n:] == stim[:-n]
    return NBackSequence(stim, is_target, n)


class NBackScore(NamedTuple):
    """Output of :func:`score_nback`."""

    hit_rate: float
    false_alarm_rate: float
    d_prime: float  #: Phi^-1(H) - Phi^-1(F), with the log-linear correction
    accuracy: float  #: fraction of scored positions answered correctly


def score_nback(sequence: NBackSequence, responses) -> NBackScore:
    """Score "target" responses to an N-back stream.

    Only positions ``>= n`` are scored.  Hit and false-alarm rates of 0 or 1
    would make :math:`d'` infinite, so :math:`d'` uses the log-linear
    correction of Hautus (1995): add 0.5 to each count and 1 to each total.

    Parameters
    ----------
    sequence : NBackSequence
    responses : bool array of shape (length,)
        True where the subject answered "target".
    """
    check_instance("score_nback", "sequence", sequence, NBackSequence)
    resp = np.asarray(responses)
    if resp.shape != sequence.stimuli.shape or resp.dtype != bool:
        raise ValueError(f"The 'responses' parameter of score_nback must be a bool array of shape "
                         f"{sequence.stimuli.shape}. Got {resp.dtype} of shape {resp.shape} instead.")
    sl = slice(sequence.n, None)
    tgt, r = sequence.is_target[sl], resp[sl]
    n_t, n_l = int(tgt.sum()), int((~tgt).sum())
    hits, fas = int((r & tgt).sum()), int((r & ~tgt).sum())
    h = hits / n_t if n_t else float("nan")
    f = fas / n_l if n_l else float("nan")
    d = float(norm.ppf((hits + 0.5) / (n_t + 1)) - norm.ppf((fas + 0.5) / (n_l + 1)))
    return NBackScore(h, f, d, float((r == tgt).mean()))


def slot_observer_nback(sequence: NBackSequence, capacity: int, rng, guess: float = 0.3) -> np.ndarray:
    """Responses of an observer who keeps only the last ``capacity`` stimuli.

    To answer an N-back question the observer must still hold the stimulus
    ``n`` steps back, i.e. the last ``n`` items (the current one is in view).
    If ``n <= capacity`` it answers correctly; otherwise that item has been
    pushed out of its buffer and it guesses "target" with probability ``guess``.

    Parameters
    ----------
    sequence : NBackSequence
    capacity : int
        Buffer size, >= 0.
    rng : int or numpy.random.Generator
    guess : float, default=0.3
        Probability of a "target" guess, in [0, 1].

    Returns
    -------
    bool array of shape (length,)
    """
    check_instance("slot_observer_nback", "sequence", sequence, NBackSequence)
    validate_params("slot_observer_nback", {"capacity": capacity, "guess": guess},
                    {"capacity": Interval(0, np.inf, "left", integer=True), "guess": _PROB})
    rng = check_random_state(rng, "rng", "slot_observer_nback")
    guesses = rng.random(sequence.stimuli.shape) < guess
    if sequence.n <= capacity:
        return sequence.is_target.copy()
    return guesses
