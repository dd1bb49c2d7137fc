"""An entry assembled file by file (a pull from a shared cache), invisible until it is whole.

``LocalStore.draft`` gives one: its files are written into a temporary folder of the store,
under the store's writer lock and never through a link. ``commit`` checks the manifest and
every file against it (size and sha256) before the manifest is written, and only then does the
store move the folder into place; a draft left without a commit is deleted. So a reader never
sees a partial entry, whatever the bytes that arrived.

A draft of the fingerprint's partial folder (``LocalStore.draft(resume=True)``) outlives a
pull that broke off: ``resume`` hands each file back with the bytes already received, so the
next pull asks only for the rest, and ``commit`` checks them as it checks any.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator, Mapping
from typing import IO, Any

from synthdata_sdk.cache.entry_format import (
    MANIFEST,
    file_name,
    listed_files,
    parse_manifest,
    record_files,
    request_from_manifest,
)
from synthdata_sdk.cache.folder import Folder, Kind
from synthdata_sdk.errors import CacheError, CorruptCacheError


class EntryDraft:
    """The files of one entry being received; ``commit`` makes it complete.

    ``verify(item)`` checks one written file against its manifest item (the store reads it
    back from disk, without following links).
    """

    def __init__(
        self, fingerprint: str, folder: Folder, verify: Callable[[Mapping[str, Any]], None]
    ) -> None:
        self.fingerprint = fingerprint
        self._folder = folder
        self._verify = verify
        self._written: list[str] = []
        self.manifest: dict[str, Any] | None = None
        #: set by the store after the commit: an entry already in place was kept instead
        self.kept = False
        #: set by ``abandon``: a partial folder is deleted, not kept for the next pull
        self.abandoned = False

    @contextlib.contextmanager
    def create(self, name: str) -> Iterator[IO[bytes]]:
        """A new data file ``name`` open for writing (and truncating), synced when the block
        ends; CacheError for a name that is not a plain data file name or was written before."""
        name = self._claim(name)
        try:
            stream = self._folder.create_file(name)
        except FileExistsError:  # only this draft writes its folder
            self._written.remove(name)
            raise CacheError(f"{name} of {self.fingerprint[:12]} is written twice") from None
        with stream:
            yield stream
            stream.flush()
            os.fsync(stream.fileno())

    @contextlib.contextmanager
    def resume(self, name: str) -> Iterator[tuple[IO[bytes], int]]:
        """Data file ``name`` open for writing at its end, and its size: what an earlier pull
        received of it (0 for a new file); synced when the block ends. For a draft of a partial
        folder (``LocalStore.draft(resume=True)``)."""
        name = self._claim(name)
        fd = self._folder.open_descriptor(name, create=True)
        assert fd is not None  # created
        with os.fdopen(fd, "r+b") as stream:
            size = stream.seek(0, os.SEEK_END)
            yield stream, size
            stream.flush()
            os.fsync(stream.fileno())

    def discard(self, name: str) -> None:
        """Delete data file ``name`` (a partial download that does not verify)."""
        name = _data_name(self.fingerprint, name)
        self._folder.unlink(name)
        if name in self._written:
            self._written.remove(name)

    def abandon(self) -> None:
        """Have the store delete the folder when the draft ends uncommitted, even a partial
        folder (what arrived is of no use to the next pull: the entry is corrupt, or gone)."""
        self.abandoned = True

    def check(self, item: Mapping[str, Any]) -> None:
        """CorruptCacheError unless the file ``item`` names has its size and sha256."""
        self._verify(item)

    def _claim(self, name: str) -> str:
        if self.manifest is not None:
            raise CacheError(f"the draft of {self.fingerprint[:12]} is already committed")
        name = _data_name(self.fingerprint, name)
        if name in self._written:
            raise CacheError(f"{name} of {self.fingerprint[:12]} is written twice")
        self._written.append(name)
        return name

    def commit(self, manifest_data: bytes) -> dict[str, Any]:
        """Check ``manifest_data`` and every written file against it, then write it; returns
        the manifest. CorruptCacheError (nothing is kept) when the manifest is not one of this
        fingerprint, or the files are not exactly the ones it lists with their sizes and
        sha256."""
        fingerprint = self.fingerprint
        manifest = parse_manifest(fingerprint, manifest_data)
        names = [file_name(fingerprint, item) for item in listed_files(fingerprint, manifest)]
        if MANIFEST in names or len(set(names)) != len(names):
            raise CorruptCacheError(fingerprint, f"{MANIFEST} lists a file twice, or itself")
        record_files(fingerprint, manifest)  # the records are there, once each, in order
        request_from_manifest(fingerprint, manifest)
        missing = sorted(set(names) - set(self._written))
        extra = sorted(set(self._written) - set(names))
        if missing or extra:
            problems = [f"{', '.join(missing)} not received"] if missing else []
            problems += [f"{', '.join(extra)} not listed"] if extra else []
            raise CorruptCacheError(fingerprint, f"{MANIFEST} disagrees: {'; '.join(problems)}")
        for item in manifest["files"]:
            self._verify(item)
        # A partial folder may hold files an earlier pull received for another manifest.
        for leftover in sorted(set(self._folder.names()) - set(names)):
            if self._folder.kind(leftover) == Kind.FOLDER:
                self._folder.remove_tree(leftover)
            else:
                self._folder.unlink(leftover)
        with self._folder.create_file(MANIFEST) as stream:
            stream.write(manifest_data)
            stream.flush()
            os.fsync(stream.fileno())
        self._folder.fsync()
        self.manifest = manifest
        return manifest


def _data_name(fingerprint: str, name: str) -> str:
    """``name`` if it can be a data file of an entry (not the manifest); CacheError otherwise."""
    try:
        file_name(fingerprint, {"path": name})
    except CorruptCacheError as error:
        raise CacheError(error.reason) from None
    if name == MANIFEST:
        raise CacheError(f"{MANIFEST} is written by commit, not as a data file")
    return name
