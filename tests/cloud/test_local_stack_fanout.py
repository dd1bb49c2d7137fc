"""A request split into partitions through the local stack: the function invokes itself
with ``InvocationType=Event`` over HTTP, the stack runs the partitions after answering, and
the lambda backend gets the bytes of local generation."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from synthdata_sdk import SynthDataClient
from synthdata_sdk.cloud.history import COMPLETED, GenerationHistory
from synthdata_sdk.cloud.lambda_backend import LambdaBackend
from synthdata_sdk.cloud.local import LocalStack
from synthdata_sdk.cloud.s3_store import S3Store
from tests.cloud.fanout_support import PARTITION_ROWS, PARTITIONS, ROWS, SCHEMA, record_bytes
from tests.cloud.stack_support import aws

__all__ = ["aws"]


@pytest.fixture(scope="module")
def stack(aws_env: None) -> Iterator[LocalStack]:
    """A stack whose function splits requests of more than one chunk into partitions."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SYNTHDATA_PARTITION_ROWS", str(PARTITION_ROWS))
        with LocalStack(port=0) as running:
            yield running


def test_a_fanned_out_request_through_the_stack_gives_the_bytes_of_local_generation(
    stack: LocalStack,
) -> None:
    settings = stack.settings
    store = S3Store(stack.client("s3"), settings.bucket, settings.prefix)
    looks: list[float] = []

    def wait(seconds: float) -> None:
        looks.append(seconds)
        stack.wait_for_events()  # the queued partitions run, instead of time passing

    backend = LambdaBackend(stack.client("lambda"), store, settings.function_name, sleep=wait)
    client = SynthDataClient()
    remote = backend.generate(client.prepare(SCHEMA, rows=ROWS, seed=8))
    local = client.generate(SCHEMA, rows=ROWS, seed=8)
    assert record_bytes(remote) == record_bytes(local)
    assert looks == [0.5]  # one wait: every partition ran in it
    manifest = store.manifest(local.fingerprint)
    assert [item["path"] for item in manifest["files"]] == [
        f"records-{index:05d}.json" for index in range(PARTITIONS)
    ]
    history = GenerationHistory(stack.client("dynamodb"), settings.table)
    [generation] = history.by_fingerprint(local.fingerprint)
    assert generation["status"] == COMPLETED
    assert generation["parts_done"] == PARTITIONS


def test_the_stack_answers_an_event_invocation_at_once_with_202(stack: LocalStack) -> None:
    answer: dict[str, Any] = stack.client("lambda").invoke(
        FunctionName=stack.settings.function_name,
        InvocationType="Event",
        Payload=b'{"action": "list_templates"}',
    )
    assert answer["StatusCode"] == 202
    stack.wait_for_events()
