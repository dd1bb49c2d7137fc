"""Bijective bit mixing, so index-derived identifiers look random yet never collide."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

Words = npt.NDArray[np.uint64]

# SplitMix64's increment and finaliser multipliers (Steele, Lea, Flood 2014)
_GOLDEN = 0x9E3779B97F4A7C15
_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)


def scramble(values: Words, bits: int, salt: int = 0) -> Words:
    """SplitMix64's finaliser modulo ``2**bits``: a bijection on ``[0, 2**bits)``.

    Every step (adding a constant, multiplying by an odd constant, ``x ^= x >> k``) is
    invertible modulo ``2**bits``, so distinct inputs give distinct outputs; ``salt``
    selects a different bijection.
    """
    mask = np.uint64((1 << bits) - 1)
    z = (values + np.uint64((_GOLDEN + salt) % 2**64)) & mask
    z = ((z ^ (z >> np.uint64(30))) * _M1) & mask
    z = ((z ^ (z >> np.uint64(27))) * _M2) & mask
    return z ^ (z >> np.uint64(31))
