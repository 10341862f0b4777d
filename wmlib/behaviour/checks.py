"""Checkers for the exercises of the introduction (see :mod:`wmlib.check`)."""

from __future__ import annotations

import numpy as np

from wmlib.behaviour.paradigms import cowan_k as _cowan_k
from wmlib.check import call, checker, compare, passed

_N_CASES = 30


@checker("intro-ex-code")
def cowan_k(func) -> None:
    """Check ``func(hit_rate, false_alarm_rate, set_size)``: Cowan's K for arrays of rates and set sizes."""
    rng = np.random.default_rng(3)
    for _ in range(_N_CASES):
        n = int(rng.integers(1, 6))
        inputs = {"hit_rate": rng.uniform(0, 1, n), "false_alarm_rate": rng.uniform(0, 1, n),
                  "set_size": rng.integers(1, 13, n)}
        got = call(func, "capacity_k", inputs)
        compare(got, _cowan_k(*inputs.values()), what="K", func_name="capacity_k", inputs=inputs)
    passed(f"capacity_k agrees with behaviour.cowan_k on {_N_CASES} random sets of rates and set sizes.")
