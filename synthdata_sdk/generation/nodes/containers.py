"""Objects and arrays: columns of children assembled into records and lists."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from enum import Enum
from functools import lru_cache
from typing import Any

import numpy as np

from synthdata_sdk.errors import SchemaError
from synthdata_sdk.generation.nodes.base import Context, Node
from synthdata_sdk.generation.nodes.effort import TOO_EXPENSIVE, subtree_size


class Absent(Enum):
    """The value of an optional property a record leaves out (an enum: it survives pickling)."""

    ABSENT = "absent"


ABSENT = Absent.ABSENT


class SparseColumn(list[Any]):
    """The column of an optional property: ``ABSENT`` in the rows whose record leaves it out."""


@dataclass
class ObjectNode(Node):
    """A record per row: each property is one column, zipped into dicts at the end.

    ``presence`` is each property's chance to be in a record (1 for required properties);
    empty means every property is always present. An optional property that cannot be drawn
    (its checks fail every redraw) is left out of the chunk's records.
    """

    properties: Sequence[tuple[str, Node]]
    pointer: str = ""
    presence: Sequence[float] = ()

    def generate(self, ctx: Context, n: int) -> list[Any]:
        return assemble(*self.columns(ctx, n), n)

    def columns(self, ctx: Context, n: int) -> tuple[list[str], list[list[Any]]]:
        """The property names and one column of ``n`` values per property."""
        columns: list[list[Any]] = []
        for i, (name, node) in enumerate(self.properties):
            rate = self.presence[i] if self.presence else 1.0
            if n == 0:
                columns.append([])  # no rows: nothing below needs drawing
                continue
            if rate >= 1.0:
                columns.append(node.generate(ctx, n))
                continue
            # only the rows that hold the property draw a value: an absent subtree costs nothing
            present = ctx.stream(self.pointer, f"present:{name}").bernoulli(n, rate)
            rows = np.flatnonzero(present).tolist()
            column = SparseColumn([ABSENT] * n)
            columns.append(column)
            if not rows or (self.pointer, name) in ctx.effort.failed:
                continue
            try:
                values = node.generate(ctx.subset(rows), len(rows))
            except SchemaError as error:
                if error.detail.startswith(TOO_EXPENSIVE):
                    raise
                # an optional property whose checks no value meets is left out
                ctx.effort.failed.add((self.pointer, name))
                continue
            for row, value in zip(rows, values, strict=True):
                column[row] = value
        return [name for name, _ in self.properties], columns

    def describe(self) -> dict[str, Any]:
        described = {}
        for i, (name, node) in enumerate(self.properties):
            described[name] = node.describe()
            if self.presence and self.presence[i] < 1.0:
                described[name]["presence"] = self.presence[i]
        return {"generator": "object", "properties": described}


@dataclass
class ArrayNode(Node):
    """Lists with lengths in [min_items, max_items], from ``prefixItems`` then ``items``."""

    prefix: Sequence[Node]
    items: Node | None
    min_items: int
    max_items: int
    unique_items: bool = False
    contains: Node | None = None
    min_contains: int = 0
    pointer: str = ""
    _attempts: int = field(default=30, repr=False)
    _size: int = field(default=0, init=False, repr=False, compare=False)

    def generate(self, ctx: Context, n: int) -> list[Any]:
        rows = self._draw(ctx, n)
        if not self.unique_items:
            return rows
        bad = [i for i, row in enumerate(rows) if not _distinct(row)]
        attempt_ctx = ctx
        for _ in range(self._attempts):
            if not bad:
                return rows
            if not self._size:
                self._size = subtree_size(self)
            ctx.effort.redraw(self.pointer, "uniqueItems", self._size)
            attempt_ctx = attempt_ctx.retry()
            redrawn = self._draw(attempt_ctx.subset(bad), len(bad))  # the failing rows only
            still_bad = []
            for i, row in zip(bad, redrawn, strict=True):
                if _distinct(row):
                    rows[i] = row
                else:
                    still_bad.append(i)
            bad = still_bad
        if bad:
            raise SchemaError(
                self.pointer,
                "uniqueItems",
                "could not draw distinct items for every array",
                "an item schema with more distinct values than minItems",
            )
        return rows

    def _draw(self, ctx: Context, n: int) -> list[list[Any]]:
        stream = ctx.stream(self.pointer, "length")
        lengths = (
            self.min_items + stream.integers(n, self.max_items - self.min_items + 1)
        ).tolist()
        rows: list[list[Any]] = [[] for _ in range(n)]
        nested = ctx.nested()
        for position, node in enumerate(self.prefix):
            owners = [r for r, length in enumerate(lengths) if length > position]
            if owners:
                for r, value in zip(owners, node.generate(nested, len(owners)), strict=True):
                    rows[r].append(value)
        start = len(self.prefix)
        if self.contains is not None and self.min_contains:
            counts = [min(self.min_contains, max(length - start, 0)) for length in lengths]
            values = iter(self.contains.generate(nested, sum(counts)))
            for r, count in enumerate(counts):
                rows[r].extend(next(values) for _ in range(count))
        rest = [max(length - len(row), 0) for length, row in zip(lengths, rows, strict=True)]
        if self.items is not None and sum(rest):
            values = iter(self.items.generate(nested, sum(rest)))
            for r, count in enumerate(rest):
                rows[r].extend(next(values) for _ in range(count))
        return rows

    def describe(self) -> dict[str, Any]:
        out: dict[str, Any] = {"generator": "array", "length": [self.min_items, self.max_items]}
        if self.items is not None:
            out["items"] = self.items.describe()
        if self.prefix:
            out["prefixItems"] = [node.describe() for node in self.prefix]
        return out


def assemble(names: list[str], columns: list[list[Any]], n: int) -> list[dict[str, Any]]:
    """Zip columns into ``n`` records (the last step of column-wise generation)."""
    if not names:
        return [{} for _ in range(n)]
    records = record_builder(tuple(names))(columns)
    for name, column in zip(names, columns, strict=True):
        if isinstance(column, SparseColumn):
            # deleting keeps the other keys in schema order
            for record, value in zip(records, column, strict=True):
                if value is ABSENT:
                    del record[name]
    return records


@lru_cache(maxsize=256)
def record_builder(names: tuple[str, ...]) -> Callable[[list[list[Any]]], list[dict[str, Any]]]:
    """A function that zips one column per name into records, compiled for these names.

    The hot loop of record assembly. A dict display with the keys written in
    (``{'id': v0, 'email': v1}``) builds each record about a third faster than
    ``dict(zip(names, row))``; the same technique as ``collections.namedtuple``. Keys
    enter the source only through ``repr``, which always gives a valid string literal.
    """
    values = [f"v{i}" for i in range(len(names))]
    record = ", ".join(f"{name!r}: {value}" for name, value in zip(names, values, strict=True))
    # every column has the same length by construction; zip(strict=True) would cost ~40%
    source = (
        "def build(columns):\n"
        f"    return [{{{record}}} for {', '.join(values)}, in zip(*columns)]\n"
    )
    namespace: dict[str, Any] = {}
    exec(compile(source, f"<synthdata records {len(names)} fields>", "exec"), namespace)
    build: Callable[[list[list[Any]]], list[dict[str, Any]]] = namespace["build"]
    return build


def canonical(value: Any) -> str:
    """A JSON text equal for JSON-equal values (1 and 1.0 alike, true and 1 apart)."""
    if isinstance(value, float) and value.is_integer():
        return json.dumps(int(value))
    if isinstance(value, dict):
        return (
            "{"
            + ",".join(json.dumps(k) + ":" + canonical(v) for k, v in sorted(value.items()))
            + "}"
        )
    if isinstance(value, list):
        return "[" + ",".join(canonical(v) for v in value) + "]"
    return json.dumps(value)


def _distinct(row: list[Any]) -> bool:
    return len({canonical(v) for v in row}) == len(row)
