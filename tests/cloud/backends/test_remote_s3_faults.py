"""Reading a remote backend's dataset from S3 when S3 fails: 5xx and throttling answers are
retried, then a typed error naming the request id; a body cut off halfway is read again, and
a read that keeps failing returns nothing at all."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from synthdata_sdk import SynthDataClient
from synthdata_sdk.cloud.clients import MAX_ATTEMPTS
from synthdata_sdk.errors import BackendThrottledError, BackendUnavailableError
from tests.cloud.backends.remote_clients import lambda_client
from tests.cloud.backends.routes import (
    LambdaFunction,
    Routes,
    drop_body_midway,
    record_file,
    s3_error,
)


def failing_reads(times: int, respond: Callable[..., Any]) -> tuple[Callable[..., Any], list[int]]:
    """A before-send hook answering the first ``times`` reads of record files with ``respond``."""
    count = [0]

    def hook(request: Any, **kwargs: Any) -> Any:
        if not record_file(request):
            return None
        count[0] += 1
        return respond(request, **kwargs) if count[0] <= times else None

    return hook, count


@pytest.fixture
def deployed(function: Any, routes: Routes) -> Routes:
    routes.add("before-send.lambda.Invoke", LambdaFunction(function))
    return routes


@pytest.mark.usefixtures("no_retry_wait")
@pytest.mark.parametrize(
    ("code", "status", "error"),
    [("InternalError", 500, BackendUnavailableError), ("SlowDown", 503, BackendThrottledError)],
)
def test_s3_failures_are_retried_then_a_clear_error(
    deployed: Routes, tmp_path: Path, code: str, status: int, error: type[Exception]
) -> None:
    local = SynthDataClient(backend="local").generate("customer", rows=20, seed=5)
    hook, count = failing_reads(2, s3_error(code, status, "S3REQ1"))
    deployed.add("before-send.s3.GetObject", hook)
    assert lambda_client(tmp_path).generate("customer", rows=20, seed=5).records == local.records
    assert count[0] == 3  # two failed attempts, then the read

    hook, count = failing_reads(99, s3_error(code, status, "S3REQ2"))
    deployed.add("before-send.s3.GetObject", hook)
    with pytest.raises(error) as raised:
        lambda_client(tmp_path).generate("customer", rows=20, seed=5)
    # the S3 client's max_attempts counts the retries (botocore's meaning), then gives up
    assert count[0] == MAX_ATTEMPTS + 1
    text = str(raised.value)
    assert "S3 GetObject s3://" in text and f"after {MAX_ATTEMPTS} retries" in text
    assert raised.value.request_id == "S3REQ2"  # type: ignore[attr-defined]


@pytest.mark.parametrize("how", ["short", "reset"])
def test_a_connection_dropped_mid_download_is_read_again(
    deployed: Routes, tmp_path: Path, how: str
) -> None:
    drops = [0]

    def drop_once(http_response: Any, parsed: dict[str, Any], **_: Any) -> None:
        if record_file(http_response.url) and drops[0] == 0:
            drops[0] += 1
            drop_body_midway(parsed, how)

    deployed.add("after-call.s3.GetObject", drop_once)
    local = SynthDataClient(backend="local").generate("order", rows=30, seed=2)
    remote = lambda_client(tmp_path).generate("order", rows=30, seed=2)
    assert drops[0] == 1
    assert remote.records == local.records


@pytest.mark.parametrize(
    ("how", "code"), [("short", "IncompleteReadError"), ("reset", "ResponseStreamingError")]
)
def test_a_download_that_keeps_dropping_leaves_nothing_behind(
    deployed: Routes, tmp_path: Path, how: str, code: str
) -> None:
    drops = [0]

    def drop_always(http_response: Any, parsed: dict[str, Any], **_: Any) -> None:
        if record_file(http_response.url):
            drops[0] += 1
            drop_body_midway(parsed, how)

    deployed.add("after-call.s3.GetObject", drop_always)
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(BackendUnavailableError) as raised:
        lambda_client(tmp_path).write("order", out / "orders.jsonl", rows=30, seed=2)
    assert raised.value.code == code
    assert drops[0] == 3
    assert "S3 GetObject s3://" in str(raised.value)
    assert list(out.iterdir()) == []
