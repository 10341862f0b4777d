"""Running the neuron–astrocyte network: :func:`simulate`, its state (:class:`State`) and what it records.

A run advances a batch of trials of one network (the same synapses) from a :class:`State`, with input currents
given as :class:`Stimulus` objects (a current map switched on between two times).  What is kept is compact: spike
counts of every neuron in chosen windows, the population rate and the astrocytes' calcium every ``record_every``,
copies of the whole state at chosen times (to branch several recalls off one loading, :meth:`State.take`), and,
if asked, the calcium of every astrocyte at every step over a chosen interval (to replay it, see
:func:`simulate`'s ``ca_drive``).  Membrane potentials are never stored over time.

The engine is chosen by ``device`` (the convention of :mod:`wmlib._backend`): ``None`` runs the compiled CPU engine
(:mod:`._engine_numba`), a torch device name runs :mod:`._engine_torch`.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from tqdm.auto import tqdm

from .._backend import resolve_device
from .._validation import Boolean, Interval, check_array, check_instance, check_memory, check_random_state, check_scalar, validate_params
from . import _engine_numba
from .grid import astrocyte_of, zones
from .params import AnalogParams, BinaryParams
from .wiring import Wiring

__all__ = ["State", "Stimulus", "Pulses", "AstroResult", "initial_state", "background_pulses", "simulate",
           "MAX_STEPS"]

#: The longest run accepted, in steps (1000 s at 0.1 ms).
MAX_STEPS = 10**7

#: Steps per call of the compiled engine at most (the progress bar moves between calls).
SEGMENT = 2000

_PARAMS = (AnalogParams, BinaryParams)


class State(NamedTuple):
    """Everything the network needs to continue: one row per trial (axis 0)."""

    v: np.ndarray  #: (B, N) membrane potential, mV
    rec: np.ndarray  #: (B, N) recovery variable of the Izhikevich neuron
    glu: np.ndarray  #: (B, N) glutamate released by each neuron, µM
    isyn: np.ndarray  #: (B, N) synaptic current of the last step
    ca: np.ndarray  #: (B, A) astrocytic calcium, µM
    h: np.ndarray  #: (B, A) fraction of IP3 receptor channels not inactivated
    ip3: np.ndarray  #: (B, A) IP3, µM
    gate: np.ndarray  #: (B, A) int64 steps for which the astrocyte's facilitation stays on
    glu_on: np.ndarray  #: (B, A) int64 steps for which the astrocyte's input stays on (binary form)
    sync: np.ndarray  #: (B, A) int64 steps for which a synchronous step still counts (binary form)
    step: int  #: steps since the start of the network's life (gate checks fall on multiples of check_every)

    @property
    def n_trials(self) -> int:
        return int(self.v.shape[0])

    def take(self, trials) -> State:
        """The state of the chosen trials (a list of indices, repeats allowed): to branch several runs off one."""
        idx = check_array("State.take", "trials", trials, Interval(0, self.n_trials - 1, "both", integer=True),
                          ndim=1)
        return State(*(np.array(x[idx]) for x in self[:-1]), self.step)


class Stimulus(NamedTuple):
    """An input current ``current`` applied from ``start`` to ``stop`` (s, from the start of the run).

    ``current`` is one map for every trial (``(size, size)``) or one per trial (``(n_trials, size, size)``).
    """

    start: float
    stop: float
    current: np.ndarray


class Pulses(NamedTuple):
    """Background pulses (binary form): each starts at ``start`` (step from the start of the run), lasts
    ``duration`` steps and adds ``amplitude`` to the input of ``neuron`` in ``trial``."""

    trial: np.ndarray
    neuron: np.ndarray
    start: np.ndarray
    duration: int
    amplitude: np.ndarray


class AstroResult(NamedTuple):
    """What a run recorded (time in s from the start of the run)."""

    t: np.ndarray  #: (R,) end of every record interval
    rate: np.ndarray  #: (R, B) mean firing rate of all neurons over the interval, Hz
    ca: np.ndarray  #: (R, B, A) astrocytic calcium at the end of the interval, µM
    windows: np.ndarray  #: (W, 2) spike-count windows (start, stop), s
    counts: np.ndarray  #: (W, B, N) int spikes of every neuron in every window
    snapshots: tuple  #: the State at each time asked for in ``snapshots``
    snapshot_times: np.ndarray  #: (S,) those times
    ca_trace: np.ndarray  #: (T, B, A) calcium at every step of ``trace`` (empty if none was asked for)
    state: State  #: the final state
    params: object  #: the AnalogParams or BinaryParams of the run

    @property
    def n_trials(self) -> int:
        return int(self.state.n_trials)

    def count_maps(self) -> np.ndarray:
        """(W, B, size, size): the spike counts of every window on the neuron grid."""
        size = self.params.size
        return self.counts.reshape(self.counts.shape[:2] + (size, size))


def initial_state(params, n_trials: int = 1) -> State:
    """Every trial at the start of the authors' runs: neurons at rest (``v_init``, ``u_init``), no glutamate, the
    astrocytes at the authors' initial values (``UllahParams.ca_init`` ...), every gate closed."""
    check_instance("initial_state", "params", params, _PARAMS)
    n_trials = check_scalar("initial_state", "n_trials", n_trials, Interval(1, 10**6, "both", integer=True))
    n, a = params.n_neurons, params.n_astrocytes
    check_memory("initial_state", n_trials * (4 * n + 6 * a) * 8, f"the state of {n_trials} trials")
    full = lambda shape, x, dtype=float: np.full(shape, x, dtype=dtype)  # noqa: E731
    cell, astro = params.neuron, params.astrocyte
    return State(full((n_trials, n), cell.v_init), full((n_trials, n), cell.u_init), full((n_trials, n), 0.0),
                 full((n_trials, n), 0.0), full((n_trials, a), astro.ca_init), full((n_trials, a), astro.h_init),
                 full((n_trials, a), astro.ip3_init), full((n_trials, a), 0, np.int64),
                 full((n_trials, a), 0, np.int64), full((n_trials, a), 0, np.int64), 0)


def background_pulses(params: BinaryParams, duration: float, n_trials: int, rng) -> Pulses:
    """The background input of Gordleeva et al. (2021), for every neuron and trial.

    A neuron's first pulse starts at a uniform random step before ``noise_phase``; the next ones follow at intervals
    drawn from a Poisson distribution of mean ``1 / noise_rate`` (in steps: nearly regular, one every 0.67 s at the
    default 1.5 Hz, with a random phase per neuron), as in the authors' code; each lasts ``noise_duration`` with an
    amplitude uniform in [-``noise_amplitude``, ``noise_amplitude``].  Pulses starting before ``duration`` are kept.
    """
    owner = "background_pulses"
    check_instance(owner, "params", params, BinaryParams)
    duration = check_scalar(owner, "duration", duration, Interval(0.0, MAX_STEPS * params.dt, "both"))
    n_trials = check_scalar(owner, "n_trials", n_trials, Interval(1, 10**6, "both", integer=True))
    rng = check_random_state(rng, "rng", owner)
    n = n_trials * params.n_neurons
    n_steps = params.steps(duration)
    mean_gap = 1.0 / (params.noise_rate * params.dt) if params.noise_rate > 0 else np.inf
    per_neuron = int(np.ceil(n_steps / mean_gap * 1.2)) + 2 if np.isfinite(mean_gap) else 1
    check_memory(owner, 4 * 8 * n * per_neuron, f"{n * per_neuron:,} background pulses")
    first = np.floor(params.steps(params.noise_phase) * rng.uniform(size=(n, 1))).astype(np.int64)
    if np.isfinite(mean_gap) and per_neuron > 1:
        gaps = np.maximum(rng.poisson(mean_gap, size=(n, per_neuron - 1)), 1)
        start = np.cumsum(np.concatenate([first, gaps], axis=1), axis=1)
    else:
        start = first
    amplitude = rng.uniform(-params.noise_amplitude, params.noise_amplitude, size=start.shape)
    keep = start < n_steps
    which = np.repeat(np.arange(n), keep.sum(axis=1))
    trial, neuron = np.divmod(which, params.n_neurons)
    return Pulses(trial, neuron, start[keep], params.steps(params.noise_duration), amplitude[keep])


def _constants(params):
    cell, astro = params.neuron, params.astrocyte
    binary = isinstance(params, BinaryParams)
    kf = np.zeros(len(_engine_numba.F))
    values = {
        "dt_ms": params.dt * 1e3, "dt_s": params.dt, "a": cell.a, "b": cell.b, "c": cell.c, "d": cell.d,
        "v_peak": cell.v_peak, "e_syn": params.e_syn, "k_syn": params.k_syn,
        "v_cut": -params.k_syn * np.log(1e20), "alpha_glu": params.alpha_glu, "glu_jump": params.k_glu * params.dt,
        "v_glu": params.v_glu, "d_ca": params.d_ca, "d_ip3": params.d_ip3, "ca_thr": params.ca_threshold,
        "nu_ca": params.nu_ca, "input_cap": params.input_cap,
        "glu_min": 0.0 if binary else params.glu_min, "glu_gate": 0.0 if binary else params.glu_gate,
        "glu_level": params.glu_level if binary else np.inf, "a_glu": params.a_glu if binary else 0.0,
        **{k: getattr(astro, k) for k in ("c0", "c1", "v1", "v2", "v3", "v4", "v6", "k1", "k2", "k3", "k4", "d1",
                                          "d2", "d3", "d5", "a2", "alpha", "ip3_star", "tau_ip3")},
    }
    for name, value in values.items():
        kf[_engine_numba.F[name]] = value
    ki = np.zeros(len(_engine_numba.I), dtype=np.int64)
    ints = {"binary": int(binary), "side": params.astro_side, "check_steps": params.steps(params.check_every),
            "gate_steps": params.steps(params.gate_duration),
            "glu_steps": params.steps(params.t_glu) if binary else 0, "n_active": params.n_active if binary else 0,
            "n_sync": params.n_sync if binary else 0,
            "sync_steps": params.steps(params.sync_window) + 1 if binary else 0}  # the window includes both ends
    for name, value in ints.items():
        ki[_engine_numba.I[name]] = value
    return kf, ki


def _check_wiring(wiring, params, owner):
    check_instance(owner, "wiring", wiring, Wiring)
    n = params.n_neurons
    if wiring.indptr.shape != (n + 1,) or wiring.n_synapses != int(wiring.indptr[-1]):
        raise ValueError(f"The 'wiring' parameter of {owner} must connect {n} neurons (made by connect with the same "
                         f"params). Got one of {wiring.indptr.size - 1} neurons instead.")
    if wiring.n_synapses and (wiring.target.min() < 0 or wiring.target.max() >= n):
        raise ValueError(f"The 'wiring' parameter of {owner} has targets outside the network; make it with connect.")
    if not np.all(np.isfinite(wiring.weight)) or wiring.weight.min(initial=0.0) < 0:
        raise ValueError(f"The 'wiring' parameter of {owner} must have finite, non-negative weights.")
    return wiring


def _check_stimuli(stimuli, params, n_trials, duration, owner):
    if isinstance(stimuli, Stimulus):
        stimuli = (stimuli,)
    if not isinstance(stimuli, (list, tuple)):
        raise TypeError(f"The 'stimuli' parameter of {owner} must be a Stimulus or a list of them. "
                        f"Got {type(stimuli).__name__} instead.")
    size = params.size
    out = []
    for k, stim in enumerate(stimuli):
        if not isinstance(stim, Stimulus):
            raise TypeError(f"The 'stimuli' parameter of {owner} must be a Stimulus or a list of them; item {k} is a "
                            f"{type(stim).__name__}.")
        start = check_scalar(owner, f"stimuli[{k}].start", stim.start, Interval(0.0, duration, "both"))
        stop = check_scalar(owner, f"stimuli[{k}].stop", stim.stop, Interval(start, duration, "both"))
        cur = check_array(owner, f"stimuli[{k}].current", stim.current, Interval(-1e3, 1e3, "both"), ndim=(2, 3))
        if cur.shape[-2:] != (size, size) or (cur.ndim == 3 and cur.shape[0] not in (1, n_trials)):
            raise ValueError(f"The 'stimuli[{k}].current' parameter of {owner} must have shape ({size}, {size}) or "
                             f"({n_trials}, {size}, {size}). Got shape {cur.shape} instead.")
        cur = np.broadcast_to(cur.reshape(-1, size * size), (n_trials, size * size))
        out.append((params.steps(start), params.steps(stop), cur))
    return out


def _times(owner, name, values, duration):
    if isinstance(values, (list, tuple)) and len(values) == 0:
        return np.zeros(0)
    return check_array(owner, name, values, Interval(0.0, duration, "both"), ndim=1)


def simulate(params, wiring: Wiring, duration: float, *, stimuli=(), state: State | None = None,
             n_trials: int | None = None, windows=(), record_every: float = 0.01, snapshots=(), trace=None,
             ca_drive=None, drive_start=0, pulses: Pulses | None = None, device=None,
             progress: bool = False) -> AstroResult:
    """Run the network for ``duration`` s from ``state`` (default: :func:`initial_state`).

    Parameters
    ----------
    params : AnalogParams or BinaryParams
        The network's parameters (the two published forms, see :mod:`wmlib.astrocyte.params`).
    wiring : Wiring
        Its synapses (:func:`~wmlib.astrocyte.connect`, then :func:`~wmlib.astrocyte.store_image` for the analog
        form).
    duration : float
        Length of the run, s (a whole number of steps, rounded).
    stimuli : Stimulus or list of Stimulus
        Applied currents (times from the start of this run); they add up where they overlap.
    state : State, optional
        Where to start; its number of trials sets the batch.  Default: every trial at :func:`initial_state`.
    n_trials : int, optional
        Trials when no ``state`` is given (default 1).
    windows : sequence of (start, stop)
        Intervals in which the spikes of every neuron are counted (``AstroResult.counts``).
    record_every : float, default=0.01
        Interval of the population rate and calcium records, s (a whole number of steps; a run shorter than it has
        no records).
    snapshots : sequence of float
        Times at which a copy of the whole state is kept.
    trace : (start, stop), optional
        Interval in which the calcium of every astrocyte is kept at every step (``AstroResult.ca_trace``), e.g. to
        replay it in another run.
    ca_drive : array (rows, n_astrocytes), optional
        A calcium trace to replay instead of integrating the astrocytes (the authors' test runs): trial b's calcium
        at step s of this run is row ``drive_start[b] + s``; it must cover the whole run.  IP3 and h are then left
        unchanged.
    drive_start : int or array of ints (n_trials,), default=0
        The row of ``ca_drive`` each trial starts from.
    pulses : Pulses, optional
        Background pulses (:func:`background_pulses`; the binary form's noise), timed from the start of this run; a
        pulse still on at the end of the run ends there.  Default: none.
    device : None or str
        ``None``: the compiled CPU engine; ``"cpu"``, ``"cuda"``, ``"auto"``: the torch engine on that device.
    progress : bool, default=False
        Show a progress bar.
    """
    owner = "simulate"
    check_instance(owner, "params", params, _PARAMS)
    wiring = _check_wiring(wiring, params, owner)
    duration = check_scalar(owner, "duration", duration, Interval(0.0, MAX_STEPS * params.dt, "right"))
    n_steps = params.steps(duration)
    if n_steps < 1:
        raise ValueError(f"The 'duration' parameter of {owner} must be at least one step (dt = {params.dt:g} s). "
                         f"Got {duration!r} instead.")
    validate_params(owner, {"progress": progress}, {"progress": Boolean()})
    torch_device = resolve_device(device, owner)
    if state is None:
        n_trials = 1 if n_trials is None else n_trials
        state = initial_state(params, n_trials)
    else:
        check_instance(owner, "state", state, State)
        if state.v.shape[1:] != (params.n_neurons,) or state.ca.shape[1:] != (params.n_astrocytes,):
            raise ValueError(f"The 'state' parameter of {owner} must be a State of this network ({params.n_neurons} "
                             f"neurons, {params.n_astrocytes} astrocytes). Got {state.v.shape[1]} neurons instead.")
        if n_trials is not None and n_trials != state.n_trials:
            raise ValueError(f"The 'n_trials' parameter of {owner} must be None or the state's number of trials "
                             f"({state.n_trials}). Got {n_trials!r} instead.")
        state = State(*(np.array(x) for x in state[:-1]), int(state.step))
    B = state.n_trials
    stims = _check_stimuli(stimuli, params, B, duration, owner)
    record_every = check_scalar(owner, "record_every", record_every, Interval(params.dt, MAX_STEPS * params.dt, "both"))
    rec_steps = params.steps(record_every)
    if abs(record_every / params.dt - rec_steps) > 1e-6:
        raise ValueError(f"The 'record_every' parameter of {owner} must be a whole number of steps (dt = "
                         f"{params.dt:g} s). Got {record_every!r} instead.")
    empty = isinstance(windows, (list, tuple)) and len(windows) == 0
    win = np.zeros((0, 2)) if empty else check_array(owner, "windows", windows, Interval(0.0, duration, "both"), ndim=2)
    if win.shape[1] != 2 or np.any(win[:, 1] < win[:, 0]):
        raise ValueError(f"The 'windows' parameter of {owner} must give (start, stop) pairs with start <= stop. "
                         f"Got {windows!r} instead.")
    win_steps = np.round(win / params.dt).astype(np.int64)
    snap = _times(owner, "snapshots", snapshots, duration)
    snap_steps = np.round(snap / params.dt).astype(np.int64)
    A, N = params.n_astrocytes, params.n_neurons
    if trace is not None:
        tr = check_array(owner, "trace", trace, Interval(0.0, duration, "both"), ndim=1)
        if tr.shape != (2,) or tr[1] <= tr[0]:
            raise ValueError(f"The 'trace' parameter of {owner} must be a (start, stop) pair with start < stop. "
                             f"Got {trace!r} instead.")
        tr_steps = np.round(tr / params.dt).astype(np.int64)
    else:
        tr_steps = np.array([0, 0], dtype=np.int64)
    n_rec = n_steps // rec_steps
    check_memory(owner, 8 * (n_rec * B * (A + 1) + len(win) * B * N + (tr_steps[1] - tr_steps[0]) * B * A
                             + len(snap) * B * (4 * N + 6 * A)), "the records")
    if ca_drive is not None:
        ca_drive = np.ascontiguousarray(check_array(owner, "ca_drive", ca_drive, Interval(0.0, 1e3, "both"), ndim=2))
        if ca_drive.shape[1] != A:
            raise ValueError(f"The 'ca_drive' parameter of {owner} must have one column per astrocyte ({A}). "
                             f"Got shape {ca_drive.shape} instead.")
        rows = ca_drive.shape[0]
        drive_start = check_array(owner, "drive_start", np.broadcast_to(drive_start, (B,)) if np.ndim(drive_start) == 0
                                  else drive_start, Interval(0, max(rows - n_steps, 0), "both", integer=True), ndim=1)
        if drive_start.shape != (B,) or rows < n_steps:
            raise ValueError(f"The 'ca_drive' and 'drive_start' parameters of {owner} must give every trial "
                             f"{n_steps} rows (the run's steps): 'ca_drive' has {rows} rows and 'drive_start' "
                             f"shape {drive_start.shape} for {B} trials.")
    else:
        drive_start = np.zeros(B, dtype=np.int64)
    if pulses is not None:
        check_instance(owner, "pulses", pulses, Pulses)
        if pulses.trial.size and (pulses.trial.max() >= B or pulses.neuron.max() >= N):
            raise ValueError(f"The 'pulses' parameter of {owner} must be made for {B} trials of this network "
                             f"(background_pulses with the same params and n_trials).")

    # event list of the background pulses, per trial, sorted by step (an end before a start in the same step)
    if pulses is not None and pulses.trial.size:
        trial = np.concatenate([pulses.trial, pulses.trial])
        ev_step = np.concatenate([pulses.start, pulses.start + pulses.duration]).astype(np.int64) + state.step
        ev_on = np.concatenate([np.ones(pulses.start.size, bool), np.zeros(pulses.start.size, bool)])
        ev_neuron = np.concatenate([pulses.neuron, pulses.neuron]).astype(np.int64)
        ev_amp = np.concatenate([pulses.amplitude, pulses.amplitude]).astype(float)
        order = np.lexsort((ev_on, ev_step, trial))
        trial, ev_step, ev_on, ev_neuron, ev_amp = (x[order] for x in (trial, ev_step, ev_on, ev_neuron, ev_amp))
        ev_start = np.searchsorted(trial, np.arange(B + 1)).astype(np.int64)
    else:
        ev_step = np.zeros(0, np.int64)
        ev_on = np.zeros(0, bool)
        ev_neuron = np.zeros(0, np.int64)
        ev_amp = np.zeros(0)
        ev_start = np.zeros(B + 1, np.int64)
    ev_ptr = np.zeros(B, np.int64)

    # segment boundaries: inputs change, records, windows, snapshots, trace
    edges = {0, n_steps}
    edges.update(range(rec_steps, n_steps + 1, rec_steps))
    for a, b, _ in stims:
        edges.update((a, b))
    edges.update(int(x) for x in win_steps.reshape(-1))
    edges.update(int(x) for x in snap_steps)
    edges.update((int(tr_steps[0]), int(tr_steps[1])))
    if torch_device is not None:  # the torch engine keeps the trace one step at a time
        edges.update(range(int(tr_steps[0]), int(tr_steps[1])))
    edges.update(range(0, n_steps, SEGMENT))
    edges = sorted(e for e in edges if 0 <= e <= n_steps)

    trace_out = np.zeros((B, tr_steps[1] - tr_steps[0], A))
    if torch_device is None:
        engine = _NumbaEngine(params, wiring, state, ev_step, ev_neuron, ev_amp, ev_on, ev_start, ev_ptr, trace_out,
                              int(tr_steps[0]))
    else:
        engine = _torch_engine(params, wiring, state, torch_device, ev_step, ev_neuron, ev_amp, ev_on, ev_start)
    rate = np.zeros((n_rec, B))
    ca_rec = np.zeros((n_rec, B, A))
    counts = np.zeros((len(win), B, N), dtype=np.int64)
    snaps = {}
    rec_spikes = np.zeros(B, dtype=np.int64)
    i_app = np.zeros((B, N))
    snap_set = set(snap_steps.tolist())
    if 0 in snap_set:
        snaps[0] = engine.state()
    bar = tqdm(total=n_steps, disable=not progress, unit="step", desc="astrocyte network")
    for lo, hi in zip(edges[:-1], edges[1:]):
        i_app[:] = 0.0
        for a, b, cur in stims:
            if a <= lo and hi <= b:
                i_app += cur
        seg_counts = engine.advance(lo, hi - lo, i_app, ca_drive, drive_start + lo)
        rec_spikes += seg_counts.sum(axis=1)
        for w, (a, b) in enumerate(win_steps):
            if a <= lo and hi <= b:
                counts[w] += seg_counts
        if tr_steps[0] <= lo < tr_steps[1] and torch_device is not None:  # the torch engine: one step per segment
            trace_out[:, lo - tr_steps[0]] = engine.calcium()
        if hi % rec_steps == 0:
            r = hi // rec_steps - 1
            rate[r] = rec_spikes / (N * record_every)
            ca_rec[r] = engine.calcium()
            rec_spikes[:] = 0
        if hi in snap_set:
            snaps[hi] = engine.state()
        bar.update(hi - lo)
    bar.close()
    final = engine.state()
    return AstroResult(np.arange(1, n_rec + 1) * record_every, rate, ca_rec, win, counts,
                       tuple(snaps[int(s)] for s in snap_steps), snap, trace_out.transpose(1, 0, 2), final, params)


class _NumbaEngine:
    def __init__(self, params, wiring, state, ev_step, ev_neuron, ev_amp, ev_on, ev_start, ev_ptr, trace, trace_start):
        self.s = state
        self.trace, self.trace_start = trace, trace_start
        self.step0 = state.step
        self.kf, self.ki = _constants(params)
        self.zone = zones(params.size)
        self.acts_on = astrocyte_of(params.size)
        self.wiring = wiring
        self.events = (ev_step, ev_neuron, ev_amp, ev_on, ev_start, ev_ptr)
        B, N = state.v.shape
        self.noise = np.zeros((B, N))
        self.pulses = np.zeros((B, N), np.int64)
        self.empty_drive = np.zeros((0, params.n_astrocytes))

    def advance(self, lo, n, i_app, drive, drive_row):
        s = self.s
        counts = np.zeros(s.v.shape, dtype=np.int64)
        ev_step, ev_neuron, ev_amp, ev_on, ev_start, ev_ptr = self.events
        run = _engine_numba.run_one if s.v.shape[0] == 1 else _engine_numba.run
        run(s.v, s.rec, s.glu, s.isyn, s.ca, s.h, s.ip3, s.gate, s.glu_on, s.sync, self.noise,
                          self.pulses, self.step0 + lo, n, i_app, self.wiring.indptr, self.wiring.target,
                          self.wiring.weight, self.zone, self.acts_on, self.kf, self.ki, ev_step, ev_neuron, ev_amp,
                          ev_on, ev_start, ev_ptr, self.empty_drive if drive is None else drive, drive_row, counts,
                          self.trace, lo - self.trace_start)
        self.s = s._replace(step=self.step0 + lo + n)
        return counts

    def calcium(self):
        return self.s.ca.copy()

    def state(self):
        return State(*(x.copy() for x in self.s[:-1]), self.s.step)


def _torch_engine(params, wiring, state, device, ev_step, ev_neuron, ev_amp, ev_on, ev_start):
    from ._engine_torch import TorchEngine

    return TorchEngine(params, wiring, state, device, ev_step, ev_neuron, ev_amp, ev_on, ev_start, _constants(params))
