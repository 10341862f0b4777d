"""CPU thread pools fit the CPUs the process may use (wmlib._backend.usable_cpus and fit_threads).

A container's CPU quota leaves every host core visible, so torch and numba would start more threads than can run
and wait on each other at every step.  joblib's count (which reads the quota) is lowered here with
LOKY_MAX_CPU_COUNT, the variable it documents, standing in for a quota.  Each case runs in a fresh interpreter:
thread pools are process-wide state.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from wmlib._backend import usable_cpus

pytest.importorskip("torch")

_FORWARD = """
import numba, torch
from wmlib import rnn
torch.set_num_threads(2); numba.set_num_threads(2)
net = rnn.STSPRNN(rnn.RNNConfig(), rng=0)
def forward():
    x = torch.zeros(3, 2, net.config.n_input)
    net(x, noise_generator=torch.Generator().manual_seed(0))
"""


def _run(code: str, max_cpus: int) -> list[str]:
    env = dict(os.environ, LOKY_MAX_CPU_COUNT=str(max_cpus), NUMBA_NUM_THREADS="2")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, env=env)
    assert out.returncode == 0, out.stderr
    return out.stdout.split()


def test_usable_cpus_follows_joblib_and_its_override(monkeypatch):
    monkeypatch.delenv("LOKY_MAX_CPU_COUNT", raising=False)
    n = usable_cpus()
    assert 1 <= n <= os.cpu_count()
    monkeypatch.setenv("LOKY_MAX_CPU_COUNT", "1")
    assert usable_cpus() == 1


def test_a_cpu_forward_pass_lowers_torch_and_numba_to_the_usable_cpus():
    code = _FORWARD + "forward(); print(torch.get_num_threads(), numba.get_num_threads())"
    assert _run(code, max_cpus=1) == ["1", "1"]


def test_the_lowering_happens_once_and_keeps_the_callers_later_choice():
    code = _FORWARD + ("forward(); torch.set_num_threads(2); numba.set_num_threads(2); forward(); "
                       "print(torch.get_num_threads(), numba.get_num_threads())")
    assert _run(code, max_cpus=1) == ["2", "2"]


def test_thread_counts_are_never_raised():
    code = _FORWARD + "torch.set_num_threads(1); numba.set_num_threads(1); forward(); " \
                      "print(torch.get_num_threads(), numba.get_num_threads())"
    assert _run(code, max_cpus=64) == ["1", "1"]


def test_the_numba_engines_fit_too():
    code = ("import numba; numba.set_num_threads(2)\n"
            "from wmlib._backend import resolve_device\n"
            "resolve_device(None, 'simulate'); print(numba.get_num_threads())")
    assert _run(code, max_cpus=1) == ["1"]
