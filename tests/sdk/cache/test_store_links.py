"""LocalStore never follows a symbolic link inside its root: not to read, write or delete.

Each case puts a link where the store keeps its own folders and files, points it at a folder
outside the cache, runs the store, and checks that the outside is byte-for-byte as it was.
Every test runs twice: with directory descriptors (POSIX) and with the lstat-checked paths
used where the platform has none.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from synthdata_sdk.cache import folder as folder_module
from synthdata_sdk.cache.resolver import DatasetCache
from synthdata_sdk.cache.store import MANIFEST, RECORDS, LocalStore
from synthdata_sdk.client import PreparedRequest, SynthDataClient
from synthdata_sdk.dataset import Dataset
from synthdata_sdk.errors import CacheLocationError, CorruptCacheError

pytestmark = pytest.mark.skipif(not hasattr(os, "symlink"), reason="symbolic links")


@pytest.fixture(params=["descriptors", "paths"], autouse=True)
def folder_mode(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    if request.param == "paths":
        monkeypatch.setattr(folder_module, "DIR_FDS", False)
    elif not folder_module.DIR_FDS:
        pytest.skip("no directory descriptors on this platform")
    return str(request.param)


def snapshot(root: Path) -> dict[str, object]:
    """Every path under ``root``: file bytes, link targets, or "folder"."""
    found: dict[str, object] = {}
    for path in sorted(root.rglob("*")):
        key = path.relative_to(root).as_posix()
        if path.is_symlink():
            found[key] = ("link", str(path.readlink()))
        elif path.is_dir():
            found[key] = "folder"
        else:
            found[key] = path.read_bytes()
    return found


@pytest.fixture
def outside(tmp_path: Path) -> Iterator[Path]:
    """A folder outside the cache that looks like a datasets folder, checked unchanged after."""
    target = tmp_path / "outside"
    target.mkdir()
    (target / ("e" * 64)).mkdir()  # an entry-like folder without a manifest
    (target / ("e" * 64) / "keep.txt").write_text("not the cache's")
    (target / ("d" * 64)).mkdir()
    (target / ("d" * 64) / MANIFEST).write_text('{"fingerprint": "' + "d" * 64 + '"}')
    (target / ".tmp-leftover").mkdir()
    (target / "notes.txt").write_text("mine")
    before = snapshot(target)
    yield target
    assert snapshot(target) == before, "the store changed something outside its root"


def saved(store: LocalStore, generated: Dataset) -> str:
    return str(store.save_dataset(generated)["fingerprint"])


def test_a_linked_datasets_folder_is_refused_by_every_operation(
    store: LocalStore, outside: Path, generated: Dataset, prepared: PreparedRequest
) -> None:
    store.root.mkdir()
    (store.root / "datasets").symlink_to(outside, target_is_directory=True)
    fingerprint = prepared.fingerprint
    operations = {
        "clear": store.clear,
        "prune": lambda: store.prune([]),
        "fingerprints": store.fingerprints,
        "entries": lambda: list(store.entries()),
        "load": lambda: store.load(fingerprint, prepared.request),
        "manifest": lambda: store.manifest(fingerprint),
        "verify": lambda: store.verify(fingerprint),
        "remove": lambda: store.remove(fingerprint),
        "modified_at": lambda: store.modified_at(fingerprint),
        "contains": lambda: store.contains(fingerprint),
        "save": lambda: store.save_dataset(generated),
    }
    for name, operation in operations.items():
        with pytest.raises(CacheLocationError) as info:
            operation()
        error = info.value
        assert error.path == str(store.root / "datasets"), name
        assert error.problem == "is a symbolic link, not a folder", name
        assert "never follows a symbolic link inside its cache folder" in str(error), name
    assert (store.root / "datasets").is_symlink()


def test_a_linked_locks_folder_is_refused(
    store: LocalStore, outside: Path, generated: Dataset, prepared: PreparedRequest
) -> None:
    saved(store, generated)
    shutil.rmtree(store.root / "locks")
    (store.root / "locks").symlink_to(outside, target_is_directory=True)
    for operation in (
        lambda: store.save_dataset(generated),
        lambda: store.lock(prepared.fingerprint).acquire(),
        store.clear,
    ):
        with pytest.raises(CacheLocationError, match="locks is a symbolic link, not a folder"):
            operation()
    assert store.load(prepared.fingerprint, prepared.request).rows == 20  # reading needs no lock


@pytest.fixture
def linked_entry(
    store: LocalStore, generated: Dataset, prepared: PreparedRequest, tmp_path: Path
) -> Iterator[Path]:
    """The entry's folder moved outside the cache, with a link to it in its place; the moved
    folder must be untouched afterwards."""
    fingerprint = saved(store, generated)
    target = tmp_path / "moved-entry"
    (store.root / "datasets" / fingerprint).rename(target)
    (store.root / "datasets" / fingerprint).symlink_to(target, target_is_directory=True)
    before = snapshot(target)
    yield target
    assert snapshot(target) == before
    assert sorted(p.name for p in target.iterdir()) == [MANIFEST, RECORDS]


def test_a_linked_entry_is_never_read(
    store: LocalStore, prepared: PreparedRequest, linked_entry: Path
) -> None:
    fingerprint = prepared.fingerprint
    for operation in (
        lambda: store.load(fingerprint, prepared.request),
        lambda: store.manifest(fingerprint),
        lambda: store.verify(fingerprint),
        lambda: store.modified_at(fingerprint),
    ):
        with pytest.raises(CorruptCacheError) as info:
            operation()
        assert info.value.reason.startswith("the entry is a symbolic link, not a folder")
    assert not store.contains(fingerprint)
    assert list(store.entries()) == []
    assert store.fingerprints() == [fingerprint]  # listed, so that list and verify can name it


def test_clear_skips_a_linked_entry_and_says_why(
    store: LocalStore,
    client: SynthDataClient,
    other_prepared: PreparedRequest,
    prepared: PreparedRequest,
    linked_entry: Path,
) -> None:
    store.save_dataset(client.generate_prepared(other_prepared))
    result = store.clear()
    assert result.removed == [other_prepared.fingerprint]
    (skipped,) = result.skipped
    assert skipped.name == prepared.fingerprint
    assert skipped.reason == (
        "is a symbolic link, not an entry folder: left alone, and so is what it points to"
    )
    assert result.entries_left == [skipped]
    link = store.root / "datasets" / prepared.fingerprint
    assert link.is_symlink() and link.resolve() == linked_entry.resolve()
    assert sorted(p.name for p in (store.root / "datasets").iterdir()) == [prepared.fingerprint]


def test_remove_refuses_a_linked_entry(
    store: LocalStore, prepared: PreparedRequest, linked_entry: Path
) -> None:
    with pytest.raises(CacheLocationError, match="is a symbolic link, not an entry folder"):
        store.remove(prepared.fingerprint)
    assert (store.root / "datasets" / prepared.fingerprint).is_symlink()


def test_saving_over_a_linked_entry_is_refused(
    store: LocalStore, generated: Dataset, prepared: PreparedRequest, linked_entry: Path
) -> None:
    with pytest.raises(CacheLocationError) as info:
        store.save_dataset(generated)
    assert info.value.problem == "is a symbolic link, not an entry folder, so it is not replaced"
    assert sorted(p.name for p in (store.root / "datasets").iterdir()) == [prepared.fingerprint]
    assert list((store.root / "locks").iterdir()) == []


def test_the_resolver_reports_a_linked_entry_instead_of_serving_it(
    store: LocalStore, client: SynthDataClient, prepared: PreparedRequest, linked_entry: Path
) -> None:
    with pytest.raises(CorruptCacheError, match="the entry is a symbolic link"):
        DatasetCache(client, store, mode="none").get(prepared)
    with pytest.raises(CacheLocationError, match="so it is not replaced"):
        DatasetCache(client, store, mode="once").get(prepared)


@pytest.mark.parametrize("name", [RECORDS, MANIFEST])
def test_a_linked_file_in_an_entry_is_never_read(
    store: LocalStore, generated: Dataset, prepared: PreparedRequest, tmp_path: Path, name: str
) -> None:
    # The link points at the very bytes the manifest expects: only the link itself is wrong.
    fingerprint = saved(store, generated)
    inside = store.root / "datasets" / fingerprint / name
    target = tmp_path / f"outside-{name}"
    inside.rename(target)
    inside.symlink_to(target)
    with pytest.raises(CorruptCacheError) as info:
        store.load(fingerprint, prepared.request)
    assert info.value.reason.startswith(f"{name} is a symbolic link, not a file")
    with pytest.raises(CorruptCacheError, match=f"{name} is a symbolic link"):
        store.verify(fingerprint)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="POSIX FIFOs")
def test_a_fifo_in_place_of_the_records_is_refused_without_blocking(
    store: LocalStore, generated: Dataset, prepared: PreparedRequest
) -> None:
    fingerprint = saved(store, generated)
    records = store.root / "datasets" / fingerprint / RECORDS
    records.unlink()
    os.mkfifo(records)
    with pytest.raises(CorruptCacheError, match=r"records\.json is a special file, not a file"):
        store.load(fingerprint, prepared.request)


def test_a_link_inside_an_entry_is_deleted_as_a_link(
    store: LocalStore, generated: Dataset, prepared: PreparedRequest, outside: Path
) -> None:
    fingerprint = saved(store, generated)
    (store.root / "datasets" / fingerprint / "extra").symlink_to(outside)
    assert store.clear().removed == [fingerprint]
    assert list((store.root / "datasets").iterdir()) == []


def test_a_gitignore_link_is_left_alone_and_nothing_is_created_through_it(
    store: LocalStore, generated: Dataset, prepared: PreparedRequest, tmp_path: Path
) -> None:
    store.root.mkdir()
    target = tmp_path / "outside-gitignore"
    (store.root / ".gitignore").symlink_to(target)  # dangling: a write would create it
    saved(store, generated)
    assert not target.exists()
    assert (store.root / ".gitignore").is_symlink()
    assert store.load(prepared.fingerprint, prepared.request).rows == 20


@pytest.mark.parametrize("prefix", [".tmp-", ".trash-"])
def test_linked_leftovers_are_skipped_not_followed(
    store: LocalStore, generated: Dataset, outside: Path, prefix: str
) -> None:
    saved(store, generated)
    name = f"{prefix}0123456789ab-abcdef"
    (store.root / "datasets" / name).symlink_to(outside, target_is_directory=True)
    result = store.clear()
    assert len(result.removed) == 1
    assert [(item.name, item.reason) for item in result.skipped] == [
        (name, "is a symbolic link, not an entry folder: left alone, and so is what it points to")
    ]
    assert result.in_progress == result.skipped  # not an entry: the clear still succeeded
    assert (store.root / "datasets" / name).is_symlink()


def test_a_linked_root_is_followed_because_the_user_named_it(
    tmp_path: Path, generated: Dataset, prepared: PreparedRequest
) -> None:
    real = tmp_path / "real-cache"
    real.mkdir()
    (tmp_path / "cache-link").symlink_to(real, target_is_directory=True)
    store = LocalStore(tmp_path / "cache-link")
    saved(store, generated)
    assert (real / "datasets" / prepared.fingerprint / MANIFEST).is_file()
    assert store.load(prepared.fingerprint, prepared.request).rows == 20
    assert store.clear().removed == [prepared.fingerprint]
    assert list((real / "datasets").iterdir()) == []


def test_a_dangling_root_link_reads_as_empty_and_is_not_written_through(
    tmp_path: Path, generated: Dataset
) -> None:
    (tmp_path / "cache-link").symlink_to(tmp_path / "missing", target_is_directory=True)
    store = LocalStore(tmp_path / "cache-link")
    assert store.fingerprints() == []
    with pytest.raises(CacheLocationError) as info:
        store.save_dataset(generated)
    assert info.value.problem == "is a symbolic link to a folder that does not exist"
    assert not (tmp_path / "missing").exists()
