"""Parameter validation shared by every model in :mod:`wmlib`.

Each parameter class lists its constraints in a ``_constraints`` table next to
its fields (as scikit-learn does with ``_parameter_constraints``), and one
function, :func:`validate_params`, checks them all.  Every error reads the same
way, naming the parameter, its owner, the allowed range and the bad value::

    The 'tau_d' parameter of TMParams must be a float in the range (0, inf). Got -0.2 instead.

Numbers may be Python scalars or NumPy arrays (a batch of parameter sets); an
array is valid only if every element is, so a single NaN or out-of-range entry
is rejected instead of propagating into a simulation.
"""

from __future__ import annotations

import math
import numbers
import os
from dataclasses import dataclass, fields, replace

import numpy as np

__all__ = ["Interval", "Options", "Boolean", "Instance", "validate_params", "check_random_state", "ParamsMixin", "check_memory",
           "check_array", "check_instance", "check_scalar"]


@dataclass(frozen=True)
class Interval:
    """A real interval; ``closed`` is one of "neither", "left", "right", "both"."""

    low: float = -math.inf
    high: float = math.inf
    closed: str = "neither"
    integer: bool = False

    def contains(self, value: np.ndarray) -> np.ndarray:
        value = np.asarray(value, dtype=float)
        lo_ok = value >= self.low if self.closed in ("left", "both") else value > self.low
        hi_ok = value <= self.high if self.closed in ("right", "both") else value < self.high
        ok = lo_ok & hi_ok
        if self.integer:
            ok = ok & (np.mod(value, 1) == 0)
        return ok

    def __str__(self) -> str:
        left = "[" if self.closed in ("left", "both") else "("
        right = "]" if self.closed in ("right", "both") else ")"
        kind = "an int" if self.integer else "a float"
        return f"{kind} in the range {left}{_fmt(self.low)}, {_fmt(self.high)}{right}"


@dataclass(frozen=True)
class Options:
    """A finite set of allowed strings."""

    values: tuple

    def __str__(self) -> str:
        return "a str among {" + ", ".join(repr(v) for v in self.values) + "}"


@dataclass(frozen=True)
class Boolean:
    """A Python bool (an int such as 1 is refused, to catch swapped arguments)."""

    def __str__(self) -> str:
        return "a bool"


@dataclass(frozen=True)
class Instance:
    """An instance of a class (e.g. the parameters of a cell model inside those of a network)."""

    kind: type

    def __str__(self) -> str:
        return f"an instance of {self.kind.__name__}"


def _fmt(x: float) -> str:
    if math.isinf(x):
        return "-inf" if x < 0 else "inf"
    return f"{x:g}"


def _message(name: str, owner: str, constraint, got) -> str:
    return f"The {name!r} parameter of {owner} must be {constraint}. Got {got!r} instead."


def validate_params(owner: str, values: dict, constraints: dict) -> None:
    """Check every value against its constraint.

    Parameters
    ----------
    owner : str
        Name of the class or function the parameters belong to (used in messages).
    values : dict
        Parameter name -> value.
    constraints : dict
        Parameter name -> :class:`Interval`, :class:`Options`, :class:`Boolean` or :class:`Instance`.

    Raises
    ------
    TypeError
        A value has the wrong type (a string where a number is expected, ...).
    ValueError
        A value is outside its allowed range or set (NaN is always outside).
    """
    missing = set(values) ^ set(constraints)
    if missing:  # a programming error in wmlib itself, not a user error
        raise RuntimeError(f"{owner}: constraints and parameters differ on {sorted(missing)}")
    for name, value in values.items():
        constraint = constraints[name]
        if isinstance(constraint, Boolean):
            if not isinstance(value, (bool, np.bool_)):
                raise TypeError(_message(name, owner, constraint, value))
            continue
        if isinstance(constraint, Instance):
            if not isinstance(value, constraint.kind):
                raise TypeError(_message(name, owner, constraint, value))
            continue
        if isinstance(constraint, Options):
            if not isinstance(value, str):
                raise TypeError(_message(name, owner, constraint, value))
            if value not in constraint.values:
                raise ValueError(_message(name, owner, constraint, value))
            continue
        _check_number(name, owner, constraint, value)


def _check_number(name, owner, constraint: Interval, value) -> None:
    if isinstance(value, (bool, np.bool_)) or isinstance(value, str):
        raise TypeError(_message(name, owner, constraint, value))
    if isinstance(value, numbers.Integral):
        arr = np.asarray(int(value))
    elif isinstance(value, numbers.Real):
        arr = np.asarray(float(value))
    else:
        try:
            arr = np.asarray(value)
        except Exception as exc:  # pragma: no cover - exotic objects
            raise TypeError(_message(name, owner, constraint, value)) from exc
        if arr.dtype.kind not in "iuf" or arr.size == 0:
            raise TypeError(_message(name, owner, constraint, value))
    finite = arr[np.isfinite(arr)] if arr.dtype.kind == "f" else arr
    if constraint.integer and arr.dtype.kind == "f" and not np.all(np.mod(finite, 1) == 0):
        raise TypeError(_message(name, owner, constraint, value))
    ok = constraint.contains(arr)
    if not np.all(ok):
        bad = arr.reshape(-1)[~ok.reshape(-1)][0] if arr.ndim else arr
        raise ValueError(_message(name, owner, constraint, float(bad) if arr.dtype.kind == "f" else int(bad)))


class ParamsMixin:
    """Mixin for frozen parameter dataclasses: validates on construction.

    Subclasses define ``_constraints`` (a dict with one entry per field).
    """

    _constraints: dict = {}

    def __post_init__(self) -> None:
        self.validate()

    def validate(self):
        """Raise ``ValueError``/``TypeError`` if any field is invalid; return self."""
        values = {f.name: getattr(self, f.name) for f in fields(self)}
        validate_params(type(self).__name__, values, self._constraints)
        return self

    def replace(self, **changes):
        """A copy with some fields changed, validated again (an unknown field is a ``TypeError``)."""
        return replace(self, **changes)


def check_random_state(seed, name: str = "rng", owner: str | None = None) -> np.random.Generator:
    """Turn ``seed`` into a :class:`numpy.random.Generator`.

    ``None`` is refused on purpose: every random result in wmlib must be
    reproducible, so callers pass an int seed or their own Generator.
    """
    if isinstance(seed, np.random.Generator):
        return seed
    if isinstance(seed, (numbers.Integral, np.integer)) and not isinstance(seed, (bool, np.bool_)) and seed >= 0:
        return np.random.default_rng(int(seed))
    where = f" of {owner}" if owner else ""
    raise ValueError(f"The {name!r} parameter{where} must be a non-negative int seed or a numpy.random.Generator. "
                f"Got {seed!r} instead.")


def check_scalar(owner: str, name: str, value, constraint: Interval) -> float:
    """Check one number (not an array; a 0-d array is a number) against ``constraint``; return it as a float (an
    int if integer)."""
    if isinstance(value, np.ndarray) and value.ndim == 0 and value.dtype.kind in "iuf":
        value = value.item()
    if not isinstance(value, (numbers.Real, np.integer, np.floating)) or isinstance(value, (bool, np.bool_)):
        raise TypeError(_message(name, owner, constraint, value))
    validate_params(owner, {name: value}, {name: constraint})
    return int(value) if constraint.integer else float(value)


def check_array(owner: str, name: str, value, constraint: Interval | None = None, *, ndim=None,
                allow_empty: bool = False, allow_nan: bool = False) -> np.ndarray:
    """Check an array of numbers and return it as a float array.

    ``constraint`` bounds every element (NaN is refused unless ``allow_nan``); ``ndim`` is an int or a tuple of
    allowed numbers of dimensions; an empty array is refused unless ``allow_empty``.
    """
    constraint = Interval() if constraint is None else constraint
    ndims = (ndim,) if isinstance(ndim, int) else ndim
    kind = "an array" if ndims is None else " or ".join(f"a {d}-D array" for d in ndims)
    what = f"{kind} of {'ints' if constraint.integer else 'floats'}"
    if constraint != Interval():
        what += f" in the range {str(constraint).split(' in the range ', 1)[1]}"
    if value is None or isinstance(value, (str, bytes, bool, np.bool_)):
        raise TypeError(f"The {name!r} parameter of {owner} must be {what}. Got {value!r} instead.")
    try:
        arr = np.asarray(value)
    except (TypeError, ValueError) as exc:  # ragged lists
        raise TypeError(f"The {name!r} parameter of {owner} must be {what}. Got {value!r} instead.") from exc
    if arr.dtype.kind not in "iuf" and not (arr.size == 0 and allow_empty):
        raise TypeError(f"The {name!r} parameter of {owner} must be {what}. Got an array of {arr.dtype} instead.")
    arr = arr.astype(float, copy=False)
    if ndims is not None and arr.ndim not in ndims:
        raise ValueError(f"The {name!r} parameter of {owner} must be {what}. Got shape {arr.shape} instead.")
    if arr.size == 0:
        if allow_empty:
            return arr
        raise ValueError(f"The {name!r} parameter of {owner} must be {what}, not empty. Got shape {arr.shape} instead.")
    values = arr[~np.isnan(arr)] if allow_nan and np.isnan(arr).any() else arr
    if not np.isfinite(values).all():
        nonfinite = values[~np.isfinite(values)]
        refused = nonfinite[np.isnan(nonfinite) | ~constraint.contains(nonfinite)]
        if refused.size:  # NaN, or an infinity outside the range
            raise ValueError(f"The {name!r} parameter of {owner} must be {what}, all finite. "
                             f"Got {float(refused[0])} instead.")
    if values.size and (constraint != Interval() or not np.isfinite(values).all()):  # finite values fit Interval()
        validate_params(owner, {name: values}, {name: constraint})
    if constraint.integer:
        return arr.astype(np.int64)
    return arr


def check_instance(owner: str, name: str, value, kind: type | tuple, *, optional: bool = False):
    """Check that ``value`` is an instance of ``kind`` (or ``None`` if ``optional``); return it."""
    if value is None and optional:
        return value
    if not isinstance(value, kind):
        kinds = (kind,) if isinstance(kind, type) else kind
        names = " or ".join(k.__name__ for k in kinds) + (" or None" if optional else "")
        got = type(value).__name__ if value is not None else "None"
        raise TypeError(f"The {name!r} parameter of {owner} must be a {names}. Got {got} instead.")
    return value


def _memory_limit() -> float:
    """Half of the machine's physical memory, in bytes (a request above it is refused before allocating)."""
    try:
        return 0.5 * os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError, AttributeError):  # pragma: no cover - not POSIX
        return 8.0 * 2**30


def check_memory(owner: str, n_bytes: float, what: str) -> None:
    """Raise ``ValueError`` if ``n_bytes`` (what ``owner`` is about to allocate) would not fit in memory.

    The limit is half of the physical memory, so that a request that cannot fit is refused at once, with a clear
    message, instead of growing until the system kills the process.
    """
    limit = _memory_limit()
    if n_bytes > limit:
        raise ValueError(f"{owner} would need about {n_bytes / 2**30:.1f} GiB for {what}, more than the "
                         f"{limit / 2**30:.1f} GiB it may use on this machine; ask for less (fewer trials, "
                         f"parameter sets or steps), or split the request.")
