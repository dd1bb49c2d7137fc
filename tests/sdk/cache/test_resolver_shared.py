"""DatasetCache with a shared tier: memory, local store, shared store, then generation.

The shared tier is any ``DatasetStore``; here a second local store plays it (the S3 store is
tested in the same role in tests/cloud/test_shared_tiers.py), and a store that fails every
call plays an unreachable one.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from synthdata_sdk import SynthDataClient
from synthdata_sdk.cache.resolver import DatasetCache, Origin
from synthdata_sdk.cache.store import RECORDS, LocalStore
from synthdata_sdk.cache.tier import DatasetStore
from synthdata_sdk.client import PreparedRequest
from synthdata_sdk.dataset import Dataset
from synthdata_sdk.errors import (
    BackendUnavailableError,
    CorruptCacheError,
    DatasetNotCachedError,
    RequestError,
)
from tests.sdk.cache.cache_helpers import entry_dir, flip_byte


@pytest.fixture
def shared(tmp_path: Path) -> LocalStore:
    return LocalStore(tmp_path / "shared")


@pytest.fixture
def recorded(shared: LocalStore, generated: Dataset) -> Dataset:
    """The dataset of ``prepared``, already in the shared store."""
    shared.put(generated)
    return generated


class Unreachable:
    """A shared store whose every call fails as a network failure does."""

    def __init__(self, inner: LocalStore) -> None:
        self.inner = inner
        self.calls: list[str] = []

    def _fail(self, call: str) -> BackendUnavailableError:
        self.calls.append(call)
        return BackendUnavailableError(
            f"S3 {call} s3://bucket/x failed: Could not connect to the endpoint URL",
            code="EndpointConnectionError",
        )

    def contains(self, fingerprint: str) -> bool:
        raise self._fail("HeadObject")

    def manifest(self, fingerprint: str) -> dict[str, Any]:
        raise self._fail("GetObject")

    def load(self, fingerprint: str, request: Any = None) -> Dataset:
        raise self._fail("GetObject")

    def put(self, dataset: Dataset) -> dict[str, Any]:
        raise self._fail("PutObject")

    def fingerprints(self) -> list[str]:
        raise self._fail("ListObjectsV2")

    def remove(self, fingerprint: str) -> bool:
        raise self._fail("DeleteObjects")

    def location(self, fingerprint: str) -> str:
        return f"s3://bucket/x/datasets/{fingerprint}/"


def test_the_unreachable_stand_in_is_a_dataset_store(shared: LocalStore) -> None:
    assert isinstance(Unreachable(shared), DatasetStore)


# --------------------------------------------------------------------------------------------
# Hits and writes


@pytest.mark.parametrize("mode", ["once", "new", "none"])
def test_a_shared_hit_is_copied_to_the_local_store_and_counted_as_shared(
    client: SynthDataClient,
    store: LocalStore,
    shared: LocalStore,
    recorded: Dataset,
    prepared: PreparedRequest,
    mode: str,
) -> None:
    fingerprint = prepared.fingerprint
    served = DatasetCache(client, store, shared=shared, mode=mode).get(prepared)
    assert served.origin is Origin.SHARED
    assert served.notes == ()
    assert served.dataset.records == recorded.records
    assert store.load(fingerprint, prepared.request).records == recorded.records
    assert served.dataset.manifest["fingerprint"] == fingerprint

    again = DatasetCache(client, store, shared=shared, mode=mode).get(prepared)
    assert again.origin is Origin.LOCAL  # pulled once, then served from the local copy


def test_the_local_store_comes_before_the_shared_one(
    client: SynthDataClient,
    store: LocalStore,
    generated: Dataset,
    prepared: PreparedRequest,
    shared: LocalStore,
) -> None:
    store.put(generated)
    unreachable = Unreachable(shared)
    served = DatasetCache(client, store, shared=unreachable).get(prepared)
    assert served.origin is Origin.LOCAL
    assert unreachable.calls == []


def test_the_shared_store_is_read_only_by_default(
    client: SynthDataClient, store: LocalStore, shared: LocalStore, prepared: PreparedRequest
) -> None:
    served = DatasetCache(client, store, shared=shared).get(prepared)
    assert served.origin is Origin.GENERATED
    assert shared.fingerprints() == []


def test_with_write_shared_a_generated_dataset_is_put_to_the_shared_store(
    client: SynthDataClient, store: LocalStore, shared: LocalStore, prepared: PreparedRequest
) -> None:
    served = DatasetCache(client, store, shared=shared, write_shared=True).get(prepared)
    assert served.origin is Origin.GENERATED
    assert served.notes == ()
    assert shared.load(prepared.fingerprint).records == served.dataset.records

    # another machine, with an empty local store, now pulls it
    elsewhere = LocalStore(store.root.parent / "elsewhere")
    pulled = DatasetCache(client, elsewhere, shared=shared, mode="none").get(prepared)
    assert pulled.origin is Origin.SHARED
    assert pulled.dataset.records == served.dataset.records


def test_writing_to_a_shared_store_that_already_holds_the_entry_keeps_it(
    client: SynthDataClient,
    store: LocalStore,
    shared: LocalStore,
    recorded: Dataset,
    prepared: PreparedRequest,
) -> None:
    before = (entry_dir(shared, prepared.fingerprint) / "manifest.json").read_bytes()
    served = DatasetCache(client, store, shared=shared, write_shared=True, mode="all").get(prepared)
    assert served.origin is Origin.GENERATED
    assert served.notes == ()  # a lost race is not a problem
    assert (entry_dir(shared, prepared.fingerprint) / "manifest.json").read_bytes() == before


def test_write_shared_needs_a_shared_store(client: SynthDataClient, store: LocalStore) -> None:
    with pytest.raises(RequestError, match="write_shared needs a shared store"):
        DatasetCache(client, store, write_shared=True)


def test_mode_all_generates_instead_of_reading_the_shared_store(
    client: SynthDataClient, store: LocalStore, recorded: Dataset, prepared: PreparedRequest
) -> None:
    unreachable = Unreachable(LocalStore(store.root.parent / "unused"))
    served = DatasetCache(client, store, shared=unreachable, mode="all").get(prepared)
    assert served.origin is Origin.GENERATED
    assert unreachable.calls == []


# --------------------------------------------------------------------------------------------
# Mode none


def test_mode_none_names_both_locations_and_the_recording_command(
    client: SynthDataClient, store: LocalStore, shared: LocalStore, prepared: PreparedRequest
) -> None:
    fingerprint = prepared.fingerprint
    with pytest.raises(DatasetNotCachedError) as info:
        DatasetCache(client, store, shared=shared, mode="none").get(prepared)
    message = str(info.value)
    assert info.value.fingerprint == fingerprint
    assert fingerprint in message
    assert store.location(fingerprint) in message
    assert shared.location(fingerprint) in message
    assert "--synthdata-mode=new --synthdata-shared-cache-write" in message
    assert store.fingerprints() == []


def test_mode_none_serves_a_corrupt_local_entry_from_the_shared_store(
    client: SynthDataClient,
    store: LocalStore,
    shared: LocalStore,
    recorded: Dataset,
    prepared: PreparedRequest,
) -> None:
    store.put(recorded)
    flip_byte(entry_dir(store, prepared.fingerprint) / RECORDS)
    served = DatasetCache(client, store, shared=shared, mode="none").get(prepared)
    assert served.origin is Origin.SHARED
    assert served.repaired is not None and "sha256" in served.repaired
    store.verify(prepared.fingerprint)  # the local entry was replaced by a good copy
    assert served.dataset.records == recorded.records


def test_mode_none_reports_a_corrupt_local_entry_the_shared_store_lacks(
    client: SynthDataClient,
    store: LocalStore,
    shared: LocalStore,
    generated: Dataset,
    prepared: PreparedRequest,
) -> None:
    store.put(generated)
    flip_byte(entry_dir(store, prepared.fingerprint) / RECORDS)
    with pytest.raises(CorruptCacheError, match="sha256"):
        DatasetCache(client, store, shared=shared, mode="none").get(prepared)


# --------------------------------------------------------------------------------------------
# A bad or unreachable shared store


def test_a_corrupt_shared_entry_is_regenerated_locally_in_mode_once(
    client: SynthDataClient,
    store: LocalStore,
    shared: LocalStore,
    recorded: Dataset,
    prepared: PreparedRequest,
) -> None:
    flip_byte(entry_dir(shared, prepared.fingerprint) / RECORDS)
    served = DatasetCache(client, store, shared=shared).get(prepared)
    assert served.origin is Origin.GENERATED
    assert served.dataset.records == recorded.records  # generated, never the damaged bytes
    (note,) = served.notes
    assert "was not served, so the dataset was generated locally" in note
    assert "does not match its sha256" in note


def test_a_corrupt_shared_entry_is_an_error_in_mode_none(
    client: SynthDataClient,
    store: LocalStore,
    shared: LocalStore,
    recorded: Dataset,
    prepared: PreparedRequest,
) -> None:
    flip_byte(entry_dir(shared, prepared.fingerprint) / RECORDS)
    with pytest.raises(CorruptCacheError, match="does not match its sha256"):
        DatasetCache(client, store, shared=shared, mode="none").get(prepared)
    assert store.fingerprints() == []


def test_an_unreachable_shared_store_costs_a_local_generation_in_mode_once(
    client: SynthDataClient, store: LocalStore, shared: LocalStore, prepared: PreparedRequest
) -> None:
    unreachable = Unreachable(shared)
    served = DatasetCache(client, store, shared=unreachable).get(prepared)
    assert served.origin is Origin.GENERATED
    (note,) = served.notes
    assert note.startswith(
        f"the shared cache at {unreachable.location(prepared.fingerprint)} could not be read, "
        "so the dataset was generated locally: S3 GetObject"
    )
    assert store.contains(prepared.fingerprint)


def test_an_unreachable_shared_store_is_a_typed_error_in_mode_none(
    client: SynthDataClient, store: LocalStore, shared: LocalStore, prepared: PreparedRequest
) -> None:
    with pytest.raises(BackendUnavailableError, match="Could not connect"):
        DatasetCache(client, store, shared=Unreachable(shared), mode="none").get(prepared)


def test_a_failed_write_to_the_shared_store_is_a_note_and_the_dataset_is_served(
    client: SynthDataClient, store: LocalStore, shared: LocalStore, prepared: PreparedRequest
) -> None:
    unreachable = Unreachable(shared)
    cache = DatasetCache(client, store, shared=unreachable, write_shared=True)
    served = cache.get(prepared)
    assert served.origin is Origin.GENERATED
    assert unreachable.calls == ["GetObject", "PutObject"]
    where = unreachable.location(prepared.fingerprint)
    read_note, write_note = served.notes
    assert read_note.startswith(f"the shared cache at {where} could not be read")
    assert write_note.startswith(
        f"the dataset could not be written to the shared cache at {where}: S3 PutObject"
    )
    assert store.load(prepared.fingerprint).records == served.dataset.records
