"""The deployed wiring: ``lambda_handler``'s services read their settings from the environment
and use the S3 store, the history table and ``publish`` (against moto, in-process).

Skipped where the storage modules (``synthdata_sdk.cloud.s3_store``, ``history``,
``publish``) are not part of the tree yet.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

pytest.importorskip("synthdata_sdk.cloud.s3_store", reason="the S3 store is not in this tree")
pytest.importorskip("synthdata_sdk.cloud.publish", reason="publish is not in this tree")
moto = pytest.importorskip("moto", reason="needs the [test] extra (moto)")

import boto3  # noqa: E402

from synthdata_sdk.client import SynthDataClient  # noqa: E402
from synthdata_sdk.cloud.handler import make_handler  # noqa: E402
from tests.cloud.actions_support import direct_answer  # noqa: E402

BUCKET = "synthdata-actions-test"
TABLE = "synthdata-actions-history"


@pytest.fixture
def deployed(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """An empty bucket and history table, and the function's settings naming them."""
    from synthdata_sdk.cloud.history import create_history_table

    with moto.mock_aws():
        boto3.client("s3").create_bucket(Bucket=BUCKET)
        create_history_table(boto3.client("dynamodb"), TABLE)
        monkeypatch.setenv("SYNTHDATA_BUCKET", BUCKET)
        monkeypatch.setenv("SYNTHDATA_PREFIX", "team/ci")
        monkeypatch.setenv("SYNTHDATA_HISTORY_TABLE", TABLE)
        monkeypatch.delenv("SYNTHDATA_ENDPOINT_URL", raising=False)
        yield make_handler()


def test_generate_stores_in_s3_points_the_session_and_reads_back(deployed: Any) -> None:
    event = {
        "action": "generate",
        "request": {"template": "customer", "rows": 20, "seed": 1},
        "session_id": "ci-1",
    }
    status, body = direct_answer(deployed(event, None))
    local = SynthDataClient().generate("customer", rows=20, seed=1)
    assert status == 200, body
    assert body["fingerprint"] == local.fingerprint and body["reused"] is False
    assert body["s3_uri"] == f"s3://{BUCKET}/team/ci/datasets/{local.fingerprint}/"
    pointer = boto3.client("s3").get_object(Bucket=BUCKET, Key="team/ci/sessions/ci-1/result.json")
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
