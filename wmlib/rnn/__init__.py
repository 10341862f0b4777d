"""Recurrent networks with short-term synaptic plasticity trained on working-memory tasks (Masse et al. 2019).

* :mod:`.tasks`: the tasks (trial generation, loss masks, accuracy);
* :mod:`.model`: the network (:class:`STSPRNN`) and its equations, computed by one of three engines
  (:mod:`._engine_numba` on a CPU, :mod:`._engine_torch` on any device, or plain autograd);
* :mod:`.training`: training with checkpoints, resume and a NaN guard;
* :mod:`.pretrained`: the shipped trained networks (:func:`load_pretrained`);
* :mod:`.recording`, :mod:`.persistence`, :mod:`.perturb`, :mod:`.manipulation`: running a network on trials and
  keeping its activity and synaptic efficacy, decoding at the end of a delay, exchanging states between trials and
  silencing units, the manipulation index of each condition of the paper's Fig. 7 (the array analyses themselves,
  decoding, tuning and statistics, are in :mod:`wmlib.analysis`);
* :mod:`.shipped_analyses`: the per-network analyses shipped with the networks (``python -m wmlib.rnn analyse``);
* :mod:`.plotting`, :mod:`.widgets`: figures (they import matplotlib); :mod:`.reproductions`: the published results;
* ``python -m wmlib.rnn train --task DMS --seed 0 --out runs/dms0``: the command line
  (``python -m wmlib.rnn pretrain`` rebuilds the shipped networks).

Requires PyTorch (``pip install torch``).  Importing :mod:`wmlib.rnn` itself imports nothing heavy: each name below
is loaded from its module (and torch with it) when first used.
"""

from __future__ import annotations

import importlib

#: public name -> the module of this package that defines it
_EXPORTS = {
    "RNNConfig": "model", "RNNOutput": "model", "RNNState": "model", "STSPRNN": "model",
    "TASKS": "tasks", "PAPER_TASKS": "tasks", "TEACHING_TASKS": "tasks", "Trial": "tasks", "accuracy": "tasks",
    "make_trials": "tasks",
    "TrainConfig": "training", "TrainResult": "training", "train": "training", "load_checkpoint": "training",
    "load_pretrained": "pretrained", "list_pretrained": "pretrained", "load_history": "pretrained",
    "evaluate": "pretrained", "full_protocol_dir": "pretrained", "FULL_PROTOCOL_ITERATIONS": "pretrained",
    "Recording": "recording", "record": "recording",
    "delay_window": "persistence", "persistent_activity": "persistence", "CuedPersistence": "persistence",
    "cued_persistence": "persistence", "CuedEffect": "persistence", "cued_effect": "persistence",
    "ShuffleResult": "perturb", "shuffle_test": "perturb", "SuppressionResult": "perturb",
    "suppression_test": "perturb", "unit_groups": "perturb", "shuffle_point": "perturb",
    "shipped_cued_persistence": "shipped_analyses", "network_analysis": "shipped_analyses", "NETWORK_SETTINGS": "shipped_analyses",
    "shipped_network_analysis": "shipped_analyses", "shipped_network_analyses": "shipped_analyses",
    "MANIPULATION_CONDITIONS": "manipulation", "ConditionMetrics": "manipulation", "condition_metrics": "manipulation",
    "standard_recording": "manipulation",
}

__all__ = list(_EXPORTS)


def __getattr__(name):
    if name in _EXPORTS:
        value = getattr(importlib.import_module(f".{_EXPORTS[name]}", __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(__all__))
