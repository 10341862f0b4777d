"""The metrics chapter's per-network analyses: how they are built and shipped, and what they show (Masse et al. 2019).

The behaviour tests read the shipped analyses (``python -m wmlib.rnn analyse``); one test recomputes an entry to check
the file.
"""

import shutil

import numpy as np
import pytest

torch = pytest.importorskip("torch")

from wmlib import analysis, rnn  # noqa: E402
from wmlib.rnn import pretrained as pt  # noqa: E402
from wmlib.rnn import shipped_analyses as sa  # noqa: E402

SMALL = {"decode_trials": 256, "decode_reps": 2, "curve_every": 25, "curve_reps": 1, "shuffle_trials": 32,
         "shuffle_repeats": 2, "condition_reps": 1, "suppression_repeats": 1}


def test_build_analyses_resumes_and_recomputes_only_what_changed(tmp_path, monkeypatch):
    for name in ("DMS_s0.npz", "DMC_s0.npz"):
        shutil.copy(pt.PRETRAINED_DIR / name, tmp_path / name)
    pt.write_manifest(tmp_path)
    monkeypatch.setattr(sa, "NETWORK_SETTINGS", {**sa.NETWORK_SETTINGS, **SMALL})
    calls = []
    real = sa.network_analysis
    monkeypatch.setattr(sa, "network_analysis", lambda model, task: calls.append(task) or real(model, task))
    sa.build_analyses(tmp_path, progress=False)
    assert sorted(calls) == ["DMC", "DMS"]
    first = sa.load_analyses(tmp_path)["networks"]
    assert set(first) == {"DMS_s0", "DMC_s0"} and first["DMS_s0"]["settings"] == sa.NETWORK_SETTINGS
    calls.clear()
    sa.build_analyses(tmp_path, progress=False)  # everything is there: nothing is recomputed
    assert calls == [] and sa.load_analyses(tmp_path)["networks"] == first
    monkeypatch.setattr(sa, "NETWORK_SETTINGS", {**sa.NETWORK_SETTINGS, "shuffle_repeats": 3})
    sa.build_analyses(tmp_path, progress=False)  # new settings: every entry again
    assert sorted(calls) == ["DMC", "DMS"]
    assert len(sa.shipped_network_analysis("DMS", 0, tmp_path)["shuffle"]["intact"]) == 3
    assert [a["seed"] for a in sa.shipped_network_analyses("DMC", tmp_path)] == [0]


def test_network_analysis_settings_are_checked():
    net = rnn.load_pretrained("DMS", 0)
    with pytest.raises(ValueError, match="unknown keys \\['reps'\\]"):
        rnn.network_analysis(net, "DMS", settings={"reps": 3})
    with pytest.raises(ValueError, match="'shuffle_repeats' parameter"):
        rnn.network_analysis(net, "DMS", settings={"shuffle_repeats": 0})
    with pytest.raises(ValueError, match="'decode_trials' setting"):
        rnn.network_analysis(net, "DMS", settings={"decode_trials": 8})
    with pytest.raises(TypeError, match="'settings' parameter"):
        rnn.network_analysis(net, "DMS", settings=[1])
    with pytest.raises(ValueError, match="the network's task"):
        rnn.network_analysis(net, "dualDMS", settings=SMALL)


def test_a_network_analysis_has_every_part_the_chapter_reads():
    a = rnn.network_analysis(rnn.load_pretrained("ABBA", 0), "ABBA", settings=SMALL)
    assert set(a["delays"]) == {"delay1", "delay2", "delay3"}
    assert {"h", "efficacy", "h_significant", "efficacy_significant"} <= set(a["delays"]["delay2"])
    assert len(a["curve"]["h"]) == len(a["curve"]["steps"]) == len(a["curve"]["h_test1"])
    assert len(a["similarity"]["efficacy"]) == 380 and -1 <= a["similarity"]["test2"] <= 1
    assert a["shuffle"]["t0"] == 130 and len(a["shuffle"]["synaptic"]) == 2
    assert set(a["conditions"]) == {"ABBA"} and "suppression" not in a


def test_shipped_network_analysis_is_what_the_call_gives():
    """Recompute the shipped analysis of the first DMC network with the documented call and compare every number."""
    seed = min(e["seed"] for e in pt.list_pretrained() if e["task"] == "DMC" and e["stsp"])
    shipped = rnn.shipped_network_analysis("DMC", seed)
    again = rnn.network_analysis(rnn.load_pretrained("DMC", seed), "DMC")

    def flat(tree, prefix=""):
        if isinstance(tree, dict):
            return {k: v for key in sorted(tree) for k, v in flat(tree[key], f"{prefix}/{key}").items()}
        return {prefix: tree}

    a, b = flat(shipped), flat(again)
    assert a.keys() == b.keys()
    for key in a:
        np.testing.assert_allclose(np.asarray(a[key], dtype=float), np.asarray(b[key], dtype=float), rtol=0,
                                   atol=2e-5, err_msg=key)


def _analyses(task):
    return rnn.shipped_network_analyses(task)


def _end(task, key="h", delay="delay"):
    return np.array([a["delays"][delay][key] for a in _analyses(task)])


def _shuffle(task):
    return np.array([[np.mean(a["shuffle"][k]) for k in ("intact", "neuronal", "synaptic")] for a in _analyses(task)])


def test_every_shipped_network_is_analysed():
    for e in pt.list_pretrained():
        if e["stsp"]:
            assert rnn.shipped_network_analysis(e["task"], e["seed"])["shuffle"]["intact"]


def test_dms_networks_keep_the_sample_in_their_synapses_through_the_delay():
    """Masse et al. (2019): synaptic decoding at 1.0 through the delay; decoding from activity falls towards chance."""
    epochs = rnn.make_trials("DMS", 1, 0).epochs
    for a in _analyses("DMS"):
        steps = np.asarray(a["curve"]["steps"])
        in_delay = (steps >= epochs["delay"][0]) & (steps < epochs["delay"][1])
        assert min(np.asarray(a["curve"]["efficacy"])[in_delay]) >= 0.9
    h = _end("DMS")
    assert np.median(h) < 0.4 and h.mean() < _end("DMS", "efficacy").mean() - 0.5


def test_synaptic_shuffle_takes_silent_dms_networks_to_chance_and_neuronal_shuffle_barely_matters():
    """In the DMS networks at chance by the paper's rule the neuronal shuffle has no significant effect; in every
    DMS network the synaptic shuffle takes accuracy to near chance, and the neuronal one costs little on average."""
    acc = _shuffle("DMS")
    assert (acc[:, 2] < 0.6).all() and (acc[:, 0] > 0.9).all()
    assert (acc[:, 0] - acc[:, 1]).mean() < 0.03
    silent = ~_end("DMS", "h_significant")
    assert silent.any()
    for a in np.array(_analyses("DMS"), dtype=object)[silent]:
        drop = np.asarray(a["shuffle"]["intact"]) - np.asarray(a["shuffle"]["neuronal"])
        assert np.mean(drop > 0) <= 0.975, a["seed"]


def test_both_shuffles_hurt_every_dmrs90_network():
    """Masse et al. (2019): in all 20 DMRS90 networks both shuffles reduce accuracy (the paper's rule)."""
    for a in _analyses("DMRS90"):
        intact = np.asarray(a["shuffle"]["intact"])
        for kind in ("neuronal", "synaptic"):
            assert np.mean(intact - np.asarray(a["shuffle"][kind]) > 0) > 0.975, (a["seed"], kind)


def test_persistent_activity_predicts_the_effect_of_each_shuffle_across_dms_networks():
    """The more a DMS network keeps in its activity, the more it loses to the neuronal shuffle and the less to the
    synaptic one (the paper: r = -0.82 and 0.53)."""
    h, acc = _end("DMS"), _shuffle("DMS")
    assert analysis.correlate(h, acc[:, 1]).r < 0
    assert analysis.correlate(h, acc[:, 2]).r > 0


def test_manipulation_tasks_keep_more_in_their_activity_than_dms():
    dms = np.array([a["conditions"]["DMS"]["persistence"] for a in _analyses("DMS")])
    for name, (task, _) in rnn.MANIPULATION_CONDITIONS.items():
        if name in ("DMRS90", "ABBA", "delayed rule, DMS trials", "delayed rule, DMRS trials"):
            values = np.array([a["conditions"][name]["persistence"] for a in _analyses(task)])
            assert analysis.compare(values, dms, alternative="greater").p < 0.05, name


def test_abca_stores_the_first_test_like_the_sample_and_abba_does_not():
    """Tuning similarity of the synapses to the sample and to the first test during the second test: the paper's
    0.919 (ABCA) against 0.232 (ABBA)."""
    abca = np.array([a["similarity"]["test2"] for a in _analyses("ABCA")])
    abba = np.array([a["similarity"]["test2"] for a in _analyses("ABBA")])
    assert abca.mean() > 0.8 > 0.5 > abba.mean()
    assert analysis.compare(abca, abba, alternative="greater").p < 1e-3


def test_manipulation_index_rises_with_persistent_activity_across_the_ten_conditions():
    x, y = [], []
    for name, (task, _) in rnn.MANIPULATION_CONDITIONS.items():
        x.append(np.mean([a["conditions"][name]["persistence"] for a in _analyses(task)]))
        y.append(np.mean([a["conditions"][name]["manipulation"] for a in _analyses(task)]))
    assert analysis.correlate(x, y, method="spearman").r > 0


def test_dmc_synapses_are_category_tuned_and_dms_synapses_are_not():
    dmc = np.array([a["category_tuning"]["efficacy"] for a in _analyses("DMC")])
    dms = np.array([a["category_tuning"]["efficacy"] for a in _analyses("DMS")])
    assert (dmc > 0.1).all() and abs(dms.mean()) < 0.05


def test_metrics_figures_and_explorer():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.figure import Figure

    from wmlib.rnn import plotting as rp
    from wmlib.rnn import widgets

    rec = rnn.record(rnn.load_pretrained("DMS", 0), "DMS", 128, rng=0, test_mode=True)
    steps = np.arange(0, 250, 50)
    cross = analysis.decode_cross_temporal(rec.h, rec.trial.info["sample"], steps, steps, n_reps=1, per_class=4)
    assert isinstance(rp.plot_cross_temporal(cross, steps * 0.01, rec.trial.epochs), Figure)
    with pytest.raises(ValueError, match="same steps"):
        rp.plot_cross_temporal(analysis.decode_cross_temporal(rec.h, rec.trial.info["sample"], steps[:2], steps,
                                                              n_reps=1, per_class=4), steps * 0.01)
    assert isinstance(rp.plot_shuffle({"DMS": _shuffle("DMS")}), Figure)
    with pytest.raises(ValueError, match="n_networks, 3"):
        rp.plot_shuffle({"DMS": np.ones((2, 2))})
    fig = rp.plot_relation([0.1, 0.3, 0.2], [0.5, 0.7, 0.6], "x", "y", yerr=[0.1, 0.1, 0.1], labels=["a", "b", "c"])
    assert [t.get_text() for t in fig.axes[0].texts] == ["a", "b", "c"]
    with pytest.raises(ValueError, match="'yerr'"):
        rp.plot_relation([0.1, 0.3], [0.5, 0.7], "x", "y", yerr=[0.1])
    fig = widgets.metrics_explorer_figure("DMRS90", 1, 1.5)
    assert "DMRS90 network seed" in fig.axes[0].get_title()
    with pytest.raises(ValueError, match="'time' parameter"):
        widgets.metrics_explorer_figure("DMS", 0, 9.0)
    with pytest.raises(ValueError, match="'network' parameter"):
        widgets.metrics_explorer_figure("DMS", 99, 1.0)
    plt.close("all")
