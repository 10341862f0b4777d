"""Callbacks of the astrocyte chapter's widgets: plain numbers in, a simulation of the 40 x 40 network, a figure out."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np

from .._interactive import precompute
from .._validation import Boolean, Interval, Options, check_array, check_scalar, validate_params
from . import images
from .params import GRID_SIZES, AnalogParams
from .plotting import plot_explorer
from .recall import LOAD, Recall, image_cue, recall, uniform_cue

__all__ = ["recall_explorer", "recall_explorer_figure", "static_recall_explorer"]

CUES = ("Gaussian noise", "salt and pepper", "another image", "uniform noise")
SIZE = GRID_SIZES["small"]
PARAMS = AnalogParams(size=SIZE, n_out=50)


def _cue(kind: str, noise: float, image, seed: int = 1):
    """The cue of the widget: ``noise`` is the Gaussian noise's standard deviation in units of the image's own, or
    twice the fraction of salt-and-pepper pixels (so that 0.8 is the paper's value for both)."""
    if kind == "Gaussian noise":
        return image_cue(images.noisy(image, noise, rng=seed), kind)
    if kind == "salt and pepper":
        return image_cue(images.salt_and_pepper(image, min(noise / 2, 1.0), rng=seed), kind)
    if kind == "another image":
        return image_cue(images.other_image(image.shape[0]), kind)
    return uniform_cue(image.shape[0], rng=seed, name=kind)


def _check(owner, cue, noise, delay, astrocytes):
    validate_params(owner, {"cue": cue, "astrocytes": astrocytes}, {"cue": Options(CUES), "astrocytes": Boolean()})
    noise = check_scalar(owner, "noise", noise, Interval(0.0, 2.0, "both"))
    delay = check_scalar(owner, "delay", delay, Interval(0.0, 6.0, "both"))
    return noise, delay


def recall_explorer_figure(cue: str = "Gaussian noise", noise: float = 0.8, delay: float = 1.1,
                           astrocytes: bool = True):
    """Load the portrait into the 40 x 40 network, wait ``delay`` s after loading ends, show a cue; returns the
    figure (cue, calcium when it arrives, recall)."""
    noise, delay = _check("recall_explorer_figure", cue, noise, delay, astrocytes)
    image = images.portrait(SIZE)
    c = _cue(cue, noise, image)
    params = PARAMS if astrocytes else AnalogParams(size=SIZE, n_out=50, nu_ca=0.0)
    result = recall(params, image, [c], cue_time=LOAD[1] + delay, mode="online", rng=0)
    return plot_explorer(result, c, image, title=f"cue {delay:g} s after loading" + ("" if astrocytes else
                                                                                        ", astrocytes without effect"))


def recall_explorer(cue: str = "Gaussian noise", noise: float = 0.8, delay: float = 1.1, astrocytes: bool = True):
    """The widget: :func:`recall_explorer_figure`, shown."""
    recall_explorer_figure(cue, noise, delay, astrocytes)
    plt.show()


def _select(result: Recall, t: int, c: int) -> Recall:
    """One cue time and one cue of a batched recall."""
    return result._replace(names=(result.names[c],), cue_times=result.cue_times[t:t + 1],
                           rate_maps=result.rate_maps[t:t + 1, c:c + 1], psnr=result.psnr[t:t + 1, c:c + 1],
                           cue_psnr=result.cue_psnr[c:c + 1], ca_at_cue=result.ca_at_cue[t:t + 1])


def static_recall_explorer(delays=(0.2, 1.1, 2.2, 4.2), noises=(0.8, 1.6)):
    """The explorer for the static page: every cue type, noise level and delay, from one loading and one batch of
    cues (the same simulation as :func:`recall_explorer_figure`, run once for all frames)."""
    owner = "static_recall_explorer"
    delays = tuple(check_array(owner, "delays", delays, Interval(0.0, 6.0, "both"), ndim=1).tolist())
    noises = tuple(check_array(owner, "noises", noises, Interval(0.0, 2.0, "both"), ndim=1).tolist())
    image = images.portrait(SIZE)
    variants = [(kind, n) for kind in CUES for n in (noises if kind in CUES[:2] else noises[:1])]
    cues = [_cue(kind, n, image) for kind, n in variants]
    result = recall(PARAMS, image, cues, cue_time=LOAD[1] + np.array(delays), mode="online", rng=0)

    def draw(cue, noise, delay):
        c = variants.index((cue, noise if cue in CUES[:2] else noises[0]))
        return plot_explorer(_select(result, delays.index(delay), c), cues[c], image,
                             title=f"cue {delay:g} s after loading")

    return precompute(draw, {"cue": CUES, "noise": noises, "delay": delays},
                      initial={"cue": CUES[0], "noise": noises[0], "delay": 1.1 if 1.1 in delays else delays[0]},
                      labels={"cue": "cue", "noise": "noise", "delay": "delay after loading (s)"},
                      alt="Three images: the cue, the astrocytes' calcium map when the cue arrives, and the rate map the "
                          "network recalls, with their PSNR against the stored portrait.", dpi=60)
