"""Writing one output: atomically through a temporary file, or through to a device or FIFO.

Every dataset file, report and lock file goes through ``write_output``, which decides once
what the target is (``target.py``): a regular file or a new path is replaced by a complete
temporary file renamed onto it; a character device or FIFO is opened and written in place.
Nothing else is ever replaced. Errors name the path asked for, never the temporary file.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import stat
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Final

from synthdata_sdk.errors import OutputPathError
from synthdata_sdk.formats.sigterm import sigterm_raises
from synthdata_sdk.formats.target import describe, is_streamable, reason, resolve_target
from synthdata_sdk.formats.temporaries import create_temp, remove_stale_temporaries

#: bytes buffered between the writer and the file: fewer, larger writes to the descriptor
BUFFER: Final = 1 << 16

Fill = Callable[[IO[bytes]], object]


@dataclass(frozen=True)
class WrittenFile:
    """What ``write_output`` wrote: the target, its size and sha256, and whether the bytes
    went straight to a device or FIFO (``streamed``) instead of a renamed file."""

    path: Path
    size: int
    sha256: str
    streamed: bool

    def manifest_entry(self, fmt: str) -> dict[str, Any]:
        """The manifest's entry for this file (the digest of the bytes written)."""
        return {"path": self.path.name, "format": fmt, "sha256": self.sha256, "size": self.size}


def write_output(path: str | os.PathLike[str], fill: Fill) -> WrittenFile:
    """Let ``fill`` write the whole output to a binary stream, delivered to ``path``.

    A regular file or a new path is replaced atomically: on any exception, KeyboardInterrupt
    and SIGTERM included, the temporary file is removed and an existing file keeps its
    content. A character device or FIFO is written through. Anything else raises
    OutputPathError before ``fill`` runs.
    """
    target = resolve_target(Path(path))
    if target.delivery == "stream":
        return _write_through(target.path, fill)
    return _replace(target.path, fill)


def _replace(target: Path, fill: Fill) -> WrittenFile:
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputPathError(
            str(target), f"cannot write {target}: cannot create its directory: {reason(exc)}"
        ) from exc
    remove_stale_temporaries(target)
    with sigterm_raises():
        try:
            temp, fd = create_temp(target)
        except OSError as exc:
            raise OutputPathError(
                str(target),
                f"cannot write {target}: cannot create a file in {target.parent}: "
                f"{reason(exc)} (expected a directory you can write to)",
            ) from exc
        try:
            sink = _Sink(fd, temp, target)
            with io.BufferedWriter(sink, BUFFER) as stream:
                fill(stream)
                stream.flush()
                sink.sync()
            _copy_mode(target, temp)
            _check_replaceable(target)
            try:
                temp.replace(target)
            except OSError as exc:
                raise OutputPathError(
                    str(target), f"cannot replace {target}: {reason(exc)}"
                ) from exc
        except BaseException:
            with contextlib.suppress(OSError):
                temp.unlink()
            raise
    _fsync_directory(target.parent)
    return WrittenFile(target, sink.size, sink.hexdigest(), streamed=False)


def _write_through(target: Path, fill: Fill) -> WrittenFile:
    # No O_CREAT and no O_TRUNC: if the path changed into something else since it was
    # resolved, opening creates and truncates nothing, and the check below refuses it.
    # A FIFO's open waits for a reader, as a shell's redirection does.
    try:
        fd = os.open(target, os.O_WRONLY | getattr(os, "O_NOCTTY", 0))
    except OSError as exc:
        raise OutputPathError(str(target), f"cannot write {target}: {reason(exc)}") from exc
    try:
        mode = os.fstat(fd).st_mode
        if not is_streamable(mode):
            raise OutputPathError(
                str(target),
                f"cannot write {target}: it changed into {describe(mode)} while being opened",
            )
        sink = _Sink(fd, target, target)
    except BaseException:
        os.close(fd)
        raise
    with io.BufferedWriter(sink, BUFFER) as stream:
        fill(stream)
        stream.flush()
    return WrittenFile(target, sink.size, sink.hexdigest(), streamed=True)


def _check_replaceable(target: Path) -> None:
    """Refuse the rename if something other than a regular file appeared at ``target``."""
    try:
        mode = target.lstat().st_mode
    except FileNotFoundError:
        return
    if not stat.S_ISREG(mode):
        raise OutputPathError(
            str(target),
            f"cannot write {target}: it became {describe(mode)} while being written "
            "(left as it is)",
        )


class _Sink(io.RawIOBase):
    """The descriptor being written, counting and hashing every byte.

    OSErrors name the target instead of a temporary file. ``tell`` is the count of bytes
    written, so that pyarrow can write Parquet to a pipe, which cannot seek.
    """

    def __init__(self, fd: int, written: Path, target: Path) -> None:
        self._fd = fd
        self._target = target
        self.name = str(written)
        self.size = 0
        self._digest = hashlib.sha256()

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        try:
            count = os.write(self._fd, data)
        except OSError as exc:
            raise _naming(exc, self._target) from exc
        self._digest.update(memoryview(data).cast("B")[:count])
        self.size += count
        return count

    def tell(self) -> int:
        return self.size

    def sync(self) -> None:
        """fsync the file, so that the rename never exposes an incomplete one after a crash."""
        try:
            os.fsync(self._fd)
        except OSError as exc:
            raise _naming(exc, self._target) from exc

    def hexdigest(self) -> str:
        return self._digest.hexdigest()

    def close(self) -> None:
        if not self.closed:
            try:
                os.close(self._fd)
            except OSError as exc:
                raise _naming(exc, self._target) from exc
            finally:
                super().close()


def _naming(exc: OSError, target: Path) -> OSError:
    # OSError(errno, ...) is built as the matching subclass (BrokenPipeError, ...)
    return OSError(exc.errno, exc.strerror or str(exc), str(target))


def _copy_mode(target: Path, temp: Path) -> None:
    # Replacing a file should not change who may read it.
    with contextlib.suppress(FileNotFoundError):
        temp.chmod(stat.S_IMODE(target.stat().st_mode))


def _fsync_directory(directory: Path) -> None:
    # Makes the rename itself durable on POSIX; directories cannot be opened on Windows.
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        with contextlib.suppress(OSError):
            os.fsync(fd)
    finally:
        os.close(fd)
