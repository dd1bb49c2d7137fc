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


def measure_table(name: str, records: Iterable[Any], schema: TableSchema | None) -> TableMeasure:
    """Measure ``records`` in a single pass (memory: each field's distinct values)."""
    declared = declared_fields(schema.fields) if schema else {}
    accumulators = {path: FieldAccumulator(rules) for path, rules in declared.items()}
    validity = ValidityCheck(name, schema.validation) if schema else None
    seen_rows: set[bytes] = set()
    rows = duplicates = 0
    for row, record in enumerate(records):
        rows += 1
        digest = hashlib.blake2b(canonical_json(record).encode(), digest_size=16).digest()
        if digest in seen_rows:
            duplicates += 1
        else:
            seen_rows.add(digest)
        if validity is not None:
            validity.add(row, record)
        for path, value in leaves(record):
            accumulator = accumulators.get(path)
            if accumulator is None:
                accumulator = accumulators[path] = FieldAccumulator()
            accumulator.add(value)
    table = TableQuality(name, rows, duplicates, validity.valid if validity else None)
    kept = {
        p: acc
        for p, acc in accumulators.items()
        if p in declared or not _null_parent(p, acc, accumulators)
    }
    return TableMeasure(
        table=table,
        fields=[acc.finish(name, path, rows) for path, acc in kept.items()],
        errors=list(validity.errors) if validity else [],
        values={path: acc.counts for path, acc in accumulators.items()},
    )


def _null_parent(path: str, acc: FieldAccumulator, every: Mapping[str, FieldAccumulator]) -> bool:
    # ``{"address": null}`` beside ``{"address": {"city": ...}}``: the nulls count in
    # ``address.city``, and ``address`` itself is no field
    return not acc.counts and any(other.startswith(f"{path}.") for other in every)
