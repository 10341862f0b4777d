"""wmlib.astrocyte: the cell models, the geometry, the wiring, the engines and the protocols' building blocks."""

import numpy as np
import pytest

from wmlib import astrocyte as ast
from wmlib.astrocyte import izhikevich, ullah

SMALL = ast.AnalogParams(size=22, n_out=30)


def _uncoupled(size=10):
    """A network whose neurons do not talk to each other (every weight 0, astrocytes without effect)."""
    params = ast.AnalogParams(size=size, n_out=5, g_min=0.0, g_max=0.0, nu_ca=0.0)
    return params, ast.store_image(ast.connect(params, 0), np.zeros((size, size)), params)


# ---------------------------------------------------------------------------------------------- the neuron
def test_fast_spiking_neuron_fires_only_above_its_rheobase_and_faster_with_more_input():
    assert izhikevich.rheobase() == pytest.approx(3.9375)  # a Hopf bifurcation, below the saddle-node at 4
    assert izhikevich.rheobase(izhikevich.IzhikevichParams(a=0.3)) == pytest.approx(4.0)  # a > b: the saddle-node
    params, wiring = _uncoupled()
    currents = np.repeat(np.array([0.0, 3.5, 5.0, 6.0, 8.0]), 20)[:100].reshape(10, 10)
    res = ast.simulate(params, wiring, 1.0, stimuli=[ast.Stimulus(0.0, 1.0, currents)], windows=[(0.2, 1.0)])
    rate = res.counts[0, 0].reshape(10, 10) / 0.8
    per_current = [rate[currents == c].mean() for c in (0.0, 3.5, 5.0, 6.0, 8.0)]
    assert per_current[0] == 0 and per_current[1] == 0
    assert 20 < per_current[2] < per_current[3] < per_current[4]  # class 2: no slow firing
    assert np.all(rate[currents == 8.0] == rate[currents == 8.0][0])  # identical neurons, identical trains


def test_izhikevich_derivatives_match_the_equation():
    dv, du = izhikevich.derivatives(-60.0, -12.0, 5.0)
    assert dv == pytest.approx(0.04 * 3600 - 300 + 140 + 12 + 5)
    assert du == pytest.approx(0.1 * (0.2 * -60.0 + 12.0))


# ---------------------------------------------------------------------------------------------- the astrocyte
def test_rest_state_is_a_fixed_point_and_the_cell_is_excitable():
    p = ullah.UllahParams(d5=0.082)
    ca, h, ip3 = ullah.rest_state(p)
    assert np.allclose(ullah.derivatives(ca, h, ip3, 0.0, p), 0.0, atol=1e-10)
    assert 0.05 < ca < 0.1 and ip3 == pytest.approx(0.69, abs=0.01)
    small = ullah.response(0.5, 0.06, 8.0, params=p)  # a weak input: no calcium event
    big = ullah.response(5.0, 0.5, 8.0, params=p)  # Gordleeva et al.'s input for 0.5 s
    assert small.ca.max() < ca + 0.02
    peak = big.t[np.argmax(big.ca)]
    assert big.ca.max() > 0.6 and 1.0 < peak < 2.5  # a calcium event, one to two seconds later
    above = big.t[big.ca > 0.15]
    assert 3.0 < above.max() - above.min() < 6.0 and big.ca[-1] < 0.1  # lasting seconds, then back to rest


def test_engine_astrocytes_follow_the_ullah_equations():
    """With no neuron firing, every astrocyte is one Ullah cell started at the authors' initial state: the engine's
    Runge-Kutta steps equal a direct integration of ullah.derivatives."""
    params, wiring = _uncoupled()
    res = ast.simulate(params, wiring, 0.05, record_every=0.01)
    p = params.astrocyte
    y = np.array([p.ca_init, p.h_init, p.ip3_init])
    dt = params.dt
    f = lambda y: np.array(ullah.derivatives(*y, 0.0, p))
    for _ in range(params.steps(0.05)):
        k1 = f(y)
        k2 = f(y + dt / 2 * k1)
        k3 = f(y + dt / 2 * k2)
        k4 = f(y + dt * k3)
        y = y + dt / 6 * (k1 + 2 * k2 + 2 * k3 + k4)
    assert np.allclose(res.state.ca, y[0], rtol=1e-12) and np.allclose(res.state.ip3, y[2], rtol=1e-12)


# ---------------------------------------------------------------------------------------------- geometry, wiring
def test_each_astrocyte_covers_a_4x4_block_and_neighbours_share_a_row():
    z = ast.zones(10)  # 3 x 3 astrocytes
    assert z.shape == (9, 16) and all(len(set(row)) == 16 for row in z)
    assert set(z[0]) & set(z[1]) == {3, 13, 23, 33}  # column 3 is shared by astrocytes (0, 0) and (0, 1)
    acts = ast.astrocyte_of(10)
    assert acts[3] == 1 and acts[0] == 0 and acts[99] == 8  # a shared column goes to the later astrocyte
    for neuron, a in enumerate(acts):
        assert neuron in z[a]
    assert ast.to_neuron_grid(np.arange(9.0), 10)[9, 9] == 8


def test_analog_wiring_and_image_weights():
    params = ast.AnalogParams(size=10, n_out=7)
    w = ast.connect(params, 0)
    assert w.n_synapses == 700 and np.all(np.diff(w.indptr) == 7)
    image = ast.portrait(10)
    stored = ast.store_image(w, image, params)
    level = np.round(255 * image.reshape(-1))
    k = 123
    expected = params.g_min + (params.g_max - params.g_min) * 0.9 ** abs(level[w.sources()[k]] - level[w.target[k]])
    assert stored.weight[k] == pytest.approx(expected)
    same = level[w.sources()] == level[w.target]
    assert np.allclose(stored.weight[same], params.g_max)


def test_binary_wiring_is_local_distinct_and_never_onto_itself():
    params = ast.BinaryParams(size=40)
    w = ast.connect(params, 0)
    src, tgt = w.sources(), w.target
    assert np.all(src != tgt)
    for j in (0, 39, 820, 1599):
        row = tgt[w.indptr[j]:w.indptr[j + 1]]
        assert row.size == params.n_out and np.unique(row).size == row.size
    dist = np.hypot(*(np.divmod(src, 40)[i] - np.divmod(tgt, 40)[i] for i in range(2)))
    assert 2.0 < np.median(dist) < params.wiring_scale * 1.5


# ---------------------------------------------------------------------------------------------- the engines
def _run(params, device, pulses=True):
    wiring = ast.connect(params, 1)
    image = ast.portrait(params.size)
    if isinstance(params, ast.AnalogParams):
        wiring = ast.store_image(wiring, image, params)
        stim = ast.Stimulus(0.05, 0.15, ast.load_current(image))
        extra = {}
    else:
        stim = ast.Stimulus(0.05, 0.25, 80.0 * (image > 0.5))
        extra = {"pulses": ast.background_pulses(params, 1.2, 2, 3)} if pulses else {}
    return ast.simulate(params, wiring, 1.2, stimuli=[stim], n_trials=2, windows=[(0.0, 1.2)], device=device,
                        trace=(0.5, 0.52), **extra)


def _at(result, t):
    """The calcium record of ``result`` at time ``t`` (s)."""
    return result.ca[int(np.argmin(np.abs(result.t - t)))]


@pytest.mark.parametrize("params", [ast.AnalogParams(size=13, n_out=20),
                                    ast.BinaryParams(size=13, n_out=15, wiring_scale=3.0, nu_ca=0.5)],
                         ids=["analog", "binary"])
def test_torch_engine_agrees_with_the_compiled_engine(params):
    pytest.importorskip("torch")
    a, b = _run(params, None), _run(params, "cpu")
    assert a.counts.sum() > 100
    assert np.array_equal(a.counts, b.counts)
    assert np.allclose(a.ca, b.ca, rtol=0, atol=1e-6) and np.allclose(a.ca_trace, b.ca_trace, rtol=0, atol=1e-6)
    assert a.ca_trace.shape == (200, 2, params.n_astrocytes) and np.array_equal(a.ca_trace[-1], _at(a, 0.52))
    assert np.allclose(a.state.v, b.state.v, rtol=0, atol=1e-6)


def test_runs_reproduce_bit_for_bit_and_trials_are_independent():
    params = ast.BinaryParams(size=13, n_out=15, wiring_scale=3.0)
    a, b = _run(params, None), _run(params, None)
    assert np.array_equal(a.counts, b.counts) and np.array_equal(a.ca, b.ca)
    assert not np.array_equal(a.counts[:, 0], a.counts[:, 1])  # each trial has its own background pulses


def test_a_run_continued_from_its_state_equals_one_run():
    wiring = ast.store_image(ast.connect(SMALL, 0), ast.portrait(22), SMALL)
    stim = ast.Stimulus(0.1, 0.2, ast.load_current(ast.portrait(22)))
    whole = ast.simulate(SMALL, wiring, 0.6, stimuli=[stim])
    first = ast.simulate(SMALL, wiring, 0.3, stimuli=[stim], snapshots=[0.15])
    second = ast.simulate(SMALL, wiring, 0.3, state=first.state)
    for x, y in zip(whole.state[:-1], second.state[:-1]):
        assert np.array_equal(x, y)
    branched = ast.simulate(SMALL, wiring, 0.15, state=first.snapshots[0].take([0, 0]), stimuli=[ast.Stimulus(
        0.0, 0.05, ast.load_current(ast.portrait(22)))])
    assert np.array_equal(branched.state.v[0], branched.state.v[1])


def test_replaying_a_calcium_trace_reproduces_it():
    wiring = ast.store_image(ast.connect(SMALL, 0), ast.portrait(22), SMALL)
    stim = ast.Stimulus(0.1, 0.2, ast.load_current(ast.portrait(22)))
    run = ast.simulate(SMALL, wiring, 1.0, stimuli=[stim], trace=(0.5, 1.0), record_every=0.1)
    replay = ast.simulate(SMALL, wiring, 0.3, ca_drive=run.ca_trace[:, 0], drive_start=100, record_every=0.1)
    assert np.array_equal(replay.ca[-1, 0], run.ca_trace[100 + 2999, 0])
    with pytest.raises(ValueError, match="'drive_start'"):
        ast.simulate(SMALL, wiring, 0.3, ca_drive=run.ca_trace[:, 0], drive_start=4000)
    with pytest.raises(ValueError, match="'ca_drive'"):
        ast.simulate(SMALL, wiring, 0.3, ca_drive=run.ca_trace[:10, 0, :5])


def test_background_pulses_follow_the_protocol():
    params = ast.BinaryParams(size=10)
    p = ast.background_pulses(params, 6.0, 2, 0)
    first = np.array([p.start[(p.trial == 0) & (p.neuron == n)].min() for n in range(100)])
    assert first.max() < params.steps(params.noise_phase)
    per_neuron = np.bincount(p.trial * 100 + p.neuron)
    assert 7 <= per_neuron.min() and per_neuron.max() <= 10  # nearly regular, 1.5 per second
    assert np.all(np.abs(p.amplitude) <= params.noise_amplitude)
    pulse_steps = p.duration  # the length of every pulse, in time steps (not a wall time)
    assert pulse_steps == params.steps(0.03)


# ---------------------------------------------------------------------------------------------- images and scores
def test_images_and_cues():
    face = ast.portrait(40)
    assert face.shape == (40, 40) and 0 <= face.min() and face.max() <= 1
    digits = ast.digit_patterns(40)
    assert digits.shape == (10, 40, 40) and len({d.tobytes() for d in digits}) == 10
    assert np.all((digits.mean(axis=(1, 2)) > 0.08) & (digits.mean(axis=(1, 2)) < 0.35))
    flipped = ast.flip(digits[3], 0.2, rng=0)
    assert (flipped != digits[3]).sum() == round(0.2 * 1600)
    sp = ast.salt_and_pepper(face, 0.4, rng=0)
    changed = sp != face
    assert 0.3 < changed.mean() < 0.42 and set(np.unique(sp[changed])) <= {0.0, 1.0}
    noisy = ast.noisy(face, 0.8, rng=0)
    assert 0 <= noisy.min() and noisy.max() <= 1 and 0.5 * face.std() < (noisy - face).std() < 0.9 * face.std()


def test_psnr_and_pattern_score():
    image = ast.portrait(22)
    assert ast.psnr(image * 7.0 + 3.0, (image - image.min()) / (image.max() - image.min())) > 200  # rounding only
    assert ast.psnr(np.eye(22), np.eye(22)) == np.inf
    assert ast.psnr(np.ones((22, 22)), image) == pytest.approx(10 * np.log10(255**2 / np.mean((255 * image) ** 2)))
    pattern = ast.digit_patterns(22)[0]
    assert ast.pattern_score(pattern, pattern) == 1.0 and ast.pattern_score(~pattern, pattern) == 0.0
    unrelated = np.random.default_rng(0).uniform(size=pattern.shape) < 0.5
    assert ast.pattern_score(unrelated, pattern) == pytest.approx(0.5, abs=0.05)
    with pytest.raises(ValueError, match="'pattern'"):
        ast.pattern_score(pattern, np.zeros_like(pattern))


def test_parameters_refuse_impossible_grids_and_times():
    with pytest.raises(ValueError, match="'size' parameter of AnalogParams must be an int of the form 3 \\* n \\+ 1"):
        ast.AnalogParams(size=40 + 1)
    with pytest.raises(ValueError, match="'gate_duration'"):
        ast.BinaryParams(gate_duration=0.00025)
    with pytest.raises(ValueError, match="'n_out'"):
        ast.AnalogParams(size=4, n_out=16)
    with pytest.raises(TypeError, match="'neuron' parameter of BinaryParams must be an instance of IzhikevichParams"):
        ast.BinaryParams(neuron=ast.UllahParams())


def test_torch_engine_replays_calcium_like_the_compiled_engine():
    pytest.importorskip("torch")
    wiring = ast.store_image(ast.connect(SMALL, 0), ast.portrait(22), SMALL)
    stim = ast.Stimulus(0.1, 0.2, ast.load_current(ast.portrait(22)))
    run = ast.simulate(SMALL, wiring, 0.8, stimuli=[stim], trace=(0.4, 0.8))
    cue = ast.Stimulus(0.05, 0.1, ast.cue_current(ast.portrait(22)))
    kw = dict(stimuli=[cue], n_trials=2, ca_drive=run.ca_trace[:, 0], drive_start=[0, 1000], windows=[(0.0, 0.3)])
    a, b = (ast.simulate(SMALL, wiring, 0.3, device=d, **kw) for d in (None, "cpu"))
    assert np.array_equal(a.counts, b.counts) and np.array_equal(a.state.ca, b.state.ca)
    assert np.array_equal(a.state.ca[1], run.ca_trace[1000 + 2999, 0])  # trial 1 replayed from row 1000
