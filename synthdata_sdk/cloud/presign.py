"""Presigned URLs for the entries of the shared S3 cache (``synthdata cache presign``).

For each entry: a URL of its manifest with the manifest's sha256 and size, a URL of every
file the manifest lists with that file's sha256 and size, and a URL of its signature file
when it has one, so a runner without AWS credentials can download and verify the entry, and
check its signature (``pull --urls``). Signing is local (no call
to AWS); reading the manifests is not.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime, timedelta

from synthdata_sdk.cache.entry_format import (
    MANIFEST,
    MAX_SIGNATURE_BYTES,
    SIGNATURE,
    listed_files,
    parse_manifest,
)
from synthdata_sdk.cloud.s3_source import S3Source
from synthdata_sdk.cloud.s3_store import S3Store
from synthdata_sdk.cloud.transfer import (
    DEFAULT_JOBS,
    MISSING,
    PRESIGNED,
    Outcome,
    in_order,
    problem,
    size_of,
)
from synthdata_sdk.cloud.url_file import Link, UrlEntry, is_data_file_name
from synthdata_sdk.errors import CorruptCacheError, RequestError, SynthDataError

#: SigV4 presigned URLs live at most 7 days
MAX_EXPIRES = 7 * 24 * 3600
DEFAULT_EXPIRES = 3600
_SHA256 = re.compile(r"[0-9a-f]{64}")


def expiry(seconds: int) -> str:
    """When URLs signed now for ``seconds`` expire (ISO 8601, UTC)."""
    return (datetime.now(UTC) + timedelta(seconds=seconds)).isoformat(timespec="seconds")


def presign(
    store: S3Store,
    fingerprints: Sequence[str],
    *,
    expires: int = DEFAULT_EXPIRES,
    jobs: int = DEFAULT_JOBS,
) -> Iterator[tuple[Outcome, UrlEntry | None]]:
    """The URLs of each entry, valid for ``expires`` seconds, in the order asked for; an entry
    S3 lacks (or that fails its checks) has an outcome saying so and no URLs."""
    if not isinstance(expires, int) or isinstance(expires, bool) or not 1 <= expires <= MAX_EXPIRES:
        raise RequestError(f"expires {expires!r} is not 1 to {MAX_EXPIRES} seconds (7 days)")
    source = S3Source(store)

    def sign(fingerprint: str) -> tuple[Outcome, UrlEntry | None]:
        try:
            return _sign(store, source, fingerprint, expires)
        except SynthDataError as error:
            return problem(fingerprint, error), None

    yield from in_order(jobs, fingerprints, sign)


def _sign(
    store: S3Store, source: S3Source, fingerprint: str, expires: int
) -> tuple[Outcome, UrlEntry | None]:
    data = source.manifest(fingerprint)
    if data is None:
        return Outcome(fingerprint, MISSING, detail=f"not in {store.uri(fingerprint)}"), None
    manifest = parse_manifest(fingerprint, data)
    files: list[Link] = []
    for item in listed_files(fingerprint, manifest):
        name = str(item["path"])
        if not is_data_file_name(name):
            raise CorruptCacheError(fingerprint, f"{MANIFEST} lists {name!r}, not a data file")
        size, sha256 = size_of(fingerprint, item), item.get("sha256")
        if not isinstance(sha256, str) or not _SHA256.fullmatch(sha256):
            raise CorruptCacheError(fingerprint, f"{MANIFEST} gives {name} no valid sha256")
        files.append(Link(_url(store, fingerprint, name, expires), sha256, size, name))
    digest = hashlib.sha256(data).hexdigest()
    manifest_link = Link(_url(store, fingerprint, MANIFEST, expires), digest, len(data))
    entry = UrlEntry(manifest_link, tuple(files), _signature(store, fingerprint, expires))
    return Outcome(fingerprint, PRESIGNED, size=sum(link.size for link in files)), entry


def _signature(store: S3Store, fingerprint: str, expires: int) -> Link | None:
    """The link of the entry's signature file, None when it is not signed. (A signature is put
    before its manifest, so a signed entry whose manifest was read has it.)"""
    data = store.objects.get(store.entry_key(fingerprint, SIGNATURE))
    if data is None:
        return None
    if len(data) > MAX_SIGNATURE_BYTES:
        raise CorruptCacheError(
            fingerprint, f"{SIGNATURE} has {len(data):,} bytes: not a signature"
        )
    digest = hashlib.sha256(data).hexdigest()
    return Link(_url(store, fingerprint, SIGNATURE, expires), digest, len(data))


def _url(store: S3Store, fingerprint: str, name: str, expires: int) -> str:
    params = {"Bucket": store.bucket, "Key": store.entry_key(fingerprint, name)}
    return str(
        store.objects.client.generate_presigned_url("get_object", Params=params, ExpiresIn=expires)
    )
