"""The engines of the spiking network: reproducibility, the noise generator, the protocols, CPU and torch agreement."""

import numpy as np
import pytest
from scipy import stats

from wmlib import network as net
from wmlib.network._noise import ZIG_X, fill_normal, seed_streams

SMALL = net.NetworkParams().scaled(1000, c=0.2)  # 800 E (5 populations of 80), 200 I: fast, for engine tests


@pytest.fixture(scope="module")
def small_net():
    return net.connect(SMALL, rng=0)


def test_the_noise_is_standard_normal_and_independent_between_streams():
    out = np.empty((4, 250_000))
    fill_normal(seed_streams(np.random.default_rng(1), 4), out)
    z = out.ravel()
    assert abs(z.mean()) < 0.005 and abs(z.var() - 1) < 0.01
    assert stats.kstest(z, "norm").pvalue > 1e-3
    assert stats.kurtosis(z) == pytest.approx(0.0, abs=0.03)
    tail = np.mean(np.abs(z) > ZIG_X[1])  # draws from the tail beyond r = 3.654, resolved by the slow path
    assert tail == pytest.approx(2 * stats.norm.sf(ZIG_X[1]), rel=0.15)
    assert abs(np.corrcoef(out[0], out[1])[0, 1]) < 0.01  # different streams
    assert abs(np.corrcoef(out[0, :-1], out[0, 1:])[0, 1]) < 0.01  # successive draws
    again = np.empty((4, 1000))
    fill_normal(seed_streams(np.random.default_rng(1), 4), again)
    np.testing.assert_array_equal(again, out[:, :1000])


def test_runs_reproduce_bit_for_bit_whatever_the_number_of_threads(small_net):
    protocol = net.load_item(0, 0.1) + net.readout(0.3)
    a = net.simulate(SMALL, protocol, 0.4, n_trials=3, rng=7, network=small_net, n_jobs=1)
    b = net.simulate(SMALL, protocol, 0.4, n_trials=3, rng=7, network=small_net, n_jobs=2)
    c = net.simulate(SMALL, protocol, 0.4, n_trials=3, rng=8, network=small_net)
    for name in ("rate", "u", "x", "ux", "spike_times", "spike_ids", "spike_trials"):
        np.testing.assert_array_equal(getattr(a, name), getattr(b, name), err_msg=name)
    assert not np.array_equal(a.rate, c.rate)
    assert a.spike_ids.size > 1000  # the trials did something
    times, ids = a.spikes(1)
    assert times.size == np.sum(a.spike_trials == 1) and np.all(np.diff(times) >= 0)


def test_records_are_consistent(small_net):
    r = net.simulate(SMALL, net.load_item(2, 0.05, duration=0.1), 0.2, n_trials=2, rng=1, network=small_net,
                     record_every=5, record_v=[3, 900])
    assert r.t.shape == (400,) and r.rate.shape == (400, 2, 7) and r.u.shape == (400, 2, 6)
    assert r.dt_record == pytest.approx(5e-4)
    pops = SMALL.populations()
    for trial in range(2):  # rates are the spike counts of each group per bin
        times, ids = r.spikes(trial)
        n2 = np.sum(np.isin(ids, pops[2]))
        assert r.rate[:, trial, 2].sum() * r.dt_record * pops.shape[1] == pytest.approx(n2)
        inh = np.sum(ids >= SMALL.n_exc)
        assert r.rate[:, trial, -1].sum() * r.dt_record * SMALL.n_inh == pytest.approx(inh)
    assert np.all(r.ux <= np.minimum(r.u, r.x) + 1e-12)
    assert np.all((r.u >= SMALL.U - 1e-12) & (r.u <= 1) & (r.x > 0) & (r.x <= 1))
    assert r.u[-1, :, 2].mean() > r.u[-1, :, [0, 1, 3, 4]].mean() + 0.05  # the loaded population facilitated
    assert r.v.shape == (400, 2, 2) and np.all(r.v < SMALL.theta)  # the probes, below threshold (reset at spikes)
    assert np.ptp(r.v[:, 0, 0]) > 1.0


def test_a_stimulus_raises_the_drive_of_its_targets_only(small_net):
    r = net.simulate(SMALL, net.load_item(1, 0.2, duration=0.2, factor=1.3), 0.4, n_trials=2, rng=2,
                     network=small_net)
    on = (r.t >= 0.2) & (r.t < 0.4)
    before = (r.t >= 0.05) & (r.t < 0.2)
    assert r.rate[on, :, 1].mean() > 5 * r.rate[before, :, 1].mean() + 5
    assert r.rate[on, :, 1].mean() > 5 * r.rate[on][:, :, [0, 2, 3, 4]].mean()


def test_noise_pulses_hit_a_new_random_subset_in_every_trial(small_net):
    pulse = net.noise_pulse(0.1, fraction=0.5, duration=0.2, factor=1.4)
    r = net.simulate(SMALL, pulse, 0.3, n_trials=2, rng=3, network=small_net)
    active = [np.unique(r.spikes(t)[1][(r.spikes(t)[0] > 0.12) & (r.spikes(t)[1] < SMALL.n_exc)]) for t in range(2)]
    assert all(0.1 * SMALL.n_exc < a.size < 0.6 * SMALL.n_exc for a in active)  # about half are driven
    overlap = np.intersect1d(*active).size / min(a.size for a in active)
    assert overlap < 0.8  # different neurons in the two trials


def test_protocols_combine_and_repeat():
    p = net.load_item(0, 1.0) + net.readout(2.0) + net.periodic_readout(3.0, 4.0)
    assert len(p.stimuli) == 2 + 4  # pulses at 3.0, 3.3, 3.6, 3.9
    assert p.populations_loaded() == [0]
    assert p.change_times()[:4] == [1.0, pytest.approx(1.35), 2.0, 2.25]
    change = net.background_change(2.0, -1.0)
    assert change.stimuli[0].end == np.inf and change.change_times() == [2.0]
    with pytest.raises(ValueError, match="'fraction' parameter of Stimulus"):
        net.noise_pulse(0.0, fraction=0.0)
    with pytest.raises(TypeError, match="'other' parameter of Protocol.__add__"):
        p + 3


def test_a_protocol_per_trial_and_its_checks(small_net):
    protocols = [net.load_item(k, 0.05, duration=0.15, factor=1.3) for k in range(3)]
    r = net.simulate(SMALL, protocols, 0.2, n_trials=3, rng=4, network=small_net)
    on = r.t >= 0.05
    rates = r.rate[on][:, :, :3].mean(axis=0)  # (trial, population)
    assert np.all(np.argmax(rates, axis=1) == [0, 1, 2])
    with pytest.raises(ValueError, match="one per trial"):
        net.simulate(SMALL, protocols, 0.2, n_trials=2, network=small_net)
    with pytest.raises(ValueError, match="targets population 7"):
        net.simulate(SMALL, net.load_item(7, 0.1), 0.2, network=small_net)
    with pytest.raises(ValueError, match="'network' parameter of simulate"):
        net.simulate(SMALL, duration=0.1, network=net.connect(net.NetworkParams().scaled(500, c=0.2), rng=0))


def test_requests_too_large_are_refused_before_allocating():
    with pytest.raises(ValueError, match="GiB"):
        net.simulate(net.NetworkParams(), duration=1.0, n_trials=100_000, network=0)
    with pytest.raises(ValueError, match="'duration' parameter of simulate"):
        net.simulate(SMALL, duration=1e6, network=0)


def test_the_torch_engine_computes_the_same_spikes_without_noise(small_net):
    """Both engines draw the same initial potentials; without noise nothing else is random, and every operation is
    the same, in the same order: the spikes are identical."""
    quiet = SMALL.replace(sigma_exc=0.0, sigma_inh=0.0)
    protocol = net.load_item(0, 0.05) + net.readout(0.25)
    a = net.simulate(quiet, protocol, 0.3, n_trials=2, rng=5, network=small_net)
    b = net.simulate(quiet, protocol, 0.3, n_trials=2, rng=5, network=small_net, device="cpu")
    assert a.spike_ids.size > 500
    np.testing.assert_array_equal(a.spike_ids, b.spike_ids)
    np.testing.assert_array_equal(a.spike_times, b.spike_times)
    np.testing.assert_array_equal(a.spike_trials, b.spike_trials)
    np.testing.assert_allclose(b.u, a.u, rtol=0, atol=1e-12)  # population means: sums in another order
    np.testing.assert_allclose(b.ux, a.ux, rtol=0, atol=1e-12)


def test_the_torch_engine_agrees_statistically_with_noise(small_net):
    """With noise the two engines use different random numbers: the same rates and the same facilitation."""
    protocol = net.load_item(0, 0.2)
    a = net.simulate(SMALL, protocol, 0.8, n_trials=6, rng=6, network=small_net)
    b = net.simulate(SMALL, protocol, 0.8, n_trials=6, rng=6, network=small_net, device="cpu")
    late = a.t >= 0.1
    groups = {"cued": [0], "uncued": [1, 2, 3, 4], "non-selective": [5], "inhibitory": [6]}
    for name, cols in groups.items():
        ra, rb = a.rate[late][:, :, cols].mean(), b.rate[late][:, :, cols].mean()
        assert rb == pytest.approx(ra, rel=0.25, abs=0.2), name
    assert b.u[-1, :, 0].mean() == pytest.approx(a.u[-1, :, 0].mean(), abs=0.05)


def test_coincident_fraction_counts_bursts_taken_together():
    """Population 1 bursts with population 0 twice out of four times (within 30 ms), never in trial 1."""
    time = np.array([0.10, 0.50, 0.90, 0.11, 0.30, 0.52, 0.70, 1.00, 0.2, 0.4])
    trial = np.array([0, 0, 0, 0, 0, 0, 0, 0, 1, 1])
    population = np.array([0, 0, 0, 1, 1, 1, 1, 2, 0, 1])
    order = np.lexsort((time, trial))
    ps = net.PopulationSpikes(time[order], trial[order], population[order], np.full(10, 80.0), 2, 3)
    np.testing.assert_allclose(net.coincident_fraction(ps, 1, 0), [0.5, 0.0])
    np.testing.assert_allclose(net.coincident_fraction(ps, 1, 0, start=0.25), [1 / 3, 0.0])
    assert np.isnan(net.coincident_fraction(ps, 2, 0)[1])  # population 2 has no burst in trial 1
    with pytest.raises(ValueError, match="'partner'"):
        net.coincident_fraction(ps, 1, 1)
