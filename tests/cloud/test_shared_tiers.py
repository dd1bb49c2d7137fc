"""The S3 store as the resolver's shared tier, against moto: pulls, pushes, refusals, failures."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from botocore.exceptions import EndpointConnectionError

from synthdata_sdk import SynthDataClient
from synthdata_sdk.cache.entry_format import SIGNATURE
from synthdata_sdk.cache.resolver import DatasetCache, Origin
from synthdata_sdk.cache.store import LocalStore
from synthdata_sdk.client import PreparedRequest
from synthdata_sdk.cloud.s3_store import S3Store
from synthdata_sdk.dataset import Dataset
from synthdata_sdk.errors import (
    BackendUnavailableError,
    DatasetNotCachedError,
    EntrySignatureError,
)
from tests.cloud.cloud_helpers import at_once
from tests.cloud.conftest import BUCKET, PREFIX, signing_store
from tests.cloud.shared_helpers import (
    key_of,
    replace_object,
    tamper_records,
)


@pytest.fixture(scope="module")
def prepared(client: SynthDataClient) -> PreparedRequest:
    return client.prepare("customer", rows=15, seed=21)


def local(tmp_path: Path, name: str) -> LocalStore:
    return LocalStore(tmp_path / name)


def test_the_writing_job_fills_the_shared_cache_and_a_reading_job_pulls_from_it(
    client: SynthDataClient,
    signed_writer: S3Store,
    signed_reader: S3Store,
    prepared: PreparedRequest,
    tmp_path: Path,
) -> None:
    fingerprint = prepared.fingerprint
    filling = DatasetCache(
        client, local(tmp_path, "writer"), shared=signed_writer, write_shared=True
    )
    generated = filling.get(prepared)
    assert generated.origin is Origin.GENERATED
    assert generated.notes == ()
    assert signed_writer.contains(fingerprint)

    reading_store = local(tmp_path, "reader")
    pulled = DatasetCache(client, reading_store, shared=signed_reader, mode="none").get(prepared)
    assert pulled.origin is Origin.SHARED
    assert pulled.dataset.records == generated.dataset.records
    assert reading_store.load(fingerprint).records == generated.dataset.records
    same = {k: v for k, v in pulled.dataset.manifest.items() if k != "created_at"}
    assert same == {k: v for k, v in generated.dataset.manifest.items() if k != "created_at"}


def test_concurrent_writing_jobs_leave_one_signed_entry(
    client: SynthDataClient,
    s3: Any,
    kms: Any,
    signing_key: str,
    bucket: str,
    signed_reader: S3Store,
    prepared: PreparedRequest,
    tmp_path: Path,
) -> None:
    def job(number: int) -> tuple[Origin, tuple[str, ...]]:
        shared = signing_store(s3, kms, signing_key)
        cache = DatasetCache(
            client, local(tmp_path, f"job{number}"), shared=shared, write_shared=True, mode="all"
        )
        served = cache.get(prepared)
        return served.origin, served.notes

    assert at_once(4, job) == [(Origin.GENERATED, ())] * 4
    listed = s3.list_objects_v2(Bucket=BUCKET, Prefix=f"{PREFIX}/datasets/")
    keys = sorted(item["Key"] for item in listed["Contents"])
    fingerprint = prepared.fingerprint
    assert keys == sorted(
        key_of(fingerprint, name) for name in ("manifest.json", "records.json", SIGNATURE)
    )
    assert signed_reader.load(fingerprint).records == client.generate_prepared(prepared).records


@pytest.fixture
def recorded(client: SynthDataClient, signed_writer: S3Store, prepared: PreparedRequest) -> Dataset:
    """The dataset of ``prepared``, in the shared cache and signed."""
    dataset = client.generate_prepared(prepared)
    signed_writer.put(dataset)
    return dataset


def test_a_tampered_shared_entry_is_regenerated_locally_in_mode_once(
    client: SynthDataClient,
    s3: Any,
    recorded: Dataset,
    signed_reader: S3Store,
    prepared: PreparedRequest,
    tmp_path: Path,
) -> None:
    tamper_records(s3, prepared.fingerprint)
    served = DatasetCache(client, local(tmp_path, "reader"), shared=signed_reader).get(prepared)
    assert served.origin is Origin.GENERATED
    assert served.dataset.records == recorded.records
    (note,) = served.notes
    assert "was not served, so the dataset was generated locally" in note
    assert "is not trusted" in note


@pytest.mark.parametrize(
    ("damage", "reason"),
    [
        (lambda s3, fingerprint: tamper_records(s3, fingerprint), "another manifest"),
        (
            lambda s3, fingerprint: replace_object(s3, fingerprint, SIGNATURE, b"{}"),
            "not a signature file",
        ),
    ],
    ids=["tampered records", "garbled signature"],
)
def test_a_shared_entry_whose_signature_fails_is_an_error_in_mode_none(
    client: SynthDataClient,
    s3: Any,
    recorded: Dataset,
    signed_reader: S3Store,
    prepared: PreparedRequest,
    tmp_path: Path,
    damage: Any,
    reason: str,
) -> None:
    damage(s3, prepared.fingerprint)
    store = local(tmp_path, "reader")
    with pytest.raises(EntrySignatureError, match=reason):
        DatasetCache(client, store, shared=signed_reader, mode="none").get(prepared)
    assert store.fingerprints() == []


def test_mode_none_names_the_shared_entrys_uri_when_neither_tier_has_it(
    client: SynthDataClient, signed_reader: S3Store, prepared: PreparedRequest, tmp_path: Path
) -> None:
    with pytest.raises(DatasetNotCachedError) as info:
        DatasetCache(client, local(tmp_path, "r"), shared=signed_reader, mode="none").get(prepared)
    assert f"s3://{BUCKET}/{PREFIX}/datasets/{prepared.fingerprint}/" in str(info.value)


@pytest.fixture
def unreachable(s3: Any, no_retry_wait: None) -> list[str]:
    """Every S3 call fails to connect, as botocore reports it (after its retries)."""
    attempts: list[str] = []

    def refuse(request: Any, **_: Any) -> None:
        attempts.append(request.method)
        raise EndpointConnectionError(endpoint_url=request.url)

    s3.meta.events.register("before-send.s3", refuse)
    return attempts


def test_an_unreachable_shared_cache_costs_a_local_generation_in_mode_once(
    client: SynthDataClient,
    s3_store: S3Store,
    unreachable: list[str],
    prepared: PreparedRequest,
    tmp_path: Path,
) -> None:
    served = DatasetCache(client, local(tmp_path, "r"), shared=s3_store).get(prepared)
    assert served.origin is Origin.GENERATED
    (note,) = served.notes
    assert "could not be read, so the dataset was generated locally" in note
    assert "Could not connect to the endpoint URL" in note
    assert unreachable == ["GET"] * 4  # one try and the client's 3 retries, then one note


def test_an_unreachable_shared_cache_is_a_typed_error_in_mode_none(
    client: SynthDataClient,
    s3_store: S3Store,
    unreachable: list[str],
    prepared: PreparedRequest,
    tmp_path: Path,
) -> None:
    with pytest.raises(BackendUnavailableError, match="S3 GetObject s3://") as info:
        DatasetCache(client, local(tmp_path, "r"), shared=s3_store, mode="none").get(prepared)
    assert info.value.code == "EndpointConnectionError"


def test_a_generated_dataset_whose_push_fails_is_still_served(
    client: SynthDataClient,
    s3_store: S3Store,
    unreachable: list[str],
    prepared: PreparedRequest,
    tmp_path: Path,
) -> None:
    store = local(tmp_path, "w")
    served = DatasetCache(client, store, shared=s3_store, write_shared=True).get(prepared)
    assert served.origin is Origin.GENERATED
    assert "could not be written to the shared cache" in served.notes[-1]
    assert store.load(prepared.fingerprint).records == served.dataset.records


def test_a_dataset_with_the_shared_tier_equals_one_without(
    client: SynthDataClient, signed_writer: S3Store, signed_reader: S3Store, tmp_path: Path
) -> None:
    prepared = client.prepare("order", rows=9, seed=2)
    plain = DatasetCache(client, local(tmp_path, "plain")).get(prepared).dataset
    DatasetCache(client, local(tmp_path, "w"), shared=signed_writer, write_shared=True).get(
        prepared
    )
    pulled = DatasetCache(client, local(tmp_path, "r"), shared=signed_reader).get(prepared)
    assert pulled.origin is Origin.SHARED
    assert pulled.dataset.records == plain.records
    assert [list(record) for record in pulled.dataset.records] == [
        list(record) for record in plain.records
    ]  # key order too
