"""The few S3 calls the cloud backend makes, with typed errors, create-only puts and SSE-KMS.

Every put carries the configured KMS key (``ServerSideEncryption="aws:kms"``) and the
sha256 of its body (``ChecksumSHA256``, so S3 refuses a body damaged on the way up). A
create-only put sends ``If-None-Match: *``: S3 answers 412 when the key exists, which is
reported as "it was there" and never as an error.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from botocore.exceptions import (
    BotoCoreError,
    ClientError,
    FlexibleChecksumError,
    IncompleteReadError,
    ReadTimeoutError,
    ResponseStreamingError,
)

from synthdata_sdk.cloud.aws_errors import backend_error
from synthdata_sdk.cloud.s3_uri import check_bucket
from synthdata_sdk.errors import BackendError

#: the answers that mean "no such key": GetObject says NoSuchKey, HeadObject only 404
_MISSING = frozenset({"NoSuchKey", "404", "NotFound"})
#: a conditional write raced another one to the same key; S3 asks to retry it
_CONFLICT = "ConditionalRequestConflict"
_CONFLICT_RETRIES = 4
#: reads of one object whose body is cut off before its end, or damaged on the way
_BODY_ATTEMPTS = 3
_CUT_OFF = (FlexibleChecksumError, IncompleteReadError, ReadTimeoutError, ResponseStreamingError)
_DELETE_BATCH = 1000
Result = TypeVar("Result")


@dataclass(frozen=True)
class Head:
    """What HeadObject says about an object."""

    size: int
    metadata: Mapping[str, str]


class S3Objects:
    """Objects of one bucket through a boto3 S3 client (any endpoint; moto in tests)."""

    def __init__(self, client: Any, bucket: str, *, kms_key_id: str | None = None) -> None:
        self.client = client
        self.bucket = check_bucket(bucket)
        self.kms_key_id = kms_key_id

    def uri(self, key: str) -> str:
        """``s3://bucket/key``."""
        return f"s3://{self.bucket}/{key}"

    def put_new(self, key: str, data: bytes, *, metadata: Mapping[str, str] | None = None) -> bool:
        """Create ``key`` holding ``data`` unless it exists; False when it did (nothing written)."""
        conflicts = 0
        while True:
            try:
                self._call(
                    "PutObject", key, lambda: self._put(key, data, metadata, IfNoneMatch="*")
                )
            except BackendError as error:
                if error.code == "PreconditionFailed":
                    return False
                if error.code == _CONFLICT and conflicts < _CONFLICT_RETRIES:
                    # Another create of this key is in flight; once it is done S3 answers 412.
                    time.sleep(0.05 * 2**conflicts)
                    conflicts += 1
                    continue
                raise
            return True

    def put(self, key: str, data: bytes, *, metadata: Mapping[str, str] | None = None) -> None:
        """Write ``key``, replacing what is there (for pointers, never for dataset files)."""
        self._call("PutObject", key, lambda: self._put(key, data, metadata))

    def get(self, key: str) -> bytes | None:
        """The bytes of ``key``, or None if there is no such key.

        botocore retries a call that fails before its answer starts, not a body cut off
        halfway (or failing its checksum); such a read is started again, whole, up to
        ``_BODY_ATTEMPTS`` times.
        """
        attempt = 0
        while True:
            attempt += 1
            try:
                answer = self._call(
                    "GetObject", key, lambda: self.client.get_object(Bucket=self.bucket, Key=key)
                )
            except BackendError as error:
                if error.code in _MISSING:
                    return None
                raise
            try:
                return bytes(answer["Body"].read())
            except _CUT_OFF as error:
                if attempt >= _BODY_ATTEMPTS:
                    raise backend_error(
                        error, doing="S3 GetObject", resource=self.uri(key)
                    ) from None

    def head(self, key: str) -> Head | None:
        """Size and user metadata of ``key``, or None if there is no such key."""
        try:
            answer = self._call(
                "HeadObject", key, lambda: self.client.head_object(Bucket=self.bucket, Key=key)
            )
        except BackendError as error:
            if error.code in _MISSING:
                return None
            raise
        return Head(int(answer["ContentLength"]), dict(answer.get("Metadata") or {}))

    def keys(self, prefix: str) -> list[str]:
        """Every key under ``prefix``, sorted."""
        found: list[str] = []
        for page in self._pages(prefix, delimiter=False):
            found.extend(str(item["Key"]) for item in page.get("Contents") or ())
        return sorted(found)

    def folders(self, prefix: str) -> list[str]:
        """The names one level below ``prefix`` (which ends with ``/``), sorted."""
        found: list[str] = []
        for page in self._pages(prefix, delimiter=True):
            for item in page.get("CommonPrefixes") or ():
                found.append(str(item["Prefix"])[len(prefix) :].rstrip("/"))
        return sorted(found)

    def delete(self, keys: Iterable[str]) -> None:
        """Delete ``keys`` (absent ones included), in batches."""
        batch = list(keys)
        for start in range(0, len(batch), _DELETE_BATCH):
            chunk = batch[start : start + _DELETE_BATCH]
            delete = functools.partial(
                self.client.delete_objects,
                Bucket=self.bucket,
                Delete={"Objects": [{"Key": key} for key in chunk], "Quiet": True},
            )
            answer = self._call("DeleteObjects", chunk[0], delete)
            failed = answer.get("Errors") or []
            if failed:
                first = failed[0]
                raise backend_error(
                    ClientError(
                        {"Error": first, "ResponseMetadata": answer.get("ResponseMetadata", {})},
                        "DeleteObjects",
                    ),
                    doing="S3 DeleteObjects",
                    resource=self.uri(str(first.get("Key", chunk[0]))),
                )

    def _put(
        self, key: str, data: bytes, metadata: Mapping[str, str] | None, **condition: str
    ) -> None:
        params: dict[str, Any] = {
            "Bucket": self.bucket,
            "Key": key,
            "Body": data,
            "ContentType": "application/json",
            "ChecksumSHA256": base64.b64encode(hashlib.sha256(data).digest()).decode("ascii"),
            "Metadata": dict(metadata or {}),
            **condition,
        }
        if self.kms_key_id:
            params["ServerSideEncryption"] = "aws:kms"
            params["SSEKMSKeyId"] = self.kms_key_id
        self.client.put_object(**params)

    def _call(self, doing: str, key: str, call: Callable[[], Result]) -> Result:
        """``call()``, its failure a typed BackendError naming ``doing`` and the key's URI."""
        try:
            return call()
        except (BotoCoreError, ClientError) as error:
            raise backend_error(error, doing=f"S3 {doing}", resource=self.uri(key)) from None

    def _pages(self, prefix: str, *, delimiter: bool) -> Iterator[Any]:
        params: dict[str, Any] = {"Bucket": self.bucket, "Prefix": prefix}
        if delimiter:
            params["Delimiter"] = "/"
        while True:
            page = self._call(
                "ListObjectsV2", prefix, lambda: self.client.list_objects_v2(**params)
            )
            yield page
            token = page.get("NextContinuationToken")
            if not page.get("IsTruncated") or not token:
                return
            params["ContinuationToken"] = token
