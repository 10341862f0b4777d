"""Checkers for the exercises of the astrocyte chapter (see :mod:`wmlib.check`)."""

from __future__ import annotations

import numpy as np

from wmlib.astrocyte.recall import psnr as _psnr
from wmlib.check import call, checker, compare, passed

_N_CASES = 30


@checker("astro-ex-psnr")
def psnr(func) -> None:
    """Check ``func(rate_map, image)``: the PSNR (dB) of a rate map rescaled to 0-255 against 255 times ``image``."""
    rng = np.random.default_rng(31)
    for _ in range(_N_CASES):
        side = int(rng.integers(3, 12))
        image = rng.uniform(0, 1, (side, side))
        rate_map = rng.uniform(0, 1, (side, side)) * rng.uniform(1, 200) + rng.uniform(0, 50) * image
        inputs = {"rate_map": rate_map, "image": image}
        got = call(func, "psnr", inputs)
        compare(got, _psnr(rate_map, image), what="the PSNR", func_name="psnr", inputs=inputs, rtol=1e-9)
    passed(f"your PSNR agrees with ast.psnr on {_N_CASES} random maps.")
