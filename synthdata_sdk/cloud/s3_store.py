"""The S3 dataset store: entries under ``s3://<bucket>/<prefix>/datasets/<fingerprint>/``.

The same layout as the local store (``cache/entry_format.py``): ``records.json``, record
parts ``records-00000.json``... or a table set's ``table-<name>.json`` files, then
``manifest.json``. Writes are create-only
(``If-None-Match: *``) and the manifest goes last, so a reader that finds a manifest finds
the whole entry, two writers of one fingerprint leave one entry and neither fails, and an
existing entry is never replaced. A manifest whose files are not all there is "not cached".
Every read is checked against the manifest's sha256 and size.

A fan-out writes its parts independently (``put_part``), and one caller writes the manifest
once every part exists (``finish``).

Signed entries (``cloud/signing.py``): with a ``signer``, the manifest's signature
``manifest.json.sig`` is put create-only before the manifest, so "the manifest is there"
still means "the entry is complete". With a ``verifier``, a manifest is served only if its
signature verifies; an entry without one is served with an ``UnsignedEntryWarning``, or
refused when ``require_signed``.
"""

from __future__ import annotations

import contextlib
import re
import time
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from synthdata_sdk.cache.entry_format import (
    MANIFEST,
    RECORDS,
    SIGNATURE,
    data_item,
    encode_records,
    encode_tables,
    entry_manifest,
    file_item,
    file_name,
    listed_files,
    load_entry,
    manifest_bytes,
    parse_manifest,
    part_name,
    parts_manifest,
    summaries,
    tables_manifest,
)
from synthdata_sdk.cache.names import is_fingerprint
from synthdata_sdk.cloud.s3_objects import S3Objects
from synthdata_sdk.cloud.s3_uri import clean_prefix, parse_s3_uri
from synthdata_sdk.errors import (
    CacheError,
    CorruptCacheError,
    DatasetNotCachedError,
    RequestError,
)

if TYPE_CHECKING:
    from synthdata_sdk.cache.tier import DatasetStore
    from synthdata_sdk.cloud.signing import ManifestSigner, ManifestVerifier
    from synthdata_sdk.dataset import Dataset
    from synthdata_sdk.formats.base import Chunk
    from synthdata_sdk.generation.request import DatasetRequest

DATASETS = "datasets"
#: user metadata on a record file, so that ``finish`` lists parts without reading them
_SHA256 = "sha256"
_ROWS = "rows"
#: seconds between looks for the manifest of a writer that signed first (about 6 s in all)
_SIGNED_WRITER_WAITS = (0.1, 0.2, 0.4, 0.8, 1.5, 3.0)


@dataclass(frozen=True)
class Put:
    """What a put left in the store: the entry's ``manifest``, and whether this put
    ``created`` it (False: an entry already there was kept)."""

    manifest: dict[str, Any]
    created: bool


class S3Store:
    """Datasets in an S3 bucket under ``prefix``, keyed by request fingerprint.

    ``client`` is a boto3 S3 client (configure its retries and endpoint as you need);
    ``kms_key_id`` the KMS key every object is encrypted with (None: the bucket's default
    encryption). ``recheck`` scans again the records of an entry whose request named
    compliance profiles, as the local store does. ``signer`` signs every manifest written;
    ``verifier`` checks the signature of every manifest read, and ``require_signed`` (which
    needs a verifier) refuses entries without one.
    """

    def __init__(
        self,
        client: Any,
        bucket: str,
        prefix: str = "",
        kms_key_id: str | None = None,
        *,
        recheck: bool = True,
        signer: ManifestSigner | None = None,
        verifier: ManifestVerifier | None = None,
        require_signed: bool = False,
    ) -> None:
        if require_signed and verifier is None:
            raise RequestError("require_signed needs a verifier (the key whose signatures count)")
        self.objects = S3Objects(client, bucket, kms_key_id=kms_key_id)
        self.prefix = clean_prefix(prefix)
        self.recheck = recheck
        self.signer = signer
        self.verifier = verifier
        self.require_signed = require_signed

    @classmethod
    def from_uri(
        cls, uri: str, client: Any, kms_key_id: str | None = None, **options: Any
    ) -> S3Store:
        """The store at ``s3://bucket/prefix``; ``options`` as the constructor takes them."""
        bucket, prefix = parse_s3_uri(uri)
        return cls(client, bucket, prefix, kms_key_id, **options)

    def __repr__(self) -> str:
        return f"S3Store({self.objects.uri(self.prefix)!r})"

    @property
    def bucket(self) -> str:
        """The bucket's name."""
        return self.objects.bucket

    def key(self, *names: str) -> str:
        """The object key of ``names`` below the prefix."""
        return "/".join([self.prefix, *names] if self.prefix else names)

    def entry_key(self, fingerprint: str, name: str) -> str:
        """The object key of file ``name`` in the entry of ``fingerprint`` (a checked one)."""
        return self._entry_key(fingerprint, name)

    def uri(self, fingerprint: str) -> str:
        """``s3://bucket/prefix/datasets/<fingerprint>/``."""
        return self.objects.uri(self._entry_key(fingerprint, ""))

    def location(self, fingerprint: str) -> str:
        """Where the entry lives, for messages: its S3 URI."""
        return self.uri(fingerprint)

    # ----------------------------------------------------------------------------------------
    # Reading

    def contains(self, fingerprint: str) -> bool:
        """Whether a complete entry exists: a readable manifest and every file it lists (its
        signature is not checked)."""
        try:
            manifest = self._unchecked_manifest(fingerprint)
            return not self._missing(fingerprint, manifest)
        except (DatasetNotCachedError, CorruptCacheError):
            return False

    def manifest(self, fingerprint: str) -> dict[str, Any]:
        """The entry's manifest; DatasetNotCachedError if absent, CorruptCacheError if bad.

        With a verifier, its signature is checked first (EntrySignatureError if it does not
        hold, or if there is none and ``require_signed``).
        """
        data = self._manifest_bytes(fingerprint)
        self.check_signature(fingerprint, data)
        with self._naming_the_uri(fingerprint):
            return parse_manifest(fingerprint, data)

    def check_signature(self, fingerprint: str, manifest: bytes) -> None:
        """Return if ``manifest`` (an entry's manifest, its exact bytes) may be served.

        Without a verifier any manifest may. With one, EntrySignatureError unless the entry's
        signature verifies; an entry without a signature is refused when ``require_signed``,
        and otherwise allowed with an UnsignedEntryWarning. (This is the ``check_manifest``
        hook a pull takes, see ``transfer.plan_pull``.)
        """
        if self.verifier is None:
            return
        # imported here: a store that checks no signatures does without cryptography
        from synthdata_sdk.cloud.manifest_signature import check_signed

        signature = self.objects.get(self._entry_key(fingerprint, SIGNATURE))
        check_signed(
            self.verifier,
            fingerprint,
            manifest,
            signature,
            self.uri(fingerprint),
            require_signed=self.require_signed,
        )

    def load(self, fingerprint: str, request: DatasetRequest | None = None) -> Dataset:
        """The dataset, every file checked against the manifest's sha256 and size.

        A file the manifest lists but S3 does not hold makes the entry not cached
        (DatasetNotCachedError); a file that does not match is CorruptCacheError naming the
        entry's URI.
        """
        if request is not None and request.fingerprint() != fingerprint:
            raise CacheError("the request does not have the fingerprint asked for")
        manifest = self.manifest(fingerprint)
        with self._naming_the_uri(fingerprint):
            return load_entry(
                fingerprint,
                manifest,
                request,
                lambda name: self._read(fingerprint, name),
                recheck=self.recheck,
            )

    def fingerprints(self) -> list[str]:
        """The fingerprints with objects under the prefix, sorted (complete or not)."""
        found = self.objects.folders(self.key(DATASETS, ""))
        return [name for name in found if is_fingerprint(name)]

    # ----------------------------------------------------------------------------------------
    # Writing

    def put(self, dataset: Dataset) -> dict[str, Any]:
        """Store ``dataset`` as one ``records.json`` (a table set: one ``table-<name>.json``
        per table) unless its entry exists; returns the manifest of the entry kept (another
        writer winning the race is not an error)."""
        return self.add(dataset).manifest

    def add(self, dataset: Dataset) -> Put:
        """``put``, saying whether this call created the entry or kept one already there
        (stored before, or written by another writer in the meantime: a lost race)."""
        request = dataset.request
        fingerprint = request.fingerprint()
        if self.contains(fingerprint):
            return Put(self._unchecked_manifest(fingerprint), created=False)
        compliance, quality = summaries(dataset)
        if dataset.is_table_set:
            # one file per table, as the local store keeps a table set
            items = []
            for item, data in encode_tables(
                {name: [rows] for name, rows in dataset.tables.items()}
            ):
                self.put_file(fingerprint, item, data, int(item["rows"]))
                items.append(item)
            manifest = tables_manifest(request, items, compliance=compliance, quality=quality)
            return self._put_manifest(fingerprint, manifest)
        data, rows = encode_records(dataset.batches())
        item = data_item(RECORDS, data)
        self.put_file(fingerprint, item, data, rows)
        manifest = entry_manifest(
            request, [item], rows=rows, compliance=compliance, quality=quality
        )
        return self._put_manifest(fingerprint, manifest)

    def put_part(self, fingerprint: str, index: int, chunks: Iterable[Chunk]) -> dict[str, Any]:
        """Write record part ``index`` of an entry (create-only); returns its manifest item.

        A part already there with the same bytes is kept (a retried partition is a no-op);
        one with other bytes is CorruptCacheError, since a fingerprint always gives the same
        records.
        """
        self._entry_key(fingerprint, "")  # validates the fingerprint
        if not isinstance(index, int) or isinstance(index, bool) or index < 0:
            raise RequestError(f"part index {index!r} is not a whole number >= 0")
        data, rows = encode_records(chunks)
        item = data_item(part_name(index), data, part=index, rows=rows)
        self.put_file(fingerprint, item, data, rows)
        return item

    def finish(
        self,
        request: DatasetRequest,
        parts: int,
        *,
        compliance: dict[str, Any] | None = None,
        quality: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        """Write the manifest of an entry of ``parts`` parts, once all of them exist.

        The parts are listed from their metadata (readers verify the bytes anyway); a
        missing part is a CacheError and nothing is written. Returns the manifest of the
        entry kept: an existing one wins, as with ``put``.
        """
        fingerprint = request.fingerprint()
        if not isinstance(parts, int) or isinstance(parts, bool) or parts < 1:
            raise RequestError(f"parts {parts!r} is not a whole number >= 1")
        items = [self._listed_part(fingerprint, index, parts) for index in range(parts)]
        manifest = parts_manifest(request, items, compliance=compliance, quality=quality)
        return self._put_manifest(fingerprint, manifest).manifest

    # ----------------------------------------------------------------------------------------
    # Housekeeping

    def remove(self, fingerprint: str) -> bool:
        """Delete one entry, manifest first (so readers stop finding it at once); False if
        there was none."""
        keys = self.objects.keys(self._entry_key(fingerprint, ""))
        if not keys:
            return False
        manifest = self._entry_key(fingerprint, MANIFEST)
        if manifest in keys:
            self.objects.delete([manifest])
        self.objects.delete(key for key in keys if key != manifest)
        return True

    # ----------------------------------------------------------------------------------------

    def _manifest_bytes(self, fingerprint: str) -> bytes:
        data = self.objects.get(self._entry_key(fingerprint, MANIFEST))
        if data is None:
            raise DatasetNotCachedError(
                fingerprint, "?", f"dataset {fingerprint} is not in {self.uri(fingerprint)}"
            )
        return data

    def _unchecked_manifest(self, fingerprint: str) -> dict[str, Any]:
        """The manifest, its signature not checked (for writers and ``contains``)."""
        data = self._manifest_bytes(fingerprint)
        with self._naming_the_uri(fingerprint):
            return parse_manifest(fingerprint, data)

    def _entry_key(self, fingerprint: str, name: str) -> str:
        if not isinstance(fingerprint, str) or not is_fingerprint(fingerprint):
            raise CacheError(f"{fingerprint!r} is not a fingerprint (expected 64 hex digits)")
        return self.key(DATASETS, fingerprint, name)

    def _read(self, fingerprint: str, name: str) -> bytes:
        data = self.objects.get(self._entry_key(fingerprint, name))
        if data is None:
            raise DatasetNotCachedError(
                fingerprint,
                "?",
                f"dataset {fingerprint} is not complete in {self.uri(fingerprint)}: "
                f"{name} is missing",
            )
        return data

    def _missing(self, fingerprint: str, manifest: Mapping[str, Any]) -> list[str]:
        names = [file_name(fingerprint, item) for item in listed_files(fingerprint, manifest)]
        there = set(self.objects.keys(self._entry_key(fingerprint, "")))
        return [name for name in names if self._entry_key(fingerprint, name) not in there]

    def put_file(self, fingerprint: str, item: Mapping[str, Any], data: bytes, rows: int) -> None:
        """Put one data file of an entry create-only (the manifest ``item`` names it); the same
        bytes already there are kept, other bytes are a CorruptCacheError."""
        name = str(item["path"])
        key = self._entry_key(fingerprint, name)
        metadata = {_SHA256: str(item["sha256"]), _ROWS: str(rows)}
        if self.objects.put_new(key, data, metadata=metadata):
            return
        # There already: the same bytes (a retry, a lost race) are kept as they are.
        head = self.objects.head(key)
        if head is not None and head.metadata.get(_SHA256) == item["sha256"]:
            return
        existing = self.objects.get(key) if head is not None else None
        if existing is not None and data_item(name, existing)["sha256"] == item["sha256"]:
            return
        raise CorruptCacheError(
            fingerprint,
            f"{self.objects.uri(key)} already holds other bytes than this dataset's {name}; "
            "remove the entry to write it again",
        )

    def _put_manifest(self, fingerprint: str, manifest: dict[str, Any]) -> Put:
        return self.put_manifest_bytes(fingerprint, manifest, manifest_bytes(manifest))

    def put_manifest_bytes(self, fingerprint: str, manifest: dict[str, Any], data: bytes) -> Put:
        """Sign ``data`` (``manifest`` as bytes) if this store signs, and put it create-only,
        last; another writer's entry, once whole, is kept (``created`` False)."""
        if self.signer is not None:
            signature = self.signer.sign(data)
            if not self.objects.put_new(self._entry_key(fingerprint, SIGNATURE), signature):
                # Another writer signed first: its manifest, not ours, goes with that signature.
                return Put(self._await_signed_writer(fingerprint), created=False)
        if self.objects.put_new(self._entry_key(fingerprint, MANIFEST), data):
            return Put(manifest, created=True)
        return Put(self._kept_manifest(fingerprint), created=False)

    def _kept_manifest(self, fingerprint: str) -> dict[str, Any]:
        """The manifest another writer put first, once its files are all there."""
        kept = self._unchecked_manifest(fingerprint)
        missing = self._missing(fingerprint, kept)
        if missing:
            raise CorruptCacheError(
                fingerprint,
                f"the manifest in {self.uri(fingerprint)} lists files that are not there "
                f"({', '.join(missing)}); remove the entry to write it again",
            )
        return kept

    def _await_signed_writer(self, fingerprint: str) -> dict[str, Any]:
        """The manifest of the writer whose signature is in place, once it puts it.

        That writer puts its manifest right after its signature; a signature that stays alone
        is left by a writer that stopped between the two puts, and blocks the entry until it
        is removed.
        """
        for wait in (0.0, *_SIGNED_WRITER_WAITS):
            time.sleep(wait)
            if self.objects.head(self._entry_key(fingerprint, MANIFEST)) is not None:
                return self._kept_manifest(fingerprint)
        raise CacheError(
            f"cannot write {self.uri(fingerprint)}: its {SIGNATURE} is there without "
            f"{MANIFEST}, so another writer is still writing it or stopped half way; remove "
            "the entry to write it again"
        )

    def _listed_part(self, fingerprint: str, index: int, parts: int) -> dict[str, Any]:
        name = part_name(index)
        head = self.objects.head(self._entry_key(fingerprint, name))
        if head is None:
            raise CacheError(
                f"cannot finish {self.uri(fingerprint)}: part {index} of {parts} ({name}) "
                "is not there yet"
            )
        sha256, rows = head.metadata.get(_SHA256, ""), head.metadata.get(_ROWS, "")
        if not re.fullmatch(r"[0-9a-f]{64}", sha256) or not rows.isdigit():
            raise CorruptCacheError(
                fingerprint,
                f"{name} in {self.uri(fingerprint)} has no sha256 and row count; remove the "
                "entry to write it again",
            )
        return file_item(name, sha256=sha256, size=head.size, part=index, rows=int(rows))

    @contextlib.contextmanager
    def _naming_the_uri(self, fingerprint: str) -> Iterator[None]:
        """Add the entry's URI to a CorruptCacheError's reason."""
        try:
            yield
        except CorruptCacheError as error:
            if error.fingerprint != fingerprint or "s3://" in error.reason:
                raise
            raise type(error)(fingerprint, f"{error.reason} (in {self.uri(fingerprint)})") from None


if TYPE_CHECKING:

    def _s3_store_is_a_dataset_store(store: S3Store) -> DatasetStore:
        return store  # mypy checks that S3Store implements the interface
