r"""Working-memory tasks for the trained networks (Masse et al. 2019, and four teaching tasks).

A task turns a random seed into a batch of trials: inputs, target outputs and a
loss mask, all time-major (``(n_steps, batch, ...)``), with the trial variables
(sample and test directions, match, rule) alongside.  Each task is one small
function registered in :data:`TASKS`; the shared machinery (motion tuning,
epochs, masks) lives in :class:`TrialBuilder`.

**Inputs.**  Motion directions :math:`\theta_i = i\cdot 45^\circ`, :math:`i=0..7`,
are encoded by 24 direction-tuned units per receptive field (RF), unit :math:`n`
preferring :math:`\phi_n = n\cdot 15^\circ`, with von Mises tuning

.. math::  s_n(\theta) = A\,\exp\big(\kappa\cos(\theta-\phi_n)\big)/e^{\kappa},\qquad \kappa = 2,\ A = 4,

present only while a stimulus is on.  Tasks with a rule add 6 rule units (rule
:math:`r` drives units :math:`n` with :math:`n \bmod 2 = r`, at height :math:`A`).
Gaussian noise of s.d. :math:`\sqrt{2/\alpha}\,\sigma_{in}` (:math:`\sigma_{in}=0.1`,
:math:`\alpha = dt/\tau = 0.1`) is added to every input at every step and the
result is rectified, as in the original code (HEAD; the revision-era code used
:math:`A = 5`).

**Outputs and loss mask** (paper tasks).  Three outputs: 0 fixation, 1
non-match, 2 match.  The target is fixation outside test windows and
match/non-match inside them.  The mask is 1, except 0 for the first 50 ms of
each test window and 2 for the rest of it (``test_cost_multiplier = 2``).
Accuracy is computed on the masked test steps only.

**Teaching tasks** (simpler tasks for teaching, not in the paper): the network *reports* a direction, with 9 outputs (0 fixation,
1 + i direction i) and mask as above on the report windows.

References
----------
Masse, N. Y., Yang, G. R., Song, H. F., Wang, X.-J. & Freedman, D. J. (2019).
Circuit mechanisms for the maintenance and manipulation of information in
working memory. Nature Neuroscience 22, 1159–1167.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np

from .._validation import Boolean, Interval, check_instance, check_memory, check_random_state, validate_params

__all__ = [
    "DT_MS",
    "N_DIRECTIONS",
    "N_MOTION",
    "Trial",
    "TaskSpec",
    "TASKS",
    "PAPER_TASKS",
    "TEACHING_TASKS",
    "make_trials",
    "check_trial_matches",
    "motion_tuning",
    "accuracy",
]

DT_MS = 10  #: time step, ms
N_DIRECTIONS = 8  #: motion directions, 45 deg apart
N_MOTION = 24  #: direction-tuned input units per receptive field
N_RULE = 6  #: rule-tuned input units (tasks with a rule)
KAPPA = 2.0  #: von Mises concentration of the input tuning
TUNING_HEIGHT = 4.0  #: peak input, A (HEAD; 5 in the revision-era code)
ALPHA = DT_MS / 100.0  #: dt / tau
INPUT_NOISE_SD = float(np.sqrt(2.0 / ALPHA) * 0.1)  #: per-step input noise, sqrt(2/alpha) * 0.1
MASK_MS = 50  #: start of each test/report window excluded from the loss
TEST_COST = 2.0  #: weight of the remaining test/report steps
FIXATION, NON_MATCH, MATCH = 0, 1, 2


def motion_tuning(directions, height: float = TUNING_HEIGHT) -> np.ndarray:
    """Responses of the 24 direction-tuned units to motion directions.

    Parameters
    ----------
    directions : int array of any shape
        Direction indices in 0..7 (direction i is i * 45 deg).
    height : float, default=4.0
        Peak response A.

    Returns
    -------
    ndarray of shape (*directions.shape, 24)
    """
    d = np.asarray(directions)
    if d.size and (d.min() < 0 or d.max() >= N_DIRECTIONS or not np.issubdtype(d.dtype, np.integer)):
        raise ValueError(f"The 'directions' parameter of motion_tuning must hold ints in the range [0, 7]. Got {directions!r} instead.")
    theta = d[..., None] * (2 * np.pi / N_DIRECTIONS)
    phi = np.arange(N_MOTION) * (2 * np.pi / N_MOTION)
    return height * np.exp(KAPPA * np.cos(theta - phi)) / np.exp(KAPPA)


class Trial(NamedTuple):
    """A batch of trials (time-major)."""

    inputs: np.ndarray  #: float32 (n_steps, batch, n_inputs), noisy and rectified
    targets: np.ndarray  #: int64 (n_steps, batch), output index
    mask: np.ndarray  #: float32 (n_steps, batch), loss weight
    info: dict  #: trial variables: "sample", "test", "match", "rule", ... (arrays over the batch)
    epochs: dict  #: epoch name -> (first step, end step), shared by the batch
    task: str
    dt_ms: float = DT_MS  #: length of one step, ms (the network that runs these trials must use the same ``dt``)

    @property
    def n_steps(self) -> int:
        return self.inputs.shape[0]

    @property
    def batch_size(self) -> int:
        return self.inputs.shape[1]


@dataclass(frozen=True)
class TaskSpec:
    """A registered task: its name, sizes, epochs (ms, the one place a task's timing is written) and trial generator."""

    name: str
    n_inputs: int
    n_outputs: int
    generate: Callable  # (builder, rng, test_mode) -> None
    description: str
    source: str  # a bibtex key ("Masse2019"), or "teaching" for the book's own teaching tasks
    epochs_ms: dict = field(default_factory=dict)  # epoch name -> (start, end) in ms

    @property
    def duration_ms(self) -> int:
        """Length of a trial: the end of its last epoch, ms."""
        return max(end for _, end in self.epochs_ms.values())


TASKS: dict[str, TaskSpec] = {}


def _register(name, n_inputs, n_outputs, epochs_ms, source):
    def wrap(fn):
        TASKS[name] = TaskSpec(name, n_inputs, n_outputs, fn, (fn.__doc__ or "").strip(), source, epochs_ms)
        return fn

    return wrap


class TrialBuilder:
    """Fills the arrays of one batch; task functions say *what* happens in which named epoch of the task."""

    def __init__(self, spec: TaskSpec, batch_size: int):
        self.spec = spec
        self.dt_ms = DT_MS
        self.n_steps = spec.duration_ms // self.dt_ms
        self.batch = batch_size
        self.stim = np.zeros((self.n_steps, batch_size, spec.n_inputs))
        self.targets = np.full((self.n_steps, batch_size), FIXATION, dtype=np.int64)
        self.mask = np.ones((self.n_steps, batch_size), dtype=np.float32)
        self.info: dict = {}

    def steps(self, start_ms: int, end_ms: int) -> slice:
        return slice(start_ms // self.dt_ms, end_ms // self.dt_ms)

    def window(self, epoch: str) -> tuple:
        """(start, end) of a named epoch of the task, ms."""
        return self.spec.epochs_ms[epoch]

    def motion(self, epoch: str, directions, rf: int = 0):
        """Show one direction per trial in receptive field ``rf`` during ``epoch``."""
        s = self.steps(*self.window(epoch))
        self.stim[s, :, rf * N_MOTION:(rf + 1) * N_MOTION] += motion_tuning(directions)[None]

    def rule(self, epoch: str, rule):
        """Drive the rule units of rule ``rule[b]`` during ``epoch``."""
        first = self.spec.n_inputs - N_RULE
        units = (np.arange(N_RULE)[None, :] % 2) == np.asarray(rule)[:, None]  # (batch, 6)
        self.stim[self.steps(*self.window(epoch)), :, first:] += TUNING_HEIGHT * units[None]

    def respond(self, epoch: str, target):
        """Require output ``target[b]`` during ``epoch``, masked for its first 50 ms."""
        start_ms, end_ms = self.window(epoch)
        s = self.steps(start_ms, end_ms)
        self.targets[s] = np.asarray(target)[None, :]
        self.mask[s] = TEST_COST
        self.mask[self.steps(start_ms, start_ms + MASK_MS)] = 0.0

    def finish(self, rng, noise: bool) -> Trial:
        # inputs = max(stim + sd * xi, 0), built in the array of the draws (a dualDMS batch of 1024 is 22 M numbers:
        # no temporaries); float addition commutes exactly, so this equals the expression as written
        if noise:
            x = rng.standard_normal(self.stim.shape)
            x *= INPUT_NOISE_SD
            x += self.stim
            inputs = np.maximum(x, 0.0, out=x).astype(np.float32)
        else:
            inputs = np.maximum(self.stim, 0.0).astype(np.float32)
        epochs = {k: (a // self.dt_ms, b // self.dt_ms) for k, (a, b) in self.spec.epochs_ms.items()}
        return Trial(inputs, self.targets, self.mask, self.info, epochs, self.spec.name, self.dt_ms)


def make_trials(task: str, batch_size: int, rng, test_mode: bool = False, noise: bool = True) -> Trial:
    """Generate a batch of trials of ``task``.

    Parameters
    ----------
    task : str
        A key of :data:`TASKS` (e.g. ``"DMS"``).
    batch_size : int
        Number of trials, >= 1.
    rng : int or numpy.random.Generator
        Seed or generator; the same seed gives the same trials.
    test_mode : bool, default=False
        Draw test directions independently of the sample (uniformly over the 8
        directions) instead of 50 % matches: used for decoding, so that the
        test does not carry information about the sample.
    noise : bool, default=True
        Add the input noise (turn off to look at the clean stimulus).
    """
    if task not in TASKS:
        raise ValueError(f"The 'task' parameter of make_trials must be a str among {sorted(TASKS)}. Got {task!r} instead.")
    validate_params("make_trials", {"batch_size": batch_size, "test_mode": test_mode, "noise": noise},
                    {"batch_size": Interval(1, np.inf, "left", integer=True), "test_mode": Boolean(), "noise": Boolean()})
    spec = TASKS[task]
    # stim, noise draws and inputs (float64, float64, float32) for every step, trial and input unit
    check_memory("make_trials", 20.0 * int(batch_size) * (spec.duration_ms // DT_MS) * spec.n_inputs,
                 f"{int(batch_size)} trials of {task}")
    rng = check_random_state(rng)
    b = TrialBuilder(spec, int(batch_size))
    spec.generate(b, rng, bool(test_mode))
    return b.finish(rng, noise)


def torch_tensor_types() -> tuple:
    """``(torch.Tensor,)`` if torch is imported, else ``()`` (checking a type never imports torch)."""
    import sys

    torch = sys.modules.get("torch")
    return (torch.Tensor,) if torch is not None else ()


def check_trial_matches(model, trial: Trial, owner: str) -> None:
    """Raise ``ValueError`` unless ``model`` can run ``trial``: the same time step and number of inputs."""
    from .model import STSPRNN

    check_instance(owner, "model", model, STSPRNN)
    if not isinstance(trial, Trial):
        raise TypeError(f"The 'trial' parameter of {owner} must be a Trial (from make_trials). "
                        f"Got {type(trial).__name__} instead.")
    cfg = model.config
    if cfg.dt != trial.dt_ms:
        raise ValueError(f"The network of {owner} steps {cfg.dt:g} ms (RNNConfig.dt) but the trials of "
                         f"{trial.task!r} step {trial.dt_ms:g} ms; use a network with dt={trial.dt_ms:g}.")
    if cfg.n_input != trial.inputs.shape[-1]:
        raise ValueError(f"The network of {owner} has {cfg.n_input} inputs but the trials of {trial.task!r} have "
                         f"{trial.inputs.shape[-1]}; use a network trained on {trial.task!r}.")


def accuracy(logits, trial: Trial) -> float:
    """Fraction of masked test/report steps where the largest output is the target (Masse et al. 2019).

    Parameters
    ----------
    logits : array of shape (n_steps, batch, n_outputs)
    trial : Trial
    """
    check_instance("accuracy", "trial", trial, Trial)
    if isinstance(logits, torch_tensor_types()):
        logits = logits.detach().cpu().numpy()
    out = np.asarray(logits) if not isinstance(logits, (str, bytes)) else np.asarray([])
    if out.dtype.kind not in "iuf":
        raise TypeError(f"The 'logits' parameter of accuracy must be an array of floats. Got {type(logits).__name__} "
                        f"of {out.dtype} instead.")
    if out.ndim != 3 or out.shape[:2] != trial.targets.shape:
        raise ValueError(f"The 'logits' parameter of accuracy must have shape {trial.targets.shape + ('n_outputs',)}. "
                         f"Got {out.shape} instead.")
    if not np.all(np.isfinite(out)):
        raise ValueError("The 'logits' parameter of accuracy must be finite (no NaN or inf): a network whose outputs "
                         "are not numbers has no accuracy.")
    scored = (trial.mask > 0) & (trial.targets != FIXATION)
    if not scored.any():
        raise ValueError("The trial has no scored (test/report) steps, so accuracy is undefined; "
                         "was it cut before the first test?")
    return float((out.argmax(-1) == trial.targets)[scored].mean())


# ----------------------------------------------------------------------------------------------
# Paper tasks (Masse et al. 2019; timings and statistics from the final code, see the chapter)
# ----------------------------------------------------------------------------------------------
_STD = {"fixation": (0, 500), "sample": (500, 1000), "delay": (1000, 2000), "test": (2000, 2500)}


def _other_direction(rng, exclude):
    """A uniformly drawn direction different from ``exclude`` (per trial)."""
    d = rng.integers(0, N_DIRECTIONS - 1, size=np.shape(exclude))
    return d + (d >= exclude)


def _match_to(b: TrialBuilder, rng, test_mode, match_dir):
    """Test direction: equal to ``match_dir`` with p = 0.5, else another one; uniform in test mode."""
    if test_mode:
        test = rng.integers(0, N_DIRECTIONS, size=b.batch)
    else:
        is_match = rng.random(b.batch) < 0.5
        test = np.where(is_match, match_dir, _other_direction(rng, match_dir))
    return test, test == match_dir


def _delayed_match(b: TrialBuilder, rng, test_mode, rotation: int):
    sample = rng.integers(0, N_DIRECTIONS, size=b.batch)
    target_dir = (sample + rotation) % N_DIRECTIONS
    test, match = _match_to(b, rng, test_mode, target_dir)
    b.motion("sample", sample)
    b.motion("test", test)
    b.respond("test", np.where(match, MATCH, NON_MATCH))
    b.info.update(sample=sample, test=test[:, None], match=match[:, None])


@_register("DMS", N_MOTION, 3, _STD, "Masse2019")
def _dms(b, rng, test_mode):
    """Delayed match-to-sample: match if the test direction equals the sample."""
    _delayed_match(b, rng, test_mode, 0)


for _k, _deg in ((1, 45), (2, 90), (4, 180)):

    def _dmrs(b, rng, test_mode, _k=_k):
        _delayed_match(b, rng, test_mode, _k)

    _dmrs.__doc__ = f"Delayed match-to-rotated-sample: match if the test is the sample rotated by {_deg} deg."
    _register(f"DMRS{_deg}", N_MOTION, 3, _STD, "Masse2019")(_dmrs)


@_register("DMC", N_MOTION, 3, _STD, "Masse2019")
def _dmc(b, rng, test_mode):
    """Delayed match-to-category: directions 0-3 (0-135 deg) and 4-7 form two categories; match if same category."""
    sample = rng.integers(0, N_DIRECTIONS, size=b.batch)
    cat = sample // 4
    if test_mode:
        test = rng.integers(0, N_DIRECTIONS, size=b.batch)
    else:
        is_match = rng.random(b.batch) < 0.5
        test_cat = np.where(is_match, cat, 1 - cat)
        test = 4 * test_cat + rng.integers(0, 4, size=b.batch)
    match = test // 4 == cat
    b.motion("sample", sample)
    b.motion("test", test)
    b.respond("test", np.where(match, MATCH, NON_MATCH))
    b.info.update(sample=sample, test=test[:, None], match=match[:, None], category=cat)


@_register("DMS+DMRS", N_MOTION + N_RULE, 3, {**_STD, "rule_cue": (1500, 1750)}, "Masse2019")
def _delayed_rule(b, rng, test_mode):
    """Delayed rule: a cue 500-750 ms into the delay says whether this trial is DMS (rule 0) or DMRS90 (rule 1)."""
    rule = rng.integers(0, 2, size=b.batch)
    sample = rng.integers(0, N_DIRECTIONS, size=b.batch)
    target_dir = (sample + 2 * rule) % N_DIRECTIONS
    test, match = _match_to(b, rng, test_mode, target_dir)
    b.motion("sample", sample)
    b.rule("rule_cue", rule)
    b.motion("test", test)
    b.respond("test", np.where(match, MATCH, NON_MATCH))
    b.info.update(sample=sample, test=test[:, None], match=match[:, None], rule=rule)


_ABBA_EPOCHS = {"fixation": (0, 500), "sample": (500, 900), "delay1": (900, 1300), "test1": (1300, 1700),
                "delay2": (1700, 2100), "test2": (2100, 2500), "delay3": (2500, 2900), "test3": (2900, 3300),
                "end": (3300, 3800)}
_ABBA_TESTS = ("test1", "test2", "test3")


def _sequence_of_tests(b, rng, test_mode, repeat_prob):
    sample = rng.integers(0, N_DIRECTIONS, size=b.batch)
    n_tests = len(_ABBA_TESTS)  # test1, test2, test3
    test = np.empty((b.batch, n_tests), dtype=np.int64)
    shown = np.zeros((b.batch, N_DIRECTIONS), dtype=bool)
    shown[np.arange(b.batch), sample] = True
    for i in range(n_tests):
        if test_mode:
            test[:, i] = rng.integers(0, N_DIRECTIONS, size=b.batch)
            continue
        is_match = rng.random(b.batch) < 0.5
        # a direction not shown yet in this trial (at most 4 of 8 are ever shown, so one always exists)
        fresh = np.argmax(rng.random((b.batch, N_DIRECTIONS)) * ~shown, axis=1)
        choice = fresh
        if i > 0:
            prev = test[:, i - 1]
            repeat = (rng.random(b.batch) < repeat_prob) & (prev != sample)
            choice = np.where(repeat, prev, fresh)
        test[:, i] = np.where(is_match, sample, choice)
        shown[np.arange(b.batch), test[:, i]] = True
    match = test == sample[:, None]
    b.motion("sample", sample)
    for i, epoch in enumerate(_ABBA_TESTS):
        b.motion(epoch, test[:, i])
        b.respond(epoch, np.where(match[:, i], MATCH, NON_MATCH))
    b.info.update(sample=sample, test=test, match=match)


@_register("ABBA", N_MOTION, 3, _ABBA_EPOCHS, "Masse2019")
def _abba(b, rng, test_mode):
    """ABBA: three tests after a 400 ms sample, each a match with p = 0.5; a non-matching test is repeated
    in the next test with p = 0.5, so the network must not just report "seen before"."""
    _sequence_of_tests(b, rng, test_mode, 0.5)


@_register("ABCA", N_MOTION, 3, _ABBA_EPOCHS, "Masse2019")
def _abca(b, rng, test_mode):
    """ABCA: as ABBA, but non-matching tests are always new directions."""
    _sequence_of_tests(b, rng, test_mode, 0.0)


_DUAL_EPOCHS = {"fixation": (0, 500), "sample": (500, 1000), "delay1": (1000, 2000), "test1": (2000, 2500),
                "delay2": (2500, 3500), "test2": (3500, 4000), "cue1": (1500, 2500), "cue2": (3000, 4000)}


@_register("dualDMS", 2 * N_MOTION + N_RULE, 3, _DUAL_EPOCHS, "Masse2019")
def _dual_dms(b, rng, test_mode):
    """Dual DMS (after Rose et al. 2016): two samples in two receptive fields; before each of two tests a rule
    cue says which one is tested."""
    sample = rng.integers(0, N_DIRECTIONS, size=(b.batch, 2))
    cue = rng.integers(0, 2, size=(b.batch, 2))  # which RF is tested at test 1 and test 2
    test = np.empty((b.batch, 2, 2), dtype=np.int64)  # (trial, test index, RF)
    match = np.empty((b.batch, 2), dtype=bool)
    rows = np.arange(b.batch)
    for i in range(2):
        cued_sample = sample[rows, cue[:, i]]
        t_cued, m = _match_to(b, rng, test_mode, cued_sample)
        t_other = rng.integers(0, N_DIRECTIONS, size=b.batch)
        test[rows, i, cue[:, i]] = t_cued
        test[rows, i, 1 - cue[:, i]] = t_other
        match[:, i] = m
    for rf in range(2):
        b.motion("sample", sample[:, rf], rf=rf)
    for i in range(2):
        b.rule(f"cue{i + 1}", cue[:, i])
        for rf in range(2):
            b.motion(f"test{i + 1}", test[:, i, rf], rf=rf)
        b.respond(f"test{i + 1}", np.where(match[:, i], MATCH, NON_MATCH))
    b.info.update(sample=sample, test=test, match=match, rule=cue)


PAPER_TASKS = ("DMS", "DMRS45", "DMRS90", "DMRS180", "DMC", "DMS+DMRS", "ABBA", "ABCA", "dualDMS")

# ----------------------------------------------------------------------------------------------
# Teaching tasks: report a direction (9 outputs: fixation + 8 directions)
# ----------------------------------------------------------------------------------------------
_REPORT_OUT = 1 + N_DIRECTIONS


@_register("simple_delay", N_MOTION, _REPORT_OUT,
           {"fixation": (0, 200), "sample": (200, 250), "delay": (250, 1250), "report": (1250, 1800)}, "teaching")
def _simple_delay(b, rng, test_mode):
    """Simple delay: a 50 ms sample, a 1000 ms delay, then report the sample's direction."""
    sample = rng.integers(0, N_DIRECTIONS, size=b.batch)
    b.motion("sample", sample)
    b.respond("report", 1 + sample)
    b.info.update(sample=sample)


def _sequence(b, rng, n_items):
    items = rng.integers(0, N_DIRECTIONS, size=(b.batch, n_items))
    for k in range(n_items):
        b.motion(f"sample{k + 1}", items[:, k])
    for k in range(n_items):
        b.respond(f"report{k + 1}", 1 + items[:, k])
    b.info.update(sample=items)


def _seq_epochs(n):
    last = 250 + 150 * (n - 1)
    ep = {"fixation": (0, 200)}
    for k in range(n):
        ep[f"sample{k + 1}"] = (200 + 150 * k, 250 + 150 * k)
    ep["delay"] = (last, last + 1000)
    for k in range(n):
        ep[f"report{k + 1}"] = (last + 1000 + 300 * k, last + 1000 + 300 * (k + 1))
    return ep


for _n in (2, 3):

    def _seq(b, rng, test_mode, _n=_n):
        _sequence(b, rng, _n)

    _seq.__doc__ = (f"Sequential memory: {_n} samples of 50 ms, 100 ms apart; after a 1000 ms delay, report them "
                    f"in order (300 ms each).")
    _ep = _seq_epochs(_n)
    _register(f"sequence{_n}", N_MOTION, _REPORT_OUT, _ep, "teaching")(_seq)


_MID = {"fixation": (0, 200), "sample": (200, 250), "delay1": (250, 750), "second": (750, 800),
        "delay2": (800, 1250), "report": (1250, 1800)}


def _two_stimuli(b: TrialBuilder, rng, report_second: bool):
    """A 50 ms sample, a second 50 ms stimulus 500 ms into the delay, a report after the delay."""
    first = rng.integers(0, N_DIRECTIONS, size=b.batch)
    second = rng.integers(0, N_DIRECTIONS, size=b.batch)
    b.motion("sample", first)
    b.motion("second", second)
    b.respond("report", 1 + (second if report_second else first))
    return first, second


@_register("memory_update", N_MOTION, _REPORT_OUT, _MID, "teaching")
def _memory_update(b, rng, test_mode):
    """Memory update: a second sample 500 ms into the delay replaces the first; report the second."""
    first, second = _two_stimuli(b, rng, report_second=True)
    b.info.update(sample=first, second=second)


@_register("distractor", N_MOTION, _REPORT_OUT, _MID, "teaching")
def _distractor(b, rng, test_mode):
    """Distractor: a task-irrelevant stimulus 500 ms into the delay must be ignored; report the first sample."""
    first, second = _two_stimuli(b, rng, report_second=False)
    b.info.update(sample=first, distractor=second)


TEACHING_TASKS = ("simple_delay", "sequence2", "sequence3", "memory_update", "distractor")
