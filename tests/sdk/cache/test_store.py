"""LocalStore: layout, verified reads, atomic writes and housekeeping, on real datasets."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from synthdata_sdk import SynthDataClient
from synthdata_sdk.cache.housekeeping import STALE_AFTER, Removal
from synthdata_sdk.cache.store import (
    MANIFEST,
    RECORDS,
    CacheEntry,
    LocalStore,
    is_fingerprint,
    request_from_manifest,
)
from synthdata_sdk.client import PreparedRequest
from synthdata_sdk.dataset import Dataset
from synthdata_sdk.errors import (
    CacheBusyError,
    CacheError,
    CorruptCacheError,
    DatasetNotCachedError,
)
from synthdata_sdk.frozen import FrozenDict, FrozenList
from tests.sdk.cache.cache_helpers import (
    entry_dir,
    flip_byte,
    leftovers,
    read_manifest,
    rewrite_records,
    write_manifest,
)


class BoomError(Exception):
    pass


def failing_chunks(records: list[Any], error: BaseException) -> Iterator[list[Any]]:
    yield records[:5]
    yield records[5:10]
    raise error


# --------------------------------------------------------------------------------------------
# Saving and loading


def test_save_then_load_gives_the_generated_records_read_only(
    store: LocalStore, generated: Dataset, prepared: PreparedRequest
) -> None:
    manifest = store.save_dataset(generated)
    fingerprint = prepared.fingerprint
    assert manifest["fingerprint"] == fingerprint

    loaded = store.load(fingerprint, prepared.request)
    assert loaded.records == generated.records
    assert [list(r) for r in loaded.records] == [list(r) for r in generated.records]  # key order
    assert len(loaded) == 20
    assert loaded.fingerprint == fingerprint
    assert loaded.request == prepared.request
    assert loaded.request is prepared.request
    assert loaded.read_only
    assert type(loaded.records) is FrozenList
    assert all(type(record) is FrozenDict for record in loaded.records)
    assert type(loaded.manifest) is FrozenDict
    assert loaded.manifest == read_manifest(store, fingerprint)
    with pytest.raises(TypeError, match="copy_records"):
        loaded.records[0]["id"] = "x"
    with pytest.raises(TypeError, match="copy_records"):
        loaded.records.append({})
    with pytest.raises(TypeError, match="copy_records"):
        loaded.manifest["fingerprint"] = "x"
    copied = loaded.copy_records()
    copied[0]["id"] = "x"
    assert loaded.records[0]["id"] == generated.records[0]["id"]


def test_load_without_a_request_rebuilds_it(
    store: LocalStore, client: SynthDataClient, sorted_prepared: PreparedRequest
) -> None:
    dataset = client.generate_prepared(sorted_prepared)
    store.save_dataset(dataset)
    loaded = store.load(sorted_prepared.fingerprint)
    assert loaded.records == dataset.records
    assert loaded.request == sorted_prepared.request
    assert loaded.request.fingerprint() == sorted_prepared.fingerprint
    assert loaded.read_only


def test_load_without_a_request_rebuilds_it_for_a_template(
    store: LocalStore, generated: Dataset, prepared: PreparedRequest
) -> None:
    # The customer template's properties are not in alphabetical order: manifest.json must
    # keep their order, which is part of the fingerprint.
    store.save_dataset(generated)
    loaded = store.load(prepared.fingerprint)
    assert loaded.records == generated.records
    assert loaded.request.fingerprint() == prepared.fingerprint


def test_load_refuses_a_request_with_another_fingerprint(
    store: LocalStore,
    generated: Dataset,
    prepared: PreparedRequest,
    other_prepared: PreparedRequest,
) -> None:
    store.save_dataset(generated)
    with pytest.raises(CacheError, match="fingerprint") as info:
        store.load(prepared.fingerprint, other_prepared.request)
    assert type(info.value) is CacheError


def test_layout_manifest_and_gitignore(
    store: LocalStore, generated: Dataset, prepared: PreparedRequest
) -> None:
    fingerprint = prepared.fingerprint
    returned = store.save_dataset(generated)

    assert sorted(p.name for p in store.root.iterdir()) == [".gitignore", "datasets", "locks"]
    assert sorted(p.name for p in (store.root / "datasets").iterdir()) == [fingerprint]
    assert list((store.root / "locks").iterdir()) == []  # the writer's lock went with it
    folder = entry_dir(store, fingerprint)
    assert folder == store.path_for(fingerprint)
    assert sorted(p.name for p in folder.iterdir()) == [MANIFEST, RECORDS]

    data = (folder / RECORDS).read_bytes()
    assert json.loads(data) == generated.records

    manifest = read_manifest(store, fingerprint)
    assert manifest == returned
    assert manifest["fingerprint"] == fingerprint
    assert manifest["files"] == [
        {
            "path": RECORDS,
            "format": "json",
            "sha256": hashlib.sha256(data).hexdigest(),
            "size": len(data),
        }
    ]
    assert manifest["tables"] == {"customer": 20}
    assert manifest["data_version"] == prepared.request.data_version
    assert manifest["created_at"]
    request = manifest["request"]
    assert request["source"] == "template 'customer'"
    assert request["name"] == "customer"
    assert request["rows"] == 20
    assert request["seed"] == 3
    assert request["locale"] == "en_US"
    assert request["compliance"] == []
    assert request["schema"] == prepared.request.normalized_schema

    ignore = (store.root / ".gitignore").read_text()
    assert "*" in ignore.splitlines()


def test_the_manifest_keeps_the_schema_property_order(
    store: LocalStore, generated: Dataset, prepared: PreparedRequest
) -> None:
    store.save_dataset(generated)
    schema = read_manifest(store, prepared.fingerprint)["request"]["schema"]
    order = list(prepared.request.normalized_schema["properties"])
    assert order != sorted(order)  # otherwise this test would prove nothing
    assert list(schema["properties"]) == order


def test_an_existing_gitignore_is_left_alone(store: LocalStore, generated: Dataset) -> None:
    store.root.mkdir(parents=True)
    (store.root / ".gitignore").write_text("custom\n")
    store.save_dataset(generated)
    assert (store.root / ".gitignore").read_text() == "custom\n"


def test_contains_and_modified_at(
    store: LocalStore, generated: Dataset, prepared: PreparedRequest
) -> None:
    fingerprint = prepared.fingerprint
    assert not store.contains(fingerprint)
    assert store.modified_at(fingerprint) is None
    store.save_dataset(generated)
    assert store.contains(fingerprint)
    assert (
        store.modified_at(fingerprint) == (entry_dir(store, fingerprint) / MANIFEST).stat().st_mtime
    )


def test_an_empty_dataset_round_trips(store: LocalStore, client: SynthDataClient) -> None:
    prepared = client.prepare("customer", rows=0, seed=1)
    store.save_dataset(client.generate_prepared(prepared))
    loaded = store.load(prepared.fingerprint, prepared.request)
    assert loaded.records == []
    assert loaded.read_only
    assert read_manifest(store, prepared.fingerprint)["tables"] == {"customer": 0}


# --------------------------------------------------------------------------------------------
# Corruption: every bad entry raises CorruptCacheError naming the reason


def _flip_records_byte(store: LocalStore, fp: str) -> None:
    flip_byte(entry_dir(store, fp) / RECORDS)


def _truncate_records(store: LocalStore, fp: str) -> None:
    path = entry_dir(store, fp) / RECORDS
    path.write_bytes(path.read_bytes()[:-7])


def _delete_records(store: LocalStore, fp: str) -> None:
    (entry_dir(store, fp) / RECORDS).unlink()


def _manifest_not_json(store: LocalStore, fp: str) -> None:
    (entry_dir(store, fp) / MANIFEST).write_text('{"fingerprint": ')


def _manifest_not_object(store: LocalStore, fp: str) -> None:
    (entry_dir(store, fp) / MANIFEST).write_text("[]")


def _manifest_other_fingerprint(store: LocalStore, fp: str) -> None:
    manifest = read_manifest(store, fp)
    manifest["fingerprint"] = "0" * 64
    write_manifest(store, fp, manifest)


def _records_path_with_slash(store: LocalStore, fp: str) -> None:
    # The file is moved where the manifest says, so size and sha256 would still match.
    folder = entry_dir(store, fp)
    (folder / "sub").mkdir()
    (folder / RECORDS).rename(folder / "sub" / RECORDS)
    manifest = read_manifest(store, fp)
    manifest["files"][0]["path"] = f"sub/{RECORDS}"
    write_manifest(store, fp, manifest)


def _no_records_listed(store: LocalStore, fp: str) -> None:
    manifest = read_manifest(store, fp)
    manifest["files"] = []
    write_manifest(store, fp, manifest)


def _records_not_json(store: LocalStore, fp: str) -> None:
    rewrite_records(store, fp, b"[{]")


def _records_count_differs(store: LocalStore, fp: str) -> None:
    records = json.loads((entry_dir(store, fp) / RECORDS).read_bytes())
    rewrite_records(store, fp, json.dumps(records[:-1]).encode())


def _records_not_an_array(store: LocalStore, fp: str) -> None:
    rewrite_records(store, fp, b'{"a": 1}')


def _bad_row_counts(store: LocalStore, fp: str) -> None:
    manifest = read_manifest(store, fp)
    manifest["tables"] = {"customer": "20"}
    write_manifest(store, fp, manifest)


CORRUPTIONS: dict[str, tuple[Callable[[LocalStore, str], None], str]] = {
    "flipped byte": (_flip_records_byte, "records.json does not match its sha256"),
    "truncated": (_truncate_records, r"records.json has \d+ bytes, the manifest says \d+"),
    "deleted records": (_delete_records, "records.json is missing"),
    "manifest not JSON": (_manifest_not_json, "manifest.json is not JSON"),
    "manifest not an object": (_manifest_not_object, "manifest.json is not a JSON object"),
    "other fingerprint": (
        _manifest_other_fingerprint,
        "names fingerprint '0{64}', not the folder's",
    ),
    "path with a slash": (_records_path_with_slash, "lists no records.json"),
    "no records listed": (_no_records_listed, "lists no records.json"),
    "records not JSON": (_records_not_json, "records.json is not JSON"),
    "row count differs": (_records_count_differs, "holds 19 records, the manifest says 20"),
    "records not an array": (_records_not_an_array, "no JSON array, the manifest says 20"),
    "bad row counts": (_bad_row_counts, "no valid row counts"),
}


@pytest.mark.parametrize(("corrupt", "reason"), CORRUPTIONS.values(), ids=CORRUPTIONS.keys())
def test_load_of_a_corrupt_entry_raises_naming_the_reason(
    store: LocalStore,
    generated: Dataset,
    prepared: PreparedRequest,
    corrupt: Callable[[LocalStore, str], None],
    reason: str,
) -> None:
    fingerprint = prepared.fingerprint
    store.save_dataset(generated)
    store.load(fingerprint, prepared.request)  # fine before
    corrupt(store, fingerprint)
    with pytest.raises(CorruptCacheError) as info:
        store.load(fingerprint, prepared.request)
    error = info.value
    assert error.fingerprint == fingerprint
    assert re.search(reason, error.reason), error.reason
    assert fingerprint[:12] in str(error)
    assert error.reason in str(error)
    assert isinstance(error, CacheError)


VERIFY_CORRUPTIONS = {
    key: value
    for key, value in CORRUPTIONS.items()
    # verify() checks files and the request, not the records' content
    if key
    not in {"records not JSON", "row count differs", "records not an array", "bad row counts"}
}
VERIFY_CORRUPTIONS["path with a slash"] = (_records_path_with_slash, "leaves the entry folder")
VERIFY_CORRUPTIONS["no records listed"] = (_no_records_listed, "lists no data files")


@pytest.mark.parametrize(
    ("corrupt", "reason"), VERIFY_CORRUPTIONS.values(), ids=VERIFY_CORRUPTIONS.keys()
)
def test_verify_of_a_corrupt_entry_raises_naming_the_reason(
    store: LocalStore,
    client: SynthDataClient,
    sorted_prepared: PreparedRequest,
    corrupt: Callable[[LocalStore, str], None],
    reason: str,
) -> None:
    fingerprint = sorted_prepared.fingerprint
    store.save_dataset(client.generate_prepared(sorted_prepared))
    store.verify(fingerprint)  # fine before
    corrupt(store, fingerprint)
    with pytest.raises(CorruptCacheError) as info:
        store.verify(fingerprint)
    assert re.search(reason, info.value.reason), info.value.reason
    assert info.value.fingerprint == fingerprint


def test_a_manifest_listing_a_path_outside_the_entry_fails_verify(
    store: LocalStore, client: SynthDataClient, sorted_prepared: PreparedRequest
) -> None:
    fingerprint = sorted_prepared.fingerprint
    store.save_dataset(client.generate_prepared(sorted_prepared))
    outside = store.root / "datasets" / "outside.json"
    outside.write_bytes(b"[]")
    manifest = read_manifest(store, fingerprint)
    manifest["files"].append(
        {
            "path": "../outside.json",
            "format": "json",
            "size": 2,
            "sha256": hashlib.sha256(b"[]").hexdigest(),
        }
    )
    write_manifest(store, fingerprint, manifest)
    with pytest.raises(CorruptCacheError, match="leaves the entry folder"):
        store.verify(fingerprint)


def test_load_also_refuses_a_manifest_listing_a_path_outside_the_entry(
    store: LocalStore, generated: Dataset, prepared: PreparedRequest
) -> None:
    fingerprint = prepared.fingerprint
    store.save_dataset(generated)
    manifest = read_manifest(store, fingerprint)
    manifest["files"].append(
        {"path": "../outside.json", "format": "json", "size": 2, "sha256": "0" * 64}
    )
    write_manifest(store, fingerprint, manifest)
    with pytest.raises(CorruptCacheError, match="leaves the entry folder"):
        store.load(fingerprint, prepared.request)


def test_an_entry_copied_under_another_fingerprint_is_corrupt(
    store: LocalStore,
    generated: Dataset,
    prepared: PreparedRequest,
    other_prepared: PreparedRequest,
) -> None:
    store.save_dataset(generated)
    shutil.copytree(
        entry_dir(store, prepared.fingerprint), entry_dir(store, other_prepared.fingerprint)
    )
    with pytest.raises(CorruptCacheError, match="not the folder's"):
        store.load(other_prepared.fingerprint, other_prepared.request)
    with pytest.raises(CorruptCacheError, match="not the folder's"):
        store.manifest(other_prepared.fingerprint)


def test_load_of_a_missing_fingerprint_raises_not_cached(
    store: LocalStore,
    generated: Dataset,
    prepared: PreparedRequest,
    other_prepared: PreparedRequest,
) -> None:
    with pytest.raises(DatasetNotCachedError) as info:
        store.load(prepared.fingerprint)  # no folder at all yet
    assert info.value.fingerprint == prepared.fingerprint
    store.save_dataset(generated)
    with pytest.raises(DatasetNotCachedError) as info:
        store.load(other_prepared.fingerprint, other_prepared.request)
    assert info.value.fingerprint == other_prepared.fingerprint
    assert not isinstance(info.value, CacheError)
    with pytest.raises(DatasetNotCachedError):
        store.manifest(other_prepared.fingerprint)
    with pytest.raises(DatasetNotCachedError):
        store.verify(other_prepared.fingerprint)


BAD_FINGERPRINTS = [
    "",
    "abc",
    "g" * 64,
    "A" * 64,
    "a" * 63,
    "a" * 65,
    "../" + "a" * 61,
    "a" * 32 + "/" + "a" * 31,
    " " + "a" * 63,
]


@pytest.mark.parametrize("bad", BAD_FINGERPRINTS)
def test_a_non_hex_fingerprint_raises_cache_error(store: LocalStore, bad: str) -> None:
    assert not is_fingerprint(bad)
    for call in (
        store.load,
        store.path_for,
        store.contains,
        store.modified_at,
        store.manifest,
        store.verify,
        store.remove,
        store.lock,
    ):
        with pytest.raises(CacheError, match="not a fingerprint") as info:
            call(bad)
        assert type(info.value) is CacheError
    assert not store.root.exists()


def test_is_fingerprint_accepts_lowercase_hex(prepared: PreparedRequest) -> None:
    assert is_fingerprint(prepared.fingerprint)
    assert is_fingerprint("0123456789abcdef" * 4)


# --------------------------------------------------------------------------------------------
# Atomic writes


@pytest.mark.parametrize(
    "corrupt", [_flip_records_byte, _delete_records, _manifest_not_json, _truncate_records]
)
def test_save_replaces_a_corrupt_entry(
    store: LocalStore,
    generated: Dataset,
    prepared: PreparedRequest,
    corrupt: Callable[[LocalStore, str], None],
) -> None:
    fingerprint = prepared.fingerprint
    store.save_dataset(generated)
    corrupt(store, fingerprint)
    with pytest.raises(CorruptCacheError):
        store.load(fingerprint, prepared.request)
    store.save_dataset(generated)
    assert store.load(fingerprint, prepared.request).records == generated.records
    assert leftovers(store) == []
    assert store.fingerprints() == [fingerprint]


@pytest.mark.parametrize(
    "error", [BoomError("midway"), KeyboardInterrupt()], ids=["error", "ctrl-c"]
)
def test_a_failed_save_leaves_no_entry_and_no_temp_folder(
    store: LocalStore, generated: Dataset, prepared: PreparedRequest, error: BaseException
) -> None:
    with pytest.raises(type(error)):
        store.save(prepared.request, failing_chunks(generated.records, error))
    assert not store.contains(prepared.fingerprint)
    assert not entry_dir(store, prepared.fingerprint).exists()
    assert store.fingerprints() == []
    assert leftovers(store) == []
    assert list((store.root / "datasets").iterdir()) == []


@pytest.mark.parametrize(
    "error", [BoomError("midway"), KeyboardInterrupt()], ids=["error", "ctrl-c"]
)
def test_a_failed_save_leaves_an_existing_entry_as_it_was(
    store: LocalStore, generated: Dataset, prepared: PreparedRequest, error: BaseException
) -> None:
    store.save_dataset(generated)
    folder = entry_dir(store, prepared.fingerprint)
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    with pytest.raises(type(error)):
        store.save(prepared.request, failing_chunks(generated.records, error))
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before
    assert store.load(prepared.fingerprint, prepared.request).records == generated.records
    assert leftovers(store) == []


def test_save_counts_rows_over_all_chunks(
    store: LocalStore, generated: Dataset, prepared: PreparedRequest
) -> None:
    records = generated.records
    chunks = [records[:3], [], records[3:11], records[11:]]
    manifest = store.save(prepared.request, iter(chunks))
    assert manifest["tables"] == {"customer": 20}
    assert store.load(prepared.fingerprint, prepared.request).records == records


# --------------------------------------------------------------------------------------------
# Housekeeping


@pytest.fixture
def three(
    client: SynthDataClient, store: LocalStore, prepared: PreparedRequest
) -> list[PreparedRequest]:
    requests = [
        prepared,
        client.prepare("order", rows=7, seed=1),
        client.prepare("device", rows=4, seed=2),
    ]
    for item in requests:
        store.save_dataset(client.generate_prepared(item))
    return requests


def make_old(path: Path) -> None:
    """Date ``path`` two days back: older than the stale limit of lockless temporaries."""
    two_days_ago = time.time() - 2 * STALE_AFTER
    os.utime(path, (two_days_ago, two_days_ago))


def test_prune_keeps_only_the_given_fingerprints_and_sweeps_leftovers(
    store: LocalStore, three: list[PreparedRequest]
) -> None:
    keep, *drop = three
    datasets = store.root / "datasets"
    for name in (".tmp-0123456789ab-abcdef", ".trash-0123456789ab-abcdef"):
        (datasets / name).mkdir()
        (datasets / name / RECORDS).write_text("[]")
        make_old(datasets / name)  # left without a writer lock, long ago
    half_made = "f" * 64  # a folder without a manifest
    (datasets / half_made).mkdir()

    result = store.prune([keep.fingerprint, "not-a-fingerprint"])

    assert result.removed == sorted([*(item.fingerprint for item in drop), half_made])
    assert result.swept == [".tmp-0123456789ab-abcdef", ".trash-0123456789ab-abcdef"]
    assert result.skipped == []
    assert store.fingerprints() == [keep.fingerprint]
    assert sorted(p.name for p in datasets.iterdir()) == [keep.fingerprint]
    assert store.load(keep.fingerprint, keep.request).rows == 20
    for item in drop:
        with pytest.raises(DatasetNotCachedError):
            store.load(item.fingerprint, item.request)
    assert store.prune([keep.fingerprint]) == Removal()


def test_prune_and_clear_on_an_empty_store(store: LocalStore) -> None:
    assert store.prune([]) == Removal()
    assert store.clear() == Removal()
    assert store.fingerprints() == []
    assert list(store.entries()) == []


def test_clear_deletes_every_entry(store: LocalStore, three: list[PreparedRequest]) -> None:
    (store.root / "datasets" / ".tmp-leftover").mkdir()
    make_old(store.root / "datasets" / ".tmp-leftover")
    removed = store.clear().removed
    assert removed == sorted(item.fingerprint for item in three)
    assert store.fingerprints() == []
    assert list((store.root / "datasets").iterdir()) == []


def test_remove(store: LocalStore, three: list[PreparedRequest]) -> None:
    target = three[1]
    assert store.remove(target.fingerprint) is True
    assert store.remove(target.fingerprint) is False
    assert not store.contains(target.fingerprint)
    assert store.fingerprints() == sorted(item.fingerprint for item in (three[0], three[2]))
    assert leftovers(store) == []


def test_entries_lists_sorted_entries_with_rows_size_and_source(
    store: LocalStore, three: list[PreparedRequest]
) -> None:
    (store.root / "datasets" / "notes").mkdir()  # not a fingerprint: ignored
    entries = list(store.entries())
    assert [e.fingerprint for e in entries] == sorted(item.fingerprint for item in three)
    by_fp = {e.fingerprint: e for e in entries}
    expected = {
        three[0].fingerprint: (20, "template 'customer'"),
        three[1].fingerprint: (7, "template 'order'"),
        three[2].fingerprint: (4, "template 'device'"),
    }
    for fingerprint, (rows, source) in expected.items():
        entry = by_fp[fingerprint]
        assert isinstance(entry, CacheEntry)
        assert entry.rows == rows
        assert entry.source == source
        assert entry.path == entry_dir(store, fingerprint)
        assert entry.size == (entry.path / RECORDS).stat().st_size
        assert entry.size > 0
        assert entry.created_at
        assert entry.manifest == read_manifest(store, fingerprint)


def test_entries_skips_unreadable_manifests(
    store: LocalStore, three: list[PreparedRequest]
) -> None:
    _manifest_not_json(store, three[0].fingerprint)
    (entry_dir(store, three[1].fingerprint) / MANIFEST).unlink()
    assert [e.fingerprint for e in store.entries()] == [three[2].fingerprint]
    assert len(store.fingerprints()) == 3


def test_request_from_manifest_rebuilds_a_request_with_the_same_fingerprint(
    store: LocalStore, client: SynthDataClient, sorted_prepared: PreparedRequest
) -> None:
    store.save_dataset(client.generate_prepared(sorted_prepared))
    fingerprint = sorted_prepared.fingerprint
    request = request_from_manifest(fingerprint, read_manifest(store, fingerprint))
    assert request.fingerprint() == fingerprint
    assert request == sorted_prepared.request


def test_request_from_manifest_rebuilds_a_template_request(
    store: LocalStore, generated: Dataset, prepared: PreparedRequest
) -> None:
    store.save_dataset(generated)
    fingerprint = prepared.fingerprint
    request = request_from_manifest(fingerprint, read_manifest(store, fingerprint))
    assert request.fingerprint() == fingerprint


def test_request_from_manifest_with_the_in_memory_manifest(
    generated: Dataset, prepared: PreparedRequest
) -> None:
    # Without the trip through manifest.json the property order is intact.
    request = request_from_manifest(prepared.fingerprint, generated.manifest)
    assert request == prepared.request


def test_request_from_manifest_refuses_a_changed_request(
    store: LocalStore, client: SynthDataClient, sorted_prepared: PreparedRequest
) -> None:
    store.save_dataset(client.generate_prepared(sorted_prepared))
    fingerprint = sorted_prepared.fingerprint
    manifest = read_manifest(store, fingerprint)
    manifest["request"]["seed"] = 6
    with pytest.raises(CorruptCacheError, match="another fingerprint"):
        request_from_manifest(fingerprint, manifest)
    manifest["request"]["rows"] = -1
    with pytest.raises(CorruptCacheError, match="bad request"):
        request_from_manifest(fingerprint, manifest)
    del manifest["request"]
    with pytest.raises(CorruptCacheError, match="has no request"):
        request_from_manifest(fingerprint, manifest)
    write_manifest(store, fingerprint, manifest)
    with pytest.raises(CorruptCacheError, match="has no request"):
        store.verify(fingerprint)


def test_verify_passes_on_a_good_entry(
    store: LocalStore, client: SynthDataClient, sorted_prepared: PreparedRequest
) -> None:
    returned = store.save_dataset(client.generate_prepared(sorted_prepared))
    assert store.verify(sorted_prepared.fingerprint) == returned


def test_verify_passes_on_a_good_template_entry(
    store: LocalStore, generated: Dataset, prepared: PreparedRequest
) -> None:
    returned = store.save_dataset(generated)
    assert store.verify(prepared.fingerprint) == returned


def test_lock_is_exclusive_between_holders(store: LocalStore, prepared: PreparedRequest) -> None:
    fingerprint = prepared.fingerprint
    first = store.lock(fingerprint)
    with first:
        assert (store.root / "locks" / f"{fingerprint}.lock").exists()
        with pytest.raises(CacheBusyError, match="held by another process"):
            store.lock(fingerprint, timeout=0).acquire()
    with store.lock(fingerprint, timeout=0):
        pass
