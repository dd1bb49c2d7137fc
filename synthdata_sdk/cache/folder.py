"""A folder of the cache, used so that nothing inside the cache is reached through a link.

Every name is opened relative to an open directory descriptor with ``O_NOFOLLOW``, so a
symbolic link inside the cache (a ``datasets`` folder pointing elsewhere, a linked entry
folder, a linked ``.gitignore``) is seen as a link: never entered, read, written or deleted
through. Only the cache root, the path the user named, is followed. Where the platform has no
directory descriptors (Windows), each name is checked with ``lstat`` just before it is used.

Failures of the file system become ``CacheLocationError`` naming the path; a missing name is
not an error (the methods return None or False), so callers decide what absence means.
"""

from __future__ import annotations

import errno
import os
import shutil
import stat
import sys
from enum import StrEnum
from pathlib import Path
from types import TracebackType
from typing import IO, Any

from synthdata_sdk.errors import CacheLocationError

_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)
_DIRECTORY = getattr(os, "O_DIRECTORY", 0)
_BINARY = getattr(os, "O_BINARY", 0)

#: Folders are held as descriptors where the platform allows it (POSIX), else as checked paths.
DIR_FDS = bool(
    os.open in os.supports_dir_fd
    and os.stat in os.supports_dir_fd
    and _DIRECTORY
    and _NOFOLLOW
    and shutil.rmtree.avoids_symlink_attacks
)

LINK_HINT = (
    "synthdata never follows a symbolic link inside its cache folder; remove the link, or point "
    "the cache folder at its target"
)
CHOOSE_HINT = (
    "choose another cache folder (--cache-dir, --synthdata-cache-dir or $SYNTHDATA_CACHE_DIR)"
)
READ_HINT = "make it readable or " + CHOOSE_HINT
WRITE_HINT = (
    "make it writable or choose another cache folder (--cache-dir, --synthdata-cache-dir or "
    "$SYNTHDATA_CACHE_DIR); a read-only cache serves what it holds but cannot record datasets"
)


class Kind(StrEnum):
    """What a name in a folder is, without following it."""

    FOLDER = "a folder"
    FILE = "a file"
    LINK = "a symbolic link"
    OTHER = "a special file"


def kind_of(mode: int) -> Kind:
    """The kind of an ``lstat`` mode."""
    if stat.S_ISLNK(mode):
        return Kind.LINK
    if stat.S_ISDIR(mode):
        return Kind.FOLDER
    if stat.S_ISREG(mode):
        return Kind.FILE
    return Kind.OTHER


class Folder:
    """An open folder whose names are used without following links; close it when done."""

    def __init__(self, path: Path, fd: int | None) -> None:
        self.path = path
        self._fd = fd

    def __repr__(self) -> str:
        return f"Folder({str(self.path)!r})"

    def __enter__(self) -> Folder:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """Release the descriptor (if any)."""
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None

    # ----------------------------------------------------------------------------------------
    # Opening

    @classmethod
    def open_root(cls, path: Path, *, create: bool) -> Folder | None:
        """The cache root (a link here is followed: the user named it); None if absent."""
        if create:
            try:
                path.mkdir(parents=True, exist_ok=True)
            except FileExistsError:
                pass  # a file or a dangling link: the open below says which
            except OSError as error:
                raise _problem(path, error, "cannot be created") from None
        try:
            fd = _open_root(path)
        except FileNotFoundError:
            if create:  # made above, so only a link to nowhere can be missing now
                raise _dangling(path) from None
            return None
        except NotADirectoryError:
            raise _not_a_folder(path) from None
        except OSError as error:
            raise _problem(path, error, "cannot be read") from None
        return cls(path, fd)

    def child(self, name: str, *, create: bool = False) -> Folder | None:
        """The sub-folder ``name``: None if absent (unless ``create``); never a link."""
        path = self.path / name
        for _ in range(3):  # another process may remove what we just created
            opened = self._open_child(name, path)
            if opened is not None or not create:
                return opened
            try:
                self._call(os.mkdir, name)
            except FileExistsError:
                continue
            except OSError as error:
                raise _problem(path, error, "cannot be created") from None
        raise CacheLocationError(str(path), "keeps disappearing while it is created")

    def _open_child(self, name: str, path: Path) -> Folder | None:
        if self._fd is None:
            return Folder(path, None) if self._check(name, Kind.FOLDER) else None
        try:
            fd = os.open(name, os.O_RDONLY | _DIRECTORY | _NOFOLLOW | _CLOEXEC, dir_fd=self._fd)
        except FileNotFoundError:
            return None
        except OSError as error:
            raise self._failure(name, error, Kind.FOLDER, "cannot be opened") from None
        return Folder(path, fd)

    # ----------------------------------------------------------------------------------------
    # Looking

    def lstat(self, name: str) -> os.stat_result | None:
        """``lstat`` of ``name`` (a link is described, not followed); None if absent."""
        try:
            if self._fd is None:
                return os.lstat(self.path / name)
            return os.stat(name, dir_fd=self._fd, follow_symlinks=False)
        except FileNotFoundError:
            return None
        except OSError as error:
            raise _problem(self.path / name, error, "cannot be read") from None

    def kind(self, name: str) -> Kind | None:
        """What ``name`` is, or None if absent."""
        found = self.lstat(name)
        return None if found is None else kind_of(found.st_mode)

    def names(self) -> list[str]:
        """The names in this folder, sorted."""
        try:
            if self._fd is None:
                return sorted(path.name for path in self.path.iterdir())
            return sorted(os.listdir(self._fd))  # noqa: PTH208 - a descriptor, not a path
        except OSError as error:
            raise _problem(self.path, error, "cannot be listed") from None

    # ----------------------------------------------------------------------------------------
    # Files

    def open_file(self, name: str) -> IO[bytes] | None:
        """``name`` open for reading; None if absent; CacheLocationError unless a regular file."""
        if self._fd is None:
            self._check(name, Kind.FILE)
        # O_NONBLOCK: opening a FIFO must not wait for a writer; it is refused just below.
        flags = os.O_RDONLY | _NOFOLLOW | _NONBLOCK | _CLOEXEC | _BINARY
        try:
            fd = self._call(os.open, name, flags)
        except FileNotFoundError:
            return None
        except OSError as error:
            raise self._failure(name, error, Kind.FILE, "cannot be read") from None
        return os.fdopen(_regular(fd, self.path / name), "rb")

    def create_file(self, name: str) -> IO[bytes]:
        """A new regular file ``name``, open for reading and writing.

        FileExistsError if anything (a link included) is already there: nothing is replaced.
        """
        flags = os.O_RDWR | os.O_CREAT | os.O_EXCL | _NOFOLLOW | _CLOEXEC | _BINARY
        try:
            # 0o666 lets the umask decide, as a plain open() would.
            fd = self._call(os.open, name, flags, 0o666)
        except FileExistsError:
            raise
        except OSError as error:
            raise _problem(self.path / name, error, "cannot be written") from None
        return os.fdopen(fd, "w+b")

    def open_descriptor(self, name: str, *, create: bool, exclusive: bool = False) -> int | None:
        """A read-write descriptor on the regular file ``name`` (for locks); None if absent.

        ``exclusive`` (with ``create``) raises FileExistsError when ``name`` exists.
        """
        path = self.path / name
        flags = os.O_RDWR | _NOFOLLOW | _CLOEXEC | _BINARY
        if create:
            flags |= os.O_CREAT | (os.O_EXCL if exclusive else 0)
        try:
            fd: int = self._call(os.open, name, flags, 0o666)
        except FileNotFoundError:
            if create:  # the folder itself was removed meanwhile
                raise CacheLocationError(str(path), "vanished while it was created") from None
            return None
        except FileExistsError:
            raise
        except OSError as error:
            doing = "cannot be written" if create else "cannot be opened"
            raise self._failure(name, error, Kind.FILE, doing) from None
        return _regular(fd, path)

    # ----------------------------------------------------------------------------------------
    # Changing

    def mkdir(self, name: str) -> None:
        """Create the folder ``name``; FileExistsError if anything is there."""
        try:
            self._call(os.mkdir, name)
        except FileExistsError:
            raise
        except OSError as error:
            raise _problem(self.path / name, error, "cannot be created") from None

    def rename(self, name: str, new_name: str) -> None:
        """Rename ``name`` to ``new_name`` in this folder (a link is renamed, not followed).

        FileNotFoundError if ``name`` is gone; OSError (ENOTEMPTY, EEXIST) if ``new_name`` is a
        folder that is not empty.
        """
        try:
            if self._fd is None:
                (self.path / name).rename(self.path / new_name)
            else:
                os.rename(name, new_name, src_dir_fd=self._fd, dst_dir_fd=self._fd)
        except (FileNotFoundError, FileExistsError):
            raise
        except OSError as error:
            if error.errno == errno.ENOTEMPTY:
                raise
            raise _problem(self.path / name, error, "cannot be renamed") from None

    def remove_tree(self, name: str) -> bool:
        """Delete the folder ``name`` and everything in it, never following a link.

        False if it is absent; CacheLocationError if it is not a folder (a link is left alone,
        and so is its target).
        """
        if not self._check(name, Kind.FOLDER):
            return False
        path = self.path / name

        def failed(error: BaseException) -> None:
            if isinstance(error, FileNotFoundError):  # removed by another process meanwhile
                return
            if isinstance(error, OSError):
                raise _problem(path, error, "cannot be deleted") from None
            raise error

        where: dict[str, Any] = {} if self._fd is None else {"dir_fd": self._fd}
        target = path if self._fd is None else name
        if sys.version_info >= (3, 12):
            shutil.rmtree(target, onexc=lambda f, p, error: failed(error), **where)
        else:
            shutil.rmtree(target, onerror=lambda f, p, info: failed(info[1]), **where)
        return True

    def unlink(self, name: str) -> bool:
        """Delete the file or link ``name`` (never what a link points to); False if absent."""
        try:
            self._call(os.unlink, name)
        except FileNotFoundError:
            return False
        except OSError as error:
            raise _problem(self.path / name, error, "cannot be deleted") from None
        return True

    def fsync(self) -> None:
        """Make renames and creations in this folder durable (POSIX only)."""
        if self._fd is not None:
            try:
                os.fsync(self._fd)
            except OSError as error:
                if error.errno not in (errno.EINVAL, errno.EBADF):  # not supported here
                    raise _problem(self.path, error, "cannot be synced") from None

    def _check(self, name: str, expected: Kind) -> bool:
        """Whether ``name`` is there; CacheLocationError if it is there as another kind."""
        found = self.kind(name)
        if found is not None and found != expected:
            raise _wrong_kind(self.path / name, found, expected)
        return found is not None

    def _failure(self, name: str, error: OSError, expected: Kind, doing: str) -> CacheLocationError:
        """Why opening ``name`` as ``expected`` failed: it is another kind, or ``error``."""
        found = self.kind(name)
        if found is not None and found != expected:
            return _wrong_kind(self.path / name, found, expected)
        return _problem(self.path / name, error, doing)

    def _call(self, function: Any, name: str, *args: Any) -> Any:
        if self._fd is None:
            found = self.lstat(name)
            if found is not None and stat.S_ISLNK(found.st_mode):
                raise _wrong_kind(self.path / name, Kind.LINK, "a file or folder")
            return function(self.path / name, *args)
        return function(name, *args, dir_fd=self._fd)


def _open_root(path: Path) -> int | None:
    """A descriptor on the folder ``path``, following a link; None (once the folder is checked)
    where folders are held as paths. Raises what ``os.open`` raises."""
    if DIR_FDS:
        return os.open(path, os.O_RDONLY | _DIRECTORY | _CLOEXEC)
    if not stat.S_ISDIR(path.stat().st_mode):
        raise NotADirectoryError(errno.ENOTDIR, os.strerror(errno.ENOTDIR), str(path))
    return None


def _regular(fd: int, path: Path) -> int:
    """``fd``, if it is open on a regular file; else it is closed and CacheLocationError raised."""
    mode = os.fstat(fd).st_mode
    if not stat.S_ISREG(mode):
        os.close(fd)
        raise _wrong_kind(path, kind_of(mode), Kind.FILE)
    return fd


def _wrong_kind(path: Path, kind: Kind, expected: str) -> CacheLocationError:
    if kind == Kind.LINK:
        return CacheLocationError(str(path), f"is {kind}, not {expected}", LINK_HINT)
    return CacheLocationError(str(path), f"is {kind}, not {expected}")


def _dangling(path: Path) -> CacheLocationError:
    return CacheLocationError(
        str(path),
        "is a symbolic link to a folder that does not exist",
        "create that folder, or " + CHOOSE_HINT,
    )


def _not_a_folder(path: Path) -> CacheLocationError:
    """The root, or one of the folders above it, is not a folder."""
    for candidate in (path, *path.parents):
        try:
            found = candidate.stat()
        except OSError:
            continue
        if not stat.S_ISDIR(found.st_mode):
            where = "" if candidate == path else f" (its parent {candidate} is not a folder)"
            what = kind_of(found.st_mode) if candidate == path else "inside a file"
            return CacheLocationError(str(path), f"is {what}, not a folder{where}", CHOOSE_HINT)
        break
    return CacheLocationError(str(path), "is not a folder", CHOOSE_HINT)


def _problem(path: Path, error: OSError, doing: str) -> CacheLocationError:
    reason = error.strerror or str(error)
    if error.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        hint = READ_HINT if doing in ("cannot be read", "cannot be opened") else WRITE_HINT
        return CacheLocationError(str(path), f"{doing}: {reason}", hint)
    if error.errno in (errno.ENOTDIR, errno.EEXIST) and doing == "cannot be created":
        return _not_a_folder(path)
    if error.errno == errno.ELOOP:
        return CacheLocationError(str(path), f"{doing}: {reason}", LINK_HINT)
    return CacheLocationError(str(path), f"{doing}: {reason}", CHOOSE_HINT)
