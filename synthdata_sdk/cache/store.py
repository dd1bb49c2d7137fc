"""The local, content-addressed dataset store: one folder per request fingerprint.

Layout (the same as the shared S3 cache's ``<prefix>/datasets/<fingerprint>/``)::

    <root>/
      .gitignore                      # "*": a cache is never committed by accident
      datasets/<fingerprint>/
        manifest.json                 # fingerprint, request, rows, files with sha256 and size
        records.json                  # the records, one compact JSON array (or record parts
                                      # records-00000.json...: see entry_format.py)
      datasets/.partial-<fingerprint>/ # what a pull that stopped received (never an entry)
      locks/<fingerprint>.lock        # held while one process generates that dataset
      locks/.tmp-<...>.lock           # held while one process writes datasets/.tmp-<...>/

An entry is written into a temporary folder and renamed into place, so readers see a whole
entry or none. ``put`` (the store interface, ``tier.py``) is create-only and keeps an entry
already there; ``save`` replaces one, which is how the resolver repairs a corrupt entry.
``draft`` receives an entry file by file (a pull from a shared cache, ``draft.py``) through
the same temporary folder, checked against its manifest before it is moved into place.
Every read checks the manifest against the folder name and every file's size and sha256; a
mismatch raises ``CorruptCacheError`` and never returns data. Records of a request that named
compliance profiles are scanned again before they are served.

Only the root is reached through a link (it is the path the user named): every name inside
it is opened without following links (see ``folder.py``), so the store never reads, writes or
deletes outside its root. Housekeeping (prune, clear, sweeping leftovers) is in
``housekeeping.py``.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import stat
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from synthdata_sdk.cache.draft import EntryDraft
from synthdata_sdk.cache.entry_format import (
    MANIFEST,
    RECORDS,
    check_bytes,
    content,
    entry_manifest,
    file_name,
    load_entry,
    manifest_bytes,
    parse_manifest,
    record_files,
    request_from_manifest,
    stream_item,
    summaries,
    table_file_name,
    table_item,
    tables_manifest,
    write_records,
)
from synthdata_sdk.cache.folder import LINK_HINT, Folder, Kind, kind_of
from synthdata_sdk.cache.locks import EntryLock, WriterLock
from synthdata_sdk.cache.names import (
    is_fingerprint,
    partial_name,
    temp_name,
    trash_name,
)
from synthdata_sdk.dataset import Dataset
from synthdata_sdk.errors import (
    CacheError,
    CacheLocationError,
    CorruptCacheError,
    DatasetNotCachedError,
)
from synthdata_sdk.formats.base import Chunk
from synthdata_sdk.generation.request import DatasetRequest

if TYPE_CHECKING:
    from synthdata_sdk.cache.housekeeping import Removal

__all__ = [
    "MANIFEST",
    "RECORDS",
    "CacheEntry",
    "LocalStore",
    "is_fingerprint",
    "request_from_manifest",
]

DATASETS = "datasets"
LOCKS = "locks"
GITIGNORE = ".gitignore"
#: bytes read at a time when a file is only digested
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

    def manifest_data(self, fingerprint: str) -> bytes:
        """The entry's ``manifest.json`` as stored (a push uploads it byte for byte), checked to
        be a manifest of ``fingerprint``."""
        with self._entry(fingerprint) as entry:
            data = _read_manifest_bytes(fingerprint, entry)
        parse_manifest(fingerprint, data)
        return data

    def read_file(self, fingerprint: str, item: Mapping[str, Any]) -> bytes:
        """The bytes of the entry's file that manifest ``item`` lists, checked against the
        item's size and sha256 (CorruptCacheError otherwise)."""
        name = file_name(fingerprint, item)
        with self._entry(fingerprint) as entry:
            return check_bytes(fingerprint, item, _read_file(fingerprint, entry, name))

    def verify(self, fingerprint: str) -> dict[str, Any]:
        """Check every file's size and sha256 against the manifest; return the manifest."""
        with self._entry(fingerprint) as entry:
            manifest = _read_manifest(fingerprint, entry)
            files = manifest.get("files")
            if not isinstance(files, list) or not files:
                raise CorruptCacheError(fingerprint, f"{MANIFEST} lists no data files")
            for item in files:
                _verify_file(fingerprint, entry, item)
        record_files(fingerprint, manifest)  # the records are there, once each, in order
        request_from_manifest(fingerprint, manifest)
        return manifest

    def load(self, fingerprint: str, request: DatasetRequest | None = None) -> Dataset:
        """The verified dataset, with read-only records.

        ``request`` (when the caller has it) must have this fingerprint; without it the
        request is rebuilt from the manifest. When the request names compliance profiles the
        records are scanned under them again (``recheck``); a violation means the entry was
        rewritten after it was stored, and raises CorruptCacheError.
        """
        if request is not None and request.fingerprint() != fingerprint:
            raise CacheError("the request does not have the fingerprint asked for")
        with self._entry(fingerprint) as entry:
            manifest = _read_manifest(fingerprint, entry)
            return load_entry(
                fingerprint,
                manifest,
                request,
                lambda name: _read_file(fingerprint, entry, name),
                verify=lambda item: _verify_file(fingerprint, entry, item),
                recheck=self.recheck,
            )

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
        chunks: Iterable[Chunk] | Mapping[str, Iterable[Chunk]],
        *,
        compliance: dict[str, Any] | None = None,
        quality: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        """Stream ``chunks`` (a table set: chunks per table) into a new entry for ``request``
        and return its manifest.

        The entry appears all at once or not at all; an existing entry for the same
        fingerprint (for example a corrupt one) is replaced, but never a link or a file in its
        place (CacheLocationError). ``compliance`` and ``quality`` are the summaries of the
        output's compliance scan and quality measure, kept in the manifest.
        """
        manifest, _ = self._write(request, chunks, compliance, quality, replace=True)
        return manifest

    def save_dataset(self, dataset: Dataset) -> dict[str, Any]:
        """Store an in-memory dataset, replacing any entry there; returns the new manifest."""
        compliance, quality = summaries(dataset)
        return self.save(dataset.request, content(dataset), compliance=compliance, quality=quality)

    def put(self, dataset: Dataset) -> dict[str, Any]:
        """Store ``dataset`` unless its entry exists (create-only); returns the entry's manifest.

        An existing entry is kept and its manifest returned, so losing a race to another
        process is not an error; a corrupt one raises CorruptCacheError (``save`` replaces
        it). A folder without a manifest (an entry never finished) is replaced.
        """
        fingerprint = dataset.request.fingerprint()
        if self.contains(fingerprint):
            return self.manifest(fingerprint)
        compliance, quality = summaries(dataset)
        manifest, kept = self._write(
            dataset.request, content(dataset), compliance, quality, replace=False
        )
        return self.manifest(fingerprint) if kept else manifest

    def location(self, fingerprint: str) -> str:
        """Where the entry lives, for messages."""
        return str(self.path_for(fingerprint))

    @contextlib.contextmanager
    def draft(
        self, fingerprint: str, *, replace: bool = False, resume: bool = False
    ) -> Iterator[EntryDraft]:
        """An entry received file by file (a pull), moved into place once committed.

        The files go into a temporary folder of this store under its writer lock;
        ``draft.commit(manifest)`` checks them against the manifest, and when the block ends
        the folder is moved into place. An entry already there is kept (``draft.kept``)
        unless ``replace`` (a corrupt one being repaired). A draft not committed, or left by
        an error, is deleted: readers never see part of it.

        With ``resume`` the folder is the fingerprint's partial folder (``.partial-<fp>`` in
        ``datasets/``, held under its own lock): what an earlier pull received is there for
        ``draft.resume(name)`` to go on from, and a draft not committed is kept for the next
        pull. It is never an entry (not a fingerprint's name), and prune and clear delete it.
        """
        holder = self._partial(fingerprint) if resume else self._temporary(fingerprint)
        with holder as (datasets, name):
            temp = datasets.child(name)
            if temp is None:
                raise CacheLocationError(str(datasets.path / name), "vanished")
            draft = EntryDraft(
                fingerprint, temp, lambda item: _verify_file(fingerprint, temp, item)
            )
            try:
                with temp:
                    yield draft
            finally:
                # A partial folder is kept for the next pull only when it holds something.
                if draft.manifest is None and (
                    not resume or draft.abandoned or not _holds_bytes(datasets, name)
                ):
                    with contextlib.suppress(CacheError):
                        datasets.remove_tree(name)
            if draft.manifest is not None:
                draft.kept = self._move_into_place(datasets, name, fingerprint, replace=replace)

    @contextlib.contextmanager
    def _partial(self, fingerprint: str) -> Iterator[tuple[Folder, str]]:
        """``(datasets, name)``: the partial folder of ``fingerprint`` (made if absent, never a
        link), held under its lock so that one pull at a time writes it; kept when the block
        raises."""
        self.path_for(fingerprint)  # validates the name
        name = partial_name(fingerprint)
        with (
            EntryLock(self.root, LOCKS, f"{name}.lock"),
            self.open_folders(create=True) as folders,
        ):
            assert folders is not None  # created
            datasets = folders[0]
            made = datasets.child(name, create=True)
            assert made is not None  # created
            made.close()
            yield datasets, name

    def _write(
        self,
        request: DatasetRequest,
        chunks: Iterable[Chunk] | Mapping[str, Iterable[Chunk]],
        compliance: dict[str, Any] | None,
        quality: dict[str, Any] | None,
        *,
        replace: bool,
    ) -> tuple[dict[str, Any], bool]:
        """Write an entry into a temporary folder and move it into place; returns its
        manifest and whether an entry already there was kept instead."""
        fingerprint = request.fingerprint()
        with self._temporary(fingerprint) as (datasets, name):
            manifest = _write_entry(datasets, name, request, chunks, compliance, quality)
            kept = self._move_into_place(datasets, name, fingerprint, replace=replace)
        return manifest, kept

    @contextlib.contextmanager
    def _temporary(self, fingerprint: str) -> Iterator[tuple[Folder, str]]:
        """``(datasets, name)``: a new temporary folder ``name`` in ``datasets`` for an entry of
        ``fingerprint``, held under its writer lock; deleted if the block raises."""
        self.path_for(fingerprint)  # validates the name
        with self.open_folders(create=True) as folders:
            assert folders is not None  # created
            datasets, locks = folders
            assert locks is not None  # created
            name, writer = _take_writer_lock(locks, fingerprint)
            try:
                datasets.mkdir(name)
                try:
                    yield datasets, name
                except BaseException:
                    with contextlib.suppress(CacheError):
                        datasets.remove_tree(name)
                    raise
            finally:
                writer.release()

    def _move_into_place(
        self, datasets: Folder, name: str, fingerprint: str, *, replace: bool
    ) -> bool:
        """Rename the written folder to ``fingerprint``; True if an entry there was kept.

        ``replace`` moves any entry there aside first; without it only a folder without a
        manifest (never finished) is moved aside, and a complete entry is kept.
        """
        kind = datasets.kind(fingerprint)
        trash: str | None = None
        if kind is not None:
            if kind != Kind.FOLDER:
                raise CacheLocationError(
                    str(self.path_for(fingerprint)),
                    f"is {kind}, not an entry folder, so it is not replaced",
                    LINK_HINT,
                )
            if replace or not self.contains(fingerprint):
                trash = trash_name(fingerprint)
                with contextlib.suppress(FileNotFoundError):  # removed meanwhile: nothing to move
                    datasets.rename(fingerprint, trash)
        kept = False
        try:
            datasets.rename(name, fingerprint)
        except OSError as error:
            if error.errno not in (errno.ENOTEMPTY, errno.EEXIST):
                raise
            # Another process put the same fingerprint in place meanwhile: keep its entry.
            datasets.remove_tree(name)
            kept = True
        datasets.fsync()
        if trash is not None:
            with contextlib.suppress(CacheError):
                datasets.remove_tree(trash)
        return kept

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
    chunks: Iterable[Chunk] | Mapping[str, Iterable[Chunk]],
    compliance: dict[str, Any] | None,
    quality: dict[str, Any] | None,
) -> dict[str, Any]:
    temp = datasets.child(name)
    if temp is None:
        raise CacheLocationError(str(datasets.path / name), "vanished while it was written")
    with temp:
        if isinstance(chunks, Mapping):
            manifest = _write_tables(temp, request, chunks, compliance, quality)
        else:
            with temp.create_file(RECORDS) as stream:
                rows = write_records(chunks, stream)
                _sync(stream)
                records = stream_item(RECORDS, stream)
            manifest = entry_manifest(
                request, [records], rows=rows, compliance=compliance, quality=quality
            )
        with temp.create_file(MANIFEST) as stream:
            stream.write(manifest_bytes(manifest))
            _sync(stream)
        temp.fsync()
    return manifest


def _holds_bytes(datasets: Folder, name: str) -> bool:
    """Whether the folder ``name`` holds a file that is not empty (links are not looked into)."""
    with contextlib.suppress(CacheError):
        folder = datasets.child(name)
        if folder is None:
            return False
        with folder:
            for child in folder.names():
                found = folder.lstat(child)
                if found is not None and stat.S_ISREG(found.st_mode) and found.st_size > 0:
                    return True
    return False


def _write_tables(
    temp: Folder,
    request: DatasetRequest,
    tables: Mapping[str, Iterable[Chunk]],
    compliance: dict[str, Any] | None,
    quality: dict[str, Any] | None,
) -> dict[str, Any]:
    """A table set's files, ``table-<name>.json`` each, and the manifest listing them."""
    items = []
    for name, chunks in tables.items():
        file = table_file_name(name)
        with temp.create_file(file) as stream:
            rows = write_records(chunks, stream)
            _sync(stream)
            items.append(table_item(name, stream_item(file, stream), rows))
    return tables_manifest(request, items, compliance=compliance, quality=quality)


def _sync(stream: IO[bytes]) -> None:
    stream.flush()
    os.fsync(stream.fileno())


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
    return parse_manifest(fingerprint, _read_manifest_bytes(fingerprint, entry))


def _read_manifest_bytes(fingerprint: str, entry: Folder) -> bytes:
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
    return text


def _verify_file(fingerprint: str, entry: Folder, item: Any) -> None:
    """Check one file's size and sha256, streamed (it is not parsed)."""
    name = file_name(fingerprint, item)
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


def _read_file(fingerprint: str, entry: Folder, name: str) -> bytes:
    """The bytes of ``name`` in the entry (the caller verifies them)."""
    with _open_in_entry(fingerprint, entry, name) as stream:
        try:
            return stream.read()
        except OSError as error:
            raise CorruptCacheError(fingerprint, f"cannot read {name}: {error}") from None
