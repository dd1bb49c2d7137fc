"""``synthdata.lock``: the fingerprints a test suite uses, committed next to it.

The file is JSON with sorted keys and one entry per line group, so diffs stay small::

    {
      "datasets": {
        "<fingerprint>": {"locale": "en_US", "name": "customer", "rows": 100, "seed": 0,
                          "source": "template 'customer'"}
      },
      "version": 1
    }

CI can key its dataset cache on the file's hash, and pruning keeps exactly what it lists.
Reading is strict, since a lock file decides what CI may delete and what it trusts: anything
but a well-formed regular file of this version is a ``LockFileError`` naming the file and
the problem, and ``check_entries`` finds entries edited away from their fingerprint.
"""

from __future__ import annotations

import contextlib
import json
import os
import stat
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from synthdata_sdk.cache.names import is_fingerprint
from synthdata_sdk.errors import LockFileError
from synthdata_sdk.formats.base import write_text_atomically

LOCK_VERSION = 1
#: A lock file larger than this is refused unread (an entry takes about 200 bytes).
MAX_LOCK_BYTES = 8 * 1024 * 1024
UPDATE_COMMAND = "pytest --synthdata-update-lock"
_CONFLICT_MARKERS = ("<<<<<<<", "=======", ">>>>>>>", "|||||||")


@dataclass(frozen=True)
class LockEntry:
    """One dataset a suite uses: its fingerprint and a summary of its request."""

    fingerprint: str
    source: str
    rows: int
    seed: int
    locale: str = "en_US"
    name: str | None = None
    compliance: tuple[str, ...] = field(default=())

    def to_json(self) -> dict[str, Any]:
        """The entry as stored (the fingerprint is the key, so it is left out)."""
        data = asdict(self)
        del data["fingerprint"]
        data["compliance"] = list(self.compliance)
        if not self.compliance:
            del data["compliance"]
        if self.name is None:
            del data["name"]
        return data

    def differences(self, actual: LockEntry) -> list[str]:
        """How this entry's fingerprinted fields differ from ``actual``'s (empty: they agree).

        The source label and name are not compared: two sources that differ only in
        annotations share a fingerprint.
        """
        found = []
        for key in ("rows", "seed", "locale", "compliance"):
            mine, theirs = getattr(self, key), getattr(actual, key)
            if key == "compliance":
                mine, theirs = sorted(mine), sorted(theirs)
            if mine != theirs:
                found.append(
                    f"{key} is {_short(mine)} in the lock, {_short(theirs)} in the request"
                )
        return found


def read_lock(path: str | os.PathLike[str]) -> dict[str, LockEntry] | None:
    """The entries of a lock file by fingerprint, or None when there is no file.

    Anything else that is not a well-formed lock file of this version raises LockFileError
    naming the file and what is wrong, in time and memory bounded by ``MAX_LOCK_BYTES``: a
    link or a folder in its place, a file too large, not UTF-8, with merge conflict markers,
    not JSON (nested too deeply included), another version, or an entry with a wrong type or
    a value out of range.
    """
    lock_path = Path(path)
    text = _read_text(lock_path)
    if text is None:
        return None
    _refuse_conflict_markers(lock_path, text)
    data = _parse(lock_path, text)
    if not isinstance(data, dict) or not isinstance(data.get("datasets"), dict):
        raise LockFileError(
            str(lock_path), "has no 'datasets' object (expected a synthdata lock file)"
        )
    version = data.get("version")
    if version != LOCK_VERSION or isinstance(version, bool):
        shown = "no version" if "version" not in data else f"version {_short(version)}"
        raise LockFileError(
            str(lock_path),
            f"has {shown}; this synthdata reads lock files of version {LOCK_VERSION}",
            f"write it again with {UPDATE_COMMAND}, or use the synthdata that wrote it",
        )
    entries: dict[str, LockEntry] = {}
    for fingerprint, item in data["datasets"].items():
        entries[fingerprint] = _entry(lock_path, fingerprint, item)
    return entries


def _read_text(lock_path: Path) -> str | None:
    """The file's text; None if there is none; LockFileError unless a small regular file."""
    try:
        found = os.lstat(lock_path)
    except FileNotFoundError:
        return None
    except OSError as error:
        raise LockFileError(str(lock_path), f"cannot be read: {error.strerror}") from None
    if not stat.S_ISREG(found.st_mode):
        raise _not_a_file(lock_path, found.st_mode)
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(lock_path, flags)
    except FileNotFoundError:
        return None
    except OSError as error:
        raise LockFileError(str(lock_path), f"cannot be read: {error.strerror}") from None
    with os.fdopen(fd, "rb") as stream:
        opened = os.fstat(stream.fileno())
        if not stat.S_ISREG(opened.st_mode):
            raise _not_a_file(lock_path, opened.st_mode)
        if opened.st_size > MAX_LOCK_BYTES:
            raise _too_large(lock_path, opened.st_size)
        try:
            data = stream.read(MAX_LOCK_BYTES + 1)
        except OSError as error:
            raise LockFileError(str(lock_path), f"cannot be read: {error.strerror}") from None
    if len(data) > MAX_LOCK_BYTES:  # grew while we looked
        raise _too_large(lock_path, len(data))
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise LockFileError(
            str(lock_path), f"is not UTF-8 text (byte {error.start} cannot be decoded)"
        ) from None


def _refuse_conflict_markers(lock_path: Path, text: str) -> None:
    for number, line in enumerate(text.splitlines(), start=1):
        if line.startswith(_CONFLICT_MARKERS):
            raise LockFileError(
                str(lock_path),
                f"has an unresolved merge conflict (line {number} starts with {line[:7]!r})",
                f"resolve it, or write the file again with {UPDATE_COMMAND}",
            )


def _parse(lock_path: Path, text: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        problem = f"is not JSON: line {error.lineno} column {error.colno}: {error.msg}"
    except RecursionError:
        problem = "is not a lock file: its JSON is nested too deeply"
    except ValueError as error:  # an integer with thousands of digits
        problem = f"is not a lock file: {error}"
    raise LockFileError(str(lock_path), problem)


def _entry(lock_path: Path, fingerprint: str, item: Any) -> LockEntry:
    """One entry, checked field by field."""
    where = f"datasets.{fingerprint if len(fingerprint) <= 64 else fingerprint[:61] + '...'}"
    if not is_fingerprint(fingerprint):
        raise LockFileError(
            str(lock_path),
            f"key {_short(fingerprint)} of 'datasets' is not a fingerprint "
            "(expected 64 lowercase hex digits)",
        )
    if not isinstance(item, dict):
        raise LockFileError(
            str(lock_path),
            f"{where} is malformed (expected an object with source, rows and seed)",
        )
    missing = [key for key in ("source", "rows", "seed") if key not in item]
    if missing:
        raise LockFileError(
            str(lock_path),
            f"{where} is malformed: no {', '.join(missing)} (expected source, rows and seed)",
        )

    def problem(key: str, expected: str) -> LockFileError:
        return LockFileError(
            str(lock_path),
            f"{where} is malformed: {key} is {_short(item.get(key))} (expected {expected})",
        )

    # Imported here: the request module loads the engine's data version, and a lock file is
    # read at the end of every run in mode none, datasets or not.
    from synthdata_sdk.options import MAX_ROWS, MAX_SEED

    rows, seed = item["rows"], item["seed"]
    if not _is_int(rows) or not 0 <= rows <= MAX_ROWS:
        raise problem("rows", f"an integer from 0 to {MAX_ROWS:,}")
    if not _is_int(seed) or not 0 <= seed <= MAX_SEED:
        raise problem("seed", f"an integer from 0 to {MAX_SEED}")
    if not isinstance(item["source"], str):
        raise problem("source", "a string")
    locale = item.get("locale", "en_US")
    if not isinstance(locale, str):
        raise problem("locale", "a string")
    name = item.get("name")
    if name is not None and not isinstance(name, str):
        raise problem("name", "a string or null")
    compliance = item.get("compliance", [])
    if not isinstance(compliance, list) or not all(isinstance(p, str) for p in compliance):
        raise problem("compliance", "a list of profile names")
    return LockEntry(
        fingerprint=fingerprint,
        source=item["source"],
        rows=rows,
        seed=seed,
        locale=locale,
        name=name,
        compliance=tuple(compliance),
    )


def check_entries(
    path: str | os.PathLike[str],
    locked: Mapping[str, LockEntry],
    actual: Mapping[str, LockEntry],
) -> list[str]:
    """Problems of ``locked`` entries whose request is known (``actual``, by fingerprint).

    The rows, seed, locale and profiles an entry records are part of its fingerprint: when
    they differ from the request that really has that fingerprint, the entry was edited.
    """
    problems = []
    for fingerprint, entry in sorted(locked.items()):
        known = actual.get(fingerprint)
        if known is None:
            continue
        differences = entry.differences(known)
        if differences:
            problems.append(
                f"{path}: datasets.{fingerprint[:12]} does not match its fingerprint: "
                f"{'; '.join(differences)}"
            )
    return problems


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _short(value: Any) -> str:
    """A value as shown in a message: repr, cut to 40 characters."""
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _not_a_file(lock_path: Path, mode: int) -> LockFileError:
    if stat.S_ISLNK(mode):
        return LockFileError(
            str(lock_path),
            "is a symbolic link; synthdata reads and writes the lock file only as a regular "
            "file, so that an update never writes through a link or replaces it",
            "replace the link with the file it points to",
        )
    what = "a folder" if stat.S_ISDIR(mode) else "a special file"
    return LockFileError(str(lock_path), f"is {what}, not a lock file")


def _too_large(lock_path: Path, size: int) -> LockFileError:
    return LockFileError(
        str(lock_path),
        f"is {size:,} bytes, more than a lock file may be ({MAX_LOCK_BYTES:,} bytes)",
        f"write it again with {UPDATE_COMMAND}",
    )


def render_lock(entries: Iterable[LockEntry]) -> str:
    """The lock file's text: sorted, indented, ending with a newline."""
    datasets = {
        entry.fingerprint: entry.to_json() for entry in sorted(entries, key=_by_fingerprint)
    }
    return (
        json.dumps({"version": LOCK_VERSION, "datasets": datasets}, indent=2, sort_keys=True) + "\n"
    )


def write_lock(path: str | os.PathLike[str], entries: Iterable[LockEntry]) -> Path:
    """Replace the lock file atomically with ``entries``; never a link or a non-file."""
    lock_path = Path(path)
    text = render_lock(entries)
    with contextlib.suppress(FileNotFoundError, NotADirectoryError):
        found = os.lstat(lock_path)
        if not stat.S_ISREG(found.st_mode):
            raise _not_a_file(lock_path, found.st_mode)
    return write_text_atomically(lock_path, text)


def _by_fingerprint(entry: LockEntry) -> str:
    return entry.fingerprint
