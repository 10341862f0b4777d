"""Analyses of the shipped networks that take too long for a page, computed once and shipped next to them.

The dual-DMS analysis of :func:`wmlib.rnn.cued_persistence` runs 512 trials and decodes four quantities for every
shipped dualDMS network and both delays: about 2 s per network and delay on 2 cores, 20 s for all of them, so the
chapter and the Reproductions page read the results from ``analyses.json`` in the folder of the shipped networks
instead of recomputing them.  The file is written by :func:`build_analyses` (``python -m wmlib.rnn analyse``), with the exact
call that produced each value; the tests recompute an entry and compare.
"""

from __future__ import annotations

import copy
import functools
import json
from pathlib import Path

import numpy as np
from tqdm.auto import tqdm

from .._io import check_path, write_json
from .._validation import Boolean, Interval, Options, validate_params
from .persistence import CuedPersistence, cued_persistence, delay_window
from .pretrained import PRETRAINED_DIR, list_pretrained, load_pretrained

__all__ = ["ANALYSES_FILE", "DUAL_DELAYS", "NETWORK_SETTINGS", "build_analyses", "load_analyses",
           "shipped_cued_persistence", "network_analysis", "shipped_network_analysis", "shipped_network_analyses"]

ANALYSES_FILE = "analyses.json"
#: The delays of the dual DMS task at whose end :func:`cued_persistence` is evaluated.
DUAL_DELAYS = (1, 2)
#: The call behind every shipped entry (the defaults of :func:`cued_persistence`, written out).
CUED_SETTINGS = {"n_trials": 512, "rng": 0, "n_reps": 5, "every": 1}


def _key(seed: int, delay: int) -> str:
    return f"dualDMS_s{seed}_delay{delay}"


def build_analyses(directory=PRETRAINED_DIR, progress: bool = True, networks: bool = True) -> Path:
    """Compute the analyses of every shipped network and write ``directory/analyses.json``.

    The dual-DMS cued persistence of every dualDMS network, and (``networks=True``) :func:`network_analysis` of every
    shipped network with STSP.  The file is rewritten atomically after each network, and a rerun keeps the entries
    already computed with the same settings for the same network file (so an interrupted build resumes).
    """
    directory = check_path("build_analyses", "directory", directory, kind="dir")
    validate_params("build_analyses", {"progress": progress, "networks": networks},
                    {"progress": Boolean(), "networks": Boolean()})
    entries = list_pretrained(directory)
    old = load_analyses(directory)
    data = {"cued_persistence": {}, "networks": {}}
    seeds = [e["seed"] for e in entries if e["task"] == "dualDMS" and e["stsp"]]
    jobs = [(s, d) for s in seeds for d in DUAL_DELAYS]
    for seed, delay in tqdm(jobs, desc="cued persistence", disable=not progress):
        key = _key(seed, delay)
        previous = old.get("cued_persistence", {}).get(key)
        if previous is not None and {k: previous.get(k) for k in CUED_SETTINGS} == CUED_SETTINGS:
            data["cued_persistence"][key] = previous
            continue
        model = load_pretrained("dualDMS", seed, directory=directory)
        result = cued_persistence(model, delay=delay, **CUED_SETTINGS)
        data["cued_persistence"][key] = {"function": "wmlib.rnn.cued_persistence", "task": "dualDMS", "seed": seed,
                                         "delay": delay, **CUED_SETTINGS, "result": result._asdict()}
    write_json(directory / ANALYSES_FILE, data)
    if networks:
        todo = [e for e in entries if e["stsp"]]
        for e in tqdm(todo, desc="network analyses", disable=not progress):
            stem = e["file"][:-4]
            stamp = {"settings": NETWORK_SETTINGS, "network": {k: e[k] for k in ("iterations", "accuracy")}}
            previous = old.get("networks", {}).get(stem)
            if previous is not None and all(previous.get(k) == v for k, v in stamp.items()):
                data["networks"][stem] = previous
            else:
                model = load_pretrained(e["task"], e["seed"], directory=directory)
                data["networks"][stem] = {"task": e["task"], "seed": e["seed"], **stamp,
                                          "result": network_analysis(model, e["task"])}
            write_json(directory / ANALYSES_FILE, data)  # after every network: an interrupted build resumes
    return directory / ANALYSES_FILE


def load_analyses(directory=PRETRAINED_DIR) -> dict:
    """The content of ``directory/analyses.json`` (empty if the folder has none).

    The file is parsed once and kept while it is unchanged (same size and modification time); each call returns a
    fresh copy, so a caller may modify it.
    """
    return copy.deepcopy(_shared(directory, "load_analyses"))


def _shared(directory, owner) -> dict:
    """The parsed file, shared between calls (never modified)."""
    path = check_path(owner, "directory", directory, kind="dir") / ANALYSES_FILE
    if not path.is_file():
        return {}
    stat = path.stat()
    return _parsed(str(path.resolve()), stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=4)
def _parsed(path: str, mtime_ns: int, size: int) -> dict:
    try:
        data = json.loads(Path(path).read_text())
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        raise ValueError(f"The analyses file {path} cannot be read ({err}).") from None
    if not isinstance(data, dict):
        raise ValueError(f"The analyses file {path} must hold a JSON object.")
    return data


def shipped_cued_persistence(seed: int, delay: int = 1, directory=PRETRAINED_DIR) -> CuedPersistence:
    """The shipped result of ``cued_persistence(load_pretrained("dualDMS", seed), delay=delay)``.

    Computed by :func:`build_analyses` with the defaults of :func:`cued_persistence` (512 trials, seed 0, 5
    resamplings); recompute it with that call to check.
    """
    validate_params("shipped_cued_persistence", {"seed": seed, "delay": delay},
                    {"seed": Interval(0, 10**9, "both", integer=True), "delay": Interval(1, 2, "both", integer=True)})
    entries = load_analyses(directory).get("cued_persistence", {})
    entry = entries.get(_key(int(seed), int(delay)))
    if entry is None:
        have = sorted(entries)
        raise ValueError(f"No shipped cued-persistence result for the dualDMS network with 'seed' = {seed!r} and "
                         f"'delay' = {delay!r} (have {have or 'none'}); run `python -m wmlib.rnn analyse`.")
    return CuedPersistence(**entry["result"])


# --- per-network analyses of Masse et al. (2019): decoding, shuffling, tuning, manipulation ------------------------
#: The settings of :func:`network_analysis` behind every shipped entry (a rerun recomputes an entry whose settings
#: differ).  Decoding uses the paper's protocol (1024 trials in test mode, 100 resamplings of 25 + 25 trials per class)
#: for the end-of-delay summaries, and 10 resamplings for the time courses; shuffles use 512 trials with half matches
#: and 20 repetitions (the paper: 100).  ``version`` counts changes of what :func:`network_analysis` computes.
NETWORK_SETTINGS = {"version": 1, "decode_trials": 1024, "decode_reps": 100, "curve_every": 5, "curve_reps": 10,
                    "shuffle_trials": 512, "shuffle_repeats": 20, "condition_reps": 20, "suppression_repeats": 5,
                    "rng": 0}
_ROUND = 5  # decimals kept in the file
#: The tasks :func:`network_analysis` knows (those with a shuffle point, the paper's tasks).
SHUFFLE_TASKS = ("DMS", "DMRS45", "DMRS90", "DMRS180", "DMC", "DMS+DMRS", "ABBA", "ABCA", "dualDMS")


def _r(values):
    return np.round(np.asarray(values, dtype=float), _ROUND).tolist()


def _delay_names(trial) -> list[str]:
    return [k for k in ("delay", "delay1", "delay2", "delay3") if k in trial.epochs]


def network_analysis(model, task: str, settings: dict | None = None) -> dict:
    """Every per-network number of the metrics chapter, for one trained network of ``task`` (a dict for JSON).

    * ``"delays"``: for each delay, sample decoding over its last 100 ms from activity and from efficacy
      (:func:`wmlib.analysis.decode`, the window mean, and whether it passes the paper's significance rule);
      dual DMS: both locations averaged; DMC also decodes the category;
    * ``"curve"``: time courses of sample decoding (every ``curve_every`` steps, mean of ``curve_reps`` resamplings);
      ABBA and ABCA also decode the first test;
    * ``"shuffle"``: :func:`~wmlib.rnn.shuffle_test` at the task's point, every repetition;
    * ``"conditions"``: :func:`~wmlib.rnn.manipulation.condition_metrics` for the task's conditions of Fig. 7;
    * ABBA and ABCA: ``"similarity"``, the tuning-similarity index of the efficacy's tuning to the sample and to the
      first test, at every step, and its mean over the second test;
    * DMC and DMS: ``"category_tuning"``, the mean category tuning index of the units' activity and efficacy over the
      last 100 ms of the delay (directions 0-135 deg against 180-315 deg, DMC's categories);
    * DMS: ``"suppression"``, every unit silenced for the last 100 ms of the delay.
    """
    from .._validation import check_instance
    from ..analysis.decoding import decode
    from ..analysis.tuning import category_tuning_index, direction_tuning, tuning_similarity
    from .manipulation import MANIPULATION_CONDITIONS, condition_metrics, standard_recording
    from .model import STSPRNN
    from .perturb import shuffle_test, suppression_test
    from .recording import record
    from .tasks import N_DIRECTIONS, TASKS

    check_instance("network_analysis", "model", model, STSPRNN)
    validate_params("network_analysis", {"task": task}, {"task": Options(tuple(SHUFFLE_TASKS))})
    if TASKS[task].n_inputs != model.config.n_input:
        raise ValueError(f"The 'task' parameter of network_analysis must be the network's task: the network has "
                         f"{model.config.n_input} inputs, task {task!r} needs {TASKS[task].n_inputs}.")
    if settings is not None:
        if not isinstance(settings, dict):
            raise TypeError(f"The 'settings' parameter of network_analysis must be a dict (keys of NETWORK_SETTINGS). "
                            f"Got {type(settings).__name__} instead.")
        unknown = sorted(set(settings) - set(NETWORK_SETTINGS))
        if unknown:
            raise ValueError(f"The 'settings' parameter of network_analysis has unknown keys {unknown}; allowed: "
                             f"{sorted(NETWORK_SETTINGS)}.")
        validate_params("network_analysis", settings,
                        {k: Interval(0 if k in ("rng", "version") else 1, 10**6, "both", integer=True) for k in settings})
        if "decode_trials" in settings and settings["decode_trials"] < 256:
            raise ValueError(f"The 'decode_trials' setting of network_analysis must be at least 256 (every class needs "
                             f"trials to train and test on). Got {settings['decode_trials']!r} instead.")
    s = {**NETWORK_SETTINGS, **(settings or {})}
    rng = s["rng"]
    out = {}
    rec = record(model, task, s["decode_trials"], rng=rng, test_mode=True)
    info = rec.trial.info
    samples = [info["sample"][:, k] for k in range(2)] if info["sample"].ndim > 1 else [info["sample"]]
    out["delays"] = {}
    for name in _delay_names(rec.trial):
        window = delay_window(rec.trial, delay=int(name[-1]) if name[-1].isdigit() else 1)
        entry = {}
        for feature in ("h", "efficacy"):
            results = [decode(getattr(rec, feature), lab, window, n_reps=s["decode_reps"], rng=rng) for lab in samples]
            entry[feature] = round(float(np.mean([r.window(window) for r in results])), _ROUND)
            entry[f"{feature}_significant"] = bool(all(r.window_significant(window) for r in results))
        if "category" in info:
            cat = decode(rec.h, info["category"], window, n_reps=s["decode_reps"], rng=rng)
            entry["h_category"] = round(cat.window(window), _ROUND)
            entry["h_category_significant"] = cat.window_significant(window)
        out["delays"][name] = entry
    steps = np.arange(0, rec.trial.n_steps, s["curve_every"])
    curve = {"steps": steps.tolist()}
    for feature in ("h", "efficacy"):
        curve[feature] = _r(np.mean([decode(getattr(rec, feature), lab, steps, n_reps=s["curve_reps"], rng=rng).mean
                                     for lab in samples], axis=0))
    if task in ("ABBA", "ABCA"):
        test1 = info["test"][:, 0]
        for feature in ("h", "efficacy"):
            curve[f"{feature}_test1"] = _r(decode(getattr(rec, feature), test1, steps, n_reps=s["curve_reps"],
                                                  rng=rng).mean)
        theta = 2 * np.pi / N_DIRECTIONS
        by_sample = direction_tuning(rec.efficacy, info["sample"] * theta)
        by_test = direction_tuning(rec.efficacy, test1 * theta)
        sim = tuning_similarity(by_sample.pev, by_sample.preferred, by_test.pev, by_test.preferred)
        a, b = rec.trial.epochs["test2"]
        out["similarity"] = {"efficacy": _r(sim), "test2": round(float(sim[a:b].mean()), _ROUND)}
    out["curve"] = curve
    if task in ("DMC", "DMS"):  # category tuning over the last 100 ms of the delay (DMS: the control)
        window = delay_window(rec.trial)
        directions = np.arange(N_DIRECTIONS)
        out["category_tuning"] = {}
        for feature in ("h", "efficacy"):
            late = getattr(rec, feature)[window].mean(0)  # (trials, units)
            means = np.stack([late[info["sample"] == d].mean(0) for d in directions], axis=-1)
            cti = category_tuning_index(means, directions >= N_DIRECTIONS // 2, directions * 2 * np.pi / N_DIRECTIONS)
            out["category_tuning"][feature] = round(float(cti.mean()), _ROUND)
    result = shuffle_test(model, task, n_trials=s["shuffle_trials"], n_repeats=s["shuffle_repeats"], rng=rng)
    out["shuffle"] = {"t0": result.t0, "intact": _r(result.intact), "neuronal": _r(result.neuronal),
                      "synaptic": _r(result.synaptic)}
    conditions = [c for c, (t, _) in MANIPULATION_CONDITIONS.items() if t == task]
    if conditions:
        std = standard_recording(model, task, s["decode_trials"], rng=rng)
        out["conditions"] = {c: {k: round(v, _ROUND) for k, v in condition_metrics(
            model, c, n_reps=s["condition_reps"], recording=std)._asdict().items()} for c in conditions}
    if task == "DMS":
        sup = suppression_test(model, task, n_trials=s["shuffle_trials"], n_repeats=s["suppression_repeats"], rng=rng)
        out["suppression"] = {"steps": sup.steps.tolist(), "intact": _r(sup.intact), "suppressed": _r(sup.suppressed)}
    return out


def shipped_network_analysis(task: str, seed: int, directory=PRETRAINED_DIR) -> dict:
    """The shipped result of ``network_analysis(load_pretrained(task, seed), task)`` (computed by
    :func:`build_analyses` with :data:`NETWORK_SETTINGS`; recompute it with that call to check)."""
    from .tasks import TASKS

    validate_params("shipped_network_analysis", {"task": task, "seed": seed},
                    {"task": Options(tuple(TASKS)), "seed": Interval(0, 10**9, "both", integer=True)})
    entries = _shared(directory, "shipped_network_analysis").get("networks", {})
    match = [v for v in entries.values() if v["task"] == task and v["seed"] == seed]
    if not match:
        have = sorted(v["seed"] for v in entries.values() if v["task"] == task)
        raise ValueError(f"No shipped analysis of the {task} network with 'seed' = {seed!r} (have seeds "
                         f"{have or 'none'}); run `python -m wmlib.rnn analyse`.")
    return copy.deepcopy(match[0]["result"])


def shipped_network_analyses(task: str, directory=PRETRAINED_DIR) -> list[dict]:
    """The shipped analyses of every network of ``task`` with STSP, in the manifest's order, each with its ``seed``."""
    from .tasks import TASKS

    validate_params("shipped_network_analyses", {"task": task}, {"task": Options(tuple(TASKS))})
    entries = _shared(directory, "shipped_network_analyses").get("networks", {})
    out = []
    for e in list_pretrained(directory):
        if e["task"] == task and e["stsp"]:
            entry = entries.get(e["file"][:-4])
            if entry is None:
                raise ValueError(f"No shipped analysis of the {task} network with seed {e['seed']} in "
                                 f"{str(directory)!r}; run `python -m wmlib.rnn analyse`.")
            out.append({"seed": e["seed"], **copy.deepcopy(entry["result"])})
    return out
