"""A seeded bijection on [0, size): how unique columns are unique by construction.

Row ``i`` of a unique column takes domain index ``permute(i)``. Because the permutation is a
bijection, distinct rows get distinct indices without any retry loop, and row ``i`` gets the
same index whether it is generated alone, in a chunk or in another process. The bijection is
a balanced Feistel network over the smallest even bit width covering ``size``, with cycle
walking to stay inside [0, size): each walk step is again a bijection, so the result is too.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from synthdata_sdk.generation.random import derive_seed

_ROUNDS = 6
_MIX_A = np.uint64(0x9E3779B97F4A7C15)
_MIX_B = np.uint64(0xBF58476D1CE4E5B9)
_MIX_C = np.uint64(0x94D049BB133111EB)


def _mix(values: npt.NDArray[np.uint64], key: np.uint64) -> npt.NDArray[np.uint64]:
    """splitmix64 finaliser over ``values ^ key``: a fast, well-spread round function."""
    with np.errstate(over="ignore"):
        z = (values ^ key) + _MIX_A
        z = (z ^ (z >> np.uint64(30))) * _MIX_B
        z = (z ^ (z >> np.uint64(27))) * _MIX_C
        return z ^ (z >> np.uint64(31))


class Permutation:
    """A keyed permutation of ``range(size)`` for ``size`` up to 2**62."""

    def __init__(self, size: int, *key_parts: object) -> None:
        if not 0 < size <= 2**62:
            raise ValueError(f"permutation size must be in 1..2**62, got {size}")
        self.size = size
        bits = max(2, (size - 1).bit_length())
        bits += bits % 2
        self._half = bits // 2
        self._mask = np.uint64((1 << self._half) - 1)
        base = derive_seed("permutation", size, *key_parts)
        self._keys = [np.uint64((base >> (20 * r)) & 0xFFFFFFFFFFFFFFFF) for r in range(_ROUNDS)]

    def _feistel(self, values: npt.NDArray[np.uint64]) -> npt.NDArray[np.uint64]:
        half = np.uint64(self._half)
        left = values >> half
        right = values & self._mask
        for key in self._keys:
            left, right = right, left ^ (_mix(right, key) & self._mask)
        return (left << half) | right

    def __call__(self, indices: npt.ArrayLike) -> npt.NDArray[np.int64]:
        """The images of ``indices`` (each in [0, size))."""
        values = np.asarray(indices, dtype=np.uint64)
        out = self._feistel(values)
        limit = np.uint64(self.size)
        outside = out >= limit
        while outside.any():
            out[outside] = self._feistel(out[outside])
            outside = out >= limit
        return out.astype(np.int64)
