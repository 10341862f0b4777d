"""Behavioural paradigms of working memory and how their numbers are computed (chapter "Why working memory is hard").

Change detection with Cowan's K, and the N-back task with signal-detection measures, in :mod:`.paradigms`;
:mod:`.plotting` and :mod:`.widgets` draw the chapter's figures (they import matplotlib).
"""

from .paradigms import (
    DMS_TIMING,
    ChangeDetectionResult,
    NBackScore,
    NBackSequence,
    cowan_k,
    nback_sequence,
    score_nback,
    simulate_change_detection,
    slot_observer_nback,
)

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
