"""Runs of the 79 x 79 and 151 x 151 networks shipped with wmlib, for the chapter's figures and the Reproductions.

The chapter's live figures use the 40 x 40 network; its larger figures load these runs.  Regenerate them with::

    python -m wmlib.astrocyte.precomputed [--out DIR] [--only NAME ...] [--force]

(about a minute on two cores; each experiment is written atomically to its own file, and a second call skips the
files already there, so an interrupted run resumes).  The records of each run's population rate and calcium are kept
every 50 ms.  Every run is seeded, so the files are reproduced bit for bit;
``tests/astrocyte/test_precomputed.py`` regenerates one and compares.

* ``recall``: the portrait loaded into the 79 x 79 network (Tsybina et al.'s parameters, 100 synapses per neuron),
  the four cues at 1.4 s, in the authors' replay mode with and without astrocytes, and in the online mode;
* ``lifetime``: the noisy cue at cue times from 0.5 to 5.5 s (online with and without astrocytes, and replayed);
* ``digits``: Gordleeva et al.'s protocol at 79 x 79 with and without astrocytes, with four learned digits and with
  one;
* ``paper_size``: ``recall``'s replay runs on the 151 x 151 grid of Tsybina et al.
"""

from __future__ import annotations

import argparse
import json
from dataclasses import replace
from pathlib import Path

import numpy as np

from .._io import load_npz, write_experiments
from . import images
from .params import GRID_SIZES, AnalogParams, BinaryParams
from .patterns import PatternMemory, learn_and_test
from .recall import Recall, image_cue, recall, uniform_cue

__all__ = ["FOLDER", "EXPERIMENTS", "LIFETIME_TIMES", "FIGURE_PARAMS", "cues", "generate", "load"]

FOLDER = Path(__file__).parent / "precomputed"
EXPERIMENTS = ("recall", "lifetime", "digits", "paper_size")
#: Cue times of the lifetime experiment, s (loading ends at 0.3 s).
LIFETIME_TIMES = (0.5, 0.6, 0.8, 1.1, 1.4, 1.7, 2.0, 2.5, 3.0, 3.5, 4.0, 4.5, 5.0, 5.5)
#: The network of the figures: Tsybina et al.'s parameters on the 79 x 79 grid.
FIGURE_PARAMS = AnalogParams(size=GRID_SIZES["figure"])
#: Seed of the wiring of every run.
SEED = 42
ONE_LEARNED = {"learned": (1,), "tested": (1, 5, 1, 6, 1, 7, 1, 8)}


def cues(size: int):
    """The four cues of Tsybina et al. for the portrait at ``size``: Gaussian noise (0.8 of the image's standard
    deviation), 40 % salt and pepper, uniform random currents in [2, 6], another photograph."""
    image = images.portrait(size)
    return [image_cue(images.noisy(image, 0.8, rng=1), "Gaussian noise"),
            image_cue(images.salt_and_pepper(image, 0.4, rng=2), "salt and pepper"),
            uniform_cue(size, rng=3), image_cue(images.other_image(size), "another image")]


#: Records of the loading runs are kept every STRIDE-th (50 ms: rates averaged over it, calcium at its end).
STRIDE = 5


def _coarse(t, rate, ca):
    n = (len(t) // STRIDE) * STRIDE
    return (t[STRIDE - 1:n:STRIDE], rate[:n].reshape(-1, STRIDE, *rate.shape[1:]).mean(axis=1),
            ca[STRIDE - 1:n:STRIDE])


def _pack_recall(r: Recall, key: str) -> dict:
    r = r._replace(**dict(zip(("t", "rate", "ca"), _coarse(r.t, r.rate, r.ca))))
    out = {f"{key}/{name}": np.asarray(getattr(r, name)) for name in Recall._fields if name not in ("names", "mode")}
    for name in ("rate_maps", "ca", "ca_at_cue", "load_map"):
        out[f"{key}/{name}"] = out[f"{key}/{name}"].astype(np.float32)  # rates are counts / 0.5 s: exact
    out[f"{key}/meta"] = np.array(json.dumps({"names": list(r.names), "mode": r.mode}))
    return out


def _unpack_recall(data: dict, key: str) -> Recall:
    meta = json.loads(str(data[f"{key}/meta"]))
    fields = {name: data[f"{key}/{name}"] for name in Recall._fields if name not in ("names", "mode")}
    fields["delay_rate"] = float(fields["delay_rate"])
    return Recall(names=tuple(meta["names"]), mode=meta["mode"], **fields)


def _pack_memory(m: PatternMemory, key: str) -> dict:
    m = m._replace(**dict(zip(("t", "rate", "ca"), _coarse(m.t, m.rate, m.ca))))
    out = {f"{key}/{name}": np.asarray(getattr(m, name)) for name in PatternMemory._fields}
    out[f"{key}/ca"] = out[f"{key}/ca"].astype(np.float32)
    out[f"{key}/counts"] = out[f"{key}/counts"].astype(np.int16)
    return out


def _unpack_memory(data: dict, key: str) -> PatternMemory:
    f = {name: data[f"{key}/{name}"] for name in PatternMemory._fields}
    for name in ("learned", "tested"):
        f[name] = tuple(int(x) for x in f[name])
    f["threshold"] = int(f["threshold"])
    for name in ("learned_score", "new_score"):
        f[name] = float(f[name])
    return PatternMemory(**f)


def _run(name: str, progress: bool) -> dict:
    out = {}
    if name in ("recall", "paper_size"):
        size = GRID_SIZES["figure" if name == "recall" else "paper"]
        params = replace(FIGURE_PARAMS, size=size)
        image, cs = images.portrait(size), cues(size)
        runs = {"replay": (params, "replay"), "replay_off": (replace(params, nu_ca=0.0), "replay")}
        if name == "recall":
            runs["online"] = (params, "online")
        for key, (p, mode) in runs.items():
            out.update(_pack_recall(recall(p, image, cs, mode=mode, rng=SEED, progress=progress), key))
    elif name == "lifetime":
        image, cs = images.portrait(FIGURE_PARAMS.size), cues(FIGURE_PARAMS.size)[:1]
        for key, p, mode in (("online", FIGURE_PARAMS, "online"), ("online_off", replace(FIGURE_PARAMS, nu_ca=0.0), "online"),
                             ("replay", FIGURE_PARAMS, "replay")):
            out.update(_pack_recall(recall(p, image, cs, cue_time=LIFETIME_TIMES, mode=mode, rng=SEED, progress=progress),
                                    key))
    elif name == "digits":
        params = BinaryParams(size=GRID_SIZES["figure"])
        digits = images.digit_patterns(params.size)
        for key, p, extra in (("four", params, {}), ("four_off", replace(params, nu_ca=0.0), {}),
                              ("one", params, ONE_LEARNED), ("one_off", replace(params, nu_ca=0.0), ONE_LEARNED)):
            out.update(_pack_memory(learn_and_test(p, digits, rng=SEED, progress=progress, **extra), key))
    return out


def generate(out_dir=FOLDER, experiments=EXPERIMENTS, force: bool = False, progress: bool = True) -> Path:
    """Run the experiments and write ``<out_dir>/<name>.npz`` for each (atomically); existing files are kept unless
    ``force``.  Checks the output folder before starting."""
    return write_experiments(out_dir, experiments, EXPERIMENTS, lambda name: _run(name, progress), force=force)


def load(name: str, folder=FOLDER) -> dict:
    """One experiment of :data:`EXPERIMENTS`: a dict of :class:`~wmlib.astrocyte.Recall` (or, for ``digits``,
    :class:`~wmlib.astrocyte.PatternMemory`) by run."""
    if not isinstance(name, str) or name not in EXPERIMENTS:
        raise ValueError(f"The 'name' parameter of load must be a str among {EXPERIMENTS}. Got {name!r} instead.")
    data = load_npz(Path(folder) / f"{name}.npz", "precomputed run")
    keys = list(dict.fromkeys(k.split("/")[0] for k in data))
    unpack = _unpack_memory if name == "digits" else _unpack_recall
    return {k: unpack(data, k) for k in keys}


def main(argv=None):
    ap = argparse.ArgumentParser(description="Regenerate the precomputed runs of the neuron-astrocyte network.")
    ap.add_argument("--out", default=str(FOLDER), help=f"output folder (default: {FOLDER})")
    ap.add_argument("--force", action="store_true", help="recompute experiments whose file exists")
    ap.add_argument("--only", nargs="*", default=list(EXPERIMENTS), choices=EXPERIMENTS)
    ap.add_argument("--quiet", action="store_true", help="no progress bars")
    args = ap.parse_args(argv)
    print(generate(args.out, args.only, force=args.force, progress=not args.quiet))


if __name__ == "__main__":
    main()
