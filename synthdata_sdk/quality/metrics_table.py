"""One pass over one table's records: per-field accumulators, validity and duplicate rows."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from synthdata_sdk.quality.metrics_constraints import declared_fields
from synthdata_sdk.quality.metrics_fields import FieldAccumulator, FieldQuality, leaves
from synthdata_sdk.quality.metrics_validity import SchemaErrorSample, ValidityCheck
from synthdata_sdk.quality.metrics_values import ValueKey, canonical_json


@dataclass(frozen=True)
class TableSchema:
    """The schema records are validated against, and the one their fields' rules come from.

    They differ when the source normalises: validity uses the schema as given, the rules
    come from its normalised form (``$ref`` inlined, ``allOf`` merged).
    """

    validation: Mapping[str, Any]
    fields: Mapping[str, Any]


@dataclass(frozen=True)
class TableQuality:
    """Row-level metrics of one table; ``valid_rows`` is None when it had no schema."""

    name: str
    rows: int
    duplicate_rows: int
    valid_rows: int | None

    @property
    def validity_rate(self) -> float | None:
        """Valid rows / rows (1.0 for an empty table, None without a schema)."""
        if self.valid_rows is None:
            return None
        return self.valid_rows / self.rows if self.rows else 1.0

    @property
    def duplicate_row_rate(self) -> float:
        """Rows equal to an earlier row / rows (0.0 for an empty table)."""
        return self.duplicate_rows / self.rows if self.rows else 0.0

    def to_json(self) -> dict[str, Any]:
        """Plain data."""
        return {
            "name": self.name,
            "rows": self.rows,
            "valid_rows": self.valid_rows,
            "validity_rate": self.validity_rate,
            "duplicate_rows": self.duplicate_rows,
            "duplicate_row_rate": self.duplicate_row_rate,
        }


@dataclass(frozen=True)
class TableMeasure:
    """What one pass over a table gives, with each field's value counts for references."""

    table: TableQuality
    fields: list[FieldQuality]
    errors: list[SchemaErrorSample]
    values: dict[str, Mapping[ValueKey, int]]


class TableMeter:
    """Measures one table a record at a time (memory: each field's distinct values)."""

    def __init__(self, name: str, schema: TableSchema | None) -> None:
        self.name = name
        self._declared = declared_fields(schema.fields) if schema else {}
        self._accumulators = {
            path: FieldAccumulator(rules) for path, rules in self._declared.items()
        }
        self._validity = ValidityCheck(name, schema.validation) if schema else None
        self._seen_rows: set[bytes] = set()
        self._rows = self._duplicates = 0

    def add(self, record: Any) -> None:
        """Count one record."""
        row = self._rows
        self._rows += 1
        digest = hashlib.blake2b(canonical_json(record).encode(), digest_size=16).digest()
        if digest in self._seen_rows:
            self._duplicates += 1
        else:
            self._seen_rows.add(digest)
        if self._validity is not None:
            self._validity.add(row, record)
        accumulators = self._accumulators
        for path, value in leaves(record):
            accumulator = accumulators.get(path)
            if accumulator is None:
                accumulator = accumulators[path] = FieldAccumulator()
            accumulator.add(value)

    def finish(self) -> TableMeasure:
        """The measure of every record added so far."""
        validity = self._validity
        table = TableQuality(
            self.name, self._rows, self._duplicates, validity.valid if validity else None
        )
        every = self._accumulators
        kept = {
            p: acc
            for p, acc in every.items()
            if p in self._declared or not _null_parent(p, acc, every)
        }
        return TableMeasure(
            table=table,
            fields=[acc.finish(self.name, path, self._rows) for path, acc in kept.items()],
            errors=list(validity.errors) if validity else [],
            values={path: acc.counts for path, acc in every.items()},
        )


def measure_table(name: str, records: Iterable[Any], schema: TableSchema | None) -> TableMeasure:
    """Measure ``records`` in a single pass (memory: each field's distinct values)."""
    meter = TableMeter(name, schema)
    for record in records:
        meter.add(record)
    return meter.finish()


def _null_parent(path: str, acc: FieldAccumulator, every: Mapping[str, FieldAccumulator]) -> bool:
    # ``{"address": null}`` beside ``{"address": {"city": ...}}``: the nulls count in
    # ``address.city``, and ``address`` itself is no field
    return not acc.counts and any(other.startswith(f"{path}.") for other in every)
