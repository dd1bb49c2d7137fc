"""A cache folder that cannot be used (a file, below a file, not writable) is a typed error.

Reading a store that does not exist yet is not an error (it is empty); everything else that
stops the store from working raises CacheLocationError naming the path and what to do.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from synthdata_sdk.cache.resolver import DatasetCache
from synthdata_sdk.cache.store import LocalStore
from synthdata_sdk.client import PreparedRequest, SynthDataClient
from synthdata_sdk.dataset import Dataset
from synthdata_sdk.errors import CacheLocationError, DatasetNotCachedError


def every_operation(
    store: LocalStore, generated: Dataset, prepared: PreparedRequest
) -> dict[str, Callable[[], Any]]:
    fingerprint = prepared.fingerprint
    return {
        "fingerprints": store.fingerprints,
        "entries": lambda: list(store.entries()),
        "contains": lambda: store.contains(fingerprint),
        "modified_at": lambda: store.modified_at(fingerprint),
        "manifest": lambda: store.manifest(fingerprint),
        "load": lambda: store.load(fingerprint, prepared.request),
        "verify": lambda: store.verify(fingerprint),
        "remove": lambda: store.remove(fingerprint),
        "prune": lambda: store.prune([]),
        "clear": store.clear,
        "save": lambda: store.save_dataset(generated),
        "lock": lambda: store.lock(fingerprint).acquire(),
    }


def test_a_missing_cache_folder_reads_as_empty(
    store: LocalStore, prepared: PreparedRequest
) -> None:
    assert store.fingerprints() == []
    assert store.clear().removed == []
    assert store.modified_at(prepared.fingerprint) is None
    with pytest.raises(DatasetNotCachedError):
        store.load(prepared.fingerprint, prepared.request)
    assert not store.root.exists()


def test_a_file_as_the_cache_folder_is_a_typed_error_for_every_operation(
    tmp_path: Path, generated: Dataset, prepared: PreparedRequest
) -> None:
    path = tmp_path / "cache"
    path.write_text("not a folder")
    store = LocalStore(path)
    for name, operation in every_operation(store, generated, prepared).items():
        with pytest.raises(CacheLocationError) as info:
            operation()
        assert info.value.path == str(path), name
        assert info.value.problem == "is a file, not a folder", name
        assert "choose another cache folder" in str(info.value), name
    assert path.read_text() == "not a folder"


def test_a_cache_folder_below_a_file_names_the_file(
    tmp_path: Path, generated: Dataset, prepared: PreparedRequest
) -> None:
    (tmp_path / "file").write_text("x")
    store = LocalStore(tmp_path / "file" / "cache")
    for name, operation in every_operation(store, generated, prepared).items():
        with pytest.raises(CacheLocationError) as info:
            operation()
        assert info.value.problem == (
            f"is inside a file, not a folder (its parent {tmp_path / 'file'} is not a folder)"
        ), name


@pytest.mark.skipif(
    not sys.platform.startswith("linux") or not Path("/sys").is_dir(),
    reason="needs sysfs, where nobody (root included) may create a folder",
)
def test_a_cache_folder_nobody_may_write_is_a_typed_error(
    generated: Dataset, prepared: PreparedRequest, client: SynthDataClient
) -> None:
    store = LocalStore("/sys")  # exists, is a folder, and refuses mkdir even to root
    assert store.fingerprints() == []  # reading: nothing there
    with pytest.raises(CacheLocationError) as info:
        store.save_dataset(generated)
    assert info.value.path == "/sys/datasets"
    assert info.value.problem.startswith("cannot be created: ")
    assert "make it writable or choose another cache folder" in str(info.value)
    with pytest.raises(CacheLocationError, match="/sys/locks cannot be created"):
        store.lock(prepared.fingerprint).acquire()
    with pytest.raises(CacheLocationError, match="cannot be created"):
        DatasetCache(client, store, mode="once").get(prepared)
    with pytest.raises(CacheLocationError, match="/sys/synthdata-cache cannot be created"):
        LocalStore("/sys/synthdata-cache").save_dataset(generated)


@pytest.mark.skipif(
    os.name != "posix" or os.geteuid() == 0, reason="POSIX permissions (root ignores them)"
)
def test_a_read_only_cache_serves_what_it_holds_and_refuses_to_record(
    store: LocalStore,
    client: SynthDataClient,
    generated: Dataset,
    prepared: PreparedRequest,
    other_prepared: PreparedRequest,
) -> None:
    store.save_dataset(generated)
    folders = [store.root, store.root / "datasets", store.root / "locks"]
    for folder in folders:
        folder.chmod(0o555)
    try:
        for mode in ("none", "once"):
            served = DatasetCache(client, store, mode=mode).get(prepared)
            assert served.dataset.records == generated.records
        with pytest.raises(CacheLocationError, match="Permission denied") as info:
            DatasetCache(client, store, mode="once").get(other_prepared)
        assert "a read-only cache serves what it holds" in str(info.value)
        with pytest.raises(CacheLocationError, match="cannot be renamed: Permission denied"):
            store.clear()
    finally:
        for folder in folders:
            folder.chmod(0o755)


def test_without_directory_descriptors_the_messages_are_the_same(
    tmp_path: Path, generated: Dataset, prepared: PreparedRequest, monkeypatch: pytest.MonkeyPatch
) -> None:
    from synthdata_sdk.cache import folder

    monkeypatch.setattr(folder, "DIR_FDS", False)
    (tmp_path / "file").write_text("x")
    for path, problem in (
        (tmp_path / "file", "is a file, not a folder"),
        (
            tmp_path / "file" / "cache",
            f"is inside a file, not a folder (its parent {tmp_path / 'file'} is not a folder)",
        ),
    ):
        store = LocalStore(path)
        for name, operation in every_operation(store, generated, prepared).items():
            with pytest.raises(CacheLocationError) as info:
                operation()
            assert info.value.problem == problem, name
