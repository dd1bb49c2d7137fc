"""generate serves a dataset already in S3 without drawing it again, and says so."""

from __future__ import annotations

from typing import Any

import pytest

from synthdata_sdk import SynthDataClient
from synthdata_sdk.cloud.config import ActionLimits, ConfigurationError
from synthdata_sdk.cloud.handler import make_handler
from synthdata_sdk.cloud.history import COMPLETED, GenerationHistory
from synthdata_sdk.cloud.pointer import read_pointer
from synthdata_sdk.cloud.s3_store import S3Store
from tests.cloud.actions_support import lambda_context
from tests.cloud.conftest import PREFIX, TABLE
from tests.cloud.fanout_support import count_draws, fan_out_services

REQUEST = {"template": "customer", "rows": 40, "seed": 12}


@pytest.fixture
def draws(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Every chunk the engine draws."""
    return count_draws(monkeypatch)


def test_a_second_generate_of_a_stored_dataset_draws_nothing_and_says_reused(
    aws_session: Any,
    bucket: str,
    history: GenerationHistory,
    s3_store: S3Store,
    dynamodb: Any,
    draws: list[int],
) -> None:
    handler = make_handler(fan_out_services(aws_session, []))
    event = {"action": "generate", "request": REQUEST}
    first = handler({**event, "session_id": "first"}, lambda_context("r1"))["body"]
    assert first["reused"] is False
    assert draws == [0]
    second = handler({**event, "session_id": "second"}, lambda_context("r2"))["body"]
    assert draws == [0]  # served from S3: the engine did not run again
    assert second["reused"] is True
    assert second["fingerprint"] == first["fingerprint"]
    assert second["s3_uri"] == first["s3_uri"]
    assert (second["rows"], second["compliance"]) == (first["rows"], first["compliance"])
    # the second session is pointed at the dataset and recorded as a completed generation
    pointer = read_pointer(s3_store, "second")
    assert pointer is not None and pointer["fingerprint"] == first["fingerprint"]
    generation = history.get(second["generation_id"])
    assert generation is not None
    assert (generation["status"], generation["rows"]) == (COMPLETED, 40)
    assert len(dynamodb.scan(TableName=TABLE)["Items"]) == 2


def test_a_put_that_loses_the_race_says_it_kept_the_other_writers_entry(
    s3_store: S3Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    dataset = SynthDataClient().generate("customer", rows=10, seed=2)
    assert s3_store.add(dataset).created is True
    # another writer's entry appears after this writer looked (it found none)
    monkeypatch.setattr(S3Store, "contains", lambda self, fingerprint: False)
    again = s3_store.add(dataset)
    assert again.created is False
    assert again.manifest == s3_store.manifest(dataset.fingerprint)


def test_an_entry_missing_a_file_is_drawn_again_and_completed(
    aws_session: Any, bucket: str, history: GenerationHistory, s3: Any, draws: list[int]
) -> None:
    handler = make_handler(fan_out_services(aws_session, []))
    event = {"action": "generate", "request": REQUEST}
    first = handler({**event, "session_id": "first"}, lambda_context("r1"))["body"]
    s3.delete_object(Bucket=bucket, Key=f"{PREFIX}/datasets/{first['fingerprint']}/records.json")
    second = handler({**event, "session_id": "second"}, lambda_context("r2"))["body"]
    assert draws == [0, 0]  # not served from a manifest whose records are gone
    stored = S3Store(s3, bucket, PREFIX).load(first["fingerprint"])
    assert stored.records == SynthDataClient().generate("customer", rows=40, seed=12).records
    assert second["fingerprint"] == first["fingerprint"]


def test_the_partition_size_comes_from_the_environment_in_whole_chunks(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SYNTHDATA_PARTITION_ROWS", "50000")
    assert ActionLimits.from_env().partition_rows == 50_000
    monkeypatch.delenv("SYNTHDATA_PARTITION_ROWS")
    assert ActionLimits.from_env().partition_rows == 200_000
    for bad in ("12345", "0", "lots"):
        monkeypatch.setenv("SYNTHDATA_PARTITION_ROWS", bad)
        with pytest.raises(ConfigurationError, match="SYNTHDATA_PARTITION_ROWS"):
            ActionLimits.from_env()
