r"""Time-resolved population decoding, as in Masse et al. (2019), Methods.

A linear support-vector machine (the classifier of scikit-learn's ``SVC(kernel="linear", C=1)``, one-vs-one) is
trained and tested separately at every time step, on any ``(T, B, N)`` features: the 100 neuronal activities ``h``
of a trained network ("neuronal decoding"), its 100 synaptic efficacies ``u*x`` ("synaptic decoding"), or the rates
of any other model.  In each repetition the trials of every class are split 75 % / 25 %, and 25 training and 25
test trials per class are drawn with replacement from the two parts; each feature is min-max scaled with the
training trials' range.  Chance is one over the number of classes (1/8 for a motion direction).

Two solvers give the same classifiers: ``"batched"`` (the default) solves the SVMs of all steps of a resampling in
one compiled call (:mod:`wmlib.analysis._linear_svm`, LIBSVM's algorithm), ``"sklearn"`` fits one ``SVC`` per step
and resampling, the reference it is tested against.  The paper's full protocol (every step of a 2.5 s trial, 100
resamplings) takes about 20 s per network and feature on 2 cores with the first, several minutes with the second
(``benchmarks/bench_decoding.py``).
"""

from __future__ import annotations

import os

import numpy as np

from .._validation import Boolean, Interval, Options, check_array, check_memory, check_random_state, validate_params

__all__ = ["decode_over_time", "chance_level", "SOLVERS"]

#: The solvers of :func:`decode_over_time`.
SOLVERS = ("batched", "sklearn")
_CHUNK_BYTES = 2**27  # working memory of one batch of the batched solver (128 MiB)


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
                     rng=0, solver: str = "batched") -> np.ndarray:
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
        Draws the resamplings (the same draws for both solvers).
    solver : {"batched", "sklearn"}, default="batched"
        ``"batched"`` solves the SVMs of all steps at once, compiled; ``"sklearn"`` fits one scikit-learn ``SVC``
        per step and resampling.  Both solve the same problems with the same algorithm and give the same
        accuracies up to rounding.

    Returns
    -------
    accuracy : array of shape (len(steps), n_reps)
        Test accuracy; chance is :func:`chance_level` of ``labels``.
    """
    try:
        array = None if features is None or isinstance(features, (str, bytes)) else np.asarray(features)
    except (TypeError, ValueError):  # a ragged list
        array = None
    if array is None or array.dtype.kind not in "iuf":
        got = f"an array of {array.dtype}" if array is not None else repr(features)
        raise TypeError(f"The 'features' parameter of decode_over_time must be an array of numbers of shape "
                        f"(T, B, N). Got {got} instead.")
    if array.ndim != 3 or 0 in array.shape:
        raise ValueError(f"The 'features' parameter of decode_over_time must be an array of shape (T, B, N), none of "
                         f"them 0. Got {array.shape} instead.")
    if array.dtype.kind == "f" and not np.isfinite(array).all():
        raise ValueError(f"The 'features' parameter of decode_over_time must be all finite. Got "
                         f"{array[~np.isfinite(array)][0]} instead.")
    T = array.shape[0]
    labels = _check_labels("decode_over_time", labels, array.shape[1])
    validate_params("decode_over_time", {"n_reps": n_reps, "per_class": per_class, "normalize": normalize,
                                         "solver": solver},
                    {"n_reps": Interval(1, 10**5, "both", integer=True),
                     "per_class": Interval(1, 10**5, "both", integer=True), "normalize": Boolean(),
                     "solver": Options(SOLVERS)})
    steps = (np.arange(T) if steps is None
             else check_array("decode_over_time", "steps", steps, Interval(0, T - 1, "both", integer=True), ndim=1))
    classes = np.unique(labels)
    if classes.size < 2:
        raise ValueError("The 'labels' parameter must contain at least two classes.")
    counts = np.array([(labels == c).sum() for c in classes])
    if counts.min() < 4:
        raise ValueError(f"Every class needs at least 4 trials for a 75/25 split; the smallest has {counts.min()}. "
                         f"Record more trials.")
    n_train, n_features = classes.size * per_class, array.shape[2]
    one_step = 8 * (1.5 * n_train**2 + 2 * n_train * n_features + classes.size**2 * (n_train + n_features))
    check_memory("decode_over_time", one_step + 8 * steps.size * array.shape[1] * n_features,
                 "the decoded steps and the decoders of one step")
    features = np.asarray(array[steps], dtype=float)  # the decoded steps, in float64 (checked finite above)
    if not normalize and np.abs(features).max() ** 2 * n_features >= np.finfo(np.float32).max:
        raise ValueError(f"The 'features' parameter of decode_over_time is too large to decode without scaling "
                         f"(largest magnitude {np.abs(features).max():.3g}: the SVM's dot products would overflow); "
                         f"pass normalize=True or divide the features by a constant.")
    rng = check_random_state(rng, "rng", "decode_over_time")
    train_idx, test_idx = _resample(labels, classes, per_class, n_reps, rng)
    out = np.empty((steps.size, n_reps))
    if solver == "batched":
        _decode_batched(features, np.searchsorted(classes, labels), classes.size, per_class, normalize, train_idx,
                        test_idx, max(1, int(_CHUNK_BYTES // one_step)), out)
    else:
        import sklearn

        with sklearn.config_context(assume_finite=True, skip_parameter_validation=True):  # checked above; same fits
            _decode_sklearn(features, labels, normalize, train_idx, test_idx, out)
    return out


def _resample(labels, classes, per_class, n_reps, rng):
    """Training and test trials of every resampling, (n_reps, n_classes * per_class) each, grouped by class.

    Per class: a random 75 % / 25 % split of its trials, then ``per_class`` draws with replacement from each part.
    """
    train_idx = np.empty((n_reps, classes.size * per_class), dtype=np.int64)
    test_idx = np.empty_like(train_idx)
    for r in range(n_reps):
        for k, c in enumerate(classes):
            idx = rng.permutation(np.flatnonzero(labels == c))
            n_train = int(round(0.75 * idx.size))
            train_idx[r, k * per_class:(k + 1) * per_class] = rng.choice(idx[:n_train], per_class)
            test_idx[r, k * per_class:(k + 1) * per_class] = rng.choice(idx[n_train:], per_class)
    return train_idx, test_idx


def _scaled(x_train, x_test):
    """Min-max scaling of every feature with the training trials' range (axis -2), in place where possible."""
    lo, hi = x_train.min(-2, keepdims=True), x_train.max(-2, keepdims=True)
    scale = np.where(hi > lo, hi - lo, 1.0)
    x_train -= lo
    x_train /= scale
    x_test -= lo
    x_test /= scale
    return x_train, x_test


def _decode_batched(features, codes, n_classes, per_class, normalize, train_idx, test_idx, chunk, out):
    """Fill ``out`` (steps, reps): the SVMs of ``chunk`` steps of one resampling are solved together, and the
    resamplings are shared between one thread per core (BLAS limited to one thread meanwhile)."""
    from concurrent.futures import ThreadPoolExecutor

    from threadpoolctl import threadpool_limits

    from ._linear_svm import fit_ovo, gather_scaled, predict_ovo

    def one_resampling(r):
        y_test = codes[test_idx[r]]
        for start in range(0, out.shape[0], chunk):
            x_train, x_test = gather_scaled(features[start:start + chunk], train_idx[r], test_idx[r], normalize)
            w, rho = fit_ovo(x_train, n_classes, per_class)
            out[start:start + chunk, r] = (predict_ovo(x_test, w, rho, n_classes) == y_test).mean(-1)

    n_threads = min(out.shape[1], len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count())
    with threadpool_limits(1, user_api="blas"):
        if n_threads <= 1:
            for r in range(out.shape[1]):
                one_resampling(r)
        else:
            with ThreadPoolExecutor(n_threads) as pool:
                list(pool.map(one_resampling, range(out.shape[1])))  # list(): re-raises a worker's error


def _decode_sklearn(features, labels, normalize, train_idx, test_idx, out):
    """Fill ``out`` (steps, reps) with one scikit-learn ``SVC`` per step and resampling."""
    from sklearn.svm import SVC

    for r in range(out.shape[1]):
        y_train, y_test = labels[train_idx[r]], labels[test_idx[r]]
        for i in range(out.shape[0]):
            x_train, x_test = features[i, train_idx[r]], features[i, test_idx[r]]
            if normalize:
                x_train, x_test = _scaled(x_train, x_test)
            clf = SVC(C=1.0, kernel="linear", shrinking=False, tol=1e-3).fit(x_train, y_train)
            out[i, r] = np.mean(clf.predict(x_test) == y_test)  # the accuracy clf.score gives, without its checks
