"""Checkers for the exercises of the synapse chapter (see :mod:`wmlib.check`)."""

from __future__ import annotations

import numpy as np

from wmlib.check import Mismatch, call, checker, compare, passed
from wmlib.synapse.model import MBT08, TMParams, probe_after_burst, simulate_spikes, steady_state_regular

_N_CASES = 40


def _random_params(rng, u_rest: str) -> TMParams:
    return TMParams(U=float(rng.uniform(0.05, 0.95)), tau_f=float(rng.uniform(0.02, 3.0)),
                    tau_d=float(rng.uniform(0.02, 3.0)), u_rest=u_rest)


@checker("syn-ex-derive")
def steady_state(func) -> None:
    """Check ``func(rate, params)``: the release per spike :math:`u^+_\\infty x^-_\\infty` of a long regular train.

    ``rate`` is an array of rates in Hz, ``params`` a :class:`TMParams` whose ``u`` relaxes to 0
    (``u_rest="zero"``); the answer is an array like ``rate``.  Compared with :func:`steady_state_regular`.
    """
    rng = np.random.default_rng(2024)
    for _ in range(_N_CASES):
        params = _random_params(rng, "zero")
        rate = np.sort(rng.uniform(0.5, 100.0, 3))
        inputs = {"rate": rate, "params": params}
        got = call(func, "steady_state", inputs)
        compare(got, steady_state_regular(rate, params).release, what="the release per spike",
                func_name="steady_state", inputs=inputs)
    passed(f"steady_state agrees with the closed form on {_N_CASES} random synapses and rates.")


@checker("syn-ex-code")
def tm_spike(func) -> None:
    """Check ``func(u_minus, x_minus, U)`` returning ``(u_plus, x_plus, release)`` for one spike (eq. tm-jump)."""
    rng = np.random.default_rng(7)
    for _ in range(_N_CASES):
        inputs = {"u_minus": float(rng.uniform(0, 1)), "x_minus": float(rng.uniform(0, 1)),
                  "U": float(rng.uniform(0.01, 1))}
        got = call(func, "tm_spike", inputs)
        if not isinstance(got, tuple | list) or len(got) != 3:
            raise Mismatch(f"tm_spike should return three numbers (u_plus, x_plus, release); got {got!r}.")
        u_plus = inputs["u_minus"] + inputs["U"] * (1 - inputs["u_minus"])
        expected = (u_plus, inputs["x_minus"] * (1 - u_plus), u_plus * inputs["x_minus"])
        for what, g, e in zip(("u_plus", "x_plus", "release"), got, expected):
            compare(g, e, what=what, func_name="tm_spike", inputs=inputs)
    passed(f"tm_spike agrees with the library on {_N_CASES} random synaptic states.")


@checker("syn-ex-code")
def run_synapse(func) -> None:
    """Check ``func(spike_times, params)``: the release of every spike of a train, for ``u`` relaxing to ``U``.

    The synapse starts at rest at time 0; ``spike_times`` is a sorted array (s, from 0).  Compared with
    :func:`simulate_spikes`.
    """
    rng = np.random.default_rng(11)
    for _ in range(_N_CASES // 2):
        params = _random_params(rng, "U")
        spikes = np.round(np.sort(rng.uniform(0.0, 1.5, int(rng.integers(2, 9)))), 4)
        inputs = {"spike_times": spikes, "params": params}
        got = call(func, "run_synapse", inputs)
        compare(got, simulate_spikes(spikes, params).release, what="the releases", func_name="run_synapse",
                inputs=inputs)
    passed(f"run_synapse agrees with simulate_spikes on {_N_CASES // 2} random trains and synapses.")


@checker("syn-ex-halflife")
def half_time(value) -> None:
    """Check the time after the 1 s mark at which the probe's extra release has halved (``MBT08``, default burst).

    Accepted within 5 ms of the library's answer, found on a 1 ms grid.
    """
    try:
        value = float(value)
    except (TypeError, ValueError):
        raise TypeError(f"check.half_time takes a number of seconds; got {value!r}.") from None
    d = np.arange(1.0, 4.0, 1e-3)
    probe = probe_after_burst(MBT08, d)
    extra = probe.release - probe.rest_release
    reference = float(d[np.argmax(extra <= extra[0] / 2)] - 1.0)
    if not np.isfinite(value) or abs(value - reference) > 5e-3:
        direction = "long" if value > reference else "short"
        raise Mismatch(f"{value:.4g} s is too {direction} (off by more than 5 ms). Measure the time from the 1 s mark "
                       f"to the first delay where probe release minus rest release is at most half its value at 1 s.")
    passed("half_time: within 5 ms of the library's measurement.")
