"""Table sets in the shared S3 cache: one object per table file and the manifest, as in the
local store; filled by the resolver, pulled, pushed, presigned and signed like single tables."""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest

from synthdata_sdk import SynthDataClient
from synthdata_sdk.cache.entry_format import MANIFEST, SIGNATURE, manifest_bytes, table_file_name
from synthdata_sdk.cache.resolver import DatasetCache, Origin
from synthdata_sdk.cache.store import LocalStore
from synthdata_sdk.client import PreparedRequest
from synthdata_sdk.cloud.presign import presign
from synthdata_sdk.cloud.s3_source import S3Source
from synthdata_sdk.cloud.s3_store import S3Store
from synthdata_sdk.cloud.transfer import (
    PRESIGNED,
    PULLED,
    PUSHED,
    REFUSED,
    plan_pull,
    run_pull,
)
from synthdata_sdk.cloud.url_file import read_url_file, render_url_file
from synthdata_sdk.cloud.url_source import UrlSource
from synthdata_sdk.dataset import Dataset
from synthdata_sdk.errors import EntrySignatureError
from tests.cloud.conftest import BUCKET, PREFIX, REGION
from tests.cloud.http_servers import DroppingProxy, moto_server
from tests.cloud.shared_helpers import body, key_of, replace_object
from tests.cloud.transfer_helpers import folder_names, pull, push, statuses, store_behind

TABLES = ("customers", "products", "orders", "order_items")


@pytest.fixture(scope="module")
def prepared(client: SynthDataClient) -> PreparedRequest:
    return client.prepare("retail", rows=6, seed=5)


@pytest.fixture(scope="module")
def generated(client: SynthDataClient, prepared: PreparedRequest) -> Dataset:
    return client.generate_prepared(prepared)


def entry_names(s3: Any, fingerprint: str) -> list[str]:
    listed = s3.list_objects_v2(Bucket=BUCKET, Prefix=f"{PREFIX}/datasets/{fingerprint}/")
    return sorted(item["Key"].rsplit("/", 1)[-1] for item in listed.get("Contents", []))


def local_files(store: LocalStore, fingerprint: str) -> dict[str, bytes]:
    folder = store.path_for(fingerprint)
    return {name: (folder / name).read_bytes() for name in map(table_file_name, TABLES)}


def test_a_table_set_entry_in_s3_has_the_local_layout_and_bytes_put_create_only(
    s3: Any, s3_store: S3Store, generated: Dataset, prepared: PreparedRequest, tmp_path: Path
) -> None:
    fingerprint = prepared.fingerprint
    local = LocalStore(tmp_path / "cache")
    local_manifest = local.put(generated)
    sent: list[dict[str, Any]] = []
    s3.meta.events.register(
        "provide-client-params.s3.PutObject",
        lambda params, **_: sent.append({k: v for k, v in params.items() if k != "Body"}),
    )

    manifest = s3_store.put(generated)

    files = [table_file_name(name) for name in TABLES]
    assert entry_names(s3, fingerprint) == sorted([MANIFEST, *files])
    # every table file first, the manifest last, each create-only
    assert [params["Key"] for params in sent] == [key_of(fingerprint, n) for n in files] + [
        key_of(fingerprint, MANIFEST)
    ]
    assert all(params["IfNoneMatch"] == "*" for params in sent)
    for name, data in local_files(local, fingerprint).items():
        assert body(s3, fingerprint, name) == data
    assert manifest["files"] == local_manifest["files"]
    assert manifest["tables"] == {name: len(generated.tables[name]) for name in TABLES}
    same = {k: v for k, v in manifest.items() if k != "created_at"}
    assert same == {k: v for k, v in local_manifest.items() if k != "created_at"}

    loaded = s3_store.load(fingerprint, prepared.request)
    assert {name: list(rows) for name, rows in loaded.tables.items()} == generated.tables
    assert s3_store.load(fingerprint).request == prepared.request  # rebuilt from the manifest
    assert s3_store.add(generated).created is False  # create-only: the entry is kept


def test_a_writing_job_puts_a_table_set_and_a_reading_job_serves_it_signed_in_mode_none(
    client: SynthDataClient,
    s3: Any,
    signed_writer: S3Store,
    signed_reader: S3Store,
    prepared: PreparedRequest,
    tmp_path: Path,
) -> None:
    fingerprint = prepared.fingerprint
    writer = LocalStore(tmp_path / "writer")
    filled = DatasetCache(client, writer, shared=signed_writer, write_shared=True).get(prepared)
    assert filled.origin is Origin.GENERATED
    assert filled.notes == ()
    assert entry_names(s3, fingerprint) == sorted(
        [MANIFEST, SIGNATURE, *(table_file_name(name) for name in TABLES)]
    )

    class NoGeneration(SynthDataClient):
        def generate_prepared(self, *args: Any, **kwargs: Any) -> Dataset:
            raise AssertionError("mode none never generates")

    reader = LocalStore(tmp_path / "reader")
    served = DatasetCache(NoGeneration(), reader, shared=signed_reader, mode="none").get(prepared)
    assert served.origin is Origin.SHARED
    assert dict(served.dataset.tables) == dict(filled.dataset.tables)
    assert local_files(reader, fingerprint) == local_files(writer, fingerprint)


def test_a_tampered_table_file_with_a_recomputed_sha256_is_refused_under_require_signed(
    s3: Any,
    signed_writer: S3Store,
    signed_reader: S3Store,
    generated: Dataset,
    prepared: PreparedRequest,
    tmp_path: Path,
) -> None:
    fingerprint = prepared.fingerprint
    signed_writer.put(generated)
    name = table_file_name("customers")
    records = json.loads(body(s3, fingerprint, name))
    records[0]["email"] = "someone@example.com"
    data = json.dumps(records, separators=(",", ":")).encode("utf-8")
    manifest = json.loads(body(s3, fingerprint, MANIFEST))
    for item in manifest["files"]:
        if item["path"] == name:
            item["sha256"], item["size"] = hashlib.sha256(data).hexdigest(), len(data)
    replace_object(s3, fingerprint, name, data)
    replace_object(s3, fingerprint, MANIFEST, manifest_bytes(manifest))

    with pytest.raises(EntrySignatureError):
        signed_reader.load(fingerprint, prepared.request)
    local = LocalStore(tmp_path / "cache")
    source = S3Source(signed_reader)
    plans = plan_pull(source, local, [fingerprint], check_manifest=signed_reader.check_signature)
    assert statuses(list(run_pull(source, local, plans))) == [REFUSED]
    assert local.fingerprints() == []


def test_push_then_pull_moves_a_table_set_byte_for_byte(
    s3_store: S3Store, generated: Dataset, prepared: PreparedRequest, tmp_path: Path
) -> None:
    fingerprint = prepared.fingerprint
    source = LocalStore(tmp_path / "source")
    source.put(generated)
    assert statuses(push(source, s3_store, [fingerprint])) == [PUSHED]

    target = LocalStore(tmp_path / "target")
    assert statuses(pull(s3_store, target, [fingerprint])) == [PULLED]
    assert local_files(target, fingerprint) == local_files(source, fingerprint)
    assert (target.path_for(fingerprint) / MANIFEST).read_bytes() == (
        source.path_for(fingerprint) / MANIFEST
    ).read_bytes()


@pytest.fixture
def proxied(
    aws_session: boto3.Session, generated: Dataset
) -> Iterator[tuple[DroppingProxy, S3Store]]:
    """moto's S3 over HTTP behind a proxy that can drop a connection, holding ``generated``."""
    with moto_server() as endpoint, DroppingProxy(endpoint).running() as proxy:
        store = store_behind(proxy.url, aws_session, BUCKET, PREFIX, REGION)
        store.put(generated)
        yield proxy, store


def test_a_table_file_dropped_mid_download_is_resumed_with_a_range_request(
    proxied: tuple[DroppingProxy, S3Store], generated: Dataset, tmp_path: Path
) -> None:
    proxy, store = proxied
    name = table_file_name("order_items")
    proxy.drops[name] = 500
    local = LocalStore(tmp_path / "cache")

    assert statuses(pull(store, local, [generated.fingerprint])) == [PULLED]

    assert [seen.range for seen in proxy.gets(name)] == [None, "bytes=500-"]
    assert dict(local.load(generated.fingerprint).tables) == dict(generated.tables)
    assert folder_names(local) == [generated.fingerprint]


def test_a_table_set_is_presigned_and_pulled_through_its_urls(
    proxied: tuple[DroppingProxy, S3Store],
    generated: Dataset,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _, store = proxied
    fingerprint = generated.fingerprint
    signed = list(presign(store, [fingerprint], expires=600))
    assert [outcome.status for outcome, _ in signed] == [PRESIGNED]
    entries = {outcome.fingerprint: entry for outcome, entry in signed if entry is not None}
    path = tmp_path / "urls.json"
    path.write_text(render_url_file(entries, expires_at="2030-01-01T00:00:00+00:00"))
    read = read_url_file(path)
    assert sorted(link.path for link in read[fingerprint].files) == sorted(
        table_file_name(name) for name in TABLES
    )
    for name in list(os.environ):
        if name.startswith("AWS_"):
            monkeypatch.delenv(name)
    local = LocalStore(tmp_path / "cache")

    assert statuses(pull(UrlSource(read, "urls.json"), local, [fingerprint])) == [PULLED]
    assert dict(local.load(fingerprint).tables) == dict(generated.tables)
