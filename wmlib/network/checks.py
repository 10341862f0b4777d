"""Checkers for the exercises of the network chapter (see :mod:`wmlib.check`)."""

from __future__ import annotations

import numpy as np

from wmlib.check import call, checker, compare, passed

_N_CASES = 30


@checker("net-ex-fit")
def decay_time(func) -> None:
    """Check ``func(t, u, U)``: the time constant of ``u(t) = U + a exp(-t / tau)`` from a log-linear fit.

    Tested on exact exponentials (no noise), where any correct fit returns ``tau`` to rounding.
    """
    rng = np.random.default_rng(5)
    for _ in range(_N_CASES):
        tau, U, a = rng.uniform(0.1, 5.0), rng.uniform(0.05, 0.5), rng.uniform(0.05, 0.8)
        t = np.sort(rng.uniform(0.0, 2.0, int(rng.integers(5, 60))))
        inputs = {"t": t, "u": U + a * np.exp(-t / tau), "U": U}
        got = call(func, "decay_time", inputs)
        compare(got, tau, what="tau", func_name="decay_time", inputs=inputs, rtol=1e-6)
    passed(f"decay_time recovers the time constant of {_N_CASES} random exponential decays.")
