"""Seeded random streams whose output depends only on raw PCG64 bits and our own mapping.

numpy guarantees a stable stream only for a bit generator's raw output (NEP 19), so every draw
here is derived from ``random_raw`` with arithmetic we own: the same seed gives the same
values with any numpy release. Transcendental functions (log, cos) used for the normal and
lognormal distributions can differ in the last bit between maths libraries; those values are
rounded before use (see ``docs/schema.md``).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

UInt64Array = npt.NDArray[np.uint64]
Int64Array = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]

_TWO_POW_53 = float(2**53)


def derive_seed(*parts: object) -> int:
    """A 128-bit seed from any tuple of str/int parts, stable across processes and machines."""
    text = "\x1f".join(str(part) for part in parts)
    return int.from_bytes(hashlib.sha256(text.encode("utf-8")).digest()[:16], "big")


class RandomStream:
    """A deterministic stream of draws for one (seed, chunk, field) triple."""

    #: how many draws a caller that reads ahead (a pattern's drawer) fetches at once; the
    #: values do not depend on it here, and a stream that pays per draw sets it to 1
    prefetch = 512

    def __init__(self, *seed_parts: object) -> None:
        self._bits = np.random.PCG64(derive_seed(*seed_parts))

    def raw(self, n: int) -> UInt64Array:
        """``n`` raw 64-bit words."""
        return self._bits.random_raw(n).astype(np.uint64, copy=False)

    def uniform(self, n: int) -> FloatArray:
        """``n`` floats in [0, 1) with 53 bits of precision."""
        return (self.raw(n) >> np.uint64(11)).astype(np.float64) / _TWO_POW_53

    def integers(self, n: int, size: int) -> Int64Array:
        """``n`` integers uniform in [0, size)."""
        if size <= 0:
            raise ValueError("size must be positive")
        if size == 1:
            return np.zeros(n, dtype=np.int64)
        if size > 2**53:
            raise ValueError("domains above 2**53 need big_integers")
        out = np.floor(self.uniform(n) * float(size)).astype(np.int64)
        # float rounding can reach ``size`` only at the very top of the range
        return np.minimum(out, size - 1)

    def big_integers(self, n: int, size: int) -> list[int]:
        """``n`` Python ints uniform in [0, size) for domains of any size."""
        words = max(1, (size.bit_length() + 63) // 64 + 1)
        raw = self.raw(n * words).reshape(n, words).tolist()
        out = []
        for row in raw:
            value = 0
            for word in row:
                value = (value << 64) | int(word)
            out.append(value % size)
        return out

    def weighted(self, n: int, weights: Sequence[float]) -> Int64Array:
        """``n`` indices drawn with the given (unnormalised) weights."""
        cumulative = np.cumsum(np.asarray(weights, dtype=np.float64))
        total = float(cumulative[-1])
        picks = np.searchsorted(cumulative, self.uniform(n) * total, side="right")
        return np.minimum(picks, len(cumulative) - 1).astype(np.int64)

    def bernoulli(self, n: int, rate: float) -> npt.NDArray[np.bool_]:
        """``n`` booleans that are True with probability ``rate``."""
        return self.uniform(n) < rate

    def normal(self, n: int, mean: float, std: float) -> FloatArray:
        """``n`` normal draws (Box-Muller over our own uniforms), rounded to 9 decimals."""
        u1 = 1.0 - self.uniform(n)  # (0, 1]
        u2 = self.uniform(n)
        z = np.sqrt(-2.0 * np.log(u1)) * np.cos(2.0 * np.pi * u2)
        return np.round(mean + std * z, 9)
