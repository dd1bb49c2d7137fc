"""Uploading a local entry to the shared S3 cache as it is (``synthdata cache push``).

The entry's files and its manifest go up byte for byte: an entry of parts stays an entry of
the same parts, and the manifest keeps its ``created_at``, so the shared entry is the local
one and a later pull gives back the same bytes. The puts are the S3 store's: each data file
create-only (the same bytes already there, from an earlier push that broke off, are kept),
then the signature when the store signs, then the manifest last, so a reader that finds the
manifest finds the whole entry.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from synthdata_sdk.cache.entry_format import (
    listed_files,
    parse_manifest,
    record_files,
    request_from_manifest,
    table_rows,
)

if TYPE_CHECKING:
    from synthdata_sdk.cloud.s3_store import S3Store


def upload_entry(
    store: S3Store,
    fingerprint: str,
    manifest_data: bytes,
    read: Callable[[Mapping[str, Any]], bytes],
    *,
    progress: Callable[[int], None] | None = None,
) -> tuple[dict[str, Any], bool]:
    """Put the entry whose manifest is ``manifest_data`` (its exact bytes) into ``store``.

    ``read(item)`` gives the bytes of each file the manifest lists, already checked against
    the item's size and sha256 (``LocalStore.read_file``); one file is held at a time.
    Returns the manifest of the entry kept, and whether another writer's entry was kept.
    CorruptCacheError when the manifest is not a whole entry of ``fingerprint``, or when the
    shared cache holds other bytes under one of its names.
    """
    manifest = parse_manifest(fingerprint, manifest_data)
    record_files(fingerprint, manifest)  # the records are there, once each, in order
    request_from_manifest(fingerprint, manifest)  # and the request has this fingerprint
    rows = table_rows(fingerprint, manifest)
    for item in listed_files(fingerprint, manifest):
        data = read(item)
        # The metadata a fan-out's parts carry, so that the entry reads as one written there.
        store.put_file(fingerprint, item, data, int(item.get("rows", rows)))
        if progress is not None:
            progress(len(data))
    put = store.put_manifest_bytes(fingerprint, manifest, manifest_data)
    return put.manifest, not put.created
