"""What the synaptic theory of working memory predicts (Mongillo, Barak & Tsodyks 2008), on the scaled network.

The scaled network (4000 neurons, c = 0.5) gives every neuron the full network's inputs; its regimes sit at the
same background drives (``REGIME_DRIVES``).  Every test runs a batch of trials with independent noise.
"""

import numpy as np
import pytest
from scipy.optimize import curve_fit

from wmlib import capacity as cap
from wmlib import network as net

PARAMS = net.NetworkParams().scaled(net.SCALED_SIZE)
DRIVE = net.REGIME_DRIVES
CUE = 1.0  # item 0 loaded at 1 s for 350 ms
CUE_END = CUE + 0.35
T_MAX = float(cap.t_max(PARAMS.tau_f, PARAMS.tau_d, PARAMS.U))  # 0.45 s


@pytest.fixture(scope="module")
def network():
    return net.connect(PARAMS, rng=0)


@pytest.fixture(scope="module")
def silent(network):
    """Activity-silent regime: readouts 1 s and 3 s after the cue (6 trials each), and 4 trials without a cue."""
    protocols = ([net.load_item(0, CUE) + net.readout(CUE_END + 1.0)] * 6
                 + [net.load_item(0, CUE) + net.readout(CUE_END + 3.0)] * 6 + [net.readout(CUE_END + 1.0)] * 4)
    return net.simulate(PARAMS.replace(mu_exc=DRIVE["silent"]), protocols, CUE_END + 3.4, n_trials=16, rng=1,
                        network=network)


def test_the_item_is_held_silently_by_facilitated_synapses(silent):
    r = silent
    ps = net.population_spikes(r)
    assert ps.count(CUE_END + 0.1, CUE_END + 1.0).sum() <= 1  # (almost) no population spike during the delay
    delay = (r.t >= CUE_END + 0.1) & (r.t < CUE_END + 1.0)
    cued, uncued = r.rate[delay, :12, 0].mean(), r.rate[delay][:, :12, 1:5].mean()
    assert cued < 1.0 and abs(cued - uncued) < 0.5  # back to spontaneous rates
    k = np.searchsorted(r.t, CUE_END + 0.95)
    assert r.u[k, :12, 0].mean() > r.u[k, :12, 1:5].mean() + 0.15  # but its synapses stay facilitated


def test_facilitation_decays_with_tau_f(silent):
    r = silent
    window = (r.t >= CUE_END + 0.1) & (r.t < CUE_END + 2.95)  # trials read out at 3 s: no readout in the window
    u = r.u[window, 6:12, 0].mean(axis=1)
    def model(t, base, amp, tau):
        return base + amp * np.exp(-(t - CUE_END) / tau)

    (base, amp, tau), _ = curve_fit(model, r.t[window], u, p0=(0.25, 0.3, 1.0))
    assert tau == pytest.approx(PARAMS.tau_f, rel=0.2)
    assert base == pytest.approx(r.u[window, 6:12, 1:5].mean(), abs=0.03)  # relaxes to the uncued level


def test_a_nonspecific_readout_reactivates_the_cued_population_only(silent):
    r = silent
    early = net.readout_success(r, CUE_END + 1.0)
    late = net.readout_success(r, CUE_END + 3.0)
    assert early[:6, 0].mean() >= 5 / 6  # the cued population answers with a population spike
    assert not early[:6, 1:].any() and not early[12:].any()  # the others do not, nor any without a cue
    assert late[6:12, 0].mean() <= 2 / 6 < early[:6, 0].mean()  # after 2 tau_f the memory has faded


@pytest.fixture(scope="module")
def periodic(network):
    """Periodic regime, then at 3.5 s the background drops to the silent regime's; a readout at 6.0 s."""
    drop = net.background_change(3.5, DRIVE["silent"] - DRIVE["periodic"])
    protocol = net.load_item(0, CUE) + drop + net.readout(6.0)
    return net.simulate(PARAMS.replace(mu_exc=DRIVE["periodic"]), protocol, 6.4, n_trials=6, rng=2,
                        network=network)


def test_the_cued_population_emits_population_spikes_within_t_max(periodic):
    r = periodic
    regime = net.classify_regime(r, CUE_END + 0.15, 3.5, 0)
    assert np.mean(regime == "periodic") >= 5 / 6
    ps = net.population_spikes(r)
    intervals = net.inter_ps_intervals(ps, 0, CUE_END + 0.15, 3.5)
    assert intervals.size >= 30
    assert np.mean(intervals < T_MAX) >= 0.9 and np.median(intervals) < 0.8 * T_MAX
    spurious = ps.count(CUE_END + 0.15, 3.5)[:, 1:].sum(axis=1)
    assert np.mean(spurious == 0) >= 4 / 6  # the other populations stay quiet (in most trials)
    k = np.searchsorted(r.t, 3.45)
    assert r.u[k, :, 0].mean() > 0.6 and r.x[k, :, 0].mean() < 0.8  # each PS refreshes u and uses resources


def test_lowering_the_background_stops_the_spikes_and_clears_the_memory(periodic):
    r = periodic
    ps = net.population_spikes(r)
    assert ps.count(3.8, 6.0).sum() <= 2  # the spikes stop
    k = np.searchsorted(r.t, 5.95)
    assert r.u[k, :, 0].mean() < r.u[k, :, 1:5].mean() + 0.12  # facilitation has relaxed
    assert net.readout_success(r, 6.0)[:, 0].mean() <= 2 / 6  # and the readout finds nothing


def test_asynchronous_persistent_activity_at_a_higher_background(network):
    """At this drive the background also lets an uncued population ignite by itself, and inhibition lets only one
    population be active: the cued item wins the competition in most trials."""
    r = net.simulate(PARAMS.replace(mu_exc=DRIVE["persistent"]), net.load_item(0, CUE), 3.5, n_trials=6, rng=3,
                     network=network)
    regime = np.array([net.classify_regime(r, 1.5, 3.5, k) for k in range(PARAMS.n_pop)])  # (population, trial)
    assert np.all((regime == "persistent").sum(axis=0) == 1)  # one population, and only one, fires tonically
    held = regime[0] == "persistent"
    assert held.mean() >= 0.5  # the cued one, in most trials; in the others an uncued one has ignited on its own
    window = r.t >= 1.5
    assert r.rate[window][:, held, 0].mean() > 5.0  # tonic firing, far above the ~0.2 Hz of the silent regime
    assert r.u[window][:, held, 0].mean() > 0.75 and r.x[window][:, held, 0].mean() < 0.45  # u saturated, x depressed


@pytest.fixture(scope="module")
def several(network):
    """Two items (populations 0, 1) in 4 trials and three items (0, 1, 2) in 4 trials, 1 s apart, periodic regime."""
    two = net.load_item(0, 1.0) + net.load_item(1, 2.0)
    three = two + net.load_item(2, 3.0)
    return net.simulate(PARAMS.replace(mu_exc=DRIVE["periodic"]), [two] * 4 + [three] * 4, 5.5, n_trials=8, rng=4,
                        network=network)


@pytest.mark.parametrize("n_items, trials", [(2, slice(0, 4)), (3, slice(4, 8))])
def test_several_items_are_held_by_alternating_population_spikes(several, n_items, trials):
    ps = net.population_spikes(several)
    counts = ps.count(4.0, 5.5)[trials]
    held = (counts[:, :n_items] >= 2).all(axis=1)
    assert held.mean() >= 3 / 4  # every item still emits population spikes at the end
    assert counts[:, n_items:].sum() <= 1  # unloaded populations stay silent
    alternation = net.alternation(ps, range(n_items), 4.0, 5.5)[trials]
    assert np.nanmean(alternation) > 0.8  # they fire in turn, not together
    together = net.coincident_fraction(ps, 1, 0, tolerance=0.03, start=4.0, stop=5.5)[trials]
    assert np.nanmean(together) < 0.2  # population 1's bursts rarely come within 30 ms of population 0's


def test_the_phase_diagram_orders_the_regimes(network):
    """Silent below, periodic population spikes in the middle, persistent activity above."""
    diagram = net.phase_diagram(PARAMS, [DRIVE["silent"], DRIVE["periodic"], DRIVE["persistent"]], n_trials=4,
                                duration=3.5, network=network, rng=5)
    silent, periodic, persistent = (net.REGIMES.index(name) for name in ("silent", "periodic", "persistent"))
    assert diagram.fraction[0, silent] == 1.0
    assert diagram.fraction[1, periodic] == 1.0
    assert diagram.fraction[2, persistent] >= 0.75
    assert np.all(np.diff(diagram.rate) > 0)
    np.testing.assert_allclose(diagram.fraction.sum(axis=1), 1.0)


def test_capacity_by_overload_follows_t_max_over_the_spike_spacing():
    """Eight populations loaded one after another: fewer survive, about T_max / t_s of them (Mi et al. 2017)."""
    params = net.NetworkParams(n_pop=8).scaled(net.SCALED_SIZE).replace(mu_exc=23.8)
    result = net.capacity_by_overload(params, n_trials=8, rng=6)
    assert np.all(result.held < 8) and np.mean(result.held >= 2) >= 0.75
    assert abs(result.held.mean() - np.nanmean(result.predicted)) < 1.0
    assert result.t_max == pytest.approx(T_MAX)
