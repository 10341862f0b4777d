"""Figures are produced from results, return a Figure, and reject malformed input; widgets run headless."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from wmlib import behaviour as bh  # noqa: E402
from wmlib import synapse as syn  # noqa: E402
from wmlib.behaviour import plotting as bplot  # noqa: E402
from wmlib.behaviour import widgets as bwidgets  # noqa: E402
from wmlib.synapse import plotting as splot  # noqa: E402
from wmlib.synapse import widgets  # noqa: E402


@pytest.fixture(autouse=True)
def _close():
    yield
    plt.close("all")


def test_synapse_figures():
    t = np.linspace(0, 1, 200)
    train = syn.regular_train(20.0, 5)
    res = {k: syn.simulate_spikes(train, p, t_eval=t) for k, p in [("f", syn.FACILITATING), ("d", syn.DEPRESSING)]}
    fig = splot.plot_train_responses(res)
    assert isinstance(fig, Figure) and len(fig.axes) == 6
    probes = {k: syn.probe_after_burst(p, np.linspace(0.1, 2, 10)) for k, p in [("f", syn.FACILITATING), ("d", syn.DEPRESSING)]}
    assert isinstance(splot.plot_burst_memory(res, probes, tau_f={"f": 0.75}), Figure)
    rates = np.geomspace(1, 100, 20)
    ss = {"f": syn.steady_state_regular(rates, syn.FACILITATING)}
    assert isinstance(splot.plot_frequency_dependence(rates, ss, simulated={"f": (rates[:3], ss["f"].release[:3])},
                                                   tau_d={"f": 0.05}), Figure)
    mf = syn.mean_field_fixed_point(rates, syn.MBT08)
    assert isinstance(splot.plot_mean_field_check(rates, mf.efficacy, mf), Figure)
    dense = np.geomspace(1, 100, 200)
    assert isinstance(splot.plot_mean_field_check(rates, mf.efficacy, syn.mean_field_fixed_point(dense, syn.MBT08), dense), Figure)
    with pytest.raises(ValueError, match="one value per rate"):
        splot.plot_mean_field_check(rates, mf.efficacy, syn.mean_field_fixed_point(dense, syn.MBT08))
    drive = np.zeros(100)
    assert isinstance(splot.plot_rate_responses({"a": syn.simulate_rate(drive, syn.MBT08)}, {"a": drive}), Figure)


def test_figures_draw_into_given_axes():
    fig, axes = plt.subplots(1, 2)
    rates = np.geomspace(1, 100, 5)
    out = splot.plot_frequency_dependence(rates, {"m": syn.steady_state_regular(rates, syn.MBT08)}, axes=axes)
    assert out is fig
    with pytest.raises(ValueError, match="'axes' parameter must hold 2 Axes"):
        splot.plot_frequency_dependence(rates, {"m": syn.steady_state_regular(rates, syn.MBT08)}, axes=axes[:1])


def test_behaviour_figures():
    res = bh.simulate_change_detection([1, 2, 4, 8], 3, 50, 0)
    assert isinstance(bplot.plot_change_detection({"K=3": res}, capacity={"K=3": 3}), Figure)
    seq = bh.nback_sequence(30, 2, 0)
    assert isinstance(bplot.plot_nback(seq, bh.slot_observer_nback(seq, 1, 0)), Figure)
    assert isinstance(bplot.plot_trial_epochs(bh.DMS_TIMING, "DMS"), Figure)


def test_bad_plot_input():
    with pytest.raises(TypeError, match="'responses' parameter must be a non-empty mapping"):
        splot.plot_train_responses([])
    with pytest.raises(TypeError, match="must map labels to SpikeResponse"):
        splot.plot_train_responses({"a": 1})
    no_traces = syn.simulate_spikes([0.1], syn.MBT08)
    with pytest.raises(ValueError, match="has no traces"):
        splot.plot_train_responses({"a": no_traces})
    t = np.linspace(0, 1, 20)
    tr = syn.simulate_spikes([0.1], syn.MBT08, t_eval=t)
    with pytest.raises(ValueError, match="same labels"):
        splot.plot_burst_memory({"a": tr}, {"b": syn.probe_after_burst(syn.MBT08, [1.0])})
    with pytest.raises(ValueError, match="durations > 0"):
        bplot.plot_trial_epochs({"a": 0.0})
    with pytest.raises(ValueError, match="'n_show' parameter of plot_nback"):
        bplot.plot_nback(bh.nback_sequence(10, 2, 0), n_show=0)


def test_widget_callbacks_run_headless():
    widgets.train_response(U=0.5, tau_f=0.1, tau_d=0.8, rate=40.0)
    widgets.burst_memory(tau_f=0.5)
    bwidgets.change_detection(capacity=2.0)
    with pytest.raises(ValueError, match="'U' parameter of TMParams"):
        widgets.train_response(U=0.0)
