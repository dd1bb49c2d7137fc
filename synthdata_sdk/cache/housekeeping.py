"""Deleting from the local store: entries (prune, clear, remove) and abandoned leftovers,
among them what pulls that broke off left of the entries not kept.

Nothing is deleted through a link: a link in place of an entry is skipped and reported (the
link and what it points to stay), and folders are deleted relative to the store's own open
folders (``folder.py``). A temporary folder is deleted only when its writer is provably gone
(``locks.probe_writer``): a run writing an entry while another process prunes finishes
normally.
"""

from __future__ import annotations

import math
import os
import stat
import time
from collections.abc import Iterable
from dataclasses import dataclass, field

from synthdata_sdk.cache.folder import Folder, Kind, kind_of
from synthdata_sdk.cache.locks import probe_writer
from synthdata_sdk.cache.names import (
    PARTIAL_PREFIX,
    TEMP_PREFIX,
    TRASH_PREFIX,
    is_fingerprint,
    trash_name,
)
from synthdata_sdk.errors import CacheLocationError

#: A temporary folder without a writer lock (left by an older synthdata, or on a platform
#: without file locks) is deleted only once it is this old, in seconds.
STALE_AFTER = 24 * 3600.0
_LOCK_SUFFIX = ".lock"


@dataclass(frozen=True)
class Skipped:
    """A name in ``datasets/`` left in place, and why."""

    name: str
    reason: str

    @property
    def is_entry(self) -> bool:
        """Whether it is named like an entry (not a temporary folder)."""

        return is_fingerprint(self.name)


@dataclass
class Removal:
    """What a prune or clear did: entries removed, leftovers swept, names skipped."""

    removed: list[str] = field(default_factory=list)
    swept: list[str] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)

    @property
    def entries_left(self) -> list[Skipped]:
        """Entries that should have gone but were left in place (links, special files)."""
        return [item for item in self.skipped if item.is_entry]

    @property
    def in_progress(self) -> list[Skipped]:
        """Temporary folders left in place, most often because a writer is still at work."""
        return [item for item in self.skipped if not item.is_entry]


def prune(
    folders: tuple[Folder, Folder | None] | None, keep: Iterable[str], *, now: float | None = None
) -> Removal:
    """Delete the entries not in ``keep`` from a store's open ``(datasets, locks)`` folders
    (``LocalStore.open_folders``; None: there is no store), then sweep abandoned leftovers."""
    kept = set(keep)
    result = Removal()
    if folders is None:
        return result
    datasets, locks = folders
    for name in datasets.names():
        if not is_fingerprint(name) or name in kept:
            continue
        kind = datasets.kind(name)
        if kind is not None and kind != Kind.FOLDER:
            result.skipped.append(Skipped(name, _not_a_folder(kind)))
        elif remove_entry(datasets, name):
            result.removed.append(name)
    _remove_partials(datasets, locks, kept, result)
    sweep(datasets, locks, result, time.time() if now is None else now)
    return result


def _remove_partials(
    datasets: Folder, locks: Folder | None, kept: set[str], result: Removal
) -> None:
    """Delete what pulls that broke off left (``.partial-<fp>``) for fingerprints not kept,
    unless a pull is going on from it now."""
    for name in datasets.names():
        if not name.startswith(PARTIAL_PREFIX) or name.removeprefix(PARTIAL_PREFIX) in kept:
            continue
        if _folder_stat(datasets, name, result) is None:
            continue
        # No lock file means no pull ever held it: no age limit to wait for.
        state = probe_writer(locks, name + _LOCK_SUFFIX, math.inf, STALE_AFTER)
        try:
            if not state.abandoned:
                result.skipped.append(Skipped(name, state.reason))
            elif datasets.remove_tree(name):
                result.swept.append(name)
        finally:
            state.close()


def remove_entry(datasets: Folder, fingerprint: str) -> bool:
    """Delete one entry folder (renamed away first, so readers never see half of it)."""

    kind = datasets.kind(fingerprint)
    if kind is None:
        return False
    if kind != Kind.FOLDER:
        raise CacheLocationError(str(datasets.path / fingerprint), _not_a_folder(kind))
    trash = trash_name(fingerprint)
    try:
        datasets.rename(fingerprint, trash)
    except FileNotFoundError:  # removed by another process meanwhile
        return False
    datasets.remove_tree(trash)
    return True


def sweep(datasets: Folder, locks: Folder | None, result: Removal, now: float) -> None:
    """Delete abandoned temporary and trash folders, and writer locks nobody holds."""

    for name in datasets.names():
        if not name.startswith((TEMP_PREFIX, TRASH_PREFIX)):
            continue
        found = _folder_stat(datasets, name, result)
        if found is None:
            continue
        if name.startswith(TRASH_PREFIX):
            # An entry renamed away is deleted by the process that renamed it; whoever gets
            # there first does it, and the other finds nothing left.
            if datasets.remove_tree(name):
                result.swept.append(name)
            continue
        state = probe_writer(locks, name + _LOCK_SUFFIX, now - found.st_mtime, STALE_AFTER)
        try:
            if not state.abandoned:
                result.skipped.append(Skipped(name, state.reason))
                continue
            if datasets.remove_tree(name):
                result.swept.append(name)
            if locks is not None and state.fd is not None:
                locks.unlink(name + _LOCK_SUFFIX)
        finally:
            state.close()
    if locks is not None:
        _sweep_lonely_locks(datasets, locks, now)


def _sweep_lonely_locks(datasets: Folder, locks: Folder, now: float) -> None:
    """Delete writer locks whose folder is gone and whose writer is gone too (a writer killed
    between creating its lock and its folder, or after renaming the folder)."""

    for name in locks.names():
        if not (name.startswith(TEMP_PREFIX) and name.endswith(_LOCK_SUFFIX)):
            continue
        if datasets.lstat(name.removesuffix(_LOCK_SUFFIX)) is not None:
            continue  # its folder was judged above
        found = locks.lstat(name)
        if found is None or not stat.S_ISREG(found.st_mode):
            continue
        state = probe_writer(locks, name, now - found.st_mtime, STALE_AFTER)
        try:
            if state.abandoned and state.fd is not None:
                locks.unlink(name)
        finally:
            state.close()


def _folder_stat(datasets: Folder, name: str, result: Removal) -> os.stat_result | None:
    """``lstat`` of the leftover folder ``name``; None when it is gone, or is not a folder
    (then it is reported skipped and left alone)."""
    found = datasets.lstat(name)
    if found is not None and not stat.S_ISDIR(found.st_mode):
        result.skipped.append(Skipped(name, _not_a_folder(kind_of(found.st_mode))))
        return None
    return found


def _not_a_folder(kind: Kind) -> str:
    if kind == Kind.LINK:
        return "is a symbolic link, not an entry folder: left alone, and so is what it points to"
    return f"is {kind}, not an entry folder: left alone"
