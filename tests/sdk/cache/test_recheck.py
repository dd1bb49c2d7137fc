"""An entry rewritten with a recomputed sha256 is never served when its request named profiles.

The sha256 in a manifest catches damage, not tampering: anyone who can write the cache can
rewrite ``records.json`` and its digest together. Records of a request with compliance
profiles are scanned again on their way out, so such an entry is treated as corrupt.
"""

from __future__ import annotations

import json

import pytest

from synthdata_sdk.cache.resolver import DatasetCache, Origin
from synthdata_sdk.cache.store import RECORDS, LocalStore
from synthdata_sdk.client import PreparedRequest, SynthDataClient
from synthdata_sdk.errors import CorruptCacheError
from tests.sdk.cache.cache_helpers import entry_dir, rewrite_records

# Luhn-valid, shaped like a real Visa number, and not one of the published test numbers.
REAL_LOOKING_CARD = "4539148803436467"


@pytest.fixture(scope="module")
def profiled(client: SynthDataClient) -> PreparedRequest:
    return client.prepare("customer", rows=20, seed=3, compliance=("pci_dss",))


def plant_a_card(store: LocalStore, fingerprint: str) -> None:
    """Rewrite one record's card number, and the manifest's size and sha256 to match."""
    records = json.loads((entry_dir(store, fingerprint) / RECORDS).read_bytes())
    records[7]["credit_card_number"] = REAL_LOOKING_CARD
    rewrite_records(store, fingerprint, json.dumps(records).encode())


def test_a_rewritten_profiled_entry_is_corrupt_and_never_served(
    store: LocalStore, client: SynthDataClient, profiled: PreparedRequest
) -> None:
    fingerprint = profiled.fingerprint
    store.save_dataset(client.generate_prepared(profiled))
    store.load(fingerprint, profiled.request)  # fine before
    plant_a_card(store, fingerprint)
    store.verify(fingerprint)  # sizes and digests agree: the tampering is consistent

    with pytest.raises(CorruptCacheError) as info:
        store.load(fingerprint, profiled.request)
    reason = info.value.reason
    assert reason.startswith("records.json breaks compliance profile(s) pci_dss (1 violation(s)")
    assert "first at row 7 credit_card_number: payment_card, 453914******6467" in reason
    assert REAL_LOOKING_CARD not in str(info.value)  # masked, never shown
    with pytest.raises(CorruptCacheError, match="breaks compliance"):
        store.load(fingerprint)  # the request rebuilt from the manifest names the profile too


def test_the_resolver_regenerates_a_rewritten_entry_or_refuses_it_in_mode_none(
    store: LocalStore, client: SynthDataClient, profiled: PreparedRequest
) -> None:
    store.save_dataset(client.generate_prepared(profiled))
    plant_a_card(store, profiled.fingerprint)
    with pytest.raises(CorruptCacheError, match="breaks compliance profile"):
        DatasetCache(client, store, mode="none").get(profiled)
    served = DatasetCache(client, store, mode="once").get(profiled)
    assert served.origin is Origin.GENERATED
    assert served.repaired is not None and "breaks compliance profile" in served.repaired
    cards = [record["credit_card_number"] for record in served.dataset.records]
    assert REAL_LOOKING_CARD not in cards
    assert store.load(profiled.fingerprint, profiled.request).records == served.dataset.records


def test_without_profiles_the_cache_trusts_the_entry_as_documented(
    store: LocalStore, client: SynthDataClient, prepared: PreparedRequest
) -> None:
    # docs/compliance.md, "What the cache trusts": no profile, no scan on the way out.
    store.save_dataset(client.generate_prepared(prepared))
    plant_a_card(store, prepared.fingerprint)
    loaded = store.load(prepared.fingerprint, prepared.request)
    assert loaded.records[7]["credit_card_number"] == REAL_LOOKING_CARD


def test_recheck_can_be_turned_off(
    store: LocalStore, client: SynthDataClient, profiled: PreparedRequest
) -> None:
    store.save_dataset(client.generate_prepared(profiled))
    plant_a_card(store, profiled.fingerprint)
    unchecked = LocalStore(store.root, recheck=False)
    loaded = unchecked.load(profiled.fingerprint, profiled.request)
    assert loaded.records[7]["credit_card_number"] == REAL_LOOKING_CARD
