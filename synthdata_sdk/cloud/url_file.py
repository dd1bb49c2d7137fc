"""The file of presigned URLs that ``synthdata cache presign`` writes and ``pull --urls`` reads.

Plain JSON, so a runner without AWS credentials (and without boto3) can download the
datasets it names::

    {
      "version": 1,
      "expires_at": "2026-05-04T10:12:31+00:00",
      "datasets": {
        "<fingerprint>": {
          "manifest": {"url": "https://...", "sha256": "<64 hex>", "size": 2481},
          "signature": {"url": "https://...", "sha256": "<64 hex>", "size": 312},
          "files": [
            {"path": "records.json", "url": "https://...", "sha256": "<64 hex>", "size": 30780}
          ]
        }
      }
    }

``signature`` (the entry's ``manifest.json.sig``) is there only when the entry is signed.
The file travels between jobs, so a reader treats it as untrusted input: every value is
checked before anything is fetched (fingerprints, data file names of the entry format only,
https URLs or http to a loopback address, digests, sizes within bounds), and any problem is a
``UrlFileError`` naming where it is. Unknown keys are ignored. The digests it carries are
checked against the manifest and the bytes downloaded, so a wrong one refuses the entry.

The URLs are bearer credentials until they expire, so ``write_url_file`` creates the file
readable by its owner alone (0600) and never writes through, or replaces, a link.
"""

from __future__ import annotations

import contextlib
import ipaddress
import json
import os
import re
import secrets
import stat
import urllib.parse
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from synthdata_sdk.cache.entry_format import MAX_SIGNATURE_BYTES, RECORDS, part_name
from synthdata_sdk.cache.names import is_fingerprint
from synthdata_sdk.cloud.transfer import MAX_FILE_BYTES, MAX_MANIFEST_BYTES
from synthdata_sdk.errors import OutputPathError, UrlFileError
from synthdata_sdk.schema.table_set import TABLE_NAME

URL_FILE_VERSION = 1
#: a URL file larger than this is refused unread (an entry takes about 1.5 KB)
MAX_URL_FILE_BYTES = 64 * 1024 * 1024
MAX_URL_LENGTH = 8192
_SHA256 = re.compile(r"[0-9a-f]{64}")
_PART = re.compile(r"records-([0-9]{5,9})\.json")
#: a table set's file: ``table-`` and a table name (``schema/table_set.py``'s TABLE_NAME)
_TABLE = re.compile(rf"table-(?:{TABLE_NAME.pattern})\.json")
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)


@dataclass(frozen=True)
class Link:
    """One object to download: its URL and what its bytes must be."""

    url: str
    sha256: str
    size: int
    path: str = ""

    def item(self) -> dict[str, Any]:
        """The manifest-like item (``path``, ``sha256``, ``size``) the download is checked by."""
        return {"path": self.path, "sha256": self.sha256, "size": self.size}


@dataclass(frozen=True)
class UrlEntry:
    """The URLs of one dataset: its manifest, every data file, and its signature file when
    the entry is signed."""

    manifest: Link
    files: tuple[Link, ...]
    signature: Link | None = None


def is_data_file_name(name: str) -> bool:
    """Whether ``name`` is a data file name of the entry format (``records.json``, a part, a
    table set's ``table-<name>.json``)."""
    if name == RECORDS or _TABLE.fullmatch(name):
        return True
    found = _PART.fullmatch(name)
    return found is not None and part_name(int(found[1])) == name


def check_url(url: object) -> str:
    """``url`` if it is an https URL, or http to a loopback address; ValueError otherwise."""
    if not isinstance(url, str):
        raise ValueError(f"is {_kind(url)}, not a URL string")
    if not url or len(url) > MAX_URL_LENGTH:
        raise ValueError(f"is not 1 to {MAX_URL_LENGTH} characters long")
    if any(char.isspace() or not char.isprintable() for char in url):
        raise ValueError("holds white space or control characters")
    try:
        parts = urllib.parse.urlsplit(url)
        host = parts.hostname or ""
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError as error:
        raise ValueError(f"cannot be parsed: {error}") from None
    if parts.username is not None or parts.password is not None or parts.fragment:
        raise ValueError("carries a user name, a password or a fragment")
    if parts.scheme == "https" and host:
        return url
    if parts.scheme == "http" and _is_loopback(host):
        return url
    raise ValueError(
        f"is {parts.scheme or 'no'}:// to {host or 'no host'!r}: only https, or http to a "
        "loopback address (127.0.0.1, ::1, localhost), is fetched"
    )


def read_url_file(path: str | os.PathLike[str]) -> dict[str, UrlEntry]:
    """The entries of a URL file by fingerprint; UrlFileError for anything not well-formed."""
    where = str(path)
    data = _read_bytes(Path(path))
    try:
        document = json.loads(data)
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise UrlFileError(where, f"is not JSON: {error}") from None
    except (ValueError, RecursionError) as error:
        raise UrlFileError(where, f"cannot be parsed: {error}") from None
    if not isinstance(document, dict) or not isinstance(document.get("datasets"), dict):
        raise UrlFileError(where, "has no 'datasets' object (expected a synthdata URL file)")
    version = document.get("version")
    if version != URL_FILE_VERSION or isinstance(version, bool):
        raise UrlFileError(
            where,
            f"has version {_short(version)}; this synthdata reads URL files of version "
            f"{URL_FILE_VERSION} (write it again with synthdata cache presign)",
        )
    return {
        fingerprint: _entry(where, fingerprint, item)
        for fingerprint, item in document["datasets"].items()
    }


def render_url_file(entries: Mapping[str, UrlEntry], *, expires_at: str) -> str:
    """The text of a URL file holding ``entries`` (sorted by fingerprint)."""
    datasets = {
        fingerprint: {
            "manifest": _link_json(entries[fingerprint].manifest, with_path=False),
            "files": [_link_json(link) for link in entries[fingerprint].files],
            **_signature_json(entries[fingerprint].signature),
        }
        for fingerprint in sorted(entries)
    }
    document = {"version": URL_FILE_VERSION, "expires_at": expires_at, "datasets": datasets}
    return json.dumps(document, indent=2) + "\n"


def check_url_file_target(path: str | os.PathLike[str]) -> Path:
    """``path`` if a URL file may be written there: a new name or a regular file, never a
    link (followed or replaced) or anything else; OutputPathError otherwise."""
    target = Path(path)
    try:
        found = os.lstat(target)
    except FileNotFoundError:
        return target
    except OSError as error:
        raise OutputPathError(
            str(target), f"cannot write {target}: {error.strerror or error}"
        ) from None
    if stat.S_ISREG(found.st_mode):
        return target
    what = "a symbolic link" if stat.S_ISLNK(found.st_mode) else "not a regular file"
    raise OutputPathError(
        str(target),
        f"cannot write {target}: it is {what}; a URL file holds bearer URLs, so it is written "
        "only as a new file or over a regular one, never through a link (name the file itself)",
    )


def write_url_file(path: str | os.PathLike[str], text: str) -> Path:
    """Write a URL file readable by its owner alone (mode 0600, whatever the umask).

    The URLs in it grant read access to whoever holds them until they expire. The text goes
    to a new temporary file beside ``path``, created 0600 and without following links, then
    renamed onto ``path``; a link or anything but a regular file at ``path`` is refused
    (OutputPathError), before and again just before the rename, and left as it is.
    """
    target = check_url_file_target(path)
    folder = target.parent
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW | getattr(os, "O_CLOEXEC", 0)
    while True:
        temp = folder / f".{target.name}.{os.getpid()}-{secrets.token_hex(6)}.tmp"
        try:
            # Created 0600 (the umask may only take bits away): no one else ever opens it.
            fd = os.open(temp, flags, 0o600)
        except FileExistsError:  # pragma: no cover - 48 random bits collided
            continue
        except OSError as error:
            raise OutputPathError(
                str(target), f"cannot write {target}: {error.strerror or error}"
            ) from None
        break
    try:
        with os.fdopen(fd, "wb") as stream:
            if hasattr(os, "fchmod"):  # POSIX: 0600 exactly, even under an odd umask
                os.fchmod(stream.fileno(), 0o600)
            stream.write(text.encode("utf-8"))
            stream.flush()
            os.fsync(stream.fileno())
        check_url_file_target(target)  # nothing else took the name meanwhile
        temp.replace(target)
    except BaseException:
        with contextlib.suppress(OSError):
            temp.unlink()
        raise
    return target


# --------------------------------------------------------------------------------------------


def _read_bytes(path: Path) -> bytes:
    """The file's bytes: UrlFileError unless a regular file (not a link) of at most
    MAX_URL_FILE_BYTES."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        if stat.S_ISLNK(os.lstat(path).st_mode):
            raise UrlFileError(str(path), "is a symbolic link (expected the file itself)")
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise UrlFileError(
            str(path), "does not exist (write it with synthdata cache presign)"
        ) from None
    except OSError as error:
        raise UrlFileError(str(path), f"cannot be read: {error.strerror or error}") from None
    try:
        found = os.fstat(fd)
        if not stat.S_ISREG(found.st_mode):
            raise UrlFileError(str(path), "is not a regular file")
        if found.st_size > MAX_URL_FILE_BYTES:
            raise UrlFileError(
                str(path), f"has {found.st_size:,} bytes, more than {MAX_URL_FILE_BYTES:,}"
            )
        with os.fdopen(fd, "rb") as stream:
            fd = -1  # the stream closes it
            data = stream.read(MAX_URL_FILE_BYTES + 1)
    finally:
        if fd >= 0:
            os.close(fd)
    if len(data) > MAX_URL_FILE_BYTES:
        raise UrlFileError(str(path), f"has more than {MAX_URL_FILE_BYTES:,} bytes")
    return data


def _entry(where: str, fingerprint: str, item: Any) -> UrlEntry:
    if not is_fingerprint(fingerprint):
        raise UrlFileError(where, f"dataset key {_short(fingerprint)} is not a fingerprint")
    at = f"dataset {fingerprint[:12]}"
    if not isinstance(item, dict):
        raise UrlFileError(where, f"{at} is {_kind(item)}, not an object")
    manifest = _link(where, f"{at}: manifest", item.get("manifest"), MAX_MANIFEST_BYTES)
    files = item.get("files")
    if not isinstance(files, list) or not files:
        raise UrlFileError(where, f"{at}: 'files' is not a list of files")
    links: list[Link] = []
    for index, found in enumerate(files):
        name = found.get("path") if isinstance(found, dict) else None
        if not isinstance(name, str) or not is_data_file_name(name):
            raise UrlFileError(
                where,
                f"{at}: file {index} has path {_short(name)}, not a data file name "
                f"({RECORDS}, {part_name(0)}, {part_name(1)}... or table-<name>.json)",
            )
        if any(link.path == name for link in links):
            raise UrlFileError(where, f"{at}: {name} is listed twice")
        link = _link(where, f"{at}: {name}", found, MAX_FILE_BYTES)
        links.append(Link(link.url, link.sha256, link.size, name))
    signed = item.get("signature")
    signature = (
        None if signed is None else _link(where, f"{at}: signature", signed, MAX_SIGNATURE_BYTES)
    )
    return UrlEntry(manifest, tuple(links), signature)


def _link(where: str, at: str, item: Any, most: int) -> Link:
    if not isinstance(item, dict):
        raise UrlFileError(where, f"{at} is {_kind(item)}, not an object with url, sha256, size")
    try:
        url = check_url(item.get("url"))
    except ValueError as error:
        raise UrlFileError(where, f"{at}: the url {error}") from None
    sha256, size = item.get("sha256"), item.get("size")
    if not isinstance(sha256, str) or not _SHA256.fullmatch(sha256):
        raise UrlFileError(where, f"{at}: sha256 {_short(sha256)} is not 64 lowercase hex digits")
    if not isinstance(size, int) or isinstance(size, bool) or not 0 <= size <= most:
        raise UrlFileError(where, f"{at}: size {_short(size)} is not a whole number 0 to {most:,}")
    return Link(url, sha256, size)


def _link_json(link: Link, *, with_path: bool = True) -> dict[str, Any]:
    found: dict[str, Any] = {"path": link.path} if with_path else {}
    return {**found, "url": link.url, "sha256": link.sha256, "size": link.size}


def _signature_json(link: Link | None) -> dict[str, Any]:
    return {} if link is None else {"signature": _link_json(link, with_path=False)}


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _kind(value: Any) -> str:
    return "null" if value is None else f"a {type(value).__name__}"


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."
