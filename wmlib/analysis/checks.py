"""Checkers for the exercises of the metrics chapter that use the shared analyses (see :mod:`wmlib.check`)."""

from __future__ import annotations

import numpy as np

from wmlib.analysis.tuning import direction_tuning
from wmlib.check import Mismatch, call, checker, compare, passed

_N_CASES = 30


@checker("met-ex-pev")
def pev(func) -> None:
    """Check ``func(z, theta)`` returning ``(pev, preferred)``: the cosine fit of one unit's responses ``z`` to
    directions ``theta`` (radians), as :func:`direction_tuning` computes it (eq. met-pev)."""
    rng = np.random.default_rng(29)
    for _ in range(_N_CASES):
        theta = np.tile(np.arange(8) * np.pi / 4, int(rng.integers(2, 8)))
        phi = rng.uniform(-np.pi, np.pi)
        z = rng.uniform(0, 2) + rng.uniform(0, 1) * np.cos(theta - phi) + rng.normal(0, rng.uniform(0.05, 1), theta.size)
        inputs = {"z": z, "theta": theta}
        got = call(func, "pev", inputs)
        if not isinstance(got, tuple | list) or len(got) != 2:
            raise Mismatch(f"pev should return two numbers (pev, preferred); got {got!r}.")
        ref = direction_tuning(z[None, :, None], theta)
        compare(got[0], ref.pev[0, 0], what="the PEV", func_name="pev", inputs=inputs, rtol=1e-6)
        difference = np.angle(np.exp(1j * (float(got[1]) - ref.preferred[0, 0])))
        if abs(difference) > 1e-6:
            raise Mismatch(f"pev(z, theta) for a unit preferring {np.degrees(phi):.0f} deg returned a preferred "
                           f"direction {np.degrees(float(got[1])):.1f} deg, {np.degrees(difference):.1f} deg away from the "
                           f"fit's (give it in radians, from arctan2 of the sine and cosine weights).")
    passed(f"pev agrees with analysis.direction_tuning on {_N_CASES} random units.")
