"""The AgentCore Gateway's Lambda context, as AWS documents it: the qualified tool name
(``<target>___<tool>``) and the gateway session in ``context.client_context.custom``, next to
the gateway's and target's ids and the message version."""

from __future__ import annotations

from typing import Any

from synthdata_sdk.cloud.handler import make_handler
from tests.cloud.actions_support import MemoryStore, gateway_answer, gateway_context

REQUEST = {"template": "device", "rows": 3}


def documented_context(session: str | None, tool: str = "generate") -> Any:
    """Every key the gateway puts in the client context, with ``session`` when given."""
    context = gateway_context(tool, target="synthdata-tools", request_id="req-7")
    context.client_context.custom.update(
        {
            "bedrockAgentCoreGatewayId": "synthdata-gw-1a2b3c4d5e",
            "bedrockAgentCoreTargetId": "T1A2B3C4D5",
            "bedrockAgentCoreMessageVersion": "1.0",
        }
    )
    if session is not None:
        context.client_context.custom["bedrockAgentCoreSessionId"] = session
    return context


def test_the_gateway_session_names_the_session_pointer() -> None:
    store = MemoryStore()
    handler = make_handler(store.services())

    status, body = gateway_answer(handler(REQUEST, documented_context("mcp-session-42")))

    assert status == 200
    assert store.sessions == {"mcp-session-42": body["fingerprint"]}
    assert store.requesters == ["gateway:synthdata-tools"]


def test_without_a_gateway_session_the_request_id_names_it() -> None:
    for session in (None, ""):
        store = MemoryStore()
        handler = make_handler(store.services())

        status, body = gateway_answer(handler(REQUEST, documented_context(session)))

        assert status == 200
        assert store.sessions == {"req-7": body["fingerprint"]}


def test_a_gateway_session_that_cannot_name_a_key_is_refused_with_a_400() -> None:
    store = MemoryStore()
    handler = make_handler(store.services())

    status, body = gateway_answer(handler(REQUEST, documented_context("../../escape")))

    assert status == 400
    assert "session id" in body["error"]["message"]
    assert store.sessions == {} and store.datasets == {}


def test_a_tool_name_without_the_target_prefix_is_taken_as_it_is() -> None:
    store = MemoryStore()
    handler = make_handler(store.services())
    context = documented_context(None, tool="list_templates")
    context.client_context.custom["bedrockAgentCoreToolName"] = "list_templates"

    status, body = gateway_answer(handler({}, context))

    assert status == 200
    assert "device" in [template["name"] for template in body["templates"]]
