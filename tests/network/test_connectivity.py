"""The synapses of the Mongillo-Barak-Tsodyks network: in-degrees, efficacies, delays, storage by presynaptic neuron."""

import numpy as np
import pytest

from wmlib import network as net


@pytest.fixture(scope="module")
def small():
    params = net.NetworkParams().scaled(2000, c=0.2)  # 1600 E (5 populations of 160), 400 I
    return params, net.connect(params, rng=0)


def _inputs(conn, post):
    """(sources, weights) of the synapses onto neuron ``post``."""
    onto = conn.target == post
    return conn.sources()[onto], conn.weight[onto]


def test_the_scaled_network_keeps_every_neurons_inputs():
    full, small = net.NetworkParams(), net.NetworkParams().scaled(4000)
    assert (small.n_exc, small.n_inh, small.pop_size, small.c) == (3200, 800, 320, 0.5)
    for name in ("J_b", "J_p", "J_IE", "J_EI", "J_II"):  # same in-degree, same efficacies
        assert getattr(small, name) == getattr(full, name)
    assert net.connect(small, rng=0).n_synapses / small.n_neurons == 2000 == full.c * full.n_neurons
    assert small.scaled(2500).c == pytest.approx(full.scaled(2500).c) == 0.8  # scaling a scaled network
    with pytest.raises(ValueError, match="'n_neurons' parameter of NetworkParams.scaled .* give 'c'"):
        full.scaled(1000)  # would need c = 2


def test_a_scaled_network_with_a_given_c_keeps_the_mean_input():
    full, small = net.NetworkParams(), net.NetworkParams().scaled(2000, c=0.2)
    assert (small.n_exc, small.n_inh, small.pop_size) == (1600, 400, 160)
    for name in ("J_b", "J_p", "J_IE", "J_EI", "J_II"):  # c * N * J is kept
        assert small.c * small.n_neurons * getattr(small, name) == pytest.approx(full.c * full.n_neurons * getattr(full, name))
    assert small.scaled(1000, c=0.2).J_p == pytest.approx(full.scaled(1000, c=0.2).J_p)


def test_in_degrees_and_efficacies_follow_the_rule(small):
    """Onto a neuron of population 0: 32 potentiated from its own population, 32 at baseline from each other one,
    144 baseline + 16 potentiated from the 800 non-selective neurons, 80 inhibitory; onto an inhibitory neuron:
    320 excitatory and 80 inhibitory."""
    p, conn = small
    pops = p.populations()
    src, w = _inputs(conn, pops[0][5])
    assert np.sum(np.isin(src, pops[0]) & (w == np.float32(p.J_p))) == 32
    for k in range(1, 5):
        assert np.sum(np.isin(src, pops[k]) & (w == np.float32(p.J_b))) == 32
    rest = (src >= 800) & (src < p.n_exc)
    assert np.sum(rest & (w == np.float32(p.J_b))) == 144 and np.sum(rest & (w == np.float32(p.J_p))) == 16
    assert np.sum((src >= p.n_exc) & (w == np.float32(-p.J_EI))) == 80
    assert src.size == 32 * 5 + 160 + 80
    src, w = _inputs(conn, 1200)  # non-selective: baseline from every population
    assert all(np.sum(np.isin(src, pops[k]) & (w == np.float32(p.J_b))) == 32 for k in range(5))
    src, w = _inputs(conn, p.n_exc + 7)  # inhibitory
    assert np.sum((src < p.n_exc) & (w == np.float32(p.J_IE))) == 320
    assert np.sum((src >= p.n_exc) & (w == np.float32(-p.J_II))) == 80


def test_storage_by_presynaptic_neuron_and_delays(small):
    p, conn = small
    assert conn.indptr[0] == 0 and conn.indptr[-1] == conn.n_synapses == 2000 * 400
    assert np.all(np.diff(conn.indptr) >= 0)
    src = conn.sources()
    assert np.all(np.diff(src) >= 0)
    np.testing.assert_array_equal(np.bincount(conn.target, minlength=p.n_neurons), 400)  # fixed in-degree
    assert conn.delay.min() == 1 and conn.delay.max() == 10  # 0.1 to 1 ms in steps of 0.1 ms
    inhibitory = src >= p.n_exc
    assert np.all(conn.weight[inhibitory] < 0) and np.all(conn.weight[~inhibitory] > 0)
    # potentiated E->E synapses come from a population onto itself, or from non-selective neurons
    pot = conn.weight == np.float32(p.J_p)
    own = (src[pot] // 160 == conn.target[pot] // 160) & (src[pot] < 800)
    assert np.all(own | (src[pot] >= 800))


def test_the_same_seed_gives_the_same_network():
    p = net.NetworkParams(n_exc=400, n_inh=100)
    a, b, c = net.connect(p, rng=3), net.connect(p, rng=3), net.connect(p, rng=4)
    for x, y in zip(a, b):
        np.testing.assert_array_equal(x, y)
    assert not np.array_equal(a.target, c.target)


def test_overlapping_populations_get_the_potentiated_input_of_both():
    p = net.NetworkParams(overlap=0.5).scaled(2000, c=0.2)  # populations of 160 starting every 80 neurons
    pops = p.populations()
    assert pops[1][0] == 80 and np.intersect1d(pops[0], pops[1]).size == 80
    conn = net.connect(p, rng=0)
    src, w = _inputs(conn, 100)  # in populations 0 and 1
    selective = src < pops[-1][-1] + 1
    assert np.sum(selective & (w == np.float32(p.J_p))) == 2 * 32


@pytest.mark.parametrize("changes, match", [
    ({"n_pop": 11}, "'n_pop' parameter"),  # 11 populations of 800 do not fit in 8000 neurons
    ({"dt": 2e-4}, "'dt' parameter"),  # longer than the shortest delay
    ({"v_reset_exc": 20.0}, "'v_reset_exc' parameter"),
    ({"delay_max": 5e-5}, "'delay_max' parameter"),
    ({"f": 1e-5}, "'f' parameter"),
])
def test_inconsistent_parameters_are_refused(changes, match):
    with pytest.raises(ValueError, match=match):
        net.NetworkParams(**changes)


def test_a_network_too_large_for_memory_is_refused_before_allocating():
    with pytest.raises(ValueError, match="GiB"):
        net.connect(net.NetworkParams(n_exc=4_000_000, n_inh=1_000_000), rng=0)
    with pytest.raises(ValueError, match="'n_neurons' parameter"):
        net.NetworkParams().scaled(10)
