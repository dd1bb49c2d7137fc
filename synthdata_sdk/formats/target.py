"""What is at an output path, and how synthdata may write there.

A missing path or a regular file is replaced atomically. A character device or a FIFO
(``/dev/null``, a terminal, a named pipe, ``/dev/stdout`` when it is a terminal or a pipe) is
written through, since renaming a file onto it would destroy it. A symbolic link is never
replaced: one that leads to a device or FIFO is written through; one that leads to a regular
file, or nowhere, is refused, because writing the file it names would change something the
user did not name. Everything else (directories, sockets, block devices) is refused.
"""

from __future__ import annotations

import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from synthdata_sdk.errors import OutputPathError

#: ``replace``: a temporary file renamed onto the path; ``stream``: written through in place
Delivery = Literal["replace", "stream"]


@dataclass(frozen=True)
class OutputTarget:
    """An output path and how it is written."""

    path: Path
    delivery: Delivery


def resolve_target(path: Path) -> OutputTarget:
    """How ``path`` is written, or OutputPathError naming it when it must not be written."""
    try:
        info = path.lstat()
    except FileNotFoundError:
        return OutputTarget(path, "replace")
    except NotADirectoryError as exc:
        raise OutputPathError(
            str(path), f"cannot write {path}: a part of its directory is a file, not a directory"
        ) from exc
    except OSError as exc:  # a directory that cannot be searched, a name too long
        raise OutputPathError(str(path), f"cannot write {path}: {reason(exc)}") from exc
    if stat.S_ISREG(info.st_mode):
        return OutputTarget(path, "replace")
    if is_streamable(info.st_mode):
        return OutputTarget(path, "stream")
    if stat.S_ISLNK(info.st_mode):
        return _through_link(path)
    raise OutputPathError(
        str(path),
        f"cannot write {path}: it is {describe(info.st_mode)} "
        "(expected a regular file, a new path, a character device or a FIFO)",
    )


def _through_link(path: Path) -> OutputTarget:
    try:
        info = path.stat()
    except FileNotFoundError:
        raise OutputPathError(
            str(path),
            f"cannot write {path}: it is a symbolic link to {path.readlink()}, which does not "
            "exist; synthdata does not create files through links (name the file itself)",
        ) from None
    except OSError as exc:  # a loop of links, an unsearchable directory on the way
        raise OutputPathError(str(path), f"cannot write {path}: {reason(exc)}") from exc
    if is_streamable(info.st_mode):
        return OutputTarget(path, "stream")
    if stat.S_ISREG(info.st_mode):
        raise OutputPathError(
            str(path),
            f"cannot write {path}: it is a symbolic link to the regular file {path.resolve()}; "
            "synthdata neither replaces a link nor writes a file through one "
            "(name the file itself)",
        )
    raise OutputPathError(
        str(path),
        f"cannot write {path}: it is a symbolic link to {describe(info.st_mode)} "
        "(expected a regular file, a new path, a character device or a FIFO)",
    )


def is_streamable(mode: int) -> bool:
    """A character device or a FIFO: written through, never replaced."""
    return stat.S_ISCHR(mode) or stat.S_ISFIFO(mode)


def describe(mode: int) -> str:
    """``a directory``, ``a socket``, ...: what a file of ``mode`` is, for messages."""
    kinds = (
        (stat.S_ISDIR, "a directory"),
        (stat.S_ISSOCK, "a socket"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISLNK, "a symbolic link"),
        (stat.S_ISREG, "a regular file"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISFIFO, "a FIFO"),
    )
    return next((name for test, name in kinds if test(mode)), "not a regular file")


def reason(exc: OSError) -> str:
    """An OSError's cause without its file name, which the caller words itself."""
    return (exc.strerror or str(exc)).lower()
