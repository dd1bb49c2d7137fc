"""Delivery: writing generated datasets as JSON, JSON Lines, CSV, SQL or Parquet files.

Data arrives as an iterable of chunks (lists of JSON-like records) and is written one chunk
at a time into a temporary file that replaces the target only once complete (a device or
FIFO is written through; see ``formats.output``). See docs/formats.md for each format's rules.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, Final

from synthdata_sdk.errors import RequestError
from synthdata_sdk.formats.arrow_schema import arrow_schema, to_arrow
from synthdata_sdk.formats.base import Chunk, FormatWriter, object_properties, write_file
from synthdata_sdk.formats.output import WrittenFile
from synthdata_sdk.formats.sql_writer import DIALECTS, IF_TABLE_EXISTS, check_if_table_exists

__all__ = [
    "DIALECTS",
    "FORMATS",
    "IF_TABLE_EXISTS",
    "SUFFIXES",
    "WrittenFile",
    "arrow_schema",
    "format_for_path",
    "make_writer",
    "to_arrow",
    "write_dataset",
    "write_dataset_file",
]

FORMATS: Final = ("json", "jsonl", "csv", "sql", "parquet")

#: File suffixes (lower case) and the format each one selects.
SUFFIXES: Final = {
    ".json": "json",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".csv": "csv",
    ".sql": "sql",
    ".parquet": "parquet",
}


def format_for_path(path: str | os.PathLike[str]) -> str:
    """The format a file name's suffix selects, case-insensitively (``.ndjson`` is jsonl)."""
    suffix = Path(path).suffix
    fmt = SUFFIXES.get(suffix.lower())
    if fmt is None:
        found = f"suffix {suffix!r}" if suffix else "no suffix"
        raise RequestError(
            f"cannot choose a format for {os.fspath(path)!r}: it has {found} "
            f"(expected one of: {', '.join(SUFFIXES)})"
        )
    return fmt


def _check_format(fmt: str) -> str:
    if fmt not in FORMATS:
        raise RequestError(f"unknown format {fmt!r} (expected one of: {', '.join(FORMATS)})")
    return fmt


def make_writer(
    fmt: str,
    *,
    schema: Mapping[str, Any],
    table: str = "data",
    dialect: str = "sqlite",
    if_table_exists: str = "fail",
) -> FormatWriter:
    """A fresh writer for ``fmt``; schema, table and dialect problems raise RequestError here.

    ``table``, ``dialect`` and ``if_table_exists`` apply to SQL only (but are always checked).
    """
    _check_format(fmt)
    check_if_table_exists(if_table_exists)
    object_properties(schema)
    # Imported here so that each format's dependencies load only when it is used.
    if fmt == "json":
        from synthdata_sdk.formats.json_writer import JsonWriter

        return JsonWriter()
    if fmt == "jsonl":
        from synthdata_sdk.formats.jsonl_writer import JsonlWriter

        return JsonlWriter()
    if fmt == "csv":
        from synthdata_sdk.formats.csv_writer import CsvWriter

        return CsvWriter(schema)
    if fmt == "sql":
        from synthdata_sdk.formats.sql_writer import SqlWriter

        return SqlWriter(schema, table=table, dialect=dialect, if_table_exists=if_table_exists)
    from synthdata_sdk.formats.parquet_writer import ParquetWriter

    return ParquetWriter(schema)


def write_dataset(
    chunks: Iterable[Chunk],
    path: str | os.PathLike[str],
    *,
    schema: Mapping[str, Any],
    format: str | None = None,
    table: str = "data",
    dialect: str = "sqlite",
    if_table_exists: str = "fail",
) -> Path:
    """Write ``chunks`` to ``path`` atomically and return the path.

    ``format`` defaults to the one ``path``'s suffix selects. ``table``, ``dialect`` and
    ``if_table_exists`` apply to SQL only. Every argument is checked before the file system is
    touched; if writing fails, including by KeyboardInterrupt, an existing file at ``path`` is
    left unchanged. A character device or FIFO at ``path`` is written through; a directory,
    socket, block device or symbolic link to a regular file raises OutputPathError.
    """
    return write_dataset_file(
        chunks,
        path,
        schema=schema,
        format=format,
        table=table,
        dialect=dialect,
        if_table_exists=if_table_exists,
    ).path


def write_dataset_file(
    chunks: Iterable[Chunk],
    path: str | os.PathLike[str],
    *,
    schema: Mapping[str, Any],
    format: str | None = None,
    table: str = "data",
    dialect: str = "sqlite",
    if_table_exists: str = "fail",
) -> WrittenFile:
    """``write_dataset``, returning the size and sha256 of the bytes written."""
    fmt = _check_format(format) if format is not None else format_for_path(path)
    writer = make_writer(
        fmt, schema=schema, table=table, dialect=dialect, if_table_exists=if_table_exists
    )
    return write_file(path, writer, chunks)
