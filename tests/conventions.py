"""Discovery helpers for the convention tests: every module, parameter class and plotting module of wmlib.

Nothing here is a list kept by hand: the subpackages are found by walking ``wmlib/`` (``pkgutil``), so a new
mechanism is checked as soon as its folder exists.
"""

from __future__ import annotations

import importlib
import inspect
import pathlib
import pkgutil

import wmlib
from wmlib._validation import ParamsMixin

ROOT = pathlib.Path(wmlib.__file__).parent


def subpackages() -> list[str]:
    """Names of the subpackages of wmlib (folders with an ``__init__.py``), found on disk."""
    return sorted(p.parent.name for p in ROOT.glob("*/__init__.py") if not p.parent.name.startswith("_"))


def modules() -> list[str]:
    """Dotted names of every module of wmlib (``__main__`` modules excluded: they run a program)."""
    names = [m.name for m in pkgutil.walk_packages(wmlib.__path__, "wmlib.") if not m.name.endswith("__main__")]
    return sorted(names)


def imported_modules():
    """Every module of wmlib, imported."""
    return [importlib.import_module(name) for name in modules()]


def param_classes() -> list[type]:
    """Every :class:`ParamsMixin` subclass defined in a module of wmlib."""
    found = {}
    for mod in imported_modules():
        for _, obj in inspect.getmembers(mod, inspect.isclass):
            if issubclass(obj, ParamsMixin) and obj is not ParamsMixin and obj.__module__.startswith("wmlib."):
                found[f"{obj.__module__}.{obj.__qualname__}"] = obj
    return [found[k] for k in sorted(found)]


def plotting_modules() -> list[str]:
    """Dotted names of the modules that draw figures (``<mechanism>.plotting``)."""
    return [name for name in modules() if name.rsplit(".", 1)[-1] == "plotting"]


def public_functions(module_name: str) -> list:
    """The functions listed in a module's ``__all__`` (or its public functions if it has none)."""
    mod = importlib.import_module(module_name)
    names = getattr(mod, "__all__", [n for n in dir(mod) if not n.startswith("_")])
    return [getattr(mod, n) for n in names if inspect.isfunction(getattr(mod, n))]
