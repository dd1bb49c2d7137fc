"""S3Store against moto: the local layout in S3, create-only writes, verified reads, parts."""

from __future__ import annotations

import hashlib
import json
import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from synthdata_sdk import SynthDataClient
from synthdata_sdk.cache.entry_format import MANIFEST, RECORDS, part_name
from synthdata_sdk.cache.store import LocalStore
from synthdata_sdk.cache.tier import DatasetStore
from synthdata_sdk.client import PreparedRequest
from synthdata_sdk.cloud.s3_store import S3Store, parse_s3_uri
from synthdata_sdk.dataset import Dataset
from synthdata_sdk.errors import (
    CacheError,
    CorruptCacheError,
    DatasetNotCachedError,
    RequestError,
)
from tests.cloud.cloud_helpers import at_once
from tests.cloud.conftest import BUCKET, PREFIX


@pytest.fixture(scope="module")
def prepared(client: SynthDataClient) -> PreparedRequest:
    return client.prepare("customer", rows=40, seed=11)


@pytest.fixture
def generated(client: SynthDataClient, prepared: PreparedRequest) -> Dataset:
    return client.generate_prepared(prepared)


def entry_keys(s3: Any, fingerprint: str) -> list[str]:
    listed = s3.list_objects_v2(Bucket=BUCKET, Prefix=f"{PREFIX}/datasets/{fingerprint}/")
    return sorted(item["Key"] for item in listed.get("Contents", []))


def body(s3: Any, key: str) -> bytes:
    return s3.get_object(Bucket=BUCKET, Key=key)["Body"].read()  # type: ignore[no-any-return]


def key_of(fingerprint: str, name: str) -> str:
    return f"{PREFIX}/datasets/{fingerprint}/{name}"


def record_puts(s3: Any) -> list[dict[str, Any]]:
    """Every PutObject's parameters, in the order they are sent."""
    sent: list[dict[str, Any]] = []

    def record(params: dict[str, Any], **_: Any) -> None:
        sent.append({k: v for k, v in params.items() if k != "Body"})

    s3.meta.events.register("provide-client-params.s3.PutObject", record)
    return sent


# --------------------------------------------------------------------------------------------
# Layout and round trip


def test_an_s3_entry_has_the_local_layout_and_bytes(
    s3: Any, s3_store: S3Store, generated: Dataset, prepared: PreparedRequest, tmp_path: Path
) -> None:
    fingerprint = prepared.fingerprint
    local = LocalStore(tmp_path / "cache")
    local_manifest = local.put(generated)
    manifest = s3_store.put(generated)

    assert entry_keys(s3, fingerprint) == [
        key_of(fingerprint, MANIFEST),
        key_of(fingerprint, RECORDS),
    ]
    folder = local.path_for(fingerprint)
    assert body(s3, key_of(fingerprint, RECORDS)) == (folder / RECORDS).read_bytes()
    assert json.loads(body(s3, key_of(fingerprint, MANIFEST))) == manifest
    assert manifest["files"] == local_manifest["files"]
    same = {k: v for k, v in manifest.items() if k != "created_at"}
    assert same == {k: v for k, v in local_manifest.items() if k != "created_at"}

    loaded = s3_store.load(fingerprint, prepared.request)
    assert loaded.records == generated.records
    assert loaded.read_only
    assert s3_store.load(fingerprint).request == prepared.request  # rebuilt from the manifest
    copy = LocalStore(tmp_path / "copy")
    copy.put(loaded)
    assert (copy.path_for(fingerprint) / RECORDS).read_bytes() == (folder / RECORDS).read_bytes()


def test_parts_go_first_and_the_manifest_last_each_create_only_under_kms(
    s3: Any, bucket: str, generated: Dataset, prepared: PreparedRequest, kms_key: str
) -> None:
    sent = record_puts(s3)
    S3Store(s3, bucket, PREFIX, kms_key_id=kms_key).put(generated)
    assert [params["Key"] for params in sent] == [
        key_of(prepared.fingerprint, RECORDS),
        key_of(prepared.fingerprint, MANIFEST),
    ]
    for params in sent:
        assert params["IfNoneMatch"] == "*"
        assert params["ServerSideEncryption"] == "aws:kms"
        assert params["SSEKMSKeyId"] == kms_key
    for key in entry_keys(s3, prepared.fingerprint):
        head = s3.head_object(Bucket=BUCKET, Key=key)
        assert head["ServerSideEncryption"] == "aws:kms"
        assert head["SSEKMSKeyId"] == kms_key


def test_the_s3_store_implements_the_store_interface(
    s3_store: S3Store, generated: Dataset, prepared: PreparedRequest
) -> None:
    store: DatasetStore = s3_store
    assert isinstance(store, DatasetStore)
    fingerprint = prepared.fingerprint
    assert store.uri(fingerprint) == f"s3://{BUCKET}/{PREFIX}/datasets/{fingerprint}/"  # type: ignore[attr-defined]
    assert store.location(fingerprint) == f"s3://{BUCKET}/{PREFIX}/datasets/{fingerprint}/"
    assert not store.contains(fingerprint)
    assert store.fingerprints() == []
    with pytest.raises(DatasetNotCachedError, match=f"s3://{BUCKET}/{PREFIX}/datasets/"):
        store.load(fingerprint)
    store.put(generated)
    assert store.contains(fingerprint)
    assert store.fingerprints() == [fingerprint]
    assert store.manifest(fingerprint)["fingerprint"] == fingerprint
    assert store.remove(fingerprint)
    assert not store.contains(fingerprint)
    assert not store.remove(fingerprint)
    assert store.fingerprints() == []


def test_an_empty_dataset_round_trips(s3_store: S3Store, client: SynthDataClient) -> None:
    dataset = client.generate("customer", rows=0, seed=1)
    s3_store.put(dataset)
    assert s3_store.load(dataset.fingerprint).records == []


def test_a_compliance_profile_is_checked_again_on_the_way_out(
    s3: Any, s3_store: S3Store, client: SynthDataClient
) -> None:
    dataset = client.generate("customer", rows=5, seed=3, compliance=["gdpr"])
    s3_store.put(dataset)
    assert s3_store.manifest(dataset.fingerprint)["compliance"]["scanned"] is True
    records = dataset.copy_records()
    records[0]["email"] = "jane.doe@gmail.com"  # a real-looking address the profile refuses
    data = ("[" + ",\n".join(json.dumps(r, separators=(",", ":")) for r in records) + "]").encode()
    manifest = s3_store.manifest(dataset.fingerprint)
    manifest["files"][0].update(size=len(data), sha256=hashlib.sha256(data).hexdigest())
    s3.put_object(Bucket=BUCKET, Key=key_of(dataset.fingerprint, RECORDS), Body=data)
    s3.put_object(
        Bucket=BUCKET, Key=key_of(dataset.fingerprint, MANIFEST), Body=json.dumps(manifest)
    )
    with pytest.raises(CorruptCacheError, match="compliance profile"):
        s3_store.load(dataset.fingerprint)


# --------------------------------------------------------------------------------------------
# Parts of a fan-out


def split(records: list[Any], parts: int) -> list[list[Any]]:
    size = -(-len(records) // parts)
    return [records[i * size : (i + 1) * size] for i in range(parts)]


def test_eight_parts_written_in_any_order_equal_the_local_single_part_output(
    s3: Any,
    s3_store: S3Store,
    generated: Dataset,
    prepared: PreparedRequest,
    tmp_path: Path,
) -> None:
    fingerprint = prepared.fingerprint
    pieces = split(list(generated.records), 8)
    order = list(range(8))
    random.Random(5).shuffle(order)
    assert order != sorted(order)
    sent = record_puts(s3)
    for index in order:
        item = s3_store.put_part(fingerprint, index, [pieces[index]])
        assert item["part"] == index
        assert item["rows"] == len(pieces[index])
    assert not s3_store.contains(fingerprint)  # no manifest yet
    manifest = s3_store.finish(prepared.request, 8)
    assert sent[-1]["Key"] == key_of(fingerprint, MANIFEST)  # the manifest is written last
    assert [item["path"] for item in manifest["files"]] == [part_name(i) for i in range(8)]
    assert manifest["tables"] == {"customer": 40}

    loaded = s3_store.load(fingerprint, prepared.request)
    assert loaded.records == generated.records
    local = LocalStore(tmp_path / "one")
    local.put(generated)
    rebuilt = LocalStore(tmp_path / "rebuilt")
    rebuilt.put(loaded)
    assert (rebuilt.path_for(fingerprint) / RECORDS).read_bytes() == (
        local.path_for(fingerprint) / RECORDS
    ).read_bytes()
    # the same bytes, copied as they are, make a valid local entry: one layout everywhere
    folder = tmp_path / "copied" / "datasets" / fingerprint
    folder.mkdir(parents=True)
    for key in entry_keys(s3, fingerprint):
        (folder / key.rsplit("/", 1)[1]).write_bytes(body(s3, key))
    copied = LocalStore(tmp_path / "copied").load(fingerprint, prepared.request)
    assert copied.records == generated.records


def test_a_retried_part_is_a_no_op_and_other_bytes_are_refused(
    s3_store: S3Store, generated: Dataset, prepared: PreparedRequest
) -> None:
    fingerprint = prepared.fingerprint
    records = list(generated.records)
    first = s3_store.put_part(fingerprint, 0, [records[:10]])
    assert s3_store.put_part(fingerprint, 0, [records[:10]]) == first
    with pytest.raises(CorruptCacheError, match=r"already holds other bytes .*records-00000\.json"):
        s3_store.put_part(fingerprint, 0, [records[10:20]])


def test_finish_before_every_part_exists_writes_no_manifest(
    s3: Any, s3_store: S3Store, generated: Dataset, prepared: PreparedRequest
) -> None:
    fingerprint = prepared.fingerprint
    pieces = split(list(generated.records), 3)
    s3_store.put_part(fingerprint, 0, [pieces[0]])
    s3_store.put_part(fingerprint, 2, [pieces[2]])
    with pytest.raises(CacheError, match=r"part 1 of 3 \(records-00001\.json\) is not there"):
        s3_store.finish(prepared.request, 3)
    assert key_of(fingerprint, MANIFEST) not in entry_keys(s3, fingerprint)
    s3_store.put_part(fingerprint, 1, [pieces[1]])
    s3_store.finish(prepared.request, 3)
    assert s3_store.load(fingerprint).records == generated.records


@pytest.mark.parametrize("bad", [-1, True, "1"])
def test_a_part_index_must_be_a_whole_number(
    s3_store: S3Store, prepared: PreparedRequest, bad: Any
) -> None:
    with pytest.raises(RequestError, match="part index"):
        s3_store.put_part(prepared.fingerprint, bad, [])


# --------------------------------------------------------------------------------------------
# Verified reads


def _parts_entry(s3_store: S3Store, generated: Dataset, prepared: PreparedRequest) -> None:
    for index, piece in enumerate(split(list(generated.records), 4)):
        s3_store.put_part(prepared.fingerprint, index, [piece])
    s3_store.finish(prepared.request, 4)


def test_a_tampered_part_under_the_old_manifest_is_corrupt_naming_its_uri(
    s3: Any, s3_store: S3Store, generated: Dataset, prepared: PreparedRequest
) -> None:
    fingerprint = prepared.fingerprint
    _parts_entry(s3_store, generated, prepared)
    key = key_of(fingerprint, part_name(2))
    records = json.loads(body(s3, key))
    records.reverse()
    tampered = "[" + ",\n".join(json.dumps(r, separators=(",", ":")) for r in records) + "]"
    s3.put_object(Bucket=BUCKET, Key=key, Body=tampered.encode())
    assert s3_store.contains(fingerprint)  # every file is there...
    with pytest.raises(CorruptCacheError) as info:  # ...but one does not match
        s3_store.load(fingerprint, prepared.request)
    assert "records-00002.json does not match its sha256" in info.value.reason
    assert f"s3://{BUCKET}/{PREFIX}/datasets/{fingerprint}/" in str(info.value)


def test_a_manifest_without_all_its_parts_is_not_cached(
    s3: Any, s3_store: S3Store, generated: Dataset, prepared: PreparedRequest
) -> None:
    fingerprint = prepared.fingerprint
    _parts_entry(s3_store, generated, prepared)
    s3.delete_object(Bucket=BUCKET, Key=key_of(fingerprint, part_name(1)))
    assert not s3_store.contains(fingerprint)
    with pytest.raises(DatasetNotCachedError, match=r"not complete in s3://.*records-00001\.json"):
        s3_store.load(fingerprint, prepared.request)


def _manifest_not_json(s3: Any, fingerprint: str) -> None:
    s3.put_object(Bucket=BUCKET, Key=key_of(fingerprint, MANIFEST), Body=b"{")


def _truncated_records(s3: Any, fingerprint: str) -> None:
    key = key_of(fingerprint, RECORDS)
    s3.put_object(Bucket=BUCKET, Key=key, Body=body(s3, key)[:-3])


def _manifest_of_another_entry(s3: Any, fingerprint: str) -> None:
    manifest = json.loads(body(s3, key_of(fingerprint, MANIFEST)))
    manifest["fingerprint"] = "0" * 64
    s3.put_object(Bucket=BUCKET, Key=key_of(fingerprint, MANIFEST), Body=json.dumps(manifest))


DAMAGE: dict[str, tuple[Callable[[Any, str], None], str]] = {
    "manifest not JSON": (_manifest_not_json, r"manifest\.json is not JSON"),
    "truncated records": (_truncated_records, r"records\.json has \d+ bytes, the manifest says"),
    "other fingerprint": (_manifest_of_another_entry, "names fingerprint '0{64}'"),
}


@pytest.mark.parametrize(("damage", "reason"), DAMAGE.values(), ids=DAMAGE.keys())
def test_a_damaged_entry_is_corrupt_naming_its_uri(
    s3: Any,
    s3_store: S3Store,
    generated: Dataset,
    prepared: PreparedRequest,
    damage: Callable[[Any, str], None],
    reason: str,
) -> None:
    s3_store.put(generated)
    damage(s3, prepared.fingerprint)
    with pytest.raises(CorruptCacheError, match=reason) as info:
        s3_store.load(prepared.fingerprint, prepared.request)
    assert s3_store.uri(prepared.fingerprint) in str(info.value)


def test_put_does_not_replace_a_corrupt_manifest(
    s3: Any, s3_store: S3Store, generated: Dataset, prepared: PreparedRequest
) -> None:
    s3_store.put(generated)
    _manifest_not_json(s3, prepared.fingerprint)
    assert not s3_store.contains(prepared.fingerprint)
    with pytest.raises(CorruptCacheError, match=r"manifest\.json is not JSON"):
        s3_store.put(generated)
    assert body(s3, key_of(prepared.fingerprint, MANIFEST)) == b"{"


# --------------------------------------------------------------------------------------------
# Create-only


def test_two_puts_of_one_fingerprint_leave_one_entry_and_both_succeed(
    s3: Any, s3_store: S3Store, generated: Dataset, prepared: PreparedRequest
) -> None:
    first = s3_store.put(generated)
    before = {key: body(s3, key) for key in entry_keys(s3, prepared.fingerprint)}
    sent = record_puts(s3)
    assert s3_store.put(generated) == first
    assert sent == []  # the complete entry was found: nothing uploaded
    assert {key: body(s3, key) for key in entry_keys(s3, prepared.fingerprint)} == before


def test_a_put_that_loses_the_race_returns_the_winners_manifest(
    s3: Any,
    s3_store: S3Store,
    client: SynthDataClient,
    generated: Dataset,
    prepared: PreparedRequest,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    measured = client.generate_prepared(prepared, quality=True)  # same fingerprint and records
    winner = s3_store.put(measured)
    assert winner["quality"] is not None
    # The loser looked before the winner's manifest appeared, then writes everything itself.
    monkeypatch.setattr(S3Store, "contains", lambda self, fingerprint: False)
    sent = record_puts(s3)
    assert s3_store.put(generated) == winner
    assert [params["Key"].rsplit("/", 1)[1] for params in sent] == [RECORDS, MANIFEST]
    assert json.loads(body(s3, key_of(prepared.fingerprint, MANIFEST))) == winner


def test_concurrent_puts_of_one_fingerprint_leave_one_entry(
    s3: Any, s3_store: S3Store, generated: Dataset, prepared: PreparedRequest
) -> None:
    manifests = at_once(8, lambda _: s3_store.put(generated))
    assert all(m["fingerprint"] == prepared.fingerprint for m in manifests)
    assert entry_keys(s3, prepared.fingerprint) == [
        key_of(prepared.fingerprint, MANIFEST),
        key_of(prepared.fingerprint, RECORDS),
    ]
    assert s3_store.load(prepared.fingerprint).records == generated.records


# --------------------------------------------------------------------------------------------
# Names


def test_a_bad_fingerprint_is_refused_before_any_call(s3_store: S3Store) -> None:
    for bad in ["x", "A" * 64, "../" + "a" * 61]:
        with pytest.raises(CacheError, match="not a fingerprint"):
            s3_store.load(bad)


@pytest.mark.parametrize("prefix", ["a/../b", "a//b", "./a", "a/."])
def test_a_prefix_with_dot_or_empty_parts_is_refused(s3: Any, prefix: str) -> None:
    with pytest.raises(RequestError, match="not a plain path"):
        S3Store(s3, BUCKET, prefix)


@pytest.mark.parametrize("bucket", ["", "UPPER", "a", "has_underscore", "a..b", "-start"])
def test_a_bad_bucket_name_is_refused(s3: Any, bucket: str) -> None:
    with pytest.raises(RequestError, match="not an S3 bucket name"):
        S3Store(s3, bucket)


def test_from_uri_and_an_empty_prefix(s3: Any, bucket: str, generated: Dataset) -> None:
    assert parse_s3_uri(f"s3://{bucket}/a/b/") == (bucket, "a/b")
    assert parse_s3_uri(f"s3://{bucket}") == (bucket, "")
    with pytest.raises(RequestError, match="not an S3 URI"):
        parse_s3_uri("https://example.org/x")
    store = S3Store.from_uri(f"s3://{bucket}/", s3)
    store.put(generated)
    assert store.uri(generated.fingerprint) == f"s3://{bucket}/datasets/{generated.fingerprint}/"
    assert store.load(generated.fingerprint).records == generated.records
