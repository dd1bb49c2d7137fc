"""One handler, three front doors: the same request gives the same answer through each."""

from __future__ import annotations

from typing import Any

import pytest

from synthdata_sdk.client import SynthDataClient
from synthdata_sdk.cloud.handler import door_of, make_handler
from tests.cloud.actions_support import (
    MemoryStore,
    agent_answer,
    agent_event,
    as_agent_strings,
    direct_answer,
    gateway_answer,
    gateway_context,
    lambda_context,
    structured,
)

ORDER_SCHEMA: dict[str, Any] = {
    "title": "Order",
    "type": "object",
    "properties": {
        "id": {"type": "integer", "minimum": 1, "maximum": 9999},
        "email": {"type": "string", "format": "email"},
        "lines": {
            "type": "array",
            "minItems": 1,
            "maxItems": 3,
            "items": {
                "type": "object",
                "properties": {"sku": {"type": "string", "pattern": "^[A-Z]{3}-[0-9]{4}$"}},
                "required": ["sku"],
            },
        },
    },
    "required": ["id", "email", "lines"],
}
CONTRADICTION = {"type": "string", "minLength": 9, "maxLength": 2}
STORED = SynthDataClient().generate("customer", rows=6, seed=11)

REQUESTS: list[tuple[str, dict[str, Any], int]] = [
    ("generate", {"template": "customer", "rows": 5, "seed": 3, "compliance": ["gdpr"]}, 200),
    ("generate", {"json_schema": ORDER_SCHEMA, "rows": 7, "locale": "de_DE"}, 200),
    ("generate", {"template": "order", "rows": 4, "name": "orders for the demo"}, 200),
    ("validate_schema", {"json_schema": ORDER_SCHEMA}, 200),
    (
        "validate_schema",
        {"json_schema": {"type": "object", "properties": {"x": CONTRADICTION}}},
        200,
    ),
    ("list_templates", {}, 200),
    ("describe_template", {"name": "patient"}, 200),
    ("lookup_dataset", {"fingerprint": STORED.fingerprint}, 200),
    ("calculate_quality_metrics", {"fingerprint": STORED.fingerprint}, 200),
    # refused: the same status and message through every door
    ("generate", {"template": "customer", "rows": -1}, 400),
    ("generate", {"template": "../../etc/passwd"}, 400),
    ("generate", {"rows": 5}, 400),
    ("generate", {"template": "customer", "rows": 5, "locale": "de-DE"}, 400),
    ("generate", {"template": "customer", "rows": 5000}, 413),
    ("generate", {"json_schema": {"type": "object", "properties": {"x": CONTRADICTION}}}, 422),
    ("describe_template", {"name": "nope"}, 400),
    ("lookup_dataset", {"fingerprint": "0" * 64}, 404),
    ("lookup_dataset", {"fingerprint": "../../secrets"}, 400),
    ("calculate_quality_metrics", {"fingerprint": "f" * 64}, 404),
]


def _store() -> MemoryStore:
    store = MemoryStore()
    store.datasets[STORED.fingerprint] = STORED
    return store


def _direct(action: str, request: dict[str, Any]) -> tuple[int, dict[str, Any], MemoryStore]:
    store = _store()
    handler = make_handler(store.services(max_rows=1_000))
    event = {"action": action, "request": request, "session_id": "session-1"}
    return (*direct_answer(handler(event, lambda_context())), store)


def _gateway(action: str, request: dict[str, Any]) -> tuple[int, dict[str, Any], MemoryStore]:
    store = _store()
    handler = make_handler(store.services(max_rows=1_000))
    return (*gateway_answer(handler(request, gateway_context(action))), store)


def _agent(action: str, request: dict[str, Any]) -> tuple[int, dict[str, Any], MemoryStore]:
    store = _store()
    handler = make_handler(store.services(max_rows=1_000))
    event = agent_event(action, as_agent_strings(request))
    return (*agent_answer(handler(event, lambda_context())), store)


def _agent_structured(
    action: str, request: dict[str, Any]
) -> tuple[int, dict[str, Any], MemoryStore]:
    store = _store()
    handler = make_handler(store.services(max_rows=1_000))
    event = agent_event(action, {}, session_attributes=structured(action, request))
    return (*agent_answer(handler(event, lambda_context())), store)


@pytest.mark.parametrize(
    ("action", "request_", "status"),
    REQUESTS,
    ids=[f"{action}-{i}" for i, (action, _, _) in enumerate(REQUESTS)],
)
def test_every_door_gives_the_same_answer(
    action: str, request_: dict[str, Any], status: int
) -> None:
    answers = {
        name: door(action, request_)
        for name, door in [
            ("direct", _direct),
            ("gateway", _gateway),
            ("agent", _agent),
            ("agent, structured", _agent_structured),
        ]
    }
    direct_status, direct_body, _ = answers["direct"]
    assert direct_status == status, direct_body
    for name, (door_status, body, _) in answers.items():
        assert (door_status, body) == (direct_status, direct_body), name
    if status >= 400:
        assert direct_body["error"]["status"] == status
        assert direct_body["error"]["message"]


def test_every_door_stores_the_dataset_local_generation_gives() -> None:
    request = {"json_schema": ORDER_SCHEMA, "rows": 9, "seed": 5, "compliance": ["gdpr"]}
    local = SynthDataClient().generate(ORDER_SCHEMA, rows=9, seed=5, compliance=["gdpr"])
    for door in (_direct, _gateway, _agent, _agent_structured):
        status, body, store = door("generate", request)
        assert status == 200, body
        assert body["fingerprint"] == local.fingerprint
        assert body["s3_uri"] == f"s3://test-bucket/synthdata/datasets/{local.fingerprint}/"
        assert store.datasets[local.fingerprint].records == local.records
        assert "records" not in body and len(str(body)) < 2_000


def test_the_door_is_chosen_by_the_events_shape() -> None:
    assert door_of({"action": "list_templates"}, None) == "direct"
    assert door_of(agent_event("list_templates"), lambda_context()) == "agent"
    assert door_of({}, gateway_context("list_templates")) == "gateway"
    # a gateway call's arguments may look like anything: the context decides
    assert door_of(agent_event("list_templates"), gateway_context("list_templates")) == "gateway"
    assert door_of(["not", "an", "object"], None) == "direct"


def test_the_session_and_requester_reach_the_store() -> None:
    store = MemoryStore()
    handler = make_handler(store.services())
    event = agent_event("generate", {"template": "device", "rows": "3"}, session_id="abc-123")
    status, body = agent_answer(handler(event, lambda_context()))
    assert status == 200
    assert store.sessions == {"abc-123": body["fingerprint"]}
    assert store.requesters == ["agent:AGENT1:ALIAS1"]
    handler({"template": "device", "rows": 3}, gateway_context("generate", target="tools-1"))
    handler({"action": "generate", "request": {"template": "device", "rows": 3}}, None)
    assert store.requesters[1:] == ["gateway:tools-1", "direct"]


def test_a_second_identical_request_reuses_the_stored_dataset() -> None:
    store = MemoryStore()
    handler = make_handler(store.services())
    event = {"action": "generate", "request": {"template": "payment", "rows": 4}}
    first = direct_answer(handler(event, None))[1]
    second = direct_answer(handler(event, None))[1]
    assert (first["reused"], second["reused"]) == (False, True)
    assert first["fingerprint"] == second["fingerprint"]


def test_the_agent_gets_its_session_attributes_back() -> None:
    handler = make_handler(MemoryStore().services())
    attributes = {"team": "payments", **structured("list_templates", {})}
    response = handler(
        agent_event("list_templates", session_attributes=attributes), lambda_context()
    )
    assert response["sessionAttributes"] == attributes
    assert response["response"]["actionGroup"] == "synthdata"
    assert response["response"]["apiPath"] == "/templates"
