"""Fixtures for the dataset cache tests: small, real requests and datasets, a fresh store."""

from __future__ import annotations

from pathlib import Path

import pytest

from synthdata_sdk import SynthDataClient
from synthdata_sdk.cache.store import LocalStore
from synthdata_sdk.client import PreparedRequest
from synthdata_sdk.dataset import Dataset
from tests.sdk.cache.cache_helpers import SORTED_SCHEMA


@pytest.fixture(scope="session")
def client() -> SynthDataClient:
    return SynthDataClient()


@pytest.fixture(scope="session")
def prepared(client: SynthDataClient) -> PreparedRequest:
    return client.prepare("customer", rows=20, seed=3)


@pytest.fixture(scope="session")
def other_prepared(client: SynthDataClient) -> PreparedRequest:
    return client.prepare("order", rows=7, seed=1)


@pytest.fixture(scope="session")
def sorted_prepared(client: SynthDataClient) -> PreparedRequest:
    return client.prepare(SORTED_SCHEMA, rows=12, seed=5)


@pytest.fixture
def generated(client: SynthDataClient, prepared: PreparedRequest) -> Dataset:
    return client.generate_prepared(prepared)


@pytest.fixture
def store(tmp_path: Path) -> LocalStore:
    return LocalStore(tmp_path / "cache")
