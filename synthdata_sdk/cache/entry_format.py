"""What a dataset entry holds, byte for byte: the one layout every store keeps (local, S3).

An entry is a ``manifest.json`` and its record files. The records are either one
``records.json`` (an entry written in one piece) or parts ``records-00000.json``,
``records-00001.json``... (one per partition of a fan-out, written independently), each a JSON
array of consecutive records. The manifest lists every file with its sha256 and size; a part's
item also carries ``"part"`` (its index) and ``"rows"``. A table set's entry holds one
``table-<name>.json`` per table instead, its item carrying ``"table"`` and ``"rows"``. Readers
verify every file, take the parts in order and refuse gaps, duplicates and row counts that do
not add up.

Stores only move bytes (a folder renamed into place, objects put create-only); this module
decides what the bytes are, so an entry copied from one store to another stays valid.
"""

from __future__ import annotations

import hashlib
import io
import json
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import PurePosixPath
from typing import IO, Any

from synthdata_sdk.dataset import Dataset, default_table_name
from synthdata_sdk.errors import CacheError, CorruptCacheError
from synthdata_sdk.formats.base import Chunk, write_stream
from synthdata_sdk.formats.json_writer import JsonWriter
from synthdata_sdk.generation.request import DatasetRequest
from synthdata_sdk.manifest import build_manifest

MANIFEST = "manifest.json"
RECORDS = "records.json"
#: a shared entry's signature of its manifest's exact bytes (see ``cloud/signing.py``); it is
#: not listed in the manifest, and a local entry has none
SIGNATURE = "manifest.json.sig"
#: a signature file is a few hundred bytes; anything much larger is not one
MAX_SIGNATURE_BYTES = 16 * 1024
_BLOCK = 1 << 20


def table_file_name(table: str) -> str:
    """The file name of a table set's table ``table``."""
    return f"table-{table}.json"


def part_name(index: int) -> str:
    """The file name of record part ``index``."""
    return f"records-{index:05d}.json"


# --------------------------------------------------------------------------------------------
# Writing


def write_records(chunks: Iterable[Chunk], stream: IO[bytes]) -> int:
    """Write ``chunks`` to ``stream`` as one JSON array (a record file); returns the rows."""
    counter = _Counter(chunks)
    write_stream(JsonWriter(), counter, stream)
    return counter.rows


def encode_records(chunks: Iterable[Chunk]) -> tuple[bytes, int]:
    """The bytes of a record file holding ``chunks``, and its rows."""
    buffer = io.BytesIO()
    rows = write_records(chunks, buffer)
    return buffer.getvalue(), rows


def file_item(
    name: str, *, sha256: str, size: int, part: int | None = None, rows: int | None = None
) -> dict[str, Any]:
    """The manifest's item for one record file (a part also records its index and rows)."""
    item: dict[str, Any] = {"path": name, "format": "json", "sha256": sha256, "size": size}
    if part is not None:
        item["part"] = part
        item["rows"] = rows
    return item


def data_item(
    name: str, data: bytes, *, part: int | None = None, rows: int | None = None
) -> dict[str, Any]:
    """``file_item`` for bytes held in memory."""
    digest = hashlib.sha256(data).hexdigest()
    return file_item(name, sha256=digest, size=len(data), part=part, rows=rows)


def stream_item(name: str, stream: IO[bytes]) -> dict[str, Any]:
    """``file_item`` for a written file, read back from its start for the digest."""
    stream.seek(0)
    digest = hashlib.sha256()
    size = 0
    while block := stream.read(_BLOCK):
        digest.update(block)
        size += len(block)
    return file_item(name, sha256=digest.hexdigest(), size=size)


def entry_manifest(
    request: DatasetRequest,
    files: list[dict[str, Any]],
    *,
    rows: int,
    compliance: dict[str, Any] | None = None,
    quality: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The manifest of an entry holding ``files`` (see ``manifest.build_manifest``)."""
    return build_manifest(
        request,
        rows=rows,
        table=default_table_name(request),
        files=files,
        compliance=compliance,
        quality=quality,
    )


def parts_manifest(
    request: DatasetRequest,
    parts: Iterable[Mapping[str, Any]],
    *,
    compliance: dict[str, Any] | None = None,
    quality: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The manifest of an entry of parts: CacheError unless they are parts 0..n-1 once each."""
    fingerprint = request.fingerprint()
    try:
        ordered = _ordered_parts(fingerprint, list(parts))
    except CorruptCacheError as error:
        raise CacheError(f"cannot finish entry {fingerprint[:12]}: {error.reason}") from None
    rows = sum(int(item["rows"]) for item in ordered)
    files = [dict(item) for item in ordered]
    return entry_manifest(request, files, rows=rows, compliance=compliance, quality=quality)


def table_item(table: str, item: Mapping[str, Any], rows: int) -> dict[str, Any]:
    """The manifest's item for table ``table``'s file (``item`` its path, sha256 and size)."""
    return {**item, "table": table, "rows": rows}


def encode_tables(tables: Mapping[str, Iterable[Chunk]]) -> Iterator[tuple[dict[str, Any], bytes]]:
    """A table set's files one at a time: each table's manifest item and bytes, in order."""
    for table, chunks in tables.items():
        name = table_file_name(table)
        data, rows = encode_records(chunks)
        yield table_item(table, data_item(name, data), rows), data


def tables_manifest(
    request: DatasetRequest,
    items: Sequence[Mapping[str, Any]],
    *,
    compliance: dict[str, Any] | None = None,
    quality: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The manifest of a table set's entry holding the table files ``items`` (in order)."""
    counts = {str(item["table"]): int(item["rows"]) for item in items}
    return build_manifest(
        request,
        rows=sum(counts.values()),
        files=[dict(item) for item in items],
        tables=counts,
        compliance=compliance,
        quality=quality,
    )


def content(dataset: Dataset) -> Iterable[Chunk] | Mapping[str, Iterable[Chunk]]:
    """What an entry stores: the records in batches, or a table set's tables."""
    if dataset.is_table_set:
        return {name: [rows] for name, rows in dataset.tables.items()}
    return dataset.batches()


def manifest_bytes(manifest: Mapping[str, Any]) -> bytes:
    """The text of ``manifest.json``."""
    # Not sort_keys: the order of "properties" is part of the fingerprint.
    return (json.dumps(manifest, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def summaries(dataset: Dataset) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
    """The compliance (None unless scanned) and quality summaries a dataset's manifest holds."""
    compliance = dataset.manifest.get("compliance")
    quality = dataset.manifest.get("quality")
    return (
        dict(compliance) if isinstance(compliance, Mapping) and compliance.get("scanned") else None,
        dict(quality) if isinstance(quality, Mapping) else None,
    )


# --------------------------------------------------------------------------------------------
# Reading


def parse_manifest(fingerprint: str, data: bytes) -> dict[str, Any]:
    """The manifest in ``data``: CorruptCacheError unless a JSON object naming ``fingerprint``."""
    try:
        manifest = json.loads(data)
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise CorruptCacheError(fingerprint, f"{MANIFEST} is not JSON: {error}") from None
    except (ValueError, RecursionError) as error:  # huge integers, deep nesting
        raise CorruptCacheError(fingerprint, f"{MANIFEST} cannot be parsed: {error}") from None
    if not isinstance(manifest, dict):
        raise CorruptCacheError(fingerprint, f"{MANIFEST} is not a JSON object")
    if manifest.get("fingerprint") != fingerprint:
        raise CorruptCacheError(
            fingerprint,
            f"{MANIFEST} names fingerprint {manifest.get('fingerprint')!r}, not the folder's",
        )
    return manifest


def listed_files(fingerprint: str, manifest: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    """The manifest's file items, each with a plain file name; CorruptCacheError otherwise."""
    files = manifest.get("files")
    if not isinstance(files, list):
        raise CorruptCacheError(fingerprint, f"{MANIFEST} lists no data files")
    for item in files:
        file_name(fingerprint, item)
    return files


def file_name(fingerprint: str, item: Any) -> str:
    """The name of a listed file: CorruptCacheError unless a plain name inside the entry."""
    if not isinstance(item, Mapping) or not isinstance(item.get("path"), str):
        raise CorruptCacheError(fingerprint, f"{MANIFEST} has a malformed file entry")
    name: str = item["path"]
    if not name or "\\" in name or PurePosixPath(name).name != name or name in (".", ".."):
        raise CorruptCacheError(fingerprint, f"file entry {name!r} leaves the entry folder")
    return name


def record_files(fingerprint: str, manifest: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    """The record files in reading order: ``[records.json]`` or parts 0..n-1.

    CorruptCacheError when there are none, both kinds, or parts with a gap, a duplicate, a
    wrong name or no row count.
    """
    files = manifest.get("files")
    if not isinstance(files, list):
        raise CorruptCacheError(fingerprint, f"{MANIFEST} lists no data files")
    tables = [item for item in files if _is_table(item)]
    if tables:
        return _table_files(fingerprint, manifest, tables)
    whole = [item for item in files if _is_whole(item)]
    parts = [item for item in files if _is_part(item)]
    if whole and parts:
        raise CorruptCacheError(fingerprint, f"{MANIFEST} lists both {RECORDS} and parts")
    if len(whole) > 1:
        raise CorruptCacheError(fingerprint, f"{MANIFEST} lists {RECORDS} twice")
    if whole:
        return whole
    if not parts:
        raise CorruptCacheError(fingerprint, f"{MANIFEST} lists no {RECORDS}")
    return _ordered_parts(fingerprint, parts)


def is_record_file(item: Any) -> bool:
    """Whether a manifest item is a record file (``records.json``, a part or a table's)."""
    return _is_whole(item) or _is_part(item) or _is_table(item)


def check_bytes(fingerprint: str, item: Mapping[str, Any], data: bytes) -> bytes:
    """``data`` if it has the size and sha256 ``item`` records; CorruptCacheError otherwise."""
    name = file_name(fingerprint, item)
    if len(data) != item.get("size"):
        raise CorruptCacheError(
            fingerprint, f"{name} has {len(data)} bytes, the manifest says {item.get('size')}"
        )
    if hashlib.sha256(data).hexdigest() != item.get("sha256"):
        raise CorruptCacheError(fingerprint, f"{name} does not match its sha256")
    return data


def table_rows(fingerprint: str, manifest: Mapping[str, Any]) -> int:
    """The rows the manifest's ``tables`` add up to; CorruptCacheError if not counts."""
    tables = manifest.get("tables")
    if not isinstance(tables, Mapping) or not all(
        isinstance(count, int) and count >= 0 for count in tables.values()
    ):
        raise CorruptCacheError(fingerprint, f"{MANIFEST} has no valid row counts")
    return sum(tables.values())


def load_entry(
    fingerprint: str,
    manifest: dict[str, Any],
    request: DatasetRequest | None,
    read: Callable[[str], bytes],
    *,
    verify: Callable[[Mapping[str, Any]], None] | None = None,
    recheck: bool = True,
) -> Dataset:
    """The verified dataset of an entry whose files ``read(name)`` returns.

    ``request`` (when the caller has it) must have this fingerprint; without it the request is
    rebuilt from the manifest. Every listed file is verified, never only the records read:
    ``verify(item)`` checks one that is not a record file (default: read and compare). With
    ``recheck``, the records of a request that named compliance profiles are scanned again.
    """
    from synthdata_sdk.frozen import freeze

    if request is not None and request.fingerprint() != fingerprint:
        raise CacheError("the request does not have the fingerprint asked for")
    if request is None:
        request = request_from_manifest(fingerprint, manifest)
    records_at = record_files(fingerprint, manifest)
    for item in listed_files(fingerprint, manifest):
        if not is_record_file(item):
            if verify is None:
                check_bytes(fingerprint, item, read(file_name(fingerprint, item)))
            else:
                verify(item)
    blobs = [check_bytes(fingerprint, item, read(item["path"])) for item in records_at]
    if request.is_table_set:
        return _load_tables(fingerprint, request, manifest, records_at, blobs, recheck=recheck)
    records = parse_records(fingerprint, request, manifest, records_at, blobs)
    if recheck and request.compliance:
        from synthdata_sdk.cache.recheck import recheck_compliance

        recheck_compliance(fingerprint, request, records)
    return Dataset(records, request, freeze(manifest))


def parse_records(
    fingerprint: str,
    request: DatasetRequest,
    manifest: Mapping[str, Any],
    items: Sequence[Mapping[str, Any]],
    blobs: Sequence[bytes],
) -> list[Any]:
    """The read-only records of verified record files, in order, their counts checked."""
    from synthdata_sdk.frozen import FrozenList, loads_frozen, may_hold_lists

    lists = may_hold_lists(request.normalized_schema)
    expected = table_rows(fingerprint, manifest)
    pieces: list[Any] = []
    for item, data in zip(items, blobs, strict=True):
        name = str(item["path"])
        try:
            records = loads_frozen(data, lists=lists)
        except (json.JSONDecodeError, UnicodeDecodeError) as error:
            raise CorruptCacheError(fingerprint, f"{name} is not JSON: {error}") from None
        except (ValueError, RecursionError) as error:
            raise CorruptCacheError(fingerprint, f"{name} cannot be parsed: {error}") from None
        says = item["rows"] if _is_part(item) else expected
        if not isinstance(records, list) or len(records) != says:
            raise CorruptCacheError(
                fingerprint, f"{name} holds {_count(records)}, the manifest says {says}"
            )
        pieces.append(records)
    if len(pieces) == 1:
        return pieces[0]  # type: ignore[no-any-return]
    total = sum(len(piece) for piece in pieces)
    if total != expected:
        raise CorruptCacheError(
            fingerprint, f"the parts hold {total} records, the manifest's tables say {expected}"
        )
    return FrozenList(record for piece in pieces for record in piece)


def request_from_manifest(fingerprint: str, manifest: Mapping[str, Any]) -> DatasetRequest:
    """Rebuild the request a manifest records; CorruptCacheError if it does not fit."""
    from pydantic import ValidationError

    recorded = manifest.get("request")
    if not isinstance(recorded, Mapping):
        raise CorruptCacheError(fingerprint, f"{MANIFEST} has no request")
    try:
        request = DatasetRequest.model_validate(
            {
                "normalized_schema": recorded.get("schema"),
                "rows": recorded.get("rows"),
                "seed": recorded.get("seed"),
                "locale": recorded.get("locale"),
                "compliance": tuple(recorded.get("compliance") or ()),
                "data_version": manifest.get("data_version"),
                "source": recorded.get("source") or "",
                "name": recorded.get("name"),
                "table_rows": recorded.get("table_rows"),
            }
        )
    except (ValidationError, TypeError) as error:
        raise CorruptCacheError(fingerprint, f"{MANIFEST} has a bad request: {error}") from None
    if request.fingerprint() != fingerprint:
        raise CorruptCacheError(fingerprint, f"the request in {MANIFEST} has another fingerprint")
    return request


# --------------------------------------------------------------------------------------------


def _load_tables(
    fingerprint: str,
    request: DatasetRequest,
    manifest: dict[str, Any],
    items: Sequence[Mapping[str, Any]],
    blobs: Sequence[bytes],
    *,
    recheck: bool,
) -> Dataset:
    """The read-only tables of a table set's verified files, each one's rows checked."""
    from types import MappingProxyType

    from synthdata_sdk.frozen import freeze, loads_frozen, may_hold_lists

    schemas = request.normalized_schema.get("tables", {})
    tables: dict[str, Any] = {}
    for item, data in zip(items, blobs, strict=True):
        name = str(item["table"])
        if name not in schemas:
            raise CorruptCacheError(
                fingerprint, f"{item['path']} holds table {name!r}, not in the set"
            )
        try:
            records = loads_frozen(data, lists=may_hold_lists(schemas[name]))
        except (json.JSONDecodeError, UnicodeDecodeError, ValueError, RecursionError) as error:
            raise CorruptCacheError(
                fingerprint, f"{item['path']} cannot be parsed: {error}"
            ) from None
        if not isinstance(records, list) or len(records) != item.get("rows"):
            raise CorruptCacheError(
                fingerprint,
                f"{item['path']} holds {_count(records)}, the manifest says {item.get('rows')}",
            )
        if recheck and request.compliance:
            from synthdata_sdk.cache.recheck import recheck_compliance

            table_request = request.model_copy(
                update={"normalized_schema": schemas[name], "name": name}
            )
            recheck_compliance(fingerprint, table_request, records)
        tables[name] = records
    if list(tables) != list(schemas):
        raise CorruptCacheError(
            fingerprint, f"{MANIFEST} lists tables {list(tables)}, the set has {list(schemas)}"
        )
    return Dataset(None, request, freeze(manifest), tables=MappingProxyType(tables))


def _table_files(
    fingerprint: str, manifest: Mapping[str, Any], tables: list[Any]
) -> list[Mapping[str, Any]]:
    """A table set's record files: one per table, named for it, its rows the manifest's."""
    counts = manifest.get("tables")
    if len(tables) != len(manifest.get("files", [])) - sum(
        1 for item in manifest.get("files", []) if not is_record_file(item)
    ):
        raise CorruptCacheError(fingerprint, f"{MANIFEST} mixes table files with other records")
    seen = set()
    for item in tables:
        name = item.get("table")
        if not isinstance(name, str) or item.get("path") != table_file_name(name):
            raise CorruptCacheError(fingerprint, f"{MANIFEST} has a malformed table entry")
        if name in seen:
            raise CorruptCacheError(fingerprint, f"{MANIFEST} lists table {name!r} twice")
        seen.add(name)
        if (
            not _is_count(item.get("rows"))
            or not isinstance(counts, Mapping)
            or (counts.get(name) != item.get("rows"))
        ):
            raise CorruptCacheError(fingerprint, f"table {name!r}: its row counts do not agree")
    return tables


def _is_table(item: Any) -> bool:
    return isinstance(item, Mapping) and "table" in item and "part" not in item


def _is_whole(item: Any) -> bool:
    return isinstance(item, Mapping) and item.get("path") == RECORDS and "part" not in item


def _is_part(item: Any) -> bool:
    return isinstance(item, Mapping) and "part" in item


def _ordered_parts(fingerprint: str, parts: Sequence[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    by_index: dict[int, Mapping[str, Any]] = {}
    for item in parts:
        index, rows = item.get("part"), item.get("rows")
        if not _is_count(index) or not _is_count(rows):
            raise CorruptCacheError(fingerprint, f"{MANIFEST} has a malformed part entry")
        assert isinstance(index, int)
        if item.get("path") != part_name(index):
            raise CorruptCacheError(
                fingerprint, f"part {index} is named {item.get('path')!r}, not {part_name(index)}"
            )
        if index in by_index:
            raise CorruptCacheError(fingerprint, f"{MANIFEST} lists part {index} twice")
        by_index[index] = item
    for index in range(len(by_index)):
        if index not in by_index:
            raise CorruptCacheError(
                fingerprint, f"{MANIFEST} lists no part {index} (of {len(by_index)} listed)"
            )
    return [by_index[index] for index in range(len(by_index))]


def _is_count(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _count(records: Any) -> str:
    return f"{len(records)} records" if isinstance(records, list) else "no JSON array"


class _Counter:
    """Counts the records of the chunks it passes on."""

    def __init__(self, chunks: Iterable[Chunk]) -> None:
        self._chunks = chunks
        self.rows = 0

    def __iter__(self) -> Iterator[Chunk]:
        for chunk in self._chunks:
            self.rows += len(chunk)
            yield chunk
