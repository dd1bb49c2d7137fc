"""Quality metrics of a dataset: ``measure_quality`` and the ``QualityReport`` it returns.

The score is ``100 × V × (1 − D) × (1 − C) × R`` (see ``SCORE_FORMULA`` and docs/quality.md):

- ``V`` validity rate: valid records / records, over the tables that have a schema;
- ``D`` duplicate-row rate: records equal (as canonical JSON) to an earlier record of their
  table / records;
- ``C`` constraint-violation rate: non-null values that break at least one constraint their
  field's schema declares / non-null values checked against at least one;
- ``R`` referential-integrity rate: foreign-key values found in the referred table /
  non-null foreign-key values, over every key found by name between tables.

A rate that was not measured (no schema: ``V`` and ``C``; fewer than two tables or no key
found: ``R``) is None and counts as 1 (or 0 for ``C``). A rate over nothing (an empty table)
is perfect, so empty data scores 100: check ``rows``.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any, TypeVar

from synthdata_sdk.dataset import Dataset, default_table_name
from synthdata_sdk.errors import RequestError, SchemaError
from synthdata_sdk.quality.coherence import CoherenceMeter, TableCoherence
from synthdata_sdk.quality.csv_values import typed_csv_records
from synthdata_sdk.quality.metrics_fields import ConstraintCheck, FieldQuality
from synthdata_sdk.quality.metrics_references import (
    Declared,
    ReferenceCheck,
    declared_references,
    reference_checks,
)
from synthdata_sdk.quality.metrics_table import (
    TableMeasure,
    TableQuality,
    TableSchema,
    measure_table,
)
from synthdata_sdk.quality.metrics_validity import SchemaErrorSample
from synthdata_sdk.quality.readers import CsvRecords
from synthdata_sdk.schema.normalize import check_metaschema, normalize_root
from synthdata_sdk.schema.sources import SchemaSource, load_source

SCORE_FORMULA = (
    "score = 100 × validity_rate × (1 − duplicate_row_rate)"
    " × (1 − constraint_violation_rate) × referential_integrity_rate"
)

T = TypeVar("T")

#: what ``measure_quality`` takes as one table
Records = Dataset | Iterable[Any]


@dataclass(frozen=True)
class QualityReport:
    """The quality of one or more tables: rates, a score, and per-field metrics."""

    tables: list[TableQuality]
    fields: list[FieldQuality]
    schema_errors: list[SchemaErrorSample]
    references: list[ReferenceCheck]
    #: each table's coherence (quality.coherence): a realism figure beside the score
    coherence: list[TableCoherence] = field(default_factory=list)

    @property
    def coherence_rate(self) -> float | None:
        """Records whose fields agree / records, over every table; None if not measured."""
        if not self.coherence:
            return None
        rows = sum(c.rows for c in self.coherence)
        return sum(c.coherent_rows for c in self.coherence) / rows if rows else 1.0

    @property
    def rows(self) -> int:
        """Records in every table."""
        return sum(table.rows for table in self.tables)

    @property
    def validity_rate(self) -> float | None:
        """Valid records / records of the tables with a schema; None if none has one."""
        checked = [t for t in self.tables if t.valid_rows is not None]
        if not checked:
            return None
        rows = sum(t.rows for t in checked)
        return sum(t.valid_rows or 0 for t in checked) / rows if rows else 1.0

    @property
    def duplicate_row_rate(self) -> float:
        """Records equal to an earlier record of their table / records (0.0 when empty)."""
        rows = self.rows
        return sum(t.duplicate_rows for t in self.tables) / rows if rows else 0.0

    @property
    def constraint_violation_rate(self) -> float | None:
        """Values breaking a declared constraint / values checked; None without a schema."""
        if self.validity_rate is None:
            return None
        checked = sum(f.checked_values for f in self.fields)
        return sum(f.violating_values for f in self.fields) / checked if checked else 0.0

    @property
    def referential_integrity_rate(self) -> float | None:
        """Foreign-key values that resolve / foreign-key values; None if no key was found."""
        if not self.references:
            return None
        checked = sum(r.checked for r in self.references)
        return sum(r.checked - r.orphans for r in self.references) / checked if checked else 1.0

    @property
    def null_rate_max(self) -> float | None:
        """The highest null rate of any field (None without fields)."""
        return max((f.null_rate for f in self.fields), default=None)

    @property
    def constraint_violations(self) -> list[ConstraintCheck]:
        """The constraint checks that found at least one violation."""
        return [c for f in self.fields for c in f.constraints if c.violations]

    @property
    def score(self) -> float:
        """0..100 by ``SCORE_FORMULA``, rounded down to 2 decimals (100 means no defect)."""
        validity = _or(self.validity_rate, 1.0)
        violations = _or(self.constraint_violation_rate, 0.0)
        integrity = _or(self.referential_integrity_rate, 1.0)
        raw = 100 * validity * (1 - self.duplicate_row_rate) * (1 - violations) * integrity
        return math.floor(raw * 100 + 1e-6) / 100

    def summary(self) -> dict[str, Any]:
        """The short form a dataset manifest carries."""
        return {
            "score": self.score,
            "rows": self.rows,
            "validity_rate": self.validity_rate,
            "duplicate_row_rate": self.duplicate_row_rate,
            "constraint_violation_rate": self.constraint_violation_rate,
            "referential_integrity_rate": self.referential_integrity_rate,
            "null_rate_max": self.null_rate_max,
            "fields": len(self.fields),
            "coherence_rate": self.coherence_rate,
        }

    def to_json(self) -> dict[str, Any]:
        """The whole report as plain data (``json.dumps``-able)."""
        return {
            "summary": self.summary(),
            "formula": SCORE_FORMULA,
            "tables": [t.to_json() for t in self.tables],
            "fields": [f.to_json() for f in self.fields],
            "schema_errors": [e.to_json() for e in self.schema_errors],
            "constraint_violations": [c.to_json() for c in self.constraint_violations],
            "references": [r.to_json() for r in self.references],
            "coherence": [c.to_json() for c in self.coherence],
        }


def measure_quality(
    data: Records | Mapping[str, Records],
    schema: SchemaSource | None = None,
    *,
    tables: Mapping[str, SchemaSource] | None = None,
) -> QualityReport:
    """Measure the quality of a dataset, a list of records, or several named tables.

    ``schema`` is the schema of a single table (a Dataset defaults to its own); for a
    mapping of table names to records, ``tables`` gives the schema of each table that is
    not a Dataset (or overrides a Dataset's). Every table is read once.
    """
    measures = []
    coherence = []
    fields = {}
    for name, records, source in _inputs(data, schema, tables):
        loaded = table_schema(source)
        if loaded and isinstance(records, CsvRecords):
            records = typed_csv_records(records, loaded.fields)
        meter = CoherenceMeter(name, loaded.fields if loaded else None)
        measures.append(measure_table(name, meter.feed(records), loaded))
        coherence.append(meter.result)
        if loaded:
            fields[name] = loaded.fields
    declared = declared_references(fields)
    return replace(report_of(measures, declared), coherence=coherence)


def report_of(
    measures: list[TableMeasure], declared: list[Declared] | None = None
) -> QualityReport:
    """The report of tables measured one by one (references are checked between them:
    ``declared`` ones, and those found by name)."""
    values = {m.table.name: m.values for m in measures}
    references = reference_checks(values, declared) if len(measures) > 1 else []
    return QualityReport(
        tables=[m.table for m in measures],
        fields=[f for m in measures for f in m.fields],
        schema_errors=[e for m in measures for e in m.errors],
        references=references,
    )


def _inputs(
    data: Records | Mapping[str, Records],
    schema: SchemaSource | None,
    tables: Mapping[str, SchemaSource] | None,
) -> list[tuple[str, Iterable[Any], SchemaSource | None]]:
    if isinstance(data, Dataset) and data.is_table_set:
        if schema is not None or tables is not None:
            raise RequestError("a table set is measured against its own schemas")
        schemas = data.schema["tables"]
        return [(name, rows, schemas[name]) for name, rows in data.tables.items()]
    if isinstance(data, Dataset):
        if tables is not None:
            raise RequestError("tables= applies to several tables (expected a mapping of records)")
        own = data.schema if schema is None else schema
        return [(default_table_name(data.request), data.records, own)]
    if isinstance(data, Mapping):
        if schema is not None:
            raise RequestError(
                "schema= applies to one table; for several tables pass tables={name: schema, ...}"
            )
        unknown = sorted(set(tables or {}) - set(data))
        if unknown:
            raise RequestError(f"tables= names {unknown} which data does not hold")
        return [_table(str(name), records, tables) for name, records in data.items()]
    if tables is not None:
        raise RequestError("tables= applies to several tables (expected a mapping of records)")
    return [("data", _records("data", data), schema)]


def _table(
    name: str, records: Records, tables: Mapping[str, SchemaSource] | None
) -> tuple[str, Iterable[Any], SchemaSource | None]:
    own = records.schema if isinstance(records, Dataset) else None
    source = tables[name] if tables and name in tables else own
    return name, _records(name, records), source


def _records(name: str, records: Records) -> Iterable[Any]:
    if isinstance(records, Dataset):
        return records.records
    if isinstance(records, (str, bytes, Mapping)) or not isinstance(records, Iterable):
        raise RequestError(
            f"table {name!r}: expected a list of records, got {type(records).__name__}"
        )
    return records


def table_schema(source: SchemaSource | None) -> TableSchema | None:
    """The schemas a table is measured against; None measures without one."""
    if source is None:
        return None
    loaded = load_source(source).schema
    check_metaschema(loaded)  # a malformed schema is an error, not a quality finding
    try:
        fields = normalize_root(loaded)
    except SchemaError:  # valid but not generatable from: its rules are read as written
        fields = loaded
    return TableSchema(loaded, fields)


def _or(value: T | None, default: T) -> T:
    return default if value is None else value
