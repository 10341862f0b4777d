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

from typing import NamedTuple

import numpy as np

from .._backend import usable_cpus
from .._validation import Boolean, Interval, Options, check_array, check_memory, check_random_state, validate_params

__all__ = ["Decoding", "CrossTemporalDecoding", "decode", "decode_over_time", "decode_cross_temporal", "chance_level",
           "SOLVERS", "PAPER_PER_CLASS", "PAPER_PER_CLASS_BINARY"]

#: The solvers of :func:`decode`, :func:`decode_over_time` and :func:`decode_cross_temporal`.
SOLVERS = ("batched", "sklearn")
#: Training and test trials drawn per class in each resampling (Masse et al. 2019; 100 with two classes).
PAPER_PER_CLASS = 25
PAPER_PER_CLASS_BINARY = 100
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


class Decoding(NamedTuple):
    """Output of :func:`decode`: the accuracy of every resampling at every decoded step.

    ``accuracy[i, r]`` is the test accuracy at step ``steps[i]`` in resampling ``r``; ``chance`` is one over the
    number of classes.  The properties summarise the distribution the way Masse et al. (2019) do.
    """

    accuracy: np.ndarray  #: (len(steps), n_reps) test accuracy
    steps: np.ndarray  #: the decoded time steps
    chance: float  #: 1 / number of classes

    @property
    def mean(self) -> np.ndarray:
        """Mean accuracy over resamplings, one value per step."""
        return self.accuracy.mean(axis=1)

    @property
    def fraction_above_chance(self) -> np.ndarray:
        """Fraction of resamplings whose accuracy exceeds chance, one value per step."""
        return (self.accuracy > self.chance).mean(axis=1)

    def significant(self, fraction: float = 0.98) -> np.ndarray:
        """Steps decoded above chance by the paper's rule: at least ``fraction`` of the resamplings above chance
        (98 of 100 in Masse et al. 2019, their two-sided P < 0.05); one bool per step."""
        validate_params("Decoding.significant", {"fraction": fraction}, {"fraction": Interval(0, 1, "right")})
        return self.fraction_above_chance >= fraction - 1e-12

    def window(self, steps) -> float:
        """Mean accuracy over the decoded steps that are in ``steps`` (e.g. the last 100 ms of a delay, the
        paper's end-of-delay summary), over every resampling."""
        return float(self._window_reps("Decoding.window", steps).mean())

    def window_significant(self, steps, fraction: float = 0.98) -> bool:
        """Whether the accuracy averaged over the window ``steps`` is above chance by the paper's rule: the window
        mean of at least ``fraction`` of the resamplings exceeds chance.  A network whose end-of-delay neuronal
        decoding fails this is "at chance" (15 of 20 DMS networks in Masse et al. 2019)."""
        validate_params("Decoding.window_significant", {"fraction": fraction}, {"fraction": Interval(0, 1, "right")})
        return bool((self._window_reps("Decoding.window_significant", steps) > self.chance).mean()
                    >= fraction - 1e-12)

    def _window_reps(self, owner, steps) -> np.ndarray:
        """The window mean of every resampling."""
        wanted = check_array(owner, "steps", steps, Interval(0, np.inf, "left", integer=True), ndim=1)
        keep = np.isin(self.steps, wanted)
        if not keep.any():
            raise ValueError(f"The 'steps' parameter of {owner} must name decoded steps (decoded: "
                             f"{self.steps.min()} to {self.steps.max()}). Got {wanted.astype(int).tolist()} instead.")
        return self.accuracy[keep].mean(0)


class CrossTemporalDecoding(NamedTuple):
    """Output of :func:`decode_cross_temporal`: a decoder trained at one step and tested at another."""

    accuracy: np.ndarray  #: (len(train_steps), len(test_steps), n_reps) test accuracy
    train_steps: np.ndarray  #: the steps the decoders were trained at
    test_steps: np.ndarray  #: the steps they were tested at
    chance: float  #: 1 / number of classes

    @property
    def mean(self) -> np.ndarray:
        """Mean accuracy over resamplings, (len(train_steps), len(test_steps))."""
        return self.accuracy.mean(axis=-1)


def _check_features(owner, features):
    try:
        array = None if features is None or isinstance(features, (str, bytes)) else np.asarray(features)
    except (TypeError, ValueError):  # a ragged list
        array = None
    if array is None or array.dtype.kind not in "iuf":
        got = f"an array of {array.dtype}" if array is not None else repr(features)
        raise TypeError(f"The 'features' parameter of {owner} must be an array of numbers of shape "
                        f"(T, B, N). Got {got} instead.")
    if array.ndim != 3 or 0 in array.shape:
        raise ValueError(f"The 'features' parameter of {owner} must be an array of shape (T, B, N), none of "
                         f"them 0. Got {array.shape} instead.")
    if array.dtype.kind == "f" and not np.isfinite(array).all():
        raise ValueError(f"The 'features' parameter of {owner} must be all finite. Got "
                         f"{array[~np.isfinite(array)][0]} instead.")
    return array


def _check_steps(owner, name, steps, T):
    if steps is None:
        return np.arange(T)
    return check_array(owner, name, steps, Interval(0, T - 1, "both", integer=True), ndim=1).astype(np.int64)


def _prepare(owner, features, labels, n_reps, per_class, normalize, solver):
    """Checked features, labels, classes and the resolved ``per_class`` of a decoding call."""
    array = _check_features(owner, features)
    labels = _check_labels(owner, labels, array.shape[1])
    validate_params(owner, {"n_reps": n_reps, "normalize": normalize, "solver": solver},
                    {"n_reps": Interval(1, 10**5, "both", integer=True), "normalize": Boolean(),
                     "solver": Options(SOLVERS)})
    classes = np.unique(labels)
    if classes.size < 2:
        raise ValueError(f"The 'labels' parameter of {owner} must contain at least two classes.")
    if per_class is None:
        per_class = PAPER_PER_CLASS if classes.size > 2 else PAPER_PER_CLASS_BINARY
    validate_params(owner, {"per_class": per_class}, {"per_class": Interval(1, 10**5, "both", integer=True)})
    counts = np.array([(labels == c).sum() for c in classes])
    if counts.min() < 4:
        raise ValueError(f"Every class needs at least 4 trials for a 75/25 split; the smallest has {counts.min()}. "
                         f"Record more trials.")
    return array, labels, classes, int(per_class)


def _check_unscaled_size(owner, features, n_features, normalize):
    if not normalize and np.abs(features).max() ** 2 * n_features >= np.finfo(np.float32).max:
        raise ValueError(f"The 'features' parameter of {owner} is too large to decode without scaling "
                         f"(largest magnitude {np.abs(features).max():.3g}: the SVM's dot products would overflow); "
                         f"pass normalize=True or divide the features by a constant.")


def decode(features, labels, steps=None, n_reps: int = 100, per_class: int | None = None, normalize: bool = True,
           rng=0, solver: str = "batched") -> Decoding:
    r"""Time-resolved decoding with the protocol of Masse et al. (2019): accuracy of every resampling at every step.

    At each step a linear SVM (one-vs-one, :math:`C = 1`) is trained on some trials and tested on others.  In each
    of ``n_reps`` resamplings every class's trials are split 75 % / 25 %, ``per_class`` training and
    ``per_class`` test trials are drawn with replacement from the two parts, and each feature is min-max scaled with
    the training trials' range.  The paper used 100 resamplings and 25 trials per class (100 per class when there
    are only two classes, e.g. a category, match or rule), the defaults here.

    Parameters
    ----------
    features : array of shape (T, B, N)
        ``Recording.h`` (neuronal decoding) or ``Recording.efficacy`` (synaptic decoding), or any other rates.
    labels : array of shape (B,)
        The decoded variable per trial (the sample, the test, match or not, the rule, the category, ...).
    steps : sequence of int, optional
        Time steps to decode (default: all).
    n_reps : int, default=100
        Resamplings.
    per_class : int, optional
        Training and test trials drawn per class (default: 25, or 100 for two classes).
    normalize : bool, default=True
        Min-max scale every feature with the training trials' range.
    rng : int or numpy.random.Generator
        Draws the resamplings.
    solver : {"batched", "sklearn"}, default="batched"
        ``"batched"`` solves the SVMs of all steps at once, compiled; ``"sklearn"`` fits one scikit-learn ``SVC``
        per step and resampling (the reference, same accuracies up to rounding).

    Returns
    -------
    Decoding
        ``accuracy`` (len(steps), n_reps), ``steps``, ``chance``; ``.mean``, ``.fraction_above_chance``,
        ``.significant()`` (the paper's rule) and ``.window(steps)`` (e.g. the end-of-delay summary).

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> labels = np.repeat([0, 1], 40)
    >>> x = rng.normal(size=(3, 80, 5)) + labels[None, :, None]  # the label shifts every feature
    >>> result = decode(x, labels, n_reps=20)
    >>> result.accuracy.shape, result.chance, bool(result.significant().all())
    ((3, 20), 0.5, True)
    """
    return _decode("decode", features, labels, steps, n_reps, per_class, normalize, rng, solver)


def _decode(owner, features, labels, steps, n_reps, per_class, normalize, rng, solver) -> Decoding:
    array, labels, classes, per_class = _prepare(owner, features, labels, n_reps, per_class, normalize, solver)
    steps = _check_steps(owner, "steps", steps, array.shape[0])
    n_train, n_features = classes.size * per_class, array.shape[2]
    one_step = _one_step_bytes(n_train, n_features, classes.size)
    check_memory(owner, one_step + 8 * steps.size * array.shape[1] * n_features,
                 "the decoded steps and the decoders of one step")
    features = np.asarray(array[steps], dtype=float)  # the decoded steps, in float64 (checked finite above)
    _check_unscaled_size(owner, features, n_features, normalize)
    rng = check_random_state(rng, "rng", owner)
    train_idx, test_idx = _resample(labels, classes, per_class, n_reps, rng)
    out = np.empty((steps.size, n_reps))
    if solver == "batched":
        _decode_batched(features, np.searchsorted(classes, labels), classes.size, per_class, normalize, train_idx,
                        test_idx, max(1, int(_CHUNK_BYTES // one_step)), out)
    else:
        import sklearn

        with sklearn.config_context(assume_finite=True, skip_parameter_validation=True):  # checked above; same fits
            _decode_sklearn(features, labels, normalize, train_idx, test_idx, out)
    return Decoding(out, steps, 1.0 / classes.size)


def decode_over_time(features, labels, steps=None, n_reps: int = 10, per_class: int = 25, normalize: bool = True,
                     rng=0, solver: str = "batched") -> np.ndarray:
    """The accuracy array of :func:`decode` (shape (len(steps), n_reps)), with fewer resamplings by default.

    A quick look (10 resamplings of 25 trials per class, whatever the number of classes); for the paper's full
    protocol and its significance rule use :func:`decode`.  Chance is :func:`chance_level` of ``labels``.
    """
    validate_params("decode_over_time", {"per_class": per_class}, {"per_class": Interval(1, 10**5, "both", integer=True)})
    return _decode("decode_over_time", features, labels, steps, n_reps, per_class, normalize, rng, solver).accuracy


def decode_cross_temporal(features, labels, train_steps=None, test_steps=None, n_reps: int = 100,
                          per_class: int | None = None, normalize: bool = True, rng=0,
                          solver: str = "batched") -> CrossTemporalDecoding:
    r"""Cross-temporal decoding: a decoder trained at step :math:`t` is tested at every step :math:`t'`.

    The resamplings are those of :func:`decode`: the decoder of step :math:`t` is trained on the training trials at
    :math:`t` (scaled with their range at :math:`t`) and tested on the held-out trials at :math:`t'` (scaled with the
    same range).  The diagonal :math:`t' = t` is :func:`decode`'s result for the same ``rng``.  A code that stays the
    same through a delay gives a square of high accuracy; a code that changes gives a narrow diagonal (Masse et al.
    2019 call this the stability of the code).

    Returns
    -------
    CrossTemporalDecoding
        ``accuracy`` (len(train_steps), len(test_steps), n_reps), the two step lists and ``chance``.
    """
    owner = "decode_cross_temporal"
    array, labels, classes, per_class = _prepare(owner, features, labels, n_reps, per_class, normalize, solver)
    train_steps = _check_steps(owner, "train_steps", train_steps, array.shape[0])
    test_steps = _check_steps(owner, "test_steps", test_steps, array.shape[0])
    n_train, n_features = classes.size * per_class, array.shape[2]
    n_test = n_train
    one_step = _one_step_bytes(n_train, n_features, classes.size) + 8 * test_steps.size * n_test * (
        classes.size**2 + 2 * classes.size)
    check_memory(owner, one_step + 8 * (train_steps.size + test_steps.size) * array.shape[1] * n_features
                 + 8 * train_steps.size * test_steps.size * n_reps,
                 "the decoded steps, the result and the decoders of one step")
    x_fit = np.asarray(array[train_steps], dtype=float)
    x_eval = np.asarray(array[test_steps], dtype=float)
    _check_unscaled_size(owner, x_fit, n_features, normalize)
    rng = check_random_state(rng, "rng", owner)
    train_idx, test_idx = _resample(labels, classes, per_class, n_reps, rng)
    codes = np.searchsorted(classes, labels)
    out = np.empty((train_steps.size, test_steps.size, n_reps))
    if solver == "batched":
        _cross_batched(x_fit, x_eval, codes, classes.size, per_class, normalize, train_idx, test_idx,
                       max(1, int(_CHUNK_BYTES // one_step)), out)
    else:
        import sklearn

        with sklearn.config_context(assume_finite=True, skip_parameter_validation=True):
            _cross_sklearn(x_fit, x_eval, labels, normalize, train_idx, test_idx, out)
    return CrossTemporalDecoding(out, train_steps, test_steps, 1.0 / classes.size)


def _one_step_bytes(n_train, n_features, n_classes):
    """Working memory of the SVMs of one step (kernel matrices, gathered rows, weights)."""
    return 8 * (1.5 * n_train**2 + 2 * n_train * n_features + n_classes**2 * (n_train + n_features))


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

    n_threads = min(out.shape[1], usable_cpus())
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


def _cross_batched(x_fit, x_eval, codes, n_classes, per_class, normalize, train_idx, test_idx, chunk, out):
    """Fill ``out`` (train steps, test steps, reps): each resampling's decoders of ``chunk`` training steps are fitted
    together, then tested at every test step with their own scaling folded into the weights."""
    from concurrent.futures import ThreadPoolExecutor

    from threadpoolctl import threadpool_limits

    from ._linear_svm import class_pairs, fit_ovo

    pair_a, pair_b = class_pairs(n_classes)
    eye = np.eye(n_classes)

    def one_resampling(r):
        y_test = codes[test_idx[r]]
        x_test = np.ascontiguousarray(x_eval[:, test_idx[r]])  # (S_test, M, N), unscaled
        for start in range(0, out.shape[0], chunk):
            raw = x_fit[start:start + chunk][:, train_idx[r]]  # (P, M, N), unscaled
            lo, scale = _range(raw, normalize)
            w, rho = fit_ovo((raw - lo) / scale, n_classes, per_class)  # w (P, pairs, N), rho (P, pairs)
            w_raw = w / scale  # the same decision on unscaled features: x @ (w / scale) - (rho + lo/scale . w)
            rho_raw = rho + np.einsum("pqn,pn->pq", w, lo[:, 0] / scale[:, 0])
            for p in range(w.shape[0]):
                decision = x_test @ w_raw[p].T - rho_raw[p]  # (S_test, M, pairs)
                first = decision > 0
                votes = first @ eye[pair_a] + (~first) @ eye[pair_b]
                out[start + p, :, r] = (votes.argmax(-1) == y_test).mean(-1)

    n_threads = min(out.shape[2], usable_cpus())
    with threadpool_limits(1, user_api="blas"):
        if n_threads <= 1:
            for r in range(out.shape[2]):
                one_resampling(r)
        else:
            with ThreadPoolExecutor(n_threads) as pool:
                list(pool.map(one_resampling, range(out.shape[2])))


def _range(x_train, normalize):
    """Per-problem, per-feature minimum and scale of the training rows (P, M, N) -> (P, 1, N) each."""
    if not normalize:
        shape = (x_train.shape[0], 1, x_train.shape[2])
        return np.zeros(shape), np.ones(shape)
    lo, hi = x_train.min(1, keepdims=True), x_train.max(1, keepdims=True)
    return lo, np.where(hi > lo, hi - lo, 1.0)


def _cross_sklearn(x_fit, x_eval, labels, normalize, train_idx, test_idx, out):
    """Fill ``out`` (train steps, test steps, reps) with one scikit-learn ``SVC`` per training step and resampling."""
    from sklearn.svm import SVC

    for r in range(out.shape[2]):
        y_train, y_test = labels[train_idx[r]], labels[test_idx[r]]
        for i in range(out.shape[0]):
            x_train = x_fit[i, train_idx[r]]
            lo, scale = (x_train.min(0), np.where(np.ptp(x_train, 0) > 0, np.ptp(x_train, 0), 1.0)) if normalize \
                else (0.0, 1.0)
            clf = SVC(C=1.0, kernel="linear", shrinking=False, tol=1e-3).fit((x_train - lo) / scale, y_train)
            for j in range(out.shape[1]):
                out[i, j, r] = np.mean(clf.predict((x_eval[j, test_idx[r]] - lo) / scale) == y_test)
