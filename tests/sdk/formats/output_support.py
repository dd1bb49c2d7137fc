"""What the output-target tests share: FIFO readers and device nodes made in a temp folder."""

from __future__ import annotations

import contextlib
import os
import stat
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

#: (major, minor) of Linux's null and full devices
NULL_DEVICE = (1, 3)
FULL_DEVICE = (1, 7)


@contextlib.contextmanager
def fifo_reader(path: Path) -> Iterator[list[bytes]]:
    """A thread reading everything written to the FIFO at ``path``; the bytes arrive in the
    yielded list when the block ends."""
    # Holding the FIFO open read-write counts as a writer: the reader's open() returns at once
    # and its read() ends only when this descriptor is closed too, whether or not the code
    # under test ever opened the FIFO (or replaced it with a file).
    keeper = os.open(path, os.O_RDWR)
    received: list[bytes] = []
    opened = threading.Event()

    def read() -> None:
        with path.open("rb") as fifo:
            opened.set()
            received.append(fifo.read())

    thread = threading.Thread(target=read, daemon=True)
    thread.start()
    opened.wait()  # the reader's end is open before anything is written
    try:
        yield received
    finally:
        os.close(keeper)
        thread.join()


def make_device(path: Path, numbers: tuple[int, int], kind: int = stat.S_IFCHR) -> Path:
    """A device node at ``path``; skips the test where this process may not make one."""
    try:
        os.mknod(path, kind | 0o666, os.makedev(*numbers))
    except (PermissionError, AttributeError, OSError) as exc:
        pytest.skip(f"cannot make a device node here: {exc}")
    return path


def is_device(path: Path, numbers: tuple[int, int], kind: int = stat.S_IFCHR) -> bool:
    info = path.lstat()
    return stat.S_IFMT(info.st_mode) == kind and info.st_rdev == os.makedev(*numbers)


def files_in(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())
