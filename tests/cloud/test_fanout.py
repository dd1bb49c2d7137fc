"""Fan-out: a request above one invocation's rows runs as partitions, each an invocation of
the function writing its part; the last one writes the manifest. The assembled dataset is
the one local generation gives, byte for byte, whatever order the partitions run in and
however often one is delivered."""

from __future__ import annotations

import json
import random
from typing import Any

import pytest

from synthdata_sdk import SynthDataClient
from synthdata_sdk.cache.entry_format import MANIFEST, part_name
from synthdata_sdk.cloud.handler import make_handler
from synthdata_sdk.cloud.history import COMPLETED, FAILED, GenerationHistory
from synthdata_sdk.cloud.partitions import PARTITION_KEY, partition_chunks, partition_count
from synthdata_sdk.cloud.pointer import read_pointer
from synthdata_sdk.cloud.s3_store import S3Store
from synthdata_sdk.errors import BackendAccessError
from synthdata_sdk.generation import engine
from tests.cloud.actions_support import lambda_context
from tests.cloud.conftest import BUCKET, PREFIX, TABLE
from tests.cloud.fanout_support import (
    PARTITION_ROWS,
    PARTITIONS,
    REQUEST,
    ROWS,
    SCHEMA,
    context,
    count_draws,
    deliver,
    fan_out_services,
    record_bytes,
)


@pytest.fixture
def sent() -> list[dict[str, Any]]:
    """The partitions' events the function sent, in the order it sent them."""
    return []


@pytest.fixture
def handler(
    aws_session: Any, bucket: str, history: GenerationHistory, sent: list[dict[str, Any]]
) -> Any:
    return make_handler(fan_out_services(aws_session, sent))


@pytest.fixture
def drawn(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Every chunk the engine draws, by index."""
    return count_draws(monkeypatch)


def generate(handler: Any, session_id: str, request: dict[str, Any] = REQUEST) -> Any:
    event = {"action": "generate", "request": request, "session_id": session_id}
    return handler(event, lambda_context())


def generation_items(dynamodb: Any) -> list[dict[str, Any]]:
    """The history table's generation items (not the partitions' idempotency records)."""
    items = dynamodb.scan(TableName=TABLE, ConsistentRead=True)["Items"]
    return [item for item in items if "fingerprint" in item]


def entry_keys(s3: Any, fingerprint: str) -> list[str]:
    listed = s3.list_objects_v2(Bucket=BUCKET, Prefix=f"{PREFIX}/datasets/{fingerprint}/")
    return sorted(item["Key"].rsplit("/", 1)[1] for item in listed.get("Contents", []))


def versions(s3: Any, fingerprint: str) -> dict[str, list[str]]:
    listed = s3.list_object_versions(Bucket=BUCKET, Prefix=f"{PREFIX}/datasets/{fingerprint}/")
    found: dict[str, list[str]] = {}
    for version in listed.get("Versions", []):
        found.setdefault(version["Key"].rsplit("/", 1)[1], []).append(version["VersionId"])
    return found


def test_partitions_are_whole_chunks_and_cover_every_row_once() -> None:
    assert partition_count(ROWS, PARTITION_ROWS) == PARTITIONS
    covered = [chunk for i in range(PARTITIONS) for chunk in partition_chunks(ROWS, 20_000, i)]
    assert covered == list(range(engine.chunk_count(ROWS)))  # 2 chunks a partition, 4 used
    assert partition_chunks(ROWS, 20_000, 4) == range(8, 8)
    with pytest.raises(ValueError, match="multiple of 10000"):
        partition_count(ROWS, 15_000)


def test_a_large_request_runs_as_partitions_and_gives_the_bytes_of_local_generation(
    handler: Any,
    sent: list[dict[str, Any]],
    s3: Any,
    s3_store: S3Store,
    history: GenerationHistory,
    dynamodb: Any,
    drawn: list[int],
) -> None:
    s3.put_bucket_versioning(Bucket=BUCKET, VersioningConfiguration={"Status": "Enabled"})
    answer = generate(handler, "session-fan")
    assert answer["status"] == 200
    body = answer["body"]
    assert body["status"] == "running"
    assert body["partitions"] == PARTITIONS
    assert body["reused"] is False
    assert len(json.dumps(body)) < 2000  # small: the data goes to S3
    fingerprint = body["fingerprint"]
    assert drawn == []  # the request's invocation draws nothing itself
    assert len(sent) == PARTITIONS
    assert [event[PARTITION_KEY]["index"] for event in sent] == list(range(PARTITIONS))
    assert not s3_store.contains(fingerprint)

    order = list(range(PARTITIONS))
    random.Random(5).shuffle(order)
    retried = order[3]
    for position in order:
        first = handler(sent[position], context(f"p{position}"))
        assert first["body"]["status"] in ("written", "finished")
        if position == retried:
            counted = history.get(body["generation_id"])
            before = versions(s3, fingerprint)
            again = handler(sent[position], context(f"p{position}-retry"))
            assert again == first  # the first answer, replayed
            assert history.get(body["generation_id"]) == counted  # not counted twice
            assert versions(s3, fingerprint) == before  # nor written again
    assert sorted(drawn) == list(range(engine.chunk_count(ROWS)))  # each chunk drawn once

    local = SynthDataClient().generate(SCHEMA, rows=ROWS, seed=7)
    stored = s3_store.load(fingerprint)
    assert fingerprint == local.fingerprint
    assert record_bytes(stored) == record_bytes(local)
    assert stored.manifest["compliance"] == local.manifest["compliance"]
    assert stored.manifest["quality"] is None
    assert stored.manifest["request"]["name"] == "fanned"
    assert entry_keys(s3, fingerprint) == sorted(
        [MANIFEST, *(part_name(index) for index in range(PARTITIONS))]
    )
    assert all(len(found) == 1 for found in versions(s3, fingerprint).values())

    [item] = generation_items(dynamodb)
    generation = history.get(body["generation_id"])
    assert generation is not None and item["generation_id"]["S"] == body["generation_id"]
    assert generation["status"] == COMPLETED
    assert (generation["partitions"], generation["parts_done"]) == (PARTITIONS, PARTITIONS)
    assert generation["rows"] == ROWS
    assert generation["s3_uri"] == s3_store.uri(fingerprint)
    pointer = read_pointer(s3_store, "session-fan")
    assert pointer is not None
    assert (pointer["status"], pointer["fingerprint"]) == ("completed", fingerprint)


def test_the_last_partition_writes_the_summaries_local_generation_writes(
    handler: Any, sent: list[dict[str, Any]], s3_store: S3Store
) -> None:
    rows = 2 * PARTITION_ROWS + 500
    request = {
        "json_schema": SCHEMA,
        "rows": rows,
        "seed": 3,
        "compliance": ["gdpr"],
        "quality": True,
    }
    body = generate(handler, "session-summaries", request)["body"]
    assert body["partitions"] == 3
    deliver(handler, sent, seed=11)
    local = SynthDataClient().generate(SCHEMA, rows=rows, seed=3, compliance=["gdpr"], quality=True)
    stored = s3_store.load(body["fingerprint"])
    assert record_bytes(stored) == record_bytes(local)
    assert stored.manifest["compliance"] == local.manifest["compliance"]
    assert stored.manifest["compliance"]["scanned"] is True
    assert stored.manifest["quality"] == local.manifest["quality"]


def test_a_failing_partition_fails_the_generation_and_later_parts_are_not_counted(
    handler: Any,
    sent: list[dict[str, Any]],
    s3_store: S3Store,
    history: GenerationHistory,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    put_part = S3Store.put_part

    def denied_for_part_2(self: S3Store, fingerprint: str, index: int, chunks: Any) -> Any:
        if index == 2:
            raise BackendAccessError("S3 PutObject failed: AccessDenied", code="AccessDenied")
        return put_part(self, fingerprint, index, chunks)

    monkeypatch.setattr(S3Store, "put_part", denied_for_part_2)
    body = generate(handler, "session-broken")["body"]
    answers = [handler(event, context()) for event in sent]
    statuses = [answer["body"]["status"] for answer in answers]
    assert statuses == ["written", "written", "failed"] + ["skipped"] * (PARTITIONS - 3)
    generation = history.get(body["generation_id"])
    assert generation is not None
    assert generation["status"] == FAILED
    assert generation["parts_done"] == 2
    assert "BackendAccessError" in generation["error"]
    pointer = read_pointer(s3_store, "session-broken")
    assert pointer is not None
    assert pointer["status"] == "failed"
    assert pointer["error"] == "partition 2 of 8 failed: BackendAccessError"
    assert not s3_store.contains(body["fingerprint"])


def test_a_partition_event_that_is_not_one_is_answered_and_not_retried(handler: Any) -> None:
    answer = handler({PARTITION_KEY: {"index": "x"}}, lambda_context())
    assert answer["body"]["status"] == "invalid"


def test_a_small_request_is_generated_in_the_invocation_that_took_it(
    handler: Any, sent: list[dict[str, Any]], s3_store: S3Store
) -> None:
    request = {**REQUEST, "rows": PARTITION_ROWS}
    body = generate(handler, "session-small", request)["body"]
    assert body["status"] == "completed"
    assert body["partitions"] == 1
    assert sent == []
    assert s3_store.contains(body["fingerprint"])


def test_the_counter_counts_each_part_once_and_only_in_its_attempt(
    history: GenerationHistory,
) -> None:
    fingerprint = "a" * 64
    history.start("g-count", fingerprint=fingerprint, requester="ci", partitions=3)
    assert history.count_part("g-count", attempt=1, index=0) == 1
    assert history.count_part("g-count", attempt=1, index=0) is None  # a retry: not counted
    assert history.count_part("g-count", attempt=1, index=2) == 2
    history.fail("g-count", error="partition 1 failed")
    assert history.count_part("g-count", attempt=1, index=1) is None  # failed: no more counts
    restarted = history.start("g-count", fingerprint=fingerprint, requester="ci", partitions=3)
    assert (restarted["attempts"], restarted["parts_done"]) == (2, 0)
    assert "done_parts" not in restarted
    assert history.count_part("g-count", attempt=1, index=1) is None  # the old attempt's
    assert [history.count_part("g-count", attempt=2, index=i) for i in (2, 0, 1)] == [1, 2, 3]


def test_a_request_too_large_for_a_partitions_event_is_refused_and_recorded_failed(
    handler: Any, sent: list[dict[str, Any]], history: GenerationHistory
) -> None:
    codes = [f"code-{number:06d}" for number in range(25_000)]  # about 300 KB of JSON
    schema = {"type": "object", "properties": {"code": {"enum": codes}}, "required": ["code"]}
    request = {"json_schema": schema, "rows": 2 * PARTITION_ROWS, "seed": 1}
    answer = generate(handler, "session-large", request)
    assert answer["status"] == 413
    assert answer["body"]["error"]["code"] == "limit_exceeded"
    assert "asynchronous invocation" in answer["body"]["error"]["message"]
    assert sent == []
    [item] = history.by_fingerprint(
        SynthDataClient().fingerprint(schema, rows=2 * PARTITION_ROWS, seed=1)
    )
    assert item["status"] == FAILED


class SlowClock:
    """A clock on which each reading is ``step`` seconds after the last: a chunk timed
    between two readings took ``step`` seconds."""

    def __init__(self, step: float) -> None:
        self.now = 0.0
        self.step = step

    def __call__(self) -> float:
        self.now += self.step
        return self.now


def test_a_request_slower_than_the_time_budget_gets_smaller_partitions_and_the_same_bytes(
    aws_session: Any,
    bucket: str,
    history: GenerationHistory,
    s3_store: S3Store,
    drawn: list[int],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from synthdata_sdk.cloud import budget
    from synthdata_sdk.cloud.config import ActionLimits, BackendSettings
    from synthdata_sdk.cloud.services import services_for

    # rows alone would draw the whole request in one invocation (a million rows each); its
    # first chunk takes 40 s, so 2 chunks fit in 100 s: partitions of 20,000 rows
    monkeypatch.setattr(budget, "CLOCK", SlowClock(40.0))
    sent: list[dict[str, Any]] = []
    settings = BackendSettings(
        bucket=BUCKET, prefix=PREFIX, table=TABLE, function_name="synthdata-actions"
    )
    limits = ActionLimits(partition_rows=100 * engine.CHUNK_ROWS, partition_seconds=100)
    handler = make_handler(
        services_for(settings, session=aws_session, limits=limits, invoke=sent.append)
    )
    body = generate(handler, "session-slow")["body"]
    assert (body["status"], body["partitions"]) == ("running", 4)
    assert drawn == [0]  # the first chunk, timed
    assert {event[PARTITION_KEY]["partition_rows"] for event in sent} == {20_000}
    deliver(handler, sent)
    local = SynthDataClient().generate(SCHEMA, rows=ROWS, seed=7)
    assert record_bytes(s3_store.load(body["fingerprint"])) == record_bytes(local)


def test_a_request_within_the_time_budget_is_drawn_in_one_invocation(
    aws_session: Any,
    bucket: str,
    history: GenerationHistory,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from synthdata_sdk.cloud import budget
    from synthdata_sdk.cloud.config import ActionLimits, BackendSettings
    from synthdata_sdk.cloud.services import services_for

    monkeypatch.setattr(budget, "CLOCK", SlowClock(1.0))  # 1 s a chunk: 8 chunks fit
    sent: list[dict[str, Any]] = []
    settings = BackendSettings(
        bucket=BUCKET, prefix=PREFIX, table=TABLE, function_name="synthdata-actions"
    )
    limits = ActionLimits(partition_rows=100 * engine.CHUNK_ROWS, partition_seconds=100)
    handler = make_handler(
        services_for(settings, session=aws_session, limits=limits, invoke=sent.append)
    )
    body = generate(handler, "session-quick")["body"]
    assert body["status"] != "running" and sent == []
    assert body["rows"] == ROWS


@pytest.mark.parametrize("value", ["0", "-5", "soon", "inf", "nan"])
def test_a_bad_time_budget_is_a_configuration_error(
    value: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from synthdata_sdk.cloud.config import ActionLimits, ConfigurationError

    with pytest.raises(ConfigurationError, match="SYNTHDATA_PARTITION_SECONDS"):
        ActionLimits.from_env({"SYNTHDATA_PARTITION_SECONDS": value})
