"""Reading entries of the shared S3 cache for a pull: the manifest as stored, and each file
from any offset (an S3 ``Range`` request), so a download that broke off goes on where it
stopped.

botocore retries a request that fails before its answer arrives (as the client's retry
configuration says); an answer whose body breaks off is ``DroppedError``, for ``download``
to resume.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

from botocore.exceptions import BotoCoreError, ClientError
from urllib3.exceptions import HTTPError

from synthdata_sdk.cache.entry_format import MANIFEST
from synthdata_sdk.cloud.aws_errors import backend_error, error_code
from synthdata_sdk.cloud.transfer import CHUNK, MAX_MANIFEST_BYTES, Body, DroppedError
from synthdata_sdk.errors import BackendUnavailableError, CorruptCacheError, DatasetNotCachedError

if TYPE_CHECKING:
    from synthdata_sdk.cloud.s3_store import S3Store

#: the answers that mean "no such key": GetObject says NoSuchKey, a bare 404 otherwise
_MISSING = frozenset({"NoSuchKey", "404", "NotFound"})
_CONTENT_RANGE = re.compile(r"bytes (\d+)-\d+/(?:\d+|\*)")


class S3Source:
    """The entries of an ``S3Store``, read for ``transfer.run_pull``."""

    def __init__(self, store: S3Store) -> None:
        self.store = store

    def location(self, fingerprint: str) -> str:
        """The entry's S3 URI."""
        return self.store.uri(fingerprint)

    def manifest(self, fingerprint: str) -> bytes | None:
        """The entry's ``manifest.json`` as stored; None if there is none."""
        key = self.store.entry_key(fingerprint, MANIFEST)
        answer = self._get(fingerprint, key, MANIFEST)
        if answer is None:
            return None
        with contextlib.closing(answer["Body"]) as body:
            length = int(answer.get("ContentLength") or 0)
            if length > MAX_MANIFEST_BYTES:
                raise CorruptCacheError(
                    fingerprint,
                    f"{MANIFEST} has {length:,} bytes, more than {MAX_MANIFEST_BYTES:,}",
                )
            try:
                return bytes(body.read())
            except (BotoCoreError, HTTPError, OSError) as error:
                uri = self.objects_uri(key)
                raise BackendUnavailableError(
                    f"S3 GetObject {uri} broke off: {error}; retry later",
                    code=type(error).__name__,
                    resource=uri,
                ) from None

    def check(self, fingerprint: str, manifest: Mapping[str, Any]) -> None:
        """Nothing to compare: the manifest is the only account S3 gives of an entry."""

    @contextlib.contextmanager
    def open(self, fingerprint: str, name: str, offset: int) -> Iterator[Body]:
        """The bytes of ``name`` from ``offset`` on; DatasetNotCachedError if S3 lacks it."""
        key = self.store.entry_key(fingerprint, name)
        answer = self._get(fingerprint, key, name, offset=offset)
        if answer is None:
            raise DatasetNotCachedError(
                fingerprint,
                "?",
                f"dataset {fingerprint} is not complete in {self.location(fingerprint)}: "
                f"{name} is missing",
            )
        found = _CONTENT_RANGE.fullmatch(str(answer.get("ContentRange") or ""))
        with contextlib.closing(answer["Body"]) as body:
            yield Body(int(found[1]) if found else 0, _chunks(body))

    def objects_uri(self, key: str) -> str:
        """``s3://bucket/key``."""
        return self.store.objects.uri(key)

    def _get(self, fingerprint: str, key: str, name: str, *, offset: int = 0) -> Any:
        """GetObject's answer (its body not read yet), None if there is no such key."""
        params: dict[str, Any] = {"Bucket": self.store.bucket, "Key": key}
        if offset:
            params["Range"] = f"bytes={offset}-"
        try:
            return self.store.objects.client.get_object(**params)
        except ClientError as error:
            if error_code(error) in _MISSING:
                return None
            raise backend_error(
                error, doing="S3 GetObject", resource=self.objects_uri(key)
            ) from None
        except BotoCoreError as error:  # retried by botocore already
            raise backend_error(
                error, doing="S3 GetObject", resource=self.objects_uri(key)
            ) from None


def _chunks(body: Any) -> Iterator[bytes]:
    """The body's bytes in chunks; DroppedError when the connection breaks off."""
    while True:
        try:
            chunk = body.read(CHUNK)
        except (BotoCoreError, HTTPError, OSError) as error:
            raise DroppedError(f"{type(error).__name__}: {error}") from None
        if not chunk:
            return
        yield bytes(chunk)
