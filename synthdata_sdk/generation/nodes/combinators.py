"""Columns built from other columns: nullable wrappers, unions of branches, validity guards."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from synthdata_sdk.errors import SchemaError
from synthdata_sdk.generation.nodes.base import Context, Node


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
    """Each row from one branch (``anyOf``, ``oneOf``, type lists), chosen with weights."""

    branches: Sequence[Node]
    weights: Sequence[float]
    pointer: str = ""

    def generate(self, ctx: Context, n: int) -> list[Any]:
        choice = ctx.stream(self.pointer, "branch").weighted(n, self.weights)
        out: list[Any] = [None] * n
        nested = ctx.nested()
        for b, branch in enumerate(self.branches):
            rows = np.flatnonzero(choice == b).tolist()
            if not rows:
                continue
            for row, value in zip(rows, branch.generate(nested, len(rows)), strict=True):
                out[row] = value
        return out

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

    ATTEMPTS = 30

    def generate(self, ctx: Context, n: int) -> list[Any]:
        values = self.inner.generate(ctx, n)
        bad = [i for i, value in enumerate(values) if not self.validator.is_valid(value)]
        attempt_ctx = ctx
        for _ in range(self.ATTEMPTS):
            if not bad:
                return values
            attempt_ctx = attempt_ctx.retry()
            redrawn = self.inner.generate(attempt_ctx, n)
            still_bad = []
            for i in bad:
                if self.validator.is_valid(redrawn[i]):
                    values[i] = redrawn[i]
                else:
                    still_bad.append(i)
            bad = still_bad
        if bad:
            raise SchemaError(
                self.pointer,
                self.keyword,
                f"could not generate a value satisfying it after {self.ATTEMPTS} attempts",
                "a schema whose constraints can be met together",
            )
        return values

    def describe(self) -> dict[str, Any]:
        return {**self.inner.describe(), "guarded_by": self.keyword}
