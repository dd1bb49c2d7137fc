"""LocalStore.put: create-only, as the store interface promises; save still repairs."""

from __future__ import annotations

import json

import pytest

from synthdata_sdk import SynthDataClient
from synthdata_sdk.cache.store import MANIFEST, LocalStore
from synthdata_sdk.client import PreparedRequest
from synthdata_sdk.dataset import Dataset
from synthdata_sdk.errors import CorruptCacheError
from tests.sdk.cache.cache_helpers import entry_dir, leftovers, read_manifest


def test_put_keeps_an_existing_entry_and_returns_its_manifest(
    store: LocalStore, generated: Dataset, prepared: PreparedRequest
) -> None:
    first = store.put(generated)
    folder = entry_dir(store, prepared.fingerprint)
    before = {p.name: (p.stat().st_ino, p.read_bytes()) for p in folder.iterdir()}
    second = store.put(generated)
    assert second == first == read_manifest(store, prepared.fingerprint)
    assert {p.name: (p.stat().st_ino, p.read_bytes()) for p in folder.iterdir()} == before
    assert leftovers(store) == []


def test_put_that_loses_the_race_keeps_the_winners_entry(
    store: LocalStore,
    generated: Dataset,
    prepared: PreparedRequest,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    winner = store.put(generated)
    # This writer looked before the winner's entry appeared, and writes its own meanwhile.
    looks = iter([False])
    real = LocalStore.contains
    monkeypatch.setattr(
        LocalStore, "contains", lambda self, fp: next(looks, None) or real(self, fp)
    )
    assert store.put(generated) == winner
    assert read_manifest(store, prepared.fingerprint) == winner
    assert leftovers(store) == []
    assert store.load(prepared.fingerprint, prepared.request).records == generated.records


def test_put_does_not_replace_a_corrupt_entry_but_save_does(
    store: LocalStore, generated: Dataset, prepared: PreparedRequest
) -> None:
    store.put(generated)
    (entry_dir(store, prepared.fingerprint) / MANIFEST).write_text("{")
    with pytest.raises(CorruptCacheError, match=r"manifest\.json is not JSON"):
        store.put(generated)
    assert (entry_dir(store, prepared.fingerprint) / MANIFEST).read_text() == "{"
    store.save_dataset(generated)
    assert store.load(prepared.fingerprint, prepared.request).records == generated.records


def test_put_replaces_a_folder_that_was_never_finished(
    store: LocalStore, generated: Dataset, prepared: PreparedRequest
) -> None:
    folder = entry_dir(store, prepared.fingerprint)
    folder.mkdir(parents=True)
    (folder / "records.json").write_text("[]")  # no manifest: never finished
    manifest = store.put(generated)
    assert read_manifest(store, prepared.fingerprint) == manifest
    assert store.load(prepared.fingerprint, prepared.request).records == generated.records
    assert leftovers(store) == []


def test_put_keeps_the_summaries_of_the_dataset(store: LocalStore, client: SynthDataClient) -> None:
    dataset = client.generate("customer", rows=5, seed=2, compliance=["gdpr"], quality=True)
    manifest = store.put(dataset)
    assert manifest["compliance"] == dataset.manifest["compliance"]
    assert manifest["quality"] == dataset.manifest["quality"]
    stored = json.loads((entry_dir(store, dataset.fingerprint) / MANIFEST).read_text())
    assert stored["compliance"]["scanned"] is True
