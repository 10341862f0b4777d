"""Decoding and persistent-activity analyses, and what they show on the shipped networks."""

import numpy as np
import pytest

torch = pytest.importorskip("torch")
from wmlib.rnn import analysis as an  # noqa: E402
from wmlib.rnn.pretrained import load_pretrained  # noqa: E402
from wmlib.rnn.tasks import make_trials  # noqa: E402


def _synthetic(n_trials=160, informative=True, seed=0):
    rng = np.random.default_rng(seed)
    labels = np.repeat(np.arange(8), n_trials // 8)
    feats = rng.normal(size=(3, n_trials, 20))
    if informative:
        feats[1, :, :8] += 6.0 * np.eye(8)[labels]
    return feats, labels


def test_decoding_finds_information_where_it_is_and_only_there():
    feats, labels = _synthetic()
    acc = an.decode_over_time(feats, labels, n_reps=4, rng=0)
    assert acc.shape == (3, 4)
    assert acc[1].mean() > 0.9
    assert abs(acc[0].mean() - 1 / 8) < 0.08 and abs(acc[2].mean() - 1 / 8) < 0.08


def test_decoding_is_reproducible():
    feats, labels = _synthetic()
    np.testing.assert_array_equal(an.decode_over_time(feats, labels, [1], n_reps=2, rng=5),
                                  an.decode_over_time(feats, labels, [1], n_reps=2, rng=5))


@pytest.mark.parametrize("kwargs, match", [
    ({"features": np.zeros((3, 10))}, "features"),
    ({"labels": np.zeros(7)}, "labels"),
    ({"steps": [5]}, "steps"),
    ({"n_reps": 0}, "n_reps"),
    ({"labels": np.zeros(160)}, "two classes"),
])
def test_decoding_bad_input(kwargs, match):
    feats, labels = _synthetic()
    args = {"features": feats, "labels": labels, **kwargs}
    with pytest.raises(ValueError, match=match):
        an.decode_over_time(**args)


def test_delay_window_is_the_last_100_ms_of_the_delay():
    np.testing.assert_array_equal(an.delay_window(make_trials("DMS", 2, 0)), np.arange(190, 200))
    np.testing.assert_array_equal(an.delay_window(make_trials("ABBA", 2, 0)), np.arange(120, 130))
    with pytest.raises(ValueError, match="no delay"):
        an.delay_window(make_trials("DMS", 2, 0)._replace(epochs={"fixation": (0, 10)}))


def test_record_checks_the_network_fits_the_task():
    net = load_pretrained("DMS", 0)
    with pytest.raises(ValueError, match="inputs"):
        an.record(net, "dualDMS", 8)
    with pytest.raises(TypeError, match="model"):
        an.record("net", "DMS", 8)
    rec = an.record(net, "DMS", 16, seed=0)
    assert rec.h.shape == rec.efficacy.shape == (250, 16, 100)
    np.testing.assert_array_equal(rec.h, an.record(net, "DMS", 16, seed=0).h)


def test_dms_network_holds_the_sample_in_its_synapses_not_its_activity():
    """Masse et al. (2019): in DMS networks, end-of-delay neuronal decoding < 0.4, synaptic decoding ~1."""
    rec = an.record(load_pretrained("DMS", 0), "DMS", 512, seed=1, test_mode=True)
    assert an.persistent_activity(rec, n_reps=3) < 0.4
    assert an.persistent_activity(rec, n_reps=3, feature="efficacy") > 0.9


def test_network_without_stsp_needs_persistent_activity():
    """Without STSP the synapses carry nothing, so the delay activity must hold the sample."""
    rec = an.record(load_pretrained("DMS", 0, stsp=False), "DMS", 512, seed=1, test_mode=True)
    assert an.persistent_activity(rec, n_reps=3) > 0.6
    np.testing.assert_array_equal(rec.efficacy, 1.0)
