"""publish(): history requested -> dataset -> session pointer -> history completed (or failed)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from synthdata_sdk import SynthDataClient
from synthdata_sdk.cloud.history import COMPLETED, FAILED, GenerationHistory
from synthdata_sdk.cloud.pointer import read_pointer, write_pointer
from synthdata_sdk.cloud.publish import generation_id_for, publish
from synthdata_sdk.cloud.s3_store import S3Store
from synthdata_sdk.dataset import Dataset
from synthdata_sdk.errors import BackendAccessError, CacheError, RequestError
from tests.cloud.cloud_helpers import at_once
from tests.cloud.conftest import BUCKET, PREFIX, TABLE


@pytest.fixture(scope="module")
def dataset(client: SynthDataClient) -> Dataset:
    return client.generate("customer", rows=30, seed=4, compliance=["gdpr"], quality=True)


def history_items(dynamodb: Any) -> list[dict[str, Any]]:
    return dynamodb.scan(TableName=TABLE, ConsistentRead=True)["Items"]  # type: ignore[no-any-return]


def all_keys(s3: Any) -> list[str]:
    listed = s3.list_objects_v2(Bucket=BUCKET, Prefix=PREFIX + "/")
    return sorted(item["Key"] for item in listed.get("Contents", []))


def test_publish_stores_points_records_and_answers_small(
    s3: Any, s3_store: S3Store, history: GenerationHistory, dataset: Dataset
) -> None:
    summary = publish(dataset, s3_store, history, "session-1", "arn:aws:iam::1:role/ci")
    fingerprint = dataset.fingerprint
    uri = f"s3://{BUCKET}/{PREFIX}/datasets/{fingerprint}/"
    assert summary == {
        "generation_id": generation_id_for("session-1", fingerprint),
        "session_id": "session-1",
        "fingerprint": fingerprint,
        "s3_uri": uri,
        "manifest_uri": uri + "manifest.json",
        "rows": 30,
        "compliance": dataset.manifest["compliance"],
        "quality": dataset.manifest["quality"],
        "reused": False,
    }
    assert len(json.dumps(summary)) < 2000  # a summary, never the data
    assert s3_store.load(fingerprint).records == dataset.records
    pointer = read_pointer(s3_store, "session-1")
    assert pointer is not None
    assert pointer["fingerprint"] == fingerprint
    assert pointer["dataset"] == uri
    assert pointer["generation_id"] == summary["generation_id"]
    assert f"{PREFIX}/sessions/session-1/result.json" in all_keys(s3)
    item = history.get(summary["generation_id"])
    assert item is not None
    assert item["status"] == COMPLETED
    assert item["rows"] == 30
    assert item["s3_uri"] == uri
    assert item["requester"] == "arn:aws:iam::1:role/ci"
    assert item["quality"] == dataset.manifest["quality"]
    assert item["compliance"] == dataset.manifest["compliance"]
    assert item["timings"]["publish_ms"] >= 0


def test_publishing_again_in_a_session_records_nothing_twice(
    s3: Any, s3_store: S3Store, history: GenerationHistory, dataset: Dataset, dynamodb: Any
) -> None:
    first = publish(dataset, s3_store, history, "session-1", "ci")
    # the second put finds the entry the first made: kept, not written again
    assert publish(dataset, s3_store, history, "session-1", "ci") == {**first, "reused": True}
    assert first["reused"] is False
    assert len(history_items(dynamodb)) == 1
    assert history.get(first["generation_id"])["attempts"] == 1  # type: ignore[index]


def test_a_failed_publish_marks_the_generation_failed_and_a_retry_completes_it(
    s3_store: S3Store,
    history: GenerationHistory,
    dataset: Dataset,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def denied(self: S3Store, dataset: Dataset) -> Any:
        raise BackendAccessError("S3 PutObject s3://x failed: AccessDenied", code="AccessDenied")

    monkeypatch.setattr(S3Store, "add", denied)
    with pytest.raises(BackendAccessError):
        publish(dataset, s3_store, history, "session-2", "ci")
    generation = generation_id_for("session-2", dataset.fingerprint)
    failed = history.get(generation)
    assert failed is not None
    assert failed["status"] == FAILED
    assert failed["error"] == "BackendAccessError: S3 PutObject s3://x failed: AccessDenied"
    assert read_pointer(s3_store, "session-2") is None  # nothing points at a dataset not there

    monkeypatch.undo()
    summary = publish(dataset, s3_store, history, "session-2", "ci")
    done = history.get(generation)
    assert done is not None
    assert done["status"] == COMPLETED
    assert done["attempts"] == 2
    assert summary["generation_id"] == generation


def test_a_history_that_cannot_record_the_failure_keeps_the_first_error(
    s3_store: S3Store,
    history: GenerationHistory,
    dataset: Dataset,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def broken(self: S3Store, dataset: Dataset) -> Any:
        raise CacheError("the put failed")

    def unreachable(self: GenerationHistory, *args: Any, **kwargs: Any) -> Any:
        raise BackendAccessError("DynamoDB UpdateItem failed")

    monkeypatch.setattr(S3Store, "add", broken)
    monkeypatch.setattr(GenerationHistory, "fail", unreachable)
    with pytest.raises(CacheError, match="the put failed") as info:
        publish(dataset, s3_store, history, "session-3", "ci")
    assert "could not be marked failed: DynamoDB UpdateItem failed" in info.value.__notes__[0]


def test_eight_concurrent_publishes_of_one_dataset_store_it_once(
    s3: Any, s3_store: S3Store, history: GenerationHistory, dataset: Dataset, dynamodb: Any
) -> None:
    summaries = at_once(
        8, lambda number: publish(dataset, s3_store, history, f"session-{number}", "ci")
    )
    fingerprint = dataset.fingerprint
    entry = [key for key in all_keys(s3) if "/datasets/" in key]
    assert entry == [
        f"{PREFIX}/datasets/{fingerprint}/manifest.json",
        f"{PREFIX}/datasets/{fingerprint}/records.json",
    ]
    generations = [summary["generation_id"] for summary in summaries]
    assert len(set(generations)) == 8
    stored = history.by_fingerprint(fingerprint)
    assert sorted(item["generation_id"] for item in stored) == sorted(generations)
    assert {item["status"] for item in stored} == {COMPLETED}
    assert len(history_items(dynamodb)) == 8
    for number in range(8):
        pointer = read_pointer(s3_store, f"session-{number}")
        assert pointer is not None and pointer["fingerprint"] == fingerprint


def test_eight_concurrent_retries_in_one_session_make_one_generation(
    s3_store: S3Store, history: GenerationHistory, dataset: Dataset, dynamodb: Any
) -> None:
    summaries = at_once(8, lambda _: publish(dataset, s3_store, history, "one-session", "ci"))
    assert len({summary["generation_id"] for summary in summaries}) == 1
    (item,) = history_items(dynamodb)
    assert item["status"] == {"S": COMPLETED}
    assert item["attempts"] == {"N": "1"}


# --------------------------------------------------------------------------------------------
# Session ids and pointers

BAD_SESSION_IDS = [
    "",
    ".",
    "..",
    "../other",
    "a/../../b",
    "a/b",
    "a\\b",
    "a..b",
    ".hidden",
    "-dash-first",
    "with space",
    "tab\tinside",
    "line\n",
    "caf\u00e9",
    "x" * 101,
    "%2e%2e",
]


@pytest.mark.parametrize("bad", BAD_SESSION_IDS)
def test_a_bad_session_id_is_refused_before_anything_is_written(
    s3: Any,
    s3_store: S3Store,
    history: GenerationHistory,
    dataset: Dataset,
    dynamodb: Any,
    bad: str,
) -> None:
    with pytest.raises(RequestError, match="session id"):
        publish(dataset, s3_store, history, bad, "ci")
    with pytest.raises(RequestError, match="session id"):
        read_pointer(s3_store, bad)
    assert all_keys(s3) == []
    assert history_items(dynamodb) == []


@pytest.mark.parametrize(
    "good", ["s", "A1._:-z", "x" * 100, "4b7c1f1e-8d2a-4c55-9e0f-1a2b3c4d5e6f"]
)
def test_safe_session_ids_are_used_as_they_are(s3: Any, s3_store: S3Store, good: str) -> None:
    write_pointer(s3_store, good, fingerprint="ab" * 32, rows=1, generation_id="g-1")
    assert all_keys(s3) == [f"{PREFIX}/sessions/{good}/result.json"]
    assert read_pointer(s3_store, good)["fingerprint"] == "ab" * 32  # type: ignore[index]


def test_a_session_id_that_is_not_a_string_is_refused(s3_store: S3Store) -> None:
    with pytest.raises(RequestError, match="session id must be a string"):
        read_pointer(s3_store, 7)  # type: ignore[arg-type]


def test_a_pointer_that_does_not_name_a_dataset_is_an_error(s3: Any, s3_store: S3Store) -> None:
    key = f"{PREFIX}/sessions/s-1/result.json"
    s3.put_object(Bucket=BUCKET, Key=key, Body=b"not json")
    with pytest.raises(CacheError, match="is not JSON"):
        read_pointer(s3_store, "s-1")
    s3.put_object(Bucket=BUCKET, Key=key, Body=b'{"fingerprint": "../../x"}')
    with pytest.raises(CacheError, match="does not name a dataset fingerprint"):
        read_pointer(s3_store, "s-1")
