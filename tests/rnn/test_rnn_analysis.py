"""Decoding and persistent-activity analyses, and what they show on the shipped networks."""

import numpy as np
import pytest

torch = pytest.importorskip("torch")
from wmlib import analysis as wa  # noqa: E402
from wmlib import rnn as an  # noqa: E402
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
    acc = wa.decode_over_time(feats, labels, n_reps=4, rng=0)
    assert acc.shape == (3, 4)
    assert acc[1].mean() > 0.9
    assert abs(acc[0].mean() - 1 / 8) < 0.08 and abs(acc[2].mean() - 1 / 8) < 0.08


def test_decoding_is_reproducible():
    feats, labels = _synthetic()
    np.testing.assert_array_equal(wa.decode_over_time(feats, labels, [1], n_reps=2, rng=5),
                                  wa.decode_over_time(feats, labels, [1], n_reps=2, rng=5))


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
        wa.decode_over_time(**args)


def test_delay_window_is_the_last_100_ms_of_the_delay():
    np.testing.assert_array_equal(an.delay_window(make_trials("DMS", 2, 0)), np.arange(190, 200))
    np.testing.assert_array_equal(an.delay_window(make_trials("ABBA", 2, 0)), np.arange(120, 130))
    with pytest.raises(ValueError, match="no delay"):
        an.delay_window(make_trials("DMS", 2, 0)._replace(epochs={"fixation": (0, 10)}))
    dual = make_trials("dualDMS", 2, 0)
    np.testing.assert_array_equal(an.delay_window(dual), np.arange(190, 200))  # before test 1 (2000 ms)
    np.testing.assert_array_equal(an.delay_window(dual, delay=2), np.arange(340, 350))  # before test 2 (3500 ms)
    with pytest.raises(ValueError, match=r"no delay epoch 'delay2' \(it has \['delay'\]\)"):
        an.delay_window(make_trials("DMS", 2, 0), delay=2)
    for bad in (0, 1.0, True):
        with pytest.raises(ValueError, match="'delay' parameter must be an int >= 1"):
            an.delay_window(dual, delay=bad)


def test_dual_dms_decoding_separates_cued_and_uncued_samples():
    """A recording whose delay activity holds the first location's sample only when that location is cued
    for the first test: decoding finds it in the cued trials, at chance in the others."""
    trial = make_trials("dualDMS", 512, 0)
    rng = np.random.default_rng(0)
    h = rng.normal(size=(trial.n_steps, 512, 20))
    cued0 = trial.info["rule"][:, 0] == 0
    h[:, cued0, :8] += 6.0 * np.eye(8)[trial.info["sample"][cued0, 0]]
    rec = an.Recording(trial, h, h.copy(), np.zeros((trial.n_steps, 512, 3)))
    kw = dict(n_reps=2, every=5)
    assert an.persistent_activity(rec, location=0, cued=True, **kw) > 0.9
    assert abs(an.persistent_activity(rec, location=0, cued=False, **kw) - 1 / 8) < 0.1
    assert abs(an.persistent_activity(rec, location=1, cued=True, **kw) - 1 / 8) < 0.1
    assert 0.3 < an.persistent_activity(rec, location=0, **kw) < 0.9  # all trials: half informative
    # after delay 2 the second cue (drawn independently of the first) decides which trials are "cued"
    cued0_second = trial.info["rule"][:, 1] == 0
    assert 0.3 < an.persistent_activity(rec, location=0, cued=True, delay=2, **kw) < 0.9
    h2 = rng.normal(size=h.shape)
    h2[:, cued0_second, :8] += 6.0 * np.eye(8)[trial.info["sample"][cued0_second, 0]]
    rec2 = an.Recording(trial, h2, h2.copy(), np.zeros((trial.n_steps, 512, 3)))
    assert an.persistent_activity(rec2, location=0, cued=True, delay=2, **kw) > 0.9
    assert abs(an.persistent_activity(rec2, location=0, cued=False, delay=2, **kw) - 1 / 8) < 0.1
    with pytest.raises(ValueError, match="'location' parameter"):
        an.persistent_activity(rec, location=2)
    with pytest.raises(TypeError, match="'cued' parameter"):
        an.persistent_activity(rec, cued="yes")
    with pytest.raises(ValueError, match="no delay epoch 'delay3'"):
        an.persistent_activity(rec, cued=True, delay=3)
    dms = an.Recording(make_trials("DMS", 64, 0), h[:250, :64], h[:250, :64], np.zeros((250, 64, 3)))
    with pytest.raises(ValueError, match="dualDMS only"):
        an.persistent_activity(dms, cued=True)


def test_shipped_dual_dms_network_keeps_the_cued_sample_more_active():
    """Masse et al. (2019): the sample cued for the first test is decoded better from activity than the
    other one, while both are in the synapses."""
    result = an.cued_persistence(load_pretrained("dualDMS", 0), n_trials=512, rng=3)
    assert result.h_cued > result.h_not_cued
    assert min(result.efficacy_cued, result.efficacy_not_cued) > 0.9
    with pytest.raises(ValueError, match="load a network trained on 'dualDMS'"):
        an.cued_persistence(load_pretrained("DMS", 0))


def test_cued_effect_summarises_networks_with_a_paired_test():
    def res(cued, other, ux=1.0):
        return an.CuedPersistence(cued, other, ux, 0.95)

    consistent = [res(0.30 + 0.01 * k, 0.20 + 0.012 * k) for k in range(5)]  # the cued sample leads in every network
    eff = an.cued_effect(consistent)
    assert eff.n == 5 and eff.n_higher == 5 and eff.p < 0.01
    assert eff.difference == pytest.approx(0.096) and eff.min_efficacy == 0.95
    mixed = [res(0.31, 0.21), res(0.14, 0.17), res(0.29, 0.28), res(0.33, 0.25), res(0.22, 0.26, ux=0.8)]
    eff = an.cued_effect(mixed)  # leads in three, but not consistently: as in our shipped networks
    assert eff.n_higher == 3 and eff.p > 0.1 and eff.min_efficacy == 0.8
    assert np.isnan(an.cued_effect(mixed[:1]).p)
    for bad in ([], [{"h": {"cued": 0.3}}]):
        with pytest.raises(TypeError, match="'results' parameter of cued_effect"):
            an.cued_effect(bad)


def test_record_checks_the_network_fits_the_task():
    net = load_pretrained("DMS", 0)
    with pytest.raises(ValueError, match="inputs"):
        an.record(net, "dualDMS", 8)
    with pytest.raises(TypeError, match="model"):
        an.record("net", "DMS", 8)
    rec = an.record(net, "DMS", 16, rng=0)
    assert rec.h.shape == rec.efficacy.shape == (250, 16, 100)
    np.testing.assert_array_equal(rec.h, an.record(net, "DMS", 16, rng=0).h)


def test_dms_network_holds_the_sample_in_its_synapses_not_its_activity():
    """Masse et al. (2019): in DMS networks, end-of-delay neuronal decoding < 0.4, synaptic decoding ~1."""
    rec = an.record(load_pretrained("DMS", 0), "DMS", 512, rng=1, test_mode=True)
    assert an.persistent_activity(rec, n_reps=3) < 0.4
    assert an.persistent_activity(rec, n_reps=3, feature="efficacy") > 0.9


def test_network_without_stsp_has_no_synaptic_memory():
    """Without STSP, u*x is 1 everywhere, so exchanging synaptic states between trials changes nothing."""
    net = load_pretrained("DMS", 0, stsp=False)
    rec = an.record(net, "DMS", 16, rng=1)
    np.testing.assert_array_equal(rec.efficacy, 1.0)
    res = an.shuffle_test(net, "DMS", n_trials=64, n_repeats=3, rng=0)
    np.testing.assert_array_equal(res.synaptic, res.intact)  # the same noise in both branches of a repetition
    assert np.unique(res.intact).size > 1  # and fresh noise in each repetition


def test_record_can_stop_early_and_is_causal():
    net = load_pretrained("DMS", 0)
    full = an.record(net, "DMS", 8, rng=3, noise=False)
    part = an.record(net, "DMS", 8, rng=3, noise=False, n_steps=120)
    assert part.h.shape[0] == 120 and part.trial.inputs.shape[0] == 120
    np.testing.assert_allclose(part.h, full.h[:120], rtol=1e-5, atol=1e-5)
    assert part.trial.epochs["delay"] == (100, 120) and "test" not in part.trial.epochs
    with pytest.raises(ValueError, match="no scored"):
        _ = part.accuracy
    with pytest.raises(ValueError, match="n_steps"):
        an.record(net, "DMS", 8, n_steps=251)


def test_shuffle_test_bad_input():
    net = load_pretrained("DMS", 0)
    with pytest.raises(ValueError, match="'task' parameter"):
        an.shuffle_test(net, "nope")
    with pytest.raises(ValueError, match="'t0' parameter"):
        an.shuffle_test(net, "DMS", t0=0, n_trials=8)


def test_shuffle_without_change_reproduces_the_unshuffled_run():
    """The intact branch restarts from the saved state: the accuracy of the same two calls made by hand."""
    import torch

    from wmlib.rnn import accuracy

    net = load_pretrained("DMS", 0)
    res = an.shuffle_test(net, "DMS", n_trials=64, rng=2)
    rng = np.random.default_rng(2)
    trial = make_trials("DMS", 64, rng)
    before = int(rng.integers(2**62))
    rng.permutation(64)
    after = int(rng.integers(2**62, size=1)[0])
    with torch.no_grad():
        first = net(torch.from_numpy(trial.inputs[:200]), noise_generator=torch.Generator().manual_seed(before))
        rest = net(torch.from_numpy(trial.inputs[200:]), state=first.state(199),
                   noise_generator=torch.Generator().manual_seed(after))
    cut = trial._replace(targets=trial.targets[200:], mask=trial.mask[200:])
    assert res.intact[0] == accuracy(rest.logits.numpy(), cut)
    assert res.t0 == 200 and res.group == "all"


def test_shuffle_test_reproduces_bit_for_bit():
    net = load_pretrained("DMS", 0)
    a = an.shuffle_test(net, "DMS", n_trials=32, n_repeats=4, rng=3)
    assert a.intact.shape == a.neuronal.shape == a.synaptic.shape == (4,)
    again = an.shuffle_test(net, "DMS", n_trials=32, n_repeats=4, rng=3)
    for field in ("intact", "neuronal", "synaptic"):
        np.testing.assert_array_equal(getattr(a, field), getattr(again, field))


def test_silent_dms_network_loses_its_memory_to_the_synaptic_shuffle_at_chance():
    """Half the trials match, so chance is 0.5 (with 1/8 matches 'always non-match' would score 0.875)."""
    net = load_pretrained("DMS", 0)
    res = an.shuffle_test(net, "DMS", n_trials=256, n_repeats=4, rng=5)
    assert res.chance == 0.5
    assert abs(res.synaptic.mean() - 0.5) < 0.05 and res.intact.mean() > 0.9
    assert res.significant_drop("synaptic") and not res.significant_drop("neuronal")
    assert res.drop("neuronal").mean() < 0.02
    with pytest.raises(ValueError, match="'kind'"):
        res.drop("both")


def test_unit_groups_partition_the_units_and_each_group_shuffle_hurts_less_than_all():
    net = load_pretrained("DMS", 0)
    groups = an.unit_groups(net)
    parts = np.concatenate([groups[g] for g in ("exc_fac", "exc_dep", "inh_fac", "inh_dep")])
    np.testing.assert_array_equal(np.sort(parts), groups["all"])
    assert groups["inh_dep"].tolist() == list(range(81, 100, 2)) and groups["exc_fac"][-1] == 78
    full = an.shuffle_test(net, "DMS", n_trials=128, n_repeats=2, rng=1).drop("synaptic").mean()
    for g in ("exc_fac", "exc_dep", "inh_fac", "inh_dep"):
        part = an.shuffle_test(net, "DMS", n_trials=128, n_repeats=2, group=g, rng=1).drop("synaptic").mean()
        assert part < full, g


def test_shuffle_points_follow_the_paper():
    """DMS at test onset or sample offset; ABBA at the first test, scored over the second delay and test."""
    from wmlib.rnn.perturb import shuffle_point

    dms = make_trials("DMS", 4, 0)
    assert shuffle_point(dms)[0] == 200 and shuffle_point(dms, "delay")[0] == 100
    t0, mask = shuffle_point(make_trials("ABBA", 4, 0))
    assert t0 == 130
    scored = np.flatnonzero(mask.max(1) > 0) + t0
    assert scored.min() >= 170 and scored.max() < 250
    assert shuffle_point(make_trials("dualDMS", 4, 0))[0] == 350
    with pytest.raises(ValueError, match="'t0' parameter"):
        shuffle_point(dms, "test9")
    with pytest.raises(ValueError, match="'score_epochs' parameter"):
        shuffle_point(dms, score_epochs=("nope",))
    with pytest.raises(ValueError, match="Nothing is scored"):
        shuffle_point(dms, "delay", score_epochs=("sample",))


def test_rnn_figures_and_widget():
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    from wmlib.rnn import plotting as rp
    from wmlib.rnn import widgets

    rec = an.record(load_pretrained("DMS", 0), "DMS", 16, rng=0)
    for show in ("both", "h", "efficacy"):
        assert isinstance(rp.plot_activity(rec, 3, show=show), Figure)
    with pytest.raises(ValueError, match="'index' parameter of plot_activity"):
        rp.plot_activity(rec, 16)
    with pytest.raises(ValueError, match="'show' parameter"):
        rp.plot_activity(rec, 0, show="x")
    with pytest.raises(TypeError, match="Recording"):
        rp.plot_activity(rec.h)
    acc = np.full((5, 2), 0.5)
    assert isinstance(rp.plot_decoding({"h": acc}, np.arange(5) * 0.01, 1 / 8, rec.trial.epochs), Figure)
    with pytest.raises(ValueError, match="must have shape"):
        rp.plot_decoding({"h": acc}, np.arange(4), 1 / 8)
    assert isinstance(rp.plot_persistence({"DMS": [0.1, 0.2]}, 1 / 8, synaptic={"DMS": [1.0, 1.0]}), Figure)
    with pytest.raises(ValueError, match="labels of 'neuronal'"):
        rp.plot_persistence({"DMS": [0.1]}, 1 / 8, synaptic={"X": [1.0]})
    fig = rp.plot_persistence({"cued": [0.3, 0.2, 0.1], "not cued": [0.2, 0.25, 0.1]}, 1 / 8, paired=True)
    joins = [ln for ln in fig.axes[0].lines if ln.get_color() == "0.6"]
    assert [tuple(ln.get_ydata()) for ln in joins] == [(0.3, 0.2), (0.2, 0.25), (0.1, 0.1)]  # one line per network
    with pytest.raises(ValueError, match="paired=True"):
        rp.plot_persistence({"cued": [0.3, 0.2], "not cued": [0.2]}, 1 / 8, paired=True)
    hist = {"accuracy": np.linspace(0.2, 0.9, 30)}
    assert isinstance(rp.plot_learning_curves({"a": hist, "b": [hist, hist["accuracy"]]}), Figure)
    with pytest.raises(ValueError, match="'smooth' parameter"):
        rp.plot_learning_curves({"a": hist}, smooth=0)
    widgets.rnn_activity("DMS", 0, trial=2, show="h")
    with pytest.raises(ValueError, match=r"'network' parameter must be an int in \[0, 19\]"):
        widgets.rnn_activity("DMS", 20)
    with pytest.raises(ValueError, match="'stsp' parameter may be False only"):
        widgets.rnn_activity("DMRS90", 0, stsp=False)
    with pytest.raises(ValueError, match="'task' parameter must be one of"):
        widgets.rnn_activity("DMX", 0)


def test_widget_network_indexes_the_shipped_seeds():
    """Some dualDMS seeds fell below 90 % and were replaced, so its seeds are not 0, 1, 2, ...: each index of the
    widget shows the shipped seed of that rank."""
    import matplotlib.pyplot as plt

    from wmlib.rnn import widgets
    from wmlib.rnn.pretrained import list_pretrained

    seeds = sorted(e["seed"] for e in list_pretrained() if e["task"] == "dualDMS")
    assert len(seeds) >= 5 and seeds[:5] != list(range(5))
    for k, seed in enumerate(seeds[:5]):
        widgets.rnn_activity("dualDMS", k, trial=1, show="efficacy")
        assert f"dualDMS network seed {seed}," in plt.gcf()._suptitle.get_text()
        plt.close("all")


def test_dmc_networks_hold_the_category_in_their_activity():
    """DMC needs only the sample's category: most shipped networks keep it in their delay activity (chance 1/2),
    while the direction is decoded near 1/4, what a code holding only the category gives."""
    categories, directions = [], []
    for seed in range(5):
        model = load_pretrained("DMC", seed)
        end = int(an.delay_window(make_trials("DMC", 1, 0))[-1]) + 1
        rec = an.record(model, "DMC", n_trials=256, rng=100 + seed, test_mode=True, n_steps=end)
        categories.append(an.persistent_activity(rec, n_reps=3, target="category"))
        directions.append(an.persistent_activity(rec, n_reps=3))
        assert an.persistent_activity(rec, n_reps=1, feature="efficacy", target="category") > 0.95
    assert sum(c > 0.85 for c in categories) >= 3
    assert max(directions) < 0.35 and np.mean(directions) < np.mean(categories) / 2
    with pytest.raises(ValueError, match="'target' parameter .* one of"):
        an.persistent_activity(rec, target="colour")
    with pytest.raises(ValueError, match="dualDMS sample only"):
        an.persistent_activity(rec, target="category", location=1)


def test_silencing_every_unit_at_the_end_of_the_delay_leaves_a_silent_dms_network_most_of_its_accuracy():
    """Masse et al. (2019), Fig. S1: the memory of an activity-silent DMS network survives 100 ms without any
    activity at the end of the delay, because it is in the synapses."""
    net = load_pretrained("DMS", 0)
    res = an.suppression_test(net, "DMS", n_trials=256, n_repeats=2, rng=1)
    np.testing.assert_array_equal(res.steps, np.arange(190, 200))
    np.testing.assert_array_equal(res.units, np.arange(100))
    assert res.suppressed.shape == (2,) and (res.drop == res.intact - res.suppressed).all()
    assert res.intact.mean() > 0.9 and res.suppressed.mean() > 0.75
    with pytest.raises(ValueError, match="'units' parameter"):
        an.suppression_test(net, "DMS", units="nope", n_trials=8)
    with pytest.raises(ValueError, match="No test step"):  # ABBA ends with 500 ms of fixation after its last test
        an.suppression_test(load_pretrained("ABBA", 0), "ABBA", steps=[340], n_trials=8)
