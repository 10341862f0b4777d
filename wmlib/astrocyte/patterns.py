r"""Learning and recalling black-and-white patterns in the binary network of Gordleeva et al. (2021).

The protocol of the authors' code, times in s:

* **learning**: four patterns (the digits 0, 1, 2, 3 by default) shown one after another, at 0.5, 0.8, 1.1 and
  1.4 s, for 0.2 s each, with 5 % of their pixels flipped; pattern pixels receive a current of 80 (capped, like
  every input, at ``input_cap`` = 25), the others none.  The neurons of a pattern fire fast enough, together, for
  their astrocytes to take up glutamate: each such astrocyte's calcium rises over the next second and stays high for
  a few seconds;
* **test**: from 2.3 s on, every 0.4 s, a cue of 0.15 s, weak (current 8) and noisy (20 % of the pixels flipped):
  learned and new patterns alternate (0, 5, 1, 6, 2, 7, 3, 8).  Where an astrocyte's calcium is high and its neurons
  fire together, it strengthens their synapses for 0.25 s, and the network fills in the learned pattern;
* **readout**: spikes of every neuron over 0.25 s from each cue's onset, turned into a black-and-white image by a
  threshold (the same for every cue, the one among 1, ..., 30 spikes that gives the best mean score on the learned
  patterns), and scored against the pattern cued: :math:`\tfrac12(\mathrm{TPR} + \mathrm{TNR})`, the mean of the
  fraction of pattern pixels found and of background pixels left blank (:func:`pattern_score`; 0.5 is chance).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .._validation import Interval, check_array, check_instance, check_random_state
from .images import flip
from .params import BinaryParams
from .simulation import Stimulus, background_pulses, simulate
from .wiring import Wiring, connect

__all__ = ["pattern_score", "PatternMemory", "learn_and_test", "LEARN_TIMES", "TEST_START", "TEST_EVERY"]

#: Onsets of the learned patterns, s; each lasts 0.2 s.
LEARN_TIMES = (0.5, 0.8, 1.1, 1.4)
LEARN_DURATION = 0.2
#: First cue, s; the next ones follow every TEST_EVERY s, each lasting TEST_DURATION.
TEST_START = 2.3
TEST_EVERY = 0.4
TEST_DURATION = 0.15
#: Spikes are counted over this long from each cue's onset, s.
READOUT = 0.25
MAX_THRESHOLD = 30


def _as_numbers(value):
    """Boolean arrays as 0/1 numbers (other values unchanged, for the checks to judge)."""
    arr = np.asarray(value) if isinstance(value, (np.ndarray, list, tuple)) else value
    return arr.astype(float) if isinstance(arr, np.ndarray) and arr.dtype == bool else value


def pattern_score(response, pattern) -> float:
    """½ (fraction of the pattern's pixels on in ``response`` + fraction of its background off): 1 is perfect,
    0.5 is what a response unrelated to the pattern scores (Gordleeva et al.'s "correlation")."""
    response = check_array("pattern_score", "response", _as_numbers(response), Interval(0.0, 1.0, "both"), ndim=2)
    pattern = check_array("pattern_score", "pattern", _as_numbers(pattern), Interval(0.0, 1.0, "both"), ndim=2)
    for name, arr in (("response", response), ("pattern", pattern)):
        if not np.all((arr == 0) | (arr == 1)):
            raise ValueError(f"The {name!r} parameter of pattern_score must hold only 0 and 1 (or booleans).")
    response, pattern = response.astype(bool), pattern.astype(bool)
    if response.shape != pattern.shape:
        raise ValueError(f"The 'response' parameter of pattern_score must have the pattern's shape {pattern.shape}. "
                         f"Got shape {response.shape} instead.")
    if pattern.all() or not pattern.any():
        raise ValueError("The 'pattern' parameter of pattern_score must have both pattern and background pixels.")
    return float(0.5 * (response[pattern].mean() + (~response[~pattern]).mean()))


class PatternMemory(NamedTuple):
    """The outcome of :func:`learn_and_test`."""

    learned: tuple  #: indices (into ``patterns``) of the learned patterns
    tested: tuple  #: indices of the cued patterns, in order
    cue_times: np.ndarray  #: (C,) cue onsets, s
    counts: np.ndarray  #: (C, size, size) spikes of every neuron in the readout after each cue
    threshold: int  #: the spike-count threshold (more spikes than this = on), best on the learned patterns
    scores: np.ndarray  #: (C,) score of each cue's binarised response against the pattern cued
    learned_score: float  #: mean score of the cues of learned patterns
    new_score: float  #: mean score of the cues of new patterns
    cue_scores: np.ndarray  #: (C,) score of each cue itself (its flipped pattern) against the pattern
    t: np.ndarray  #: (R,) record times, s
    rate: np.ndarray  #: (R,) population rate, Hz
    ca: np.ndarray  #: (R, A) astrocytic calcium, µM
    gate_fraction: np.ndarray  #: (C,) fraction of astrocytes facilitating at each cue's onset


def learn_and_test(params: BinaryParams, patterns, *, learned=(0, 1, 2, 3), tested=(0, 5, 1, 6, 2, 7, 3, 8),
                   wiring=None, rng=0, device=None, progress: bool = False) -> PatternMemory:
    """Run Gordleeva et al.'s protocol on ``patterns`` (``(n, size, size)`` bool, e.g.
    :func:`~wmlib.astrocyte.digit_patterns`) and score every cue.

    ``rng`` seeds the wiring (when ``wiring`` is not given), the flipped pixels and the background pulses.
    """
    owner = "learn_and_test"
    check_instance(owner, "params", params, BinaryParams)
    patterns = check_array(owner, "patterns", _as_numbers(patterns), Interval(0.0, 1.0, "both"), ndim=3)
    if patterns.shape[1:] != (params.size, params.size):
        raise ValueError(f"The 'patterns' parameter of {owner} must have shape (n, {params.size}, {params.size}). "
                         f"Got shape {patterns.shape} instead.")
    n = patterns.shape[0]
    learned = tuple(check_array(owner, "learned", learned, Interval(0, n - 1, "both", integer=True), ndim=1).tolist())
    tested = tuple(check_array(owner, "tested", tested, Interval(0, n - 1, "both", integer=True), ndim=1).tolist())
    if len(learned) > len(LEARN_TIMES):
        raise ValueError(f"The 'learned' parameter of {owner} must name at most {len(LEARN_TIMES)} patterns (the "
                         f"protocol's learning slots). Got {len(learned)} instead.")
    if not any(k in learned for k in tested):
        raise ValueError(f"The 'tested' parameter of {owner} must cue at least one learned pattern (the threshold is "
                         f"chosen on them). Got {tested!r} instead.")
    rng = check_random_state(rng, "rng", owner)
    if wiring is None:
        wiring = connect(params, rng)
    else:
        check_instance(owner, "wiring", wiring, Wiring)
    binary = patterns.astype(bool)
    stimuli = []
    for k, start in zip(learned, LEARN_TIMES):
        shown = flip(binary[k], 0.05, rng)
        stimuli.append(Stimulus(start, start + LEARN_DURATION, 80.0 * shown))
    cue_times = TEST_START + TEST_EVERY * np.arange(len(tested))
    cues = []
    for k, start in zip(tested, cue_times):
        shown = flip(binary[k], 0.2, rng)
        cues.append(shown)
        stimuli.append(Stimulus(start, start + TEST_DURATION, 8.0 * shown))
    duration = float(cue_times[-1] + READOUT)
    pulses = background_pulses(params, duration, 1, rng)
    result = simulate(params, wiring, duration, stimuli=stimuli, windows=[(t, t + READOUT) for t in cue_times],
                      snapshots=cue_times, pulses=pulses, device=device, progress=progress)
    size = params.size
    counts = result.counts[:, 0].reshape(len(tested), size, size)
    is_learned = np.array([k in learned for k in tested])
    table = np.array([[pattern_score(counts[c] > thr, binary[k]) for c, k in enumerate(tested)]
                      for thr in range(1, MAX_THRESHOLD + 1)])  # (thresholds, cues)
    best = int(np.argmax(table[:, is_learned].mean(axis=1)))
    scores = table[best]
    cue_scores = np.array([pattern_score(cue, binary[k]) for cue, k in zip(cues, tested)])
    gate = np.array([(snap.gate[0] > 0).mean() for snap in result.snapshots])
    return PatternMemory(learned, tested, cue_times, counts, best + 1, scores, float(scores[is_learned].mean()),
                         float(scores[~is_learned].mean()) if (~is_learned).any() else float("nan"), cue_scores,
                         result.t, result.rate[:, 0], result.ca[:, 0], gate)
