"""The entry layout every store shares: one records.json as before, or record parts in order."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

import pytest

from synthdata_sdk.cache.entry_format import (
    MANIFEST,
    RECORDS,
    data_item,
    encode_records,
    part_name,
    parts_manifest,
)
from synthdata_sdk.cache.store import LocalStore
from synthdata_sdk.cache.tier import DatasetStore
from synthdata_sdk.client import PreparedRequest
from synthdata_sdk.dataset import Dataset
from synthdata_sdk.errors import CacheError, CorruptCacheError
from synthdata_sdk.frozen import FrozenDict, FrozenList
from tests.sdk.cache.cache_helpers import (
    entry_dir,
    read_manifest,
    write_manifest,
    write_parts_entry,
)

BOUNDS = [3, 4, 4, 11, 17]  # an empty part (4..4) included


def spelled_out(records: list[Any]) -> bytes:
    """records.json as the store has always written it, spelled out independently."""
    lines = [json.dumps(r, ensure_ascii=False, separators=(",", ":")) for r in records]
    return ("[" + ",\n".join(lines) + "]").encode("utf-8")


def test_a_single_part_entry_keeps_the_local_layout_byte_for_byte(
    store: LocalStore, generated: Dataset, prepared: PreparedRequest
) -> None:
    manifest = store.put(generated)
    folder = entry_dir(store, prepared.fingerprint)
    assert sorted(p.name for p in folder.iterdir()) == [MANIFEST, RECORDS]
    assert (folder / RECORDS).read_bytes() == spelled_out(generated.records)
    text = (folder / MANIFEST).read_text(encoding="utf-8")
    assert text == json.dumps(manifest, indent=2, ensure_ascii=False) + "\n"
    assert [sorted(item) for item in manifest["files"]] == [["format", "path", "sha256", "size"]]


def test_the_local_store_implements_the_store_interface(store: LocalStore) -> None:
    assert isinstance(store, DatasetStore)
    fingerprint = "ab" * 32
    assert store.location(fingerprint) == str(store.root / "datasets" / fingerprint)


def test_an_entry_of_parts_loads_as_the_records_of_one_piece(
    store: LocalStore, generated: Dataset, prepared: PreparedRequest
) -> None:
    manifest = write_parts_entry(store, prepared.request, generated.records, BOUNDS)
    assert [item["path"] for item in manifest["files"]] == [part_name(i) for i in range(6)]
    assert [item["rows"] for item in manifest["files"]] == [3, 1, 0, 7, 6, 3]
    assert manifest["tables"] == {"customer": 20}

    loaded = store.load(prepared.fingerprint, prepared.request)
    assert loaded.records == generated.records
    assert type(loaded.records) is FrozenList
    assert all(type(record) is FrozenDict for record in loaded.records)
    assert store.verify(prepared.fingerprint) == manifest
    # written back in one piece, the parts give the bytes of an entry written in one piece
    other = LocalStore(store.root.parent / "other")
    other.put(loaded)
    assert (entry_dir(other, prepared.fingerprint) / RECORDS).read_bytes() == spelled_out(
        generated.records
    )


def _gap(manifest: dict[str, Any]) -> None:
    del manifest["files"][2]


def _duplicate(manifest: dict[str, Any]) -> None:
    manifest["files"].append(dict(manifest["files"][1]))


def _rows_off(manifest: dict[str, Any]) -> None:
    manifest["files"][0]["rows"] = 4


def _tables_off(manifest: dict[str, Any]) -> None:
    manifest["tables"] = {"customer": 19}


def _renamed(manifest: dict[str, Any]) -> None:
    manifest["files"][1]["path"] = part_name(7)


def _both_kinds(manifest: dict[str, Any]) -> None:
    manifest["files"].append({**manifest["files"][0], "path": RECORDS})
    del manifest["files"][-1]["part"]


def _no_rows(manifest: dict[str, Any]) -> None:
    del manifest["files"][3]["rows"]


def _reordered(manifest: dict[str, Any]) -> None:
    manifest["files"].reverse()  # order in the list does not matter, the indexes do


def parts_entry_with(
    store: LocalStore,
    generated: Dataset,
    prepared: PreparedRequest,
    change: Callable[[dict[str, Any]], None],
) -> None:
    """An entry of parts whose manifest ``change`` then edits."""
    write_parts_entry(store, prepared.request, generated.records, BOUNDS)
    manifest = read_manifest(store, prepared.fingerprint)
    change(manifest)
    write_manifest(store, prepared.fingerprint, manifest)


PART_DAMAGE: dict[str, tuple[Callable[[dict[str, Any]], None], str]] = {
    "gap": (_gap, "lists no part 2"),
    "duplicate": (_duplicate, "lists part 1 twice"),
    "rows off": (_rows_off, r"records-00000.json holds 3 records, the manifest says 4"),
    "tables off": (_tables_off, "the parts hold 20 records, the manifest's tables say 19"),
    "renamed": (_renamed, "part 1 is named 'records-00007.json'"),
    "both kinds": (_both_kinds, "lists both records.json and parts"),
    "no rows": (_no_rows, "malformed part entry"),
}


@pytest.mark.parametrize(("damage", "reason"), PART_DAMAGE.values(), ids=PART_DAMAGE.keys())
def test_a_bad_list_of_parts_is_corrupt(
    store: LocalStore,
    generated: Dataset,
    prepared: PreparedRequest,
    damage: Callable[[dict[str, Any]], None],
    reason: str,
) -> None:
    parts_entry_with(store, generated, prepared, damage)
    with pytest.raises(CorruptCacheError) as info:
        store.load(prepared.fingerprint, prepared.request)
    assert re.search(reason, info.value.reason), info.value.reason


def test_verify_refuses_parts_with_a_gap(
    store: LocalStore, generated: Dataset, prepared: PreparedRequest
) -> None:
    parts_entry_with(store, generated, prepared, _gap)
    with pytest.raises(CorruptCacheError, match="lists no part 2"):
        store.verify(prepared.fingerprint)


def test_parts_listed_in_any_order_are_read_by_index(
    store: LocalStore, generated: Dataset, prepared: PreparedRequest
) -> None:
    parts_entry_with(store, generated, prepared, _reordered)
    assert store.load(prepared.fingerprint, prepared.request).records == generated.records


def test_a_part_that_does_not_match_its_sha256_is_corrupt(
    store: LocalStore, generated: Dataset, prepared: PreparedRequest
) -> None:
    write_parts_entry(store, prepared.request, generated.records, BOUNDS)
    path = entry_dir(store, prepared.fingerprint) / part_name(4)
    records = json.loads(path.read_bytes())
    records[0], records[1] = records[1], records[0]  # same size, other bytes
    path.write_bytes(spelled_out(records))
    with pytest.raises(CorruptCacheError, match=r"records-00004.json does not match its sha256"):
        store.load(prepared.fingerprint, prepared.request)


def test_parts_manifest_refuses_parts_that_do_not_make_an_entry(
    prepared: PreparedRequest, generated: Dataset
) -> None:
    data, rows = encode_records([generated.records])
    items = [data_item(part_name(0), data, part=0, rows=rows)]
    assert parts_manifest(prepared.request, items)["tables"] == {"customer": 20}
    with pytest.raises(CacheError, match="lists no part 1"):
        parts_manifest(prepared.request, [*items, data_item(part_name(2), b"[]", part=2, rows=0)])
    with pytest.raises(CacheError, match="lists part 0 twice"):
        parts_manifest(prepared.request, items * 2)
