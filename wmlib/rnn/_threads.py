"""The helper thread that draws the numba engine's recurrent noise while its time loop runs.

One thread, created on first use and kept for the process; its torch operations run on one core.  A forked child has
no copy of the thread, so the first use also registers a fork handler that makes the child create its own.  Nothing
happens when :mod:`wmlib.rnn` is imported.
"""

from __future__ import annotations

import os
import threading
from concurrent.futures import ThreadPoolExecutor

import torch

__all__ = ["noise_helper"]

_pool: ThreadPoolExecutor | None = None
_lock = threading.Lock()
_fork_handler_registered = False


def _forget() -> None:
    global _pool
    _pool = None  # in a forked child: the parent's thread does not exist here


def noise_helper() -> ThreadPoolExecutor:
    """The one-thread pool that draws the drive's noise (created on first call)."""
    global _pool, _fork_handler_registered
    with _lock:
        if _pool is None:
            if not _fork_handler_registered:
                os.register_at_fork(after_in_child=_forget)
                _fork_handler_registered = True
            _pool = ThreadPoolExecutor(1, thread_name_prefix="wmlib-drive", initializer=torch.set_num_threads,
                                       initargs=(1,))
        return _pool
