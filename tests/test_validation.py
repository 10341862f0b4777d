"""Parameter validation: every constraint of every parameter class is exercised.

The parameter classes are found by discovery (every :class:`~wmlib._validation.ParamsMixin` subclass defined in a
module of :mod:`wmlib`, see ``conventions.py``), so a new mechanism's classes are checked without editing this file.
"""

import math
from dataclasses import fields

import numpy as np
import pytest
from conventions import param_classes

from wmlib._validation import Boolean, Instance, Interval, Options, check_random_state, validate_params
from wmlib.synapse import TMParams

PARAM_CLASSES = param_classes()


def test_parameter_classes_are_discovered():
    names = {c.__name__ for c in PARAM_CLASSES}
    assert {"TMParams", "ClusterParams", "LoadingProtocol", "RNNConfig", "TrainConfig"} <= names


@pytest.mark.parametrize("cls", PARAM_CLASSES)
def test_constraints_cover_exactly_the_fields(cls):
    assert set(cls._constraints) == {f.name for f in fields(cls)}


def _bad_values(constraint):
    """Values violating ``constraint``: (value, expected exception)."""
    if isinstance(constraint, Boolean):
        return [("yes", TypeError), (1, TypeError)]
    if isinstance(constraint, Options):
        return [("not-an-option", ValueError), (3, TypeError)]
    if isinstance(constraint, Instance):
        return [("a string", TypeError), (1.0, TypeError)]
    bad = [("a string", TypeError), (True, TypeError), (math.nan, ValueError)]
    if constraint.low > -math.inf:
        below = constraint.low - 1.0
        bad.append((below, ValueError))
        if constraint.closed in ("neither", "right"):
            bad.append((constraint.low, ValueError))
    if constraint.high < math.inf:
        bad.append((constraint.high + 1.0, ValueError))
    return bad


CASES = [
    (cls, name, value, exc)
    for cls in PARAM_CLASSES
    for name, constraint in cls._constraints.items()
    for value, exc in _bad_values(constraint)
]


@pytest.mark.parametrize("cls,name,value,exc", CASES, ids=[f"{c.__name__}.{n}={v!r}" for c, n, v, _ in CASES])
def test_every_bad_value_is_rejected_with_a_named_error(cls, name, value, exc):
    with pytest.raises(exc, match=rf"'{name}' parameter of {cls.__name__} must be"):
        cls(**{name: value})


def test_message_has_the_standard_form():
    with pytest.raises(ValueError) as info:
        TMParams(tau_d=-0.2)
    assert str(info.value) == (
        "The 'tau_d' parameter of TMParams must be a float in the range (0, inf). Got -0.2 instead."
    )


def test_array_parameters_are_checked_elementwise():
    TMParams(U=np.array([0.1, 0.5, 1.0]))  # valid batch
    with pytest.raises(ValueError, match=r"'U' parameter of TMParams must be a float in the range \(0, 1\]. Got 1.5"):
        TMParams(U=np.array([0.1, 1.5]))
    with pytest.raises(ValueError, match="'tau_f'"):
        TMParams(tau_f=np.array([1.0, np.nan]))
    with pytest.raises(TypeError, match="'tau_f'"):
        TMParams(tau_f=np.array([], dtype=float))


def test_dt_must_be_below_the_smallest_time_constant():
    with pytest.raises(ValueError, match=r"'dt' parameter of TMParams must be a float in the range \(0, 0.003\)"):
        TMParams(dt=0.01)
    with pytest.raises(TypeError, match="'dt' parameter of TMParams must be a scalar"):
        TMParams(dt=np.array([1e-4, 2e-4]))


def test_interval_rendering_and_integer_flag():
    assert str(Interval(0, 1, "right")) == "a float in the range (0, 1]"
    assert str(Interval(1, math.inf, "left", integer=True)) == "an int in the range [1, inf)"
    with pytest.raises(TypeError, match="'n' parameter of f must be an int"):
        validate_params("f", {"n": 2.5}, {"n": Interval(1, math.inf, "left", integer=True)})
    validate_params("f", {"n": 3.0}, {"n": Interval(1, math.inf, "left", integer=True)})


def test_check_random_state():
    g = np.random.default_rng(1)
    assert check_random_state(g) is g
    assert check_random_state(3).random() == np.random.default_rng(3).random()
    for bad in (None, -1, 1.5, "seed", True):
        with pytest.raises(ValueError, match="'rng' parameter must be a non-negative int seed"):
            check_random_state(bad)


def test_every_parameter_class_makes_validated_copies():
    """``replace`` comes from ParamsMixin: a copy with some fields changed, checked again."""
    from wmlib import astrocyte, capacity, network, synapse

    for params, field, good, bad in [(synapse.TMParams(), "U", 0.5, 1.5), (capacity.ClusterParams(), "I_b", 4.0, math.nan),
                                     (network.NetworkParams(), "tau_f", 1.0, -1.0),
                                     (astrocyte.AnalogParams(size=10, n_out=20), "nu_ca", 0.0, -1.0)]:
        copy = params.replace(**{field: good})
        assert getattr(copy, field) == good and type(copy) is type(params)
        with pytest.raises(ValueError, match=field):
            params.replace(**{field: bad})
