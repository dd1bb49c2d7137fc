"""botocore hooks that answer the SDK's remote calls in this process, and break S3 reads.

``Routes`` puts handlers in botocore's built-in handlers, ahead of moto's, so every client a
backend makes while a test runs sees them: Lambda ``Invoke`` runs the action function's
handler; Bedrock ``InvokeAgent`` is answered by ``FakeAgent``, which calls the same handler
with the action-group event Bedrock would send and answers in the event stream encoding;
S3 ``GetObject`` can answer 5xx or drop the connection halfway through a body. Anything a
route does not answer goes on to moto. Frames are the local stack's (``cloud/local/eventstream``),
read by botocore's own decoder.
"""

from __future__ import annotations

import base64
import contextlib
import io
import json
import uuid
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote, urlsplit

import botocore.handlers
import pytest
from botocore.awsrequest import AWSResponse
from botocore.response import StreamingBody
from urllib3.exceptions import ProtocolError

from synthdata_sdk.cloud.agent import ROUTES
from synthdata_sdk.cloud.local import eventstream
from tests.cloud.actions_support import lambda_context

Handler = Callable[[Any, Any], Any]


class RawBody:
    """An HTTP body as botocore reads it (``stream()`` and ``read()``), in the chunks given."""

    def __init__(self, chunks: list[bytes]) -> None:
        self._chunks = list(chunks)
        self.closed = False

    def stream(self, **_: Any) -> Iterator[bytes]:
        while self._chunks:
            yield self._chunks.pop(0)

    def read(self, amt: int | None = None) -> bytes:
        return b"".join(self.stream())

    def close(self) -> None:
        self.closed = True


def run_quietly(handler: Handler, event: Any, context: Any) -> Any:
    """``handler(event, context)``, its log lines (which Lambda sends to CloudWatch) dropped,
    so that they do not mix with what a command prints."""
    with contextlib.redirect_stdout(io.StringIO()):
        return handler(event, context)


def chunk(text: str) -> bytes:
    """A ``chunk`` frame: part of the agent's text (its bytes base64-encoded in the JSON)."""
    return eventstream.event("chunk", {"bytes": base64.b64encode(text.encode()).decode()})


def answer(url: str, status: int, headers: Mapping[str, str], chunks: list[bytes]) -> AWSResponse:
    """An HTTP answer for botocore to parse."""
    return AWSResponse(url, status, dict(headers), RawBody(chunks))


class Routes:
    """Installs hooks for one test: ``add("before-send.lambda.Invoke", handler)``."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self._installed = list(botocore.handlers.BUILTIN_HANDLERS)
        monkeypatch.setattr(botocore.handlers, "BUILTIN_HANDLERS", self._installed)

    def add(self, event_name: str, handler: Callable[..., Any]) -> None:
        """Answer ``event_name`` with ``handler`` in every client made from now on."""
        self._installed.insert(0, (event_name, handler, botocore.handlers.REGISTER_FIRST))


@dataclass
class LambdaFunction:
    """Lambda ``Invoke`` of a function whose code is ``handler``, run in this process."""

    handler: Handler
    #: ``(errorType, errorMessage)``: the function raises instead of answering
    function_error: tuple[str, str] | None = None
    #: the events it was invoked with
    events: list[Any] = field(default_factory=list)

    def __call__(self, request: Any, **_: Any) -> AWSResponse:
        request_id = str(uuid.uuid4())
        event = json.loads(request.body)
        self.events.append(event)
        headers = {"x-amzn-RequestId": request_id, "X-Amz-Executed-Version": "$LATEST"}
        if self.function_error is not None:
            error_type, message = self.function_error
            headers["X-Amz-Function-Error"] = "Unhandled"
            body = {"errorType": error_type, "errorMessage": message, "stackTrace": []}
        else:
            body = run_quietly(self.handler, event, lambda_context(request_id))
        return answer(request.url, 200, headers, [json.dumps(body).encode()])


@dataclass
class FakeAgent:
    """A Bedrock agent whose action group is ``handler``: it calls ``generate`` with what
    its model made of the prompt, hands the session attributes on, and answers with text
    (which claims things that are not true, as a model may), traces when asked, and any
    frames a test adds."""

    handler: Handler
    #: what the model fills in for the operation's parameters (ignored when a structured
    #: request is there)
    guessed: Mapping[str, str] = field(
        default_factory=lambda: {"template": "customer", "rows": "5"}
    )
    text: str = "Done: your dataset is s3://elsewhere/datasets/" + "0" * 64 + "/"
    call_function: bool = True
    #: changes the session attributes before the function sees them (a misbehaving agent)
    tamper: Callable[[dict[str, str]], dict[str, str]] | None = None
    #: frames sent after the first text chunk, before the rest of the answer
    inserted: list[bytes] = field(default_factory=list)
    #: the InvokeAgent requests seen: (agent id, alias id, session id, body)
    calls: list[tuple[str, str, str, dict[str, Any]]] = field(default_factory=list)

    def __call__(self, request: Any, **_: Any) -> AWSResponse:
        parts = [unquote(part) for part in urlsplit(request.url).path.split("/")]
        agent_id, alias_id, session_id = parts[2], parts[4], parts[6]
        body = json.loads(request.body)
        self.calls.append((agent_id, alias_id, session_id, body))
        attributes = dict(body.get("sessionState", {}).get("sessionAttributes", {}))
        if self.tamper is not None:
            attributes = self.tamper(attributes)
        frames: list[bytes] = []
        observation = ""
        if self.call_function:
            event = self._action_event(agent_id, alias_id, session_id, body, attributes)
            response = run_quietly(self.handler, event, lambda_context(f"agent-{uuid.uuid4()}"))
            observation = response["response"]["responseBody"]["application/json"]["body"]
        half = len(self.text) // 2
        frames.append(chunk(self.text[:half]))
        frames.extend(self.inserted)
        if body.get("enableTrace"):
            frames.extend(self._traces(agent_id, alias_id, session_id, observation))
        frames.append(chunk(self.text[half:]))
        # one frame cut across two reads, as a network may deliver it
        stream = b"".join(frames)
        cut = len(frames[0]) + 7
        headers = {
            "x-amzn-RequestId": f"req-{uuid.uuid4()}",
            "x-amz-bedrock-agent-session-id": session_id,
            "Content-Type": "application/vnd.amazon.eventstream",
        }
        return answer(request.url, 200, headers, [stream[:cut], stream[cut:]])

    def _action_event(
        self,
        agent_id: str,
        alias_id: str,
        session_id: str,
        body: Mapping[str, Any],
        attributes: Mapping[str, str],
    ) -> dict[str, Any]:
        """The action-group event Bedrock sends the function (OpenAPI variant)."""
        route = ROUTES["generate"]
        properties = [
            {"name": name, "type": "string", "value": value} for name, value in self.guessed.items()
        ]
        return {
            "messageVersion": "1.0",
            "agent": {"name": "synthdata", "id": agent_id, "alias": alias_id, "version": "1"},
            "inputText": body.get("inputText", ""),
            "sessionId": session_id,
            "actionGroup": "synthdata",
            "apiPath": route.path,
            "httpMethod": route.method,
            "parameters": [],
            "requestBody": {"content": {"application/json": {"properties": properties}}},
            "sessionAttributes": dict(attributes),
            "promptSessionAttributes": {},
        }

    @staticmethod
    def _traces(agent_id: str, alias_id: str, session_id: str, observation: str) -> list[bytes]:
        common = {"agentId": agent_id, "agentAliasId": alias_id, "sessionId": session_id}
        called = {
            "invocationInput": {
                "invocationType": "ACTION_GROUP",
                "actionGroupInvocationInput": {
                    "actionGroupName": "synthdata",
                    "apiPath": "/datasets",
                    "verb": "post",
                },
            }
        }
        answered = {
            "observation": {
                "type": "ACTION_GROUP",
                "actionGroupInvocationOutput": {"text": observation},
            }
        }
        return [
            eventstream.event("trace", {**common, "trace": {"orchestrationTrace": called}}),
            eventstream.event("trace", {**common, "trace": {"orchestrationTrace": answered}}),
        ]


def s3_error(code: str, status: int, request_id: str) -> Callable[..., AWSResponse]:
    """A ``before-send`` answer of an S3 error, as S3 writes it."""

    def respond(request: Any, **_: Any) -> AWSResponse:
        body = (
            f"<?xml version='1.0' encoding='UTF-8'?><Error><Code>{code}</Code>"
            f"<Message>injected</Message><RequestId>{request_id}</RequestId></Error>"
        ).encode()
        headers = {"x-amz-request-id": request_id, "Content-Type": "application/xml"}
        return answer(request.url, status, headers, [body])

    return respond


class _Dropping:
    """A body whose connection drops: it ends after half the bytes (``short``), or the read
    fails as urllib3 reports a reset connection (``reset``)."""

    def __init__(self, data: bytes, how: str) -> None:
        self._data = data[: len(data) // 2]
        self._how = how

    def read(self, amt: int | None = None) -> bytes:
        if self._how == "reset":
            raise ProtocolError("Connection broken: ConnectionResetError(104, 'reset by peer')")
        data, self._data = self._data, b""
        return data


def drop_body_midway(parsed: dict[str, Any], how: str = "short") -> None:
    """Make an ``after-call`` GetObject answer's body drop before its end (see ``_Dropping``)."""
    data = parsed["Body"].read()
    parsed["Body"] = StreamingBody(_Dropping(data, how), len(data))


def record_file(request_or_url: Any) -> bool:
    """Whether a call reads a dataset's record file (the function reads only manifests)."""
    url = getattr(request_or_url, "url", request_or_url)
    name = urlsplit(str(url)).path.rsplit("/", 1)[-1]
    return name.startswith("records")
