"""Writing a table set: one SQL script with keys, or one file per table in a folder.

SQL: every table's ``CREATE TABLE`` (with ``PRIMARY KEY`` on its first referenced column,
``UNIQUE`` on any other, and a ``FOREIGN KEY`` per reference) and its rows, parents before
children, so the script loads with foreign keys enforced. Other formats: ``<folder>/<table>.<ext>``
per table, each written atomically like a single table's file. Table names are plain
identifiers (checked when the set is read), so no file lands outside the folder.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import IO, Any

from synthdata_sdk.errors import OutputPathError, RequestError
from synthdata_sdk.formats.base import Record, write_stream
from synthdata_sdk.formats.output import WrittenFile, write_output
from synthdata_sdk.formats.sql_writer import (
    ForeignKey,
    SqlWriter,
    TableKeys,
    check_dialect,
    check_if_table_exists,
    quote_identifier,
)
from synthdata_sdk.formats.target import describe
from synthdata_sdk.schema.table_set import TableSet

#: file suffix of each format written one file per table
FOLDER_SUFFIXES = {"json": ".json", "jsonl": ".jsonl", "csv": ".csv", "parquet": ".parquet"}
#: records handed to a writer at a time
_BATCH = 10_000


def table_keys(tables: TableSet, name: str) -> TableKeys:
    """The SQL keys of one table of the set."""
    keys = tables.keys(name)
    foreign = tuple(
        ForeignKey(ref.column, ref.parent, ref.key) for ref in tables.references_of(name)
    )
    return TableKeys(keys[0] if keys else None, tuple(keys[1:]), foreign)


def write_table_set(
    tables: TableSet,
    records: Mapping[str, Sequence[Record]],
    path: str | os.PathLike[str],
    *,
    format: str,
    dialect: str = "sqlite",
    if_table_exists: str = "fail",
) -> list[dict[str, Any]]:
    """Write every table to ``path`` (a .sql file, or a folder for the other formats).

    Returns the manifest's file items (path relative to the folder, format, sha256, size,
    and the table for per-table files).
    """
    if format == "sql":
        written = write_sql(tables, records, path, dialect=dialect, if_table_exists=if_table_exists)
        return [{**written.manifest_entry("sql"), "tables": tables.order}]
    if format not in FOLDER_SUFFIXES:
        raise RequestError(
            f"unknown format {format!r} for a table set (expected sql or one of"
            f" {', '.join(FOLDER_SUFFIXES)})"
        )
    folder = _folder(Path(path))
    items = []
    for name in tables.order:
        target = folder / f"{name}{FOLDER_SUFFIXES[format]}"
        from synthdata_sdk.formats import write_dataset_file

        file = write_dataset_file(
            _batches(records[name]), target, schema=tables.tables[name], format=format
        )
        items.append({**file.manifest_entry(format), "table": name})
    return items


def write_sql(
    tables: TableSet,
    records: Mapping[str, Sequence[Record]],
    path: str | os.PathLike[str],
    *,
    dialect: str = "sqlite",
    if_table_exists: str = "fail",
) -> WrittenFile:
    """One SQL script creating and filling every table, parents first."""
    check_dialect(dialect)
    check_if_table_exists(if_table_exists)
    writers = {
        name: SqlWriter(
            tables.tables[name],
            table=name,
            dialect=dialect,
            # drops come first, children before parents; each CREATE then meets no table
            if_table_exists="fail" if if_table_exists == "replace" else if_table_exists,
            keys=table_keys(tables, name),
        )
        for name in tables.order
    }

    def fill(stream: IO[bytes]) -> None:
        if if_table_exists == "replace":
            drops = "".join(
                f"DROP TABLE IF EXISTS {quote_identifier(name, dialect)};\n"
                for name in reversed(tables.order)
            )
            stream.write(drops.encode("utf-8"))
        for name, writer in writers.items():
            write_stream(writer, _batches(records[name]), stream)

    return write_output(path, fill)


def _folder(path: Path) -> Path:
    """The folder a table set is written into: made if missing, refused if not a folder."""
    if path.is_symlink():
        target = describe(path.stat().st_mode) if path.exists() else "nothing (dangling)"
        raise OutputPathError(
            str(path),
            f"cannot write a table set to {path}: it is a symbolic link to {target};"
            " synthdata writes no files through a link (name the folder itself)",
        )
    if path.exists() and not path.is_dir():
        raise OutputPathError(
            str(path),
            f"cannot write a table set to {path}: it is not a folder (a table set writes one"
            " file per table into a folder; use format='sql' for a single file)",
        )
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise OutputPathError(str(path), f"cannot create the folder {path}: {error}") from error
    return path


def _batches(rows: Sequence[Record]) -> list[Sequence[Record]]:
    return [rows[start : start + _BATCH] for start in range(0, len(rows), _BATCH)]
