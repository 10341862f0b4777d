import numpy as np
import pytest

from wmlib import behaviour as bh


@pytest.mark.parametrize("capacity", [2.0, 3.5, 4.0])
def test_cowan_k_recovers_the_capacity_of_a_slot_observer(capacity):
    sizes = np.array([1, 2, 4, 6, 8, 12])
    res = bh.simulate_change_detection(sizes, capacity, n_trials=20_000, rng=0)
    expected = np.minimum(sizes, capacity)
    np.testing.assert_allclose(res.k_estimate, expected, atol=0.25)  # sd of K at N=12: ~0.06
    # below capacity the observer is perfect; above, K plateaus at the capacity
    assert np.all(res.hit_rate[sizes <= capacity] == 1.0)
    assert np.all(res.false_alarm_rate[sizes <= capacity] == 0.0)


def test_change_detection_formulas_exactly():
    # expected rates: H = p + (1-p) g, F = (1-p) g with p = K/N
    N, K, g = 8, 4, 0.3
    assert bh.cowan_k(0.5 + 0.5 * g, 0.5 * g, N) == pytest.approx(K)


def test_change_detection_is_reproducible():
    a = bh.simulate_change_detection([2, 6], 3, 100, rng=5)
    b = bh.simulate_change_detection([2, 6], 3, 100, rng=5)
    np.testing.assert_array_equal(a.hit_rate, b.hit_rate)


def test_nback_sequence_targets():
    seq = bh.nback_sequence(5000, 3, rng=1, n_stimuli=6, p_target=0.25)
    assert not seq.is_target[:3].any()
    np.testing.assert_array_equal(seq.is_target[3:], seq.stimuli[3:] == seq.stimuli[:-3])
    assert seq.is_target[3:].mean() == pytest.approx(0.25, abs=0.02)
    assert seq.stimuli.min() >= 0 and seq.stimuli.max() < 6


def test_slot_observer_fails_when_n_exceeds_capacity():
    seq = bh.nback_sequence(2000, 3, rng=2)
    good = bh.score_nback(seq, bh.slot_observer_nback(seq, capacity=3, rng=0))
    bad = bh.score_nback(seq, bh.slot_observer_nback(seq, capacity=2, rng=0))
    assert good.accuracy == 1.0 and good.hit_rate == 1.0 and good.false_alarm_rate == 0.0
    assert abs(bad.d_prime) < 0.3  # guessing: no sensitivity
    assert good.d_prime > 3


def test_bad_input():
    with pytest.raises(ValueError, match="'capacity' parameter of simulate_change_detection"):
        bh.simulate_change_detection([2], -1, 10, 0)
    with pytest.raises(ValueError, match="'set_sizes' parameter"):
        bh.simulate_change_detection([0, 2], 2, 10, 0)
    with pytest.raises(ValueError, match="'hit_rate' parameter of cowan_k"):
        bh.cowan_k(1.2, 0.1, 4)
    with pytest.raises(ValueError, match="'length' parameter of nback_sequence"):
        bh.nback_sequence(2, 2, 0)
    with pytest.raises(ValueError, match="'n_stimuli' parameter"):
        bh.nback_sequence(10, 2, 0, n_stimuli=1)
    seq = bh.nback_sequence(10, 2, 0)
    with pytest.raises(ValueError, match="'responses' parameter of score_nback"):
        bh.score_nback(seq, np.zeros(9, bool))
