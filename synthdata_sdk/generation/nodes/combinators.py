"""Columns built from other columns: nullable wrappers, unions of branches, validity guards."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from synthdata_sdk.errors import SchemaError
from synthdata_sdk.generation.nodes.base import Context, Node
from synthdata_sdk.generation.nodes.effort import TOO_EXPENSIVE, schema_size, subtree_size

#: how far a fallback draw moves the attempt number, past any guard's redraws
FALLBACK_ATTEMPTS = 1 << 20


@dataclass
class NullableNode(Node):
    """``inner`` with a share of nulls; the inner column is drawn whole, so rows stay aligned."""

    inner: Node
    rate: float
    pointer: str = ""

    def generate(self, ctx: Context, n: int) -> list[Any]:
        values = self.inner.generate(ctx, n)
        if self.rate <= 0:
            return values
        nulls = ctx.stream(self.pointer, "null").bernoulli(n, self.rate)
        return [None if null else value for value, null in zip(values, nulls.tolist(), strict=True)]

    def describe(self) -> dict[str, Any]:
        return {**self.inner.describe(), "null_rate": self.rate}


@dataclass
class UnionNode(Node):
    """Each row from one branch (``anyOf``, ``oneOf``, type lists), chosen with weights.

    A branch that cannot produce values (its checks fail every redraw: a condition that no
    value meets, which planning could not see) gives its rows to the other branches, drawn
    again among them; only when every branch fails is the schema refused.
    """

    branches: Sequence[Node]
    weights: Sequence[float]
    pointer: str = ""

    def generate(self, ctx: Context, n: int) -> list[Any]:
        choice = ctx.stream(self.pointer, "branch").weighted(n, self.weights)
        out: list[Any] = [None] * n
        nested = ctx.nested()
        failed = ctx.effort.failed
        live = [b for b in range(len(self.branches)) if (self.pointer, b) not in failed]
        rows_of = {b: np.flatnonzero(choice == b).tolist() for b in range(len(self.branches))}
        # the rows of branches that failed earlier in this chunk go to the others at once
        orphans = [row for b, rows in rows_of.items() if b not in live for row in rows]
        failure: SchemaError | None = None
        for round_ in range(len(self.branches) + 1):
            for b in list(live):
                rows = rows_of.pop(b, [])
                if not rows:
                    continue
                try:
                    values = self.branches[b].generate(nested, len(rows))
                except SchemaError as error:
                    if error.detail.startswith(TOO_EXPENSIVE):
                        raise  # the chunk's budget is spent: no branch may draw any more
                    failure = failure or error
                    failed.add((self.pointer, b))
                    live.remove(b)
                    orphans.extend(rows)
                    continue
                for row, value in zip(rows, values, strict=True):
                    out[row] = value
            if not orphans:
                return out
            if not live:
                break
            # the failed branches' rows, drawn again among the others, with fresh streams
            orphans.sort()
            picks = ctx.stream(self.pointer, f"fallback:{round_}").weighted(
                len(orphans), [self.weights[b] for b in live]
            )
            rows_of = {
                b: [orphans[i] for i in np.flatnonzero(picks == k)] for k, b in enumerate(live)
            }
            orphans = []
            nested = replace(nested, attempt=nested.attempt + FALLBACK_ATTEMPTS)
        raise failure or SchemaError(
            self.pointer,
            "anyOf/oneOf",
            "every branch failed earlier in this chunk",
            "a branch whose values can be drawn",
        )

    def describe(self) -> dict[str, Any]:
        return {"generator": "union", "branches": [b.describe() for b in self.branches]}


@dataclass
class GuardNode(Node):
    """Keeps only values a validator accepts, redrawing the others a bounded number of times.

    Used where a constraint cannot be met by construction (``oneOf`` exclusivity, ``not``,
    ``maxContains``...). After ``ATTEMPTS`` redraws the schema is refused with SchemaError
    rather than returning a value that could be invalid.
    """

    inner: Node
    validator: Any
    keyword: str
    pointer: str = ""
    _redraw_size: int = field(default=0, init=False, repr=False, compare=False)

    ATTEMPTS = 30

    def generate(self, ctx: Context, n: int) -> list[Any]:
        if n == 0:
            return []
        values = self.inner.generate(ctx, n)
        bad = self.failing(values)
        attempt_ctx = ctx
        for _ in range(self.ATTEMPTS):
            if not bad:
                return values
            self.spend(ctx)
            attempt_ctx = attempt_ctx.retry()
            # only the failing rows are drawn again: with checks nested in checks, drawing
            # every row again multiplied the work at each level
            redrawn = self.inner.generate(attempt_ctx.subset(bad), len(bad))
            failed = set(self.failing(redrawn))
            for position, (i, value) in enumerate(zip(bad, redrawn, strict=True)):
                if position not in failed:
                    values[i] = value
            bad = [i for position, i in enumerate(bad) if position in failed]
        if bad:
            raise self.refusal(values[bad[0]])
        return values

    def failing(self, values: list[Any]) -> list[int]:
        """The positions of the values the check rejects."""
        is_valid = self.validator.is_valid
        return [i for i, value in enumerate(values) if not is_valid(value)]

    def spend(self, ctx: Context) -> None:
        """Count one redraw against the chunk's budget (see ``effort``)."""
        ctx.effort.redraw(self.pointer, self.keyword, self._size())

    def refusal(self, value: Any) -> SchemaError:
        """The error when ``value`` still fails after every redraw."""
        return SchemaError(
            self.pointer,
            self.keyword,
            f"could not generate a value satisfying it after {self.ATTEMPTS} attempts",
            "a schema whose constraints can be met together",
        )

    def _size(self) -> int:
        """The subschemas a redraw draws and checks again (measured once)."""
        if self._redraw_size == 0:
            self._redraw_size = subtree_size(self.inner) + schema_size(self.validator.schema)
        return self._redraw_size

    def describe(self) -> dict[str, Any]:
        return {**self.inner.describe(), "guarded_by": self.keyword}
