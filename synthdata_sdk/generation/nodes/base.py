"""The node contract and the per-chunk context every draw is seeded from."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import numpy.typing as npt

from synthdata_sdk.errors import SchemaError
from synthdata_sdk.generation.nodes.effort import Effort
from synthdata_sdk.generation.permutation import Permutation
from synthdata_sdk.generation.random import RandomStream

#: the range shared keys are mixed in before they are reduced to a pool's size
_WIDE_KEYS = 2**62


@dataclass(frozen=True)
class Context:
    """Where a column is drawn: the request seed, the chunk, the attempt and the rows covered.

    ``row_start`` is the global index of the chunk's first row; it is ``None`` inside arrays,
    where rows no longer line up with records (unique columns are refused there).
    """

    seed: int
    chunk: int
    locale: str
    row_start: int | None
    attempt: int = 0
    #: the global row of each value when they are not consecutive (some rows drawn again)
    rows: tuple[int, ...] | None = None
    #: the chunk's redraw count and failed branches, shared by every context of the chunk
    effort: Effort = field(default_factory=Effort, compare=False, repr=False)

    def stream(self, pointer: str, purpose: str = "") -> RandomStream:
        """The random stream of one node for one purpose, in this chunk and attempt."""
        return RandomStream(self.seed, self.chunk, self.attempt, pointer, purpose)

    def shared_keys(
        self, label: str, rows: npt.NDArray[np.int64], size: int
    ) -> npt.NDArray[np.int64]:
        """One key in ``[0, size)`` per global row, shared by the columns of ``label`` that
        must agree within a record (a name and its e-mail): a keyed mix of the row number,
        so a value depends on its row alone, whatever the chunking."""
        keys: npt.NDArray[np.int64] = (
            Permutation(_WIDE_KEYS, self.seed, label, self.attempt)(rows) % size
        )
        return keys

    def retry(self) -> Context:
        """The same place, next attempt (used by guards to redraw failing values)."""
        return replace(self, attempt=self.attempt + 1)

    def nested(self) -> Context:
        """A context for values that do not line up with records (array items)."""
        return replace(self, row_start=None, rows=None)

    def subset(self, positions: Sequence[int]) -> Context:
        """The context of some of this context's values (by position), e.g. to draw them again.

        Unique columns keep their rows' values: a value depends on its global row only.
        """
        if self.row_start is None:
            return self
        rows = self.rows
        start = self.row_start
        return replace(
            self, rows=tuple(rows[i] if rows is not None else start + i for i in positions)
        )


class Node(ABC):
    """Generates one column of values for the subschema at ``pointer``."""

    pointer: str = ""

    @abstractmethod
    def generate(self, ctx: Context, n: int) -> list[Any]:
        """``n`` values, each valid for this node's subschema."""

    def describe(self) -> dict[str, Any]:
        """A short description for field-plan reports."""
        return {"generator": type(self).__name__.removesuffix("Node").lower()}


class DomainNode(Node):
    """A node over a finite ordered domain: draws are indices, so ``unique`` is a permutation."""

    unique: bool = False

    @abstractmethod
    def domain_size(self) -> int:
        """Number of distinct values."""

    @abstractmethod
    def values_at(self, indices: npt.NDArray[np.int64], ctx: Context) -> list[Any]:
        """The values at the given domain indices."""

    def indices(self, ctx: Context, n: int) -> npt.NDArray[np.int64]:
        """Uniform random indices, or for unique columns the permuted row indices."""
        size = self.domain_size()
        if not self.unique:
            stream = ctx.stream(self.pointer, "index")
            if size > 2**53:
                # huge integer ranges: exact Python ints, kept in an object array
                return np.array(stream.big_integers(n, size), dtype=object)
            return stream.integers(n, size)
        if ctx.row_start is None:
            raise SchemaError(
                self.pointer,
                "x-synthdata/unique",
                "unique values inside arrays are not supported",
                "uniqueItems on the array instead",
            )
        if ctx.rows is not None:
            rows = np.array(ctx.rows, dtype=np.int64)
        else:
            rows = np.arange(ctx.row_start, ctx.row_start + n, dtype=np.int64)
        # a permutation of the first 2**62 values is still unique for any feasible row count
        return Permutation(min(size, 2**62), ctx.seed, self.pointer)(rows)

    def generate(self, ctx: Context, n: int) -> list[Any]:
        return self.values_at(self.indices(ctx, n), ctx)
