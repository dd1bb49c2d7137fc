"""Generating a table set: each table in dependency order, its references drawn from its
parents' keys.

Every table is generated like a single table (chunk by chunk, any number of workers) from
its own seed, derived from (seed, table name); its reference columns are planned as nulls
and then filled. A ``per_parent`` table draws a row count per parent row (uniform in
``[min, max]``, per chunk of parent rows) and its rows follow their parents in order; any
other reference draws a parent row per child row, per chunk of child rows. All of it depends
only on the seed, the chunk index and the names, never on the workers.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np

from synthdata_sdk.errors import RequestError, SchemaError
from synthdata_sdk.generation.engine import chunk_bounds, chunk_count, iter_chunks
from synthdata_sdk.generation.planner import TABLE_SET_OPTIONS, Plan, plan_records
from synthdata_sdk.generation.random import Int64Array, RandomStream, derive_seed
from synthdata_sdk.options import MAX_ROWS
from synthdata_sdk.schema.keywords import EXTENSION
from synthdata_sdk.schema.normalize import Schema
from synthdata_sdk.schema.table_set import PerParent, Reference, TableSet

#: bump when the same table set would draw its references differently (part of the version)
TABLE_SET_VERSION = "1"

Records = list[dict[str, Any]]
Progress = Callable[[int], None]


@dataclass(frozen=True)
class TableSetPlan:
    """A read table set with the schema each table is planned from (references stubbed)."""

    tables: TableSet
    #: per table: its schema with reference columns as nulls and no table-set options
    planning: dict[str, Schema]
    #: per table: its plan for the rows checked at preparation (the bound for children)
    plans: dict[str, Plan]
    #: per table: the most rows it can have (its own count, or its parent's most times the
    #: most rows per parent)
    bounds: dict[str, int]


def table_seed(seed: int, table: str) -> int:
    """The seed a table is drawn with: derived from the request seed and the table's name."""
    return derive_seed("table-set", seed, table) >> 64


def plan_table_set(
    tables: TableSet, rows: Mapping[str, int], *, locale: str, compliance: Iterable[str]
) -> TableSetPlan:
    """Plan every table; a per_parent table for the most rows its parents can give it."""
    profiles = tuple(compliance)
    planning = {name: planning_schema(tables, name) for name in tables.order}
    bounds: dict[str, int] = {}
    plans: dict[str, Plan] = {}
    for name in tables.order:
        driver = tables.driver(name)
        if driver is None:
            bounds[name] = rows[name]
        else:
            bounds[name] = min(MAX_ROWS, bounds[driver.parent] * tables.per_parent[name].high)
        try:
            plans[name] = plan_records(
                planning[name], locale=locale, rows=bounds[name], compliance=profiles
            )
        except SchemaError as error:
            pointer = f"/tables/{name}{error.pointer}"
            raise SchemaError(pointer, error.keyword, error.detail, error.expected) from None
    return TableSetPlan(tables, planning, plans, bounds)


def planning_schema(tables: TableSet, name: str) -> Schema:
    """A table's schema as planned: references drawn as nulls (filled afterwards)."""
    schema = copy.deepcopy(tables.tables[name])
    root_ext = {k: v for k, v in schema.get(EXTENSION, {}).items() if k not in TABLE_SET_OPTIONS}
    if root_ext:
        schema[EXTENSION] = root_ext
    else:
        schema.pop(EXTENSION, None)
    for ref in tables.references_of(name):
        schema["properties"][ref.column] = {"const": None}
    return schema


class TableDraws(Protocol):
    """Where a table set's random choices come from: the engine's seeded streams
    (``generate_table_set``) or hypothesis's choices (``strategies.datasets``)."""

    def rows(self, name: str) -> int:
        """The rows of a table counted by itself (no ``per_parent``)."""

    def parents(self, name: str, parent_rows: int) -> list[int]:
        """A ``per_parent`` table's parent row for each of its rows, parents in order."""

    def records(self, name: str, count: int) -> Records:
        """``count`` records of a table, its reference columns still null."""

    def references(self, ref: Reference, keys: list[Any], count: int) -> list[Any]:
        """A parent key (or a null, at the reference's ``null_rate``) for each of ``count``
        rows, from the parent's ``keys``."""


def fill_tables(tables: TableSet, draws: TableDraws) -> dict[str, Records]:
    """Every table's records, parents first, its references filled with its parents' keys:
    a ``per_parent`` table's rows follow their parents in order, any other reference picks a
    parent row per child row. Referential integrity holds by construction."""
    out: dict[str, Records] = {}
    for name in tables.order:
        driver = tables.driver(name)
        parents: list[int] | None = None
        if driver is None:
            count = draws.rows(name)
        else:
            parents = draws.parents(name, len(out[driver.parent]))
            count = len(parents)
        records = draws.records(name, count)
        for ref in tables.references_of(name):
            keys = [record[ref.key] for record in out[ref.parent]]
            if ref is driver and parents is not None:
                values = [keys[i] for i in parents]
            else:
                values = draws.references(ref, keys, count)
            for record, value in zip(records, values, strict=True):
                record[ref.column] = value
        out[name] = records
    return out


def generate_table_set(
    plan: TableSetPlan,
    rows: Mapping[str, int],
    *,
    seed: int,
    locale: str,
    compliance: Iterable[str] = (),
    workers: int = 1,
    progress: Progress | None = None,
) -> dict[str, Records]:
    """Every table's records, parents first; referential integrity holds by construction."""
    draws = _EngineDraws(plan, rows, seed, locale, tuple(compliance), workers, progress)
    return fill_tables(plan.tables, draws)


@dataclass(frozen=True)
class _EngineDraws:
    """A table set's choices from the engine: each table's own seed, streams per chunk."""

    plan: TableSetPlan
    counts: Mapping[str, int]
    seed: int
    locale: str
    profiles: tuple[str, ...]
    workers: int
    progress: Progress | None

    def rows(self, name: str) -> int:
        return self.counts[name]

    def parents(self, name: str, parent_rows: int) -> list[int]:
        return _parent_rows(self.plan.tables, name, parent_rows, table_seed(self.seed, name))

    def records(self, name: str, count: int) -> Records:
        schema = self.plan.planning[name]
        table_plan = plan_records(schema, locale=self.locale, rows=count, compliance=self.profiles)
        records: Records = []
        for chunk in iter_chunks(
            schema,
            rows=count,
            seed=table_seed(self.seed, name),
            locale=self.locale,
            workers=self.workers,
            plan=table_plan,
            progress=self.progress,
        ):
            records.extend(chunk)
        return records

    def references(self, ref: Reference, keys: list[Any], count: int) -> list[Any]:
        return _drawn_keys(ref, keys, count, table_seed(self.seed, ref.table))


def _parent_rows(tables: TableSet, name: str, parent_rows: int, own_seed: int) -> list[int]:
    """The parent row of each child row: each parent's count drawn per chunk of parent rows."""
    bounds = tables.per_parent[name]
    counts = []
    for chunk in range(chunk_count(parent_rows)):
        _, n = chunk_bounds(parent_rows, chunk)
        stream = RandomStream(own_seed, chunk, "per_parent")
        counts.append(_counts(stream, n, bounds))
    if not counts:
        return []
    # counted before the rows are laid out: a huge per_parent max is refused, not allocated
    total = sum(int(drawn.sum()) for drawn in counts)
    if total > MAX_ROWS:
        driver = tables.driver(name)
        parent = f" ({driver.parent!r})" if driver is not None else ""
        raise RequestError(
            f"table {name!r} would have {total:,} rows, more than {MAX_ROWS:,}: lower its"
            f" per_parent max or the rows of the table it counts along{parent}"
        )
    repeated = np.repeat(np.arange(parent_rows, dtype=np.int64), np.concatenate(counts))
    result: list[int] = repeated.tolist()
    return result


def _counts(stream: RandomStream, n: int, bounds: PerParent) -> Int64Array:
    """``n`` parents' child counts: uniform in ``[low, high]``, or drawn from the bounds'
    distribution (weights one per count; normal and lognormal rounded and clamped)."""
    low, high, distribution = bounds.low, bounds.high, bounds.distribution
    kind = distribution["kind"] if distribution else "uniform"
    if kind == "uniform" or distribution is None:
        return stream.integers(n, high - low + 1) + low
    if kind == "weights":
        return stream.weighted(n, distribution["weights"]) + low
    with np.errstate(over="ignore", invalid="ignore"):
        if kind == "normal":
            drawn = stream.normal(n, distribution["mean"], distribution["std"])
        else:  # lognormal: mean and sigma of the underlying normal
            drawn = np.exp(stream.normal(n, distribution["mean"], distribution["sigma"]))
        drawn = np.nan_to_num(np.rint(drawn), nan=low, posinf=high, neginf=low)
    return np.clip(drawn, low, high).astype(np.int64)


def _drawn_keys(ref: Reference, keys: list[Any], rows: int, own_seed: int) -> list[Any]:
    """A parent key (or null, at ``null_rate``) per child row, drawn per chunk of child rows."""
    if not keys and rows and not ref.nullable:
        raise RequestError(
            f"{ref.label}: table {ref.parent!r} has no rows to reference; give it rows or"
            f" make {ref.table}.{ref.column} nullable"
        )
    values: list[Any] = []
    for chunk in range(chunk_count(rows)):
        _, n = chunk_bounds(rows, chunk)
        if not keys:
            values.extend([None] * n)
            continue
        picks = RandomStream(own_seed, chunk, "ref", ref.column).integers(n, len(keys)).tolist()
        drawn = [keys[i] for i in picks]
        if ref.nullable and ref.null_rate > 0:
            nulls = RandomStream(own_seed, chunk, "ref-null", ref.column).bernoulli(
                n, ref.null_rate
            )
            drawn = [
                None if null else value for value, null in zip(drawn, nulls.tolist(), strict=True)
            ]
        values.extend(drawn)
    return values
