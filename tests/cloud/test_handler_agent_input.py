"""Agent input is untrusted: structured session requests win, strings are decoded by the field
they fill, and anything malformed, hostile or too large gets a 4xx the agent can relay."""

from __future__ import annotations

import json
from typing import Any

import pytest

from synthdata_sdk.client import SynthDataClient
from synthdata_sdk.cloud.agent_input import SESSION_KEY
from synthdata_sdk.cloud.handler import make_handler
from tests.cloud.actions_support import (
    MemoryStore,
    agent_answer,
    agent_event,
    direct_answer,
    lambda_context,
    structured,
)

SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "id": {"type": "integer", "minimum": 1, "maximum": 500},
        "email": {"type": "string", "format": "email"},
        "tags": {"type": "array", "items": {"type": "string", "enum": ["a", "b"]}},
    },
    "required": ["id", "email", "tags"],
    "additionalProperties": False,
}
#: SCHEMA as a Bedrock agent may render an object it filled in
SCHEMA_AS_MAP_TEXT = (
    "{type=object, properties={id={type=integer, minimum=1, maximum=500}, "
    "email={type=string, format=email}, tags={type=array, items={type=string, enum=[a, b]}}}, "
    "required=[id, email, tags], additionalProperties=false}"
)


def _call(event: dict[str, Any], store: MemoryStore | None = None) -> tuple[int, dict[str, Any]]:
    handler = make_handler((store or MemoryStore()).services(max_rows=1_000))
    return agent_answer(handler(event, lambda_context()))


def test_the_structured_session_request_wins_over_the_agents_parameters() -> None:
    store = MemoryStore()
    attributes = structured("generate", {"template": "customer", "rows": 7, "seed": 9})
    agent_says = {"template": "employee", "rows": "500", "json_schema": "{type=garbage"}
    status, body = _call(agent_event("generate", agent_says, session_attributes=attributes), store)
    assert status == 200, body
    expected = SynthDataClient().fingerprint("customer", rows=7, seed=9)
    assert body["fingerprint"] == expected and body["rows"] == 7
    assert list(store.datasets) == [expected]


def test_a_structured_request_for_another_operation_leaves_this_one_to_the_agent() -> None:
    attributes = structured("generate", {"template": "customer", "rows": 7})
    status, body = _call(
        agent_event("describe_template", {"name": "device"}, session_attributes=attributes)
    )
    assert (status, body["name"]) == (200, "device")


def test_a_schema_in_map_notation_is_read_as_the_schema() -> None:
    status, body = _call(
        agent_event("generate", {"json_schema": SCHEMA_AS_MAP_TEXT, "rows": "12", "seed": "4"})
    )
    assert status == 200, body
    assert body["fingerprint"] == SynthDataClient().fingerprint(SCHEMA, rows=12, seed=4)


@pytest.mark.parametrize(
    ("arguments", "expected"),
    [
        ({"compliance": "[gdpr, hipaa]"}, ["gdpr", "hipaa"]),
        ({"compliance": '["hipaa", "gdpr"]'}, ["gdpr", "hipaa"]),
        ({"compliance": "gdpr,hipaa"}, ["gdpr", "hipaa"]),
        ({"compliance": "[]"}, []),
    ],
)
def test_lists_arrive_in_any_of_the_agents_spellings(
    arguments: dict[str, str], expected: list[str]
) -> None:
    status, body = _call(agent_event("validate_schema", {"template": "patient", **arguments}))
    assert status == 200, body
    status, body = _call(agent_event("generate", {"template": "patient", "rows": "3", **arguments}))
    assert status == 200, body
    assert body["compliance"].get("profiles", []) == expected


def test_strings_are_decoded_by_the_type_their_field_declares() -> None:
    # "123" names a dataset: it stays a string; "true" is a boolean; "null" leaves a field out
    arguments = {
        "template": "device",
        "json_schema": "null",
        "rows": " 5 ",
        "name": "123",
        "quality": "true",
    }
    status, body = _call(agent_event("generate", arguments))
    assert status == 200, body
    assert body["name"] == "123" and body["rows"] == 5 and body["quality"]["rows"] == 5


@pytest.mark.parametrize(
    ("arguments", "field", "words"),
    [
        ({"template": "customer", "rows": "many"}, "rows", "expected an integer"),
        ({"template": "customer", "rows": "12.5"}, "rows", "expected an integer"),
        ({"template": "customer", "quality": "perhaps"}, "quality", "valid boolean"),
        ({"template": "customer", "seed": "-3"}, "seed", "expected an integer from 0"),
        ({"json_schema": "{type=object, properties={"}, "json_schema", "send it as JSON"),
        ({"json_schema": '{"type": "object",}'}, "json_schema", "send it as JSON"),
        ({"json_schema": "a schema"}, "json_schema", "valid dictionary"),
        ({"template": "customer", "compliance": "[gdpr, sox]"}, "compliance", "'sox'"),
        ({"template": "customer", "colour": "blue"}, "colour", "Extra inputs"),
        ({}, "request", "exactly one of template or json_schema"),
        ({"template": "../../../etc/passwd"}, "template", "not a path"),
        ({"template": "/var/task/x.json"}, "template", "not a path"),
        ({"template": "customer", "name": "../../x"}, "name", "without '/'"),
        ({"template": "customer", "name": "a\u0000b"}, "name", "control characters"),
    ],
)
def test_bad_agent_input_gets_a_400_naming_the_field(
    arguments: dict[str, str], field: str, words: str
) -> None:
    status, body = _call(agent_event("generate", arguments))
    assert status == 400, body
    assert body["error"]["field"] == field
    assert words in body["error"]["message"]


@pytest.mark.parametrize(
    ("attribute", "words"),
    [
        ("{not json", "is not JSON: line 1 column 2"),
        ('["generate"]', 'expected {"action"'),
        ('{"action": "generate", "request": "rows=5"}', 'expected {"action"'),
        ('{"action": "generate", "request": {}, "rows": 5}', 'expected {"action"'),
        ('{"action": "drop_tables", "request": {}}', "unknown action 'drop_tables'"),
    ],
)
def test_a_malformed_structured_request_is_refused_not_ignored(attribute: str, words: str) -> None:
    event = agent_event(
        "generate", {"template": "customer"}, session_attributes={SESSION_KEY: attribute}
    )
    status, body = _call(event)
    assert status == 400, body
    assert words in body["error"]["message"]


def test_a_function_details_event_is_told_to_use_the_openapi_schema() -> None:
    event = agent_event("generate", {"template": "customer"})
    del event["apiPath"], event["requestBody"]
    event["function"] = "generate"
    handler = make_handler(MemoryStore().services())
    response = handler(event, lambda_context())
    status, body = agent_answer(response)
    assert status == 400 and body["error"]["code"] == "invalid_event"
    assert "synthdata backend openapi" in body["error"]["message"]
    assert response["messageVersion"] == "1.0"


@pytest.mark.parametrize(
    ("change", "status", "words"),
    [
        ({"apiPath": "/datasets/delete"}, 404, "no operation POST /datasets/delete"),
        ({"httpMethod": "DELETE"}, 404, "no operation DELETE /datasets"),
        ({"parameters": "rows=5"}, 400, "parameters is not a list"),
        ({"parameters": [{"value": "5"}]}, 400, "an entry has no name"),
        ({"requestBody": {"content": {"text/plain": {}}}}, 400, "not application/json"),
        ({"requestBody": []}, 400, "requestBody has no content"),
        ({"sessionId": "../../other-session"}, 400, "session id"),
        ({"sessionId": "x" * 101}, 400, "session id"),
    ],
)
def test_a_malformed_event_gets_a_4xx_in_the_agents_format(
    change: dict[str, Any], status: int, words: str
) -> None:
    event = {**agent_event("generate", {"template": "customer"}), **change}
    assert _call(event)[0] == status
    assert words in _call(event)[1]["error"]["message"]


def test_oversized_and_deeply_nested_schemas_are_refused_by_the_cores_limits(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SYNTHDATA_MAX_SCHEMA_SIZE", "2000")
    big = {"type": "object", "properties": {f"p{i}": {"type": "string"} for i in range(200)}}
    status, body = _call(agent_event("generate", {"json_schema": json.dumps(big)}))
    assert status == 413 and "SYNTHDATA_MAX_SCHEMA_SIZE" in body["error"]["message"]

    nested: dict[str, Any] = {"type": "object"}
    for _ in range(100):
        nested = {"type": "object", "properties": {"x": nested}}
    status, body = _call(agent_event("generate", {"json_schema": json.dumps(nested)}))
    assert status == 413 and "SYNTHDATA_MAX_DEPTH" in body["error"]["message"]

    # beyond what the JSON reader itself can nest
    deep = '{"a":' * 50_000 + "1" + "}" * 50_000
    status, body = _call(agent_event("generate", {"json_schema": deep}))
    assert status == 413 and body["error"]["code"] == "limit_exceeded"
    deep_map = "{a=" * 50_000 + "1" + "}" * 50_000
    status, body = _call(agent_event("generate", {"json_schema": deep_map}))
    assert status == 400 and "nested deeper than" in body["error"]["message"]


def test_a_schema_nested_far_beyond_any_limit_is_refused_without_recursion() -> None:
    nested: dict[str, Any] = {"type": "string"}
    for _ in range(100_000):
        nested = {"type": "object", "properties": {"x": nested}}
    handler = make_handler(MemoryStore().services())
    event = {"action": "generate", "request": {"json_schema": nested}}
    status, body = direct_answer(handler(event, None))
    assert status == 413 and "nesting depth" in body["error"]["message"]
    event = {"action": "validate_schema", "request": {"json_schema": nested}}
    status, body = direct_answer(handler(event, None))
    assert status == 200 and body["valid"] is False


def test_rows_over_the_configured_limit_are_refused_before_any_work(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SYNTHDATA_MAX_ACTION_ROWS", "50")
    from synthdata_sdk.cloud.config import ActionLimits

    assert ActionLimits.from_env().max_rows == 50
    store = MemoryStore()
    handler = make_handler(store.services(max_rows=50))
    status, body = agent_answer(
        handler(agent_event("generate", {"template": "order", "rows": "51"}), lambda_context())
    )
    assert status == 413 and body["error"]["field"] == "rows"
    assert "SYNTHDATA_MAX_ACTION_ROWS" in body["error"]["message"]
    assert store.datasets == {}
