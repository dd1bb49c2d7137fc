"""The generation history in DynamoDB (moto): conditional transitions, no duplicates, index."""

from __future__ import annotations

from typing import Any

import pytest

from synthdata_sdk.cloud.history import (
    BY_FINGERPRINT,
    COMPLETED,
    FAILED,
    REQUESTED,
    GenerationHistory,
)
from synthdata_sdk.errors import BackendConflictError, RequestError
from tests.cloud.conftest import TABLE

FP = "ab" * 32
OTHER = "cd" * 32
QUALITY = {"score": 97.5, "rows": 3, "validity_rate": 1.0, "referential_integrity_rate": None}
COMPLIANCE = {"profiles": ["gdpr"], "scanned": True, "clean": True, "violations": 0}


class Clock:
    """Seconds since the epoch, moved by hand."""

    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def timed(history: GenerationHistory, clock: Clock) -> GenerationHistory:
    return GenerationHistory(history.client, TABLE, clock=clock)


def items(dynamodb: Any) -> list[dict[str, Any]]:
    return dynamodb.scan(TableName=TABLE)["Items"]  # type: ignore[no-any-return]


def test_the_table_has_the_fingerprint_index_and_a_ttl(
    history: GenerationHistory, dynamodb: Any
) -> None:
    table = dynamodb.describe_table(TableName=TABLE)["Table"]
    assert table["KeySchema"] == [{"AttributeName": "generation_id", "KeyType": "HASH"}]
    (index,) = table["GlobalSecondaryIndexes"]
    assert index["IndexName"] == BY_FINGERPRINT == "by_fingerprint"
    assert index["KeySchema"] == [
        {"AttributeName": "fingerprint", "KeyType": "HASH"},
        {"AttributeName": "requested_at", "KeyType": "RANGE"},
    ]
    ttl = dynamodb.describe_time_to_live(TableName=TABLE)["TimeToLiveDescription"]
    assert ttl == {"TimeToLiveStatus": "ENABLED", "AttributeName": "ttl"}


def test_requested_then_completed_with_rows_uri_summaries_and_timings(
    timed: GenerationHistory, clock: Clock
) -> None:
    started = timed.start("g-1", fingerprint=FP, requester="ci-job", session_id="s-1")
    assert started["status"] == REQUESTED
    assert started["requested_at"] == "2027-01-15T08:00:00.000+00:00"
    assert started["ttl"] == 1_800_000_000 + 90 * 86_400
    clock.now += 2.5
    done = timed.complete(
        "g-1",
        rows=3,
        s3_uri=f"s3://b/p/datasets/{FP}/",
        quality=QUALITY,
        compliance=COMPLIANCE,
        timings={"publish_ms": 12.25},
    )
    assert done == timed.get("g-1")
    assert done["status"] == COMPLETED
    assert done["completed_at"] == "2027-01-15T08:00:02.500+00:00"
    assert done["rows"] == 3
    assert done["s3_uri"] == f"s3://b/p/datasets/{FP}/"
    assert done["quality"] == QUALITY
    assert type(done["quality"]["score"]) is float
    assert type(done["quality"]["rows"]) is int
    assert done["compliance"] == COMPLIANCE
    assert done["timings"] == {"publish_ms": 12.25}
    assert done["requester"] == "ci-job"
    assert done["session_id"] == "s-1"
    assert done["attempts"] == 1


def test_a_retried_start_or_complete_adds_nothing(
    history: GenerationHistory, dynamodb: Any
) -> None:
    first = history.start("g-1", fingerprint=FP, requester="ci")
    assert history.start("g-1", fingerprint=FP, requester="someone else") == first
    done = history.complete("g-1", rows=1, s3_uri="s3://b/x/")
    assert history.complete("g-1", rows=99, s3_uri="s3://b/y/") == done  # the first one stays
    assert history.start("g-1", fingerprint=FP, requester="ci") == done  # not back to requested
    assert len(items(dynamodb)) == 1


def test_failed_then_retried_counts_the_attempt(history: GenerationHistory) -> None:
    history.start("g-1", fingerprint=FP, requester="ci")
    failed = history.fail("g-1", error="BackendThrottledError: slow down")
    assert failed["status"] == FAILED
    assert failed["error"] == "BackendThrottledError: slow down"
    assert history.fail("g-1", error="again") == failed  # a retried fail changes nothing
    with pytest.raises(BackendConflictError, match="g-1 is failed, not requested"):
        history.complete("g-1", rows=1, s3_uri="s3://b/x/")
    again = history.start("g-1", fingerprint=FP, requester="ci")
    assert again["status"] == REQUESTED
    assert again["attempts"] == 2
    assert "error" not in again
    assert "failed_at" not in again
    assert history.complete("g-1", rows=1, s3_uri="s3://b/x/")["status"] == COMPLETED


def test_a_completed_generation_cannot_fail(history: GenerationHistory) -> None:
    history.start("g-1", fingerprint=FP, requester="ci")
    history.complete("g-1", rows=1, s3_uri="s3://b/x/")
    with pytest.raises(BackendConflictError, match="g-1 is completed, not requested"):
        history.fail("g-1", error="late")
    assert history.get("g-1")["status"] == COMPLETED  # type: ignore[index]


def test_an_unknown_generation_cannot_move(history: GenerationHistory) -> None:
    with pytest.raises(BackendConflictError, match="g-9 is not in synthdata-history"):
        history.complete("g-9", rows=1, s3_uri="s3://b/x/")
    assert history.get("g-9") is None


def test_a_generation_id_belongs_to_one_fingerprint(history: GenerationHistory) -> None:
    history.start("g-1", fingerprint=FP, requester="ci")
    with pytest.raises(BackendConflictError, match="recorded for dataset ab"):
        history.start("g-1", fingerprint=OTHER, requester="ci")


def test_by_fingerprint_lists_one_datasets_generations_newest_first(
    timed: GenerationHistory, clock: Clock
) -> None:
    for number, fingerprint in enumerate([FP, OTHER, FP, FP]):
        clock.now += 1
        timed.start(f"g-{number}", fingerprint=fingerprint, requester="ci")
    assert [item["generation_id"] for item in timed.by_fingerprint(FP)] == ["g-3", "g-2", "g-0"]
    assert [item["generation_id"] for item in timed.by_fingerprint(FP, limit=2)] == ["g-3", "g-2"]
    assert [item["generation_id"] for item in timed.by_fingerprint(OTHER)] == ["g-1"]


@pytest.mark.parametrize("bad", ["", "../x", "a/b", "x" * 101, "a..b"])
def test_a_bad_generation_id_is_refused(history: GenerationHistory, bad: str) -> None:
    with pytest.raises(RequestError, match="generation id"):
        history.start(bad, fingerprint=FP, requester="ci")


def test_bad_fingerprints_requesters_and_ttls_are_refused(
    history: GenerationHistory, dynamodb: Any
) -> None:
    with pytest.raises(RequestError, match="not a fingerprint"):
        history.start("g-1", fingerprint="x", requester="ci")
    with pytest.raises(RequestError, match="requester"):
        history.start("g-1", fingerprint=FP, requester="")
    with pytest.raises(RequestError, match="ttl_days"):
        GenerationHistory(dynamodb, TABLE, ttl_days=0)
    assert items(dynamodb) == []
