"""Keeping large freed arrays in the process's heap during training (glibc only; results are unchanged).

Used explicitly by :func:`wmlib.rnn.train` (``with reuse_freed_memory(): ...``); importing this module changes
nothing.
"""

from __future__ import annotations

import ctypes
import platform
from contextlib import contextmanager

__all__ = ["reuse_freed_memory"]

_M_TRIM_THRESHOLD, _M_MMAP_THRESHOLD = -1, -3  # mallopt parameters (malloc.h)
_MMAP_THRESHOLD_MAX = 32 * 2**20  # glibc's ceiling for its dynamic mmap threshold (64-bit)
_reuse_depth = 0


def _glibc():
    if platform.system() != "Linux" or platform.libc_ver()[0] != "glibc":
        return None
    try:
        return ctypes.CDLL("libc.so.6")
    except OSError:
        return None


@contextmanager
def reuse_freed_memory():
    """Keep large freed arrays in the process's heap for reuse instead of returning them to the system.

    A training iteration allocates the same few large arrays every time (on the CPU at batch 1024:
    H, x, u, the drive and dL/dz, T x B x N floats or 100 MB each) and frees them at its end.  glibc's
    ``malloc`` serves blocks above its mmap threshold (never more than 32 MB by default) with fresh pages
    from the kernel, so every iteration pays again for faulting in and zeroing about half a gigabyte.
    On 2 cores, dualDMS training at batch 256 ran about 20 % more iterations per second with this
    setting than without (separate runs; ``benchmarks/bench_rnn.py --plain-heap`` compares whole runs,
    and on a shared machine the difference is not always above the noise).
    Inside this context, large blocks come from the heap and freed ones stay there, so later
    iterations reuse them (the first few still take fresh pages, until the heap holds a free block
    large enough for an aligned allocation of each size).  On exit the thresholds become 32 MB (mmap) and 64 MB (trim), the values
    glibc's own adjustment reaches in a program that frees large arrays (it stops adjusting once a
    program sets them), and the unused heap is returned to the system (``malloc_trim``).

    Nothing else changes: results are identical.  A no-op where the C library is not glibc; nested
    uses are fine.  :func:`train` runs inside it.
    """
    global _reuse_depth
    libc = _glibc()
    if libc is None:
        yield
        return
    if _reuse_depth == 0:
        libc.mallopt(_M_MMAP_THRESHOLD, 2**31 - 1)  # the largest int: no block is too large for the heap
        libc.mallopt(_M_TRIM_THRESHOLD, 2**31 - 1)
    _reuse_depth += 1
    try:
        yield
    finally:
        _reuse_depth -= 1
        if _reuse_depth == 0:
            libc.mallopt(_M_MMAP_THRESHOLD, _MMAP_THRESHOLD_MAX)
            libc.mallopt(_M_TRIM_THRESHOLD, 2 * _MMAP_THRESHOLD_MAX)
            libc.malloc_trim(0)
