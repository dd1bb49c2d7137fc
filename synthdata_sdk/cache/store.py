"""The local, content-addressed dataset store: one folder per request fingerprint.

Layout (the same as the shared S3 cache's ``<prefix>/datasets/<fingerprint>/``)::

    <root>/
      .gitignore                      # "*": a cache is never committed by accident
      datasets/<fingerprint>/
        manifest.json                 # fingerprint, request, rows, files with sha256 and size
        records.json                  # the records, one compact JSON array
      locks/<fingerprint>.lock        # held while one process generates that dataset

An entry is written into a temporary folder and renamed into place, so readers see a whole
entry or none. Every read checks the manifest against the folder name and every file's size
and sha256; a mismatch raises ``CorruptCacheError`` and never returns data.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import shutil
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from synthdata_sdk.dataset import Dataset, default_table_name
from synthdata_sdk.errors import CacheError, CorruptCacheError, DatasetNotCachedError
from synthdata_sdk.formats.base import Chunk, write_stream
from synthdata_sdk.formats.json_writer import JsonWriter
from synthdata_sdk.generation.request import DatasetRequest
from synthdata_sdk.integrity import file_entry, sha256_file
from synthdata_sdk.manifest import build_manifest

if TYPE_CHECKING:
    from filelock import BaseFileLock

MANIFEST = "manifest.json"
RECORDS = "records.json"
DATASETS = "datasets"
LOCKS = "locks"
_FINGERPRINT_CHARS = frozenset("0123456789abcdef")


@dataclass(frozen=True)
class CacheEntry:
    """One stored dataset as its manifest describes it."""

    fingerprint: str
    path: Path
    manifest: dict[str, Any]

    @property
    def rows(self) -> int:
        """Total rows over the entry's tables."""
        tables = self.manifest.get("tables") or {}
        return sum(int(count) for count in tables.values())

    @property
    def size(self) -> int:
        """Bytes of data files, as the manifest records them."""
        return sum(int(item.get("size", 0)) for item in self.manifest.get("files", []))

    @property
    def source(self) -> str:
        """The request's source label (``template 'customer'``, ``file 'x.json'``...)."""
        return str((self.manifest.get("request") or {}).get("source") or "?")

    @property
    def created_at(self) -> str:
        """When the entry was generated (ISO 8601, UTC)."""
        return str(self.manifest.get("created_at") or "")


def is_fingerprint(text: str) -> bool:
    """Whether ``text`` looks like a request fingerprint (64 lowercase hex digits)."""
    return len(text) == 64 and set(text) <= _FINGERPRINT_CHARS


class LocalStore:
    """Datasets on the local disk under ``root``, keyed by request fingerprint."""

    def __init__(self, root: str | os.PathLike[str]) -> None:
        self.root = Path(root)

    def __repr__(self) -> str:
        return f"LocalStore({str(self.root)!r})"

    @property
    def datasets_dir(self) -> Path:
        """The folder holding one sub-folder per fingerprint."""
        return self.root / DATASETS

    def path_for(self, fingerprint: str) -> Path:
        """Where the entry for ``fingerprint`` lives (whether or not it exists)."""
        if not is_fingerprint(fingerprint):
            raise CacheError(f"{fingerprint!r} is not a fingerprint (expected 64 hex digits)")
        return self.datasets_dir / fingerprint

    def contains(self, fingerprint: str) -> bool:
        """Whether an entry exists (without verifying it)."""
        return (self.path_for(fingerprint) / MANIFEST).is_file()

    def modified_at(self, fingerprint: str) -> float | None:
        """When the entry was written (seconds since the epoch), or None if there is none."""
        try:
            return (self.path_for(fingerprint) / MANIFEST).stat().st_mtime
        except FileNotFoundError:
            return None

    # ----------------------------------------------------------------------------------------
    # Reading

    def manifest(self, fingerprint: str) -> dict[str, Any]:
        """The entry's manifest; DatasetNotCachedError if absent, CorruptCacheError if bad."""
        path = self.path_for(fingerprint) / MANIFEST
        try:
            text = path.read_bytes()
        except FileNotFoundError:
            raise DatasetNotCachedError(fingerprint, "?") from None
        except OSError as error:
            raise CorruptCacheError(fingerprint, f"cannot read {MANIFEST}: {error}") from None
        try:
            manifest = json.loads(text)
        except (json.JSONDecodeError, UnicodeDecodeError) as error:
            raise CorruptCacheError(fingerprint, f"{MANIFEST} is not JSON: {error}") from None
        if not isinstance(manifest, dict):
            raise CorruptCacheError(fingerprint, f"{MANIFEST} is not a JSON object")
        if manifest.get("fingerprint") != fingerprint:
            raise CorruptCacheError(
                fingerprint,
                f"{MANIFEST} names fingerprint {manifest.get('fingerprint')!r}, not the folder's",
            )
        return manifest

    def verify(self, fingerprint: str) -> dict[str, Any]:
        """Check every file's size and sha256 against the manifest; return the manifest."""
        manifest = self.manifest(fingerprint)
        folder = self.path_for(fingerprint)
        files = manifest.get("files")
        if not isinstance(files, list) or not files:
            raise CorruptCacheError(fingerprint, f"{MANIFEST} lists no data files")
        for item in files:
            self._verify_file(fingerprint, folder, item)
        request_from_manifest(fingerprint, manifest)
        return manifest

    def _verify_file(self, fingerprint: str, folder: Path, item: Any) -> Path:
        if not isinstance(item, Mapping) or not isinstance(item.get("path"), str):
            raise CorruptCacheError(fingerprint, f"{MANIFEST} has a malformed file entry")
        name: str = item["path"]
        path = folder / name
        if Path(name).name != name:
            raise CorruptCacheError(fingerprint, f"file entry {name!r} leaves the entry folder")
        try:
            size = path.stat().st_size
        except FileNotFoundError:
            raise CorruptCacheError(fingerprint, f"{name} is missing") from None
        if size != item.get("size"):
            raise CorruptCacheError(
                fingerprint, f"{name} has {size} bytes, the manifest says {item.get('size')}"
            )
        if sha256_file(path) != item.get("sha256"):
            raise CorruptCacheError(fingerprint, f"{name} does not match its sha256")
        return path

    def load(self, fingerprint: str, request: DatasetRequest | None = None) -> Dataset:
        """The verified dataset, with read-only records.

        ``request`` (when the caller has it) must have this fingerprint; without it the
        request is rebuilt from the manifest.
        """
        from synthdata_sdk.frozen import freeze, loads_frozen, may_hold_lists

        if request is not None and request.fingerprint() != fingerprint:
            raise CacheError("the request does not have the fingerprint asked for")
        manifest = self.manifest(fingerprint)
        if request is None:
            request = request_from_manifest(fingerprint, manifest)
        folder = self.path_for(fingerprint)
        files = manifest.get("files")
        if not isinstance(files, list):
            raise CorruptCacheError(fingerprint, f"{MANIFEST} lists no data files")
        entries = [item for item in files if _is_records_file(item)]
        if not entries:
            raise CorruptCacheError(fingerprint, f"{MANIFEST} lists no {RECORDS}")
        for item in files:  # every other file is checked too, never only the one read
            if not _is_records_file(item):
                self._verify_file(fingerprint, folder, item)
        data = self._read_verified(fingerprint, folder, entries[0])
        try:
            records = loads_frozen(data, lists=may_hold_lists(request.normalized_schema))
        except (json.JSONDecodeError, UnicodeDecodeError) as error:
            raise CorruptCacheError(fingerprint, f"{RECORDS} is not JSON: {error}") from None
        expected = _table_rows(fingerprint, manifest)
        if not isinstance(records, list) or len(records) != expected:
            raise CorruptCacheError(
                fingerprint, f"{RECORDS} holds {_count(records)}, the manifest says {expected}"
            )
        return Dataset(records, request, freeze(manifest))

    def _read_verified(self, fingerprint: str, folder: Path, item: Mapping[str, Any]) -> bytes:
        # One read serves both the digest and the parse.
        import hashlib

        path = folder / str(item["path"])
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            raise CorruptCacheError(fingerprint, f"{item['path']} is missing") from None
        except OSError as error:
            raise CorruptCacheError(fingerprint, f"cannot read {item['path']}: {error}") from None
        if len(data) != item.get("size"):
            raise CorruptCacheError(
                fingerprint,
                f"{item['path']} has {len(data)} bytes, the manifest says {item.get('size')}",
            )
        if hashlib.sha256(data).hexdigest() != item.get("sha256"):
            raise CorruptCacheError(fingerprint, f"{item['path']} does not match its sha256")
        return data

    def entries(self) -> Iterator[CacheEntry]:
        """Every entry with a readable manifest, sorted by fingerprint (no sha256 check)."""
        for fingerprint in self.fingerprints():
            with contextlib.suppress(CorruptCacheError, DatasetNotCachedError):
                yield CacheEntry(
                    fingerprint, self.path_for(fingerprint), self.manifest(fingerprint)
                )

    def fingerprints(self) -> list[str]:
        """The fingerprints of every folder in the store, sorted."""
        if not self.datasets_dir.is_dir():
            return []
        return sorted(p.name for p in self.datasets_dir.iterdir() if is_fingerprint(p.name))

    # ----------------------------------------------------------------------------------------
    # Writing

    def save(
        self,
        request: DatasetRequest,
        chunks: Iterable[Chunk],
        *,
        compliance: dict[str, Any] | None = None,
        quality: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        """Stream ``chunks`` into a new entry for ``request`` and return its manifest.

        The entry appears all at once or not at all; an existing entry for the same
        fingerprint (for example a corrupt one) is replaced. ``compliance`` and ``quality`` are
        the summaries of the output's compliance scan and quality measure, kept in the manifest.
        """
        fingerprint = request.fingerprint()
        target = self.path_for(fingerprint)
        self._prepare_root()
        temp = self.datasets_dir / f".tmp-{fingerprint[:12]}-{secrets.token_hex(6)}"
        temp.mkdir()
        try:
            counter = _Counter(chunks)
            data = temp / RECORDS
            with data.open("wb") as stream:
                write_stream(JsonWriter(), counter, stream)
                stream.flush()
                os.fsync(stream.fileno())
            manifest = build_manifest(
                request,
                rows=counter.rows,
                table=default_table_name(request),
                files=[file_entry(data, "json")],
                compliance=compliance,
                quality=quality,
            )
            with (temp / MANIFEST).open("w", encoding="utf-8") as stream:
                # Not sort_keys: the order of "properties" is part of the fingerprint.
                json.dump(manifest, stream, indent=2, ensure_ascii=False)
                stream.write("\n")
                stream.flush()
                os.fsync(stream.fileno())
            self._move_into_place(temp, target)
        except BaseException:
            shutil.rmtree(temp, ignore_errors=True)
            raise
        return manifest

    def save_dataset(self, dataset: Dataset) -> dict[str, Any]:
        """Store an in-memory dataset; returns the new manifest."""
        compliance = dataset.manifest.get("compliance")
        if not (isinstance(compliance, Mapping) and compliance.get("scanned")):
            compliance = None
        quality = dataset.manifest.get("quality")
        return self.save(
            dataset.request,
            dataset.batches(),
            compliance=dict(compliance) if compliance is not None else None,
            quality=dict(quality) if isinstance(quality, Mapping) else None,
        )

    def _prepare_root(self) -> None:
        try:
            self.datasets_dir.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise CacheError(
                f"cannot create the cache folder {str(self.root)!r}: {error}"
            ) from None
        ignore = self.root / ".gitignore"
        if not ignore.exists():
            with contextlib.suppress(OSError):
                ignore.write_text("# synthdata's dataset cache: never commit it\n*\n")

    def _move_into_place(self, temp: Path, target: Path) -> None:
        trash: Path | None = None
        if target.exists():
            trash = target.with_name(f".trash-{target.name[:12]}-{secrets.token_hex(6)}")
            target.rename(trash)
        temp.rename(target)
        if trash is not None:
            shutil.rmtree(trash, ignore_errors=True)

    # ----------------------------------------------------------------------------------------
    # Housekeeping

    def remove(self, fingerprint: str) -> bool:
        """Delete one entry; False if there was none."""
        target = self.path_for(fingerprint)
        if not target.exists():
            return False
        trash = target.with_name(f".trash-{fingerprint[:12]}-{secrets.token_hex(6)}")
        target.rename(trash)
        shutil.rmtree(trash, ignore_errors=True)
        return True

    def prune(self, keep: Iterable[str]) -> list[str]:
        """Delete every entry whose fingerprint is not in ``keep``; returns what was deleted."""
        kept = set(keep)
        removed = [fp for fp in self.fingerprints() if fp not in kept]
        for fingerprint in removed:
            self.remove(fingerprint)
        self._sweep_leftovers()
        return removed

    def clear(self) -> list[str]:
        """Delete every entry; returns what was deleted."""
        return self.prune(())

    def _sweep_leftovers(self) -> None:
        # Folders left by a process killed mid-write (renames make them invisible to readers).
        if not self.datasets_dir.is_dir():
            return
        for path in self.datasets_dir.iterdir():
            if path.name.startswith((".tmp-", ".trash-")):
                shutil.rmtree(path, ignore_errors=True)

    def lock(self, fingerprint: str, timeout: float = -1) -> BaseFileLock:
        """An inter-process lock held while one process generates ``fingerprint``."""
        from filelock import FileLock

        self.path_for(fingerprint)  # validates the name
        folder = self.root / LOCKS
        folder.mkdir(parents=True, exist_ok=True)
        return FileLock(folder / f"{fingerprint}.lock", timeout=timeout)


class _Counter:
    """Counts the records of the chunks it passes on."""

    def __init__(self, chunks: Iterable[Chunk]) -> None:
        self._chunks = chunks
        self.rows = 0

    def __iter__(self) -> Iterator[Chunk]:
        for chunk in self._chunks:
            self.rows += len(chunk)
            yield chunk


def _table_rows(fingerprint: str, manifest: Mapping[str, Any]) -> int:
    tables = manifest.get("tables")
    if not isinstance(tables, Mapping) or not all(
        isinstance(count, int) and count >= 0 for count in tables.values()
    ):
        raise CorruptCacheError(fingerprint, f"{MANIFEST} has no valid row counts")
    return sum(tables.values())


def _is_records_file(item: Any) -> bool:
    return isinstance(item, Mapping) and item.get("path") == RECORDS


def _count(records: Any) -> str:
    return f"{len(records)} records" if isinstance(records, list) else "no JSON array"


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
            }
        )
    except (ValidationError, TypeError) as error:
        raise CorruptCacheError(fingerprint, f"{MANIFEST} has a bad request: {error}") from None
    if request.fingerprint() != fingerprint:
        raise CorruptCacheError(fingerprint, f"the request in {MANIFEST} has another fingerprint")
    return request
