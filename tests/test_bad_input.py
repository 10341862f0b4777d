"""Bad input is refused with the library's sentence, naming the parameter.

Two kinds of tests:

* generated: every public callable of every mechanism (found by walking ``wmlib``) has one valid call in
  ``tests/<mechanism>/api_examples.py``; bad calls are derived from it, one argument at a time (see
  ``tests/badinput.py``), and each must be refused with ``ValueError``/``TypeError`` naming the argument, or, for a
  value that may be valid, give a result without NaN;
* by hand: the calls found by trying the public API that used to answer with NaN, a plausible wrong number, an
  error from deep inside numpy or torch, or a request that grew until the machine ran out of memory.
"""

import importlib.util

import numpy as np
import pytest
from badinput import bad_calls, load_examples, public_callables, verdict
from conventions import subpackages

from wmlib import behaviour as bh
from wmlib import capacity as cap
from wmlib import synapse as syn


def _examples(mechanism):
    try:
        return load_examples(mechanism)
    except ImportError as err:  # an optional dependency (torch) is missing: nothing of this mechanism can run
        pytest.skip(f"{mechanism}: {err}")


GENERATED = [(m, name) for m in subpackages() for name in sorted(public_callables(m))]


@pytest.mark.parametrize("mechanism", subpackages())
def test_every_public_callable_has_a_valid_example(mechanism):
    """A new public function cannot escape the generated tests: its mechanism's examples must call it."""
    examples = _examples(mechanism)
    missing = sorted(set(public_callables(mechanism)) - set(examples))
    assert not missing, f"tests/{mechanism}/api_examples.py has no valid call of {missing}"
    import matplotlib.pyplot as plt

    for name, example in examples.items():
        function = example.function or public_callables(mechanism)[name]
        function(*example.args, **example.kwargs)  # a valid call must run
        plt.close("all")


@pytest.mark.parametrize("mechanism,name", GENERATED, ids=[f"{m}.{n}" for m, n in GENERATED])
def test_generated_bad_input_is_refused(mechanism, name):
    example = _examples(mechanism).get(name)
    if example is None:
        pytest.fail(f"no valid call of {mechanism}.{name} in tests/{mechanism}/api_examples.py")
    cases = bad_calls(name, public_callables(mechanism)[name], example)
    problems = [f"{name}({c.param}={c.label}) [{c.kind}]: {v}" for c in cases if (v := verdict(c)) is not None]
    assert not problems, f"{len(problems)} of {len(cases)} bad calls answered wrongly:\n" + "\n".join(problems)


def test_generated_bad_input_of_public_methods():
    """Methods with an example of their own (``STSPRNN.forward``): the same generated bad calls."""
    checked = 0
    for mechanism in subpackages():
        if mechanism == "rnn" and importlib.util.find_spec("torch") is None:  # pragma: no cover
            continue
        for name, example in load_examples(mechanism).items():
            if example.function is None:
                continue
            cases = bad_calls(name, example.function, example)
            problems = [f"{name}({c.param}={c.label}) [{c.kind}]: {v}" for c in cases if (v := verdict(c)) is not None]
            assert not problems, "\n".join(problems)
            checked += 1
    assert checked >= 1


CASES = [
    # capacity theory: NaN and out-of-range inputs used to give plausible numbers
    (lambda: cap.t_max(1.5, -1.0, 0.3), ValueError, "'tau_d' parameter of t_max"),
    (lambda: cap.t_max(np.nan, 0.3, 0.3), ValueError, "'tau_f' parameter of t_max"),
    (lambda: cap.critical_input(5.0, alpha=-1.0), ValueError, "'alpha' parameter of critical_input"),
    (lambda: cap.peak_efficacy(0.9, 0.1, 0.3, -1.0, 0.3), ValueError, "'tau_f' parameter of peak_efficacy"),
    (lambda: cap.peak_efficacy(1.5, 0.1, 0.3, 1.5, 0.3), ValueError, "'u0' parameter of peak_efficacy"),
    (lambda: cap.gain(np.ones(3), 0.0), ValueError, "'alpha' parameter of gain"),
    (lambda: cap.capacity_estimate(1.5, 0.3, 0.3, np.nan, 8.0, 3.0, -20.0, 6.0), ValueError, "'tau' parameter of spacing"),
    (lambda: cap.spacing(8.0, np.nan, 0.008, -20.0, 6.0), ValueError, "'I_crit' parameter of spacing"),
    # capacity simulation: a fractional cluster index used to be truncated; a batch too large for memory
    (lambda: cap.simulate(cap.ClusterParams(), cap.LoadingProtocol(n_items=1), order=[0.7]), TypeError,
     "'order' parameter of simulate"),
    (lambda: cap.simulate(cap.ClusterParams(), cap.LoadingProtocol(n_items=1), order=[16]), ValueError,
     "'order' parameter of simulate"),
    (lambda: cap.summarize(cap.ClusterParams(I_b=np.zeros(10**8, dtype=np.float32)), cap.LoadingProtocol(n_items=0),
                           duration=0.01, window=0.01), ValueError,
     "would need about"),
    (lambda: cap.critical_background(n_grid=10**5), ValueError, "'n_grid' parameter of critical_background"),
    # synapse
    (lambda: syn.simulate_spikes(None, syn.MBT08), TypeError, "'spike_times' parameter"),
    (lambda: syn.simulate_rate(np.ones(10), syn.MBT08, u0=5.0), ValueError, "'u0' parameter of simulate_rate"),
    (lambda: syn.simulate_rate(np.ones(10), syn.MBT08, x0=-1.0), ValueError, "'x0' parameter of simulate_rate"),
    (lambda: syn.simulate_rate(np.ones(10), syn.MBT08, u0=np.nan), ValueError, "'u0' parameter of simulate_rate"),
    # behaviour: a stream too long for the position-by-position loop
    (lambda: bh.nback_sequence(10**8, 2, 0), ValueError, "'length' parameter of nback_sequence"),
]


@pytest.mark.parametrize("call,exc,match", CASES, ids=[m for _, _, m in CASES])
def test_bad_input_is_refused_with_a_named_error(call, exc, match):
    with pytest.raises(exc, match=match):
        call()


def test_valid_calls_still_work():
    assert float(cap.t_max(1.5, 0.3, 0.3)) == pytest.approx(0.59, abs=0.005)
    assert cap.peak_efficacy(1.0, 0.0, 0.3, 150.0, 0.3).time > 0
    assert np.all(np.isfinite(cap.gain(np.linspace(-50, 50, 5), 1.5)))
    res = syn.simulate_rate(np.full((10, 2), 5.0), syn.MBT08, u0=np.array([0.2, 0.5]), x0=1.0)
    assert res.u.shape == (11, 2)
    # one train (or one rate) for a batch of parameter sets, as documented: the same as each set on its own
    batched = syn.TMParams(U=np.array([0.2, 0.3]))
    train = np.array([0.0, 0.1, 0.2])
    spikes = syn.simulate_spikes(train, batched, t_eval=np.linspace(0.0, 0.3, 4))
    assert spikes.release.shape == (3, 2) and spikes.u.shape == (4, 2)
    np.testing.assert_array_equal(spikes.release[:, 1], syn.simulate_spikes(train, syn.TMParams(U=0.3)).release)
    rates = syn.simulate_rate(np.full(10, 5.0), batched)
    np.testing.assert_array_equal(rates.u[:, 1], syn.simulate_rate(np.full(10, 5.0), syn.TMParams(U=0.3)).u)


torch = pytest.importorskip("torch")


def test_rnn_bad_input():
    from wmlib import rnn
    from wmlib.rnn import STSPRNN, RNNConfig, RNNState

    net = STSPRNN(RNNConfig(), rng=0)
    wrong = RNNState(torch.zeros(3, 7), torch.ones(3, 7), torch.ones(3, 7))  # used to read out of bounds
    with pytest.raises(ValueError, match="'state' parameter of STSPRNN.forward must hold tensors of shape"):
        net(torch.zeros(5, 4, 24), state=wrong, noise=False)
    with pytest.raises(ValueError, match="'make_trials would need|would need about"):
        rnn.make_trials("DMS", 10**9, 0)
    trial = rnn.make_trials("DMS", 4, 0)
    with pytest.raises(ValueError, match="'logits' parameter of accuracy must be finite"):
        rnn.accuracy(np.full(trial.targets.shape + (3,), np.nan), trial)
    for bad, exc in ((True, TypeError), (1.5, TypeError), (-1, ValueError)):
        with pytest.raises(exc, match="'seed' parameter of load_pretrained"):
            rnn.load_pretrained("DMS", seed=bad)
    with pytest.raises(TypeError, match="'stsp' parameter of load_pretrained"):
        rnn.load_pretrained("DMS", seed=0, stsp=None)
    slow = STSPRNN(RNNConfig(dt=20.0), rng=0)
    with pytest.raises(ValueError, match="steps 20 ms .* step 10 ms"):
        rnn.record(slow, "DMS", 8)


def test_damaged_network_files_are_refused(tmp_path):
    from wmlib.rnn import pretrained as pt

    net = pt.load_pretrained("DMS", 0)
    good = pt.save_network(tmp_path / "net.npz", net, {"task": "DMS"})
    data = dict(np.load(good))
    data["param/w_rnn"] = np.zeros(100, dtype=np.float32)
    np.savez(tmp_path / "bad_shape.npz", **data)
    with pytest.raises(ValueError, match="parameter 'w_rnn' of shape \\(100,\\)"):
        pt.load_network(tmp_path / "bad_shape.npz")
    data["param/w_rnn"] = np.full((100, 100), np.nan, dtype=np.float32)
    np.savez(tmp_path / "nan.npz", **data)
    with pytest.raises(ValueError, match="non-finite"):
        pt.load_network(tmp_path / "nan.npz")
    (tmp_path / "truncated.npz").write_bytes(good.read_bytes()[:500])
    with pytest.raises(ValueError, match="truncated.npz cannot be read"):
        pt.load_network(tmp_path / "truncated.npz")
    with pytest.raises(ValueError, match="invalid file entry"):
        pt._entry_path(tmp_path, {"file": "/etc/passwd"})
