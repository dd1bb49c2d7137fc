"""The lambda and agent backends and a request the function splits into partitions: each
waits for the session pointer (clock and sleep injected, nothing sleeps) and returns the dataset local
generation gives, byte for byte; a failed partition or a timeout is a typed error."""

from __future__ import annotations

import random
from typing import Any

import boto3
import pytest

from synthdata_sdk import SynthDataClient
from synthdata_sdk.cloud.agent_backend import AgentBackend
from synthdata_sdk.cloud.handler import make_handler
from synthdata_sdk.cloud.history import GenerationHistory
from synthdata_sdk.cloud.lambda_backend import LambdaBackend
from synthdata_sdk.cloud.s3_store import S3Store
from synthdata_sdk.errors import BackendDependencyError, BackendUnavailableError
from tests.cloud.backends.routes import FakeAgent, LambdaFunction, Routes
from tests.cloud.conftest import BUCKET, PREFIX, REGION
from tests.cloud.fanout_support import (
    PARTITIONS,
    ROWS,
    SCHEMA,
    context,
    fan_out_services,
    record_bytes,
)

FUNCTION = "synthdata-actions"


class Partitions:
    """The partitions the function sent, run when the backend would sleep: a few at a time,
    shuffled, the first one delivered twice; the fake clock moves on by each wait."""

    def __init__(self, per_wait: int = 3) -> None:
        self.sent: list[dict[str, Any]] = []
        self.handler: Any = None
        self.now = 0.0
        self.waits: list[float] = []
        self.per_wait = per_wait
        self._shuffled = False

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.waits.append(seconds)
        self.now += seconds
        if not self._shuffled:
            random.Random(9).shuffle(self.sent)
            self.sent.insert(1, self.sent[0])  # a retried delivery
            self._shuffled = True
        for _ in range(min(self.per_wait, len(self.sent))):
            self.handler(self.sent.pop(0), context())


@pytest.fixture
def partitions(
    aws_session: Any, bucket: str, history: GenerationHistory, routes: Routes
) -> Partitions:
    caught = Partitions()
    caught.handler = make_handler(fan_out_services(aws_session, caught.sent))
    routes.add("before-send.lambda.Invoke", LambdaFunction(caught.handler))
    # an agent whose action group is the same function; it answers with text only
    routes.add("before-send.bedrock-agent-runtime.InvokeAgent", FakeAgent(caught.handler))
    return caught


def agent_backend(partitions: Partitions, **options: Any) -> AgentBackend:
    session = boto3.Session(region_name=REGION)
    return AgentBackend(
        session.client("bedrock-agent-runtime"),
        S3Store(session.client("s3"), BUCKET, PREFIX),
        "AGENT12345",
        "ALIAS12345",
        clock=partitions.clock,
        sleep=partitions.sleep,
        **options,
    )


def backend(aws_session: Any, partitions: Partitions, **options: Any) -> LambdaBackend:
    # a new session: the routes reach the clients of sessions made after them
    session = boto3.Session(region_name=REGION)
    return LambdaBackend(
        session.client("lambda"),
        S3Store(session.client("s3"), BUCKET, PREFIX),
        FUNCTION,
        clock=partitions.clock,
        sleep=partitions.sleep,
        **options,
    )


def test_the_lambda_backend_waits_for_the_partitions_and_returns_local_bytes(
    aws_session: Any, partitions: Partitions
) -> None:
    client = SynthDataClient()
    prepared = client.prepare(SCHEMA, rows=ROWS, seed=4)
    remote = backend(aws_session, partitions).generate(prepared)
    local = client.generate(SCHEMA, rows=ROWS, seed=4)
    assert remote.fingerprint == local.fingerprint
    assert record_bytes(remote) == record_bytes(local)
    assert remote.records == local.records
    assert remote.manifest["compliance"] == local.manifest["compliance"]
    # 9 deliveries (8 partitions, one twice), 3 at a time; the waits back off
    assert partitions.waits == [0.5, 1.0, 2.0]
    assert len(partitions.sent) == 0
    assert PARTITIONS == 8


def test_a_failed_partition_is_a_typed_error_not_a_hang(
    aws_session: Any, partitions: Partitions, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(self: S3Store, fingerprint: str, index: int, chunks: Any) -> Any:
        raise OSError("disk full")

    monkeypatch.setattr(S3Store, "put_part", broken)
    prepared = SynthDataClient().prepare(SCHEMA, rows=ROWS, seed=4)
    with pytest.raises(BackendDependencyError, match="could not generate") as raised:
        backend(aws_session, partitions).generate(prepared)
    assert raised.value.code == "generation_failed"
    assert "failed: OSError" in str(raised.value)
    assert partitions.waits == [0.5]  # it stopped at the first look after the failure


def test_partitions_that_never_finish_time_out_with_a_typed_error(
    aws_session: Any, partitions: Partitions
) -> None:
    partitions.per_wait = 0  # the partitions never run
    prepared = SynthDataClient().prepare(SCHEMA, rows=ROWS, seed=4)
    with pytest.raises(BackendUnavailableError, match="not stored within 20 s") as raised:
        backend(aws_session, partitions, wait_timeout=20).generate(prepared)
    assert raised.value.code == "generation_timeout"
    assert sum(partitions.waits) == 20  # bounded: never waited past the timeout
    assert max(partitions.waits) <= 10


def test_the_agent_backend_waits_for_the_partitions_and_returns_local_bytes(
    aws_session: Any, partitions: Partitions
) -> None:
    # the agent's answer is text: the backend learns from the session pointer ('running')
    # that the function split the request, and waits for it to name the stored dataset
    client = SynthDataClient()
    prepared = client.prepare(SCHEMA, rows=ROWS, seed=4)
    remote = agent_backend(partitions).generate(prepared)
    local = client.generate(SCHEMA, rows=ROWS, seed=4)
    assert record_bytes(remote) == record_bytes(local)
    assert partitions.waits == [0.5, 1.0, 2.0]
    assert len(partitions.sent) == 0


def test_the_agent_backend_reports_a_failed_partition_as_a_typed_error(
    aws_session: Any, partitions: Partitions, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(self: S3Store, fingerprint: str, index: int, chunks: Any) -> Any:
        raise OSError("disk full")

    monkeypatch.setattr(S3Store, "put_part", broken)
    prepared = SynthDataClient().prepare(SCHEMA, rows=ROWS, seed=4)
    with pytest.raises(BackendDependencyError, match="could not generate") as raised:
        agent_backend(partitions).generate(prepared)
    assert raised.value.code == "generation_failed"


def test_the_agent_backend_waits_no_longer_than_its_timeout(
    aws_session: Any, partitions: Partitions
) -> None:
    partitions.per_wait = 0  # the partitions never run
    prepared = SynthDataClient().prepare(SCHEMA, rows=ROWS, seed=4)
    with pytest.raises(BackendUnavailableError, match="not stored within 20 s"):
        agent_backend(partitions, wait_timeout=20).generate(prepared)
    assert sum(partitions.waits) == 20
