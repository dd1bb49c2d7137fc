"""JSON Schema to Arrow schema, and records to Arrow record batches and tables.

pyarrow is an optional extra, so it is imported only when one of these functions runs.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

from synthdata_sdk.errors import RequestError
from synthdata_sdk.formats.base import (
    Record,
    array_item_schemas,
    dumps_json,
    object_properties,
    required_names,
    value_type,
)

#: to_arrow groups loose records into record batches of at most this many rows.
_BATCH_ROWS: Final = 65_536

Converter = Callable[[Any], Any]


def require_pyarrow() -> Any:
    """The pyarrow module, or RequestError explaining how to install it."""
    try:
        import pyarrow
    except ImportError as exc:
        raise RequestError(
            "Parquet and Arrow output need pyarrow (expected it installed: "
            "pip install 'synthdata[parquet]')"
        ) from exc
    return pyarrow


@dataclass(frozen=True)
class _Plan:
    """The Arrow type of a subschema and how to turn a JSON value into an Arrow-ready one."""

    arrow_type: Any
    # None means the value is passed to pyarrow as it is (the common, fast case).
    convert: Converter | None


def _integer(value: Any) -> Any:
    # JSON Schema counts 3.0 as an integer; int64 columns need the int.
    return int(value) if isinstance(value, float) and value.is_integer() else value


def _json_text(value: Any) -> Any:
    return None if value is None else dumps_json(value)


def _plan(pa: Any, schema: Any) -> _Plan:
    kind = value_type(schema).kind
    if kind == "integer":
        return _Plan(pa.int64(), _integer)
    if kind == "number":
        return _Plan(pa.float64(), None)
    if kind == "boolean":
        return _Plan(pa.bool_(), None)
    if kind == "string":
        # Formats such as date-time stay strings: the schema promises text, not timestamps.
        return _Plan(pa.string(), None)
    if kind == "object":
        return _struct_plan(pa, schema["properties"])
    if kind == "array":
        return _list_plan(pa, schema)
    return _Plan(pa.string(), _json_text)


def _struct_plan(pa: Any, properties: Mapping[str, Any]) -> _Plan:
    plans = {name: _plan(pa, subschema) for name, subschema in properties.items()}
    # Nested fields are all nullable: a null parent makes its children null in Arrow anyway.
    struct = pa.struct([pa.field(name, plan.arrow_type) for name, plan in plans.items()])
    converters = [(name, plan.convert) for name, plan in plans.items()]

    def convert(value: Any) -> Any:
        if not isinstance(value, Mapping):
            return value  # None, or a mismatch that pyarrow reports
        return {
            name: (value.get(name) if conv is None else conv(value.get(name)))
            for name, conv in converters
        }

    return _Plan(struct, convert)


def _list_plan(pa: Any, schema: Any) -> _Plan:
    plans = [_plan(pa, item) for item in array_item_schemas(schema)]
    item = plans[0]
    if any(plan.arrow_type != item.arrow_type for plan in plans[1:]):
        # Tuples of differently typed positions: every element becomes JSON text.
        item = _Plan(pa.string(), _json_text)
    conv = item.convert

    def convert(value: Any) -> Any:
        if conv is None or not isinstance(value, list):
            return value
        return [conv(element) for element in value]

    return _Plan(pa.list_(item.arrow_type), convert)


class ArrowConverter:
    """Converts chunks of records into Arrow record batches for one object schema."""

    def __init__(self, schema: Mapping[str, Any]) -> None:
        self._pa = require_pyarrow()
        pa = self._pa
        properties = object_properties(schema)
        required = required_names(schema)
        fields = []
        self._columns: list[tuple[str, Any, Converter | None, bool]] = []
        for name, subschema in properties.items():
            plan = _plan(pa, subschema)
            nullable = name not in required or value_type(subschema).nullable
            fields.append(pa.field(name, plan.arrow_type, nullable=nullable))
            self._columns.append((name, plan.arrow_type, plan.convert, nullable))
        self.schema: Any = pa.schema(fields)

    def record_batch(self, records: Sequence[Record]) -> Any:
        """One ``pyarrow.RecordBatch`` holding ``records``."""
        pa = self._pa
        arrays = []
        for name, arrow_type, conv, nullable in self._columns:
            values = [
                record.get(name) if conv is None else conv(record.get(name)) for record in records
            ]
            try:
                array = pa.array(values, type=arrow_type)
            except (pa.ArrowInvalid, pa.ArrowTypeError, OverflowError) as exc:
                raise RequestError(
                    f"column {name!r} cannot be stored as {arrow_type}: {exc} "
                    "(expected values matching the schema)"
                ) from exc
            if not nullable and array.null_count:
                raise RequestError(
                    f"column {name!r} is required and not nullable but a record has no value "
                    "(expected a value in every record)"
                )
            arrays.append(array)
        return pa.RecordBatch.from_arrays(arrays, schema=self.schema)


def arrow_schema(schema: Mapping[str, Any]) -> Any:
    """The ``pyarrow.Schema`` of an object schema (see docs/formats.md for the mapping)."""
    return ArrowConverter(schema).schema


def to_arrow(
    records_or_chunks: Iterable[Record | Sequence[Record]], schema: Mapping[str, Any]
) -> Any:
    """A ``pyarrow.Table`` from records, or from chunks of records, typed by ``schema``."""
    pa = require_pyarrow()
    converter = ArrowConverter(schema)
    batches: list[Any] = []
    loose: list[Record] = []
    for item in records_or_chunks:
        if isinstance(item, Mapping):
            loose.append(item)
            if len(loose) == _BATCH_ROWS:
                batches.append(converter.record_batch(loose))
                loose = []
            continue
        if loose:
            batches.append(converter.record_batch(loose))
            loose = []
        if item:
            batches.append(converter.record_batch(item))
    if loose:
        batches.append(converter.record_batch(loose))
    return pa.Table.from_batches(batches, schema=converter.schema)
