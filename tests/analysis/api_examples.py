"""One valid call of every public callable of wmlib.analysis (bad calls are derived from these)."""

import numpy as np
from badinput import call

_rng = np.random.default_rng(0)
_labels = np.repeat(np.arange(2), 8)
_features = _rng.normal(size=(3, 16, 5)) + _labels[None, :, None]
_t = np.linspace(0.0, 2.0, 12)
_theta = np.tile(np.arange(8) * np.pi / 4, 2)
_resp = _rng.normal(size=(4, 16, 6)) + np.cos(_theta)[None, :, None]
_fac = np.arange(6) % 2 == 0


def _tuning():
    from wmlib.analysis import direction_tuning

    return direction_tuning(_resp, _theta)

EXAMPLES = {
    "fit_exponential_decay": call(_t, 0.2 + 0.5 * np.exp(-_t / 0.4), baseline=0.2, optional=("baseline",),
                                  nan_ok=True),  # tau_stderr is NaN when the fit's covariance cannot be estimated
    "decode_over_time": call(_features, _labels, steps=[0, 2], n_reps=2, per_class=4, normalize=True, rng=0,
                             solver="batched", optional=("steps",), accept={"labels": ("str array",)}),
    "decode": call(_features, _labels, steps=[0, 2], n_reps=2, per_class=4, normalize=True, rng=0, solver="batched",
                   optional=("steps", "per_class"), accept={"labels": ("str array",)}),
    "decode_cross_temporal": call(_features, _labels, train_steps=[0, 1], test_steps=[1, 2], n_reps=2, per_class=4,
                                  normalize=True, rng=0, solver="batched",
                                  optional=("train_steps", "test_steps", "per_class"),
                                  accept={"labels": ("str array",)}),
    "direction_tuning": call(_resp, _theta, min_variance=1e-9),
    "tuning_similarity": call(_rng.uniform(0, 1, 6), _rng.uniform(-3, 3, 6), _rng.uniform(0, 1, 6),
                              _rng.uniform(-3, 3, 6)),
    "manipulation_index": call(_tuning(), _tuning(), [0, 1], [2, 3], _fac),
    "category_tuning_index": call(_rng.normal(size=(5, 8)), np.arange(8) >= 4, np.arange(8) * np.pi / 4,
                                  accept={"categories": ("str array",)}),
    "summarize": call([0.2, 0.4, 0.5]),
    "correlate": call([0.1, 0.5, 0.3, 0.9], [1.0, 2.0, 1.5, 4.0], method="pearson", alternative="two-sided"),
    "compare": call([0.4, 0.5, 0.45], [0.3, 0.35, 0.4], paired=True, alternative="greater"),
    "chance_level": call(_labels, accept={"labels": ("str array",)}),  # class names are labels too
}
