r"""Statistics across networks (or animals, or sessions): mean and standard error, correlations, group comparisons.

Masse et al. (2019) report every network-level result as a mean over 20 networks with its standard error
(:math:`\mathrm{SEM} = s / \sqrt{n}`, :math:`s` the standard deviation with :math:`n - 1`), relate two per-network
quantities by Pearson's (or, across conditions, Spearman's) correlation coefficient with its two-sided P value, and
compare two sets of networks with a t-test (paired when the same networks give both values).  These are thin,
checked wrappers of :mod:`scipy.stats`, returning named results.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .._validation import Boolean, Options, check_array, validate_params

__all__ = ["Summary", "summarize", "Correlation", "correlate", "Comparison", "compare"]


def _values(owner, name, values, minimum):
    arr = check_array(owner, name, values, ndim=1)
    if arr.size < minimum:
        raise ValueError(f"The {name!r} parameter of {owner} needs at least {minimum} values. Got {arr.size} instead.")
    return arr


class Summary(NamedTuple):
    """Output of :func:`summarize`."""

    mean: float
    sem: float  #: standard error of the mean (NaN for a single value)
    n: int


def summarize(values) -> Summary:
    """Mean, standard error of the mean (:func:`scipy.stats.sem`, ``ddof=1``) and number of finite ``values``."""
    from scipy import stats

    arr = _values("summarize", "values", values, 1)
    sem = float(stats.sem(arr)) if arr.size > 1 else float("nan")
    return Summary(float(arr.mean()), sem, int(arr.size))


class Correlation(NamedTuple):
    """Output of :func:`correlate`."""

    r: float  #: correlation coefficient
    p: float  #: two-sided P value (``alternative`` of :func:`correlate`)
    n: int
    method: str


def correlate(x, y, method: str = "pearson", alternative: str = "two-sided") -> Correlation:
    """Pearson's or Spearman's correlation between paired values ``x`` and ``y`` (:mod:`scipy.stats`).

    At least three pairs are needed, and neither ``x`` nor ``y`` may be constant (the coefficient is undefined).
    """
    from scipy import stats

    validate_params("correlate", {"method": method, "alternative": alternative},
                    {"method": Options(("pearson", "spearman")),
                     "alternative": Options(("two-sided", "greater", "less"))})
    x, y = _values("correlate", "x", x, 3), _values("correlate", "y", y, 3)
    if x.shape != y.shape:
        raise ValueError(f"The 'x' and 'y' parameters of correlate must have the same length (paired values). "
                         f"Got {x.size} and {y.size} instead.")
    for name, v in (("x", x), ("y", y)):
        if np.ptp(v) == 0:
            raise ValueError(f"The {name!r} parameter of correlate is constant ({v[0]!r}): its correlation with "
                             f"anything is undefined.")
    fn = stats.pearsonr if method == "pearson" else stats.spearmanr
    res = fn(x, y, alternative=alternative)
    return Correlation(float(res.statistic), float(res.pvalue), int(x.size), method)


class Comparison(NamedTuple):
    """Output of :func:`compare`."""

    difference: float  #: mean of a minus mean of b
    t: float  #: t statistic
    p: float  #: P value for ``alternative``
    n_a: int
    n_b: int
    paired: bool


def compare(a, b, paired: bool = False, alternative: str = "two-sided") -> Comparison:
    """t-test of ``a`` against ``b``: paired (:func:`scipy.stats.ttest_rel`, the same networks measured twice) or
    independent with unequal variances (Welch, :func:`scipy.stats.ttest_ind`).  ``alternative="greater"``: a > b."""
    from scipy import stats

    validate_params("compare", {"paired": paired, "alternative": alternative},
                    {"paired": Boolean(), "alternative": Options(("two-sided", "greater", "less"))})
    a, b = _values("compare", "a", a, 2), _values("compare", "b", b, 2)
    if paired and a.shape != b.shape:
        raise ValueError(f"The 'a' and 'b' parameters of compare must have the same length when paired=True. "
                         f"Got {a.size} and {b.size} instead.")
    def flat(v):  # no spread beyond rounding
        return np.ptp(v) <= 1e-9 * max(1.0, float(np.abs(v).max()))

    if (paired and flat(a - b)) or (not paired and flat(a) and flat(b)):
        raise ValueError("The 'a' and 'b' parameters of compare have no spread to test against (the differences are "
                         "all equal): the t statistic is undefined.")
    res = stats.ttest_rel(a, b, alternative=alternative) if paired else stats.ttest_ind(
        a, b, equal_var=False, alternative=alternative)
    return Comparison(float(a.mean() - b.mean()), float(res.statistic), float(res.pvalue), int(a.size), int(b.size),
                      bool(paired))
