"""Pulling entries from the shared S3 cache into the local one (moto in-process; the dropped
connection over real HTTP on 127.0.0.1)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.config import Config

from synthdata_sdk import SynthDataClient
from synthdata_sdk.cache.entry_format import MANIFEST, RECORDS
from synthdata_sdk.cache.names import partial_name
from synthdata_sdk.cache.store import LocalStore
from synthdata_sdk.cloud.clients import s3_client
from synthdata_sdk.cloud.s3_source import S3Source
from synthdata_sdk.cloud.s3_store import S3Store
from synthdata_sdk.cloud.transfer import CORRUPT, FAILED, LOCAL, MISSING, PULLED, plan_pull
from synthdata_sdk.dataset import Dataset
from synthdata_sdk.errors import CacheLocationError, CorruptCacheError
from tests.cloud.conftest import BUCKET, PREFIX, REGION
from tests.cloud.http_servers import DroppingProxy, moto_server
from tests.cloud.transfer_helpers import (
    counting_gets,
    folder_names,
    pull,
    records_bytes,
    statuses,
)


@pytest.fixture(scope="module")
def datasets(client: SynthDataClient) -> list[Dataset]:
    return [
        client.generate("customer", rows=30, seed=3),
        client.generate("order", rows=12, seed=4),
    ]


@pytest.fixture
def shared(s3_store: S3Store, datasets: list[Dataset]) -> S3Store:
    for dataset in datasets:
        s3_store.put(dataset)
    return s3_store


@pytest.fixture
def local(tmp_path: Path) -> LocalStore:
    return LocalStore(tmp_path / "cache")


def key_of(fingerprint: str, name: str) -> str:
    return f"{PREFIX}/datasets/{fingerprint}/{name}"


def replace_object(s3: Any, fingerprint: str, name: str, data: bytes) -> None:
    s3.put_object(Bucket=BUCKET, Key=key_of(fingerprint, name), Body=data)


def remote_bytes(s3: Any, fingerprint: str, name: str) -> bytes:
    answer = s3.get_object(Bucket=BUCKET, Key=key_of(fingerprint, name))
    return answer["Body"].read()  # type: ignore[no-any-return]


# --------------------------------------------------------------------------------------------


def test_a_pull_gives_the_bytes_of_local_generation(
    shared: S3Store, datasets: list[Dataset], local: LocalStore, tmp_path: Path
) -> None:
    fingerprints = [dataset.fingerprint for dataset in datasets]
    outcomes = pull(shared, local, fingerprints)

    assert statuses(outcomes) == [PULLED, PULLED]
    assert [outcome.fingerprint for outcome in outcomes] == fingerprints
    generated_here = LocalStore(tmp_path / "generated")
    for dataset, outcome in zip(datasets, outcomes, strict=True):
        generated_here.put(dataset)
        assert records_bytes(local, dataset.fingerprint) == records_bytes(
            generated_here, dataset.fingerprint
        )
        assert local.load(dataset.fingerprint).records == dataset.records
        assert outcome.rows == len(dataset.records)
        assert outcome.size == (local.path_for(dataset.fingerprint) / RECORDS).stat().st_size
    assert folder_names(local) == sorted(fingerprints)  # nothing else left behind


def test_the_local_manifest_is_the_shared_one_byte_for_byte(
    s3: Any, shared: S3Store, datasets: list[Dataset], local: LocalStore
) -> None:
    fingerprint = datasets[0].fingerprint
    pull(shared, local, [fingerprint])
    local_manifest = (local.path_for(fingerprint) / MANIFEST).read_bytes()
    assert local_manifest == remote_bytes(s3, fingerprint, MANIFEST)


def test_an_entry_already_local_and_valid_is_not_downloaded(
    s3: Any, shared: S3Store, datasets: list[Dataset], local: LocalStore
) -> None:
    local.put(datasets[0])
    with counting_gets(s3) as keys:
        outcomes = pull(shared, local, [dataset.fingerprint for dataset in datasets])

    assert statuses(outcomes) == [LOCAL, PULLED]
    assert outcomes[0].rows == len(datasets[0].records)
    assert not [key for key in keys if datasets[0].fingerprint in key]


def test_a_corrupt_local_entry_is_replaced_by_the_verified_shared_one(
    shared: S3Store, datasets: list[Dataset], local: LocalStore
) -> None:
    fingerprint = datasets[0].fingerprint
    local.put(datasets[0])
    records = local.path_for(fingerprint) / RECORDS
    records.write_bytes(records.read_bytes().replace(b'"', b"'", 1))

    assert statuses(pull(shared, local, [fingerprint])) == [PULLED]
    local.verify(fingerprint)
    assert folder_names(local) == [fingerprint]


def test_a_fingerprint_the_shared_cache_lacks_is_named_missing(
    shared: S3Store, datasets: list[Dataset], local: LocalStore
) -> None:
    absent = "ab" * 32
    outcomes = pull(shared, local, [datasets[0].fingerprint, absent])

    assert statuses(outcomes) == [PULLED, MISSING]
    assert outcomes[1].fingerprint == absent
    assert f"s3://{BUCKET}/{PREFIX}/datasets/{absent}/" in outcomes[1].detail
    assert not local.contains(absent)


def test_a_tampered_shared_file_is_refused_and_no_entry_is_created(
    s3: Any, shared: S3Store, datasets: list[Dataset], local: LocalStore
) -> None:
    fingerprint = datasets[0].fingerprint
    data = bytearray(remote_bytes(s3, fingerprint, RECORDS))
    data[len(data) // 2] ^= 0x01  # same size, other bytes
    replace_object(s3, fingerprint, RECORDS, bytes(data))

    outcomes = pull(shared, local, [fingerprint])

    assert statuses(outcomes) == [CORRUPT]
    assert "records.json does not match its sha256" in outcomes[0].detail
    assert f"s3://{BUCKET}/{PREFIX}/datasets/{fingerprint}/" in outcomes[0].detail
    assert not local.contains(fingerprint)
    assert folder_names(local) == []  # no entry, and no temporary folder left


def test_a_shared_file_longer_than_its_manifest_says_is_cut_off_and_refused(
    s3: Any, shared: S3Store, datasets: list[Dataset], local: LocalStore
) -> None:
    fingerprint = datasets[0].fingerprint
    replace_object(s3, fingerprint, RECORDS, remote_bytes(s3, fingerprint, RECORDS) + b" " * 10)

    outcomes = pull(shared, local, [fingerprint])

    assert statuses(outcomes) == [CORRUPT]
    assert "more bytes than the manifest's" in outcomes[0].detail
    assert folder_names(local) == []


@pytest.mark.parametrize(
    ("edit", "reason"),
    [
        (lambda m: m["files"][0].update(path="../../escaped.json"), "leaves the entry folder"),
        (lambda m: m["files"][0].update(size=10**15), "the size 1000000000000000"),
        (lambda m: m.update(fingerprint="cd" * 32), "names fingerprint"),
        (lambda m: m["request"].update(rows=99), "has another fingerprint"),
    ],
    ids=["path traversal", "huge size", "other fingerprint", "other request"],
)
def test_a_shared_manifest_that_does_not_fit_is_refused_before_any_file_is_fetched(
    s3: Any,
    shared: S3Store,
    datasets: list[Dataset],
    local: LocalStore,
    tmp_path: Path,
    edit: Any,
    reason: str,
) -> None:
    fingerprint = datasets[0].fingerprint
    manifest = json.loads(remote_bytes(s3, fingerprint, MANIFEST))
    edit(manifest)
    replace_object(s3, fingerprint, MANIFEST, json.dumps(manifest).encode())

    with counting_gets(s3) as keys:
        outcomes = pull(shared, local, [fingerprint])

    assert statuses(outcomes) == [CORRUPT]
    assert reason in outcomes[0].detail
    assert keys == [key_of(fingerprint, MANIFEST)]
    assert folder_names(local) == []
    assert not (tmp_path / "escaped.json").exists()


def test_a_shared_entry_missing_a_listed_file_is_missing_and_leaves_nothing(
    s3: Any, shared: S3Store, datasets: list[Dataset], local: LocalStore
) -> None:
    fingerprint = datasets[0].fingerprint
    s3.delete_object(Bucket=BUCKET, Key=key_of(fingerprint, RECORDS))

    outcomes = pull(shared, local, [fingerprint])

    assert statuses(outcomes) == [MISSING]
    assert "records.json is missing" in outcomes[0].detail
    assert folder_names(local) == []


def test_a_manifest_check_can_refuse_an_entry(
    shared: S3Store, datasets: list[Dataset], local: LocalStore
) -> None:
    def unsigned(fingerprint: str, data: bytes) -> None:
        raise CorruptCacheError(fingerprint, "the manifest is not signed")

    plans = plan_pull(S3Source(shared), local, [datasets[0].fingerprint], check_manifest=unsigned)

    assert plans[0].outcome is not None
    assert (plans[0].outcome.status, plans[0].outcome.detail) == (
        CORRUPT,
        "the manifest is not signed",
    )


# --------------------------------------------------------------------------------------------
# Over HTTP, through a proxy that drops a connection


def proxied_store(aws_session: boto3.Session, proxy: DroppingProxy, dataset: Dataset) -> S3Store:
    """The shared cache reached through ``proxy``, holding ``dataset``."""
    s3 = aws_session.client(
        "s3",
        endpoint_url=proxy.url,
        region_name=REGION,
        config=Config(retries={"mode": "standard", "max_attempts": 3}),
    )
    s3.create_bucket(Bucket=BUCKET)
    store = S3Store(s3, BUCKET, PREFIX)
    store.put(dataset)
    return store


def test_a_connection_dropped_mid_file_is_resumed_with_a_range_request(
    datasets: list[Dataset], local: LocalStore, aws_session: boto3.Session
) -> None:
    dataset = datasets[0]
    with moto_server() as endpoint:
        proxy = DroppingProxy(endpoint, drops={RECORDS: 1000})
        with proxy.running():
            store = proxied_store(aws_session, proxy, dataset)

            outcomes = pull(store, local, [dataset.fingerprint])

    assert statuses(outcomes) == [PULLED]
    ranges = [seen.range for seen in proxy.gets(RECORDS)]
    assert ranges == [None, "bytes=1000-"]
    assert local.load(dataset.fingerprint).records == dataset.records
    assert folder_names(local) == [dataset.fingerprint]


def test_a_pull_stopped_after_a_break_goes_on_from_its_bytes_in_the_next_run(
    datasets: list[Dataset], local: LocalStore, aws_session: boto3.Session
) -> None:
    dataset = datasets[0]
    with moto_server() as endpoint:
        proxy = DroppingProxy(endpoint, drops={RECORDS: 1000}, after_drop=403)
        with proxy.running():
            store = proxied_store(aws_session, proxy, dataset)

            first = pull(store, local, [dataset.fingerprint])
            assert statuses(first) == [FAILED]
            assert local.fingerprints() == []
            assert folder_names(local) == [partial_name(dataset.fingerprint)]

            proxy.after_drop = None
            proxy.seen.clear()
            second = pull(store, local, [dataset.fingerprint])

    assert statuses(second) == [PULLED]
    assert [seen.range for seen in proxy.gets(RECORDS)] == ["bytes=1000-"]
    assert local.load(dataset.fingerprint).records == dataset.records
    assert folder_names(local) == [dataset.fingerprint]


def test_a_link_in_place_of_a_local_entry_fails_that_entry_alone(
    shared: S3Store, datasets: list[Dataset], local: LocalStore, tmp_path: Path
) -> None:
    target = tmp_path / "elsewhere"
    target.mkdir()
    local.datasets_dir.mkdir(parents=True)
    local.path_for(datasets[0].fingerprint).symlink_to(target)

    outcomes = pull(shared, local, [dataset.fingerprint for dataset in datasets])

    assert statuses(outcomes) == [FAILED, PULLED]
    assert "is a symbolic link" in outcomes[0].detail
    assert list(target.iterdir()) == []


def test_a_local_cache_folder_that_cannot_be_used_stops_the_pull_before_any_read(
    s3: Any, shared: S3Store, datasets: list[Dataset], tmp_path: Path
) -> None:
    (tmp_path / "a-file").write_text("not a folder")
    with counting_gets(s3) as keys, pytest.raises(CacheLocationError, match="not a folder"):
        pull(shared, LocalStore(tmp_path / "a-file"), [datasets[0].fingerprint])
    assert keys == []


def test_the_s3_client_follows_the_endpoint_and_region_of_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SYNTHDATA_ENDPOINT_URL", "http://127.0.0.1:4566")
    monkeypatch.setenv("AWS_REGION", "eu-west-1")
    client = s3_client(connections=16)

    assert client.meta.endpoint_url == "http://127.0.0.1:4566"
    assert client.meta.region_name == "eu-west-1"
    assert client.meta.config.retries["mode"] == "standard"
    assert client.meta.config.max_pool_connections == 16
    assert client.meta.config.s3["addressing_style"] == "path"
