"""Zip archives whose bytes depend only on their entries: the same files give the same sha256.

Entries are sorted by name, every date is one fixed time (``SOURCE_DATE_EPOCH`` if set, else
1980-01-01 00:00:00, the earliest a zip can hold), files are 0644 and folders 0755 (as made
on Unix), and nothing else is recorded: no extra fields, no comment. Deflate at a fixed level
gives the same bytes wherever the same zlib runs.
"""

from __future__ import annotations

import base64
import hashlib
import io
import os
import stat
import time
import zipfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from synthdata_sdk.errors import OutputPathError, RequestError
from synthdata_sdk.formats.target import describe, reason
from synthdata_sdk.formats.temporaries import create_temp, remove_stale_temporaries

EPOCH_ENV = "SOURCE_DATE_EPOCH"
#: the earliest and latest times a zip entry's date can hold
ZIP_EARLIEST = (1980, 1, 1, 0, 0, 0)
_ZIP_LATEST_YEAR = 2107
FILE_MODE = 0o644
DIR_MODE = 0o755
_COMPRESSION_LEVEL = 9
#: MS-DOS directory attribute, set beside the Unix mode on folder entries
_DOS_DIRECTORY = 0x10
_UNIX = 3


@dataclass(frozen=True)
class BuiltFile:
    """A file written by the build: where it is, its size and its sha256 (hex and base64)."""

    path: Path
    size: int
    sha256: str
    sha256_base64: str

    @classmethod
    def of(cls, path: Path, data: bytes) -> BuiltFile:
        digest = hashlib.sha256(data).digest()
        return cls(path, len(data), digest.hex(), base64.b64encode(digest).decode("ascii"))

    def as_dict(self) -> dict[str, object]:
        """The fields package.json records (``sha256_base64`` is Terraform's filebase64sha256)."""
        return {
            "path": str(self.path),
            "size": self.size,
            "sha256": self.sha256,
            "sha256_base64": self.sha256_base64,
        }


def entry_time(environ: Mapping[str, str] | None = None) -> tuple[int, int, int, int, int, int]:
    """The date every entry gets: ``SOURCE_DATE_EPOCH`` (UTC, clamped to what a zip can hold)
    if it is set, else 1980-01-01 00:00:00."""
    env = os.environ if environ is None else environ
    text = env.get(EPOCH_ENV, "").strip()
    if not text:
        return ZIP_EARLIEST
    try:
        seconds = int(text)
    except ValueError:
        raise RequestError(
            f"{EPOCH_ENV}={text!r} is not a whole number of seconds since 1970-01-01 UTC"
        ) from None
    if seconds < 0:
        raise RequestError(f"{EPOCH_ENV}={text!r} is before 1970-01-01 UTC")
    moment = time.gmtime(seconds)
    if moment.tm_year > _ZIP_LATEST_YEAR:
        raise RequestError(f"{EPOCH_ENV}={text!r} is after {_ZIP_LATEST_YEAR}: no zip can hold it")
    stamp = (
        moment.tm_year,
        moment.tm_mon,
        moment.tm_mday,
        moment.tm_hour,
        moment.tm_min,
        moment.tm_sec,
    )
    # zip dates have a 2-second resolution: an odd second is stored as the one before
    return max(stamp, ZIP_EARLIEST)


def zip_bytes(
    files: Mapping[str, bytes], date_time: tuple[int, int, int, int, int, int] = ZIP_EARLIEST
) -> bytes:
    """A zip of ``files`` (archive name => bytes) and of every folder above them."""
    names = sorted({*files, *_folders(files)})
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in names:
            folder = name.endswith("/")
            info = zipfile.ZipInfo(name, date_time)
            info.create_system = _UNIX
            if folder:
                info.external_attr = ((stat.S_IFDIR | DIR_MODE) << 16) | _DOS_DIRECTORY
                info.compress_type = zipfile.ZIP_STORED
                archive.writestr(info, b"")
            else:
                info.external_attr = (stat.S_IFREG | FILE_MODE) << 16
                info.compress_type = zipfile.ZIP_DEFLATED
                archive.writestr(info, files[name], compresslevel=_COMPRESSION_LEVEL)
    return buffer.getvalue()


def _folders(names: Iterable[str]) -> set[str]:
    found: set[str] = set()
    for name in names:
        for parent in PurePosixPath(name).parents:
            if str(parent) != ".":
                found.add(f"{parent}/")
    return found


def write_atomically(target: Path, data: bytes) -> BuiltFile:
    """Write ``data`` to ``target`` through a temporary file renamed onto it.

    ``target`` must be missing or a regular file: a symbolic link (whatever it leads to), a
    folder, a device or a socket there is refused with OutputPathError, never replaced nor
    written through.
    """
    check_replaceable(target)
    remove_stale_temporaries(target)
    try:
        temp, fd = create_temp(target)
    except OSError as exc:
        raise OutputPathError(str(target), f"cannot write {target}: {reason(exc)}") from exc
    try:
        with os.fdopen(fd, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        # checked again: something may have appeared at the target while the file was written
        check_replaceable(target)
        temp.replace(target)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    return BuiltFile.of(target, data)


def check_replaceable(target: Path) -> None:
    """Return if ``target`` is missing or a regular file; OutputPathError otherwise."""
    try:
        info = target.lstat()
    except FileNotFoundError:
        return
    except OSError as exc:
        raise OutputPathError(str(target), f"cannot write {target}: {reason(exc)}") from exc
    if stat.S_ISREG(info.st_mode):
        return
    raise OutputPathError(
        str(target),
        f"cannot write {target}: it is {describe(info.st_mode)}; the package build only "
        "replaces regular files (remove it, or choose another --out folder)",
    )
