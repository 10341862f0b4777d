"""The conventions of CONTRIBUTING.md, checked over everything that discovery finds in wmlib.

* every subpackage (one per mechanism) is found by the registries;
* importing a mechanism does not import matplotlib (nor torch): figures and GPU code load only when used;
* every plotting function returns a Figure, takes ``ax`` for one Axes or ``axes`` for several, and never calls
  ``plt.show()``;
* every module that draws figures is a ``plotting`` or ``widgets`` module (or one of their shared helpers,
  ``wmlib._plotting`` and ``wmlib._interactive``).
"""

from __future__ import annotations

import ast
import importlib
import inspect
import subprocess
import sys

import pytest
from conventions import ROOT, modules, plotting_modules, public_functions, subpackages

from wmlib import reproductions

MECHANISMS = subpackages()


def test_every_subpackage_is_found_by_the_registry():
    assert MECHANISMS, "no subpackage found in wmlib/"
    assert reproductions.mechanisms() == MECHANISMS
    with_rows = {r.mechanism for r in reproductions.discover().values()}
    declared = {m for m in MECHANISMS if (ROOT / m / "reproductions.py").exists()}
    assert with_rows == declared


@pytest.mark.parametrize("mechanism", MECHANISMS)
def test_importing_a_mechanism_loads_no_matplotlib_and_no_torch(mechanism):
    code = (f"import sys, wmlib.{mechanism}; heavy = [m for m in ('matplotlib', 'torch') if m in sys.modules]; "
            "print(','.join(heavy))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "", f"import wmlib.{mechanism} loads {out.stdout.strip()}"


def test_importing_wmlib_has_no_side_effects():
    code = ("import io, sys; sys.stdout = io.StringIO(); import wmlib; out = sys.stdout.getvalue(); "
            "sys.stdout = sys.__stdout__; print(repr(out))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0 and out.stdout.strip() == "''", out.stdout + out.stderr


def _imports_matplotlib(tree: ast.AST) -> bool:
    for node in ast.walk(tree):
        if isinstance(node, ast.Import) and any(a.name.split(".")[0] == "matplotlib" for a in node.names):
            return True
        if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "matplotlib":
            return True
    return False


def test_only_plotting_and_widgets_modules_import_matplotlib():
    offenders = []
    for name in modules():
        path = ROOT.parent / (name.replace(".", "/") + ".py")
        if not path.exists():
            path = ROOT.parent / name.replace(".", "/") / "__init__.py"
        leaf = name.rsplit(".", 1)[-1]
        if _imports_matplotlib(ast.parse(path.read_text())) and leaf not in ("plotting", "widgets", "_plotting", "_interactive"):
            offenders.append(name)
    assert not offenders, f"modules importing matplotlib outside plotting/widgets: {offenders}"


PLOT_FUNCTIONS = [f for m in plotting_modules() for f in public_functions(m)]


def test_plotting_functions_are_found():
    assert {m.rsplit(".", 2)[-2] for m in plotting_modules()} >= {"synapse", "behaviour", "capacity", "rnn"}
    assert len(PLOT_FUNCTIONS) >= 15


@pytest.mark.parametrize("fn", PLOT_FUNCTIONS, ids=lambda f: f"{f.__module__}.{f.__name__}")
def test_plotting_function_signature(fn):
    sig = inspect.signature(fn)
    assert sig.return_annotation in ("Figure", "matplotlib.figure.Figure") or getattr(sig.return_annotation, "__name__", "") == "Figure", \
        f"{fn.__name__} must be annotated to return a Figure"
    params = set(sig.parameters)
    assert params & {"ax", "axes"}, f"{fn.__name__} must accept 'ax' (one Axes) or 'axes' (several)"
    assert not {"ax", "axes"} <= params, f"{fn.__name__} takes both 'ax' and 'axes'"
    src = inspect.getsource(fn)
    for node in ast.walk(ast.parse(src.lstrip())):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "show":
            pytest.fail(f"{fn.__name__} calls show(): plotting functions return the Figure")


@pytest.mark.parametrize("name", [m for m in modules() if m.endswith(".widgets")])
def test_widget_modules_live_in_their_mechanism(name):
    mod = importlib.import_module(name)
    assert mod.__all__, f"{name} exports no widget"
    for fn_name in mod.__all__:
        assert inspect.isfunction(getattr(mod, fn_name))
