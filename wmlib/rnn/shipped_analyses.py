"""Analyses of the shipped networks that take too long for a page, computed once and shipped next to them.

The dual-DMS analysis of :func:`wmlib.rnn.cued_persistence` runs 512 trials and decodes four quantities for every
shipped dualDMS network and both delays: about 2 s per network and delay on 2 cores, 20 s for all of them, so the
chapter and the Reproductions page read the results from ``analyses.json`` in the folder of the shipped networks
instead of recomputing them.  The file is written by :func:`build_analyses` (``python -m wmlib.rnn analyse``), with the exact
call that produced each value; the tests recompute an entry and compare.
"""

from __future__ import annotations

import json
from pathlib import Path

from tqdm.auto import tqdm

from .._io import check_path, write_json
from .._validation import Interval, validate_params
from .persistence import CuedPersistence, cued_persistence
from .pretrained import PRETRAINED_DIR, list_pretrained, load_pretrained

__all__ = ["ANALYSES_FILE", "DUAL_DELAYS", "build_analyses", "load_analyses", "shipped_cued_persistence"]

ANALYSES_FILE = "analyses.json"
#: The delays of the dual DMS task at whose end :func:`cued_persistence` is evaluated.
DUAL_DELAYS = (1, 2)
#: The call behind every shipped entry (the defaults of :func:`cued_persistence`, written out).
CUED_SETTINGS = {"n_trials": 512, "rng": 0, "n_reps": 5, "every": 1}


def _key(seed: int, delay: int) -> str:
    return f"dualDMS_s{seed}_delay{delay}"


def build_analyses(directory=PRETRAINED_DIR, progress: bool = True) -> Path:
    """Compute the analyses of every shipped network and write ``directory/analyses.json`` (atomically)."""
    directory = check_path("build_analyses", "directory", directory, kind="dir")
    seeds = [e["seed"] for e in list_pretrained(directory) if e["task"] == "dualDMS" and e["stsp"]]
    entries = {}
    jobs = [(s, d) for s in seeds for d in DUAL_DELAYS]
    for seed, delay in tqdm(jobs, desc="cued persistence", disable=not progress):
        model = load_pretrained("dualDMS", seed, directory=directory)
        result = cued_persistence(model, delay=delay, **CUED_SETTINGS)
        entries[_key(seed, delay)] = {"function": "wmlib.rnn.cued_persistence", "task": "dualDMS", "seed": seed,
                                      "delay": delay, **CUED_SETTINGS, "result": result._asdict()}
    return write_json(directory / ANALYSES_FILE, {"cued_persistence": entries})


def load_analyses(directory=PRETRAINED_DIR) -> dict:
    """The content of ``directory/analyses.json`` (empty if the folder has none)."""
    path = check_path("load_analyses", "directory", directory, kind="dir") / ANALYSES_FILE
    if not path.is_file():
        return {}
    try:
        data = json.loads(path.read_text())
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
