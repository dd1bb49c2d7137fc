"""Bedrock agent runtime's InvokeAgent
(``POST /agents/{agentId}/agentAliases/{agentAliasId}/sessions/{sessionId}/text``) over the
action functions' handler, answered in the AWS event-stream framing.

It emulates the agent's wiring, not its model: the operation to call and its request are
read from the structured request the caller put in ``sessionState.sessionAttributes``
(``synthdata_request``, JSON ``{"action", "request"}``); ``inputText`` is passed on to the
function and otherwise ignored. One turn:

1. ``trace`` (when ``enableTrace``): the action group invocation about to be made;
2. the handler runs on the action-group event (OpenAPI variant) an agent would send;
3. ``trace`` events: the function's answer (``actionGroupInvocationOutput``) and the final
   response; then ``chunk`` events whose bytes, joined, are the function's answer body as
   JSON, success or error (the text a deployed agent is told to relay verbatim).

The alias ``return_control_alias_id`` stands for an action group that returns control: the
turn ends with a ``returnControl`` event carrying the API invocation input, and the next
call, with ``sessionState.returnControlInvocationResults`` and its ``invocationId``, gets
the result's body back as chunks.

Failures: an unknown agent or alias is a 404 ``ResourceNotFoundException`` and a malformed
body or session id a 400 ``ValidationException`` (before the stream); a missing or unusable
structured request is a ``validationException`` frame; a function error (the handler raised,
or answered something that is not an action-group response) is a ``failureTrace`` (with
traces on) and then a ``dependencyFailedException`` frame; a function busy longer than its
timeout a ``throttlingException`` frame; any failure of this emulator itself an
``internalServerException`` frame. Frames after the first one make it mid-stream, which
botocore raises as an ``EventStreamError`` while the caller reads ``completion``.
"""

from __future__ import annotations

import base64
import json
import re
import threading
import uuid
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from werkzeug.wrappers import Request, Response

from synthdata_sdk.cloud.agent import ROUTES, Route
from synthdata_sdk.cloud.agent_input import SESSION_KEY, read_structured
from synthdata_sdk.cloud.failures import ActionError
from synthdata_sdk.cloud.local import eventstream
from synthdata_sdk.cloud.local.runner import FunctionBusyError, Runner
from synthdata_sdk.cloud.local.wsgi import error, request_id

#: the name of the agent's action group
ACTION_GROUP = "synthdata"
#: the answer text goes out in chunks of at most this many characters
CHUNK_CHARS = 512
#: return-control invocations kept for their results
MAX_PENDING = 1000
_PATH = re.compile(
    r"/agents/(?P<agent>[^/]+)/agentAliases/(?P<alias>[^/]+)/sessions/(?P<session>[^/]+)/text"
)
_SESSION = re.compile(r"[0-9a-zA-Z._:-]{2,100}")
_JSON = "application/json"


@dataclass(frozen=True)
class Agent:
    """The agent the stack serves: its id and aliases."""

    agent_id: str
    alias_id: str
    return_control_alias_id: str
    version: str = "1"


@dataclass(frozen=True)
class Turn:
    """One InvokeAgent call, read from its path and body."""

    request_id: str
    agent: Agent
    alias_id: str
    session_id: str
    input_text: str
    trace: bool
    session_attributes: dict[str, str]
    prompt_session_attributes: dict[str, str]
    state: Mapping[str, Any]


class _TurnError(Exception):
    """The turn cannot go on: answered with an exception frame of ``kind``."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind


class AgentApi:
    """InvokeAgent for ``agent``, whose action group runs ``runner``'s function."""

    service = "bedrock"

    def __init__(self, runner: Runner, agent: Agent) -> None:
        self.runner = runner
        self.agent = agent
        self._pending: dict[str, tuple[str, str]] = {}
        self._lock = threading.Lock()

    def serves(self, method: str, path: str) -> bool:
        return method == "POST" and _PATH.fullmatch(path) is not None

    def respond(self, request: Request) -> Response:
        rid = request_id()
        found = _PATH.fullmatch(request.path)
        agent, alias, session = (
            (found["agent"], found["alias"], found["session"]) if found else ("", "", "")
        )
        if agent != self.agent.agent_id:
            return error(
                404, "ResourceNotFoundException", f"Agent {agent[:40]} not found.", request=rid
            )
        if alias not in (self.agent.alias_id, self.agent.return_control_alias_id):
            return error(
                404,
                "ResourceNotFoundException",
                f"Agent alias {alias[:40]} not found.",
                request=rid,
            )
        if not _SESSION.fullmatch(session):
            return error(
                400,
                "ValidationException",
                "sessionId must be 2 to 100 letters, digits, '.', '_', ':' or '-'",
                request=rid,
            )
        try:
            body = json.loads(request.get_data(cache=False) or b"{}")
        except ValueError:
            body = None
        if not isinstance(body, dict):
            return error(
                400, "ValidationException", "the request body is not a JSON object", request=rid
            )
        found_state = body.get("sessionState")
        state: dict[str, Any] = found_state if isinstance(found_state, dict) else {}
        turn = Turn(
            request_id=rid,
            agent=self.agent,
            alias_id=alias,
            session_id=session,
            input_text=str(body.get("inputText") or ""),
            trace=body.get("enableTrace") is True,
            session_attributes=_strings(state.get("sessionAttributes")),
            prompt_session_attributes=_strings(state.get("promptSessionAttributes")),
            state=state,
        )
        headers = {
            "x-amzn-RequestId": rid,
            "x-amzn-bedrock-agent-content-type": _JSON,
            "x-amz-bedrock-agent-session-id": session,
        }
        if isinstance(body.get("memoryId"), str):
            headers["x-amz-bedrock-agent-memory-id"] = body["memoryId"]
        return Response(
            self._stream(turn), status=200, headers=headers, content_type=eventstream.CONTENT_TYPE
        )

    # the stream ---------------------------------------------------------------------------

    def _stream(self, turn: Turn) -> Iterator[bytes]:
        try:
            yield from self._frames(turn)
        except _TurnError as refused:
            yield eventstream.exception(refused.kind, str(refused))
        except Exception:  # this emulator's own failure: as the service reports its own
            yield eventstream.exception(
                "internalServerException",
                f"the local agent failed (request id {turn.request_id})",
            )

    def _frames(self, turn: Turn) -> Iterator[bytes]:
        if "returnControlInvocationResults" in turn.state:
            yield from self._results(turn)
            return
        route, request = _structured(turn.session_attributes)
        event = _action_event(turn, route, request)
        trace_id = f"{turn.request_id}-0"
        if turn.trace:
            yield _trace(turn, _invocation_input(trace_id, event))
        if turn.alias_id == turn.agent.return_control_alias_id:
            yield self._return_control(turn, event)
            return
        context = self.runner.context()
        try:
            result = self.runner.invoke(event, context)
        except FunctionBusyError as busy:
            raise _TurnError("throttlingException", f"Rate exceeded: {busy}") from None
        try:
            text = _answer_text(result.value()) if result.error is None else None
        except (TypeError, KeyError, ValueError):
            text = None
        if text is None:
            reason = (
                f"the action group's function failed ({result.error}, request id "
                f"{context.aws_request_id})"
                if result.error is not None
                else "The server encountered an error processing the Lambda response "
                f"(request id {context.aws_request_id}): not an action-group response"
            )
            if turn.trace:
                yield _trace(turn, {"failureTrace": {"traceId": trace_id, "failureReason": reason}})
            raise _TurnError("dependencyFailedException", reason)
        if turn.trace:
            yield _trace(turn, _observation(trace_id, "ACTION_GROUP", text))
        yield from _answer(turn, trace_id, text)

    def _return_control(self, turn: Turn, event: Mapping[str, Any]) -> bytes:
        invocation_id = str(uuid.uuid4())
        with self._lock:
            if len(self._pending) >= MAX_PENDING:
                self._pending.pop(next(iter(self._pending)))
            self._pending[invocation_id] = (turn.alias_id, turn.session_id)
        api_input = {
            "actionGroup": ACTION_GROUP,
            "agentId": turn.agent.agent_id,
            "apiPath": event["apiPath"],
            "httpMethod": event["httpMethod"],
            "actionInvocationType": "RESULT",
            "parameters": event["parameters"],
        }
        if "requestBody" in event:
            properties = event["requestBody"]["content"][_JSON]["properties"]
            api_input["requestBody"] = {"content": {_JSON: {"properties": properties}}}
        return eventstream.event(
            "returnControl",
            {
                "invocationId": invocation_id,
                "invocationInputs": [{"apiInvocationInput": api_input}],
            },
        )

    def _results(self, turn: Turn) -> Iterator[bytes]:
        invocation_id = turn.state.get("invocationId")
        with self._lock:
            pending = (
                self._pending.pop(invocation_id, None) if isinstance(invocation_id, str) else None
            )
        if pending != (turn.alias_id, turn.session_id):
            raise _TurnError(
                "validationException",
                "sessionState.invocationId names no returnControl of this session and alias",
            )
        results: Any = turn.state.get("returnControlInvocationResults")
        try:
            api_result = results[0]["apiResult"]
            text = api_result["responseBody"][_JSON]["body"]
        except (TypeError, KeyError, IndexError):
            text = None
        if not isinstance(text, str):
            raise _TurnError(
                "validationException",
                "returnControlInvocationResults[0].apiResult.responseBody"
                "['application/json'].body must be the result text",
            )
        trace_id = f"{turn.request_id}-0"
        yield from _answer(turn, trace_id, text)


# the action-group event ----------------------------------------------------------------------


def _structured(attributes: Mapping[str, str]) -> tuple[Route, dict[str, Any]]:
    """The route and request of the structured request, or a ``validationException``."""
    try:
        structured = read_structured(attributes)
    except ActionError as refused:
        raise _TurnError("validationException", str(refused)) from None
    if structured is None:
        raise _TurnError(
            "validationException",
            "the local stack emulates the agent's wiring, not its model: put the request in "
            f"sessionState.sessionAttributes[{SESSION_KEY!r}] as JSON "
            '{"action": "<operation>", "request": {...}}',
        )
    action, request = structured
    route = ROUTES.get(action)
    if route is None:
        raise _TurnError(
            "validationException",
            f"{SESSION_KEY} names no operation {action[:80]!r}; expected one of "
            + ", ".join(ROUTES),
        )
    return route, request


def _action_event(turn: Turn, route: Route, request: Mapping[str, Any]) -> dict[str, Any]:
    """The action-group event (OpenAPI variant) an agent sends for ``route``: its values
    rendered as text, as a model fills them in; the structured request rides along."""
    event: dict[str, Any] = {
        "messageVersion": "1.0",
        "agent": {
            "name": ACTION_GROUP,
            "id": turn.agent.agent_id,
            "alias": turn.alias_id,
            "version": turn.agent.version,
        },
        "inputText": turn.input_text,
        "sessionId": turn.session_id,
        "actionGroup": ACTION_GROUP,
        "apiPath": route.path,
        "httpMethod": route.method,
        "parameters": [_parameter(name, request[name]) for name in route.params if name in request],
        "sessionAttributes": dict(turn.session_attributes),
        "promptSessionAttributes": dict(turn.prompt_session_attributes),
    }
    if route.method == "POST":
        properties = [
            _parameter(name, value) for name, value in request.items() if name not in route.params
        ]
        event["requestBody"] = {"content": {_JSON: {"properties": properties}}}
    return event


def _parameter(name: str, value: Any) -> dict[str, str]:
    kinds = {bool: "boolean", int: "integer", float: "number", dict: "object", list: "array"}
    kind = kinds.get(type(value), "string")
    text = value if isinstance(value, str) else json.dumps(value, separators=(",", ":"))
    return {"name": name, "type": kind, "value": text}


def _answer_text(response: Any) -> str | None:
    """The body text of an action-group response, or None if it is not one."""
    answer = response["response"]
    int(answer["httpStatusCode"])
    body = answer["responseBody"][_JSON]["body"]
    return body if isinstance(body, str) else None


# events ----------------------------------------------------------------------------------


def _answer(turn: Turn, trace_id: str, text: str) -> Iterator[bytes]:
    if turn.trace:
        yield _trace(turn, _observation(trace_id, "FINISH", text))
    for start in range(0, max(len(text), 1), CHUNK_CHARS):
        piece = text[start : start + CHUNK_CHARS].encode("utf-8")
        yield eventstream.event("chunk", {"bytes": _base64(piece)})


def _trace(turn: Turn, trace: Mapping[str, Any]) -> bytes:
    return eventstream.event(
        "trace",
        {
            "agentId": turn.agent.agent_id,
            "agentAliasId": turn.alias_id,
            "agentVersion": turn.agent.version,
            "sessionId": turn.session_id,
            "eventTime": datetime.now(UTC)
            .isoformat(timespec="milliseconds")
            .replace("+00:00", "Z"),
            "trace": trace,
        },
    )


def _invocation_input(trace_id: str, event: Mapping[str, Any]) -> dict[str, Any]:
    call: dict[str, Any] = {
        "actionGroupName": ACTION_GROUP,
        "apiPath": event["apiPath"],
        "verb": str(event["httpMethod"]).lower(),
        "parameters": event["parameters"],
        "executionType": "LAMBDA",
    }
    if "requestBody" in event:
        call["requestBody"] = {
            "content": {_JSON: event["requestBody"]["content"][_JSON]["properties"]}
        }
    return {
        "orchestrationTrace": {
            "invocationInput": {
                "traceId": trace_id,
                "invocationType": "ACTION_GROUP",
                "actionGroupInvocationInput": call,
            }
        }
    }


def _observation(trace_id: str, kind: str, text: str) -> dict[str, Any]:
    output = (
        {"actionGroupInvocationOutput": {"text": text}}
        if kind == "ACTION_GROUP"
        else {"finalResponse": {"text": text}}
    )
    return {"orchestrationTrace": {"observation": {"traceId": trace_id, "type": kind, **output}}}


def _strings(value: object) -> dict[str, str]:
    if not isinstance(value, Mapping):
        return {}
    return {str(k): v for k, v in value.items() if isinstance(v, str)}


def _base64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")
