r"""Time-resolved population decoding, as in Masse et al. (2019), Methods.

A linear support-vector machine (scikit-learn ``SVC(kernel="linear", C=1)``) is trained and tested separately at
every time step, on any ``(T, B, N)`` features: the 100 neuronal activities ``h`` of a trained network ("neuronal
decoding"), its 100 synaptic efficacies ``u*x`` ("synaptic decoding"), or the rates of any other model.  In each
repetition the trials of every class are split 75 % / 25 %, and 25 training and 25 test trials per class are drawn
with replacement from the two parts; each feature is min-max scaled with the training trials' range.  Chance is one
over the number of classes (1/8 for a motion direction).
"""

from __future__ import annotations

import numpy as np

from .._validation import Boolean, Interval, check_array, check_random_state, validate_params

__all__ = ["decode_over_time", "chance_level"]


def chance_level(labels) -> float:
    """Chance accuracy of a balanced decoder: 1 / number of classes."""
    return 1.0 / len(np.unique(_check_labels("chance_level", labels)))


def _check_labels(owner, labels, n_trials=None):
    """One label per trial: a 1-D array of ints, floats or strings, without NaN."""
    if labels is None or isinstance(labels, (str, bytes)):
        raise TypeError(f"The 'labels' parameter of {owner} must be a 1-D array (one label per trial). Got {labels!r} instead.")
    arr = np.asarray(labels)
    if arr.dtype.kind not in "biuUS" and not (arr.dtype.kind == "f" and np.all(np.isfinite(arr))):
        raise TypeError(f"The 'labels' parameter of {owner} must be a 1-D array of ints, finite floats or strings. "
                        f"Got an array of {arr.dtype} instead.")
    if arr.ndim != 1 or arr.size == 0 or (n_trials is not None and arr.shape != (n_trials,)):
        want = f"({n_trials},)" if n_trials is not None else "(B,)"
        raise ValueError(f"The 'labels' parameter of {owner} must have shape {want} (one label per trial). "
                         f"Got {arr.shape} instead.")
    return arr


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

    if features is None or isinstance(features, (str, bytes)) or np.ndim(features) != 3 or 0 in np.shape(features):
        raise ValueError(f"The 'features' parameter of decode_over_time must be an array of shape (T, B, N), none of "
                         f"them 0. Got {np.shape(features) if features is not None else None} instead.")
    check_array("decode_over_time", "features", features, Interval(-np.inf, np.inf, "neither"))
    T = np.shape(features)[0]
    labels = _check_labels("decode_over_time", labels, np.shape(features)[1])
    validate_params("decode_over_time", {"n_reps": n_reps, "per_class": per_class, "normalize": normalize},
                    {"n_reps": Interval(1, 10**5, "both", integer=True),
                     "per_class": Interval(1, 10**5, "both", integer=True), "normalize": Boolean()})
    steps = (np.arange(T) if steps is None
             else check_array("decode_over_time", "steps", steps, Interval(0, T - 1, "both", integer=True), ndim=1))
    features = np.asarray(np.asarray(features)[steps], dtype=float)  # only the decoded steps, in float64
    classes = np.unique(labels)
    if classes.size < 2:
        raise ValueError("The 'labels' parameter must contain at least two classes.")
    counts = np.array([(labels == c).sum() for c in classes])
    if counts.min() < 4:
        raise ValueError(f"Every class needs at least 4 trials for a 75/25 split; the smallest has {counts.min()}. "
                         f"Record more trials.")
    rng = check_random_state(rng, "rng", "decode_over_time")
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
