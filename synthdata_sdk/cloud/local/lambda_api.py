"""Lambda's Invoke API (``POST /2015-03-31/functions/{FunctionName}/invocations``) over the
action functions' handler, answered as boto3's ``lambda.invoke`` expects.

- ``FunctionName`` is the function's name, its ARN or partial ARN, with or without a
  qualifier; any qualifier runs the one version there is (``X-Amz-Executed-Version:
  $LATEST``). Another name is a 404 ``ResourceNotFoundException``.
- ``RequestResponse`` (the default) answers 200 with the handler's JSON. A function error
  (an exception the handler let through, or a value that is not JSON) is a 200 too, with
  ``X-Amz-Function-Error: Unhandled`` and the runtime's ``errorMessage``/``errorType``
  document, as Lambda does; boto3 returns it as ``FunctionError`` and ``Payload``.
- ``Event`` queues the call and answers 202 at once; queued calls run in order, one at a
  time. ``DryRun`` answers 204.
- ``X-Amz-Client-Context`` (base64 JSON) becomes ``context.client_context``: the AgentCore
  gateway's tool name travels there. ``X-Amz-Log-Type: Tail`` gets the START/END/REPORT
  lines in ``X-Amz-Log-Result``.
- A payload that is not JSON is a 400 ``InvalidRequestContentException``, one over 6 MB a
  413 ``RequestTooLargeException``; an answer over 6 MB is the function error
  ``Function.ResponseSizeTooLarge``. A call that waited for the function longer than its
  timeout is a 429 ``TooManyRequestsException`` (botocore retries it).
"""

from __future__ import annotations

import base64
import binascii
import json
import re
import time
from typing import Any
from urllib.parse import unquote

from werkzeug.wrappers import Request, Response

from synthdata_sdk.cloud.local.runner import ClientContext, FunctionBusyError, Result, Runner
from synthdata_sdk.cloud.local.wsgi import error, json_response, request_id

#: what Lambda takes and gives in one synchronous invocation
MAX_PAYLOAD = 6 * 1024 * 1024
_PATH = re.compile(r"/2015-03-31/functions/(?P<name>[^/]+)/invocations/?")
_ARN = re.compile(
    r"(?:arn:aws[a-z-]*:lambda:[a-z0-9-]+:)?(?:\d{12}:)?(?:function:)?"
    r"(?P<name>[A-Za-z0-9_-]+)(?::(?P<qualifier>[A-Za-z0-9$_-]+))?"
)


class LambdaApi:
    """The Invoke API of the one function ``runner`` runs."""

    service = "lambda"

    def __init__(self, runner: Runner) -> None:
        self.runner = runner

    def serves(self, method: str, path: str) -> bool:
        return method == "POST" and _PATH.fullmatch(path) is not None

    def respond(self, request: Request) -> Response:
        rid = request_id()
        found = _PATH.fullmatch(request.path)
        named = _ARN.fullmatch(unquote(found["name"])) if found else None
        function = self.runner.function
        if named is None or named["name"] != function.name:
            wanted = unquote(found["name"]) if found else request.path
            return error(
                404,
                "ResourceNotFoundException",
                f"Function not found: {wanted[:200]} (this stack serves {function.arn})",
                request=rid,
                Type="User",
            )
        kind = request.headers.get("X-Amz-Invocation-Type", "RequestResponse")
        if kind not in ("RequestResponse", "Event", "DryRun"):
            return error(
                400,
                "InvalidParameterValueException",
                f"InvocationType {kind[:40]!r} is not RequestResponse, Event or DryRun",
                request=rid,
                Type="User",
            )
        body = request.get_data(cache=False)
        if len(body) > MAX_PAYLOAD:
            return error(
                413,
                "RequestTooLargeException",
                f"Request must be smaller than {MAX_PAYLOAD} bytes for the InvokeFunction "
                "operation",
                request=rid,
                Type="User",
            )
        try:
            event = _parse_event(body) if body.strip() else {}
            client_context = _client_context(request.headers.get("X-Amz-Client-Context"))
        except _BadRequestError as bad:
            return error(400, bad.code, str(bad), request=rid, Type="User")
        context = self.runner.context(request_id=rid, client_context=client_context)
        if kind == "DryRun":
            return Response(status=204, headers={"x-amzn-RequestId": rid})
        if kind == "Event":
            self.runner.submit(event, context)
            return Response(status=202, headers={"x-amzn-RequestId": rid})
        started = time.perf_counter()
        try:
            result = self.runner.invoke(event, context)
        except FunctionBusyError as busy:
            return error(
                429,
                "TooManyRequestsException",
                f"Rate Exceeded. {busy}",
                request=rid,
                Type="User",
                Reason="ReservedFunctionConcurrentInvocationLimitExceeded",
            )
        result = _sized(result, rid)
        headers = {"X-Amz-Executed-Version": "$LATEST"}
        if result.error is not None:
            headers["X-Amz-Function-Error"] = "Unhandled"
        if request.headers.get("X-Amz-Log-Type") == "Tail":
            headers["X-Amz-Log-Result"] = _log_tail(rid, time.perf_counter() - started)
        return json_response(200, result.payload, headers, request=rid)


class _BadRequestError(ValueError):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


def _client_context(header: str | None) -> ClientContext | None:
    if not header:
        return None
    try:
        value: Any = json.loads(base64.b64decode(header, validate=True))
    except (binascii.Error, ValueError):
        raise _BadRequestError(
            "InvalidParameterValueException",
            "Client context must be a valid Base64-encoded JSON object.",
        ) from None
    if not isinstance(value, dict):
        raise _BadRequestError(
            "InvalidParameterValueException", "Client context must be a JSON object."
        )

    def part(key: str) -> dict[str, Any]:
        found = value.get(key)
        return dict(found) if isinstance(found, dict) else {}

    return ClientContext(custom=part("custom"), env=part("env"), client=part("client"))


def _parse_event(body: bytes) -> Any:
    try:
        return json.loads(body)
    except ValueError as bad:
        raise _BadRequestError(
            "InvalidRequestContentException", f"Could not parse request body into json: {bad}"
        ) from None


def _sized(result: Result, rid: str) -> Result:
    if len(result.payload) <= MAX_PAYLOAD:
        return result
    document = {
        "errorMessage": f"Response payload size ({len(result.payload)} bytes) exceeded maximum "
        f"allowed payload size ({MAX_PAYLOAD} bytes).",
        "errorType": "Function.ResponseSizeTooLarge",
        "requestId": rid,
    }
    return Result(json.dumps(document).encode("utf-8"), "Function.ResponseSizeTooLarge")


def _log_tail(rid: str, seconds: float) -> str:
    lines = (
        f"START RequestId: {rid} Version: $LATEST\n"
        f"END RequestId: {rid}\n"
        f"REPORT RequestId: {rid}\tDuration: {seconds * 1000:.2f} ms\n"
    )
    return base64.b64encode(lines.encode("utf-8")).decode("ascii")
