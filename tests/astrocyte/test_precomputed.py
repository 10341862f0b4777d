"""The shipped runs of the 79 x 79 and 151 x 151 networks are current: regenerated, they are the same bit for bit."""

import numpy as np
import pytest

from wmlib.astrocyte import PatternMemory, Recall, precomputed


@pytest.mark.parametrize("name", ["recall", "digits"])
def test_the_shipped_runs_regenerate_bit_for_bit(tmp_path, name):
    precomputed.generate(tmp_path, [name], progress=False)
    new, shipped = np.load(tmp_path / f"{name}.npz"), np.load(precomputed.FOLDER / f"{name}.npz")
    assert sorted(new.files) == sorted(shipped.files)
    for key in new.files:
        assert np.array_equal(new[key], shipped[key]), key


@pytest.mark.parametrize("name", precomputed.EXPERIMENTS)
def test_every_experiment_loads_as_results(name):
    runs = precomputed.load(name)
    kind = PatternMemory if name == "digits" else Recall
    assert runs and all(isinstance(r, kind) for r in runs.values())
    if kind is Recall:
        first = next(iter(runs.values()))
        assert first.rate_maps.shape[-1] == first.load_map.shape[0] and np.isfinite(first.psnr).all()


def test_generate_refuses_unknown_experiments_and_a_file_as_folder(tmp_path):
    with pytest.raises(ValueError, match="'experiments'"):
        precomputed.generate(tmp_path, ["nothing"])
    (tmp_path / "file").write_text("x")
    with pytest.raises(ValueError, match="'out_dir'"):
        precomputed.generate(tmp_path / "file", ["recall"])
    with pytest.raises(ValueError, match="'name'"):
        precomputed.load("nothing")
