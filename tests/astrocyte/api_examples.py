"""One valid call of every public callable of wmlib.astrocyte (bad calls are derived from these)."""

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
from badinput import call  # noqa: E402

from wmlib import astrocyte as ast  # noqa: E402

_a = ast.AnalogParams(size=10, n_out=8)
_b = ast.BinaryParams(size=10, n_out=8, wiring_scale=2.0)
_img = ast.portrait(10)
_wa = ast.store_image(ast.connect(_a, 0), _img, _a)
_wb = ast.connect(_b, 0)
_state = ast.initial_state(_a, 2)
_pulses = ast.background_pulses(_b, 0.02, 1, 0)
_digits = ast.digit_patterns(10)
_cue = ast.image_cue(ast.noisy(_img, 0.8, rng=0), "noisy")
_recall = ast.recall(_a, _img, [_cue], cue_time=np.array([0.5, 0.6]), mode="online")
_memory = ast.learn_and_test(_b, _digits[:2].astype(float), learned=np.array([0]), tested=np.array([0, 1]), rng=0)
_resp = ast.response(5.0, 0.06, 1.0, dt=1e-2)

EXAMPLES = {
    "IzhikevichParams": call(a=0.1, b=0.2, c=-65.0, d=2.0),
    "UllahParams": call(v1=6.0, d5=0.082),
    "rest_state": call(ast.UllahParams()),
    "response": call(5.0, 0.06, 1.0, dt=1e-2),
    "AnalogParams": call(size=40, n_out=50),
    "BinaryParams": call(size=40, n_out=40),
    "astrocytes_per_side": call(40),
    "zones": call(40),
    "astrocyte_of": call(40),
    "to_neuron_grid": call(np.linspace(0.0, 1.0, 9), 10),
    "connect": call(_a, 0),
    "store_image": call(_wa, _img, _a),
    "initial_state": call(_a, 2),
    "background_pulses": call(_b, 0.02, 1, 0),
    "simulate": call(_a, _wa, 0.005, stimuli=[ast.Stimulus(0.0, 0.005, 8.0 * _img)], state=_state,
                     windows=np.array([[0.0, 0.005]]), record_every=0.001, snapshots=np.array([0.002]),
                     trace=np.array([0.0, 0.003]), progress=False,
                     optional=("state", "n_trials", "trace", "ca_drive", "pulses", "device"),
                     skip={"device": "the torch engine is checked by its own tests",
                           "ca_drive": "checked by hand in test_astrocyte.py (needs a matching drive_start)",
                           "drive_start": "checked by hand in test_astrocyte.py (needs a ca_drive)"}),
    "portrait": call(10),
    "other_image": call(10, "flower"),
    "digit_patterns": call(10),
    "noisy": call(_img, 0.8, rng=0),
    "salt_and_pepper": call(_img, 0.4, rng=0),
    "flip": call(_digits[0].astype(float), 0.2, rng=0),
    "image_cue": call(_img, "noisy", free=("name",)),
    "uniform_cue": call(10, rng=0, low=2.0, high=6.0, free=("name",)),
    "load_current": call(_img),
    "cue_current": call(_img),
    "psnr": call(np.arange(100.0).reshape(10, 10), _img),
    "recall": call(_a, _img, [_cue], cue_time=0.5, mode="online", wiring=ast.connect(_a, 0), rng=0, run_until=0.5,
                   progress=False, optional=("run_until", "device", "wiring"),
                   skip={"device": "the torch engine is checked by its own tests"}),
    "pattern_score": call(_digits[1].astype(float), _digits[0].astype(float)),
    "learn_and_test": call(_b, _digits[:2].astype(float), learned=np.array([0]), tested=np.array([0, 1]),
                           wiring=_wb, rng=0, progress=False, optional=("wiring", "device"),
                           skip={"device": "the torch engine is checked by its own tests"}),
    "plotting.plot_cell_responses": call({"a": _resp}, threshold=0.2, title="t", optional=("threshold", "title"),
                                         free=("title",)),
    "plotting.plot_loading": call(_recall, _img, title="t", optional=("title",), free=("title",)),
    "plotting.plot_recall": call({"on": _recall}, [_cue], _img, title="t", optional=("title",), free=("title",)),
    "plotting.plot_lifetime": call({"on": _recall}, reference=10.0, ca_threshold=0.2, title="t",
                                   optional=("reference", "ca_threshold", "title"), free=("title",)),
    "plotting.plot_calcium_maps": call(_recall, np.array([0.1, 0.4]), vmax=0.5, title="t", optional=("vmax", "title"),
                                       free=("title",)),
    "plotting.plot_patterns": call(_memory, _digits, title="t", optional=("title",), free=("title",)),
    "plotting.plot_explorer": call(_recall, _cue, _img, title="t", optional=("title",), free=("title",)),
    "widgets.recall_explorer": call("Gaussian noise", 0.8, 1.1, True),
    "widgets.recall_explorer_figure": call("salt and pepper", 0.8, 0.2, False),
    "widgets.static_recall_explorer": call(delays=(1.1,), noises=(0.8,)),
}
