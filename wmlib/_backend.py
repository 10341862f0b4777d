"""The one device convention of :mod:`wmlib`, and the optional import of PyTorch.

Every simulation that can run on a GPU takes a ``device`` argument with the same meaning:

* ``None``: the reference CPU engine of that simulation (compiled with numba, or plain NumPy);
* ``"cpu"``, ``"cuda"``, ``"cuda:N"``: PyTorch operations on that device;
* ``"auto"``: ``"cuda"`` when a GPU is available, else ``"cpu"``.

:func:`resolve_device` checks the value and turns it into a :class:`torch.device` (or ``None``), with one error
sentence for the whole library.  PyTorch is optional: :func:`require_torch` imports it or says how to install it.

On the CPU, the engines use as many threads as the process may keep busy (:func:`usable_cpus`): the first time a
CPU engine runs, :func:`fit_threads` lowers torch's and numba's thread pools to that number if they are larger.
"""

from __future__ import annotations

import re
import sys
import threading

__all__ = ["DEVICE_CHOICES", "require_torch", "resolve_device", "usable_cpus", "fit_threads"]

#: How the allowed values are written in error messages.
DEVICE_CHOICES = "None or a str among {'auto', 'cpu', 'cuda', 'cuda:N'}"
_PATTERN = re.compile(r"^(auto|cpu|cuda(:\d+)?)$")


def require_torch(feature: str):
    """Import and return :mod:`torch`, or raise ``ImportError`` naming ``feature`` and the install command."""
    try:
        import torch
    except ImportError as err:  # pragma: no cover - torch is installed wherever the tests run
        raise ImportError(f"{feature} needs PyTorch: pip install 'wmlib[torch]' (or torch for your platform).") from err
    return torch


def usable_cpus() -> int:
    """The number of CPUs this process may keep busy: its CPU affinity, lowered by a cgroup CPU quota.

    A container's CPU limit (``docker run --cpus``, Kubernetes and Binder limits) is a quota on CPU time, not a
    smaller set of cores: ``os.cpu_count()`` and the affinity mask still report every core of the host, and so do
    the default thread pools of torch and numba.  More threads than the quota can run at once then wait on each
    other at every parallel step (on a 2-core machine limited to one CPU, a short RNN training run took four times
    longer with 8 threads than with 2).  The count is joblib's (:func:`joblib.cpu_count`), which reads the affinity
    mask and the quota (cgroup v1 and v2); the environment variable ``LOKY_MAX_CPU_COUNT`` lowers it further.
    """
    from joblib import cpu_count

    return max(1, int(cpu_count()))


_fitted: set[str] = set()
_fit_lock = threading.Lock()


def fit_threads() -> None:
    """Lower torch's and numba's CPU thread pools to :func:`usable_cpus`, once per process and library.

    Called by the CPU engines before they run (through :func:`resolve_device` and the RNN's forward pass).  It never
    raises a thread count, and it acts once: a later ``torch.set_num_threads`` or ``numba.set_num_threads`` of the
    caller's own is kept.  torch is adjusted only once it is imported.  numba's count is per calling thread, so the
    lowering applies to the thread that first runs an engine (the main thread, in a notebook or a script).
    """
    if len(_fitted) == 2:
        return
    with _fit_lock:
        n = None
        if "numba" not in _fitted:
            import numba

            n = usable_cpus()
            if numba.get_num_threads() > n:
                numba.set_num_threads(n)
            _fitted.add("numba")
        torch = sys.modules.get("torch")
        if "torch" not in _fitted and torch is not None:
            n = usable_cpus() if n is None else n
            if torch.get_num_threads() > n:
                torch.set_num_threads(n)
            _fitted.add("torch")


def resolve_device(device, owner: str, allow_none: bool = True):
    """Check ``device`` and return the :class:`torch.device` it names (``None`` stays ``None``).

    Parameters
    ----------
    device : None or str
        See the module docstring.  ``"auto"`` becomes ``"cuda"`` if a GPU is available, else ``"cpu"``.
    owner : str
        The function or class the argument belongs to (named in error messages).
    allow_none : bool, default=True
        Whether ``None`` (the reference CPU engine) is allowed.

    Raises
    ------
    TypeError
        ``device`` is neither None nor a string.
    ValueError
        An unknown device name, or CUDA requested where it is not available.
    """
    choices = DEVICE_CHOICES if allow_none else "a str among {'auto', 'cpu', 'cuda', 'cuda:N'}"
    if device is None:
        if allow_none:
            fit_threads()
            return None
        raise TypeError(f"The 'device' parameter of {owner} must be {choices}. Got None instead.")
    torch = None
    if not isinstance(device, str):
        torch = require_torch(owner)
        if isinstance(device, torch.device):
            device = str(device)
        else:
            raise TypeError(f"The 'device' parameter of {owner} must be {choices}. Got {device!r} instead.")
    if not _PATTERN.match(device):
        raise ValueError(f"The 'device' parameter of {owner} must be {choices}. Got {device!r} instead.")
    torch = torch or require_torch(owner)
    if device == "auto":
        device = "cuda" if torch.cuda.is_available() else "cpu"
    if device.startswith("cuda"):
        if not torch.cuda.is_available():
            raise ValueError(f"The 'device' parameter of {owner} is {device!r}, but CUDA is not available here; "
                             f"use 'auto' or 'cpu'.")
        index = int(device.split(":")[1]) if ":" in device else 0
        if index >= torch.cuda.device_count():
            raise ValueError(f"The 'device' parameter of {owner} is {device!r}, but only "
                             f"{torch.cuda.device_count()} CUDA device(s) are visible.")
    fit_threads()  # the CPU does some of the work on any device (trials, the numba engines)
    return torch.device(device)
