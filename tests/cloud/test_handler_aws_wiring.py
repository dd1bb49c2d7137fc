"""The deployed wiring: ``lambda_handler``'s services read their settings from the environment
and use the S3 store, the history table and ``publish`` (moto, in-process); storage failures
answer with what the caller can do."""

from __future__ import annotations

import json
from typing import Any

import pytest

from synthdata_sdk.client import SynthDataClient
from synthdata_sdk.cloud.handler import make_handler
from synthdata_sdk.cloud.history import create_history_table
from synthdata_sdk.cloud.services import Services
from synthdata_sdk.errors import (
    BackendAccessError,
    BackendThrottledError,
    CorruptCacheError,
    SynthDataError,
)
from tests.cloud.actions_support import captured_logs, direct_answer
from tests.cloud.conftest import BUCKET, PREFIX, TABLE


@pytest.fixture
def deployed(s3: Any, bucket: str, dynamodb: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    """A bucket and a history table, and the function's settings naming them."""
    create_history_table(dynamodb, TABLE)
    monkeypatch.setenv("SYNTHDATA_BUCKET", bucket)
    monkeypatch.setenv("SYNTHDATA_PREFIX", PREFIX)
    monkeypatch.setenv("SYNTHDATA_HISTORY_TABLE", TABLE)
    monkeypatch.delenv("SYNTHDATA_ENDPOINT_URL", raising=False)
    return make_handler()


def test_generate_stores_in_s3_points_the_session_and_reads_back(deployed: Any, s3: Any) -> None:
    event = {
        "action": "generate",
        "request": {"template": "customer", "rows": 20, "seed": 1},
        "session_id": "ci-1",
    }
    status, body = direct_answer(deployed(event, None))
    local = SynthDataClient().generate("customer", rows=20, seed=1)
    assert status == 200, body
    assert body["fingerprint"] == local.fingerprint and body["reused"] is False
    assert body["s3_uri"] == f"s3://{BUCKET}/{PREFIX}/datasets/{local.fingerprint}/"
    pointer = s3.get_object(Bucket=BUCKET, Key=f"{PREFIX}/sessions/ci-1/result.json")
    assert json.loads(pointer["Body"].read())["fingerprint"] == local.fingerprint
    assert direct_answer(deployed(event, None))[1]["reused"] is True

    lookup = {"action": "lookup_dataset", "request": {"fingerprint": local.fingerprint}}
    status, found = direct_answer(deployed(lookup, None))
    assert (status, found["rows"], found["s3_uri"]) == (200, 20, body["s3_uri"])
    quality = {"action": "calculate_quality_metrics", "request": {"fingerprint": local.fingerprint}}
    status, measured = direct_answer(deployed(quality, None))
    assert (status, measured["rows"]) == (200, 20)
    missing = {"action": "lookup_dataset", "request": {"fingerprint": "0" * 64}}
    assert direct_answer(deployed(missing, None))[0] == 404


def test_a_bad_prefix_or_a_missing_table_is_a_configuration_error(
    deployed: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    event = {"action": "generate", "request": {"template": "order", "rows": 2}}
    monkeypatch.delenv("SYNTHDATA_HISTORY_TABLE")
    status, body = direct_answer(make_handler()(event, None))
    assert (status, body["error"]["code"]) == (500, "not_configured")
    assert "SYNTHDATA_HISTORY_TABLE" in body["error"]["message"]
    monkeypatch.setenv("SYNTHDATA_PREFIX", "team/../other")
    status, body = direct_answer(make_handler()(event, None))
    assert (status, body["error"]["code"]) == (500, "not_configured")
    assert "SYNTHDATA_PREFIX" in body["error"]["message"]


@pytest.mark.parametrize(
    ("error", "status", "code"),
    [
        (
            BackendThrottledError(
                "s3 GetObject throttled", code="SlowDown", request_id="AWS-REQ-1", resource="s3://b"
            ),
            503,
            "storage_unavailable",
        ),
        (
            BackendAccessError("denied", code="AccessDenied", request_id="AWS-REQ-1"),
            500,
            "not_configured",
        ),
        (CorruptCacheError("a" * 64, "records.json: sha256 differs"), 500, "corrupt_dataset"),
    ],
)
def test_a_storage_failure_says_what_the_caller_can_do(
    error: SynthDataError, status: int, code: str
) -> None:
    def fail(*args: Any, **kwargs: Any) -> Any:
        raise error

    handler = make_handler(Services(fail, fail, fail))
    event = {"action": "lookup_dataset", "request": {"fingerprint": "a" * 64}}
    with captured_logs() as logged:
        answer, body = direct_answer(handler(event, None))
    assert (answer, body["error"]["code"]) == (status, code)
    assert "request id" in body["error"]["message"]
    assert "sha256" not in body["error"]["message"] and "s3://b" not in body["error"]["message"]
    if "AWS-REQ-1" in str(error):
        assert '"aws_request_id":"AWS-REQ-1"' in logged.getvalue()
