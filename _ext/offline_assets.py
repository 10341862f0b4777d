"""Serve the JavaScript the pages need from the site itself: MathJax from the ``django-static-mathjax`` package.

A Sphinx extension.  Without it the pages load MathJax from a CDN, and the book's equations stay raw LaTeX offline
or on a network that blocks the CDN.  At ``builder-inited`` it copies the part of MathJax 3 the pages use (the
``tex-mml-chtml`` component, its fonts, the TeX extensions it may load on demand, the menu and the accessibility
components; not the speech-rule data, 4 MB loaded only for speech output) into the site's ``_static/mathjax`` and
points ``mathjax_path`` at it.  Scripts added twice to a page are dropped (sphinx-thebe's configuration is).  The theme gets a default
colour mode (light, like the figures).  Widget embedding scripts are not loaded (``nb_ipywidgets_js`` is emptied): the pages
show precomputed interactive figures instead of frozen widgets.
"""

from __future__ import annotations

import pathlib
import shutil

#: The parts of MathJax's es5 folder that tex-mml-chtml.js uses (files or folders).
MATHJAX_PARTS = ("tex-mml-chtml.js", "output/chtml/fonts/woff-v2", "input/tex/extensions", "ui", "a11y")


def _mathjax_source() -> pathlib.Path:
    import mathjax  # the django-static-mathjax package (a Python package named "mathjax", static files only)

    return pathlib.Path(mathjax.__file__).parent / "static" / "mathjax" / "es5"


def _copy_mathjax(app) -> None:
    source = _mathjax_source()
    target = pathlib.Path(app.outdir) / "_static" / "mathjax"
    for part in MATHJAX_PARTS:
        src, dst = source / part, target / part
        if src.is_dir():
            shutil.copytree(src, dst, dirs_exist_ok=True)
        else:
            dst.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dst)


def _configure(app, config) -> None:
    config.mathjax_path = "mathjax/tex-mml-chtml.js"  # relative to _static
    config.nb_ipywidgets_js = {}


def _tidy_page(app, pagename, templatename, context, doctree) -> None:
    """Keep one copy of each script: sphinx-thebe's inline configuration is otherwise added twice, and the second
    copy is a JavaScript error (``THEBE_JS_URL`` declared twice).  Drop the embedded widget state too."""
    # without a default mode, the theme's first page in a fresh browser logs "Got invalid theme mode" (an error)
    if not context.get("default_mode"):
        context["default_mode"] = "light"
    scripts = context.get("script_files")
    if not scripts:
        return
    seen, kept = set(), []
    for js in scripts:
        attributes = getattr(js, "attributes", {}) or {}
        if attributes.get("type") == "application/vnd.jupyter.widget-state+json":
            continue  # the state of ipywidgets, which the pages do not render (no widget manager is loaded)
        key = (getattr(js, "filename", None) or "", attributes.get("body"))
        if key not in seen:
            seen.add(key)
            kept.append(js)
    scripts[:] = kept


def setup(app):
    app.connect("config-inited", _configure)
    app.connect("builder-inited", _copy_mathjax)
    app.connect("html-page-context", _tidy_page, priority=900)  # after the themes' own handlers
    return {"parallel_read_safe": True, "parallel_write_safe": True}
