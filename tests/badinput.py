"""Bad input generated from valid calls: the machinery behind ``tests/test_bad_input.py``.

Each mechanism's test folder holds ``api_examples.py`` with one valid call (an :class:`Example`) for every public
callable of the mechanism (its ``__all__``, and the ``__all__`` of its ``plotting`` and ``widgets`` modules).  From
each valid call, :func:`bad_calls` derives bad ones, one argument at a time, from the kind of the valid value:

* values that are never valid (``NaN``, a string where a number goes, ``None`` where nothing is optional, an object of
  the wrong class, ...) must be refused with ``ValueError``/``TypeError`` whose message names the argument;
* values that may be valid for some arguments and not for others (negative, zero, infinite, huge, empty, an extra
  dimension) must either be refused the same way, or give a result without NaN.

Never accepted: an error of any other type, or one whose message does not name the argument (it came from deep inside
numpy, numba or torch), a NaN in a result, or a request too large for memory that is not refused before allocating
(huge sizes are among the values tried).
"""

from __future__ import annotations

import dataclasses
import importlib.util
import inspect
import math
import pathlib
import warnings
from collections.abc import Mapping
from typing import Any, NamedTuple

import numpy as np

from wmlib._validation import ParamsMixin

TESTS = pathlib.Path(__file__).parent

INVALID, MAYBE = "invalid", "maybe"


@dataclasses.dataclass
class Example:
    """One valid call of a public callable, and what the generated bad values may not include.

    ``free`` names arguments that accept any value of their kind (a title, a label): only their type is tried.
    ``optional`` names arguments whose ``None`` is valid although their example value is not ``None``.
    ``skip`` names arguments left out entirely, each with the reason (kept in the test's output).
    ``nan_ok``: the result may hold NaN by design (padding of unequal spike trains, an undefined interval).
    ``nan_args`` names array arguments in which NaN entries are valid (documented as missing values).
    ``function``: the callable, for a public method (``"STSPRNN.forward"``); otherwise found by name.
    ``accept`` maps an argument to the labels of generated values that are valid for it (class names as labels).
    """

    args: tuple
    kwargs: dict
    free: tuple = ()
    optional: tuple = ()
    skip: Mapping[str, str] = dataclasses.field(default_factory=dict)
    nan_ok: bool = False
    nan_args: tuple = ()
    function: Any = None  # a public method (``"STSPRNN.forward"``): the bound method to call
    accept: Mapping[str, tuple] = dataclasses.field(default_factory=dict)  # argument -> generated labels that are valid


def call(*args, free=(), optional=(), skip=None, nan_ok=False, nan_args=(), function=None, accept=None,
         **kwargs) -> Example:
    """An :class:`Example` (the keywords above are the example's; every other keyword is the call's)."""
    return Example(args, kwargs, tuple(free), tuple(optional), dict(skip or {}), nan_ok, tuple(nan_args), function,
                   dict(accept or {}))


class BadCall(NamedTuple):
    name: str
    function: Any
    param: str
    label: str
    value: Any
    kind: str  # INVALID or MAYBE
    bound: inspect.BoundArguments
    nan_ok: bool = False


def load_examples(mechanism: str) -> dict:
    """The ``EXAMPLES`` dict of ``tests/<mechanism>/api_examples.py`` (imported under a unique name)."""
    path = TESTS / mechanism / "api_examples.py"
    if not path.exists():
        return {}
    spec = importlib.util.spec_from_file_location(f"api_examples_{mechanism}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.EXAMPLES


def public_callables(mechanism: str) -> dict:
    """Every public function and class of a mechanism, by name (``plot_x`` as ``plotting.plot_x``).

    Result containers (NamedTuples) and constants are data, not callables to be tried.
    """
    found = {}
    for sub in ("", ".plotting", ".widgets"):
        name = f"wmlib.{mechanism}{sub}"
        if importlib.util.find_spec(name) is None:
            continue
        mod = importlib.import_module(name)
        for attr in getattr(mod, "__all__", []):
            obj = getattr(mod, attr)
            if inspect.isclass(obj) and issubclass(obj, tuple):
                continue
            if inspect.isclass(obj) or inspect.isfunction(obj):
                found[f"{sub[1:]}.{attr}" if sub else attr] = obj
    return found


# --------------------------------------------------------------------------------------------- generated values
def _is_number(v) -> bool:
    return isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, (bool, np.bool_))


def _torch():
    try:
        import torch
    except ImportError:  # pragma: no cover
        return None
    return torch


def _other_params(value) -> ParamsMixin | None:
    """An instance of a different parameter class than ``value``'s (the wrong kind of parameters)."""
    from wmlib.capacity import ClusterParams
    from wmlib.synapse import TMParams

    return ClusterParams() if not isinstance(value, ClusterParams) else TMParams()


def bad_values(value, *, optional: bool, free: bool, nan_valid: bool = False) -> list[tuple[str, Any, str]]:
    """``(label, bad value, kind)`` triples derived from one valid ``value``."""
    torch = _torch()
    out = []
    if not optional:
        out.append(("None", None, INVALID))
    if isinstance(value, (bool, np.bool_)):
        out += [("str", "yes", INVALID), ("int 2", 2, INVALID)]
    elif isinstance(value, (int, np.integer)):
        out += [("str", str(int(value)), INVALID), ("float 1.5", 1.5, INVALID), ("nan", math.nan, INVALID),
                ("bool", True, INVALID), ("-1", -1, MAYBE), ("0", 0, MAYBE), ("huge", 10**15, MAYBE)]
    elif isinstance(value, (float, np.floating)):
        out += [("str", str(float(value)), INVALID), ("nan", math.nan, INVALID), ("bool", True, INVALID),
                ("-1.0", -1.0, MAYBE), ("0.0", 0.0, MAYBE), ("inf", math.inf, MAYBE), ("-inf", -math.inf, MAYBE),
                ("huge", 1e15, MAYBE)]
    elif isinstance(value, str):
        out += [("int", 3, INVALID)]
        if not free:
            out += [("unknown str", "no-such-option", INVALID)]
    elif isinstance(value, np.random.Generator):
        out += [("str", "0", INVALID), ("-1", -1, INVALID), ("float", 1.5, INVALID)]
    elif isinstance(value, np.ndarray) and value.dtype.kind in "iuf":
        arr = value
        if arr.dtype.kind == "f" and arr.size:
            with_nan = arr.astype(float).copy()
            with_nan.reshape(-1)[arr.size // 2] = math.nan
            out.append(("array with nan", with_nan, MAYBE if nan_valid else INVALID))
            with_inf = arr.astype(float).copy()
            with_inf.reshape(-1)[arr.size // 2] = math.inf
            out.append(("array with inf", with_inf, MAYBE))
        out += [("str array", np.full(arr.shape, "a"), INVALID), ("str", "a", INVALID),
                ("empty", np.zeros((0,) * max(arr.ndim, 1)), MAYBE), ("negative", -np.abs(arr) - 1, MAYBE),
                ("extra axis", arr[..., None], MAYBE), ("list", arr.tolist(), MAYBE)]
        if arr.ndim:
            out.append(("scalar", arr.reshape(-1)[0].item(), MAYBE))
    elif torch is not None and isinstance(value, torch.Tensor):
        out += [("nan tensor", torch.full_like(value, math.nan), INVALID),
                ("wrong shape", value.reshape(-1)[:3].clone(), INVALID), ("str", "a", INVALID),
                ("int tensor", value.long(), MAYBE), ("numpy", value.numpy(), MAYBE)]
    elif isinstance(value, ParamsMixin):
        out += [("str", "params", INVALID), (f"a {type(_other_params(value)).__name__}", _other_params(value), INVALID)]
    elif isinstance(value, tuple) and hasattr(value, "_fields"):  # a result NamedTuple
        out += [("str", "result", INVALID), ("plain tuple", tuple(value)[:1], INVALID), ("dict", {}, INVALID)]
    elif isinstance(value, Mapping):
        out += [("str", "mapping", INVALID), ("empty dict", {}, MAYBE)]
        if value:
            key = next(iter(value))
            out.append(("value None", {key: None}, INVALID))
    elif isinstance(value, (list, tuple)):
        out += [("str", "a", INVALID), ("empty", type(value)(), MAYBE), ("of str", ["a"] * max(len(value), 1), INVALID)]
    elif isinstance(value, pathlib.PurePath):
        out += [("int", 3, INVALID), ("missing file", value.parent / "no-such-file", MAYBE)]
    else:  # objects: a trial, a network, an Axes, ...
        out += [("str", "object", INVALID), ("int", 3, INVALID)]
    return out


def bad_calls(name: str, function, example: Example) -> list[BadCall]:
    """Every bad call derived from one valid call, one argument at a time (defaults included)."""
    sig = inspect.signature(function)
    valid = sig.bind(*example.args, **example.kwargs)
    calls = []
    for param in sig.parameters.values():
        if param.kind in (param.VAR_KEYWORD, param.VAR_POSITIONAL) or param.name in example.skip:
            continue
        if param.name in valid.arguments:
            value = valid.arguments[param.name]
        elif param.default is not param.empty:
            value = param.default
        else:  # pragma: no cover - the example must give every required argument
            raise AssertionError(f"the example of {name} lacks the required argument {param.name!r}")
        optional = value is None or param.name in example.optional
        if value is None:  # only the type can be tried
            generated = [("str", "none-of-these", INVALID)] if param.name not in example.free else []
            generated.append(("object", object(), INVALID))
        else:
            generated = bad_values(value, optional=optional, free=param.name in example.free,
                                   nan_valid=param.name in example.nan_args)
        for label, bad, kind in generated:
            if label in example.accept.get(param.name, ()):
                kind = MAYBE
            bound = sig.bind(*example.args, **example.kwargs)
            bound.arguments[param.name] = bad
            calls.append(BadCall(name, function, param.name, label, bad, kind, bound, example.nan_ok))
    return calls


# ------------------------------------------------------------------------------------------------- the verdict
def _has_nan(result, depth=0) -> bool:
    torch = _torch()
    if depth > 4:
        return False
    if isinstance(result, float):
        return math.isnan(result)
    if isinstance(result, np.ndarray) and result.dtype.kind in "fc":
        return bool(np.isnan(result).any())
    if torch is not None and isinstance(result, torch.Tensor) and result.is_floating_point():
        return bool(torch.isnan(result).any())
    if isinstance(result, Mapping):
        return any(_has_nan(v, depth + 1) for v in result.values())
    if isinstance(result, (list, tuple)):
        return any(_has_nan(v, depth + 1) for v in result)
    return False


def verdict(case: BadCall) -> str | None:
    """``None`` if the library answered ``case`` as it should, otherwise what went wrong (one line)."""
    import matplotlib.pyplot as plt

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            result = case.function(*case.bound.args, **case.bound.kwargs)
    except (ValueError, TypeError) as exc:
        message = str(exc)
        if f"'{case.param}'" in message or "would need about" in message:
            return None
        return f"{type(exc).__name__} that does not name {case.param!r}: {message[:200]}"
    except FileNotFoundError as exc:
        if isinstance(case.value, pathlib.PurePath):
            return None
        return f"FileNotFoundError: {exc}"
    except Exception as exc:  # noqa: BLE001 - any other error is a finding
        return f"{type(exc).__name__} from inside: {str(exc)[:200]}"
    finally:
        plt.close("all")
    if case.kind == INVALID:
        return f"accepted (returned {type(result).__name__})"
    if not case.nan_ok and _has_nan(result):
        return "returned NaN"
    return None
