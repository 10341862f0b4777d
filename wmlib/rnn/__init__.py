"""Recurrent networks with short-term synaptic plasticity trained on working-memory tasks (Masse et al. 2019).

* :mod:`wmlib.rnn.tasks`: the tasks (trial generation, loss masks, accuracy);
* :mod:`wmlib.rnn.model`: the network (:class:`STSPRNN`) and its equations;
* :mod:`wmlib.rnn.training`: training with checkpoints, resume and a NaN guard;
* :mod:`wmlib.rnn.pretrained`: the shipped trained networks (:func:`load_pretrained`);
* :mod:`wmlib.rnn.analysis`: recordings, population decoding, persistent activity;
* ``python -m wmlib.rnn train --task DMS --seed 0 --out runs/dms0``: the command line
  (``python -m wmlib.rnn pretrain`` rebuilds the shipped networks).

Requires PyTorch (``pip install torch``).
"""

from .model import RNNConfig, RNNOutput, RNNState, STSPRNN
from .tasks import PAPER_TASKS, TASKS, TEACHING_TASKS, Trial, accuracy, make_trials
from .pretrained import list_pretrained, load_pretrained
from .training import TrainConfig, TrainResult, load_checkpoint, train

__all__ = [
    "RNNConfig",
    "RNNOutput",
    "RNNState",
    "STSPRNN",
    "TASKS",
    "PAPER_TASKS",
    "TEACHING_TASKS",
    "Trial",
    "accuracy",
    "make_trials",
    "TrainConfig",
    "TrainResult",
    "train",
    "load_checkpoint",
    "load_pretrained",
    "list_pretrained",
]
