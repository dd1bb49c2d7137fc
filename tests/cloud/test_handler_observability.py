"""Logs and metrics: structured, and never a request's schema, its const or enum values, or a
generated value."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from synthdata_sdk.cloud.handler import make_handler
from tests.cloud.actions_support import (
    MemoryStore,
    agent_event,
    captured_logs,
    gateway_context,
    lambda_context,
    structured,
)

SECRET = "sk_live_4eC39HqLyjWDarjtT1zdp7dc"
SCHEMA: dict[str, Any] = {
    "title": "Ledger MARKER-TITLE",
    "description": "MARKER-DESCRIPTION",
    "type": "object",
    "properties": {
        "api_key": {"const": SECRET},
        "tier": {"enum": ["ENUM-SECRET-GOLD", "ENUM-SECRET-SILVER"]},
        "owner": {"type": "string", "format": "email"},
        "note": {"type": "string", "minLength": 12, "maxLength": 20},
    },
    "required": ["api_key", "tier", "owner", "note"],
}
#: schemas refused for their secret: type, const and enum disagree; a pattern that is no
#: regular expression (its message quotes it back to the caller)
REFUSED = [
    {"type": "object", "properties": {"k": sub}, "required": ["k"]}
    for sub in (
        {"type": "integer", "const": SECRET},
        {"type": "integer", "enum": [SECRET]},
        {"type": "string", "pattern": "(" + SECRET},
    )
]
MARKERS = (SECRET, "ENUM-SECRET", "MARKER-TITLE", "MARKER-DESCRIPTION")


def _events() -> Iterator[tuple[Any, Any]]:
    request = {"json_schema": SCHEMA, "rows": 8, "seed": 2}
    yield {"action": "generate", "request": request}, None
    yield request, gateway_context("generate")
    yield (
        agent_event("generate", {"json_schema": json.dumps(SCHEMA), "rows": "8", "seed": "2"}),
        lambda_context(),
    )
    yield (
        agent_event("generate", {}, session_attributes=structured("generate", request)),
        lambda_context(),
    )
    yield {"action": "validate_schema", "request": {"json_schema": SCHEMA}}, None
    for schema in REFUSED:
        yield {"action": "generate", "request": {"json_schema": schema}}, None
        yield {"action": "validate_schema", "request": {"json_schema": schema}}, None
        yield agent_event("generate", {"json_schema": json.dumps(schema)}), lambda_context()
    # a bad field beside the schema: the message names the field, not the schema
    yield {"action": "generate", "request": {"json_schema": SCHEMA, "rows": "8x"}}, None


def test_no_log_line_holds_the_schema_its_secrets_or_a_generated_value() -> None:
    store = MemoryStore()
    handler = make_handler(store.services())
    answers = []
    with captured_logs() as logged:
        for event, context in _events():
            answers.append(json.dumps(handler(event, context)))
    logs = logged.getvalue()
    # a refusal may quote the schema to the caller, who sent it; the logs never do
    assert any(SECRET in answer for answer in answers)
    for marker in MARKERS:
        assert marker not in logs
    (dataset,) = store.datasets.values()
    drawn = {
        str(value)
        for record in dataset.records
        for value in record.values()
        if len(str(value)) >= 6
    }
    assert drawn and not [value for value in drawn if value in logs]
    lines = [json.loads(line) for line in logs.splitlines()]
    finished = [line for line in lines if line["message"] == "action finished"]
    assert len(finished) == len(answers)
    assert {line["door"] for line in finished} == {"direct", "gateway", "agent"}
    assert finished[0]["fingerprint"] == dataset.fingerprint and finished[0]["rows"] == 8
    assert {line.get("error_code") for line in finished} >= {"invalid_schema", "invalid_request"}


def _metrics(stdout: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in stdout.splitlines() if line.startswith('{"_aws"')]


def test_metrics_count_rows_duration_cache_hits_and_failures(
    capsys: pytest.CaptureFixture[str],
) -> None:
    handler = make_handler(MemoryStore().services())
    capsys.readouterr()
    event = {"action": "generate", "request": {"template": "order", "rows": 6}}
    handler(event, None)
    handler(event, None)
    handler({"action": "generate", "request": {"template": "order", "rows": -6}}, None)
    handler({}, gateway_context("list_templates"))
    first, second, refused, listed = _metrics(capsys.readouterr().out)

    assert first["Rows"] == [6.0] and first["CacheHits"] == [0.0] and first["Failures"] == [0.0]
    assert second["CacheHits"] == [1.0]
    assert (first["action"], first["door"]) == ("generate", "direct")
    names = {m["Name"] for m in first["_aws"]["CloudWatchMetrics"][0]["Metrics"]}
    assert names == {"Rows", "Duration", "CacheHits", "Failures"}
    assert first["Duration"][0] > 0
    assert refused["Failures"] == [1.0] and "Rows" not in refused
    assert (listed["action"], listed["door"]) == ("list_templates", "gateway")
    assert "Rows" not in listed
