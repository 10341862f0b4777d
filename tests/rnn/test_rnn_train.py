"""Training: constraints survive updates, resume is bit-identical on CPU, NaN stops training, bad input is refused."""

import os

import numpy as np
import pytest

torch = pytest.importorskip("torch")
from test_rnn_model import check_constraints  # noqa: E402

from wmlib.rnn import _heap  # noqa: E402
from wmlib.rnn import training as tr  # noqa: E402
from wmlib.rnn.training import TrainConfig, load_checkpoint, train  # noqa: E402

SMALL = dict(task="DMS", batch_size=16, checkpoint_every=2)


def test_constraints_hold_after_training_steps():
    res = train(TrainConfig(iterations=5, **SMALL), progress=False, device="cpu")
    check_constraints(res.model)
    assert torch.all(torch.diagonal(res.model.w_rnn) == 0), "masked gradients keep autapses at zero"
    assert len(res.history["loss"]) == 5 and np.all(np.isfinite(res.history["loss"]))


@pytest.mark.parametrize("engine", ["numba", "torch"])
def test_resume_is_bit_identical(tmp_path, engine):
    straight = train(TrainConfig(iterations=6, engine=engine, **SMALL), out_dir=tmp_path / "a", progress=False, device="cpu")
    train(TrainConfig(iterations=3, engine=engine, **SMALL), out_dir=tmp_path / "b", progress=False, device="cpu")
    resumed = train(TrainConfig(iterations=6, engine=engine, **SMALL), out_dir=tmp_path / "b", progress=False, device="cpu")
    for (name, p), (_, q) in zip(straight.model.named_parameters(), resumed.model.named_parameters()):
        assert torch.equal(p, q), name
    np.testing.assert_array_equal(straight.history["loss"], resumed.history["loss"])
    model, config, iteration, history, _ = load_checkpoint(tmp_path / "b" / "checkpoint.npz")
    assert iteration == 6 and config.iterations == 6 and len(history["loss"]) == 6
    assert not list((tmp_path / "b").glob("*.tmp")), "no temporary files left behind"


def test_trials_drawn_ahead_in_threads_change_nothing(tmp_path):
    """workers > 0 draws the next iterations' trials in threads (for GPUs): same trials, same run, also resumed."""
    straight = train(TrainConfig(iterations=6, **SMALL), progress=False, device="cpu", workers=0)
    train(TrainConfig(iterations=4, **SMALL), out_dir=tmp_path, progress=False, device="cpu", workers=3)
    ahead = train(TrainConfig(iterations=6, **SMALL), out_dir=tmp_path, progress=False, device="cpu", workers=2)
    np.testing.assert_array_equal(straight.history["loss"], ahead.history["loss"])
    for (name, p), (_, q) in zip(straight.model.named_parameters(), ahead.model.named_parameters()):
        assert torch.equal(p, q), name
    assert tr.default_workers("cpu") == 0  # on a CPU the engine uses the cores


def test_resume_refuses_a_different_configuration(tmp_path):
    train(TrainConfig(iterations=2, **SMALL), out_dir=tmp_path, progress=False, device="cpu")
    with pytest.raises(ValueError, match="different configuration"):
        train(TrainConfig(iterations=4, spike_cost=0.5, **SMALL), out_dir=tmp_path, progress=False, device="cpu")


def test_nan_loss_stops_training_and_keeps_the_last_good_checkpoint(tmp_path, monkeypatch):
    real = tr.loss_and_accuracy
    calls = {"n": 0}

    def poisoned(*args, **kwargs):
        out = real(*args, **kwargs)
        calls["n"] += 1
        if calls["n"] == 4:  # the 4th iteration produces NaN
            return (out[0] * float("nan"),) + out[1:]
        return out

    monkeypatch.setattr(tr, "loss_and_accuracy", poisoned)
    with pytest.raises(FloatingPointError, match="loss became nan at iteration 3"):
        train(TrainConfig(iterations=10, **SMALL), out_dir=tmp_path, progress=False, device="cpu")
    model, _, iteration, history, _ = load_checkpoint(tmp_path / "checkpoint.npz")
    assert iteration == 2 and len(history["loss"]) == 2
    assert all(torch.isfinite(p).all() for p in model.parameters())


def test_early_stop_on_accuracy(tmp_path):
    res = train(TrainConfig(iterations=50, stop_accuracy=0.01, **SMALL), out_dir=tmp_path, progress=False, device="cpu")
    assert res.iteration == 10  # the running mean needs 10 iterations
    assert load_checkpoint(tmp_path / "checkpoint.npz")[2] == 10


def test_cli(tmp_path, capsys):
    from wmlib.rnn.__main__ import main

    rc = main(["train", "--task", "DMS", "--seed", "1", "--out", str(tmp_path), "--iterations", "2",
               "--batch-size", "8", "--quiet", "--device", "cpu", "--workers", "1"])
    assert rc == 0 and (tmp_path / "checkpoint.npz").exists()
    assert main(["train", "--task", "DMS", "--out", str(tmp_path / "x"), "--batch-size", "0", "--quiet"]) == 2
    assert "'batch_size' parameter of TrainConfig" in capsys.readouterr().err


def test_bad_arguments():
    with pytest.raises(ValueError, match="'task' parameter of TrainConfig"):
        TrainConfig(task="nope")
    with pytest.raises(ValueError, match="'learning_rate' parameter of TrainConfig"):
        TrainConfig(learning_rate=0.0)
    with pytest.raises(TypeError, match="'stsp' parameter of TrainConfig must be a bool"):
        TrainConfig(stsp="yes")
    with pytest.raises(ValueError, match="'engine' parameter of TrainConfig"):
        TrainConfig(engine="fast")
    with pytest.raises(ValueError, match="'device' parameter of train must be"):
        tr.resolve_device("tpu")
    with pytest.raises(TypeError, match="'config' parameter of train"):
        train({"task": "DMS"})
    for bad in (-1, 65, 1.5, True):
        with pytest.raises((ValueError, TypeError), match=r"'workers' parameter of train must be an int in the range \[0, 64\]"):
            train(TrainConfig(**SMALL), progress=False, device="cpu", workers=bad)
    with pytest.raises(FileNotFoundError):
        load_checkpoint("/nonexistent/checkpoint.npz")


_HEAP_PROBE = """
import json, resource
import torch
import wmlib.rnn.training  # noqa: F401  (the context train() runs in: torch and the engines loaded)
from wmlib.rnn._heap import reuse_freed_memory

def faults(n_bytes=100 * 2**20):  # minor page faults while allocating, filling and freeing one 100 MB block
    before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    block = torch.empty(n_bytes // 4)
    block.fill_(1.0)
    del block
    return resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before

outside = [faults() for _ in range(3)]
with reuse_freed_memory():
    with reuse_freed_memory():  # nested use keeps the setting until the outer exit
        pass
    inside = [faults() for _ in range(12)]
after = [faults()]
print(json.dumps({"outside": outside, "inside": inside, "after": after}))
"""


@pytest.mark.skipif(_heap._glibc() is None, reason="the heap setting exists only with glibc")
def test_reuse_freed_memory_avoids_faulting_in_pages_again():
    """Inside the context a freed 100 MB array is reused (no new pages), as in training's repeated iterations.

    The first few allocations inside still take fresh pages: the heap must first hold a free block large
    enough for an aligned allocation of that size, which depends on where small objects landed (it varied
    from one to five rounds in fresh interpreters).  So the test asks for the steady state: the last four of
    twelve rounds fault in (almost) nothing, while before the context every round faults in the whole block,
    and so does the first round after it (its exit returned the unused heap to the system).  Measured in a
    fresh interpreter: a process's heap depends on everything it allocated before (earlier tests), which is
    not what this test is about.
    """
    import json
    import subprocess
    import sys

    runs = []
    for _ in range(3):  # other work on the machine can disturb page-fault counts: one clean run suffices
        done = subprocess.run([sys.executable, "-c", _HEAP_PROBE], capture_output=True, text=True, timeout=120,
                              env={**os.environ, "OMP_NUM_THREADS": "1"})
        assert done.returncode == 0, done.stderr
        faults = json.loads(done.stdout.strip().splitlines()[-1])
        block_pages = min(faults["outside"])
        if block_pages < 5000:
            pytest.skip("the system backs this allocation with huge pages: nothing to measure")
        runs.append(faults)
        reused = max(faults["inside"][-4:]) < block_pages / 20
        returned = faults["after"][0] > block_pages / 2  # on exit the freed heap went back to the system
        if reused and returned:
            return
    pytest.fail(f"freed blocks were not reused inside the context, or not returned on exit (page faults: {runs})")
