"""The cluster rate model of Mi, Katkov & Tsodyks (2017): simulation and the behaviour it must show."""

import numpy as np
import pytest

from wmlib import capacity as cap


def test_gain_is_softplus_and_overflow_safe():
    h = np.array([-5.0, 0.0, 3.0])
    np.testing.assert_allclose(cap.gain(h, 1.5), 1.5 * np.log1p(np.exp(h / 1.5)), rtol=1e-12)
    with np.errstate(over="raise"):
        big = cap.gain(np.array([1e4, -1e4]), 1.5)
    assert big[0] == pytest.approx(1e4) and 0.0 <= big[1] < 1e-100


@pytest.mark.parametrize("kwargs, match", [
    ({"U": 0.0}, "'U' parameter of ClusterParams"),
    ({"tau_d": -1.0}, "'tau_d' parameter"),
    ({"n_clusters": 0}, "'n_clusters' parameter"),
    ({"dt": 0.005}, "'dt' parameter of ClusterParams"),
    ({"I_b": np.nan}, "'I_b' parameter"),
])
def test_bad_parameters(kwargs, match):
    with pytest.raises(ValueError, match=match):
        cap.ClusterParams(**kwargs)


def test_bad_simulation_arguments():
    p = cap.ClusterParams(n_clusters=4)
    with pytest.raises(ValueError, match="'rng' parameter is required"):
        cap.simulate(p.replace(noise=1.0), cap.LoadingProtocol(n_items=1), 0.01)
    with pytest.raises(ValueError, match="'order' parameter"):
        cap.simulate(p, cap.LoadingProtocol(n_items=2), 0.01, order=[0, 7])
    with pytest.raises(ValueError, match="'duration' parameter"):
        cap.simulate(p, duration=0.0)
    with pytest.raises(TypeError, match="ClusterParams"):
        cap.simulate({"I_b": 8})
    with pytest.raises(ValueError, match="'n_items' parameter"):
        cap.LoadingProtocol(n_items=-1)


def test_batched_run_equals_separate_runs():
    p = cap.ClusterParams(I_b=np.array([3.5, 8.0]), n_clusters=6)
    both = cap.simulate(p, cap.LoadingProtocol(n_items=3), duration=0.6)
    for i, ib in enumerate((3.5, 8.0)):
        one = cap.simulate(p.replace(I_b=ib), cap.LoadingProtocol(n_items=3), duration=0.6)
        np.testing.assert_array_equal(both.h[:, i], one.h)
        np.testing.assert_array_equal(both.u[:, i], one.u)


def test_noise_is_seeded():
    p = cap.ClusterParams(n_clusters=4, noise=2.0)
    a = cap.simulate(p, cap.LoadingProtocol(n_items=2), 0.3, n_trials=3, rng=1)
    b = cap.simulate(p, cap.LoadingProtocol(n_items=2), 0.3, n_trials=3, rng=1)
    np.testing.assert_array_equal(a.h, b.h)
    assert a.h.shape[1:] == (3, 4) and not np.array_equal(a.h[-1, 0], a.h[-1, 1])


def test_population_spikes_detects_upward_crossings():
    t = np.arange(6.0)
    assert cap.population_spikes(t, np.array([0, 30, 0, 0, 25, 50]), threshold=20) == [1.0, 4.0]
    with pytest.raises(ValueError, match="time on axis 0"):
        cap.population_spikes(t, np.zeros(5))


@pytest.fixture(scope="module")
def five_items():
    """5 items, BrainPy parameters, I_b = 8 (kept: 5) and 3.5 (kept: 4), 4 s."""
    p = cap.ClusterParams(I_b=np.array([8.0, 3.5]))
    return cap.simulate(p, cap.LoadingProtocol(n_items=5), duration=4.0)


def test_loaded_items_are_held_by_alternating_population_spikes(five_items):
    """With the public parameters all 5 items survive (capacity 5-6 with this protocol, see the digest)."""
    active = cap.active_clusters(five_items, window=1.0)
    np.testing.assert_array_equal(active[0], np.arange(16) < 5)
    spikes = cap.population_spikes(five_items.t, five_items.rate[:, 0, :5])
    t_max = 0.3 * np.log((1.5 / 0.3) / (1 - 0.3))  # T_max, eq. 5: the PS period must stay below it
    last = np.array([s[-1] for s in spikes])
    periods = np.concatenate([np.diff(s)[-3:] for s in spikes])
    assert periods.max() < t_max
    # the five clusters take turns: their last spikes are spread over one period
    gaps = np.diff(np.sort(last))
    assert gaps.min() > 0.03


def test_five_loaded_items_leave_four_at_lower_background(five_items):
    active = cap.active_clusters(five_items, window=1.0)
    assert active[1].sum() == 4 and active[1][:4].all()


def test_no_item_survives_without_enough_background():
    p = cap.ClusterParams(I_b=np.array([2.0, 2.8]))
    assert (cap.capacity(p, n_items=5, duration=2.0) == 0).all()
