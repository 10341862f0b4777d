"""The Tsodyks-Markram synapse: simulation against closed forms and the behaviour the papers report."""

import numpy as np
import pytest

from wmlib import synapse as syn
from wmlib.analysis import fit_exponential_decay

SETS = {"facilitating": syn.FACILITATING, "depressing": syn.DEPRESSING, "mbt08": syn.MBT08}
RATES = np.array([2.0, 5.0, 10.0, 20.0, 50.0, 100.0])


# --- regular trains: simulation == closed form ---------------------------------------------
@pytest.mark.parametrize("convention", ["U", "zero"])
@pytest.mark.parametrize("name", list(SETS))
def test_regular_train_reaches_closed_form_steady_state(name, convention):
    p = SETS[name].replace(u_rest=convention)
    res = syn.simulate_spikes(syn.regular_train(RATES, 600), p)  # all rates in one batched call
    ss = syn.steady_state_regular(RATES, p)
    for field in ("u_minus", "u_plus", "x_minus", "release", "I_plus"):
        np.testing.assert_allclose(getattr(res, field)[-1], getattr(ss, field), rtol=0, atol=1e-6, err_msg=field)


def test_first_spike_from_rest_depends_on_convention():
    one = np.array([0.1])
    U = 0.3
    r_zero = syn.simulate_spikes(one, syn.TMParams(U=U, u_rest="zero"))
    r_U = syn.simulate_spikes(one, syn.TMParams(U=U, u_rest="U"))
    assert r_zero.release[0] == pytest.approx(U)
    assert r_U.release[0] == pytest.approx(U * (2 - U))


def test_hand_computed_two_spikes():
    # u relaxes to 0 (TPM98): spike 1: u+ = U, x+ = 1 - U. After 0.1 s: u- = U e^{-0.1/tau_f},
    # x- = 1 - U e^{-0.1/tau_d}; spike 2: u+ = u- + U (1 - u-), release u+ x-.
    U, tf, td = 0.2, 0.5, 0.3
    res = syn.simulate_spikes(np.array([0.0, 0.1]), syn.TMParams(U=U, tau_f=tf, tau_d=td, u_rest="zero"))
    um = U * np.exp(-0.1 / tf)
    xm = 1 - U * np.exp(-0.1 / td)
    up = um + U * (1 - um)
    assert res.release[1] == pytest.approx(up * xm, abs=1e-14)
    assert res.x_plus[1] == pytest.approx(xm - up * xm, abs=1e-14)


# --- facilitation vs depression ----------------------------------------------------------------
@pytest.mark.parametrize("convention", ["U", "zero"])
def test_paired_pulse_ratio_facilitating_vs_depressing(convention):
    intervals = np.array([0.02, 0.05, 0.1])
    for dt in intervals:
        assert syn.paired_pulse_ratio(syn.FACILITATING.replace(u_rest=convention), dt) > 1.0
        assert syn.paired_pulse_ratio(syn.DEPRESSING.replace(u_rest=convention), dt) < 1.0


def test_release_grows_along_a_train_for_facilitation_and_shrinks_for_depression():
    train = syn.regular_train(20.0, 8)
    fac = syn.simulate_spikes(train, syn.FACILITATING.replace(u_rest="zero")).release
    dep = syn.simulate_spikes(train, syn.DEPRESSING).release
    assert np.all(np.diff(fac) > 0)
    assert np.all(np.diff(dep) < 0)


# --- memory in u after a burst -------------------------------------------------------------------
@pytest.mark.parametrize("convention", ["U", "zero"])
def test_u_decays_to_baseline_with_tau_f_after_a_burst(convention):
    p = syn.MBT08.replace(u_rest=convention)
    burst = syn.regular_train(50.0, 10)
    t = np.linspace(burst[-1] + 0.01, burst[-1] + 6.0, 200)
    res = syn.simulate_spikes(burst, p, t_eval=t)
    fit = fit_exponential_decay(t, res.u, baseline=p.u_inf)
    assert fit.tau == pytest.approx(p.tau_f, rel=1e-6)
    free = fit_exponential_decay(t, res.u)  # baseline fitted too
    assert free.baseline == pytest.approx(p.u_inf, abs=1e-6)
    # meanwhile x has recovered within a few tau_d
    assert res.x[np.searchsorted(t, burst[-1] + 5 * p.tau_d)] > 0.99


def test_probe_release_decays_with_tau_f_and_outlasts_depression():
    delays = np.linspace(1.0, 8.0, 36)
    pr = syn.probe_after_burst(syn.MBT08, delays)
    fit = fit_exponential_decay(delays, pr.release, baseline=float(pr.rest_release[0]))
    assert fit.tau == pytest.approx(1.5, rel=0.05)
    assert np.all(pr.release > pr.rest_release)  # the burst is still "remembered" up to 8 s
    # a synapse with short tau_f forgets within a second
    short = syn.probe_after_burst(syn.MBT08.replace(tau_f=0.1), np.array([1.0]))
    assert short.release[0] <= short.rest_release[0] + 1e-6


def test_probe_is_batched_over_parameters():
    tau_f = np.array([0.2, 1.5])
    delays = np.array([0.3, 1.0, 3.0])
    batched = syn.probe_after_burst(syn.MBT08.replace(tau_f=tau_f), delays)
    assert batched.release.shape == (3, 2)
    for j, tf in enumerate(tau_f):
        single = syn.probe_after_burst(syn.MBT08.replace(tau_f=float(tf)), delays)
        np.testing.assert_array_equal(batched.release[:, j], single.release)


# --- frequency dependence and the mean field --------------------------------------------------
def test_transmitted_rate_saturates_at_one_over_tau_d():
    p = syn.DEPRESSING.replace(u_rest="zero")
    high = np.array([200.0, 500.0, 1000.0])
    ss = syn.steady_state_regular(high, p)
    np.testing.assert_allclose(ss.release * high, 1.0 / p.tau_d, rtol=0.05)
    mf = syn.mean_field_fixed_point(1e4, p)
    assert mf.transmitted == pytest.approx(1.0 / p.tau_d, rel=1e-3)


@pytest.mark.parametrize("convention", ["U", "zero"])
def test_mean_field_fixed_point_is_a_fixed_point_and_the_rate_model_converges(convention):
    p = syn.MBT08.replace(u_rest=convention, dt=1e-4)
    rates = np.array([1.0, 10.0, 40.0])
    mf = syn.mean_field_fixed_point(rates, p)
    du = (p.u_inf - mf.u) / p.tau_f + p.U * (1 - mf.u) * rates
    dx = (1 - mf.x) / p.tau_d - mf.u * mf.x * rates
    np.testing.assert_allclose(du, 0, atol=1e-12)
    np.testing.assert_allclose(dx, 0, atol=1e-12)
    drive = np.broadcast_to(rates, (150_000, 3))  # 15 s at dt = 0.1 ms, all rates at once
    res = syn.simulate_rate(drive, p)
    np.testing.assert_allclose(res.u[-1], mf.u, rtol=1e-3)
    np.testing.assert_allclose(res.x[-1], mf.x, rtol=1e-3)


def test_mean_field_matches_poisson_monte_carlo_at_high_rates_only():
    p = syn.MBT08
    mc10 = syn.poisson_mean_release(10.0, p, 60.0, rng=1, n_trains=100)
    mc40 = syn.poisson_mean_release(40.0, p, 30.0, rng=1, n_trains=50)
    mc2 = syn.poisson_mean_release(2.0, p, 200.0, rng=1, n_trains=100)
    mf = syn.mean_field_fixed_point(np.array([2.0, 10.0, 40.0]), p).efficacy
    assert abs(mf[1] / mc10 - 1) < 0.1
    assert abs(mf[2] / mc40 - 1) < 0.1
    assert abs(mf[0] / mc2 - 1) > 0.1  # at 2 Hz the mean field neglects u+ vs u- and errs


# --- traces and batching ------------------------------------------------------------------------
def test_traces_agree_with_per_spike_values():
    spikes = syn.regular_train(10.0, 5)
    res = syn.simulate_spikes(spikes, syn.MBT08, t_eval=spikes)
    np.testing.assert_allclose(res.u, res.u_plus)
    np.testing.assert_allclose(res.x, res.x_plus)
    before = syn.simulate_spikes(spikes, syn.MBT08, t_eval=spikes - 1e-12)
    np.testing.assert_allclose(before.x[1:], res.x_minus[1:], atol=1e-9)
    rest = syn.simulate_spikes(spikes, syn.MBT08, t_eval=np.array([0.0 - 0.0, 10.0]))
    assert rest.x[-1] == pytest.approx(1.0, abs=1e-12)


def test_nan_padded_trains_equal_separate_runs():
    trains = syn.poisson_train(15.0, 2.0, rng=3, n_trains=4)
    batched = syn.simulate_spikes(trains, syn.MBT08, t_eval=np.linspace(0, 2, 50))
    for j in range(4):
        s = trains[:, j][~np.isnan(trains[:, j])]
        one = syn.simulate_spikes(s, syn.MBT08, t_eval=np.linspace(0, 2, 50))
        np.testing.assert_allclose(batched.release[: s.size, j], one.release)
        np.testing.assert_allclose(batched.u[:, j], one.u)


def test_poisson_trains_are_reproducible_and_have_the_right_rate():
    a = syn.poisson_train(20.0, 50.0, rng=7, n_trains=20)
    b = syn.poisson_train(20.0, 50.0, rng=7, n_trains=20)
    np.testing.assert_array_equal(a, b)
    counts = np.sum(~np.isnan(a), axis=0)
    assert counts.mean() == pytest.approx(1000, rel=0.05)


# --- bad input ----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "spikes,match",
    [
        (np.array([0.2, 0.1]), "sorted"),
        (np.array([-0.1, 0.1]), ">= 0"),
        (np.array([0.1, np.nan, 0.3]), "padding"),
        (np.array([]), "at least one spike"),
        (np.array([0.1, np.inf]), "finite"),
    ],
)
def test_simulate_spikes_rejects_bad_trains(spikes, match):
    with pytest.raises(ValueError, match=match):
        syn.simulate_spikes(spikes, syn.MBT08)


def test_bad_arguments_name_the_parameter():
    with pytest.raises(TypeError, match="'params' parameter must be a TMParams"):
        syn.simulate_spikes([0.1], {"U": 0.2})
    with pytest.raises(ValueError, match="'t_eval'"):
        syn.simulate_spikes([0.1], syn.MBT08, t_eval=np.array([np.nan]))
    with pytest.raises(ValueError, match="'rate' parameter of regular_train"):
        syn.regular_train(0.0, 3)
    with pytest.raises(TypeError, match="'n_spikes' parameter of regular_train must be an int"):
        syn.regular_train(10.0, 2.5)
    with pytest.raises(ValueError, match="'rate' parameter must hold finite rates"):
        syn.simulate_rate(np.array([1.0, -1.0]), syn.MBT08)
    with pytest.raises(ValueError, match="'rate' parameter must be an array with time on axis 0"):
        syn.simulate_rate(5.0, syn.MBT08)
    with pytest.raises(ValueError, match=r"'dt' parameter of TMParams must be a float in the range \(0, .*stable step"):
        syn.simulate_rate(np.full(10, 5000.0), syn.MBT08.replace(dt=1e-3))
    with pytest.raises(ValueError, match="'rate' parameter of steady_state_regular"):
        syn.steady_state_regular(-1.0, syn.MBT08)
    with pytest.raises(ValueError, match="'interval' parameter of paired_pulse_ratio"):
        syn.paired_pulse_ratio(syn.MBT08, 0.0)
    with pytest.raises(ValueError, match="'delays' parameter of probe_after_burst"):
        syn.probe_after_burst(syn.MBT08, [0.0, 1.0])
    with pytest.raises(ValueError, match="'burn_in' parameter of poisson_mean_release"):
        syn.poisson_mean_release(10.0, syn.MBT08, duration=1.0, rng=0)
    with pytest.raises(ValueError, match="single synapse"):
        syn.poisson_mean_release(10.0, syn.MBT08.replace(U=np.array([0.1, 0.2])), 20.0, rng=0)
    with pytest.raises(ValueError, match="'rng' parameter"):
        syn.poisson_train(10.0, 1.0, rng=None)
