"""The contract every semantic type follows.

A semantic is a finite, ordered domain of safe string values per locale. ``values`` maps
domain indices to values, so the engine can draw a column uniformly (random indices) or
uniquely (a permutation of indices) with one code path and no retry loops.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, ClassVar

import numpy as np
import numpy.typing as npt

Indices = npt.NDArray[np.int64]
#: domains are capped so a uniform draw over them is exact with 53-bit floats
MAX_DOMAIN = 2**53


class Semantic(ABC):
    """One semantic type, e.g. ``email`` or ``ssn``."""

    #: the name used in ``x-synthdata: {semantic: ...}``
    name: ClassVar[str]
    #: JSON Schema ``format`` its values satisfy, if any (``email``, ``date``, ``uuid``...)
    format: ClassVar[str | None] = None
    #: one line for docs and ``validate_schema`` reports
    description: ClassVar[str] = ""
    #: the safe rule the values follow and its published source (empty when not an identifier)
    safe_rule: ClassVar[str] = ""
    #: whether a value could name a real person or account if it were not drawn safely: a
    #: field of such a semantic takes safe values even under a user ``pattern``
    #: (``generation.safe_patterns``); each one has a compliance scanner detector
    identifier: ClassVar[bool] = False
    #: x-synthdata options this semantic accepts besides the common ones
    options: ClassVar[frozenset[str]] = frozenset()

    @abstractmethod
    def domain_size(self, locale: str, options: Mapping[str, Any]) -> int:
        """Number of distinct values (at most ``MAX_DOMAIN``)."""

    @abstractmethod
    def values(self, indices: Indices, locale: str, options: Mapping[str, Any]) -> list[str]:
        """The values at ``indices`` (each in ``[0, domain_size)``), in order."""

    @abstractmethod
    def pools(self, locale: str) -> Iterable[Sequence[str]]:
        """Every data pool the values are drawn from, hashed into the engine data version."""

    def check_options(self, options: Mapping[str, Any], pointer: str) -> None:
        """Raise ``SchemaError`` for an option this semantic does not understand or accept."""
        from synthdata_sdk.errors import SchemaError

        for key, value in options.items():
            if key not in self.options:
                raise SchemaError(
                    pointer,
                    "x-synthdata",
                    f"option {key!r} is not understood by semantic {self.name!r}",
                    f"one of {sorted(self.options)}" if self.options else "no options",
                )
            if not isinstance(value, bool):
                raise SchemaError(
                    pointer, f"x-synthdata/{key}", f"must be a boolean, got {value!r}"
                )


def mixed_radix(indices: Indices, radices: Sequence[int]) -> list[Indices]:
    """Split each index into digits of the given radices (least significant first)."""
    digits = []
    rest = indices.copy()
    for radix in radices:
        digits.append(rest % radix)
        rest = rest // radix
    return digits


def pick(pool: Sequence[str], indices: Indices) -> npt.NDArray[np.object_]:
    """``pool[i]`` for each index, as an object array (fast fancy indexing)."""
    array = np.asarray(pool, dtype=object)
    return array[indices]
