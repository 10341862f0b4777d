"""One valid call of every public callable of wmlib.behaviour (bad calls are derived from these)."""

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
from badinput import call  # noqa: E402

from wmlib import behaviour as bh  # noqa: E402

_seq = bh.nback_sequence(40, 2, 0)
_responses = bh.slot_observer_nback(_seq, 3, 0)
_cd = bh.simulate_change_detection(np.arange(1, 5), 2.0, 20, 0)

EXAMPLES = {
    "simulate_change_detection": call(np.arange(1, 5), 2.0, 20, np.random.default_rng(0), guess=0.5),
    "cowan_k": call(0.8, 0.2, 4),
    "nback_sequence": call(40, 2, np.random.default_rng(0), n_stimuli=8, p_target=0.3),
    # with no target or no lure among the scored positions a rate is undefined (NaN, documented)
    "score_nback": call(_seq, _responses),
    "slot_observer_nback": call(_seq, 3, np.random.default_rng(0), guess=0.3),
    "plotting.plot_change_detection": call({"K = 2": _cd}, capacity={"K = 2": 2.0}, optional=("capacity",)),
    "plotting.plot_nback": call(_seq, responses=_responses, n_show=12, optional=("responses",)),
    "plotting.plot_trial_epochs": call(bh.DMS_TIMING, title="DMS", free=("title",), optional=("title",)),
    "widgets.change_detection": call(capacity=3.0, guess=0.5, n_trials=50, rng=0),
    "widgets.change_detection_figure": call(capacity=3.0, guess=0.5, n_trials=50, rng=0),
    "widgets.static_change_detection": call(),
}
