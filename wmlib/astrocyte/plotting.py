"""Figures of the neuron–astrocyte network: results in, Figure out."""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from .._plotting import check_mapping, check_title, make_axes
from .._validation import Interval, check_array, check_instance, check_scalar
from .grid import to_neuron_grid
from .patterns import PatternMemory
from .recall import Cue, Recall
from .ullah import CellResponse

__all__ = ["plot_cell_responses", "plot_loading", "plot_recall", "plot_lifetime", "plot_calcium_maps",
           "plot_patterns", "plot_explorer"]

CA_CMAP = "magma"
RATE_CMAP = "viridis"


def _image(ax, data, title, cmap="gray", vmin=None, vmax=None):
    im = ax.imshow(data, cmap=cmap, vmin=vmin, vmax=vmax, interpolation="nearest")
    ax.set_title(title, fontsize=9)
    ax.set_xticks([])
    ax.set_yticks([])
    return im


def _check_image(owner, image, size=None):
    image = check_array(owner, "image", image, Interval(0.0, 1.0, "both"), ndim=2)
    if size is not None and image.shape != (size, size):
        raise ValueError(f"The 'image' parameter of {owner} must have shape ({size}, {size}). Got shape {image.shape} instead.")
    return image


def plot_cell_responses(responses: dict, *, threshold: float | None = None, axes=None, title=None) -> Figure:
    """Calcium (left) and IP3 (right) of one astrocyte after each input in ``responses`` (label ->
    :class:`~wmlib.astrocyte.CellResponse`); ``threshold`` draws a calcium level (e.g. where facilitation starts)."""
    owner = "plot_cell_responses"
    responses = check_mapping("responses", responses, CellResponse)
    if threshold is not None:
        threshold = check_scalar(owner, "threshold", threshold, Interval(0.0, 1e3, "both"))
    title = check_title(owner, title)
    fig, ax = make_axes(axes, 1, 2, (8.5, 3.0))
    for label, r in responses.items():
        ax[0, 0].plot(r.t, r.ca, label=label)
        ax[0, 1].plot(r.t, r.ip3, label=label)
    if threshold is not None:
        ax[0, 0].axhline(threshold, color="grey", ls=":", lw=1)
        ax[0, 0].text(ax[0, 0].get_xlim()[1], threshold, " threshold", va="bottom", ha="right", fontsize=8, color="grey")
    ax[0, 0].set(xlabel="time after input onset (s)", ylabel="[Ca$^{2+}$] (µM)")
    ax[0, 1].set(xlabel="time after input onset (s)", ylabel="[IP$_3$] (µM)")
    ax[0, 0].legend(fontsize=8, frameon=False)
    if title:
        fig.suptitle(title, fontsize=10)
    return fig


def plot_loading(result: Recall, image, *, axes=None, title=None) -> Figure:
    """What loading leaves behind: the stored image, the neurons' rates while loading, the calcium map at the cue
    time, and the population rate with the astrocytes' calcium over the run (the delay is silent)."""
    owner = "plot_loading"
    check_instance(owner, "result", result, Recall)
    size = result.load_map.shape[0]
    image = _check_image(owner, image, size)
    title = check_title(owner, title)
    fig, ax = make_axes(axes, 1, 4, (11.5, 2.9))
    _image(ax[0, 0], image, "stored image")
    im = _image(ax[0, 1], result.load_map, "rate while loading (Hz)", RATE_CMAP)
    fig.colorbar(im, ax=ax[0, 1], shrink=0.8)
    im = _image(ax[0, 2], to_neuron_grid(result.ca_at_cue[0], size), f"calcium at {result.cue_times[0]:g} s (µM)",
                CA_CMAP)
    fig.colorbar(im, ax=ax[0, 2], shrink=0.8)
    a = ax[0, 3]
    a.plot(result.t, result.rate, color="tab:green", lw=1)
    a.set(xlabel="time (s)", ylabel="mean rate (Hz)")
    a.yaxis.label.set_color("tab:green")
    b = a.twinx()
    b.plot(result.t, result.ca.max(axis=1), color="tab:red", lw=1.2, label="largest")
    b.plot(result.t, result.ca.mean(axis=1), color="tab:red", lw=1.2, ls="--", label="mean")
    b.set_ylabel("[Ca$^{2+}$] (µM)", color="tab:red")
    b.legend(fontsize=7, frameon=False, loc="lower right")
    for t in result.cue_times:
        a.axvline(t, color="grey", ls=":", lw=1)
    if title:
        fig.suptitle(title, fontsize=10)
    return fig


def plot_recall(results: dict, cues, image, *, axes=None, title=None) -> Figure:
    """One row per cue: the cue, then the rate map it recalls in each of ``results`` (label -> Recall, e.g. with and
    without astrocytes), each titled with its PSNR against the stored image (shown first)."""
    owner = "plot_recall"
    results = check_mapping("results", results, Recall)
    first = next(iter(results.values()))
    if (not isinstance(cues, (list, tuple)) or len(cues) != first.rate_maps.shape[1]
            or not all(isinstance(c, Cue) for c in cues)):
        raise TypeError(f"The 'cues' parameter of {owner} must be the list of the {first.rate_maps.shape[1]} Cue "
                        f"objects recalled. Got {cues!r:.80} instead.")
    image = _check_image(owner, image, first.rate_maps.shape[-1])
    title = check_title(owner, title)
    n, m = len(cues), len(results)
    fig, ax = make_axes(axes, n, m + 2, (1.75 * (m + 2), 1.85 * n))
    for i, cue in enumerate(cues):
        if i == 0:
            _image(ax[i, 0], image, "stored image")
        else:
            ax[i, 0].axis("off")
        _image(ax[i, 1], cue.picture, f"cue: {cue.name}\n{first.cue_psnr[i]:.1f} dB")
        for j, (label, r) in enumerate(results.items()):
            _image(ax[i, j + 2], r.rate_maps[0, i], f"{label}\n{r.psnr[0, i]:.1f} dB", "gray")
    if title:
        fig.suptitle(title, fontsize=10)
    return fig


def plot_lifetime(results: dict, *, reference: float | None = None, ca_threshold: float | None = None, axes=None,
                  title=None) -> Figure:
    """Left: PSNR of the recall against the time of the cue, for each of ``results`` (label -> Recall run with
    several cue times and one cue), with the cue's own PSNR (``reference``).  Right: the fraction of astrocytes above
    ``ca_threshold`` and the largest calcium at each cue time (of the first result)."""
    owner = "plot_lifetime"
    results = check_mapping("results", results, Recall)
    if reference is not None:
        reference = check_scalar(owner, "reference", reference, Interval(-1e3, 1e3, "both"))
    if ca_threshold is not None:
        ca_threshold = check_scalar(owner, "ca_threshold", ca_threshold, Interval(0.0, 1e3, "both"))
    title = check_title(owner, title)
    fig, ax = make_axes(axes, 1, 2, (9.0, 3.1))
    for label, r in results.items():
        ax[0, 0].plot(r.cue_times, r.psnr[:, 0], "o-", label=label, ms=4)
    if reference is not None:
        ax[0, 0].axhline(reference, color="grey", ls=":", lw=1)
        ax[0, 0].text(ax[0, 0].get_xlim()[1], reference, "the cue itself ", va="bottom", ha="right", fontsize=8,
                      color="grey")
    ax[0, 0].set(xlabel="cue onset (s; loading 0.2-0.3 s)", ylabel="PSNR of the recall (dB)")
    ax[0, 0].legend(fontsize=8, frameon=False)
    first = next(iter(results.values()))
    b = ax[0, 1]
    b.plot(first.cue_times, first.ca_at_cue.max(axis=1), "o-", color="tab:red", ms=4, label="largest [Ca$^{2+}$] (µM)")
    if ca_threshold is not None:
        b.plot(first.cue_times, (first.ca_at_cue > ca_threshold).mean(axis=1), "s--", color="black", ms=4,
               label=f"fraction above {ca_threshold:g} µM")
        b.axhline(ca_threshold, color="tab:red", ls=":", lw=1)
    b.set(xlabel="cue onset (s)", ylim=(0, 1.02))
    b.legend(fontsize=8, frameon=False)
    if title:
        fig.suptitle(title, fontsize=10)
    return fig


def plot_calcium_maps(result: Recall, times, *, vmax: float | None = None, axes=None, title=None) -> Figure:
    """The astrocytes' calcium over the neuron grid at each of ``times`` (s) of the loading run of ``result``."""
    owner = "plot_calcium_maps"
    check_instance(owner, "result", result, Recall)
    times = check_array(owner, "times", times, Interval(0.0, float(result.t[-1]), "both"), ndim=1)
    if vmax is not None:
        vmax = check_scalar(owner, "vmax", vmax, Interval(0.0, 1e3, "neither"))
    title = check_title(owner, title)
    size = result.load_map.shape[0]
    fig, ax = make_axes(axes, 1, times.size, (1.9 * times.size + 0.6, 2.2))
    top = float(result.ca.max()) if vmax is None else vmax
    for k, t in enumerate(times):
        i = int(np.argmin(np.abs(result.t - t)))
        im = _image(ax[0, k], to_neuron_grid(result.ca[i], size), f"{result.t[i]:.1f} s", CA_CMAP, 0.0, top)
    fig.colorbar(im, ax=ax[0, :].tolist(), shrink=0.8, label="[Ca$^{2+}$] (µM)")
    if title:
        fig.suptitle(title, fontsize=10)
    return fig


def plot_patterns(memory: PatternMemory, patterns, *, axes=None, title=None) -> Figure:
    """For each cue of ``memory``: the pattern cued (top, learned ones marked) and the response binarised with the
    chosen threshold (bottom), titled with its score."""
    owner = "plot_patterns"
    check_instance(owner, "memory", memory, PatternMemory)
    patterns = np.asarray(patterns)
    if patterns.ndim != 3 or patterns.shape[1:] != memory.counts.shape[1:] or patterns.shape[0] <= max(memory.tested):
        raise ValueError(f"The 'patterns' parameter of {owner} must be the (n, size, size) patterns of the run. "
                         f"Got shape {patterns.shape} instead.")
    title = check_title(owner, title)
    n = len(memory.tested)
    fig, ax = make_axes(axes, 2, n, (1.45 * n, 3.2))
    for c, k in enumerate(memory.tested):
        tag = "learned" if k in memory.learned else "new"
        _image(ax[0, c], ~patterns[k].astype(bool), f"{k} ({tag})", "gray")
        _image(ax[1, c], ~(memory.counts[c] > memory.threshold), f"score {memory.scores[c]:.2f}", "gray")
    ax[0, 0].set_ylabel("cued", fontsize=9)
    ax[1, 0].set_ylabel("recalled", fontsize=9)
    if title:
        fig.suptitle(title, fontsize=10)
    return fig


def plot_explorer(result: Recall, cue, image, *, axes=None, title=None) -> Figure:
    """One recall at a glance (the interactive figure): the cue, the astrocytes' calcium when it arrives, and the
    rate map it recalls, with PSNRs."""
    owner = "plot_explorer"
    check_instance(owner, "result", result, Recall)
    check_instance(owner, "cue", cue, Cue)
    size = result.load_map.shape[0]
    image = _check_image(owner, image, size)
    title = check_title(owner, title)
    fig, ax = make_axes(axes, 1, 3, (7.2, 2.6))
    _image(ax[0, 0], cue.picture, f"cue ({result.cue_psnr[0]:.1f} dB)")
    _image(ax[0, 1], to_neuron_grid(result.ca_at_cue[0], size), f"calcium at the cue\n(largest {result.ca_at_cue[0].max():.2f} µM)",
           CA_CMAP, 0.0, 0.8)
    _image(ax[0, 2], result.rate_maps[0, 0], f"recalled ({result.psnr[0, 0]:.1f} dB)")
    if title:
        fig.suptitle(title, fontsize=10)
    return fig
