"""Statistics across networks: the wrappers give scipy's numbers and refuse what has no answer."""

import numpy as np
import pytest
from scipy import stats

from wmlib.analysis import compare, correlate, summarize


def test_summary_is_the_mean_and_standard_error():
    values = [0.2, 0.4, 0.9, 0.5]
    s = summarize(values)
    assert s.mean == pytest.approx(0.5) and s.n == 4
    assert s.sem == pytest.approx(np.std(values, ddof=1) / 2)
    assert np.isnan(summarize([0.3]).sem)


def test_correlations_are_scipys_and_see_a_monotone_relation():
    rng = np.random.default_rng(0)
    x = rng.uniform(size=20)
    y = np.exp(4 * x) + 0.01 * rng.normal(size=20)  # monotone, not linear
    p = correlate(x, y)
    assert (p.r, p.p) == pytest.approx(tuple(stats.pearsonr(x, y)))
    s = correlate(x, y, method="spearman")
    assert s.r == pytest.approx(1.0) and s.r > p.r and s.method == "spearman" and s.n == 20
    assert correlate(x, -y, alternative="less").p < 1e-6


def test_correlation_refuses_constant_or_unpaired_values():
    with pytest.raises(ValueError, match="'y' parameter of correlate is constant"):
        correlate([1, 2, 3], [5, 5, 5])
    with pytest.raises(ValueError, match="same length"):
        correlate([1, 2, 3], [1, 2, 3, 4])
    with pytest.raises(ValueError, match="at least 3"):
        correlate([1, 2], [2, 1])


def test_paired_and_independent_comparisons():
    a = np.array([0.45, 0.50, 0.38, 0.61, 0.40])
    b = a - np.array([0.05, 0.12, 0.02, 0.08, 0.10])
    paired = compare(a, b, paired=True, alternative="greater")
    assert paired.p == pytest.approx(stats.ttest_rel(a, b, alternative="greater").pvalue)
    assert paired.difference == pytest.approx(0.074) and paired.paired
    welch = compare(a, b)
    assert welch.p == pytest.approx(stats.ttest_ind(a, b, equal_var=False).pvalue)
    assert paired.p < welch.p  # pairing removes the spread between networks
    with pytest.raises(ValueError, match="no spread"):
        compare(a, a - 0.1, paired=True)
