"""Interactive figures that work in the static page, without a kernel: precomputed frames and sliders.

An ``ipywidgets.interact`` figure needs a running Python kernel: in the built book its sliders move and nothing
changes.  :func:`precompute` draws the same figure (the mechanism's own plotting code) once for every combination of
a small grid of parameter values, keeps each frame as a PNG, and returns a :class:`SliderFigure`, whose HTML shows
the frame of the current slider positions and swaps frames as the reader moves them: a few lines of JavaScript that
ship inside the page, no library, no CDN, no kernel.  In Jupyter the same object displays the same way.

Measured against the alternatives for this book (2026-12): Plotly's JavaScript alone is 4.8 MB per page and would
need every figure redrawn in Plotly; a Vega-Lite figure needs vega, vega-lite and vega-embed served with the site and
the figures rewritten again.  Frames reuse the chapters' matplotlib figures unchanged, so the static figures, the
``interact`` widgets and the in-page sliders can never disagree; a chapter's frames weigh 1-2 MB.
"""

from __future__ import annotations

import base64
import html
import io
import itertools
import json
import uuid
from collections.abc import Callable, Mapping, Sequence

import matplotlib.pyplot as plt

__all__ = ["SliderFigure", "precompute"]

#: Frames per figure above which :func:`precompute` refuses (page weight and build time).
MAX_FRAMES = 64

_SCRIPT = """
(function () {
  var root = document.getElementById(%(id)s);
  var frames = JSON.parse(root.querySelector("script[type='application/json']").textContent);
  var image = root.querySelector("img");
  var sliders = root.querySelectorAll("input[type=range]");
  function show() {
    var key = [];
    sliders.forEach(function (s) {
      var values = JSON.parse(s.dataset.values);
      key.push(s.value);
      s.parentNode.querySelector("output").textContent = values[s.value];
    });
    image.src = "data:image/png;base64," + frames[key.join(",")];
  }
  sliders.forEach(function (s) { s.addEventListener("input", show); });
  show();
})();
"""


class SliderFigure:
    """A figure precomputed over a grid of parameter values, shown with one slider per parameter.

    ``frames`` maps the tuple of value indices (one per parameter, in grid order) to PNG bytes.
    """

    def __init__(self, grid: Mapping[str, Sequence], frames: Mapping[tuple, bytes], initial: Mapping[str, int],
                 labels: Mapping[str, str], alt: str):
        self.grid = {k: list(v) for k, v in grid.items()}
        self.frames = dict(frames)
        self.initial = dict(initial)
        self.labels = dict(labels)
        self.alt = alt

    @property
    def n_bytes(self) -> int:
        """Size of the frames (PNG bytes; the page holds them base64-encoded, a third more)."""
        return sum(len(f) for f in self.frames.values())

    def _repr_html_(self) -> str:
        uid = f"wm-interactive-{uuid.uuid4().hex[:10]}"
        data = {",".join(map(str, key)): base64.b64encode(png).decode() for key, png in self.frames.items()}
        first = tuple(self.initial[name] for name in self.grid)
        controls = []
        for name, values in self.grid.items():
            shown = [_fmt(v) for v in values]
            controls.append(
                f'<label class="wm-slider">{html.escape(self.labels.get(name, name))} '
                f'<input type="range" min="0" max="{len(values) - 1}" step="1" value="{self.initial[name]}" '
                f"data-values='{html.escape(json.dumps(shown))}' aria-label=\"{html.escape(self.labels.get(name, name))}\">"
                f" <output>{html.escape(shown[self.initial[name]])}</output></label>")
        first_png = base64.b64encode(self.frames[first]).decode()
        return (f'<div class="wm-interactive" id="{uid}">'
                f'<div class="wm-sliders" style="display:flex;flex-wrap:wrap;gap:0.4em 1.6em">{"".join(controls)}</div>'
                f'<img alt="{html.escape(self.alt)}" style="max-width:100%" src="data:image/png;base64,{first_png}">'
                f'<script type="application/json">{json.dumps(data)}</script>'
                f"<script>{_SCRIPT % {'id': json.dumps(uid)}}</script></div>")


def _fmt(value) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def precompute(draw: Callable, grid: Mapping[str, Sequence], *, initial: Mapping | None = None,
               labels: Mapping[str, str] | None = None, alt: str = "", dpi: int = 80) -> SliderFigure:
    """Draw ``draw(**params)`` (which returns a matplotlib Figure) for every combination of ``grid``.

    Parameters
    ----------
    draw : callable
        Keyword arguments are the names of ``grid``; returns the Figure of those parameters.
    grid : mapping name -> sequence
        The values each slider offers, in order (at most :data:`MAX_FRAMES` combinations in all).
    initial : mapping name -> value, optional
        Starting value of each slider (default: the first of each).
    labels : mapping name -> str, optional
        Slider labels (default: the names).
    alt : str
        Alt text of the figure (what any frame shows).
    dpi : int, default=80
        Resolution of the frames.
    """
    if not grid or not all(len(v) >= 1 for v in grid.values()):
        raise ValueError("The 'grid' parameter of precompute must give at least one value per parameter.")
    n = 1
    for values in grid.values():
        n *= len(values)
    if n > MAX_FRAMES:
        raise ValueError(f"The 'grid' parameter of precompute asks for {n} frames; at most {MAX_FRAMES} keep the page "
                         f"light and the build fast.")
    initial = dict(initial or {})
    start = {name: (list(values).index(initial[name]) if name in initial else 0) for name, values in grid.items()}
    frames = {}
    names = list(grid)
    for combo in itertools.product(*(range(len(grid[k])) for k in names)):
        fig = draw(**{k: grid[k][i] for k, i in zip(names, combo)})
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png", dpi=dpi, pil_kwargs={"compress_level": 1})  # fast: ~10 % larger files
        plt.close(fig)
        frames[combo] = buffer.getvalue()
    return SliderFigure(grid, frames, start, labels or {}, alt)
