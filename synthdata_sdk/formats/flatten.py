"""Flattening of nested records into CSV columns, driven by the schema (see docs/formats.md)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from synthdata_sdk.errors import RequestError
from synthdata_sdk.formats.base import (
    Record,
    dumps_json,
    format_float,
    object_properties,
    value_type,
)


@dataclass(frozen=True)
class CsvColumn:
    """One CSV column: its dotted header, the key path into a record, and its encoding."""

    name: str
    path: tuple[str, ...]
    as_json: bool


def csv_columns(schema: Mapping[str, Any]) -> list[CsvColumn]:
    """The CSV columns of an object schema, in property order.

    Objects with declared properties expand into ``parent.child`` columns, recursively;
    arrays and values of mixed or unknown type become one column of JSON text. The columns
    come from the schema alone so that every file of a dataset has the same header.
    """
    columns: list[CsvColumn] = []
    _collect(object_properties(schema), (), columns)
    if not columns:
        raise RequestError("schema has no properties (expected at least one column for CSV)")
    seen: set[str] = set()
    for column in columns:
        if column.name in seen:
            raise RequestError(
                f"CSV column {column.name!r} occurs twice: a property name containing '.' "
                "collides with a flattened nested property (expected unique dotted names)"
            )
        seen.add(column.name)
    return columns


def _collect(properties: Mapping[str, Any], prefix: tuple[str, ...], out: list[CsvColumn]) -> None:
    for name, subschema in properties.items():
        path = (*prefix, name)
        kind = value_type(subschema).kind
        if kind == "object":
            _collect(subschema["properties"], path, out)
        else:
            out.append(CsvColumn(".".join(path), path, as_json=kind in ("array", "json")))


def column_cells(records: Sequence[Record], column: CsvColumn) -> list[str]:
    """One column's cells for a chunk of records; a missing or null parent object leaves
    the cell empty.

    A chunk is written a column at a time so that the common cases skip the per-cell work: a
    top-level column of plain dicts is one ``get`` per record, and a column whose values are
    all ``str`` is its own cells.
    """
    path = column.path
    values: list[Any]
    if len(path) == 1 and all(issubclass(kind, dict) for kind in set(map(type, records))):
        key = path[0]
        values = [record.get(key) for record in records]
    else:
        values = [_lookup(record, path) for record in records]
    if not column.as_json and set(map(type, values)) <= {str}:
        return values
    return [cell(value, as_json=column.as_json) for value in values]


def _lookup(record: Record, path: tuple[str, ...]) -> Any:
    value: Any = record
    for key in path:
        if not isinstance(value, Mapping):
            return None
        value = value.get(key)
    return value


def cell(value: Any, *, as_json: bool = False) -> str:
    """The CSV text of one value: empty for null, ``true``/``false``, ``repr`` for floats."""
    if value is None:
        return ""
    if as_json:
        return dumps_json(value)
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return format_float(value)
    # A value that does not match its column's schema is still written without loss.
    return dumps_json(value)
