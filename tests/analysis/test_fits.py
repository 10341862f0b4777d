import numpy as np
import pytest

from wmlib.analysis import fit_exponential_decay


@pytest.mark.parametrize("tau,a,b", [(0.3, 1.0, 0.0), (1.5, -0.4, 0.2), (5.0, 2.0, -1.0)])
def test_recovers_known_parameters(tau, a, b):
    t = np.linspace(0.0, 4 * tau, 60)
    fit = fit_exponential_decay(t, b + a * np.exp(-t / tau))
    assert fit.tau == pytest.approx(tau, rel=1e-6)
    assert fit.amplitude == pytest.approx(a, rel=1e-6)
    assert fit.baseline == pytest.approx(b, abs=1e-6)


def test_time_origin_and_noise():
    rng = np.random.default_rng(0)
    t = np.linspace(2.0, 10.0, 200)
    y = 0.5 * np.exp(-t / 2.0) + 0.001 * rng.standard_normal(t.size)
    fit = fit_exponential_decay(t, y, baseline=0.0)
    assert fit.tau == pytest.approx(2.0, rel=0.03)
    assert fit.amplitude == pytest.approx(0.5, rel=0.05)
    assert fit.tau_stderr < 0.05


def test_bad_input():
    with pytest.raises(ValueError, match="equal length"):
        fit_exponential_decay([0, 1, 2], [1, 2])
    with pytest.raises(ValueError, match="at least 3 distinct"):
        fit_exponential_decay([0, 0, 1], [1, 1, 0.5])
    with pytest.raises(ValueError, match="finite"):
        fit_exponential_decay([0, 1, 2], [1, np.nan, 0.5])
