"""Helpers for the dataset cache tests; also the worker the cross-process test spawns.

Kept free of pytest so that spawned processes import it quickly.
"""

from __future__ import annotations

import hashlib
import itertools
import json
from pathlib import Path
from typing import Any

from synthdata_sdk.cache.store import MANIFEST, RECORDS, LocalStore

# An inline schema whose properties (at every level) are in alphabetical order, so that its
# manifest survives being written with sorted keys (see test_store.py on the customer template).
SORTED_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "age": {"type": "integer", "minimum": 0, "maximum": 99},
        "name": {"type": "string"},
        "tags": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {"k": {"type": "string"}, "v": {"type": "integer"}},
                "required": ["k", "v"],
            },
        },
    },
    "required": ["age", "name", "tags"],
}


def entry_dir(store: LocalStore, fingerprint: str) -> Path:
    return store.root / "datasets" / fingerprint


def read_manifest(store: LocalStore, fingerprint: str) -> dict[str, Any]:
    return json.loads((entry_dir(store, fingerprint) / MANIFEST).read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def write_manifest(store: LocalStore, fingerprint: str, manifest: dict[str, Any]) -> None:
    (entry_dir(store, fingerprint) / MANIFEST).write_text(
        json.dumps(manifest, indent=2), encoding="utf-8"
    )


def rewrite_records(store: LocalStore, fingerprint: str, data: bytes) -> None:
    """Replace records.json and update the manifest to match it (a consistent entry)."""
    folder = entry_dir(store, fingerprint)
    (folder / RECORDS).write_bytes(data)
    manifest = read_manifest(store, fingerprint)
    for item in manifest["files"]:
        if item["path"] == RECORDS:
            item["size"] = len(data)
            item["sha256"] = hashlib.sha256(data).hexdigest()
    write_manifest(store, fingerprint, manifest)


def flip_byte(path: Path, offset: int | None = None) -> None:
    """Change one byte of ``path`` in place; the size stays the same."""
    data = bytearray(path.read_bytes())
    at = len(data) // 2 if offset is None else offset
    data[at] = ord("X") if data[at] != ord("X") else ord("Y")
    path.write_bytes(bytes(data))


def leftovers(store: LocalStore) -> list[str]:
    """Temporary and trash folders left in the datasets folder."""
    folder = store.root / "datasets"
    if not folder.is_dir():
        return []
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


def get_in_another_process(root: str, rows: int, seed: int, barrier: Any, results: Any) -> None:
    """Spawned twice by the cross-process test: build a DatasetCache, wait, then get at once."""
    from synthdata_sdk import SynthDataClient
    from synthdata_sdk.cache.resolver import DatasetCache

    try:
        client = SynthDataClient()
        prepared = client.prepare("customer", rows=rows, seed=seed)
        cache = DatasetCache(client, LocalStore(root), mode="once")
        barrier.wait(timeout=60)
        served = cache.get(prepared)
        results.put((str(served.origin), len(served.dataset.records), served.dataset.read_only))
    except BaseException as error:  # report it instead of leaving the parent waiting
        results.put(("error", repr(error), False))
        raise


def save_paused(root: str, rows: int, seed: int, paused: Any, resume: Any, results: Any) -> None:
    """Spawned by the sweep tests: save an entry, pausing after its first chunk until told."""
    import os

    from synthdata_sdk import SynthDataClient

    try:
        client = SynthDataClient()
        prepared = client.prepare("customer", rows=rows, seed=seed)
        records = client.generate_prepared(prepared).records

        def chunks() -> Any:
            yield records[:5]
            paused.set()
            if not resume.wait(timeout=120):  # a safety net: the test sets it
                raise TimeoutError("the test never resumed this writer")
            yield records[5:]

        LocalStore(root).save(prepared.request, chunks())
        results.put(("saved", os.getpid()))
    except BaseException as error:  # report it instead of leaving the parent waiting
        results.put(("error", repr(error)))
        raise


def write_parts_entry(
    store: LocalStore, request: Any, records: list[Any], bounds: list[int]
) -> dict[str, Any]:
    """Write an entry of record parts split at ``bounds`` straight into the store's folder."""
    from synthdata_sdk.cache.entry_format import (
        data_item,
        encode_records,
        manifest_bytes,
        part_name,
        parts_manifest,
    )

    folder = entry_dir(store, request.fingerprint())
    folder.mkdir(parents=True)
    items = []
    edges = [0, *bounds, len(records)]
    for index, (start, end) in enumerate(itertools.pairwise(edges)):
        data, rows = encode_records([records[start:end]])
        (folder / part_name(index)).write_bytes(data)
        items.append(data_item(part_name(index), data, part=index, rows=rows))
    manifest = parts_manifest(request, items)
    (folder / MANIFEST).write_bytes(manifest_bytes(manifest))
    return manifest
