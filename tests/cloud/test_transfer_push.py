"""Pushing local entries to the shared S3 cache (moto in-process): verified first, put
create-only, an entry already there kept as it is."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from synthdata_sdk import SynthDataClient
from synthdata_sdk.cache.entry_format import MANIFEST, RECORDS, part_name
from synthdata_sdk.cache.store import LocalStore
from synthdata_sdk.cloud.s3_store import S3Store
from synthdata_sdk.cloud.transfer import CORRUPT, MISSING, PULLED, PUSHED, THERE
from synthdata_sdk.dataset import Dataset
from tests.cloud.conftest import BUCKET, PREFIX
from tests.cloud.transfer_helpers import pull, push, records_bytes, statuses
from tests.sdk.cache.cache_helpers import write_parts_entry


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


def test_push_uploads_the_local_files_as_they_are_parts_and_manifest_byte_for_byte(
    s3: Any, s3_store: S3Store, client: SynthDataClient, tmp_path: Path
) -> None:
    # An entry of three parts, written by a fan-out under another prefix and pulled, so the
    # local entry holds parts and a manifest with its own created_at.
    dataset = client.generate("customer", rows=30, seed=21)
    records = list(dataset.records)
    fanout = S3Store(s3, BUCKET, "fanout")
    for index, piece in enumerate((records[:7], records[7:20], records[20:])):
        fanout.put_part(dataset.fingerprint, index, [piece])
    fanout.finish(dataset.request, 3)
    local = LocalStore(tmp_path / "cache")
    assert statuses(pull(fanout, local, [dataset.fingerprint])) == [PULLED]
    folder = local.path_for(dataset.fingerprint)
    local_files = {path.name: path.read_bytes() for path in folder.iterdir()}
    assert sorted(local_files) == [MANIFEST, *(part_name(index) for index in range(3))]

    assert statuses(push(local, s3_store, [dataset.fingerprint])) == [PUSHED]

    prefix = f"{PREFIX}/datasets/{dataset.fingerprint}/"
    uploaded = {
        key[len(prefix) :]: s3.get_object(Bucket=BUCKET, Key=key)["Body"].read()
        for key in entry_objects(s3, dataset.fingerprint)
    }
    assert uploaded == local_files
    assert s3_store.load(dataset.fingerprint).records == dataset.records


def test_a_local_part_changed_after_the_entry_was_written_is_not_pushed(
    s3: Any, s3_store: S3Store, client: SynthDataClient, tmp_path: Path
) -> None:
    dataset = client.generate("customer", rows=12, seed=22)
    records = list(dataset.records)
    local = LocalStore(tmp_path / "cache")
    write_parts_entry(local, dataset.request, records, [5])
    part = local.path_for(dataset.fingerprint) / part_name(1)
    part.write_bytes(part.read_bytes().replace(b'"', b"'", 1))

    outcomes = push(local, s3_store, [dataset.fingerprint])

    assert statuses(outcomes) == [CORRUPT]
    assert f"{part_name(1)} does not match its sha256" in outcomes[0].detail
    assert entry_objects(s3, dataset.fingerprint) == {}
