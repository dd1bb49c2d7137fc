"""The local, content-addressed dataset store: one folder per request fingerprint.

Layout (the same as the shared S3 cache's ``<prefix>/datasets/<fingerprint>/``)::

    <root>/
      .gitignore                      # "*": a cache is never committed by accident
      datasets/<fingerprint>/
        manifest.json                 # fingerprint, request, rows, files with sha256 and size
        records.json                  # the records, one compact JSON array
      locks/<fingerprint>.lock        # held while one process generates that dataset
      locks/.tmp-<...>.lock           # held while one process writes datasets/.tmp-<...>/

An entry is written into a temporary folder and renamed into place, so readers see a whole
entry or none. Every read checks the manifest against the folder name and every file's size
and sha256; a mismatch raises ``CorruptCacheError`` and never returns data. Records of a
request that named compliance profiles are scanned again before they are served.

Only the root is reached through a link (it is the path the user named): every name inside
it is opened without following links (see ``folder.py``), so the store never reads, writes or
deletes outside its root. Housekeeping (prune, clear, sweeping leftovers) is in
``housekeeping.py``.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import json
import os
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from synthdata_sdk.cache.folder import LINK_HINT, Folder, Kind, kind_of
from synthdata_sdk.cache.locks import EntryLock, WriterLock
from synthdata_sdk.cache.names import (
    is_fingerprint,
    temp_name,
    trash_name,
)
from synthdata_sdk.dataset import Dataset, default_table_name
from synthdata_sdk.errors import (
    CacheError,
    CacheLocationError,
    CorruptCacheError,
    DatasetNotCachedError,
)
from synthdata_sdk.formats.base import Chunk, write_stream
from synthdata_sdk.formats.json_writer import JsonWriter
from synthdata_sdk.generation.request import DatasetRequest
from synthdata_sdk.manifest import build_manifest

if TYPE_CHECKING:
    from synthdata_sdk.cache.housekeeping import Removal

MANIFEST = "manifest.json"
RECORDS = "records.json"
DATASETS = "datasets"
LOCKS = "locks"
GITIGNORE = ".gitignore"
#: name prefixes of a folder being written and of an entry being deleted, in ``datasets/``
_BLOCK = 1 << 20


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


class LocalStore:
    """Datasets on the local disk under ``root``, keyed by request fingerprint.

    ``recheck`` (default on) scans the records of an entry whose request named compliance
    profiles again before serving them: the sha256 in a manifest proves an entry was not
    damaged, not that nobody rewrote it (see docs/compliance.md).
    """

    def __init__(self, root: str | os.PathLike[str], *, recheck: bool = True) -> None:
        self.root = Path(root)
        self.recheck = recheck

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

    # ----------------------------------------------------------------------------------------
    # Folders

    @contextlib.contextmanager
    def open_folders(
        self, *, create: bool, locks: bool = True
    ) -> Iterator[tuple[Folder, Folder | None] | None]:
        """``(datasets, locks)`` open without following links, or None when there is no store.

        ``create`` makes the root (with its ``.gitignore``), ``datasets`` and ``locks``;
        without it ``locks`` may be None, and it is None when not asked for (reading needs no
        lock). A root that is not a folder, or a link in place of ``datasets`` or ``locks``,
        raises CacheLocationError.
        """
        root = Folder.open_root(self.root, create=create)
        if root is None:
            yield None
            return
        with root:
            if create:
                _write_gitignore(root)
            datasets = root.child(DATASETS, create=create)
            if datasets is None:
                yield None
                return
            with datasets:
                held = root.child(LOCKS, create=create) if locks else None
                try:
                    yield datasets, held
                finally:
                    if held is not None:
                        held.close()

    @contextlib.contextmanager
    def _entry(self, fingerprint: str) -> Iterator[Folder]:
        """The entry's folder: DatasetNotCachedError if absent, CorruptCacheError if a link."""
        self.path_for(fingerprint)  # validates the name
        with self.open_folders(create=False, locks=False) as folders:
            if folders is None:
                raise DatasetNotCachedError(fingerprint, "?")
            datasets, _ = folders
            kind = datasets.kind(fingerprint)
            if kind is None:
                raise DatasetNotCachedError(fingerprint, "?")
            if kind != Kind.FOLDER:
                hint = f"; {LINK_HINT}" if kind == Kind.LINK else ""
                raise CorruptCacheError(fingerprint, f"the entry is {kind}, not a folder{hint}")
            entry = datasets.child(fingerprint)
            if entry is None:  # removed between the two looks
                raise DatasetNotCachedError(fingerprint, "?")
            with entry:
                yield entry

    def contains(self, fingerprint: str) -> bool:
        """Whether an entry exists (without verifying it)."""
        try:
            with self._entry(fingerprint) as entry:
                return entry.kind(MANIFEST) == Kind.FILE
        except (DatasetNotCachedError, CorruptCacheError):
            return False

    def modified_at(self, fingerprint: str) -> float | None:
        """When the entry was written (seconds since the epoch), or None if there is none."""
        try:
            with self._entry(fingerprint) as entry:
                found = entry.lstat(MANIFEST)
                if found is not None and kind_of(found.st_mode) != Kind.FILE:
                    raise CorruptCacheError(
                        fingerprint, f"{MANIFEST} is {kind_of(found.st_mode)}, not a file"
                    )
                return None if found is None else found.st_mtime
        except DatasetNotCachedError:
            return None

    # ----------------------------------------------------------------------------------------
    # Reading

    def manifest(self, fingerprint: str) -> dict[str, Any]:
        """The entry's manifest; DatasetNotCachedError if absent, CorruptCacheError if bad."""
        with self._entry(fingerprint) as entry:
            return _read_manifest(fingerprint, entry)

    def verify(self, fingerprint: str) -> dict[str, Any]:
        """Check every file's size and sha256 against the manifest; return the manifest."""
        with self._entry(fingerprint) as entry:
            manifest = _read_manifest(fingerprint, entry)
            files = manifest.get("files")
            if not isinstance(files, list) or not files:
                raise CorruptCacheError(fingerprint, f"{MANIFEST} lists no data files")
            for item in files:
                _verify_file(fingerprint, entry, item)
        request_from_manifest(fingerprint, manifest)
        return manifest

    def load(self, fingerprint: str, request: DatasetRequest | None = None) -> Dataset:
        """The verified dataset, with read-only records.

        ``request`` (when the caller has it) must have this fingerprint; without it the
        request is rebuilt from the manifest. When the request names compliance profiles the
        records are scanned under them again (``recheck``); a violation means the entry was
        rewritten after it was stored, and raises CorruptCacheError.
        """
        from synthdata_sdk.frozen import freeze, loads_frozen, may_hold_lists

        if request is not None and request.fingerprint() != fingerprint:
            raise CacheError("the request does not have the fingerprint asked for")
        with self._entry(fingerprint) as entry:
            manifest = _read_manifest(fingerprint, entry)
            if request is None:
                request = request_from_manifest(fingerprint, manifest)
            files = manifest.get("files")
            if not isinstance(files, list):
                raise CorruptCacheError(fingerprint, f"{MANIFEST} lists no data files")
            entries = [item for item in files if _is_records_file(item)]
            if not entries:
                raise CorruptCacheError(fingerprint, f"{MANIFEST} lists no {RECORDS}")
            for item in files:  # every other file is checked too, never only the one read
                if not _is_records_file(item):
                    _verify_file(fingerprint, entry, item)
            data = _read_verified(fingerprint, entry, entries[0])
        try:
            records = loads_frozen(data, lists=may_hold_lists(request.normalized_schema))
        except (json.JSONDecodeError, UnicodeDecodeError) as error:
            raise CorruptCacheError(fingerprint, f"{RECORDS} is not JSON: {error}") from None
        expected = _table_rows(fingerprint, manifest)
        if not isinstance(records, list) or len(records) != expected:
            raise CorruptCacheError(
                fingerprint, f"{RECORDS} holds {_count(records)}, the manifest says {expected}"
            )
        if self.recheck and request.compliance:
            from synthdata_sdk.cache.recheck import recheck_compliance

            recheck_compliance(fingerprint, request, records)
        return Dataset(records, request, freeze(manifest))

    def entries(self) -> Iterator[CacheEntry]:
        """Every entry with a readable manifest, sorted by fingerprint (no sha256 check)."""
        for fingerprint in self.fingerprints():
            with contextlib.suppress(CorruptCacheError, DatasetNotCachedError):
                yield CacheEntry(
                    fingerprint, self.path_for(fingerprint), self.manifest(fingerprint)
                )

    def fingerprints(self) -> list[str]:
        """The fingerprints named in the store, sorted (links among them included)."""
        with self.open_folders(create=False, locks=False) as folders:
            if folders is None:
                return []
            return [name for name in folders[0].names() if is_fingerprint(name)]

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
        fingerprint (for example a corrupt one) is replaced, but never a link or a file in its
        place (CacheLocationError). ``compliance`` and ``quality`` are the summaries of the
        output's compliance scan and quality measure, kept in the manifest.
        """
        fingerprint = request.fingerprint()
        self.path_for(fingerprint)  # validates the name
        with self.open_folders(create=True) as folders:
            assert folders is not None  # created
            datasets, locks = folders
            assert locks is not None  # created
            name, writer = _take_writer_lock(locks, fingerprint)
            try:
                datasets.mkdir(name)
                try:
                    manifest = _write_entry(datasets, name, request, chunks, compliance, quality)
                    self._move_into_place(datasets, name, fingerprint)
                except BaseException:
                    with contextlib.suppress(CacheError):
                        datasets.remove_tree(name)
                    raise
            finally:
                writer.release()
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

    def _move_into_place(self, datasets: Folder, name: str, fingerprint: str) -> None:
        kind = datasets.kind(fingerprint)
        trash: str | None = None
        if kind is not None:
            if kind != Kind.FOLDER:
                raise CacheLocationError(
                    str(self.path_for(fingerprint)),
                    f"is {kind}, not an entry folder, so it is not replaced",
                    LINK_HINT,
                )
            trash = trash_name(fingerprint)
            with contextlib.suppress(FileNotFoundError):  # removed meanwhile: nothing to move
                datasets.rename(fingerprint, trash)
        try:
            datasets.rename(name, fingerprint)
        except OSError as error:
            if error.errno not in (errno.ENOTEMPTY, errno.EEXIST):
                raise
            # Another process put the same fingerprint in place meanwhile: keep its entry.
            datasets.remove_tree(name)
        datasets.fsync()
        if trash is not None:
            with contextlib.suppress(CacheError):
                datasets.remove_tree(trash)

    # ----------------------------------------------------------------------------------------
    # Housekeeping (see housekeeping.py)

    def remove(self, fingerprint: str) -> bool:
        """Delete one entry; False if there was none. A link in its place is left alone
        (CacheLocationError)."""
        from synthdata_sdk.cache.housekeeping import remove_entry

        self.path_for(fingerprint)  # validates the name
        with self.open_folders(create=False, locks=False) as folders:
            return folders is not None and remove_entry(folders[0], fingerprint)

    def prune(self, keep: Iterable[str], *, now: float | None = None) -> Removal:
        """Delete every entry whose fingerprint is not in ``keep``, and abandoned leftovers.

        Returns what was removed, swept and skipped (with why); ``now`` (a time.time() value)
        decides which leftovers are old enough.
        """
        from synthdata_sdk.cache.housekeeping import prune

        with self.open_folders(create=False) as folders:
            return prune(folders, keep, now=now)

    def clear(self) -> Removal:
        """Delete every entry (and abandoned leftovers); returns what was done."""
        return self.prune(())

    def lock(self, fingerprint: str, timeout: float = -1) -> EntryLock:
        """An inter-process lock held while one process generates ``fingerprint``."""
        self.path_for(fingerprint)  # validates the name
        return EntryLock(self.root, LOCKS, f"{fingerprint}.lock", timeout=timeout)


def _take_writer_lock(locks: Folder, fingerprint: str) -> tuple[str, WriterLock]:
    """A fresh temporary folder name and the lock its writer holds (taken before the folder
    exists, so that a sweep never sees the folder unlocked while it is written)."""
    while True:
        name = temp_name(fingerprint)
        with contextlib.suppress(FileExistsError):  # 48 random bits collided
            writer = WriterLock.take(locks, f"{name}.lock")
            if writer is not None:
                return name, writer


def _write_entry(
    datasets: Folder,
    name: str,
    request: DatasetRequest,
    chunks: Iterable[Chunk],
    compliance: dict[str, Any] | None,
    quality: dict[str, Any] | None,
) -> dict[str, Any]:
    temp = datasets.child(name)
    if temp is None:
        raise CacheLocationError(str(datasets.path / name), "vanished while it was written")
    with temp:
        counter = _Counter(chunks)
        with temp.create_file(RECORDS) as stream:
            write_stream(JsonWriter(), counter, stream)
            records = _synced_entry(stream, RECORDS, "json")
        manifest = build_manifest(
            request,
            rows=counter.rows,
            table=default_table_name(request),
            files=[records],
            compliance=compliance,
            quality=quality,
        )
        with temp.create_file(MANIFEST) as stream:
            # Not sort_keys: the order of "properties" is part of the fingerprint.
            text = json.dumps(manifest, indent=2, ensure_ascii=False) + "\n"
            stream.write(text.encode("utf-8"))
            _sync(stream)
        temp.fsync()
    return manifest


def _sync(stream: IO[bytes]) -> None:
    stream.flush()
    os.fsync(stream.fileno())


def _synced_entry(stream: IO[bytes], name: str, fmt: str) -> dict[str, Any]:
    """Sync a written file and return its manifest entry (read back for the digest)."""
    _sync(stream)
    stream.seek(0)
    digest = hashlib.sha256()
    while block := stream.read(_BLOCK):
        digest.update(block)
    return {
        "path": name,
        "format": fmt,
        "sha256": digest.hexdigest(),
        "size": os.fstat(stream.fileno()).st_size,
    }


def _write_gitignore(root: Folder) -> None:
    # Anything already there (a file, a link, a folder) is left alone: O_EXCL never follows.
    with contextlib.suppress(FileExistsError, CacheLocationError), root.create_file(GITIGNORE) as f:
        f.write(b"# synthdata's dataset cache: never commit it\n*\n")


@contextlib.contextmanager
def _open_in_entry(fingerprint: str, entry: Folder, name: str) -> Iterator[IO[bytes]]:
    """``name`` in the entry, open for reading: CorruptCacheError if missing or not a file."""
    try:
        stream = entry.open_file(name)
    except CacheLocationError as error:
        raise CorruptCacheError(fingerprint, f"{name} {error.problem}") from None
    if stream is None:
        raise CorruptCacheError(fingerprint, f"{name} is missing")
    with stream:
        yield stream


def _read_manifest(fingerprint: str, entry: Folder) -> dict[str, Any]:
    try:
        stream = entry.open_file(MANIFEST)
    except CacheLocationError as error:
        raise CorruptCacheError(fingerprint, f"{MANIFEST} {error.problem}") from None
    if stream is None:  # a folder without a manifest is an entry never finished
        raise DatasetNotCachedError(fingerprint, "?")
    try:
        with stream:
            text = stream.read()
    except OSError as error:
        raise CorruptCacheError(fingerprint, f"cannot read {MANIFEST}: {error}") from None
    try:
        manifest = json.loads(text)
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


def _file_name(fingerprint: str, item: Any) -> str:
    if not isinstance(item, Mapping) or not isinstance(item.get("path"), str):
        raise CorruptCacheError(fingerprint, f"{MANIFEST} has a malformed file entry")
    name: str = item["path"]
    if not name or Path(name).name != name or name in (".", ".."):
        raise CorruptCacheError(fingerprint, f"file entry {name!r} leaves the entry folder")
    return name


def _verify_file(fingerprint: str, entry: Folder, item: Any) -> None:
    name = _file_name(fingerprint, item)
    with _open_in_entry(fingerprint, entry, name) as stream:
        size = os.fstat(stream.fileno()).st_size
        if size != item.get("size"):
            raise CorruptCacheError(
                fingerprint, f"{name} has {size} bytes, the manifest says {item.get('size')}"
            )
        digest = hashlib.sha256()
        try:
            while block := stream.read(_BLOCK):
                digest.update(block)
        except OSError as error:
            raise CorruptCacheError(fingerprint, f"cannot read {name}: {error}") from None
    if digest.hexdigest() != item.get("sha256"):
        raise CorruptCacheError(fingerprint, f"{name} does not match its sha256")


def _read_verified(fingerprint: str, entry: Folder, item: Mapping[str, Any]) -> bytes:
    # One read serves both the digest and the parse.
    name = _file_name(fingerprint, item)
    with _open_in_entry(fingerprint, entry, name) as stream:
        try:
            data = stream.read()
        except OSError as error:
            raise CorruptCacheError(fingerprint, f"cannot read {name}: {error}") from None
    if len(data) != item.get("size"):
        raise CorruptCacheError(
            fingerprint, f"{name} has {len(data)} bytes, the manifest says {item.get('size')}"
        )
    if hashlib.sha256(data).hexdigest() != item.get("sha256"):
        raise CorruptCacheError(fingerprint, f"{name} does not match its sha256")
    return data


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
