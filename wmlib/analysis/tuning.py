r"""Direction tuning of units, the similarity of two tunings, and the manipulation index (Masse et al. 2019).

**Tuning** (Methods, "Tuning"): at every time step and for every unit, the response :math:`z` across trials (the
activity ``h`` of a neuron, or the efficacy ``u*x`` of its synapses) is regressed on the direction :math:`\theta` of
the stimulus by least squares,

.. math::  z = w_0 + w_c \cos\theta + w_s \sin\theta + \varepsilon,

and summarised by the *percent explained variance* :math:`\mathrm{PEV} = 1 - \mathrm{MSE}/\mathrm{Var}(z)` (the
:math:`R^2` of the fit, between 0 and 1) and the *preferred direction* :math:`\arctan_2(w_s, w_c)`.

**Tuning similarity** (Methods, Fig. 5): unit i contributes the cosine between its preferred directions in two
tunings a and b, weighted by how well both fits explain it,

.. math::  S = \frac{\sum_i \sqrt{w_i^a w_i^b}\,\cos(\phi_i^a - \phi_i^b)}{\sum_i \sqrt{w_i^a w_i^b}},

with :math:`w_i` the PEV and :math:`\phi_i` the preferred direction: +1 when every unit prefers the same direction
in both, 0 when the directions are unrelated, -1 when they are opposite.

**Manipulation index** (Fig. 7): how far the synaptic tuning at the end of the delay has moved from the neuronal
tuning at the start of the sample.  Each unit's tuning is the complex number
:math:`n_i = \sqrt{10^{-9} + \mathrm{PEV}_i}\,e^{i\phi_i}`, averaged over the chosen steps (the first 100 ms of the
sample for activity, the last 100 ms of the delay for efficacy, :math:`s_i`).  For each group g of synapses,
:math:`c_g = \langle \mathrm{Re}(s_i \bar n_i)\rangle_g / \langle |s_i||n_i| \rangle_g`; since activity raises the
efficacy of facilitating synapses and lowers that of depressing ones, the similarity is
:math:`(c_{fac} - c_{dep})/2` and the index is :math:`1 - \text{similarity}`: 0 when the synapses still hold the
sample as it came in, 1 when their tuning is unrelated to it, 2 when it is reversed.  This follows the code of the
paper's summary figure; the text describes the same quantity in words.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .._validation import Interval, check_array, check_instance, check_memory, validate_params

__all__ = ["Tuning", "direction_tuning", "tuning_similarity", "manipulation_index", "category_tuning_index"]

_FINITE = Interval(-np.inf, np.inf, "neither")


class Tuning(NamedTuple):
    """Direction tuning of every unit at every step (arrays of shape (T, N); ``weights`` (T, N, 3))."""

    pev: np.ndarray  #: explained variance of the cosine fit, in [0, 1] (0 where the response does not vary)
    preferred: np.ndarray  #: preferred direction, radians in (-pi, pi] (0 where undefined)
    amplitude: np.ndarray  #: modulation depth sqrt(w_c^2 + w_s^2), in the unit of the response
    weights: np.ndarray  #: (w_0, w_c, w_s) of the least-squares fit
    defined: np.ndarray  #: False where the response's variance across trials is below ``min_variance``


def direction_tuning(features, angles, min_variance: float = 1e-9) -> Tuning:
    """Least-squares cosine tuning of every unit at every step (see the module docstring).

    Parameters
    ----------
    features : array of shape (T, B, N)
        The response of N units in B trials at T steps (``Recording.h`` or ``Recording.efficacy``).
    angles : array of shape (B,)
        The direction of each trial's stimulus, radians; at least three distinct directions (mod 2 pi).
    min_variance : float, default=1e-9
        Units whose variance across trials is below this are not tuned (``defined`` False, PEV 0), as in the
        paper's code; their fit is meaningless.

    Returns
    -------
    Tuning
    """
    owner = "direction_tuning"
    z = check_array(owner, "features", features, _FINITE, ndim=3)
    theta = check_array(owner, "angles", angles, _FINITE, ndim=1)
    validate_params(owner, {"min_variance": min_variance}, {"min_variance": Interval(0.0, np.inf, "left")})
    T, B, N = z.shape
    if theta.shape != (B,):
        raise ValueError(f"The 'angles' parameter of {owner} must have shape ({B},) (one direction per trial of "
                         f"'features'). Got {theta.shape} instead.")
    design = np.stack([np.ones(B), np.cos(theta), np.sin(theta)], axis=1)  # (B, 3)
    if np.linalg.matrix_rank(design) < 3:
        raise ValueError(f"The 'angles' parameter of {owner} must hold at least three distinct directions (modulo "
                         f"2 pi) for a cosine fit. Got {np.unique(np.round(np.mod(theta, 2 * np.pi), 12)).size}.")
    check_memory(owner, 8.0 * T * N * (B + 8), f"the tuning of {N} units at {T} steps over {B} trials")
    weights = np.einsum("kb,tbn->tnk", np.linalg.pinv(design), z)  # least squares for every (step, unit) at once
    residual = z - np.einsum("bk,tnk->tbn", design, weights)
    variance = z.var(axis=1)  # (T, N)
    defined = (variance >= min_variance) & (variance > 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        pev = np.where(defined, 1.0 - (residual**2).mean(axis=1) / variance, 0.0)
    pev = np.clip(pev, 0.0, 1.0)  # rounding only: with an intercept, 0 <= R^2 <= 1
    preferred = np.where(defined, np.arctan2(weights[..., 2], weights[..., 1]), 0.0)
    amplitude = np.where(defined, np.hypot(weights[..., 1], weights[..., 2]), 0.0)
    return Tuning(pev, preferred, amplitude, weights, defined)


def _pev_pref(owner, name, pev, preferred):
    w = check_array(owner, f"{name}_pev", pev, Interval(0.0, 1.0, "both"))
    phi = check_array(owner, f"{name}_preferred", preferred, _FINITE)
    if w.shape != phi.shape or w.ndim == 0:
        raise ValueError(f"The '{name}_pev' and '{name}_preferred' parameters of {owner} must be arrays of the same "
                         f"shape (..., units). Got {w.shape} and {phi.shape} instead.")
    return w, phi


def tuning_similarity(a_pev, a_preferred, b_pev, b_preferred) -> np.ndarray:
    """Similarity of two tunings of the same units (Masse et al. 2019, Methods; see the module docstring).

    Arrays of shape (..., N) (e.g. ``Tuning.pev`` at two sets of steps, or of activity and of efficacy); the last
    axis runs over units and the leading axes broadcast.  Returns an array of the leading shape, in [-1, 1]; 0 where
    no unit is tuned in both (nothing is similar).
    """
    owner = "tuning_similarity"
    wa, pa = _pev_pref(owner, "a", a_pev, a_preferred)
    wb, pb = _pev_pref(owner, "b", b_pev, b_preferred)
    if wa.shape[-1] != wb.shape[-1]:
        raise ValueError(f"The 'a_pev' and 'b_pev' parameters of {owner} must describe the same units (last axis). "
                         f"Got {wa.shape[-1]} and {wb.shape[-1]} units.")
    try:
        weight = np.sqrt(wa * wb)
    except ValueError as err:
        raise ValueError(f"The 'a_pev' and 'b_pev' parameters of {owner} must have shapes that broadcast. "
                         f"Got {wa.shape} and {wb.shape} instead.") from err
    num = (weight * np.cos(pa - pb)).sum(axis=-1)
    den = weight.sum(axis=-1)
    return np.where(den > 0, num / np.where(den > 0, den, 1.0), 0.0)


def _complex_tuning(owner, name, tuning, steps):
    check_instance(owner, name, tuning, Tuning)
    idx = check_array(owner, f"{name}_steps", steps, Interval(0, tuning.pev.shape[0] - 1, "both", integer=True),
                      ndim=1)
    if idx.size == 0:
        raise ValueError(f"The '{name}_steps' parameter of {owner} must name at least one step. Got none.")
    idx = idx.astype(np.int64)
    return (np.sqrt(1e-9 + tuning.pev[idx]) * np.exp(1j * tuning.preferred[idx])).mean(axis=0)  # (N,)


def manipulation_index(neural: Tuning, synaptic: Tuning, neural_steps, synaptic_steps, facilitating) -> float:
    """1 - similarity of the synaptic tuning at ``synaptic_steps`` to the neuronal tuning at ``neural_steps``.

    ``neural`` is the tuning of the activity, ``synaptic`` that of the efficacy, on the same units (from
    :func:`direction_tuning`); ``facilitating`` (N,) bool marks the units whose outgoing synapses facilitate (the
    others depress).  Masse et al. (2019) use the first 100 ms of the sample and the last 100 ms of the delay of a
    standard DMS trial (see the module docstring).
    """
    owner = "manipulation_index"
    n = _complex_tuning(owner, "neural", neural, neural_steps)
    s = _complex_tuning(owner, "synaptic", synaptic, synaptic_steps)
    if n.shape != s.shape:
        raise ValueError(f"The 'neural' and 'synaptic' parameters of {owner} must describe the same units. Got "
                         f"{n.size} and {s.size} units.")
    fac = np.asarray(facilitating)
    if fac.dtype != bool or fac.shape != n.shape:
        raise TypeError(f"The 'facilitating' parameter of {owner} must be a bool array of shape ({n.size},). "
                        f"Got {fac.dtype} of shape {fac.shape} instead.")
    if fac.all() or not fac.any():
        raise ValueError(f"The 'facilitating' parameter of {owner} must mark some units, but not all, as "
                         f"facilitating (both groups enter the index).")

    def group(sel):
        return float(np.real(s[sel] * np.conj(n[sel])).mean() / (np.abs(s[sel]) * np.abs(n[sel])).mean())

    return 1.0 - (group(fac) - group(~fac)) / 2.0


def category_tuning_index(responses, categories, angles) -> np.ndarray:
    r"""Category tuning index of every unit (Freedman & Assad 2006; used by Masse et al. 2019 for DMC).

    .. math::  \mathrm{CTI} = \frac{\mathrm{BCD} - \mathrm{WCD}}{\mathrm{BCD} + \mathrm{WCD}},

    where WCD (BCD) is the mean absolute difference of the unit's mean responses between pairs of directions in the
    same (in different) categories.  Pairs are matched for angular difference: for every separation that occurs
    both within and between categories, the two kinds of pairs are averaged separately, then the separations
    are weighted equally, so that a unit tuned to direction alone (not to category) is not credited with category
    tuning because between-category pairs happen to be further apart.  +1: the unit responds to the category only;
    0: no more different between categories than within; -1: more different within.

    Parameters
    ----------
    responses : array of shape (..., D)
        Mean response of each unit (leading axes: units, steps, ...) to each of D directions.
    categories : array of shape (D,)
        Category of each direction (at least two categories, one with two directions or more).
    angles : array of shape (D,)
        The directions, radians.

    Returns
    -------
    array of the leading shape; 0 where the unit does not vary across directions.
    """
    owner = "category_tuning_index"
    r = check_array(owner, "responses", responses, _FINITE)
    if r.ndim == 0:
        raise ValueError(f"The 'responses' parameter of {owner} must be an array of shape (..., D). Got a scalar.")
    D = r.shape[-1]
    cat = np.asarray(categories)
    if cat.shape != (D,) or cat.dtype.kind not in "biuU":
        raise ValueError(f"The 'categories' parameter of {owner} must be an array of shape ({D},) of ints or strings "
                         f"(one category per direction, the last axis of 'responses'). Got {cat.dtype} of shape "
                         f"{cat.shape} instead.")
    theta = check_array(owner, "angles", angles, _FINITE, ndim=1)
    if theta.shape != (D,):
        raise ValueError(f"The 'angles' parameter of {owner} must have shape ({D},) (one per direction, the last axis "
                         f"of 'responses'). Got {theta.shape} instead.")
    i, j = np.triu_indices(D, k=1)
    separation = np.round(np.abs(np.angle(np.exp(1j * (theta[i] - theta[j])))), 9)
    same = cat[i] == cat[j]
    matched = [d for d in np.unique(separation) if same[separation == d].any() and (~same[separation == d]).any()]
    if not matched:
        raise ValueError(f"The 'categories' parameter of {owner} must give, for some angular separation, pairs of "
                         f"directions both within and between categories. Got {cat.tolist()}.")
    diff = np.abs(r[..., i] - r[..., j])
    wcd = np.mean([diff[..., (separation == d) & same].mean(axis=-1) for d in matched], axis=0)
    bcd = np.mean([diff[..., (separation == d) & ~same].mean(axis=-1) for d in matched], axis=0)
    total = bcd + wcd
    return np.where(total > 0, (bcd - wcd) / np.where(total > 0, total, 1.0), 0.0)
