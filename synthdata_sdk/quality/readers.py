"""Data files as tables of records, for the compliance scanner and ``synthdata quality``.

``iter_tables(path)`` reads a ``.csv``, ``.json``, ``.jsonl``/``.ndjson`` or ``.parquet``
file, or walks a directory for them (recursively, in sorted order, skipping hidden entries,
``node_modules`` and ``__pycache__``). Records are read lazily: a problem found mid-file
raises ``ReadError`` from the iteration, after the rows before it, so a scan keeps what it
read and goes on with the next file. Text must be UTF-8 (a BOM is tolerated); one CSV
record or JSONL line may hold at most ``MAX_RECORD_BYTES``, a JSON document at most
``MAX_DOCUMENT_BYTES``, and one record at most ``limits.COLUMNS`` fields (CSV columns, or
object keys at any depth of a JSON record): each field becomes a column the scanner and the
quality metrics keep state for. CSV values stay strings, as written.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import json
import os
import stat
from collections.abc import Callable, Collection, Generator, Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from itertools import chain, islice
from pathlib import Path
from typing import IO, Any

from synthdata_sdk.errors import SynthDataError
from synthdata_sdk.limits import COLUMNS

__all__ = [
    "FORMATS",
    "MAX_DOCUMENT_BYTES",
    "MAX_RECORD_BYTES",
    "CsvRecords",
    "ReadError",
    "TableInput",
    "csv_record",
    "csv_record_lines",
    "data_files",
    "format_of",
    "iter_tables",
    "table_file",
]

MIB = 1024 * 1024
#: the most bytes one CSV record (one or more lines) or one JSONL line may hold
MAX_RECORD_BYTES = 16 * MIB
#: the largest JSON document read whole (larger data belongs in JSON Lines)
MAX_DOCUMENT_BYTES = 256 * MIB
#: bytes the CSV reader reads, checks and decodes at a time (then the rest of a line)
BLOCK_BYTES = MIB
#: CSV rows parsed at a time
CSV_CHUNK_ROWS = 512
#: rows per Parquet record batch
PARQUET_BATCH_ROWS = 8192
#: file suffix (lower case) -> format
FORMATS: dict[str, str] = {
    ".csv": "csv",
    ".json": "json",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".parquet": "parquet",
}
#: directories never walked (besides every hidden one)
SKIPPED_DIRS = frozenset({".git", "node_modules", ".venv", "__pycache__"})
#: the key of CSV values beyond the header's columns (``csv.DictReader``'s restkey)
EXTRA_KEY = "_extra"
PARQUET_HINT = "pip install 'synthdata[parquet]'"

_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


class ReadError(SynthDataError):
    """A data file cannot be read: missing, unreadable, not its format, or too large."""


@dataclass(frozen=True)
class TableInput:
    """One table of a data file: its name, its records (read on iteration), its file size.

    ``name`` is the path as given or as walked (``dir/sub/file.csv``), with ``#key`` for each
    table of a JSON object of tables (``file.json#users``).
    """

    name: str
    records: Iterable[Any]
    size: int


class _Records:
    """Records read anew on each iteration by ``read(name)``."""

    def __init__(self, read: Callable[[str], Iterator[Any]], name: str) -> None:
        self._read = read
        self._name = name

    def __iter__(self) -> Iterator[Any]:
        return self._read(self._name)


class _Failing:
    """Records whose iteration raises the error found while opening the table."""

    def __init__(self, error: ReadError) -> None:
        self._error = error

    def __iter__(self) -> Iterator[Any]:
        raise self._error


# --------------------------------------------------------------------------------------------
# Paths


def format_of(path: str) -> str | None:
    """The format the suffix of ``path`` selects (case-insensitive), or None."""
    return FORMATS.get(Path(path).suffix.lower())


def table_file(name: str) -> str:
    """The file a table name refers to (``data/x.json#users`` -> ``data/x.json``)."""
    cut = name.lower().find(".json#")
    return name[: cut + len(".json")] if cut >= 0 else name


def data_files(directory: str) -> Iterator[str]:
    """The data files below ``directory``, depth first in name order.

    Hidden entries, ``SKIPPED_DIRS``, symlinks (to a directory or a file: the walk reads
    nothing outside ``directory``) and files of other suffixes are skipped; a directory that
    cannot be listed is yielded itself, so that reading it reports why.
    """
    try:
        with os.scandir(directory) as listing:
            entries = sorted(listing, key=lambda entry: entry.name)
    except OSError:
        yield directory
        return
    for entry in entries:
        if entry.name.startswith(".") or entry.name in SKIPPED_DIRS:
            continue
        path = str(Path(directory, entry.name))
        try:
            if entry.is_dir(follow_symlinks=False):
                yield from data_files(path)
            elif format_of(entry.name) is not None and entry.is_file(follow_symlinks=False):
                yield path
        except OSError:
            yield path


def iter_tables(path: str | os.PathLike[str]) -> Iterator[TableInput]:
    """The tables of a data file, or of every data file below a directory.

    Raises ``ReadError`` (on the first ``next``) when ``path`` does not exist, cannot be
    listed or is a file of an unsupported type; any other problem of a file is raised by
    the iteration of its records.
    """
    name = os.fspath(path)
    info = _stat(name)
    if not stat.S_ISDIR(info.st_mode):
        if not stat.S_ISREG(info.st_mode):
            raise ReadError(f"{name}: not a regular file")
        if format_of(name) is None:
            raise ReadError(
                f"{name}: unsupported file type (expected {', '.join(FORMATS)}, or a directory)"
            )
        yield from _file_tables(name, info.st_size)
        return
    _listable(name)
    for file in data_files(name):
        if Path(file).is_dir():
            try:
                _listable(file)
            except ReadError as error:
                yield TableInput(file, _Failing(error), 0)
            continue
        yield from _file_tables(file, _size(file))


def _stat(name: str) -> os.stat_result:
    try:
        return Path(name).stat()
    except OSError as error:
        raise ReadError(f"{name}: {_reason(error)}") from None


def _listable(directory: str) -> None:
    try:
        with os.scandir(directory):
            pass
    except OSError as error:
        raise ReadError(f"{directory}: cannot list directory: {_reason(error)}") from None


def _size(name: str) -> int:
    try:
        return Path(name).stat().st_size
    except OSError:
        return 0


def _reason(error: OSError) -> str:
    if isinstance(error, FileNotFoundError):
        return "no such file or directory"
    return (error.strerror or str(error)).lower()


def _file_tables(name: str, size: int) -> Iterator[TableInput]:
    fmt = format_of(name)
    if fmt is None:  # an entry the walk could not tell the type of
        yield TableInput(name, _Failing(ReadError(f"{name}: cannot read this entry")), size)
    elif fmt == "json":
        yield from _json_tables(name, size)
    elif fmt == "csv":
        yield TableInput(name, CsvRecords(name), size)
    elif fmt == "jsonl":
        yield TableInput(name, _Records(_jsonl_records, name), size)
    else:
        yield TableInput(name, _Records(_parquet_records, name), size)


def _open(name: str) -> IO[bytes]:
    try:
        return Path(name).open("rb")
    except OSError as error:
        raise ReadError(f"{name}: cannot read: {_reason(error)}") from None


# --------------------------------------------------------------------------------------------
# Text lines


class _Lines:
    """The decoded lines of a UTF-8 file, checked for NUL bytes, bad bytes and size.

    ``number`` is the last line read (1-based); ``start_record()`` opens a new record,
    which may span lines but not more than ``MAX_RECORD_BYTES`` in all.
    """

    def __init__(self, name: str, stream: IO[bytes]) -> None:
        self.name = name
        self.number = 0
        self._stream = stream
        self._offset = 0
        self._used = 0

    def start_record(self) -> None:
        self._used = 0

    def __iter__(self) -> Iterator[str]:
        return self

    def __next__(self) -> str:
        raw = self._stream.readline(MAX_RECORD_BYTES + 1 - self._used)
        if not raw:
            raise StopIteration
        self.number += 1
        offset = self._offset
        self._offset += len(raw)
        self._used += len(raw)
        if self._used > MAX_RECORD_BYTES:
            raise ReadError(
                f"{self.name}: line {self.number} makes a record longer than "
                f"{MAX_RECORD_BYTES // MIB} MiB (the limit for one record)"
            )
        skip = 0
        if self.number == 1:
            skip = _check_start(self.name, raw)
        nul = raw.find(b"\0")
        if nul >= 0:
            raise _binary(self.name, offset + nul, self.number)
        try:
            return raw[skip:].decode("utf-8") if skip else raw.decode("utf-8")
        except UnicodeDecodeError as error:
            raise _not_utf8(self.name, raw[skip:], error, offset + skip, self.number) from None


def _check_start(name: str, head: bytes) -> int:
    """Bytes of a UTF-8 BOM to skip; ``ReadError`` for UTF-16 text."""
    if head.startswith(_UTF16_BOMS):
        raise ReadError(f"{name}: UTF-16 text (expected UTF-8)")
    return len(codecs.BOM_UTF8) if head.startswith(codecs.BOM_UTF8) else 0


def _binary(name: str, offset: int, line: int | None = None) -> ReadError:
    where = f" (line {line})" if line is not None else ""
    return ReadError(
        f"{name}: binary file: NUL byte at byte offset {offset}{where} (expected UTF-8 text)"
    )


def _not_utf8(
    name: str, data: bytes, error: UnicodeDecodeError, base: int, line: int | None = None
) -> ReadError:
    where = f" (line {line})" if line is not None else ""
    return ReadError(
        f"{name}: not UTF-8: byte 0x{data[error.start]:02x} at byte offset "
        f"{base + error.start}{where} cannot be decoded (expected UTF-8 text)"
    )


class _Blocks:
    """The text of a UTF-8 file as blocks of whole lines, each checked in one call.

    Iteration stops early, with ``failed`` set, at a block that holds what ``_Lines``
    reports (a UTF-16 BOM, a NUL byte, bytes that are not UTF-8, a line longer than
    ``MAX_RECORD_BYTES``), so that the caller can read it with ``_Lines`` instead.
    ``start`` and ``end`` are the byte offsets of the last block given.
    """

    def __init__(self, stream: IO[bytes]) -> None:
        self._stream = stream
        self.start = 0
        self.end = 0
        self.failed = False

    def __iter__(self) -> Iterator[str]:
        while (block := self._read()) is not None:
            yield block

    def _read(self) -> str | None:
        """The next block as text; ``None`` at the end or at a block ``_Lines`` must read."""
        data = self._stream.read(min(BLOCK_BYTES, MAX_RECORD_BYTES))
        if not data:
            return None
        tail = b""
        if not data.endswith(b"\n"):  # complete the last line (read up to the cap)
            tail = self._stream.readline(MAX_RECORD_BYTES + 1)
            data += tail
        text = None if len(tail) > MAX_RECORD_BYTES else self._text(data)
        if text is None:
            self.failed = True
            return None
        self.start, self.end = self.end, self.end + len(data)
        return text

    def _text(self, data: bytes) -> str | None:
        """``data`` decoded, or ``None`` if it holds what ``_Lines`` reports: a UTF-16 BOM
        at the start of the file, a NUL byte or bytes that are not UTF-8."""
        skip = 0
        if self.end == 0:
            if data.startswith(_UTF16_BOMS):
                return None
            skip = len(codecs.BOM_UTF8) if data.startswith(codecs.BOM_UTF8) else 0
        if b"\0" in data:
            return None
        try:
            return data[skip:].decode("utf-8") if skip else data.decode("utf-8")
        except UnicodeDecodeError:
            return None


def _block_lines(text: str) -> Iterator[str]:
    """The lines of ``text``, each with its ``\\n``, split as ``readline`` splits bytes."""
    return io.StringIO(text, newline="\n")


# --------------------------------------------------------------------------------------------
# CSV


class CsvRecords(_Records):
    """The records of a CSV file, read anew on each iteration, also readable as rows.

    ``rows()`` gives the header row and then the row of each record as read (a list of
    strings, blank lines skipped), without building dicts; ``csv_record`` turns one into
    the record iteration gives.
    """

    def __init__(self, name: str) -> None:
        super().__init__(_csv_records, name)

    def rows(self) -> Iterator[list[str]]:
        """The header row, then the row of each record."""
        return _csv_rows(self._name)


def csv_record(header: list[str], row: list[str]) -> dict[str, Any]:
    """The record of a CSV ``row``: values by header name, ``None`` for missing values and
    the values beyond the header's columns under ``EXTRA_KEY``."""
    record: dict[str, Any] = dict(zip(header, row, strict=False))
    width = len(header)
    if len(row) != width:
        if len(row) > width:
            record[EXTRA_KEY] = row[width:]
        else:
            record.update(dict.fromkeys(header[len(row) :]))
    return record


def _csv_records(name: str) -> Iterator[dict[str, Any]]:
    rows = _csv_rows(name)
    header = next(rows, None)
    if header is not None:
        yield from (csv_record(header, row) for row in rows)


def _csv_rows(name: str) -> Iterator[list[str]]:
    """The non-blank rows of a CSV file, the header first.

    Read a block at a time (``_csv_rows_by_block``); should a block hold something to
    report with its line (bad bytes, a record over the cap, invalid CSV), the file is read
    again line by line (``_csv_rows_by_line``) from the start, skipping the rows already
    given, so that rows and errors are exactly those of the line reader.
    """
    rows = _csv_rows_unchecked(name)
    limit = COLUMNS.value()
    for index, row in enumerate(rows):
        if len(row) > limit:
            rows.close()
            where = "the header" if index == 0 else f"record {index}"
            raise ReadError(f"{name}: " + COLUMNS.describe(f"{where} has {len(row):,} columns"))
        yield row


def _csv_rows_unchecked(name: str) -> Generator[list[str], None, None]:
    done = yield from _csv_rows_by_block(name)
    if done is not None:
        yield from islice((row for _, row in _csv_rows_by_line(name)), done, None)


def _csv_rows_by_block(name: str) -> Generator[list[str], None, int | None]:
    """The rows of ``_csv_rows`` while the blocks are clean; returns ``None`` at the end of
    the file, else the number of rows given before the ones the line reader must read.

    Rows are parsed ``CSV_CHUNK_ROWS`` at a time. They fit the record cap when the blocks
    they were read from do; a chunk read from more than ``MAX_RECORD_BYTES`` of blocks,
    like one cut short by a block ``_Blocks`` refuses, is handed over whole.
    """
    with _open(name) as stream:
        blocks = _Blocks(stream)
        reader = csv.reader(chain.from_iterable(map(_block_lines, blocks)))
        done = 0
        while True:
            begin = blocks.start
            try:
                chunk = _csv_chunk(reader)
            except csv.Error:
                return done
            if blocks.failed or blocks.end - begin > MAX_RECORD_BYTES:
                return done
            if not chunk:
                return None
            rows = [row for row in chunk if row]  # csv gives a blank line as []
            done += len(rows)
            yield from rows


def _csv_chunk(reader: Iterator[list[str]]) -> list[list[str]]:
    """The next ``CSV_CHUNK_ROWS`` rows (fewer at the end); ``csv.Error`` for invalid CSV."""
    # the field limit is process-wide: raised for this read only (a record is capped anyway)
    previous = csv.field_size_limit(MAX_RECORD_BYTES)
    try:
        return list(islice(reader, CSV_CHUNK_ROWS))
    finally:
        csv.field_size_limit(previous)


def _csv_rows_by_line(name: str) -> Iterator[tuple[int, list[str]]]:
    """``(first line, row)`` of each non-blank row, the header first, read and checked a
    line at a time (exact line numbers, in records and in errors)."""
    with _open(name) as stream:
        lines = _Lines(name, stream)
        reader = csv.reader(lines)
        while True:
            lines.start_record()
            first = lines.number + 1
            try:
                row = _next_csv_row(reader)
            except csv.Error as error:
                raise ReadError(
                    f"{lines.name}: invalid CSV at line {lines.number}: {error}"
                ) from None
            if row is None:
                return
            if row:
                yield first, row


def _next_csv_row(reader: Iterator[list[str]]) -> list[str] | None:
    """The next row, ``None`` at the end; ``csv.Error`` for invalid CSV."""
    # the field limit is process-wide: raised for this read only (a record is capped anyway)
    previous = csv.field_size_limit(MAX_RECORD_BYTES)
    try:
        return next(reader, None)
    finally:
        csv.field_size_limit(previous)


def csv_record_lines(name: str, rows: Collection[int]) -> dict[int, int]:
    """The 1-based first line of each of ``rows`` (record indexes) of a CSV file.

    Exact also when quoted values hold line breaks; rows not reached (a shorter file, a
    read error) are left out.
    """
    wanted = set(rows)
    found: dict[int, int] = {}
    if not wanted:
        return found
    last = max(wanted)
    try:
        for index, (line, _) in enumerate(islice(_csv_rows_by_line(name), 1, None)):
            if index in wanted:
                found[index] = line
            if index >= last:
                break
    except ReadError:
        pass
    return found


# --------------------------------------------------------------------------------------------
# JSON and JSON Lines


def _jsonl_records(name: str) -> Iterator[Any]:
    """One record per line; a blank line is a ``None`` record, so rows stay line indexes."""
    with _open(name) as stream:
        lines = _Lines(name, stream)
        for line in lines:
            lines.start_record()
            try:
                record = json.loads(line)
            except json.JSONDecodeError as error:
                if line.strip():
                    raise ReadError(
                        f"{name}: line {lines.number} is not JSON: {error.msg} "
                        f"(column {error.colno})"
                    ) from None
                record = None
            except RecursionError:
                raise ReadError(f"{name}: line {lines.number} is nested too deeply") from None
            _check_fields(record, f"{name}: line {lines.number}")
            yield record


def _json_tables(name: str, size: int) -> Iterator[TableInput]:
    """One table for an array or a single object; one per key for an object of arrays."""
    try:
        document = _json_document(name, size)
    except ReadError as error:
        yield TableInput(name, _Failing(error), size)
        return
    if isinstance(document, list):
        yield TableInput(name, _Checked(name, document), size)
    elif _is_table_map(document):
        for key, records in document.items():
            yield TableInput(f"{name}#{key}", _Checked(f"{name}#{key}", records), size)
    else:
        yield TableInput(name, _Checked(name, [document]), size)


class _Checked:
    """The records of a JSON document, each checked for its number of fields as read."""

    def __init__(self, name: str, records: list[Any]) -> None:
        self._name = name
        self._records = records

    def __iter__(self) -> Iterator[Any]:
        for index, record in enumerate(self._records):
            _check_fields(record, f"{self._name}: record {index}")
            yield record


def _check_fields(record: Any, where: str) -> None:
    """ReadError if ``record`` holds more object keys, at any depth, than ``COLUMNS``."""
    limit = COLUMNS.value()
    count = 0
    stack = [record]
    while stack:
        value = stack.pop()
        if isinstance(value, dict):
            count += len(value)
            if count > limit:
                raise ReadError(f"{where} " + COLUMNS.describe("has too many fields"))
            stack.extend(value.values())
        elif isinstance(value, list):
            stack.extend(value)


def _is_table_map(document: Any) -> bool:
    return (
        isinstance(document, dict)
        and bool(document)
        and all(
            isinstance(value, list) and all(isinstance(item, dict) for item in value)
            for value in document.values()
        )
    )


def _json_document(name: str, size: int) -> Any:
    if size > MAX_DOCUMENT_BYTES:
        raise ReadError(
            f"{name}: JSON document of {size / MIB:.0f} MiB is larger than the "
            f"{MAX_DOCUMENT_BYTES // MIB} MiB read whole (expected JSON Lines for large data)"
        )
    with _open(name) as stream:
        try:
            data = stream.read(MAX_DOCUMENT_BYTES + 1)
        except OSError as error:
            raise ReadError(f"{name}: cannot read: {_reason(error)}") from None
    if len(data) > MAX_DOCUMENT_BYTES:
        raise ReadError(f"{name}: JSON document larger than {MAX_DOCUMENT_BYTES // MIB} MiB")
    skip = _check_start(name, data)
    nul = data.find(b"\0")
    if nul >= 0:
        raise _binary(name, nul)
    try:
        text = data[skip:].decode("utf-8")
    except UnicodeDecodeError as error:
        raise _not_utf8(name, data[skip:], error, skip) from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise ReadError(
            f"{name}: invalid JSON at line {error.lineno} column {error.colno}: {error.msg}"
        ) from None
    except RecursionError:
        raise ReadError(f"{name}: JSON nested too deeply") from None


# --------------------------------------------------------------------------------------------
# Parquet


def _parquet_records(name: str) -> Iterator[Any]:
    """Records of a Parquet file, a record batch at a time (dates as ISO 8601 text)."""
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:
        raise ReadError(f"{name}: reading Parquet needs pyarrow: {PARQUET_HINT}") from None
    try:
        with Path(name).open("rb") as stream:
            parquet = pq.ParquetFile(stream)
            plain = _needs_plain(pa, parquet.schema_arrow)
            for batch in parquet.iter_batches(batch_size=PARQUET_BATCH_ROWS):
                records = batch.to_pylist()
                yield from (_plain(r) for r in records) if plain else records
    except ReadError:
        raise
    except (pa.ArrowException, ValueError) as error:
        raise ReadError(f"{name}: not a readable Parquet file: {error}") from None
    except OSError as error:
        raise ReadError(f"{name}: cannot read: {_reason(error)}") from None


def _needs_plain(pa: Any, schema: Any) -> bool:
    """Whether a column holds dates, times or decimals anywhere (kept as ISO text)."""

    def special(kind: Any) -> bool:
        if pa.types.is_temporal(kind) or pa.types.is_decimal(kind):
            return True
        if pa.types.is_struct(kind):
            return any(special(kind.field(i).type) for i in range(kind.num_fields))
        if pa.types.is_list(kind) or pa.types.is_large_list(kind):
            return special(kind.value_type)
        if pa.types.is_map(kind):
            return special(kind.key_type) or special(kind.item_type)
        return False

    return any(special(field.type) for field in schema)


def _plain(value: Any) -> Any:
    """``value`` with dates and times as ISO 8601 text and decimals as numbers."""
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    if isinstance(value, (dt.date, dt.time)):  # datetime is a date
        return value.isoformat()
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dt.timedelta):
        return str(value)
    return value
