"""The behaviour the papers report, on the 40 x 40 network (the chapter's figures use 79 x 79, see the reproductions).

Tsybina et al. (2022): a noisy cue of the loaded image is recalled better than the cue itself and better than without
astrocytes; another image or uniform noise is not recalled; the memory lasts a window of seconds and is erased when
calcium returns to rest; the delay is silent while the calcium map is a blurred copy of the image.  Gordleeva et al.
(2021): learned digits are recalled better with astrocytes than without.
"""

from dataclasses import replace

import numpy as np
import pytest

from wmlib import astrocyte as ast

SIZE = 40
PARAMS = ast.AnalogParams(size=SIZE, n_out=50)


@pytest.fixture(scope="module")
def image():
    return ast.portrait(SIZE)


@pytest.fixture(scope="module")
def cues(image):
    return [ast.image_cue(ast.noisy(image, 0.8, rng=1), "noisy"), ast.image_cue(ast.salt_and_pepper(image, 0.4, rng=2),
            "salt and pepper"), ast.uniform_cue(SIZE, rng=3), ast.image_cue(ast.other_image(SIZE), "another image")]


@pytest.fixture(scope="module")
def replay(image, cues):
    return ast.recall(PARAMS, image, cues, mode="replay", rng=0)


@pytest.fixture(scope="module")
def control(image, cues):
    return ast.recall(replace(PARAMS, nu_ca=0.0), image, cues, mode="replay", rng=0)


def test_noisy_cues_are_completed_by_the_astrocytes(replay, control):
    noisy, sp = replay.psnr[0, :2]
    assert noisy > replay.cue_psnr[0] + 0.8 and noisy > control.psnr[0, 0] + 0.8
    assert sp > replay.cue_psnr[1] + 2.0 and sp > control.psnr[0, 1] + 2.0


def test_another_image_or_noise_is_not_recalled(replay):
    noisy, _, uniform, other = replay.psnr[0]
    assert uniform < noisy - 5.0 and other < noisy - 4.0
    assert abs(uniform - replay.cue_psnr[2]) < 1.0  # noise stays noise


def test_the_online_variant_recalls_like_the_replayed_one(image, cues, replay):
    online = ast.recall(PARAMS, image, cues, mode="online", rng=0)
    assert np.all(np.abs(online.psnr - replay.psnr)[0, :2] < 0.5)
    assert np.allclose(online.ca_at_cue, replay.ca_at_cue)  # the same loading run


@pytest.fixture(scope="module")
def lifetime(image, cues):
    times = [0.5, 1.1, 1.4, 4.5, 5.5]
    on = ast.recall(PARAMS, image, cues[:1], cue_time=times, mode="online", rng=0)
    off = ast.recall(replace(PARAMS, nu_ca=0.0), image, cues[:1], cue_time=times, mode="online", rng=0)
    return on, off


def test_memory_lasts_a_window_of_seconds_then_is_erased(lifetime):
    on, off = lifetime
    gain = on.psnr[:, 0] - off.psnr[:, 0]
    assert np.allclose(off.psnr, off.psnr[0])  # without astrocytes the delay does not matter
    assert abs(gain[0]) < 0.05  # 0.2 s after loading: calcium has not risen yet
    assert gain[1] > 1.0 and gain[2] > 1.0  # 0.8-1.1 s after loading: the memory
    assert abs(gain[-1]) < 0.05  # 5 s after loading: erased
    ca_max = on.ca_at_cue.max(axis=1)
    assert ca_max[2] > 0.4 and ca_max[-1] < ca_max[2]


def test_the_delay_is_silent_while_calcium_holds_a_blurred_copy(lifetime, image):
    on, _ = lifetime
    assert on.delay_rate < 0.5  # Hz: no neuron fires between loading and cue
    block = image.reshape(-1)[ast.zones(SIZE)].mean(axis=1)  # the image seen through the astrocytes' blocks
    r = np.corrcoef(on.ca_at_cue[2], block)[0, 1]
    assert r > 0.9 and on.load_map.max() > 80  # loading drove the neurons hard


def test_learned_digits_are_recalled_better_with_astrocytes():
    params = ast.BinaryParams(size=SIZE)
    digits = ast.digit_patterns(SIZE)
    on = ast.learn_and_test(params, digits, rng=1)
    off = ast.learn_and_test(replace(params, nu_ca=0.0), digits, rng=1)
    assert on.learned_score > off.learned_score + 0.03 and on.learned_score > 0.85
    assert np.all(on.cue_scores < 0.85)  # each cue (20 % of its pixels flipped) is worse than the recall
