"""Inter-process locks in the cache's ``locks/`` folder.

Two kinds, both exclusive ``flock`` locks on files opened without following links:

- ``EntryLock`` (``locks/<fingerprint>.lock``) is held while one process generates a dataset,
  so concurrent processes (pytest-xdist workers) generate it once;
- ``WriterLock`` (``locks/.tmp-<...>.lock``) is held by the process writing the temporary
  folder of the same name. The file is created before the folder and removed after it is
  renamed into place, and the kernel drops the lock when its process dies, so a sweep can
  tell a folder being written (lock held) from one a killed writer left (lock free).

A ``flock`` lock belongs to an open file, not to a process, so two threads of one process
exclude each other as two processes do. Where ``fcntl`` is missing (Windows) the entry lock
falls back to the ``filelock`` library and writer locks cannot be proven free: the sweep then
judges temporary folders by their age only.
"""

from __future__ import annotations

import contextlib
import errno
import os
import socket
import time
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any

from synthdata_sdk.cache.folder import Folder
from synthdata_sdk.errors import CacheBusyError, CacheError

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

#: how often a lock with a timeout is tried again
POLL_SECONDS = 0.05
_BUSY = (errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK)


def _try_flock(fd: int) -> bool | None:
    """Take the lock without waiting: True if taken, False if held elsewhere, None if the
    file system has no locks."""
    if fcntl is None:  # pragma: no cover - Windows
        return None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError as error:
        if error.errno in _BUSY:
            return False
        return None  # ENOLCK, EOPNOTSUPP...: no locks on this file system
    return True


class EntryLock:
    """The lock held while a process generates the dataset named ``name`` (blocking by default).

    Use it as a context manager; ``timeout`` (seconds, -1 for none) raises CacheBusyError.
    """

    def __init__(self, root: Path, folder_name: str, name: str, timeout: float = -1) -> None:
        self.root = root
        self.folder_name = folder_name
        self.name = name
        self.timeout = timeout
        self._fd: int | None = None
        self._fallback: Any = None

    @property
    def path(self) -> Path:
        """The lock file."""
        return self.root / self.folder_name / self.name

    @property
    def is_locked(self) -> bool:
        """Whether this object holds the lock."""
        return self._fd is not None or self._fallback is not None

    def acquire(self, timeout: float | None = None) -> EntryLock:
        """Wait for the lock (at most ``timeout`` seconds, -1 for ever)."""
        wait = self.timeout if timeout is None else timeout
        if self.is_locked:
            return self
        fd = _open_in(self.root, self.folder_name, self.name)
        if fcntl is None:  # pragma: no cover - Windows
            os.close(fd)
            self._acquire_fallback(wait)
            return self
        try:
            self._wait(fd, wait)
        except BaseException:
            os.close(fd)
            raise
        self._fd = fd
        return self

    def _wait(self, fd: int, wait: float) -> None:
        if wait < 0:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX)
            except OSError as error:
                if error.errno in _BUSY:  # pragma: no cover - blocking locks do not say busy
                    raise
                return  # no locks on this file system: go on unlocked, as before locks existed
            return
        deadline = time.monotonic() + wait
        while _try_flock(fd) is False:
            if time.monotonic() >= deadline:
                raise CacheBusyError(f"{self.path} is held by another process")
            time.sleep(POLL_SECONDS)

    def _acquire_fallback(self, wait: float) -> None:  # pragma: no cover - Windows
        import filelock

        lock = filelock.FileLock(str(self.path), timeout=wait)
        try:
            lock.acquire()
        except filelock.Timeout:
            raise CacheBusyError(f"{self.path} is held by another process") from None
        self._fallback = lock

    def release(self) -> None:
        """Give the lock up (the file stays: deleting it would race with waiting processes)."""
        if self._fd is not None:
            fd, self._fd = self._fd, None
            os.close(fd)  # closing the last descriptor drops the flock
        if self._fallback is not None:  # pragma: no cover - Windows
            lock, self._fallback = self._fallback, None
            lock.release()

    def __enter__(self) -> EntryLock:
        return self.acquire()

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.release()


class WriterLock:
    """Held by the process writing one temporary entry folder, from before it exists until it
    has been renamed into place or removed."""

    def __init__(self, folder: Folder, name: str, fd: int) -> None:
        self._folder = folder
        self.name = name
        self._fd: int | None = fd

    @classmethod
    def take(cls, folder: Folder, name: str) -> WriterLock | None:
        """Create and lock ``name`` in ``folder``; None if a sweep removed it first (pick
        another name)."""
        fd = folder.open_descriptor(name, create=True, exclusive=True)
        assert fd is not None  # created
        if fcntl is not None:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX)  # a sweep may hold it for a moment
            except OSError as error:
                if error.errno in _BUSY:  # pragma: no cover - blocking locks do not say busy
                    os.close(fd)
                    raise
            if os.fstat(fd).st_nlink == 0:
                # A sweep took the new file for a dead writer's and deleted it.
                os.close(fd)
                return None
        with contextlib.suppress(OSError):  # the owner is informative; the lock is the proof
            os.write(fd, f"{os.getpid()} {socket.gethostname()}\n".encode())
        return cls(folder, name, fd)

    def release(self) -> None:
        """Delete the lock file, then drop the lock."""
        if self._fd is None:
            return
        fd, self._fd = self._fd, None
        try:
            with contextlib.suppress(CacheError):
                self._folder.unlink(self.name)
        finally:
            os.close(fd)


def _open_in(root_path: Path, folder_name: str, name: str) -> int:
    """A descriptor on ``root_path/folder_name/name``, creating what is missing, no links."""
    root = Folder.open_root(root_path, create=True)
    assert root is not None  # created
    with root:
        folder = root.child(folder_name, create=True)
        assert folder is not None  # created
        with folder:
            fd = folder.open_descriptor(name, create=True)
    assert fd is not None  # created
    return fd


@dataclass
class WriterState:
    """What a sweep learnt about the writer of one temporary folder.

    When ``abandoned`` is true and ``fd`` is set, the sweep holds the writer's lock: it deletes
    the folder, then the lock file, then calls ``close``.
    """

    abandoned: bool
    reason: str
    fd: int | None = None

    def close(self) -> None:
        if self.fd is not None:
            fd, self.fd = self.fd, None
            os.close(fd)


def probe_writer(locks: Folder | None, name: str, age: float, stale_after: float) -> WriterState:
    """Whether the writer of a temporary folder is gone: ``name`` is its lock file in ``locks``,
    ``age`` the folder's age in seconds.

    Proof, in order: the lock is free (its process died, or it finished); the lock file names a
    process of this machine that no longer exists; no lock file at all (an older synthdata,
    or a platform without locks) and the folder is older than ``stale_after`` seconds.
    """
    fd = None if locks is None else locks.open_descriptor(name, create=False)
    if fd is None:
        if age >= stale_after:
            return WriterState(True, "no writer lock, and older than the stale limit")
        return WriterState(
            False, f"no writer lock, and only {_ago(age)} old (left until {_ago(stale_after)} old)"
        )
    taken = _try_flock(fd)
    if taken:
        return WriterState(True, "its writer is gone", fd)
    owner = _owner(fd)
    if taken is None and owner is not None and not _alive(*owner):
        return WriterState(True, f"its writer, process {owner[0]}, is gone", fd)
    os.close(fd)
    if taken is None and age >= stale_after:
        return WriterState(True, "no usable writer lock, and older than the stale limit")
    who = f"process {owner[0]}" if owner is not None else "another process"
    if owner is not None and owner[1] != socket.gethostname():
        who += f" on {owner[1]}"
    return WriterState(False, f"being written by {who}")


def _owner(fd: int) -> tuple[int, str] | None:
    """(pid, host) as the writer wrote them, if it did."""
    try:
        data = os.pread(fd, 300, 0).decode("utf-8", "replace").split()
    except (OSError, AttributeError):  # pragma: no cover - no pread (Windows)
        return None
    if len(data) == 2 and data[0].isdigit():
        return int(data[0]), data[1]
    return None


def _alive(pid: int, host: str) -> bool:
    """Whether a process lives; a process of another machine is assumed alive."""
    if host != socket.gethostname() or os.name != "posix":
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # it exists, under another user
    return True


def _ago(seconds: float) -> str:
    """``42 s``, ``5 min``, ``24 h``."""
    if seconds < 120:
        return f"{max(0, round(seconds))} s"
    if seconds < 7200:
        return f"{round(seconds / 60)} min"
    return f"{round(seconds / 3600)} h"
