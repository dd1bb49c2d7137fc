"""Writer contract, delivery to a file and schema-to-column typing shared by all formats."""

from __future__ import annotations

import contextlib
import io
import json
import math
import os
from abc import ABC, abstractmethod
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Literal

from synthdata_sdk.errors import RequestError
from synthdata_sdk.formats.output import WrittenFile, write_output

Record = Mapping[str, Any]
Chunk = Sequence[Record]

#: How a value is stored. ``"json"`` covers mixed, unknown and open-ended values, which every
#: tabular format keeps as JSON text; ``"object"`` is an object with declared properties only.
Kind = Literal["integer", "number", "boolean", "string", "object", "array", "json"]


class FormatWriter(ABC):
    """Writes one dataset to a binary stream, one chunk at a time.

    ``open`` is called once, then ``write_chunk`` once per chunk, then ``close``; ``abort``
    replaces ``close`` when writing fails. The stream belongs to the caller: writers flush
    what they buffered in ``close`` but never close the stream.
    """

    @abstractmethod
    def open(self, stream: IO[bytes]) -> None:
        """Start writing to ``stream`` (headers, opening brackets, table definitions)."""

    @abstractmethod
    def write_chunk(self, records: Chunk) -> None:
        """Write one chunk of records; must not keep references to them."""

    @abstractmethod
    def close(self) -> None:
        """Finish the document and flush everything buffered into the stream."""

    def abort(self) -> None:  # noqa: B027 - most writers hold nothing to release
        """Release resources after a failure; the output is discarded anyway."""


class TextFormatWriter(FormatWriter):
    """A writer of UTF-8 text; subclasses write to ``self.text``."""

    _text: io.TextIOWrapper | None = None

    @property
    def text(self) -> io.TextIOWrapper:
        if self._text is None:
            raise RuntimeError("writer is not open")
        return self._text

    def open(self, stream: IO[bytes]) -> None:
        # newline="" keeps "\n" as written on every platform; the csv module writes "\r\n".
        self._text = io.TextIOWrapper(stream, encoding="utf-8", newline="")
        self.start()

    def start(self) -> None:
        """Write whatever comes before the first record."""

    def finish(self) -> None:
        """Write whatever comes after the last record."""

    def close(self) -> None:
        self.finish()
        self.text.flush()
        # Detach so that garbage-collecting the wrapper does not close the caller's stream.
        self.text.detach()
        self._text = None

    def abort(self) -> None:
        if self._text is not None:
            with contextlib.suppress(Exception):
                self._text.detach()
            self._text = None


def write_stream(writer: FormatWriter, chunks: Iterable[Chunk], stream: IO[bytes]) -> None:
    """Stream every chunk through ``writer`` into an open binary stream; abort it on failure."""
    try:
        writer.open(stream)
        for chunk in chunks:
            writer.write_chunk(chunk)
        writer.close()
    except BaseException:
        writer.abort()
        raise


def write_atomically(target: Path, writer: FormatWriter, chunks: Iterable[Chunk]) -> Path:
    """Stream ``chunks`` through ``writer`` to ``target`` (see ``write_output``).

    A regular file or a new path is replaced by a complete temporary file renamed onto it; on
    any exception, KeyboardInterrupt included, an existing file is left exactly as it was. A
    character device or FIFO is written through; anything else raises OutputPathError.
    """
    return write_file(target, writer, chunks).path


def write_file(
    target: str | os.PathLike[str], writer: FormatWriter, chunks: Iterable[Chunk]
) -> WrittenFile:
    """``write_atomically``, returning the size and sha256 of the bytes written."""
    return write_output(target, lambda stream: write_stream(writer, chunks, stream))


def write_text_atomically(target: Path, text: str) -> Path:
    """Write ``text`` (UTF-8) to ``target`` as ``write_atomically`` does."""
    return write_output(target, lambda stream: stream.write(text.encode("utf-8"))).path


#: the encoder of ``dumps_json`` without indent, made once: ``json.dumps`` with options
#: builds a new encoder on every call, a fifth of the time of a small record
_COMPACT = json.JSONEncoder(ensure_ascii=False, allow_nan=False, separators=(",", ":"))


def dumps_json(value: Any, *, indent: int | None = None) -> str:
    """Compact UTF-8 JSON text; NaN and infinities are rejected because JSON has no spelling."""
    try:
        if indent is None:
            return _COMPACT.encode(value)
        return json.dumps(
            value, ensure_ascii=False, allow_nan=False, separators=(",", ": "), indent=indent
        )
    except ValueError as exc:
        raise RequestError(
            f"value cannot be written as JSON: {exc} (expected finite numbers)"
        ) from exc
    except TypeError as exc:
        raise RequestError(
            f"value cannot be written as JSON: {exc} "
            "(expected str, int, float, bool, None, dict or list)"
        ) from exc


def format_float(value: float) -> str:
    """``repr`` of a finite float: the shortest text that reads back to the same float."""
    if not math.isfinite(value):
        raise RequestError(f"number {value!r} cannot be written (expected a finite number)")
    return repr(value)


# --------------------------------------------------------------------------------------------
# Schema typing


@dataclass(frozen=True)
class ValueType:
    """The storage kind of a subschema and whether it admits ``null``."""

    kind: Kind
    nullable: bool


_JSON_TYPES = frozenset({"null", "boolean", "integer", "number", "string", "object", "array"})


def object_properties(schema: Mapping[str, Any], pointer: str = "") -> dict[str, Any]:
    """The ``properties`` of an object schema, in column order; RequestError otherwise."""
    if not isinstance(schema, Mapping):
        raise RequestError(
            f"schema {pointer or '/'} is a {type(schema).__name__} (expected an object schema)"
        )
    declared = schema.get("type")
    types = [declared] if isinstance(declared, str) else declared
    if types is None:
        is_object = "properties" in schema
    else:
        is_object = isinstance(types, list) and [t for t in types if t != "null"] == ["object"]
    properties = schema.get("properties", {})
    if not is_object or not isinstance(properties, Mapping):
        raise RequestError(
            f"schema {pointer or '/'} has type {declared!r} "
            "(expected an object schema with type 'object' and 'properties')"
        )
    return dict(properties)


def required_names(schema: Mapping[str, Any]) -> frozenset[str]:
    required = schema.get("required", [])
    return (
        frozenset(r for r in required if isinstance(r, str))
        if isinstance(required, list)
        else frozenset()
    )


def is_structured_object(schema: Any) -> bool:
    """An object whose keys are all declared, so it can become columns or a struct.

    Objects with open-ended keys (explicit ``additionalProperties`` or ``patternProperties``)
    stay JSON text so that no generated key is silently dropped.
    """
    if not isinstance(schema, Mapping):
        return False
    properties = schema.get("properties")
    if not isinstance(properties, Mapping) or not properties:
        return False
    extra = schema.get("additionalProperties", False)
    return not schema.get("patternProperties") and (extra is False or extra == {"not": {}})


def value_type(schema: Any) -> ValueType:
    """Classify a property schema by the JSON types its values can take."""
    types = _json_types(schema)
    if types is None:
        return ValueType("json", True)
    nullable = "null" in types
    concrete = types - {"null"}
    if concrete == {"integer", "number"}:
        concrete = {"number"}
    if len(concrete) != 1:
        return ValueType("json", nullable or not concrete)
    (only,) = concrete
    if only == "object" and not is_structured_object(schema):
        return ValueType("json", nullable)
    return ValueType(only, nullable)  # type: ignore[arg-type]


def _json_types(schema: Any) -> set[str] | None:
    """The JSON types a subschema admits, or None when anything goes."""
    if schema is False:
        return {"null"}
    if not isinstance(schema, Mapping):
        return None
    declared = schema.get("type")
    if isinstance(declared, str):
        return {declared} & _JSON_TYPES or None
    if isinstance(declared, list) and declared:
        return set(declared) & _JSON_TYPES or None
    if "const" in schema:
        return {json_type_of(schema["const"])}
    if isinstance(schema.get("enum"), list) and schema["enum"]:
        return {json_type_of(v) for v in schema["enum"]}
    for keyword in ("oneOf", "anyOf"):
        branches = schema.get(keyword)
        if isinstance(branches, list) and branches:
            union: set[str] = set()
            for branch in branches:
                types = _json_types(branch)
                if types is None:
                    return None
                union |= types
            return union
    return None


def json_type_of(value: Any) -> str:
    """The JSON type name of a Python value (floats are ``number`` even when integral)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, Mapping):
        return "object"
    return "array"


def array_item_schemas(schema: Any) -> list[Any]:
    """Every schema an array element may have to match: ``prefixItems`` then ``items``."""
    if not isinstance(schema, Mapping):
        return [True]
    found: list[Any] = []
    prefix = schema.get("prefixItems")
    if isinstance(prefix, list):
        found.extend(prefix)
    items = schema.get("items", True)
    if items is not False:
        found.append(items)
    return found or [True]
