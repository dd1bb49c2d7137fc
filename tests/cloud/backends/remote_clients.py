"""Clients of the remote backends as the tests make them, and what "the same dataset" means."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from synthdata_sdk import SynthDataClient
from synthdata_sdk.dataset import Dataset
from tests.cloud.conftest import BUCKET, PREFIX, REGION

FUNCTION = "synthdata-actions"
AGENT_ID, ALIAS_ID = "AGENT12345", "TSTALIASID"


def lambda_client(project: Path, **settings: Any) -> SynthDataClient:
    """A lambda-backend client of the test function (settings from arguments only)."""
    return SynthDataClient(
        backend="lambda",
        function_name=FUNCTION,
        bucket=BUCKET,
        prefix=settings.pop("prefix", PREFIX),
        region=REGION,
        project_dir=project,
        **settings,
    )


def agent_client(project: Path, **settings: Any) -> SynthDataClient:
    """An agent-backend client of the test agent."""
    return SynthDataClient(
        backend="agent",
        agent_id=AGENT_ID,
        agent_alias_id=ALIAS_ID,
        bucket=BUCKET,
        prefix=PREFIX,
        region=REGION,
        project_dir=project,
        **settings,
    )


def same_dataset(remote: Dataset, local: Dataset) -> None:
    """Records and request as local generation gives them, byte for byte, and as mutable."""
    assert json.dumps(remote.records) == json.dumps(local.records)
    assert remote.records == local.records
    assert remote.request == local.request
    assert remote.fingerprint == local.fingerprint
    assert not remote.read_only
    assert remote.manifest["fingerprint"] == local.fingerprint


def same_tables(remote: Dataset, local: Dataset) -> None:
    """A table set as local generation gives it: every table's canonical bytes (those of its
    file in a cache entry), its request and fingerprint, and as mutable."""
    from synthdata_sdk.cache.entry_format import encode_records

    assert list(remote.tables) == list(local.tables)
    for name, records in local.tables.items():
        assert encode_records([remote.tables[name]]) == encode_records([records]), name
    assert remote.tables == local.tables
    assert remote.request == local.request
    assert remote.fingerprint == local.fingerprint
    assert not remote.read_only
    assert remote.manifest["tables"] == {name: len(rows) for name, rows in local.tables.items()}
