r"""Loading, keeping and recalling an image in the analog network of Tsybina et al. (2022), and scoring recall.

The protocol, times in s:

* **loading**: from 0.2 to 0.3 s every neuron receives :math:`I = 4 + 4\,P/255`, with P = 255 x the intensity of
  its pixel (:mod:`.images`), so the most intense pixels fire fast (over 100 Hz) and the least not at all.  Synapses whose weights
  imprint the image (:func:`~wmlib.astrocyte.store_image`) and the neurons' glutamate drive the astrocytes, whose
  calcium rises over the next second, most under the darkest regions;
* **delay**: no input, the neurons fall silent; the memory is in the astrocytes' calcium;
* **cue** at ``cue_time`` (1.4 s by default, 1.1 s after loading ended): for 0.1 s an input :math:`I = 3 + 5.67\,x`
  from a cue image x (a noisy copy of the stored image, or another image), or a uniform random current in [2, 6];
* **recall**: spikes of every neuron counted over 0.5 s from the cue's onset give a *rate map*; its PSNR against
  the stored image (:func:`psnr`) scores the recall.

The astrocytes shape recall through the facilitation they apply while their calcium is above threshold: neurons
under high-calcium astrocytes get stronger synapses, so the cue's pattern is completed towards the stored one.

Two ways of running the cue are offered (``mode``):

* ``"replay"``, the authors' code: the loading run continues to 1.9 s while recording calcium; each cue is then a
  separate 0.7 s run from rest, its cue at 0.2 s, in which the astrocytes are not simulated: their calcium is
  replayed from the loading run, from 1.2 s on (so that the cue falls at 1.4 s of the stored trace);
* ``"online"``: one continuous life, the cue applied to the network as the delay left it, the astrocytes still
  simulated (and free to respond to the cue's own activity).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .._validation import Interval, check_array, check_instance, check_random_state, check_scalar
from .params import AnalogParams
from .simulation import Stimulus, simulate
from .wiring import Wiring, connect, store_image

__all__ = ["Cue", "image_cue", "uniform_cue", "Recall", "recall", "psnr", "LOAD", "CUE_DURATION", "READOUT",
           "load_current", "cue_current"]

#: The loading interval, s.
LOAD = (0.2, 0.3)
#: How long a cue lasts, s.
CUE_DURATION = 0.1
#: How long spikes are counted from the cue's onset, s.
READOUT = 0.5
#: Where the replayed calcium starts in the loading run, relative to the cue time (the authors' 1.2 s for a cue at 1.4 s).
_REPLAY_LEAD = 0.2

_UNIT = Interval(0.0, 1.0, "both")


def load_current(image) -> np.ndarray:
    """The loading current of every neuron, :math:`4 + 4\\,P/255` = 4 + 4 intensity."""
    image = check_array("load_current", "image", image, _UNIT, ndim=2)
    return 4.0 + 4.0 * image


def cue_current(image) -> np.ndarray:
    """The cue current of every neuron for a cue image, :math:`3 + 5.67\\,x` (x the intensity)."""
    image = check_array("cue_current", "image", image, _UNIT, ndim=2)
    return 3.0 + 5.67 * image


class Cue(NamedTuple):
    """A cue: its name, the current it applies (``(size, size)``) and the picture it shows (the current rescaled to
    [0, 1], what :func:`psnr` compares with the stored image to score the cue itself)."""

    name: str
    current: np.ndarray
    picture: np.ndarray


def image_cue(image, name: str = "image") -> Cue:
    """A cue showing ``image`` (intensity in [0, 1]): a noisy copy of the stored image, or another image."""
    current = cue_current(image)
    if not isinstance(name, str):
        raise TypeError(f"The 'name' parameter of image_cue must be a str. Got {name!r} instead.")
    return Cue(name, current, np.asarray(image, float))


def uniform_cue(size: int, rng=0, low: float = 2.0, high: float = 6.0, name: str = "uniform noise") -> Cue:
    """A cue of independent uniform random currents in [``low``, ``high``] (Tsybina et al.: [2, 6])."""
    size = check_scalar("uniform_cue", "size", size, Interval(1, 3001, "both", integer=True))
    low = check_scalar("uniform_cue", "low", low, Interval(-1e3, 1e3, "both"))
    high = check_scalar("uniform_cue", "high", high, Interval(low, 1e3, "both"))
    rng = check_random_state(rng, "rng", "uniform_cue")
    if not isinstance(name, str):
        raise TypeError(f"The 'name' parameter of uniform_cue must be a str. Got {name!r} instead.")
    current = rng.uniform(low, high, size=(size, size))
    picture = (current - low) / (high - low) if high > low else np.zeros_like(current)
    return Cue(name, current, picture)


def psnr(rate_map, image) -> float:
    """Peak signal-to-noise ratio (dB) of a map against ``image`` (intensity in [0, 1]), as Tsybina et al. score recall.

    The map is rescaled to 0-255 by its own minimum and maximum (a constant map becomes 0), the image is 255 times
    its intensity, and :math:`\\mathrm{PSNR} = 10 \\log_{10}(255^2 / \\mathrm{MSE})`; identical images give ``inf``.
    """
    rate_map = check_array("psnr", "rate_map", rate_map, ndim=2)
    image = check_array("psnr", "image", image, _UNIT, ndim=2)
    if rate_map.shape != image.shape:
        raise ValueError(f"The 'rate_map' parameter of psnr must have the image's shape {image.shape}. "
                         f"Got shape {rate_map.shape} instead.")
    lo, hi = rate_map.min(), rate_map.max()
    scaled = (rate_map - lo) / (hi - lo) * 255.0 if hi > lo else np.zeros_like(rate_map)
    mse = float(np.mean((scaled - 255.0 * image) ** 2))
    return float("inf") if mse == 0 else float(10.0 * np.log10(255.0 ** 2 / mse))


class Recall(NamedTuple):
    """The outcome of :func:`recall`: one trial per cue time (axis 0) and cue (axis 1)."""

    names: tuple  #: cue names
    cue_times: np.ndarray  #: (T,) cue onsets, s
    rate_maps: np.ndarray  #: (T, C, size, size) firing rate of every neuron over the readout, Hz
    psnr: np.ndarray  #: (T, C) PSNR of each rate map against the stored image, dB
    cue_psnr: np.ndarray  #: (C,) PSNR of each cue's picture against the stored image, dB
    load_map: np.ndarray  #: (size, size) firing rate during loading, Hz
    delay_rate: float  #: mean firing rate of all neurons from 0.2 s after loading to the first cue, Hz
    t: np.ndarray  #: (R,) times of the loading run's records, s
    rate: np.ndarray  #: (R,) population rate of the loading run, Hz
    ca: np.ndarray  #: (R, A) astrocytic calcium of the loading run, µM
    ca_at_cue: np.ndarray  #: (T, A) calcium at each cue onset, µM
    mode: str


def recall(params: AnalogParams, image, cues, *, cue_time=1.4, mode: str = "replay", wiring=None, rng=0,
           run_until: float | None = None, device=None, progress: bool = False) -> Recall:
    """Load ``image`` into the network, then present each cue at each cue time (one trial each, in one batch).

    Parameters
    ----------
    params : AnalogParams
        The network (``nu_ca=0`` removes the astrocytes' effect on the synapses: the astrocytes-off control).
    image : array (size, size)
        The image to store, intensity in [0, 1].
    cues : Cue or list of Cue
        What to present (:func:`image_cue`, :func:`uniform_cue`).
    cue_time : float or array of floats, default=1.4
        Onsets of the cues, s (loading ends at 0.3 s): each cue is presented at each of them, in separate trials.
    mode : {"replay", "online"}, default="replay"
        How the cue runs (see the module docstring).
    wiring : Wiring, optional
        The synapses before the image is stored (default: :func:`connect` with ``rng``).
    rng : int or Generator
        Seed of the wiring (when not given).
    run_until : float, optional
        Length of the loading run (default: what the recall needs: the last cue time, plus the readout in
        ``"replay"`` mode); the records ``t, rate, ca`` cover it.
    device : None or str
        Engine (see :func:`~wmlib.astrocyte.simulate`).
    progress : bool, default=False
        Show progress bars.
    """
    owner = "recall"
    check_instance(owner, "params", params, AnalogParams)
    image = check_array(owner, "image", image, _UNIT, ndim=2)
    if image.shape != (params.size, params.size):
        raise ValueError(f"The 'image' parameter of {owner} must have shape ({params.size}, {params.size}). "
                         f"Got shape {image.shape} instead.")
    cues = (cues,) if isinstance(cues, Cue) else cues
    if not isinstance(cues, (list, tuple)) or not cues:
        raise TypeError(f"The 'cues' parameter of {owner} must be a Cue or a non-empty list of them. Got {cues!r} instead.")
    for k, cue in enumerate(cues):
        if not isinstance(cue, Cue):
            raise TypeError(f"The 'cues' parameter of {owner} must be a Cue or a list of them; item {k} is a "
                            f"{type(cue).__name__}.")
        if np.shape(cue.current) != image.shape:
            raise ValueError(f"The 'cues' parameter of {owner} must have the image's shape {image.shape}; item {k} "
                             f"has shape {np.shape(cue.current)}.")
    if not isinstance(mode, str):
        raise TypeError(f"The 'mode' parameter of {owner} must be a str among {{'replay', 'online'}}. Got {mode!r} instead.")
    if mode not in ("replay", "online"):
        raise ValueError(f"The 'mode' parameter of {owner} must be a str among {{'replay', 'online'}}. Got {mode!r} instead.")
    earliest = LOAD[1] + (_REPLAY_LEAD if mode == "replay" else 0.0)
    times = check_array(owner, "cue_time", np.atleast_1d(cue_time) if np.ndim(cue_time) == 0 else cue_time,
                        Interval(earliest, 1e3, "both"), ndim=1)
    rng = check_random_state(rng, "rng", owner)
    if wiring is None:
        wiring = connect(params, rng)
    else:
        check_instance(owner, "wiring", wiring, Wiring)
    wiring = store_image(wiring, image, params)
    need = times.max() + (READOUT if mode == "replay" else 0.0)
    run_until = need if run_until is None else check_scalar(owner, "run_until", run_until, Interval(need, 1e3, "both"))
    load = Stimulus(LOAD[0], LOAD[1], load_current(image))
    delay = (min(LOAD[1] + 0.2, times.min()), times.min())
    trace = (times.min() - _REPLAY_LEAD, need) if mode == "replay" else None
    first = simulate(params, wiring, run_until, stimuli=[load], windows=[LOAD, delay], snapshots=times, trace=trace,
                     device=device, progress=progress)
    n_t, n_c = times.size, len(cues)
    currents = np.tile(np.stack([np.asarray(c.current, float) for c in cues]), (n_t, 1, 1))
    if mode == "online":  # branch every cue off the state at its cue time
        parts = [snap.take(np.zeros(n_c, dtype=int)) for snap in first.snapshots]
        start = parts[0]._replace(**{f: np.concatenate([getattr(p, f) for p in parts]) for f in parts[0]._fields[:-1]})
        second = simulate(params, wiring, READOUT, state=start, windows=[(0.0, READOUT)],
                          stimuli=[Stimulus(0.0, CUE_DURATION, currents)], device=device, progress=progress)
    else:  # the authors' test runs: from rest, the cue at 0.2 s, calcium replayed from 0.2 s before the cue time
        rows = np.repeat(np.round((times - times.min()) / params.dt).astype(np.int64), n_c)
        second = simulate(params, wiring, _REPLAY_LEAD + READOUT, n_trials=n_t * n_c,
                          windows=[(_REPLAY_LEAD, _REPLAY_LEAD + READOUT)],
                          stimuli=[Stimulus(_REPLAY_LEAD, _REPLAY_LEAD + CUE_DURATION, currents)],
                          ca_drive=first.ca_trace[:, 0, :], drive_start=rows, device=device, progress=progress)
    size = params.size
    maps = second.counts[0].reshape(n_t, n_c, size, size) / READOUT
    scores = np.array([[psnr(m, image) for m in row] for row in maps])
    cue_scores = np.array([psnr(c.picture, image) for c in cues])
    load_map = first.counts[0, 0].reshape(size, size) / (LOAD[1] - LOAD[0])
    d0, d1 = delay
    delay_rate = float(first.counts[1, 0].mean() / (d1 - d0)) if d1 > d0 else 0.0
    ca_cue = np.stack([snap.ca[0] for snap in first.snapshots])
    return Recall(tuple(c.name for c in cues), times, maps, scores, cue_scores, load_map, delay_rate, first.t,
                  first.rate[:, 0], first.ca[:, 0], ca_cue, mode)
