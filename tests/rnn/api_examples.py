"""One valid call of every public callable of wmlib.rnn (bad calls are derived from these)."""

import pathlib
import tempfile

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import torch  # noqa: E402
from badinput import call  # noqa: E402

from wmlib import analysis as wa  # noqa: E402
from wmlib import rnn  # noqa: E402
from wmlib.rnn import pretrained  # noqa: E402

_tiny = dict(task="DMS", seed=0, batch_size=8, iterations=2, checkpoint_every=1)
_dir = pathlib.Path(tempfile.mkdtemp(prefix="wmlib-badinput-"))
_run = rnn.train(rnn.TrainConfig(**_tiny), out_dir=_dir / "run", progress=False, device="cpu", workers=0)
_checkpoint = _dir / "run" / "checkpoint.npz"
_net = rnn.load_pretrained("DMS", 0)
_trial = rnn.make_trials("DMS", 8, 0)
_rec = rnn.record(_net, "DMS", 16, rng=0)
_rec128 = rnn.record(_net, "DMS", 128, rng=0)
_logits = _net(torch.from_numpy(_trial.inputs), noise=False).logits.detach().numpy()
_state = _net.initial_state(4)
_cued = [rnn.CuedPersistence(0.6, 0.4, 0.9, 0.85), rnn.CuedPersistence(0.55, 0.5, 0.95, 0.9)]
_curve = np.random.default_rng(0).uniform(0.1, 0.9, (_rec.h.shape[0], 3))
_times = np.arange(_rec.h.shape[0]) * 0.01
_steps = np.arange(0, 250, 50)
_cross = wa.decode_cross_temporal(_rec128.h, _rec128.trial.info["sample"], _steps, _steps, n_reps=1, per_class=4)
_small = {"decode_trials": 256, "decode_reps": 1, "curve_every": 50, "curve_reps": 1, "shuffle_trials": 32,
          "shuffle_repeats": 1, "condition_reps": 1, "suppression_repeats": 1}

EXAMPLES = {
    "RNNConfig": call(n_hidden=50, dt=10.0, stsp=True),
    "STSPRNN": call(rnn.RNNConfig(n_hidden=20), rng=0),
    "STSPRNN.forward": call(torch.zeros(5, 4, 24), state=_state, noise_generator=torch.Generator().manual_seed(0),
                            noise=True, engine="auto", function=_net.forward, optional=("state",)),
    "accuracy": call(_logits, _trial),
    "make_trials": call("DMS", 8, np.random.default_rng(0), test_mode=False, noise=True),
    "TrainConfig": call(**_tiny),
    "train": call(rnn.TrainConfig(**_tiny), out_dir=_dir / "run", resume=True, device="cpu", progress=False,
                  workers=0, optional=("out_dir", "device", "workers")),
    "load_checkpoint": call(_checkpoint, device="cpu", optional=("device",)),
    "load_pretrained": call("DMS", seed=0, stsp=True, device="cpu", directory=pretrained.PRETRAINED_DIR,
                            optional=("device",)),
    "list_pretrained": call(directory=pretrained.PRETRAINED_DIR),
    "full_protocol_dir": call(500, directory=pretrained.FULL_PROTOCOL_DIR),
    "load_history": call("DMS", seed=0, stsp=True, directory=pretrained.PRETRAINED_DIR),
    "evaluate": call(_net, "DMS", n_trials=16, rng=0, test_mode=False, batch_size=8, engine="auto"),
    "record": call(_net, "DMS", n_trials=8, rng=np.random.default_rng(0), test_mode=False, noise=True, n_steps=100,
                   optional=("n_steps",)),
    "delay_window": call(_trial, length_ms=100.0, delay=1),
    "persistent_activity": call(_rec128, n_reps=2, rng=0, feature="h", every=5, location=0, delay=1,
                                target="sample", optional=("cued",)),
    "cued_persistence": call(rnn.load_pretrained("dualDMS", 0), n_trials=256, rng=0, n_reps=1, every=10, delay=1),
    "cued_effect": call(_cued),
    "shipped_cued_persistence": call(0, delay=1, directory=pretrained.PRETRAINED_DIR),
    "shuffle_test": call(_net, "DMS", t0=None, n_trials=64, n_repeats=2, group="all", score_epochs=None, rng=0,
                         engine="auto", optional=("t0", "score_epochs")),
    "suppression_test": call(_net, "DMS", units="exc_fac", steps=[190, 199], n_trials=32, n_repeats=1, rng=0,
                             engine="auto", optional=("steps",)),
    "unit_groups": call(_net),
    "shuffle_point": call(_trial, t0="test", score_epochs=("test",), optional=("t0", "score_epochs"),
                          accept={"t0": ("int",)}),  # a step or an epoch name
    "condition_metrics": call(_net, "DMS", n_trials=256, rng=0, n_reps=1, optional=("recording",)),
    "standard_recording": call(_net, "DMS", n_trials=256, rng=0),
    "network_analysis": call(_net, "DMS", settings=_small,
                             skip={"settings": "its keys and values are checked in test_rnn_metrics"}),
    "shipped_network_analysis": call("DMS", 0, directory=pretrained.PRETRAINED_DIR),
    "shipped_network_analyses": call("DMS", directory=pretrained.PRETRAINED_DIR),
    "plotting.plot_cross_temporal": call(_cross, _steps * 0.01, epochs=_trial.epochs, title="t", free=("title",),
                                         optional=("epochs", "title")),
    "plotting.plot_shuffle": call({"DMS": np.array([[0.95, 0.94, 0.5], [0.9, 0.88, 0.55]])}, chance=0.5),
    "plotting.plot_relation": call(np.array([0.1, 0.2, 0.3]), np.array([0.2, 0.1, 0.5]), "x", "y",
                                   xerr=np.array([0.01, 0.02, 0.01]), yerr=np.array([0.01, 0.01, 0.02]),
                                   labels=["a", "b", "c"], title="t", free=("xlabel", "ylabel", "title"),
                                   optional=("xerr", "yerr", "labels", "title"), accept={"labels": ("of str",)}),
    "plotting.plot_training_course": call(np.array([1e5, 2e5, 5e5]), np.array([[0.3, 0.2], [0.2, 0.15], [0.1, 0.12]]),
                                          "decoding", chance=0.125,
                                          significant=np.array([[True, True], [True, False], [False, False]]),
                                          reference=(np.array([2e4, 3e4]), np.array([0.3, 0.25]), "short"), title="t",
                                          free=("ylabel", "title"), optional=("chance", "significant", "reference", "title")),
    "widgets.metrics_explorer": call(task="DMS", network=0, time=1.0),
    "widgets.metrics_explorer_figure": call(task="DMS", network=0, time=1.0),
    "widgets.static_metrics_explorer": call(),
    "plotting.plot_trial": call(_trial, index=0, output_names=["fixate", "match", "non-match"],
                                optional=("output_names",), accept={"output_names": ("of str",)}),
    "plotting.plot_activity": call(_rec, index=0, show="both"),
    "plotting.plot_decoding": call({"h": _curve}, _times, 0.125, epochs=_trial.epochs, title="t", free=("title",),
                                   optional=("epochs", "title")),
    "plotting.plot_persistence": call({"DMS": np.array([0.6, 0.7])}, 0.125, synaptic={"DMS": np.array([0.9, 0.95])},
                                      paired=False, optional=("synaptic",)),
    "plotting.plot_learning_curves": call({"DMS": _run.history}, smooth=2),
    "widgets.rnn_activity": call(task="DMS", network=0, trial=0, show="both", stsp=True),
    "widgets.rnn_activity_figure": call(task="DMS", network=0, trial=0, show="both", stsp=True),
    "widgets.static_rnn_activity": call(),
}
