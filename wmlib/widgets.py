"""Callbacks for the chapters' ``ipywidgets.interact`` widgets.

Each function simulates with :mod:`wmlib`, draws with :mod:`wmlib.plotting`
and ends with ``plt.show()`` (so that ``interact`` replaces the figure instead
of stacking figures).  The chapters call, for example::

    from ipywidgets import interact
    interact(widgets.train_response, U=(0.05, 1.0, 0.05), ...)

They are ordinary functions: called directly they draw one figure, which is
how the static book shows the default view and how the tests run them
headless.
"""

from __future__ import annotations

import functools

import matplotlib.pyplot as plt
import numpy as np

from . import behaviour, synapse
from .plotting import plot_burst_memory, plot_change_detection, plot_train_responses

__all__ = ["train_response", "burst_memory", "change_detection", "rnn_activity", "capacity_loading"]


def train_response(U: float = 0.2, tau_f: float = 1.5, tau_d: float = 0.2, rate: float = 20.0,
                   n_spikes: int = 10, u_rest: str = "U") -> None:
    """One synapse driven by a regular train, then 0.8 s of silence and a probe spike.

    Parameters are those of :class:`wmlib.synapse.TMParams` (times in s) and
    the train's rate (Hz) and length.  The title reports the closed-form
    steady-state release for comparison with the last spikes.
    """
    params = synapse.TMParams(U=U, tau_f=tau_f, tau_d=tau_d, u_rest=u_rest)
    train = synapse.regular_train(rate, int(n_spikes))
    spikes = np.append(train, train[-1] + 0.8)
    t = np.linspace(0.0, spikes[-1] + 0.4, 1500)
    res = synapse.simulate_spikes(spikes, params, t_eval=t)
    steady = synapse.steady_state_regular(rate, params).release
    label = f"U={U:g}, $\\tau_f$={tau_f:g} s, $\\tau_d$={tau_d:g} s, {rate:g} Hz (steady release {float(steady):.3f})"
    fig = plot_train_responses({label: res})
    fig.set_size_inches(8, 5.5)
    plt.show()


def burst_memory(tau_f: float = 1.5, tau_d: float = 0.2, U: float = 0.2, burst_rate: float = 50.0) -> None:
    """How long a 10-spike burst is remembered by one synapse (probe release vs delay)."""
    params = synapse.TMParams(U=U, tau_f=tau_f, tau_d=tau_d)
    burst = synapse.regular_train(burst_rate, 10)
    t = np.linspace(0.0, 4.0, 800)
    label = f"$\\tau_f$={tau_f:g} s, $\\tau_d$={tau_d:g} s, U={U:g}"
    trace = synapse.simulate_spikes(burst, params, t_eval=t)
    probe = synapse.probe_after_burst(params, np.linspace(0.05, 4.0, 60), burst_rate=burst_rate)
    plot_burst_memory({label: trace}, {label: probe}, tau_f={label: tau_f})
    plt.show()


def change_detection(capacity: float = 4.0, guess: float = 0.5, n_trials: int = 200, seed: int = 0) -> None:
    """A slot-model observer in a change-detection experiment (set sizes 1-12)."""
    res = behaviour.simulate_change_detection(np.arange(1, 13), capacity, n_trials, seed, guess=guess)
    plot_change_detection({f"K = {capacity:g}": res}, capacity={f"K = {capacity:g}": capacity})
    plt.show()


@functools.lru_cache(maxsize=8)
def _recording(task: str, seed: int, stsp: bool):
    from .rnn.analysis import record
    from .rnn.pretrained import load_pretrained

    return record(load_pretrained(task, seed, stsp), task, n_trials=32, seed=2024)


def rnn_activity(task: str = "DMS", network: int = 0, trial: int = 0, show: str = "both", stsp: bool = True) -> None:
    """A shipped trained network (:func:`wmlib.rnn.load_pretrained`) on one of 32 fixed trials.

    ``network`` picks one of the task's shipped networks in order of seed (0 to 4 for five networks;
    the seeds differ between tasks, because networks below 90 % were replaced; the title gives the seed).  Draws
    activity h and/or synaptic efficacy u*x of all 100 neurons and the outputs
    (:func:`wmlib.plotting.rnn.plot_activity`).  ``stsp=False`` shows a DMS control network without
    short-term plasticity (only DMS has them).
    """
    from .plotting.rnn import plot_activity
    from .rnn.pretrained import list_pretrained

    shipped = [e for e in list_pretrained() if e["stsp"] == bool(stsp)]
    seeds = sorted(e["seed"] for e in shipped if e["task"] == task)
    if not seeds:
        tasks = sorted({e["task"] for e in shipped})
        if stsp:
            raise ValueError(f"The 'task' parameter must be one of {tasks}. Got {task!r} instead.")
        raise ValueError(f"The 'stsp' parameter may be False only for task {' or '.join(map(repr, tasks))} "
                         f"(no {task!r} network without STSP is shipped).")
    if isinstance(network, bool) or not isinstance(network, (int, np.integer)) or not 0 <= network < len(seeds):
        raise ValueError(f"The 'network' parameter must be an int in [0, {len(seeds) - 1}] ({task} has "
                         f"{len(seeds)} shipped networks). Got {network!r} instead.")
    seed = seeds[int(network)]
    rec = _recording(task, seed, bool(stsp))
    fig = plot_activity(rec, int(trial), show=show)
    samples = np.ravel(rec.trial.info["sample"][trial])  # two for dualDMS, one per location
    shown = ", ".join(f"{45 * int(s)}°" for s in samples)
    fig.suptitle(f"{task} network seed {seed}{'' if stsp else ' (no STSP)'}, sample{'s' if samples.size > 1 else ''} "
                 f"{shown}", fontsize="medium")
    plt.show()


def capacity_loading(I_b: float = 3.5, tau_d: float = 0.3, n_items: int = 5, spacing: float = 0.1,
                     duration: float = 2.5) -> None:
    """Load ``n_items`` into the cluster model (Mi, Katkov & Tsodyks 2017) and show which survive.

    ``I_b`` background input, ``tau_d`` depression time constant (s), ``spacing`` time between item
    onsets (s).  The title gives the number of items still emitting population spikes in the last second.
    """
    from . import capacity
    from .plotting import plot_loading

    params = capacity.ClusterParams(I_b=I_b, tau_d=tau_d)
    protocol = capacity.LoadingProtocol(n_items=int(n_items), spacing=spacing)
    res = capacity.simulate(params, protocol, duration)
    kept = int(capacity.active_clusters(res, window=min(1.0, duration / 2)).sum())
    plot_loading(res, params.J_EE, protocol, title=f"I_b = {I_b:g}, tau_d = {tau_d:g} s: {kept} of {n_items} items held")
    plt.show()
