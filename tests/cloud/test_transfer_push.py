"""Pushing local entries to the shared S3 cache (moto in-process): verified first, put
create-only, an entry already there kept as it is."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from synthdata_sdk import SynthDataClient
from synthdata_sdk.cache.entry_format import RECORDS
from synthdata_sdk.cache.store import LocalStore
from synthdata_sdk.cloud.s3_store import S3Store
from synthdata_sdk.cloud.transfer import CORRUPT, MISSING, PULLED, PUSHED, THERE
from synthdata_sdk.dataset import Dataset
from tests.cloud.conftest import BUCKET, PREFIX
from tests.cloud.transfer_helpers import pull, push, records_bytes, statuses


@pytest.fixture(scope="module")
def datasets(client: SynthDataClient) -> list[Dataset]:
    return [client.generate("customer", rows=25, seed=8), client.generate("order", rows=9, seed=8)]


@pytest.fixture
def local(tmp_path: Path, datasets: list[Dataset]) -> LocalStore:
    store = LocalStore(tmp_path / "cache")
    for dataset in datasets:
        store.put(dataset)
    return store


def entry_objects(s3: Any, fingerprint: str) -> dict[str, str]:
    """Key -> ETag of the entry's objects."""
    listed = s3.list_objects_v2(Bucket=BUCKET, Prefix=f"{PREFIX}/datasets/{fingerprint}/")
    return {item["Key"]: item["ETag"] for item in listed.get("Contents", [])}


def test_push_then_pull_gives_back_the_same_records_byte_for_byte(
    local: LocalStore, s3_store: S3Store, datasets: list[Dataset], tmp_path: Path
) -> None:
    fingerprints = [dataset.fingerprint for dataset in datasets]
    pushed = push(local, s3_store, fingerprints)

    assert statuses(pushed) == [PUSHED, PUSHED]
    assert [outcome.rows for outcome in pushed] == [len(d.records) for d in datasets]
    elsewhere = LocalStore(tmp_path / "elsewhere")
    assert statuses(pull(s3_store, elsewhere, fingerprints)) == [PULLED, PULLED]
    for fingerprint in fingerprints:
        assert records_bytes(elsewhere, fingerprint) == records_bytes(local, fingerprint)
        elsewhere.verify(fingerprint)


def test_an_entry_the_shared_cache_has_is_kept_and_reported_already_there(
    s3: Any, local: LocalStore, s3_store: S3Store, datasets: list[Dataset]
) -> None:
    fingerprint = datasets[0].fingerprint
    s3_store.put(datasets[0])
    before = entry_objects(s3, fingerprint)

    outcomes = push(local, s3_store, [fingerprint])

    assert statuses(outcomes) == [THERE]
    assert outcomes[0].detail == s3_store.uri(fingerprint)
    assert entry_objects(s3, fingerprint) == before


def test_a_corrupt_local_entry_is_not_pushed(
    s3: Any, local: LocalStore, s3_store: S3Store, datasets: list[Dataset]
) -> None:
    fingerprint = datasets[0].fingerprint
    records = local.path_for(fingerprint) / RECORDS
    records.write_bytes(records.read_bytes()[:-5] + b"xxxx]")

    outcomes = push(local, s3_store, [fingerprint, datasets[1].fingerprint])

    assert statuses(outcomes) == [CORRUPT, PUSHED]
    assert "records.json does not match its sha256" in outcomes[0].detail
    assert entry_objects(s3, fingerprint) == {}


def test_a_fingerprint_not_in_the_local_cache_is_named_missing(
    local: LocalStore, s3_store: S3Store
) -> None:
    absent = "0f" * 32
    outcomes = push(local, s3_store, [absent])

    assert statuses(outcomes) == [MISSING]
    assert str(local.root) in outcomes[0].detail
