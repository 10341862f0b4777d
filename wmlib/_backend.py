"""The one device convention of :mod:`wmlib`, and the optional import of PyTorch.

Every simulation that can run on a GPU takes a ``device`` argument with the same meaning:

* ``None``: the reference CPU engine of that simulation (compiled with numba, or plain NumPy);
* ``"cpu"``, ``"cuda"``, ``"cuda:N"``: PyTorch operations on that device;
* ``"auto"``: ``"cuda"`` when a GPU is available, else ``"cpu"``.

:func:`resolve_device` checks the value and turns it into a :class:`torch.device` (or ``None``), with one error
sentence for the whole library.  PyTorch is optional: :func:`require_torch` imports it or says how to install it.
"""

from __future__ import annotations

import re

__all__ = ["DEVICE_CHOICES", "require_torch", "resolve_device"]

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
    return torch.device(device)
