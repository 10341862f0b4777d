"""Trial structure of every task against the research digest of Masse et al. (2019) (final code)."""

import numpy as np
import pytest

pytest.importorskip("torch")
from wmlib.rnn import tasks as T  # noqa: E402

B = 2000


def clean(task, test_mode=False, batch=B, seed=0):
    return T.make_trials(task, batch, seed, test_mode=test_mode, noise=False)


def _stimulus_steps(trial, units):
    return np.flatnonzero(trial.inputs[:, :, units].sum(axis=(1, 2)) > 0)


def _check_test_window(trial, start, end):
    s, e = start // 10, end // 10
    assert np.all(trial.mask[s:s + 5] == 0), "first 50 ms of a test must be masked"
    assert np.all(trial.mask[s + 5:e] == 2), "test steps weighted x2"
    assert np.all(trial.targets[s:e] != T.FIXATION)


@pytest.mark.parametrize("task,rotation", [("DMS", 0), ("DMRS45", 1), ("DMRS90", 2), ("DMRS180", 4)])
def test_delayed_match_tasks(task, rotation):
    tr = clean(task)
    assert tr.inputs.shape == (250, B, 24)
    assert list(_stimulus_steps(tr, slice(0, 24))) == list(range(50, 100)) + list(range(200, 250))
    _check_test_window(tr, 2000, 2500)
    assert np.all(tr.targets[:200] == T.FIXATION) and np.all(tr.mask[:200] == 1)
    sample, test, match = tr.info["sample"], tr.info["test"][:, 0], tr.info["match"][:, 0]
    np.testing.assert_array_equal(match, test == (sample + rotation) % 8)
    np.testing.assert_array_equal(tr.targets[210], np.where(match, T.MATCH, T.NON_MATCH))
    assert match.mean() == pytest.approx(0.5, abs=0.04)
    # the sample is encoded by the tuning curves: the most active unit prefers the sample direction
    np.testing.assert_array_equal(tr.inputs[60].argmax(axis=1), sample * 3)
    tm = clean(task, test_mode=True)
    assert tm.info["match"].mean() == pytest.approx(1 / 8, abs=0.025)


def test_dmc_categories():
    tr = clean("DMC")
    sample, test, match = tr.info["sample"], tr.info["test"][:, 0], tr.info["match"][:, 0]
    np.testing.assert_array_equal(match, sample // 4 == test // 4)
    assert match.mean() == pytest.approx(0.5, abs=0.04)
    # match tests are uniform over the 4 directions of the category, the sample included
    assert np.mean(test[match] == sample[match]) == pytest.approx(0.25, abs=0.04)


def test_delayed_rule_task():
    tr = clean("DMS+DMRS")
    assert tr.inputs.shape[-1] == 30
    assert list(_stimulus_steps(tr, slice(24, 30))) == list(range(150, 175))
    rule = tr.info["rule"]
    units = tr.inputs[160, :, 24:] > 0
    np.testing.assert_array_equal(units, (np.arange(6)[None] % 2) == rule[:, None])
    sample, test, match = tr.info["sample"], tr.info["test"][:, 0], tr.info["match"][:, 0]
    np.testing.assert_array_equal(match, test == (sample + 2 * rule) % 8)
    assert rule.mean() == pytest.approx(0.5, abs=0.04)


@pytest.mark.parametrize("task", ["ABBA", "ABCA"])
def test_abba_abca(task):
    tr = clean(task)
    assert tr.inputs.shape == (380, B, 24)
    assert list(_stimulus_steps(tr, slice(0, 24))) == (list(range(50, 90)) + list(range(130, 170)) + list(range(210, 250))
                                                      + list(range(290, 330)))
    for start, end in [(1300, 1700), (2100, 2500), (2900, 3300)]:
        _check_test_window(tr, start, end)
    assert np.all(tr.targets[330:] == T.FIXATION)
    sample, test, match = tr.info["sample"], tr.info["test"], tr.info["match"]
    np.testing.assert_array_equal(match, test == sample[:, None])
    assert match.mean(axis=0) == pytest.approx([0.5] * 3, abs=0.04)
    repeats = (test[:, 1:] == test[:, :-1]) & ~match[:, 1:]
    if task == "ABCA":
        assert not repeats.any()
        for b in range(200):  # non-matches are always new directions
            seen = {sample[b]}
            for i in range(3):
                if not match[b, i]:
                    assert test[b, i] not in seen
                seen.add(test[b, i])
    else:
        eligible = ~match[:, :-1] & ~match[:, 1:]
        assert repeats[eligible].mean() == pytest.approx(0.5, abs=0.05)


def test_dual_dms():
    tr = clean("dualDMS")
    assert tr.inputs.shape == (400, B, 54)
    assert list(_stimulus_steps(tr, slice(0, 24))) == list(range(50, 100)) + list(range(200, 250)) + list(range(350, 400))
    assert list(_stimulus_steps(tr, slice(48, 54))) == list(range(150, 250)) + list(range(300, 400))
    _check_test_window(tr, 2000, 2500)
    _check_test_window(tr, 3500, 4000)
    assert np.all(tr.targets[250:350] == T.FIXATION)
    sample, test, match, cue = tr.info["sample"], tr.info["test"], tr.info["match"], tr.info["rule"]
    rows = np.arange(B)
    for i in range(2):
        np.testing.assert_array_equal(match[:, i], test[rows, i, cue[:, i]] == sample[rows, cue[:, i]])
    assert match.mean() == pytest.approx(0.5, abs=0.04)


@pytest.mark.parametrize("task", T.TEACHING_TASKS)
def test_teaching_tasks_report_the_right_direction(task):
    tr = clean(task, batch=500)
    spec = T.TASKS[task]
    assert spec.n_outputs == 9
    report = [k for k in tr.epochs if k.startswith("report")]
    items = tr.info["sample"] if task.startswith("sequence") else None
    for k, name in enumerate(sorted(report)):
        s, e = tr.epochs[name]
        if task.startswith("sequence"):
            expected = 1 + items[:, k]
        elif task == "memory_update":
            expected = 1 + tr.info["second"]
        else:
            expected = 1 + tr.info["sample"]
        np.testing.assert_array_equal(tr.targets[s + 5], expected)
        assert np.all(tr.mask[s:s + 5] == 0)


def test_tuning_and_noise():
    r = T.motion_tuning(np.array([0, 2]))
    assert r[0, 0] == pytest.approx(4.0)
    assert r[1, 0] == pytest.approx(4.0 * np.exp(-2.0))  # 90 deg away
    assert r[0, 12] == pytest.approx(4.0 * np.exp(-4.0))  # opposite
    noisy = T.make_trials("DMS", 500, 0)
    fix = noisy.inputs[:40]  # fixation: noise only, rectified
    assert fix.min() >= 0
    sd = np.sqrt(2 / 0.1) * 0.1
    assert fix.mean() == pytest.approx(sd / np.sqrt(2 * np.pi), rel=0.02)
    a = T.make_trials("ABBA", 50, 3)
    b = T.make_trials("ABBA", 50, 3)
    np.testing.assert_array_equal(a.inputs, b.inputs)


def test_accuracy_metric():
    tr = clean("DMS", batch=10)
    perfect = np.eye(3)[tr.targets]  # one-hot logits equal to the targets
    assert T.accuracy(perfect, tr) == 1.0
    fixating = np.eye(3)[np.zeros_like(tr.targets)]
    assert T.accuracy(fixating, tr) == 0.0  # answering "fixation" during the test is an error


def test_bad_arguments():
    with pytest.raises(ValueError, match="'task' parameter of make_trials"):
        T.make_trials("nope", 4, 0)
    with pytest.raises(ValueError, match="'batch_size' parameter of make_trials"):
        T.make_trials("DMS", 0, 0)
    with pytest.raises(ValueError, match="'rng' parameter"):
        T.make_trials("DMS", 4, None)
    with pytest.raises(ValueError, match="'directions' parameter of motion_tuning"):
        T.motion_tuning(np.array([8]))
    with pytest.raises(ValueError, match="'logits' parameter of accuracy"):
        T.accuracy(np.zeros((3, 3, 3)), clean("DMS", batch=4))


@pytest.mark.parametrize("task", ["DMS", "dualDMS", "sequence3"])
def test_trial_figure(task):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.figure import Figure

    from wmlib.rnn.plotting import plot_trial

    fig = plot_trial(T.make_trials(task, 3, 0), index=2)
    assert isinstance(fig, Figure)
    plt.close("all")
    with pytest.raises(ValueError, match="'index' parameter of plot_trial"):
        plot_trial(T.make_trials(task, 3, 0), index=3)
    with pytest.raises(TypeError, match="'trial' parameter must be a wmlib.rnn.Trial"):
        plot_trial({"inputs": 1})
