"""Images to remember and cues to recall them with, from data shipped with installed packages (nothing is
downloaded).

Images are arrays of *intensity* in [0, 1]: the current a pixel's neuron receives grows with it.  Tsybina et al.
(2022) store a face drawn dark on a light background and take the inverted grey level as intensity (dark pixels
drive hardest); the photographs here are light subjects on dark backgrounds, so their grey level itself is the
intensity (light pixels drive hardest).

* :func:`portrait`: the photograph of Grace Hopper shipped with matplotlib (its sample data), grey levels;
* :func:`other_image`: a second photograph, one of scikit-learn's sample images;
* :func:`digit_patterns`: black-and-white digits drawn in the font shipped with matplotlib, for the binary network
  of Gordleeva et al. (2021);
* the cues of Tsybina et al.: :func:`noisy`, :func:`salt_and_pepper`, and :func:`flip` for binary patterns.
"""

from __future__ import annotations

import functools
import os

import numpy as np

from .._validation import Interval, check_array, check_random_state, check_scalar

__all__ = ["portrait", "other_image", "digit_patterns", "noisy", "salt_and_pepper", "flip", "OTHER_IMAGES"]

_SIZE = Interval(4, 3001, "both", integer=True)
_UNIT = Interval(0.0, 1.0, "both")

#: The second photographs offered by :func:`other_image` (scikit-learn's sample images).
OTHER_IMAGES = ("flower", "china")


def _square(grey: np.ndarray, size: int) -> np.ndarray:
    """Centre-crop to a square, resize to ``size`` (bilinear, Pillow) and return the grey level in [0, 1]."""
    from PIL import Image

    h, w = grey.shape
    side = min(h, w)
    top, left = (h - side) // 2, (w - side) // 2
    img = Image.fromarray(grey[top:top + side, left:left + side].astype(np.uint8))
    img = img.resize((size, size), Image.Resampling.BILINEAR)
    return np.asarray(img, dtype=float) / 255.0


@functools.lru_cache(maxsize=8)
def _portrait(size: int) -> np.ndarray:
    from PIL import Image

    grey = np.asarray(Image.open(_matplotlib_data("sample_data", "grace_hopper.jpg")).convert("L"))
    h, w = grey.shape
    grey = grey[: min(h, w)]  # the top square: the face
    return _square(grey, size)


def portrait(size: int = 79) -> np.ndarray:
    """(size, size) intensity (grey level) of the portrait of Grace Hopper shipped with matplotlib (a face, like
    Tsybina et al.'s)."""
    size = check_scalar("portrait", "size", size, _SIZE)
    return _portrait(size).copy()


@functools.lru_cache(maxsize=8)
def _other(name: str, size: int) -> np.ndarray:
    from PIL import Image
    from sklearn.datasets import load_sample_image

    rgb = load_sample_image(f"{name}.jpg")
    grey = np.asarray(Image.fromarray(rgb).convert("L"))
    return _square(grey, size)


def other_image(size: int = 79, name: str = "flower") -> np.ndarray:
    """(size, size) intensity (grey level) of a different photograph (scikit-learn's sample image ``name``, in
    :data:`OTHER_IMAGES`)."""
    size = check_scalar("other_image", "size", size, _SIZE)
    if not isinstance(name, str):
        raise TypeError(f"The 'name' parameter of other_image must be a str among {set(OTHER_IMAGES)}. Got {name!r} instead.")
    if name not in OTHER_IMAGES:
        raise ValueError(f"The 'name' parameter of other_image must be a str among {set(OTHER_IMAGES)}. Got {name!r} instead.")
    return _other(name, size).copy()


def _matplotlib_data(*parts) -> str:
    """A file of matplotlib's data folder (sample images, fonts), found without importing matplotlib."""
    import importlib.util

    return os.path.join(importlib.util.find_spec("matplotlib").submodule_search_locations[0], "mpl-data", *parts)


@functools.lru_cache(maxsize=8)
def _digits(size: int) -> np.ndarray:
    from PIL import Image, ImageDraw, ImageFont

    font = ImageFont.truetype(_matplotlib_data("fonts", "ttf", "DejaVuSans.ttf"), size=int(round(1.1 * size)))
    out = np.zeros((10, size, size), dtype=bool)
    for d in range(10):
        img = Image.new("L", (size, size), 0)
        ImageDraw.Draw(img).text((size / 2, size / 2), str(d), fill=255, font=font, anchor="mm")
        out[d] = np.asarray(img) >= 128
    return out


def digit_patterns(size: int = 79) -> np.ndarray:
    """(10, size, size) bool: the digits 0-9, True on the strokes, drawn (by Pillow) in the DejaVu Sans font shipped
    with matplotlib so that each fills most of the frame, like the digit images of Gordleeva et al. (2021) (12-22 %
    of the pixels)."""
    size = check_scalar("digit_patterns", "size", size, Interval(10, 3001, "both", integer=True))
    return _digits(size).copy()


def noisy(image, level: float = 0.8, rng=0) -> np.ndarray:
    """``image`` plus Gaussian noise of standard deviation ``level`` times the image's own, clipped to [0, 1]
    (Tsybina et al.'s first cue: level 0.8)."""
    image = check_array("noisy", "image", image, _UNIT, ndim=2)
    level = check_scalar("noisy", "level", level, Interval(0.0, 100.0, "both"))
    rng = check_random_state(rng, "rng", "noisy")
    return np.clip(image + rng.normal(0.0, level * image.std(), size=image.shape), 0.0, 1.0)


def salt_and_pepper(image, fraction: float = 0.4, rng=0) -> np.ndarray:
    """``image`` with a ``fraction`` of its pixels, chosen at random, set to black or white with equal chance
    (Tsybina et al.'s second cue: 40 %)."""
    image = check_array("salt_and_pepper", "image", image, _UNIT, ndim=2)
    fraction = check_scalar("salt_and_pepper", "fraction", fraction, _UNIT)
    rng = check_random_state(rng, "rng", "salt_and_pepper")
    out = image.copy()
    hit = rng.uniform(size=image.shape) < fraction
    out[hit] = (rng.uniform(size=image.shape) < 0.5)[hit].astype(float)
    return out


def flip(pattern, fraction: float, rng=0) -> np.ndarray:
    """A binary ``pattern`` with ``round(fraction * n_pixels)`` pixels, chosen at random, flipped (Gordleeva et al.:
    5 % when loading, 20 % when cueing)."""
    if isinstance(pattern, np.ndarray) and pattern.dtype == bool:
        pattern = pattern.astype(float)
    pattern = check_array("flip", "pattern", pattern, _UNIT, ndim=2)
    if not np.all((pattern == 0) | (pattern == 1)):
        raise ValueError("The 'pattern' parameter of flip must hold only 0 and 1 (a binary pattern).")
    fraction = check_scalar("flip", "fraction", fraction, _UNIT)
    rng = check_random_state(rng, "rng", "flip")
    out = pattern.astype(bool).reshape(-1)
    hit = rng.permutation(out.size)[:int(round(fraction * out.size))]
    out[hit] = ~out[hit]
    return out.reshape(pattern.shape)
