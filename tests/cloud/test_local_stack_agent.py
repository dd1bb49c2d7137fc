"""The local stack's InvokeAgent: an unmodified boto3 ``bedrock-agent-runtime`` client reads its
event stream (chunks, traces, returnControl and exception frames) over HTTP."""

from __future__ import annotations

import json
from typing import Any

import pytest
from botocore.exceptions import ClientError, EventStreamError

from synthdata_sdk import SynthDataClient
from synthdata_sdk.cloud.local import LocalStack, agent_api
from synthdata_sdk.cloud.pointer import read_pointer
from synthdata_sdk.cloud.s3_store import S3Store
from tests.cloud.stack_support import aws, direct, raising, stack, structured, swap_handler

__all__ = ["aws", "stack", "swap_handler"]


def invoke_agent(
    stack: LocalStack,
    session_id: str,
    state: dict[str, Any],
    *,
    alias: str | None = None,
    **more: Any,
) -> Any:
    settings = stack.settings
    return stack.client("bedrock-agent-runtime").invoke_agent(
        agentId=settings.agent_id,
        agentAliasId=alias or settings.agent_alias_id,
        sessionId=session_id,
        inputText="Generate the dataset of the session's structured request.",
        sessionState=state,
        **more,
    )


def text_of(events: list[dict[str, Any]]) -> str:
    return b"".join(event["chunk"]["bytes"] for event in events if "chunk" in event).decode()


def test_the_answer_is_the_function_s_body_in_chunks_and_the_session_points_at_it(
    stack: LocalStack,
) -> None:
    local = SynthDataClient().generate("customer", rows=30, seed=21)
    request = {"template": "customer", "rows": 30, "seed": 21}
    answer = invoke_agent(stack, "agent-session-1", structured("generate", **request))
    assert answer["sessionId"] == "agent-session-1"
    assert answer["contentType"] == "application/json"
    events = list(answer["completion"])
    assert events and all(list(event) == ["chunk"] for event in events)  # no trace unasked
    body = json.loads(text_of(events))
    assert body["fingerprint"] == local.fingerprint

    settings = stack.settings
    store = S3Store(stack.client("s3"), settings.bucket, settings.prefix)
    pointer = read_pointer(store, "agent-session-1")
    assert pointer is not None and pointer["fingerprint"] == local.fingerprint
    assert store.load(local.fingerprint).records == local.records

    through_lambda = stack.client("lambda").invoke(
        FunctionName=settings.function_name, Payload=direct("generate", **request)
    )
    again = json.loads(through_lambda["Payload"].read())["body"]
    # the same answer, the dataset now stored; another session's generation records it
    assert again == {**body, "reused": True, "generation_id": again["generation_id"]}
    assert again["generation_id"] != body["generation_id"]


def test_a_long_answer_comes_in_several_chunks(stack: LocalStack) -> None:
    answer = invoke_agent(stack, "agent-long", structured("describe_template", name="customer"))
    events = list(answer["completion"])
    assert len(events) > 1
    assert json.loads(text_of(events))["fields"][:3] == ["id", "first_name", "last_name"]


def test_traces_come_before_the_chunks_when_asked(stack: LocalStack) -> None:
    answer = invoke_agent(stack, "agent-trace", structured("list_templates"), enableTrace=True)
    events = list(answer["completion"])
    kinds = [next(iter(event)) for event in events]
    assert kinds[:3] == ["trace", "trace", "trace"] and set(kinds[3:]) == {"chunk"}
    traces = [event["trace"] for event in events[:3]]
    assert {trace["agentId"] for trace in traces} == {stack.settings.agent_id}
    assert {trace["sessionId"] for trace in traces} == {"agent-trace"}
    steps = [trace["trace"]["orchestrationTrace"] for trace in traces]
    call = steps[0]["invocationInput"]["actionGroupInvocationInput"]
    assert (call["apiPath"], call["verb"]) == ("/templates", "get")
    output = steps[1]["observation"]["actionGroupInvocationOutput"]["text"]
    assert steps[2]["observation"]["finalResponse"]["text"] == output == text_of(events)


def test_the_structured_request_is_what_the_function_receives(swap_handler: LocalStack) -> None:
    seen: list[Any] = []
    original = swap_handler.handler

    def spy(event: Any, context: Any) -> Any:
        seen.append(event)
        return original(event, context)

    swap_handler.handler = spy
    state = structured("validate_schema", json_schema={"type": "object"})
    state["promptSessionAttributes"] = {"tone": "terse"}
    events = list(invoke_agent(swap_handler, "agent-event", state)["completion"])
    assert json.loads(text_of(events))["valid"] is True
    [event] = seen
    assert (event["apiPath"], event["httpMethod"]) == ("/schemas/validate", "POST")
    assert event["sessionId"] == "agent-event"
    assert event["agent"]["id"] == swap_handler.settings.agent_id
    assert event["sessionAttributes"] == state["sessionAttributes"]
    assert event["promptSessionAttributes"] == {"tone": "terse"}
    [schema] = event["requestBody"]["content"]["application/json"]["properties"]
    assert schema == {"name": "json_schema", "type": "object", "value": '{"type":"object"}'}


def test_a_refusal_of_the_function_is_relayed_as_its_error_body(stack: LocalStack) -> None:
    state = structured("generate", template="../etc/passwd", rows=3)
    events = list(invoke_agent(stack, "agent-refused", state)["completion"])
    error = json.loads(text_of(events))["error"]
    assert (error["status"], error["field"]) == (400, "template")


def test_a_request_without_a_structured_request_is_a_validation_exception(
    stack: LocalStack,
) -> None:
    answer = invoke_agent(stack, "agent-plain", {"sessionAttributes": {"tone": "kind"}})
    with pytest.raises(EventStreamError) as raised:
        list(answer["completion"])
    error = raised.value.response["Error"]
    assert error["Code"] == "validationException"
    assert "synthdata_request" in error["Message"] and "not its model" in error["Message"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("{not json", "synthdata_request"),
        (json.dumps({"action": "make_coffee", "request": {}}), "make_coffee"),
        (json.dumps(["generate"]), "expected"),
    ],
)
def test_an_unusable_structured_request_is_a_validation_exception(
    stack: LocalStack, text: str, expected: str
) -> None:
    answer = invoke_agent(stack, "agent-bad", {"sessionAttributes": {"synthdata_request": text}})
    with pytest.raises(EventStreamError, match=expected) as raised:
        list(answer["completion"])
    assert raised.value.response["Error"]["Code"] == "validationException"


def test_a_failing_function_is_a_dependency_failure_in_mid_stream(
    swap_handler: LocalStack,
) -> None:
    swap_handler.handler = raising
    answer = invoke_agent(
        swap_handler, "agent-broken", structured("list_templates"), enableTrace=True
    )
    received: list[dict[str, Any]] = []
    with pytest.raises(EventStreamError) as raised:
        for event in answer["completion"]:
            received.append(event)
    assert [next(iter(event)) for event in received] == ["trace", "trace"]
    failure = received[1]["trace"]["trace"]["failureTrace"]["failureReason"]
    error = raised.value.response["Error"]
    assert error["Code"] == "dependencyFailedException"
    assert error["Message"] == failure and "ValueError" in failure


def test_an_answer_that_is_no_action_group_response_is_a_dependency_failure(
    swap_handler: LocalStack,
) -> None:
    swap_handler.handler = lambda event, context: {"status": 200}
    answer = invoke_agent(swap_handler, "agent-odd", structured("list_templates"))
    with pytest.raises(EventStreamError, match="not an action-group response") as raised:
        list(answer["completion"])
    assert raised.value.response["Error"]["Code"] == "dependencyFailedException"


def test_a_failure_of_the_emulator_itself_is_an_internal_server_exception_mid_stream(
    stack: LocalStack, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: Any) -> Any:
        raise KeyError("observation")

    monkeypatch.setattr(agent_api, "_observation", broken)
    answer = invoke_agent(stack, "agent-internal", structured("list_templates"), enableTrace=True)
    events = iter(answer["completion"])
    assert "invocationInput" in next(events)["trace"]["trace"]["orchestrationTrace"]
    with pytest.raises(EventStreamError) as raised:
        next(events)
    assert raised.value.response["Error"]["Code"] == "internalServerException"


def test_the_return_control_alias_hands_the_call_back_and_relays_its_result(
    stack: LocalStack,
) -> None:
    settings = stack.settings
    state = structured("describe_template", name="device")
    answer = invoke_agent(stack, "agent-rc", state, alias=settings.return_control_alias_id)
    [event] = list(answer["completion"])
    control = event["returnControl"]
    [call] = control["invocationInputs"]
    api = call["apiInvocationInput"]
    assert (api["apiPath"], api["httpMethod"]) == ("/templates/{name}", "GET")
    assert api["parameters"] == [{"name": "name", "type": "string", "value": "device"}]

    result_text = json.dumps({"fields": ["device_id"]})
    results = {
        "invocationId": control["invocationId"],
        "returnControlInvocationResults": [
            {
                "apiResult": {
                    "actionGroup": api["actionGroup"],
                    "apiPath": api["apiPath"],
                    "httpMethod": api["httpMethod"],
                    "httpStatusCode": 200,
                    "responseBody": {"application/json": {"body": result_text}},
                }
            }
        ],
    }
    answer = invoke_agent(stack, "agent-rc", results, alias=settings.return_control_alias_id)
    assert text_of(list(answer["completion"])) == result_text
    again = invoke_agent(stack, "agent-rc", results, alias=settings.return_control_alias_id)
    with pytest.raises(EventStreamError, match="invocationId"):
        list(again["completion"])  # a result is taken once


@pytest.mark.parametrize(
    ("agent", "alias", "code"),
    [
        ("NOSUCHAGNT", None, "ResourceNotFoundException"),
        (None, "NOSUCHALIA", "ResourceNotFoundException"),
    ],
)
def test_an_unknown_agent_or_alias_is_refused_before_the_stream(
    stack: LocalStack, agent: str | None, alias: str | None, code: str
) -> None:
    settings = stack.settings
    with pytest.raises(ClientError) as raised:
        stack.client("bedrock-agent-runtime").invoke_agent(
            agentId=agent or settings.agent_id,
            agentAliasId=alias or settings.agent_alias_id,
            sessionId="agent-unknown",
            inputText="hello",
        )
    assert raised.value.response["Error"]["Code"] == code
    assert raised.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404
