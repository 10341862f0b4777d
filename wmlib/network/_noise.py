"""Gaussian noise for the compiled engine: many independent, reproducible streams, drawn inside parallel loops.

The engine needs about 10^8 standard normal numbers per simulated second of the full network, drawn in parallel
threads, with results that do not depend on how many threads run.  numba's ``np.random`` keeps one state per
thread, so the numbers a neuron gets would depend on the scheduling; here every block of neurons owns a stream
instead:

* uniform bits from **xoroshiro128++** (Blackman & Vigna 2021), two 64-bit words of state per stream, seeded through
  **splitmix64** from integers drawn by the caller's :class:`numpy.random.Generator`;
* normal numbers by the **ziggurat** method of Marsaglia & Tsang (2000) in Doornik's (2005) form with 256 layers:
  one 64-bit draw gives the layer (its lowest 8 bits) and a signed uniform (its upper 53 bits); most draws are
  accepted at once, the rest are resolved exactly (wedges by rejection, the tail beyond r = 3.654 by Marsaglia's
  exponential method), so the output is exactly normal, not an approximation.

References: Marsaglia, G. & Tsang, W. W. (2000). The ziggurat method for generating random variables. J. Stat.
Softw. 5(8).  Doornik, J. A. (2005). An improved ziggurat method to generate normal random samples.  Blackman, D.
& Vigna, S. (2021). Scrambled linear pseudorandom number generators. ACM Trans. Math. Softw. 47(4).
"""

from __future__ import annotations

import numpy as np
from numba import int64, njit, uint64

__all__ = ["seed_streams", "next_bits", "standard_normal", "uniform", "fill_normal", "ZIG_X", "ZIG_RATIO"]

_LAYERS = 256
_R = 3.6541528853610088  # start of the tail, for 256 layers
_V = 0.00492867323399  # area of each layer


def _tables():
    f = lambda z: np.exp(-0.5 * z * z)  # noqa: E731
    x = np.empty(_LAYERS + 1)
    x[0] = _V / f(_R)
    x[1] = _R
    for i in range(2, _LAYERS):
        x[i] = np.sqrt(-2.0 * np.log(_V / x[i - 1] + f(x[i - 1])))
    x[_LAYERS] = 0.0
    return x, x[1:] / x[:-1]


#: Layer edges x_0 > x_1 = r > ... > x_256 = 0, and the ratios x_{i+1}/x_i below which a draw is accepted at once.
ZIG_X, ZIG_RATIO = _tables()


@njit(inline="always")
def _rotl(v, k):
    return (v << uint64(k)) | (v >> uint64(64 - k))


@njit(inline="always")
def next_bits(s0, s1):
    """64 random bits from the xoroshiro128++ state ``(s0, s1)``; returns ``(bits, s0, s1)``.

    The state travels in local variables (a kernel loads a stream's two words, draws from it along a loop and stores
    them back), which lets the compiler keep it in registers.
    """
    result = _rotl(s0 + s1, 17) + s0
    s1 ^= s0
    return result, _rotl(s0, 49) ^ s1 ^ (s1 << uint64(21)), _rotl(s1, 28)


@njit(inline="always")
def uniform(s0, s1):
    """A uniform number in [0, 1) with 53 random bits; returns ``(value, s0, s1)``."""
    bits, s0, s1 = next_bits(s0, s1)
    return int64(bits >> uint64(11)) * (1.0 / 9007199254740992.0), s0, s1


@njit(inline="always")
def standard_normal(s0, s1):
    """A standard normal number (ziggurat); returns ``(value, s0, s1)``."""
    bits, s0, s1 = next_bits(s0, s1)
    j = int64(bits)  # signed: converts to float in one instruction
    i = j & 255
    v = (j >> 11) * (1.0 / 4503599627370496.0)  # upper 53 bits: a signed uniform in [-1, 1)
    if abs(v) < ZIG_RATIO[i]:  # inside the layer's rectangle: about 99 % of draws
        return v * ZIG_X[i], s0, s1
    return _rare(s0, s1, i, v)


@njit(nogil=True, cache=True)
def _rare(s0, s1, i, v):
    """The remaining draws, resolved exactly; out of line (and with scalar arguments only) so that the common path
    stays a few instructions long."""
    zx = ZIG_X
    while True:
        if i == 0:  # the tail beyond r: Marsaglia (1964)
            while True:
                a, s0, s1 = uniform(s0, s1)
                b, s0, s1 = uniform(s0, s1)
                a = -np.log(1.0 - a) / zx[1]
                if -2.0 * np.log(1.0 - b) > a * a:
                    return (zx[1] + a if v > 0 else -(zx[1] + a)), s0, s1
        z = v * zx[i]
        f0 = np.exp(-0.5 * (zx[i] * zx[i] - z * z))
        f1 = np.exp(-0.5 * (zx[i + 1] * zx[i + 1] - z * z))
        w, s0, s1 = uniform(s0, s1)
        if f1 + w * (f0 - f1) < 1.0:  # under the density in the wedge
            return z, s0, s1
        bits, s0, s1 = next_bits(s0, s1)  # rejected: draw again
        j = int64(bits)
        i = j & 255
        v = (j >> 11) * (1.0 / 4503599627370496.0)
        if abs(v) < ZIG_RATIO[i]:
            return v * zx[i], s0, s1


def _splitmix64(z: int) -> tuple[int, int]:
    mask = (1 << 64) - 1
    z = (z + 0x9E3779B97F4A7C15) & mask
    out = z
    out = ((out ^ (out >> 30)) * 0xBF58476D1CE4E5B9) & mask
    out = ((out ^ (out >> 27)) * 0x94D049BB133111EB) & mask
    return z, out ^ (out >> 31)


def seed_streams(rng: np.random.Generator, n_streams: int) -> np.ndarray:
    """(n_streams, 2) uint64 states of independent xoroshiro128++ streams, seeded from ``rng`` via splitmix64."""
    seeds = rng.integers(0, 2**63, size=n_streams, dtype=np.int64)
    state = np.empty((n_streams, 2), dtype=np.uint64)
    for k, seed in enumerate(seeds):
        z, a = _splitmix64(int(seed))
        _, b = _splitmix64(z)
        state[k] = (a, b) if (a or b) else (1, 0)  # the all-zero state is the generator's only forbidden one
    return state


@njit(cache=True, nogil=True)
def fill_normal(state, out):
    """``out[s, :]`` filled from stream ``s``, advancing ``state`` (for tests and checks of the generator)."""
    for s in range(out.shape[0]):
        s0, s1 = state[s, 0], state[s, 1]
        for k in range(out.shape[1]):
            out[s, k], s0, s1 = standard_normal(s0, s1)
        state[s, 0], state[s, 1] = s0, s1
