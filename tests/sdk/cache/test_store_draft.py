"""LocalStore.draft: an entry received file by file appears whole once committed, or not at
all; its files are checked against the manifest first."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from synthdata_sdk.cache.entry_format import manifest_bytes
from synthdata_sdk.cache.store import MANIFEST, RECORDS, LocalStore
from synthdata_sdk.client import PreparedRequest
from synthdata_sdk.dataset import Dataset
from synthdata_sdk.errors import CacheError, CacheLocationError, CorruptCacheError
from tests.sdk.cache.cache_helpers import entry_dir, leftovers, read_manifest


@pytest.fixture
def files(tmp_path: Path, generated: Dataset) -> dict[str, bytes]:
    """The files of the dataset's entry, as another store holds them."""
    origin = LocalStore(tmp_path / "origin")
    origin.put(generated)
    folder = entry_dir(origin, generated.fingerprint)
    return {name: (folder / name).read_bytes() for name in (MANIFEST, RECORDS)}


def _listing_more(manifest: bytes) -> bytes:
    """The manifest with one more file listed than the draft receives."""
    edited = json.loads(manifest)
    edited["files"].append({**edited["files"][0], "path": "extra.json"})
    return manifest_bytes(edited)


def receive(
    store: LocalStore, fingerprint: str, files: dict[str, bytes], *, replace: bool = False
) -> bool:
    """Write ``files`` through a draft and commit; whether an entry in place was kept."""
    with store.draft(fingerprint, replace=replace) as draft:
        with draft.create(RECORDS) as stream:
            stream.write(files[RECORDS])
        draft.commit(files[MANIFEST])
    return draft.kept


def test_a_committed_draft_is_an_entry_with_the_bytes_received(
    store: LocalStore, generated: Dataset, prepared: PreparedRequest, files: dict[str, bytes]
) -> None:
    assert receive(store, prepared.fingerprint, files) is False

    folder = entry_dir(store, prepared.fingerprint)
    assert {path.name: path.read_bytes() for path in folder.iterdir()} == files
    assert store.load(prepared.fingerprint).records == generated.records
    assert leftovers(store) == []


def test_nothing_is_in_place_until_the_block_ends(
    store: LocalStore, prepared: PreparedRequest, files: dict[str, bytes]
) -> None:
    with store.draft(prepared.fingerprint) as draft:
        with draft.create(RECORDS) as stream:
            stream.write(files[RECORDS])
        draft.commit(files[MANIFEST])
        assert not store.contains(prepared.fingerprint)
        assert store.fingerprints() == []
    assert store.contains(prepared.fingerprint)


def test_a_draft_left_without_a_commit_or_by_an_error_is_deleted(
    store: LocalStore, prepared: PreparedRequest, files: dict[str, bytes]
) -> None:
    with store.draft(prepared.fingerprint) as draft, draft.create(RECORDS) as stream:
        stream.write(files[RECORDS][:10])
    with pytest.raises(KeyboardInterrupt), store.draft(prepared.fingerprint) as draft:
        with draft.create(RECORDS) as stream:
            stream.write(files[RECORDS])
        raise KeyboardInterrupt

    assert not store.contains(prepared.fingerprint)
    assert leftovers(store) == [] and store.fingerprints() == []


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (lambda f: f.update({RECORDS: f[RECORDS][:-1] + b" "}), "records.json does not match"),
        (lambda f: f.update({RECORDS: f[RECORDS] + b" "}), "records.json has"),
        (lambda f: f.update({MANIFEST: b"{"}), "manifest.json is not JSON"),
        (lambda f: f.update({MANIFEST: _listing_more(f[MANIFEST])}), "extra.json not received"),
    ],
    ids=["other bytes", "other size", "bad manifest", "other file listed"],
)
def test_a_draft_whose_files_do_not_match_the_manifest_is_refused_and_deleted(
    store: LocalStore,
    prepared: PreparedRequest,
    files: dict[str, bytes],
    change: object,
    reason: str,
) -> None:
    edited = dict(files)
    change(edited)  # type: ignore[operator]

    with pytest.raises(CorruptCacheError, match=reason):
        receive(store, prepared.fingerprint, edited)

    assert store.fingerprints() == [] and leftovers(store) == []


def test_a_manifest_of_another_fingerprint_is_refused(
    store: LocalStore, other_prepared: PreparedRequest, files: dict[str, bytes]
) -> None:
    with pytest.raises(CorruptCacheError, match="names fingerprint"):
        receive(store, other_prepared.fingerprint, files)
    assert leftovers(store) == []


@pytest.mark.parametrize("name", ["../records.json", "a/b.json", MANIFEST, "", ".."])
def test_a_data_file_name_that_is_not_plain_is_refused(
    store: LocalStore, prepared: PreparedRequest, name: str, tmp_path: Path
) -> None:
    with store.draft(prepared.fingerprint) as draft, pytest.raises(CacheError):
        draft.create(name).__enter__()
    assert not (tmp_path / "records.json").exists()
    assert leftovers(store) == []


def test_an_entry_in_place_is_kept_unless_replace_is_asked(
    store: LocalStore, prepared: PreparedRequest, files: dict[str, bytes]
) -> None:
    receive(store, prepared.fingerprint, files)
    manifest = json.loads(files[MANIFEST])
    older = {**manifest, "created_at": "2001-01-01T00:00:00+00:00"}
    other = {**files, MANIFEST: manifest_bytes(older)}
    assert receive(store, prepared.fingerprint, other) is True
    assert read_manifest(store, prepared.fingerprint) == manifest

    assert receive(store, prepared.fingerprint, other, replace=True) is False
    assert read_manifest(store, prepared.fingerprint) == older
    assert leftovers(store) == []


def test_a_link_in_place_of_the_entry_is_not_replaced(
    store: LocalStore, prepared: PreparedRequest, files: dict[str, bytes], tmp_path: Path
) -> None:
    target = tmp_path / "elsewhere"
    target.mkdir()
    store.datasets_dir.mkdir(parents=True)
    entry_dir(store, prepared.fingerprint).symlink_to(target)

    with pytest.raises(CacheLocationError, match="not an entry folder"):
        receive(store, prepared.fingerprint, files, replace=True)

    assert list(target.iterdir()) == [] and leftovers(store) == []
