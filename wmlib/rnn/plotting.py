"""Figures for the trained networks (:mod:`wmlib.rnn`)."""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from .._plotting import check_curve, check_mapping, check_title, make_axes
from .._validation import Boolean, Interval, Options, check_array, check_instance, check_scalar, validate_params

__all__ = ["plot_trial", "plot_activity", "plot_decoding", "plot_persistence", "plot_learning_curves",
           "plot_cross_temporal", "plot_shuffle", "plot_relation", "plot_training_course"]


def plot_trial(trial, index: int = 0, output_names=None, axes=None) -> Figure:
    """One trial of a task: inputs (units x time), target outputs and the loss mask.

    Parameters
    ----------
    trial : wmlib.rnn.Trial
        A batch from :func:`wmlib.rnn.make_trials`.
    index : int, default=0
        Which trial of the batch to draw.
    output_names : list of str, optional
        Names of the outputs (default: fixation / non-match / match for 3 outputs,
        fixation / direction k for 9).
    axes : array of 3 Axes, optional
    """
    from .tasks import TASKS, Trial

    if not isinstance(trial, Trial):
        raise TypeError(f"The 'trial' parameter must be a wmlib.rnn.Trial (of plot_trial). Got {type(trial).__name__} instead.")
    index = check_scalar("plot_trial", "index", index, Interval(0, trial.batch_size - 1, "both", integer=True))
    # the task's outputs, not the largest target of this batch (a batch need not use every direction)
    n_out = TASKS[trial.task].n_outputs if trial.task in TASKS else max(int(trial.targets.max()) + 1, 3)
    if output_names is None:
        output_names = ["fixation", "non-match", "match"] if n_out <= 3 else ["fixation"] + [f"{45 * k} deg" for k in range(n_out - 1)]
    elif (isinstance(output_names, (str, bytes)) or not hasattr(output_names, "__len__")
          or not all(isinstance(n, str) for n in output_names)):
        raise TypeError(f"The 'output_names' parameter of plot_trial must be a list of {n_out} str. Got {output_names!r} instead.")
    elif len(output_names) != n_out:
        raise ValueError(f"The 'output_names' parameter of plot_trial must name the task's {n_out} outputs. "
                         f"Got {len(output_names)} names instead.")
    t = np.arange(trial.n_steps) * trial.dt_ms / 1000.0
    fig, ax = make_axes(axes, 3, 1, (8, 6.2), sharex="col", gridspec_kw={"height_ratios": [3, 1.6, 0.8]})
    a, b, c = ax[:, 0]
    extent = (t[0], t[-1] + trial.dt_ms / 1000.0, trial.inputs.shape[-1] - 0.5, -0.5)
    im = a.imshow(trial.inputs[:, index].T, aspect="auto", extent=extent, cmap="viridis", interpolation="nearest")
    fig.colorbar(im, ax=a, label="input")
    a.set(ylabel="input unit", title=f"{trial.task}: trial {index}")
    onehot = np.zeros((len(output_names), trial.n_steps))
    onehot[trial.targets[:, index], np.arange(trial.n_steps)] = 1
    b.imshow(onehot, aspect="auto", extent=(extent[0], extent[1], len(output_names) - 0.5, -0.5), cmap="Greys",
             interpolation="nearest")
    b.set(yticks=range(len(output_names)), yticklabels=output_names, ylabel="target")
    c.step(t, trial.mask[:, index], where="post", color="tab:red")
    c.set(ylabel="loss\nweight", xlabel="time (s)", ylim=(-0.2, 2.4))
    for start, _ in trial.epochs.values():
        a.axvline(start * trial.dt_ms / 1000.0, color="w", lw=0.6, ls=":")
    return fig


def _epoch_lines(ax, epochs, dt_s, color="k"):
    for s, _ in epochs.values():
        if s > 0:
            ax.axvline(s * dt_s, color=color, lw=0.6, ls=":")


def plot_activity(rec, index: int = 0, show: str = "both", axes=None) -> Figure:
    """One trial of a trained network: activity h, synaptic efficacy u*x, and its outputs.

    Neurons are grouped as in the model: excitatory facilitating / depressing, then
    inhibitory facilitating / depressing (white lines separate the groups).

    Parameters
    ----------
    rec : wmlib.rnn.analysis.Recording
        From :func:`wmlib.rnn.analysis.record`.
    index : int, default=0
        Which trial of the batch.
    show : {"both", "h", "efficacy"}, default="both"
        Which state variables to draw above the outputs.
    axes : array of Axes, optional
        2 (one variable) or 3 (both) axes.
    """
    from .recording import Recording

    check_instance("plot_activity", "rec", rec, Recording)
    batch = rec.h.shape[1]
    index = check_scalar("plot_activity", "index", index, Interval(0, batch - 1, "both", integer=True))
    validate_params("plot_activity", {"show": show}, {"show": Options(("both", "h", "efficacy"))})
    panels = ["h", "efficacy"] if show == "both" else [show]
    n = rec.h.shape[2]
    n_exc = int(round(0.8 * n))
    order = np.concatenate([np.arange(0, n_exc, 2), np.arange(1, n_exc, 2), np.arange(n_exc, n, 2), np.arange(n_exc + 1, n, 2)])
    bounds = np.cumsum([len(range(0, n_exc, 2)), len(range(1, n_exc, 2)), len(range(n_exc, n, 2))])
    dt = rec.trial.dt_ms / 1000.0
    T = rec.h.shape[0]
    extent = (0.0, T * dt, n - 0.5, -0.5)
    fig, ax = make_axes(axes, len(panels) + 1, 1, (8, 2.4 * len(panels) + 2.0), sharex="col",
                        gridspec_kw={"height_ratios": [3] * len(panels) + [1.6]})
    labels = {"h": ("activity h", "magma"), "efficacy": ("synaptic efficacy u·x", "viridis")}
    for a, name in zip(ax[:-1, 0], panels):
        data = getattr(rec, name)[:, index, order].T
        im = a.imshow(data, aspect="auto", extent=extent, cmap=labels[name][1], interpolation="nearest")
        fig.colorbar(im, ax=a, label=labels[name][0])
        for b in bounds:
            a.axhline(b - 0.5, color="w", lw=0.8)
        a.set(ylabel="neuron", yticks=[bounds[0] / 2, (bounds[0] + bounds[1]) / 2, (bounds[1] + bounds[2]) / 2,
                                       (bounds[2] + n) / 2], yticklabels=["E fac", "E dep", "I fac", "I dep"])
        _epoch_lines(a, rec.trial.epochs, dt, color="w")
    ax[0, 0].set_title(f"{rec.trial.task}: trial {index}")
    out = ax[-1, 0]
    logits = rec.logits[:, index]
    prob = np.exp(logits - logits.max(-1, keepdims=True))
    prob /= prob.sum(-1, keepdims=True)
    t = np.arange(T) * dt
    names = ["fixation", "non-match", "match"] if prob.shape[-1] == 3 else ["fixation"] + [f"{45 * k}°" for k in range(prob.shape[-1] - 1)]
    for k in range(prob.shape[-1]):
        out.plot(t, prob[:, k], lw=1.2, label=names[k])
    target = rec.trial.targets[:, index]
    scored = rec.trial.mask[:, index] > 0
    out.scatter(t[scored], np.full(scored.sum(), 1.08), c=[f"C{k}" for k in target[scored]], s=4, marker="s",
                label="target")
    out.set(ylabel="output\nprobability", xlabel="time (s)", ylim=(-0.05, 1.15))
    out.legend(loc="center left", fontsize="x-small", frameon=False, ncol=1 if prob.shape[-1] == 3 else 2)
    _epoch_lines(out, rec.trial.epochs, dt)
    return fig


def _check_epochs(owner, epochs):
    if epochs is not None and (not hasattr(epochs, "items") or not all(
            isinstance(v, tuple) and len(v) == 2 and all(isinstance(s, (int, np.integer)) for s in v)
            for v in epochs.values())):
        raise TypeError(f"The 'epochs' parameter of {owner} must map epoch names to (start, stop) steps, as "
                        f"trial.epochs. Got {epochs!r} instead.")


def plot_decoding(curves, times, chance: float, epochs=None, ax=None, title=None) -> Figure:
    """Decoding accuracy over time: mean and 2.5-97.5 % range over the second axis (resamplings, or networks).

    Parameters
    ----------
    curves : mapping label -> array (n_times, n_reps)
        From :func:`wmlib.analysis.decode_over_time` (or ``Decoding.accuracy``), or the mean curves of several
        networks side by side (n_times, n_networks).
    times : array (n_times,)
        Time of each decoded step (s).
    chance : float
        Chance accuracy (dashed line).
    epochs : dict, optional
        ``trial.epochs`` (steps); drawn as dotted lines.
    """
    from .tasks import DT_MS

    curves = check_mapping("curves", curves, np.ndarray)
    times = check_curve("plot_decoding", "times", times)
    chance = check_scalar("plot_decoding", "chance", chance, Interval(0, 1, "both"))
    check_title("plot_decoding", title)
    _check_epochs("plot_decoding", epochs)
    for label, acc in curves.items():
        if acc.ndim != 2 or acc.shape[0] != times.size:
            raise ValueError(f"The 'curves' entry {label!r} must have shape ({times.size}, n_reps). Got {acc.shape} instead.")
    fig, axs = make_axes(ax, 1, 1, (6.5, 3.2), name="ax")
    a = axs[0, 0]
    for label, acc in curves.items():
        line, = a.plot(times, acc.mean(1), lw=1.8, label=label)
        lo, hi = np.percentile(acc, [2.5, 97.5], axis=1)
        a.fill_between(times, lo, hi, color=line.get_color(), alpha=0.2, lw=0)
    a.axhline(chance, color="gray", ls="--", lw=1, label="chance")
    if epochs is not None:
        _epoch_lines(a, epochs, DT_MS / 1000.0)
    a.set(xlabel="time (s)", ylabel="decoding accuracy", ylim=(0, 1.05), title=title)
    a.legend(frameon=False, fontsize="small")
    return fig


def plot_persistence(neuronal, chance: float, synaptic=None, ax=None, paired: bool = False) -> Figure:
    """End-of-delay sample decoding per task, one dot per network.

    Parameters
    ----------
    neuronal : mapping label -> array of per-network values
        Decoding from activity h (the measure of persistent activity).
    chance : float
    synaptic : mapping label -> array, optional
        Decoding from u*x, drawn as open markers beside the neuronal ones.
    paired : bool, default=False
        The labels are conditions of the same networks (value ``k`` of every label comes from network
        ``k``): grey lines join each network's decoding from activity across the labels.
    """
    neuronal = check_mapping("neuronal", neuronal)
    neuronal = {k: check_array("plot_persistence", "neuronal", v, Interval(0, 1, "both"), ndim=(0, 1))
                for k, v in neuronal.items()}
    chance = check_scalar("plot_persistence", "chance", chance, Interval(0, 1, "both"))
    validate_params("plot_persistence", {"paired": paired}, {"paired": Boolean()})
    if synaptic is not None:
        synaptic = check_mapping("synaptic", synaptic)
        synaptic = {k: check_array("plot_persistence", "synaptic", v, Interval(0, 1, "both"), ndim=(0, 1))
                    for k, v in synaptic.items()}
        if set(synaptic) - set(neuronal):
            raise ValueError("The 'synaptic' parameter must use the labels of 'neuronal'.")
    sizes = {np.size(v) for v in neuronal.values()}
    if paired and len(sizes) != 1:
        raise ValueError("With paired=True every label of 'neuronal' must hold one value per network, the same "
                         f"networks for every label. Got {sorted(sizes)} values.")
    fig, axs = make_axes(ax, 1, 1, (2.2 + 0.9 * len(neuronal), 3.4), name="ax")
    a = axs[0, 0]
    rng = np.random.default_rng(0)  # horizontal jitter only
    jitter = rng.uniform(-0.06, 0.06, max(sizes)) if paired else None  # a network keeps its offset across labels
    for i, (label, vals) in enumerate(neuronal.items()):
        vals = np.asarray(vals, dtype=float)
        offset = jitter if paired else rng.uniform(-0.06, 0.06, vals.size)
        a.scatter(i - 0.12 + offset, vals, color="tab:red", s=18, label="activity h" if i == 0 else None, zorder=3)
        a.plot([i - 0.25, i + 0.01], [vals.mean()] * 2, color="tab:red", lw=2)
        if synaptic is not None and label in synaptic:
            s = np.asarray(synaptic[label], dtype=float)
            a.scatter(i + 0.12 + rng.uniform(-0.06, 0.06, s.size), s, facecolor="none", edgecolor="tab:blue", s=18,
                      label="efficacy u·x" if i == 0 else None, zorder=3)
    if paired:
        values = np.array([np.asarray(v, dtype=float) for v in neuronal.values()])  # (labels, networks)
        x = np.arange(len(neuronal))[:, None] - 0.12 + jitter[None, :]
        a.plot(x, values, color="0.6", lw=0.8, zorder=2)
    a.axhline(chance, color="gray", ls="--", lw=1, label="chance")
    a.set_xticks(range(len(neuronal)), list(neuronal), rotation=30, ha="right")
    a.set(ylabel="sample decoding,\nlast 100 ms of delay", ylim=(0, 1.05), xlim=(-0.6, len(neuronal) - 0.4))
    a.legend(frameon=False, fontsize="small", loc="center left", bbox_to_anchor=(1.0, 0.5))  # beside the data
    return fig


def plot_learning_curves(histories, ax=None, smooth: int = 10) -> Figure:
    """Training accuracy against iteration (running mean over ``smooth`` iterations).

    ``histories`` maps a label to a training history (a dict with "accuracy", as in
    ``TrainResult.history``, or an array of accuracies) or to a list of them, drawn in one
    colour (e.g. several seeds).
    """
    histories = check_mapping("histories", histories)
    smooth = check_scalar("plot_learning_curves", "smooth", smooth, Interval(1, np.inf, "left", integer=True))
    for label, runs in histories.items():
        for hist in runs if isinstance(runs, (list, tuple)) else [runs]:
            acc = hist.get("accuracy") if hasattr(hist, "keys") else hist
            if acc is None or isinstance(acc, (str, bytes)):
                raise TypeError(f"The 'histories' parameter must map labels to training histories (dicts with "
                                f"'accuracy', or accuracy arrays). Got {hist!r} for {label!r}.")
            check_array("plot_learning_curves", "histories", acc, Interval(0, 1, "both"), ndim=1)
    fig, axs = make_axes(ax, 1, 1, (5.5, 3.2), name="ax")
    a = axs[0, 0]
    for i, (label, runs) in enumerate(histories.items()):
        runs = runs if isinstance(runs, (list, tuple)) else [runs]
        for j, hist in enumerate(runs):
            acc = np.asarray(hist["accuracy"] if hasattr(hist, "keys") else hist, dtype=float)
            k = min(smooth, acc.size)
            run = np.convolve(acc, np.ones(k) / k, mode="valid")
            a.plot(np.arange(k, acc.size + 1), run, color=f"C{i}", lw=1.2, alpha=0.9 if len(runs) == 1 else 0.6,
                   label=label if j == 0 else None)
    a.set(xlabel="iteration", ylabel=f"training accuracy\n(mean of last {smooth})", ylim=(0, 1.02))
    a.legend(frameon=False, fontsize="small")
    return fig


def plot_cross_temporal(result, times, epochs=None, ax=None, title=None) -> Figure:
    """Cross-temporal decoding (:func:`wmlib.analysis.decode_cross_temporal`): mean accuracy of the decoder trained
    at each time (rows) and tested at each time (columns), with the epochs' boundaries.

    ``times`` (s) of the decoded steps, used for both axes (the result's training and test steps must be the same).
    """
    from ..analysis.decoding import CrossTemporalDecoding
    from .tasks import DT_MS

    check_instance("plot_cross_temporal", "result", result, CrossTemporalDecoding)
    if not np.array_equal(result.train_steps, result.test_steps):
        raise ValueError("The 'result' parameter of plot_cross_temporal must train and test at the same steps.")
    times = check_curve("plot_cross_temporal", "times", times, length=result.train_steps.size)
    check_title("plot_cross_temporal", title)
    _check_epochs("plot_cross_temporal", epochs)
    fig, axs = make_axes(ax, 1, 1, (4.2, 3.6), name="ax")
    a = axs[0, 0]
    half = (times[1] - times[0]) / 2 if times.size > 1 else 0.5
    extent = (times[0] - half, times[-1] + half, times[0] - half, times[-1] + half)
    im = a.imshow(result.mean, origin="lower", extent=extent, vmin=0, vmax=1, cmap="magma", aspect="auto")
    fig.colorbar(im, ax=a, label="decoding accuracy", shrink=0.85)
    if epochs is not None:
        for s, _ in epochs.values():
            if s > 0:
                a.axvline(s * DT_MS / 1000.0, color="w", lw=0.6, ls=":")
                a.axhline(s * DT_MS / 1000.0, color="w", lw=0.6, ls=":")
    a.set(xlabel="tested at (s)", ylabel="trained at (s)", title=title)
    return fig


def plot_shuffle(results, chance: float = 0.5, ax=None) -> Figure:
    """Accuracy of each network intact and after the neuronal and the synaptic shuffle, one line per network.

    ``results`` maps a label (a task) to an array (n_networks, 3): the mean accuracy of each network intact, after
    the neuronal shuffle and after the synaptic shuffle (e.g. ``ShuffleResult`` means).
    """
    results = check_mapping("results", results)
    checked = {}
    for label, v in results.items():
        arr = check_array("plot_shuffle", "results", v, Interval(0, 1, "both"), ndim=2)
        if arr.shape[1] != 3:
            raise ValueError(f"The 'results' entry {label!r} of plot_shuffle must have shape (n_networks, 3): intact, "
                             f"neuronal, synaptic. Got {arr.shape} instead.")
        checked[label] = arr
    chance = check_scalar("plot_shuffle", "chance", chance, Interval(0, 1, "both"))
    fig, axs = make_axes(ax, 1, len(checked), (3.0 * len(checked) + 0.6, 3.2), name="ax", sharey=True)
    for a, (label, arr) in zip(axs[0], checked.items()):
        a.plot(np.arange(3), arr.T, color="0.6", lw=0.8, marker="o", ms=3)
        a.plot(np.arange(3), arr.mean(0), color="k", lw=2.2, marker="o", ms=6, label="mean")
        a.axhline(chance, color="gray", ls="--", lw=1, label="chance")
        a.set_xticks(range(3), ["intact", "neuronal\nshuffle", "synaptic\nshuffle"])
        a.set(title=f"{label} ({arr.shape[0]} networks)", ylim=(0.3, 1.02), xlim=(-0.3, 2.3))
    axs[0, 0].set_ylabel("accuracy after the shuffle")
    axs[0, 0].legend(frameon=False, fontsize="small", loc="lower left")
    return fig


def plot_relation(x, y, xlabel: str, ylabel: str, xerr=None, yerr=None, labels=None, ax=None, title=None) -> Figure:
    """One point per network or condition: ``y`` against ``x``, with optional error bars and point labels.

    ``xerr``/``yerr``: one non-negative error per point (e.g. a standard error); ``labels``: one str per point.
    """
    x = check_curve("plot_relation", "x", x)
    y = check_curve("plot_relation", "y", y, length=x.size)
    errs = [None if e is None else check_array("plot_relation", n, e, Interval(0, np.inf, "left"), ndim=1)
            for n, e in (("xerr", xerr), ("yerr", yerr))]
    for name, e in zip(("xerr", "yerr"), errs):
        if e is not None and e.size != x.size:
            raise ValueError(f"The {name!r} parameter of plot_relation must hold {x.size} values. Got {e.size} instead.")
    for name, text in (("xlabel", xlabel), ("ylabel", ylabel)):
        check_instance("plot_relation", name, text, str)
    if labels is not None and (isinstance(labels, str) or len(labels) != x.size
                               or not all(isinstance(s, str) for s in labels)):
        raise TypeError(f"The 'labels' parameter of plot_relation must be a list of {x.size} str. Got {labels!r} "
                        f"instead.")
    check_title("plot_relation", title)
    fig, axs = make_axes(ax, 1, 1, (4.2, 3.4), name="ax")
    a = axs[0, 0]
    a.errorbar(x, y, xerr=errs[0], yerr=errs[1], fmt="o", color="tab:purple", ms=5, lw=1, capsize=2)
    if labels:
        _place_labels(a, x, y, labels)
    a.set(xlabel=xlabel, ylabel=ylabel, title=title)
    return fig


#: Where a point's label may go (offset in points, alignment): right, left, above, below, each side first raised.
_PLACES = [((4, 3), "left", "bottom"), ((4, -3), "left", "top"), ((-4, 3), "right", "bottom"), ((-4, -3), "right", "top"),
           ((0, 6), "center", "bottom"), ((0, -6), "center", "top")]


def _distance(b, px, py) -> float:
    """Distance from a point to a box (zero inside), in pixels."""
    return float(np.hypot(max(b.x0 - px, 0.0, px - b.x1), max(b.y0 - py, 0.0, py - b.y1)))


def _place_labels(a, x, y, labels):
    """Write each point's label where it overlaps no other label and no other point, as far as it can: every
    place of :data:`_PLACES` is tried with the text's measured extent, and the one with the least overlap (with the
    labels already placed, the other points and the outside of the axes, and any other point that lies about as near
    to the label as its own) is kept; ties go to the first place."""
    fig = a.figure
    a.autoscale_view()  # the data limits are final before points are placed in pixels
    renderer = fig.canvas.get_renderer()
    box = a.get_window_extent(renderer)
    pts = a.transData.transform(np.column_stack([x, y]))
    r = 4.0 * fig.dpi / 72  # a marker's radius, in pixels
    placed = []

    def area(b0, b1):
        w = min(b0.x1, b1.x1) - max(b0.x0, b1.x0)
        h = min(b0.y1, b1.y1) - max(b0.y0, b1.y0)
        return max(w, 0.0) * max(h, 0.0)

    texts = [a.annotate(text, (x[i], y[i]), fontsize="x-small", textcoords="offset points", xytext=_PLACES[0][0])
             for i, text in enumerate(labels)]
    for i in np.argsort(pts[:, 0])[::-1]:  # from the right, where labels have the least room
        t, best = texts[i], None
        for k, (xytext, ha, va) in enumerate(_PLACES):
            t.xyann = xytext
            t.set(ha=ha, va=va)
            b = t.get_window_extent(renderer)
            full = b.width * b.height  # outside the axes is allowed a little, outside the figure not at all
            cost = sum(area(b, q) for q in placed) + 0.5 * (full - area(b, box)) + 10 * (full - area(b, fig.bbox))
            cost += sum(area(b, type(b).from_extents(px - r, py - r, px + r, py + r))
                        for j, (px, py) in enumerate(pts) if j != i)
            # a label must be read as its own point's: no other point nearer to it than its own (plus a margin)
            own = _distance(b, *pts[i]) + 3 * r
            cost += sum((own - _distance(b, px, py)) * b.height for j, (px, py) in enumerate(pts)
                        if j != i and _distance(b, px, py) < own)
            if best is None or cost < best[0]:
                best = (cost, k, b)
        xytext, ha, va = _PLACES[best[1]]
        t.xyann = xytext
        t.set(ha=ha, va=va)
        placed.append(best[2])


def plot_training_course(trials_seen, values, ylabel: str, chance: float | None = None, significant=None,
                         reference=None, ax=None, title=None) -> Figure:
    """A measure of each network at several points of its training, against the number of trials it has seen.

    Parameters
    ----------
    trials_seen : array (n_points,)
        Trials seen at each point (positive; drawn on a logarithmic axis).
    values : array (n_points, n_networks)
        The measure; each column is one network followed through its training (a grey line), the black line their mean.
    ylabel : str
    chance : float, optional
        A dashed line at this value.
    significant : bool array (n_points, n_networks), optional
        Filled markers where True (e.g. decoded above chance by the paper's rule), open ones where False.
    reference : tuple (trials_seen (m,), values (m,), label), optional
        Other networks, each at its own training length (e.g. the book's shorter protocol), drawn as coloured dots.
    """
    x = check_array("plot_training_course", "trials_seen", trials_seen, Interval(0, np.inf, "neither"), ndim=1)
    v = check_array("plot_training_course", "values", values, Interval(), ndim=2)
    if v.shape[0] != x.size:
        raise ValueError(f"The 'values' parameter of plot_training_course must have one row per point of "
                         f"'trials_seen' ({x.size}). Got shape {v.shape} instead.")
    check_instance("plot_training_course", "ylabel", ylabel, str)
    if chance is not None:
        chance = check_scalar("plot_training_course", "chance", chance, Interval())
    if significant is None:
        sig = np.ones(v.shape, dtype=bool)
    else:
        sig = np.asarray(significant)
        if sig.dtype != bool or sig.shape != v.shape:
            raise ValueError(f"The 'significant' parameter of plot_training_course must be a bool array of shape "
                             f"{v.shape}. Got {sig.dtype} {sig.shape} instead.")
    if reference is not None:
        if not isinstance(reference, tuple) or len(reference) != 3 or not isinstance(reference[2], str):
            raise TypeError("The 'reference' parameter of plot_training_course must be a tuple (trials_seen, values, "
                            f"label). Got {reference!r} instead.")
        rx = check_array("plot_training_course", "reference", reference[0], Interval(0, np.inf, "neither"), ndim=1)
        ry = check_curve("plot_training_course", "reference", reference[1], length=rx.size)
    check_title("plot_training_course", title)
    fig, axs = make_axes(ax, 1, 1, (4.6, 3.4), name="ax")
    a = axs[0, 0]
    if reference is not None:
        a.scatter(rx, ry, s=14, color="tab:orange", alpha=0.7, label=reference[2], zorder=2)
    a.plot(x, v, color="0.6", lw=0.8, zorder=1)
    for filled in (True, False):
        xs, ys = np.broadcast_to(x[:, None], v.shape)[sig == filled], v[sig == filled]
        if xs.size == 0:
            continue
        a.scatter(xs, ys, s=16, zorder=3, facecolors="0.35" if filled else "white", edgecolors="0.35",
                  label=None if significant is None else ("above chance" if filled else "at chance"))
    a.plot(x, v.mean(1), color="k", lw=2, marker="o", ms=4, label=f"mean of {v.shape[1]}", zorder=4)
    if chance is not None:
        a.axhline(chance, color="gray", ls="--", lw=1, label="chance")
    a.set_xscale("log")
    a.set(xlabel="trials seen in training", ylabel=ylabel, title=title)
    a.legend(frameon=False, fontsize="x-small")
    return fig
