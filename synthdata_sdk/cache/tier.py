"""The one interface every dataset store implements, so the resolver treats tiers alike.

A store keeps entries by request fingerprint in the layout of ``entry_format.py``: the local
folder (``store.LocalStore``) and the shared S3 prefix (``synthdata_sdk.cloud.s3_store``).
Stores differ in how they make a write atomic (a folder renamed into place, objects put
create-only with the manifest last), never in what an entry holds.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

if TYPE_CHECKING:
    from synthdata_sdk.cache.store import LocalStore
    from synthdata_sdk.dataset import Dataset
    from synthdata_sdk.generation.request import DatasetRequest


@runtime_checkable
class DatasetStore(Protocol):
    """Datasets by fingerprint: look up, read verified, put create-only, list and delete."""

    def contains(self, fingerprint: str) -> bool:
        """Whether a complete entry exists (its files are not verified)."""

    def manifest(self, fingerprint: str) -> dict[str, Any]:
        """The entry's manifest; DatasetNotCachedError if absent, CorruptCacheError if bad."""

    def load(self, fingerprint: str, request: DatasetRequest | None = None) -> Dataset:
        """The dataset, every file checked against the manifest's sha256 and size.

        DatasetNotCachedError if there is no complete entry, CorruptCacheError if a file does
        not match; ``request`` (when given) must have ``fingerprint``.
        """

    def put(self, dataset: Dataset) -> dict[str, Any]:
        """Store ``dataset`` unless its entry exists; return the manifest of the entry kept.

        Create-only: an existing complete entry is never replaced, and finding one (another
        writer won the race) is not an error.
        """

    def fingerprints(self) -> list[str]:
        """The fingerprints the store names, sorted."""

    def remove(self, fingerprint: str) -> bool:
        """Delete one entry; False if there was none."""

    def location(self, fingerprint: str) -> str:
        """Where the entry lives (a path or a URI), for messages."""


if TYPE_CHECKING:

    def _local_store_is_a_dataset_store(store: LocalStore) -> DatasetStore:
        return store  # mypy checks that LocalStore implements the interface
