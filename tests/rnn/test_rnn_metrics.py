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
