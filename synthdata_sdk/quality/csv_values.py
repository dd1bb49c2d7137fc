"""CSV records read back as the values they were written from, by the table's schema.

A CSV cell is text: without its schema, ``42`` is the string ``"42"`` and every integer column
fails a schema's ``type``. Measured against a schema, a CSV file's records are read the way
the CSV writer wrote them (``formats/flatten.py``): a number, boolean or JSON column's cell is
parsed back, an empty cell is a null (or a missing value where null is not allowed), and the
dotted columns of a nested object (``address.city``) nest again. A cell that does not parse is
kept as its text, so the record stays invalid where the file is.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from synthdata_sdk.errors import RequestError
from synthdata_sdk.formats.base import ValueType, object_properties, value_type
from synthdata_sdk.formats.flatten import csv_columns

_BOOLEANS = {"true": True, "false": False}


@dataclass(frozen=True)
class _Column:
    name: str
    path: tuple[str, ...]
    kind: ValueType
    as_json: bool


def typed_csv_records(
    records: Iterable[dict[str, Any]], schema: Mapping[str, Any]
) -> Iterable[dict[str, Any]]:
    """``records`` of a CSV file with their cells read as ``schema``'s values; ``records``
    unchanged when the schema names no columns."""
    try:
        columns = [
            _Column(c.name, c.path, _kind(schema, c.path), c.as_json) for c in csv_columns(schema)
        ]
    except RequestError:
        return records
    # the nested objects, outermost first: all their cells empty, the object was null
    objects = {path[:end] for c in columns for path in [c.path] for end in range(1, len(path))}
    nested = [
        (path, _kind(schema, path), [c.name for c in columns if c.path[: len(path)] == path])
        for path in sorted(objects, key=len)
    ]
    return _typed(records, columns, nested)


def _typed(
    records: Iterable[dict[str, Any]],
    columns: list[_Column],
    nested: list[tuple[tuple[str, ...], ValueType, list[str]]],
) -> Iterator[dict[str, Any]]:
    known = {column.name for column in columns}
    for record in records:
        out: dict[str, Any] = {}
        empty: set[str] = set()
        for path, kind, names in nested:
            if kind.nullable and not empty.issuperset(names) and not any(map(record.get, names)):
                _place(out, path, None)
                empty.update(names)
        for column in columns:
            if column.name in empty or record.get(column.name) is None:
                continue  # under a null object, or the row is short of this column
            value = _value(record[column.name], column)
            if value is not _MISSING:
                _place(out, column.path, value)
        for key, value in record.items():
            if key not in known:
                out[key] = value  # a column the schema does not declare stays text
        yield out


class _Missing:
    pass


_MISSING = _Missing()


def _value(text: str, column: _Column) -> Any:
    if text == "":
        # the writer leaves null and missing values empty: a column that may be null reads
        # it as null; one of strings that may not, as the empty string
        if column.kind.nullable:
            return None
        return text if column.kind.kind == "string" else _MISSING
    parsed: Any = text
    try:
        if column.as_json or column.kind.kind == "json":
            parsed = json.loads(text)
        elif column.kind.kind == "integer":
            parsed = int(text)
        elif column.kind.kind == "number":
            parsed = int(text) if text.lstrip("-").isdigit() else float(text)
        elif column.kind.kind == "boolean":
            parsed = _BOOLEANS.get(text, text)
    except ValueError:
        return text
    return parsed


def _place(out: dict[str, Any], path: tuple[str, ...], value: Any) -> None:
    """Set ``value`` at ``path``, making the objects on the way."""
    node = out
    for key in path[:-1]:
        inner = node.get(key)
        if inner is None and key in node:
            return  # under an object read as null
        if not isinstance(inner, dict):
            inner = node[key] = {}
        node = inner
    node[path[-1]] = value


def _kind(schema: Mapping[str, Any], path: tuple[str, ...]) -> ValueType:
    """The value type of the property at ``path`` (a dotted CSV column's key path)."""
    node: Any = schema
    for key in path:
        node = object_properties(node).get(key, {})
    return value_type(node)
