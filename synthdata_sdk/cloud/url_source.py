"""Reading entries through presigned URLs for a pull (``synthdata cache pull --urls``), with
``requests`` alone: no AWS library, no credentials.

Every URL was checked when the file was read (``url_file.py``); redirects are not followed,
so a download never goes elsewhere. The manifest is checked against the digest the URL file
gives it, and its files against the URL file's list, before anything else is fetched. With a
verifier, the manifest's signature is checked too (``check_signature``, the ``check_manifest``
hook of ``transfer.plan_pull``), as the shared S3 store checks it.
"""

from __future__ import annotations

import contextlib
import io
import re
import threading
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

import requests
from urllib3.exceptions import HTTPError

from synthdata_sdk.cache.entry_format import MANIFEST, SIGNATURE, check_bytes, listed_files
from synthdata_sdk.cloud.transfer import CHUNK, Body, DroppedError, download
from synthdata_sdk.cloud.url_file import Link, UrlEntry
from synthdata_sdk.errors import (
    BackendAccessError,
    BackendError,
    CorruptCacheError,
    DatasetNotCachedError,
    RequestError,
)

if TYPE_CHECKING:
    from synthdata_sdk.cloud.manifest_signature import ManifestVerifier

#: seconds to wait for a connection, and between two reads of an answer
TIMEOUT = (10.0, 60.0)
_CONTENT_RANGE = re.compile(r"bytes (\d+)-\d+/(?:\d+|\*)")
_RETRIED = frozenset({408, 429, 500, 502, 503, 504})


class UrlSource:
    """The entries a URL file names; ``where`` (the file's path) is used in messages.

    ``verifier`` checks the signature of every manifest (``check_signature``), and
    ``require_signed`` (which needs a verifier) refuses entries without one.
    """

    def __init__(
        self,
        entries: Mapping[str, UrlEntry],
        where: str,
        *,
        verifier: ManifestVerifier | None = None,
        require_signed: bool = False,
    ) -> None:
        if require_signed and verifier is None:
            raise RequestError("require_signed needs a verifier (the key whose signatures count)")
        self.entries = dict(entries)
        self.where = where
        self.verifier = verifier
        self.require_signed = require_signed
        self._sessions = threading.local()

    def location(self, fingerprint: str) -> str:
        """The URL file, for messages (the URLs themselves are secrets until they expire)."""
        return f"the URL file {self.where}"

    def manifest(self, fingerprint: str) -> bytes | None:
        """The manifest, checked against the URL file's digest; None if the file lacks it."""
        entry = self.entries.get(fingerprint)
        if entry is None:
            return None
        buffer = io.BytesIO()
        download(self, fingerprint, MANIFEST, entry.manifest.size, buffer)
        item = {**entry.manifest.item(), "path": MANIFEST}
        return check_bytes(fingerprint, item, buffer.getvalue())

    def signature(self, fingerprint: str) -> bytes | None:
        """The entry's signature file, checked against the URL file's digest; None if the URL
        file gives it none."""
        link = self.entries[fingerprint].signature
        if link is None:
            return None
        buffer = io.BytesIO()
        download(self, fingerprint, SIGNATURE, link.size, buffer)
        return check_bytes(fingerprint, {**link.item(), "path": SIGNATURE}, buffer.getvalue())

    def check_signature(self, fingerprint: str, manifest: bytes) -> None:
        """Return if ``manifest`` (its exact bytes) may be pulled: as ``S3Store.check_signature``
        decides it, with the signature file the URL file gives."""
        if self.verifier is None:
            return
        # imported here: pulling without checking signatures does without cryptography
        from synthdata_sdk.cloud.manifest_signature import check_signed

        check_signed(
            self.verifier,
            fingerprint,
            manifest,
            self.signature(fingerprint),
            self.location(fingerprint),
            require_signed=self.require_signed,
        )

    def check(self, fingerprint: str, manifest: Mapping[str, Any]) -> None:
        """CorruptCacheError unless the URL file lists exactly the manifest's files, each with
        the manifest's sha256 and size."""
        links = {link.path: link for link in self.entries[fingerprint].files}
        listed = listed_files(fingerprint, manifest)
        for item in listed:
            link = links.get(str(item["path"]))
            if link is None:
                raise CorruptCacheError(
                    fingerprint, f"{self.location(fingerprint)} has no URL for {item['path']}"
                )
            if (link.sha256, link.size) != (item.get("sha256"), item.get("size")):
                raise CorruptCacheError(
                    fingerprint,
                    f"{self.location(fingerprint)} and {MANIFEST} disagree about {link.path}",
                )
        extra = sorted(set(links) - {str(item["path"]) for item in listed})
        if extra:
            raise CorruptCacheError(
                fingerprint,
                f"{self.location(fingerprint)} lists {', '.join(extra)}, which {MANIFEST} does not",
            )

    @contextlib.contextmanager
    def open(self, fingerprint: str, name: str, offset: int) -> Iterator[Body]:
        """The bytes of ``name`` from ``offset`` on (an HTTP ``Range`` request)."""
        link = self._link(fingerprint, name)
        headers = {"Accept-Encoding": "identity"}  # the bytes as stored, so ranges line up
        if offset:
            headers["Range"] = f"bytes={offset}-"
        try:
            answer = self._session().get(
                link.url, headers=headers, stream=True, timeout=TIMEOUT, allow_redirects=False
            )
        except requests.RequestException as error:
            raise DroppedError(f"{type(error).__name__}: {error}") from None
        with answer:
            start = self._start(fingerprint, name, answer)
            yield Body(start, _chunks(answer))

    def _start(self, fingerprint: str, name: str, answer: requests.Response) -> int:
        """Where the answer's bytes start; the typed error of an answer without them."""
        status = answer.status_code
        if status == 206:
            found = _CONTENT_RANGE.fullmatch(answer.headers.get("Content-Range", ""))
            return int(found[1]) if found else -1
        if status == 200:
            return 0
        if status in _RETRIED:
            raise DroppedError(f"HTTP {status}")
        what = f"{name} of {fingerprint[:12]} (from {self.location(fingerprint)})"
        request_id = answer.headers.get("x-amz-request-id", "")
        if status == 404:
            raise DatasetNotCachedError(
                fingerprint, "?", f"dataset {fingerprint} is not complete: {what} is missing"
            )
        if status in (401, 403):
            raise BackendAccessError(
                f"the URL of {what} was refused (HTTP {status}); presigned URLs expire: write "
                "the URL file again with synthdata cache presign",
                code=str(status),
                request_id=request_id,
            )
        raise BackendError(f"the URL of {what} answered HTTP {status}", code=str(status))

    def _link(self, fingerprint: str, name: str) -> Link:
        entry = self.entries[fingerprint]
        if name == MANIFEST:
            return entry.manifest
        if name == SIGNATURE and entry.signature is not None:
            return entry.signature
        for link in entry.files:
            if link.path == name:
                return link
        raise CorruptCacheError(fingerprint, f"{self.location(fingerprint)} has no URL for {name}")

    def _session(self) -> requests.Session:
        """One session per thread: a session's connection pool is not shared between them."""
        session: requests.Session | None = getattr(self._sessions, "session", None)
        if session is None:
            session = requests.Session()
            self._sessions.session = session
        return session


def _chunks(answer: requests.Response) -> Iterator[bytes]:
    """The answer's bytes as they arrive; DroppedError when the connection breaks off.

    Read raw (the bytes as stored, as ``Accept-Encoding: identity`` asked): each read hands
    over what arrived even when the connection then drops, so a resume starts after it.
    """
    chunks = answer.raw.stream(CHUNK, decode_content=False)
    while True:
        try:
            chunk = next(chunks, b"")
        except (requests.RequestException, HTTPError, OSError) as error:
            raise DroppedError(f"{type(error).__name__}: {error}") from None
        if not chunk:
            return
        yield chunk
