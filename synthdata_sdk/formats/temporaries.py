"""Temporary files beside an output: named for their writer, locked while written, swept once
abandoned.

A temporary file is ``.{name}.{pid}-{random}.tmp`` in the target's directory, where ``pid``
is the writing process. The writer holds an exclusive ``flock`` on it until it is renamed or
removed; the kernel drops the lock when the writer dies, however it dies. A later write to
the same target removes such a file only when nothing can still be writing it: it is a
regular file, nobody holds its lock, and its writer is no longer running or it has not been
modified for ``STALE_AFTER`` seconds. Files of that name written before writers took locks
(``.{name}.{random}.tmp``) are removed by age alone.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import stat
import time
from pathlib import Path
from typing import Final

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows, where an open file cannot be removed anyway
    fcntl = None  # type: ignore[assignment]

#: A temporary file untouched this long (seconds) is abandoned even if its writer's process
#: id now belongs to a live process (ids are reused). Writers touch it with every block.
STALE_AFTER: Final = 24 * 3600

#: the part of a temporary file's name after ``.{target name}.``: ours, or an older release's
_OURS: Final = re.compile(r"(?:(?P<pid>[0-9]{1,10})-)?[0-9a-f]{12}\.tmp")


def create_temp(target: Path) -> tuple[Path, int]:
    """A new, locked temporary file beside ``target``: its path and a descriptor open for
    writing. OSError if the directory does not allow it."""
    # O_EXCL with an explicit 0o666 lets the umask decide permissions, as for a plain open();
    # tempfile.mkstemp would leave the final file readable by its owner only.
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    while True:
        temp = target.with_name(f".{target.name}.{os.getpid()}-{secrets.token_hex(6)}.tmp")
        try:
            fd = os.open(temp, flags, 0o666)
        except FileExistsError:  # pragma: no cover - 48 random bits collided
            continue
        if fcntl is not None:
            # no lock (a file system without locks) only means the file is never swept early
            with contextlib.suppress(OSError):
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return temp, fd


def remove_stale_temporaries(target: Path) -> list[Path]:
    """Remove the abandoned temporary files of earlier writes to ``target``; return them.

    Never raises: a file that cannot be examined or removed is left where it is.
    """
    prefix = f".{target.name}."
    removed: list[Path] = []
    try:
        entries = os.scandir(target.parent)
    except OSError:
        return removed
    with entries:
        for entry in entries:
            if not entry.name.startswith(prefix):
                continue
            match = _OURS.fullmatch(entry.name, len(prefix))
            if match is None:
                continue
            pid = match["pid"]
            path = Path(entry.path)
            if _remove_if_abandoned(path, int(pid) if pid else None):
                removed.append(path)
    return removed


def _remove_if_abandoned(path: Path, pid: int | None) -> bool:
    try:
        info = path.lstat()
    except OSError:
        return False
    if not stat.S_ISREG(info.st_mode):  # a link or anything else by that name is not ours
        return False
    old = time.time() - info.st_mtime > STALE_AFTER
    # an older release's file has no writer id and was never locked: only age tells
    if not old and (pid is None or _running(pid)):
        return False
    if fcntl is None:  # pragma: no cover - Windows refuses to remove a file still open
        with contextlib.suppress(OSError):
            path.unlink()
            return True
        return False
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(path, flags)
    except OSError:
        return False
    try:
        opened = os.fstat(fd)
        if (opened.st_dev, opened.st_ino) != (info.st_dev, info.st_ino):
            return False
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:  # held by a live writer, or locks unsupported: not provably ours
            return False
        path.unlink()
        return True
    except OSError:
        return False
    finally:
        os.close(fd)


def _running(pid: int) -> bool:
    """Whether process ``pid`` exists; True when that cannot be told."""
    if pid <= 0 or os.name != "posix":
        # kill(0) would signal a process group; on Windows os.kill terminates the process
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (OSError, OverflowError):  # PermissionError: it is someone else's
        return True
    return True
