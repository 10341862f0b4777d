"""Direction tuning, tuning similarity and the manipulation index (Masse et al. 2019, Methods and Fig. 7)."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.linear_model import LinearRegression

from wmlib.analysis import direction_tuning, manipulation_index, tuning_similarity

DIRECTIONS = np.arange(8) * np.pi / 4  # the paper's eight motion directions


def _cosine_units(preferred, amplitude, baseline, n_rep=16, noise=0.0, rng=0, steps=1):
    """(steps, 8 n_rep, N) responses baseline + amplitude cos(theta - preferred) (+ Gaussian noise)."""
    theta = np.tile(DIRECTIONS, n_rep)
    z = baseline + amplitude * np.cos(theta[:, None] - np.asarray(preferred)[None, :])
    z = np.broadcast_to(z, (steps, *z.shape)).copy()
    z += noise * np.random.default_rng(rng).normal(size=z.shape)
    return z, theta


@settings(max_examples=40, deadline=None)
@given(st.lists(st.floats(-np.pi + 1e-3, np.pi), min_size=1, max_size=6),
       st.floats(0.1, 5.0), st.floats(-3.0, 3.0))
def test_noise_free_cosine_tuning_is_recovered_exactly(preferred, amplitude, baseline):
    z, theta = _cosine_units(preferred, amplitude, baseline)
    tun = direction_tuning(z, theta)
    np.testing.assert_allclose(tun.pev, 1.0, atol=1e-9)
    np.testing.assert_allclose(tun.amplitude, amplitude, rtol=1e-9)
    np.testing.assert_allclose(np.angle(np.exp(1j * (tun.preferred - np.asarray(preferred)))), 0.0, atol=1e-9)
    np.testing.assert_allclose(tun.weights[..., 0], baseline, atol=1e-9)


def test_pev_is_the_r2_of_a_linear_regression_on_cos_and_sin():
    rng = np.random.default_rng(1)
    z, theta = _cosine_units(rng.uniform(-np.pi, np.pi, 5), 0.5, 1.0, n_rep=12, noise=1.0, rng=2, steps=3)
    tun = direction_tuning(z, theta)
    x = np.stack([np.cos(theta), np.sin(theta)], axis=1)
    for t in range(3):
        for i in range(5):
            assert tun.pev[t, i] == pytest.approx(LinearRegression().fit(x, z[t, :, i]).score(x, z[t, :, i]), abs=1e-10)


def test_untuned_and_constant_units():
    rng = np.random.default_rng(3)
    theta = np.tile(DIRECTIONS, 200)
    z = np.stack([rng.normal(size=theta.size), np.full(theta.size, 0.7)], axis=1)[None]  # noise, constant
    tun = direction_tuning(z, theta)
    assert tun.pev[0, 0] < 0.01 and tun.defined[0, 0]  # pure noise explains ~2/B of its variance
    assert not tun.defined[0, 1] and tun.pev[0, 1] == 0.0 and tun.amplitude[0, 1] == 0.0


def test_noise_lowers_the_explained_variance_as_expected():
    """For z = a cos(theta - phi) + noise, PEV -> (a^2/2) / (a^2/2 + sigma^2)."""
    z, theta = _cosine_units([0.3, 1.2], 1.0, 0.0, n_rep=2000, noise=1.0, rng=4)
    np.testing.assert_allclose(direction_tuning(z, theta).pev, 1 / 3, atol=0.02)


def test_fewer_than_three_directions_are_refused():
    with pytest.raises(ValueError, match="'angles'"):
        direction_tuning(np.zeros((1, 4, 2)) + np.arange(4)[None, :, None], np.array([0.0, np.pi, 2 * np.pi, np.pi]))


def test_similarity_is_one_for_the_same_tuning_minus_one_for_the_opposite_and_zero_for_orthogonal():
    rng = np.random.default_rng(5)
    pev, pref = rng.uniform(0.1, 1.0, 50), rng.uniform(-np.pi, np.pi, 50)
    assert tuning_similarity(pev, pref, pev, pref) == pytest.approx(1.0)
    assert tuning_similarity(pev, pref, pev, pref + np.pi) == pytest.approx(-1.0)
    assert tuning_similarity(pev, pref, pev, pref + np.pi / 2) == pytest.approx(0.0, abs=1e-12)
    assert tuning_similarity(pev, pref, np.zeros(50), pref) == 0.0  # nothing tuned in b: nothing similar
    # broadcasting over steps: a (T, N) tuning against one (N,) tuning
    many = tuning_similarity(np.stack([pev, pev]), np.stack([pref, pref + np.pi]), pev, pref)
    np.testing.assert_allclose(many, [1.0, -1.0])


def test_similarity_weights_well_tuned_units_more():
    pref_a = np.zeros(2)
    pref_b = np.array([0.0, np.pi])  # unit 0 agrees, unit 1 is reversed
    assert tuning_similarity([0.9, 0.1], pref_a, [0.9, 0.1], pref_b) == pytest.approx((0.9 - 0.1) / 1.0)


def _tuning_from(pref, steps=4):
    """A Tuning with the given preferred directions at every step (from noise-free cosines: PEV 1)."""
    z, theta = _cosine_units(pref, 1.0, 0.0, n_rep=4, steps=steps)
    return direction_tuning(z, theta)


def test_manipulation_index_of_kept_moved_and_reversed_memories():
    """0 when facilitating synapses copy the sample and depressing ones invert it; 1 when both copy it (no net
    memory of the sample's direction once the sign of depression is accounted for); 2 when reversed."""
    rng = np.random.default_rng(6)
    pref = rng.uniform(-np.pi, np.pi, 20)
    fac = np.arange(20) % 2 == 0  # even units facilitate, as in the paper's network
    neural = _tuning_from(pref)
    kept = _tuning_from(np.where(fac, pref, pref + np.pi))
    both = _tuning_from(pref)
    reversed_ = _tuning_from(np.where(fac, pref + np.pi, pref))
    steps = [0, 1]
    assert manipulation_index(neural, kept, steps, [2, 3], fac) == pytest.approx(0.0, abs=1e-9)
    assert manipulation_index(neural, both, steps, [2, 3], fac) == pytest.approx(1.0, abs=1e-9)
    assert manipulation_index(neural, reversed_, steps, [2, 3], fac) == pytest.approx(2.0, abs=1e-9)
    rotated = _tuning_from(np.where(fac, pref + np.pi / 2, pref - np.pi / 2))  # the rotated sample of DMRS90
    assert manipulation_index(neural, rotated, steps, [2, 3], fac) == pytest.approx(1.0, abs=1e-9)


def test_manipulation_index_needs_both_groups():
    t = _tuning_from(np.zeros(4))
    with pytest.raises(ValueError, match="'facilitating'"):
        manipulation_index(t, t, [0], [1], np.ones(4, dtype=bool))
    with pytest.raises(TypeError, match="'facilitating'"):
        manipulation_index(t, t, [0], [1], np.ones(4))


def test_networks_that_rotate_the_sample_have_a_higher_manipulation_index():
    """Masse et al. (2019), Fig. 7: DMS networks keep the sample in their synapses as it came in (index near 0);
    DMRS90 networks, which must report the sample rotated by 90 degrees, move it (higher index), in every network."""
    pytest.importorskip("torch")
    from wmlib import rnn

    def index(task, seed):
        rec = rnn.record(rnn.load_pretrained(task, seed), task, n_trials=512, rng=0, test_mode=True)
        theta = rec.trial.info["sample"] * 2 * np.pi / 8
        (s0, _), (_, d1) = rec.trial.epochs["sample"], rec.trial.epochs["delay"]
        steps = int(round(100 / rec.trial.dt_ms))  # 100 ms
        fac = np.arange(rec.h.shape[2]) % 2 == 0
        return manipulation_index(direction_tuning(rec.h, theta), direction_tuning(rec.efficacy, theta),
                                  np.arange(s0, s0 + steps), np.arange(d1 - steps, d1), fac)

    dms = [index("DMS", s) for s in range(5)]
    dmrs = [index("DMRS90", s) for s in range(5)]
    assert max(dms) < min(dmrs) and max(dms) < 0.2


def test_category_tuning_index():
    """+1 for a unit that sees only the category, higher for cosine tuning centred on a category than on its
    boundary (where directions of one category differ most), 0 for a unit that does not vary."""
    from wmlib.analysis import category_tuning_index

    cat = (np.arange(8) >= 4).astype(int)  # the DMC categories: directions 0-135 and 180-315 degrees
    step = np.stack([cat, 1 - cat, 3.0 * cat + 2]).astype(float)
    np.testing.assert_allclose(category_tuning_index(step, cat, DIRECTIONS), 1.0)
    centre, boundary = (np.cos(DIRECTIONS - np.deg2rad(d)) for d in (67.5, 157.5))
    index = category_tuning_index(np.stack([centre, boundary]), cat, DIRECTIONS)
    assert index[0] > 0.5 and index[1] < 0 and index[0] > index[1]
    assert category_tuning_index(np.full(8, 0.4), cat, DIRECTIONS) == 0.0
    with pytest.raises(ValueError, match="'categories'"):
        category_tuning_index(centre, np.zeros(8, dtype=int), DIRECTIONS)  # one category: no between pairs


def test_dmc_networks_hold_the_category_in_their_synapses():
    """At the end of the delay, the synaptic efficacy of DMC networks is category tuned (mean CTI over units well
    above 0), that of DMS networks is not (near 0), in every shipped network."""
    pytest.importorskip("torch")
    from wmlib import rnn
    from wmlib.analysis import category_tuning_index

    def mean_cti(task, seed):
        rec = rnn.record(rnn.load_pretrained(task, seed), task, n_trials=512, rng=0, test_mode=True)
        end = rec.trial.epochs["delay"][1]
        last = slice(end - int(round(100 / rec.trial.dt_ms)), end)  # the last 100 ms of the delay
        sample = rec.trial.info["sample"]
        means = np.stack([rec.efficacy[last, sample == k].mean(axis=(0, 1)) for k in range(8)], axis=-1)
        return float(category_tuning_index(means, np.arange(8) >= 4, DIRECTIONS).mean())

    dmc = [mean_cti("DMC", s) for s in range(5)]
    dms = [mean_cti("DMS", s) for s in range(5)]
    assert min(dmc) > 0.1 > max(np.abs(dms))
