"""Any event gets a well-formed answer in its door's format: a 4xx for bad input, never an
unhandled exception; an internal failure is a 5xx that leaks nothing."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from types import SimpleNamespace
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from synthdata_sdk.cloud.actions import ACTIONS
from synthdata_sdk.cloud.agent import ROUTES
from synthdata_sdk.cloud.agent_input import SESSION_KEY
from synthdata_sdk.cloud.handler import door_of, make_handler
from synthdata_sdk.cloud.services import Services
from tests.cloud.actions_support import (
    MemoryStore,
    agent_answer,
    agent_event,
    captured_logs,
    gateway_context,
    lambda_context,
)

NAMES = st.sampled_from(
    ["template", "json_schema", "rows", "seed", "locale", "compliance", "name", "quality",
     "fingerprint", "x", "", "__proto__"]
)  # fmt: skip
JSON = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(-(10**20), 10**20),
        st.floats(allow_nan=False),
        st.text(max_size=20),
        st.sampled_from(["customer", "order", "../x", "gdpr", "{a=[1, 2]}", "[gdpr]", "-1", "7"]),
    ),
    lambda inner: st.one_of(
        st.lists(inner, max_size=3),
        st.dictionaries(st.one_of(NAMES, st.text(max_size=5)), inner, max_size=4),
    ),
    max_leaves=12,
)
TEXT = st.one_of(st.text(max_size=30), JSON.map(json.dumps))
PROPERTIES = st.lists(
    st.one_of(
        st.fixed_dictionaries({"name": NAMES, "type": st.just("string"), "value": TEXT}),
        JSON,
    ),
    max_size=4,
)
AGENT_EVENTS = st.fixed_dictionaries(
    {"messageVersion": st.sampled_from(["1.0", 1, None])},
    optional={
        "actionGroup": st.one_of(st.just("synthdata"), JSON),
        "apiPath": st.one_of(st.sampled_from([r.path for r in ROUTES.values()]), JSON),
        "httpMethod": st.one_of(st.sampled_from(["GET", "POST", "get", "PUT"]), JSON),
        "sessionId": st.one_of(st.just("session-1"), st.text(max_size=8), JSON),
        "agent": JSON,
        "parameters": st.one_of(PROPERTIES, JSON),
        "requestBody": st.one_of(
            st.builds(
                lambda props: {"content": {"application/json": {"properties": props}}}, PROPERTIES
            ),
            JSON,
        ),
        "sessionAttributes": st.one_of(
            st.dictionaries(
                st.sampled_from([SESSION_KEY, "other"]),
                st.one_of(
                    TEXT,
                    st.builds(
                        lambda action, request: json.dumps({"action": action, "request": request}),
                        st.sampled_from([*ACTIONS, "nope"]),
                        JSON,
                    ),
                ),
                max_size=2,
            ),
            JSON,
        ),
    },
)
DIRECT_EVENTS = st.one_of(
    JSON,
    st.fixed_dictionaries(
        {"action": st.one_of(st.sampled_from(list(ACTIONS)), JSON)},
        optional={
            "request": st.one_of(st.dictionaries(NAMES, JSON, max_size=4), JSON),
            "session_id": st.one_of(st.just("s-1"), JSON),
            "requester": JSON,
            "extra": JSON,
        },
    ),
)
CONTEXTS = st.one_of(
    st.none(),
    st.just(lambda_context()),
    st.sampled_from([*ACTIONS, "nope", ""]).map(gateway_context),
    st.builds(
        lambda custom: SimpleNamespace(client_context=SimpleNamespace(custom=custom)),
        st.one_of(JSON, st.fixed_dictionaries({"bedrockAgentCoreToolName": JSON})),
    ),
)
HANDLER = make_handler(MemoryStore().services(max_rows=20))


def assert_well_formed(event: Any, context: Any, response: Any) -> int:
    """The status of ``response``, after checking it is in the format of ``event``'s door."""
    json.dumps(response)  # what Lambda returns must serialise
    door = door_of(event, context)
    if door == "agent":
        assert response["messageVersion"] == "1.0"
        status, body = agent_answer(response)
        for key in ("actionGroup", "apiPath", "httpMethod"):
            assert isinstance(response["response"][key], str)
    elif door == "direct":
        assert set(response) == {"status", "body"}
        status, body = response["status"], response["body"]
    else:
        body = response
        error = body.get("error")
        status = error["status"] if isinstance(error, Mapping) else 200
    assert isinstance(body, dict)
    assert isinstance(status, int) and 200 <= status <= 599
    if status >= 400:
        assert set(body) == {"error"}
        assert body["error"]["status"] == status
        assert isinstance(body["error"]["message"], str) and body["error"]["message"]
    return status


FUZZ = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
PLAIN_CONTEXTS = st.one_of(st.none(), st.just(lambda_context()))
GATEWAY_CONTEXTS = st.one_of(
    st.sampled_from([*ACTIONS, "nope", ""]).map(gateway_context), CONTEXTS
).filter(lambda context: door_of({}, context) == "gateway")
GATEWAY_ARGUMENTS = st.one_of(JSON, st.dictionaries(NAMES, JSON, max_size=5))


def _answered_without_a_5xx(event: Any, context: Any) -> None:
    assert assert_well_formed(event, context, HANDLER(event, context)) < 500


@FUZZ
@given(event=AGENT_EVENTS, context=PLAIN_CONTEXTS)
def test_any_action_group_event_gets_a_well_formed_answer(event: Any, context: Any) -> None:
    _answered_without_a_5xx(event, context)


@FUZZ
@given(event=GATEWAY_ARGUMENTS, context=GATEWAY_CONTEXTS)
def test_any_gateway_call_gets_a_well_formed_answer(event: Any, context: Any) -> None:
    _answered_without_a_5xx(event, context)


@FUZZ
@given(event=DIRECT_EVENTS, context=PLAIN_CONTEXTS)
def test_any_direct_request_gets_a_well_formed_answer(event: Any, context: Any) -> None:
    _answered_without_a_5xx(event, context)


@FUZZ
@given(event=st.one_of(AGENT_EVENTS, DIRECT_EVENTS, GATEWAY_ARGUMENTS), context=CONTEXTS)
def test_any_event_in_any_context_gets_a_well_formed_answer(event: Any, context: Any) -> None:
    _answered_without_a_5xx(event, context)


class Broken:
    """Storage that fails unexpectedly, with an exception text quoting what it was given."""

    def publish(self, *args: Any, **kwargs: Any) -> Any:
        dataset = args[0] if args else None
        schema = getattr(getattr(dataset, "request", None), "normalized_schema", args)
        raise RuntimeError(f"storage failed: {schema!r}")

    lookup = load = publish


SECRET_SCHEMA = {
    "title": "LEAKED-TITLE",
    "type": "object",
    "properties": {"key": {"const": "LEAKED-CONST"}, "n": {"type": "integer"}},
}


@pytest.mark.parametrize(
    ("event", "context"),
    [
        ({"action": "generate", "request": {"json_schema": SECRET_SCHEMA, "rows": 2}}, None),
        ({"json_schema": SECRET_SCHEMA, "rows": 2}, gateway_context("generate")),
        (
            agent_event("generate", {"json_schema": json.dumps(SECRET_SCHEMA), "rows": "2"}),
            lambda_context(),
        ),
        (agent_event("lookup_dataset", {"fingerprint": "a" * 64}), lambda_context("req-9")),
    ],
)
def test_an_internal_failure_is_a_500_naming_the_request_and_nothing_else(
    event: Any, context: Any
) -> None:
    broken = Broken()
    handler = make_handler(Services(broken.publish, broken.lookup, broken.load))
    with captured_logs() as logged:
        response = handler(event, context)
    assert assert_well_formed(event, context, response) == 500
    logs = logged.getvalue()
    assert '"error_type":"RuntimeError"' in logs and "in publish" in logs
    for text in (json.dumps(response), logs):
        # what the exception's text quoted: the request's schema, or the fingerprint asked for
        assert "LEAKED" not in text and "a" * 64 not in text
        assert "Traceback" not in text
    # the id the answer names is the one every log line of the call carries
    found = re.search(r"request id ([0-9A-Za-z-]+)\)", json.dumps(response))
    assert found is not None
    if context is not None:
        assert found[1] == context.aws_request_id
    assert all(json.loads(line)["request_id"] == found[1] for line in logs.splitlines())


def test_a_bug_in_a_door_still_gets_an_answer_in_that_doors_format(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from synthdata_sdk.cloud import agent, direct, gateway

    def fail(*args: Any, **kwargs: Any) -> Any:
        raise KeyError("inside a door")

    monkeypatch.setattr(agent.AgentDoor, "handle", fail)
    monkeypatch.setattr(gateway, "handle", fail)
    monkeypatch.setattr(direct, "handle", fail)
    handler = make_handler(MemoryStore().services())
    for event, context in [
        (agent_event("list_templates"), lambda_context()),
        ({}, gateway_context("list_templates")),
        ({"action": "list_templates"}, None),
    ]:
        response = handler(event, context)
        assert assert_well_formed(event, context, response) == 500
