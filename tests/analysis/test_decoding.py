"""The batched linear SVM of the decoders against scikit-learn's SVC, the reference it replaces; the result objects
and cross-temporal decoding."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.svm import SVC

from wmlib.analysis import _linear_svm, decode, decode_cross_temporal, decode_over_time


def _clusters(rng, n_classes, n_per_class, n_features, separation, n_steps=1):
    labels = np.repeat(np.arange(n_classes), n_per_class)
    centres = rng.normal(size=(n_classes, n_features)) * separation
    return rng.normal(size=(n_steps, labels.size, n_features)) + centres[labels], labels


@settings(max_examples=40, deadline=None, derandomize=True)
@given(n_classes=st.integers(2, 6), per_class=st.integers(1, 15), n_features=st.integers(1, 12),
       separation=st.sampled_from([0.0, 0.5, 1.0, 3.0]), duplicate=st.booleans(), seed=st.integers(0, 2**16))
def test_fit_ovo_solves_the_problem_svc_solves(n_classes, per_class, n_features, separation, duplicate, seed):
    """Same support vectors, weights, biases and predictions as SVC(kernel="linear", C=1), one-vs-one."""
    rng = np.random.default_rng(seed)
    x, y = _clusters(rng, n_classes, per_class, n_features, separation)
    if duplicate:  # resampling with replacement repeats trials: identical rows, zero curvature between them
        x[0, 1::3] = x[0, ::3][: x[0, 1::3].shape[0]]
    w, rho = _linear_svm.fit_ovo(x, n_classes, per_class)
    x_test = rng.normal(size=(1, 60, n_features)) * max(separation, 1.0)
    clf = SVC(kernel="linear", C=_linear_svm.C, tol=_linear_svm.TOL, shrinking=False,
              decision_function_shape="ovo").fit(x[0], y)
    ours = x_test[0] @ w[0].T - rho[0]
    theirs = clf.decision_function(x_test[0]).reshape(60, -1)
    if n_classes == 2:
        theirs = -theirs  # scikit-learn flips the binary decision so that positive means the second class
    np.testing.assert_allclose(ours, theirs, atol=1e-6 * max(1.0, np.abs(theirs).max()))
    agree = _linear_svm.predict_ovo(x_test, w, rho, n_classes)[0] == clf.predict(x_test[0])
    assert agree.mean() >= 0.98  # a point within rounding of a boundary may go either way


@pytest.mark.parametrize("task", ["DMS", "DMRS90", "DMC", "ABBA", "dualDMS"])
def test_batched_decoding_agrees_with_svc_on_shipped_networks(task):
    """Within 0.02 at every decoded step (in practice identical), from activity and from synaptic efficacy."""
    pytest.importorskip("torch")
    from wmlib import rnn

    rec = rnn.record(rnn.load_pretrained(task, 0), task, 256, rng=3, test_mode=True)
    labels = rec.trial.info["sample"]
    labels = labels[:, 0] if labels.ndim > 1 else labels
    steps = np.linspace(5, rec.h.shape[0] - 1, 8).astype(int)
    for feature in (rec.h, rec.efficacy):
        fast = decode_over_time(feature, labels, steps, n_reps=3, rng=1)
        reference = decode_over_time(feature, labels, steps, n_reps=3, rng=1, solver="sklearn")
        assert np.abs(fast.mean(1) - reference.mean(1)).max() <= 0.02
        assert (fast == reference).mean() >= 0.9


def test_both_solvers_draw_the_same_resamplings():
    rng = np.random.default_rng(4)
    x, y = _clusters(rng, 3, 12, 4, 1.0, n_steps=2)
    for solver in ("batched", "sklearn"):
        a = decode_over_time(x, y, n_reps=3, per_class=5, rng=9, solver=solver)
        b = decode_over_time(x, y, n_reps=3, per_class=5, rng=9, solver=solver)
        np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(decode_over_time(x, y, n_reps=3, per_class=5, rng=9),
                                  decode_over_time(x, y, n_reps=3, per_class=5, rng=9, solver="sklearn"))


@pytest.mark.parametrize("solver", ["batched", "sklearn"])
def test_features_without_information_decode_at_chance_exactly(solver):
    """Identical trials (e.g. synaptic efficacy before any stimulus) give one answer for all: accuracy 1/n."""
    labels = np.repeat(np.arange(8), 12)
    acc = decode_over_time(np.full((2, labels.size, 5), 0.3), labels, n_reps=3, solver=solver)
    np.testing.assert_array_equal(acc, 1 / 8)


def test_string_labels_and_two_classes():
    rng = np.random.default_rng(2)
    x, y = _clusters(rng, 2, 20, 3, 4.0)
    names = np.array(["left", "right"])[y]
    np.testing.assert_array_equal(decode_over_time(x, names, n_reps=4), decode_over_time(x, y, n_reps=4))
    assert decode_over_time(x, names, n_reps=4).mean() > 0.9


def test_features_too_large_without_scaling_are_refused():
    rng = np.random.default_rng(0)
    x, y = _clusters(rng, 2, 10, 3, 1.0)
    with pytest.raises(ValueError, match="normalize=True"):
        decode_over_time(x * 1e20, y, n_reps=1, normalize=False)
    assert decode_over_time(x * 1e20, y, n_reps=1).shape == (1, 1)  # scaled first: fine


def test_a_request_too_large_for_memory_is_refused_before_allocating():
    rng = np.random.default_rng(0)
    x, y = _clusters(rng, 8, 4, 3, 1.0)
    with pytest.raises(ValueError, match="GiB"):
        decode_over_time(x, y, n_reps=1, per_class=100_000)


def _coded(rng, n_steps, coded_steps, n_per_class=16, n_features=16, strength=1.5, pattern=None):
    """8 classes; at ``coded_steps`` each class raises its own two features (or ``pattern``'s), elsewhere noise."""
    labels = np.repeat(np.arange(8), n_per_class)
    x = rng.normal(size=(n_steps, labels.size, n_features))
    pattern = np.arange(n_features) % 8 if pattern is None else pattern
    for t in coded_steps:
        x[t] += strength * (pattern[None, :] == labels[:, None])
    return x, labels


def test_decoding_result_holds_the_distribution_and_the_papers_significance_rule():
    rng = np.random.default_rng(1)
    x, labels = _coded(rng, 6, [0, 1, 2])
    result = decode(x, labels, n_reps=50, rng=2)
    assert result.accuracy.shape == (6, 50) and result.chance == 1 / 8
    np.testing.assert_array_equal(result.steps, np.arange(6))
    np.testing.assert_allclose(result.mean, result.accuracy.mean(1))
    np.testing.assert_array_equal(result.significant(), [True, True, True, False, False, False])
    assert result.fraction_above_chance[:3].min() == 1.0 and result.fraction_above_chance[3:].max() < 0.9
    assert result.window([1, 2]) == pytest.approx(result.accuracy[1:3].mean())
    assert result.window([2, 99]) == pytest.approx(result.accuracy[2].mean())  # steps not decoded are ignored
    assert result.window_significant([0, 1]) and not result.window_significant([4, 5])
    with pytest.raises(ValueError, match="'steps' parameter of Decoding.window"):
        result.window([99])
    with pytest.raises(ValueError, match="'fraction'"):
        result.significant(1.5)


def test_decode_over_time_is_the_accuracy_of_decode():
    rng = np.random.default_rng(3)
    x, labels = _coded(rng, 3, [0])
    np.testing.assert_array_equal(decode_over_time(x, labels, [0, 2], n_reps=4, rng=5),
                                  decode(x, labels, [0, 2], n_reps=4, per_class=25, rng=5).accuracy)


def test_two_classes_draw_the_papers_100_trials_per_class():
    rng = np.random.default_rng(4)
    x, y = _clusters(rng, 2, 40, 3, 0.7, n_steps=2)
    np.testing.assert_array_equal(decode(x, y, n_reps=3, rng=1).accuracy,
                                  decode(x, y, n_reps=3, per_class=100, rng=1).accuracy)
    x8, y8 = _clusters(rng, 8, 12, 3, 0.7)
    np.testing.assert_array_equal(decode(x8, y8, n_reps=3, rng=1).accuracy,
                                  decode(x8, y8, n_reps=3, per_class=25, rng=1).accuracy)


def test_cross_temporal_decoding_separates_a_stable_code_from_a_changing_one():
    """Steps 0-2 share one code and steps 3-5 another: a decoder generalises within each block, not across."""
    rng = np.random.default_rng(5)
    x, labels = _coded(rng, 6, [0, 1, 2], strength=3.0)
    x2, _ = _coded(rng, 6, [3, 4, 5], strength=3.0, pattern=(np.arange(16) + 3) % 8)  # the same classes, other features
    x[3:] = x2[3:]
    cross = decode_cross_temporal(x, labels, n_reps=20, rng=2)
    assert cross.accuracy.shape == (6, 6, 20) and cross.chance == 1 / 8
    mean = cross.mean
    assert mean[:3, :3].min() > 0.8 and mean[3:, 3:].min() > 0.8
    assert mean[:3, 3:].max() < 0.3 and mean[3:, :3].max() < 0.3
    # the diagonal is decode's result for the same resamplings
    np.testing.assert_array_equal(np.diagonal(cross.accuracy, 0, 0, 1).T, decode(x, labels, n_reps=20, rng=2).accuracy)


@pytest.mark.parametrize("normalize", [True, False])
def test_cross_temporal_batched_agrees_with_svc(normalize):
    rng = np.random.default_rng(6)
    x, labels = _coded(rng, 4, [0, 1], strength=0.8)
    x = x * np.array([1.0, 3.0, 0.5, 2.0])[:, None, None] + 1.0  # steps of different ranges: scaling matters
    kw = dict(train_steps=[0, 1, 3], test_steps=[0, 1, 2], n_reps=3, normalize=normalize, rng=4)
    fast = decode_cross_temporal(x, labels, **kw)
    reference = decode_cross_temporal(x, labels, solver="sklearn", **kw)
    np.testing.assert_array_equal(fast.train_steps, [0, 1, 3])
    np.testing.assert_array_equal(fast.test_steps, [0, 1, 2])
    assert np.abs(fast.accuracy - reference.accuracy).max() <= 0.02


def test_cross_temporal_request_too_large_is_refused():
    rng = np.random.default_rng(0)
    x, y = _clusters(rng, 8, 4, 3, 1.0, n_steps=2)
    with pytest.raises(ValueError, match="GiB"):
        decode_cross_temporal(x, y, n_reps=10**5, per_class=10_000)
