"""DatasetCache: memory, then the local store, then generation, under each record/replay mode."""

from __future__ import annotations

import multiprocessing
import os
import queue
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from synthdata_sdk import SynthDataClient
from synthdata_sdk.cache import MODES
from synthdata_sdk.cache.resolver import DatasetCache, Origin, Served
from synthdata_sdk.cache.store import MANIFEST, RECORDS, LocalStore
from synthdata_sdk.client import PreparedRequest
from synthdata_sdk.errors import CorruptCacheError, DatasetNotCachedError, RequestError
from synthdata_sdk.frozen import FrozenDict, FrozenList
from tests.sdk.cache.cache_helpers import (
    entry_dir,
    flip_byte,
    get_in_another_process,
    leftovers,
    read_manifest,
)


def assert_same_records(served: Served, expected: list[dict[str, object]]) -> None:
    records = served.dataset.records
    assert records == expected
    assert [list(r) for r in records] == [list(r) for r in expected]  # key order too


@pytest.fixture
def expected(client: SynthDataClient, prepared: PreparedRequest) -> list[dict[str, object]]:
    return client.generate_prepared(prepared).records


# --------------------------------------------------------------------------------------------
# Modes once and new


@pytest.mark.parametrize("mode", ["once", "new"])
def test_generated_then_memory_then_local(
    client: SynthDataClient,
    store: LocalStore,
    prepared: PreparedRequest,
    expected: list[dict[str, object]],
    mode: str,
) -> None:
    fingerprint = prepared.fingerprint
    cache = DatasetCache(client, store, mode=mode)
    assert fingerprint not in cache

    first = cache.get(prepared)
    assert first.origin is Origin.GENERATED
    assert first.repaired is None
    assert first.seconds >= 0
    assert_same_records(first, expected)
    assert fingerprint in cache
    assert store.contains(fingerprint)
    assert store.load(fingerprint, prepared.request).records == expected
    assert first.dataset.manifest == read_manifest(store, fingerprint)

    second = cache.get(prepared)
    assert second.origin is Origin.MEMORY
    assert second.repaired is None
    assert second.dataset.records is first.dataset.records
    assert second.dataset is not first.dataset

    mtime = store.modified_at(fingerprint)
    fresh = DatasetCache(client, store, mode=mode)
    third = fresh.get(prepared)
    assert third.origin is Origin.LOCAL
    assert third.repaired is None
    assert_same_records(third, expected)
    assert store.modified_at(fingerprint) == mtime  # served, not rewritten
    assert fresh.get(prepared).origin is Origin.MEMORY


def test_forget_drops_memory_but_not_the_store(
    client: SynthDataClient, store: LocalStore, prepared: PreparedRequest
) -> None:
    cache = DatasetCache(client, store)
    assert cache.get(prepared).origin is Origin.GENERATED
    cache.forget()
    assert prepared.fingerprint not in cache
    assert cache.get(prepared).origin is Origin.LOCAL
    assert cache.get(prepared).origin is Origin.MEMORY


def test_the_default_mode_is_once(client: SynthDataClient, store: LocalStore) -> None:
    assert DatasetCache(client, store).mode == "once"


@pytest.mark.parametrize("step", ["generated", "memory", "local"])
def test_served_datasets_are_read_only_and_each_get_has_its_own_wrapper(
    client: SynthDataClient, store: LocalStore, prepared: PreparedRequest, step: str
) -> None:
    cache = DatasetCache(client, store)
    served = cache.get(prepared)
    if step == "memory":
        served = cache.get(prepared)
    elif step == "local":
        cache = DatasetCache(client, store)
        served = cache.get(prepared)
    assert served.origin.value == {"generated": "generated", "memory": "memory"}.get(
        step, "local cache"
    )

    dataset = served.dataset
    assert dataset.read_only
    assert type(dataset.records) is FrozenList
    assert all(type(record) is FrozenDict for record in dataset.records)
    assert type(dataset.manifest) is FrozenDict
    with pytest.raises(TypeError, match="copy_records"):
        dataset.records[0]["email"] = "x"
    with pytest.raises(TypeError, match="copy_records"):
        dataset.records.append({})
    with pytest.raises(TypeError, match="copy_records"):
        dataset.records.sort(key=str)
    with pytest.raises(TypeError, match="copy_records"):
        dataset.manifest["files"].clear()

    # The wrapper is the caller's own: reassigning its fields affects nobody else.
    original = dataset.records
    dataset.records = []
    again = cache.get(prepared)
    assert again.origin is Origin.MEMORY
    assert again.dataset is not dataset
    assert again.dataset.records is original
    assert len(again.dataset.records) == 20

    mutable = again.dataset.copy_records()
    mutable[0]["email"] = "changed"
    assert again.dataset.records[0]["email"] != "changed"


def test_records_served_equal_generated_ones_for_every_origin(
    client: SynthDataClient, store: LocalStore, sorted_prepared: PreparedRequest
) -> None:
    # Nested objects and arrays survive the trip through records.json unchanged.
    expected = client.generate_prepared(sorted_prepared).records
    cache = DatasetCache(client, store)
    assert_same_records(cache.get(sorted_prepared), expected)
    assert_same_records(cache.get(sorted_prepared), expected)
    assert_same_records(DatasetCache(client, store).get(sorted_prepared), expected)
    assert type(cache.get(sorted_prepared).dataset.records[0]["tags"]) is FrozenList


def test_different_requests_get_different_entries(
    client: SynthDataClient,
    store: LocalStore,
    prepared: PreparedRequest,
    other_prepared: PreparedRequest,
) -> None:
    cache = DatasetCache(client, store)
    a = cache.get(prepared)
    b = cache.get(other_prepared)
    assert (a.origin, b.origin) == (Origin.GENERATED, Origin.GENERATED)
    assert len(a.dataset) == 20
    assert len(b.dataset) == 7
    assert store.fingerprints() == sorted([prepared.fingerprint, other_prepared.fingerprint])
    assert b.dataset.records == client.generate_prepared(other_prepared).records


def test_each_caller_sees_its_own_request_when_fingerprints_coincide(
    client: SynthDataClient, store: LocalStore
) -> None:
    schema = {"type": "object", "properties": {"a": {"type": "integer"}}, "required": ["a"]}
    first = client.prepare({**schema, "title": "First"}, rows=3)
    second = client.prepare({**schema, "title": "Second"}, rows=3)
    assert first.fingerprint == second.fingerprint  # titles are not fingerprinted

    cache = DatasetCache(client, store)
    a = cache.get(first)
    b = cache.get(second)
    assert (a.origin, b.origin) == (Origin.GENERATED, Origin.MEMORY)
    assert a.dataset.request.name == "First"
    assert b.dataset.request.name == "Second"
    assert b.dataset.request is second.request
    assert b.dataset.records is a.dataset.records

    c = DatasetCache(client, store).get(second)
    assert c.origin is Origin.LOCAL
    assert c.dataset.request is second.request


def test_seconds_come_from_the_clock(
    client: SynthDataClient, store: LocalStore, prepared: PreparedRequest
) -> None:
    ticks: Iterator[float] = iter([10.0, 12.5, 20.0, 20.25])
    cache = DatasetCache(client, store, clock=lambda: next(ticks))
    assert cache.get(prepared).seconds == 2.5
    assert cache.get(prepared).seconds == 0.25


# --------------------------------------------------------------------------------------------
# Mode none


def test_mode_none_on_an_empty_store_raises_not_cached(
    client: SynthDataClient, store: LocalStore, prepared: PreparedRequest
) -> None:
    cache = DatasetCache(client, store, mode="none")
    with pytest.raises(DatasetNotCachedError) as info:
        cache.get(prepared)
    assert info.value.fingerprint == prepared.fingerprint
    assert info.value.source == "template 'customer'"
    assert prepared.fingerprint in str(info.value)
    assert not store.contains(prepared.fingerprint)
    assert store.fingerprints() == []
    assert prepared.fingerprint not in cache
    with pytest.raises(DatasetNotCachedError):  # still not generated on a second try
        cache.get(prepared)


def test_mode_none_serves_a_stored_entry(
    client: SynthDataClient,
    store: LocalStore,
    prepared: PreparedRequest,
    expected: list[dict[str, object]],
) -> None:
    DatasetCache(client, store).get(prepared)
    cache = DatasetCache(client, store, mode="none")
    served = cache.get(prepared)
    assert served.origin is Origin.LOCAL
    assert_same_records(served, expected)
    assert cache.get(prepared).origin is Origin.MEMORY


def _flip(store: LocalStore, fp: str) -> None:
    flip_byte(entry_dir(store, fp) / RECORDS)


def _truncate(store: LocalStore, fp: str) -> None:
    path = entry_dir(store, fp) / RECORDS
    path.write_bytes(path.read_bytes()[:-3])


def _delete(store: LocalStore, fp: str) -> None:
    (entry_dir(store, fp) / RECORDS).unlink()


def _garble_manifest(store: LocalStore, fp: str) -> None:
    (entry_dir(store, fp) / MANIFEST).write_text("not json")


CORRUPTIONS: dict[str, tuple[Callable[[LocalStore, str], None], str]] = {
    "flipped byte": (_flip, "does not match its sha256"),
    "truncated": (_truncate, "bytes, the manifest says"),
    "deleted records": (_delete, "records.json is missing"),
    "manifest not JSON": (_garble_manifest, "manifest.json is not JSON"),
}


@pytest.mark.parametrize(("corrupt", "reason"), CORRUPTIONS.values(), ids=CORRUPTIONS.keys())
def test_mode_none_on_a_corrupt_entry_raises_and_leaves_it(
    client: SynthDataClient,
    store: LocalStore,
    prepared: PreparedRequest,
    corrupt: Callable[[LocalStore, str], None],
    reason: str,
) -> None:
    DatasetCache(client, store).get(prepared)
    corrupt(store, prepared.fingerprint)
    folder = entry_dir(store, prepared.fingerprint)
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    with pytest.raises(CorruptCacheError, match=reason) as info:
        DatasetCache(client, store, mode="none").get(prepared)
    assert info.value.fingerprint == prepared.fingerprint
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before


# --------------------------------------------------------------------------------------------
# Repair in mode once


@pytest.mark.parametrize(("corrupt", "reason"), CORRUPTIONS.values(), ids=CORRUPTIONS.keys())
def test_mode_once_regenerates_a_corrupt_entry(
    client: SynthDataClient,
    store: LocalStore,
    sorted_prepared: PreparedRequest,
    corrupt: Callable[[LocalStore, str], None],
    reason: str,
) -> None:
    fingerprint = sorted_prepared.fingerprint
    expected = client.generate_prepared(sorted_prepared).records
    DatasetCache(client, store).get(sorted_prepared)
    corrupt(store, fingerprint)
    with pytest.raises(CorruptCacheError):
        store.verify(fingerprint)

    cache = DatasetCache(client, store, mode="once")
    served = cache.get(sorted_prepared)
    assert served.origin is Origin.GENERATED
    assert served.repaired is not None
    assert reason in served.repaired
    assert_same_records(served, expected)

    assert store.verify(fingerprint)["fingerprint"] == fingerprint
    assert store.load(fingerprint).records == expected
    assert leftovers(store) == []
    assert cache.get(sorted_prepared).repaired is None  # memory now
    later = DatasetCache(client, store, mode="once").get(sorted_prepared)
    assert (later.origin, later.repaired) == (Origin.LOCAL, None)


# --------------------------------------------------------------------------------------------
# Mode all


def _age(store: LocalStore, fingerprint: str, seconds: float) -> float:
    """Make the entry look written ``seconds`` ago; returns its new mtime."""
    then = time.time() - seconds
    os.utime(entry_dir(store, fingerprint) / MANIFEST, (then, then))
    mtime = store.modified_at(fingerprint)
    assert mtime is not None
    return mtime


def test_mode_all_regenerates_an_entry_older_than_the_run(
    client: SynthDataClient,
    store: LocalStore,
    prepared: PreparedRequest,
    expected: list[dict[str, object]],
) -> None:
    fingerprint = prepared.fingerprint
    DatasetCache(client, store).get(prepared)
    old_mtime = _age(store, fingerprint, 1000)
    old_created = read_manifest(store, fingerprint)["created_at"]
    run_started = old_mtime + 500  # the run started after the entry was written

    cache = DatasetCache(client, store, mode="all", run_started=run_started)
    served = cache.get(prepared)
    assert served.origin is Origin.GENERATED
    assert served.repaired is None
    assert_same_records(served, expected)
    new_mtime = store.modified_at(fingerprint)
    assert new_mtime is not None
    assert new_mtime != old_mtime
    assert new_mtime >= run_started
    assert read_manifest(store, fingerprint)["created_at"] >= old_created
    assert cache.get(prepared).origin is Origin.MEMORY
    assert leftovers(store) == []

    # Another worker of the same run now finds this run's copy instead of regenerating.
    other = DatasetCache(client, store, mode="all", run_started=run_started).get(prepared)
    assert other.origin is Origin.LOCAL
    assert store.modified_at(fingerprint) == new_mtime


def test_mode_all_serves_an_entry_written_in_this_run(
    client: SynthDataClient, store: LocalStore, prepared: PreparedRequest
) -> None:
    fingerprint = prepared.fingerprint
    DatasetCache(client, store).get(prepared)
    mtime = store.modified_at(fingerprint)
    assert mtime is not None

    served = DatasetCache(client, store, mode="all", run_started=mtime - 5).get(prepared)
    assert served.origin is Origin.LOCAL
    assert store.modified_at(fingerprint) == mtime

    # The boundary: an entry written at the very moment the run started is this run's.
    at_start = DatasetCache(client, store, mode="all", run_started=mtime).get(prepared)
    assert at_start.origin is Origin.LOCAL


def test_mode_all_regenerates_an_old_corrupt_entry_without_reading_it(
    client: SynthDataClient,
    store: LocalStore,
    prepared: PreparedRequest,
    expected: list[dict[str, object]],
) -> None:
    DatasetCache(client, store).get(prepared)
    _delete(store, prepared.fingerprint)
    mtime = _age(store, prepared.fingerprint, 100)
    served = DatasetCache(client, store, mode="all", run_started=mtime + 1).get(prepared)
    assert served.origin is Origin.GENERATED
    assert_same_records(served, expected)
    assert store.load(prepared.fingerprint, prepared.request).records == expected


def test_mode_all_generates_a_missing_entry(
    client: SynthDataClient, store: LocalStore, prepared: PreparedRequest
) -> None:
    served = DatasetCache(client, store, mode="all").get(prepared)
    assert served.origin is Origin.GENERATED
    assert store.contains(prepared.fingerprint)


# --------------------------------------------------------------------------------------------
# Modes


@pytest.mark.parametrize("mode", ["", "ONCE", "record", "always", None])
def test_an_unknown_mode_raises_request_error(
    client: SynthDataClient, store: LocalStore, mode: str
) -> None:
    with pytest.raises(RequestError, match="unknown mode") as info:
        DatasetCache(client, store, mode=mode)
    for known in MODES:
        assert known in str(info.value)
    assert not store.root.exists()


def test_modes_are_the_documented_ones() -> None:
    assert MODES == ("once", "new", "none", "all")


# --------------------------------------------------------------------------------------------
# Across processes


@pytest.mark.slow
def test_two_processes_generate_once_between_them(tmp_path: Path, client: SynthDataClient) -> None:
    root = tmp_path / "cache"
    rows, seed = 30, 11
    ctx = multiprocessing.get_context("spawn")
    barrier = ctx.Barrier(2)
    results = ctx.Queue()
    processes = [
        ctx.Process(target=get_in_another_process, args=(str(root), rows, seed, barrier, results))
        for _ in range(2)
    ]
    for process in processes:
        process.start()
    try:
        outcomes = [results.get(timeout=60) for _ in processes]
    except queue.Empty:  # pragma: no cover - reported as the failure below
        outcomes = []
    finally:
        for process in processes:
            process.join(timeout=30)
            if process.is_alive():  # pragma: no cover
                process.kill()
    assert len(outcomes) == 2, "a worker did not report"
    assert sorted(origin for origin, _, _ in outcomes) == sorted(
        [Origin.GENERATED.value, Origin.LOCAL.value]
    ), outcomes
    assert all(count == rows and read_only for _, count, read_only in outcomes), outcomes
    assert [process.exitcode for process in processes] == [0, 0]

    store = LocalStore(root)
    prepared = client.prepare("customer", rows=rows, seed=seed)
    assert store.fingerprints() == [prepared.fingerprint]
    assert leftovers(store) == []
    assert (
        store.load(prepared.fingerprint, prepared.request).records
        == client.generate_prepared(prepared).records
    )
