"""The local stack's one endpoint: Lambda Invoke and InvokeAgent here, every other call to moto.

A request goes to an API of ours when its method and path are that API's and it is signed
for that API's service (or not signed at all); anything else (S3 in path style, DynamoDB,
KMS...) goes to moto's own dispatcher, which tells the services apart by the signature.
The errors our APIs answer are AWS's REST-JSON errors: the code in ``x-amzn-ErrorType``
and ``{"message": ...}`` in the body, as botocore parses them into a ``ClientError``.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Iterable, Mapping
from typing import Any, Protocol

from werkzeug.wrappers import Request, Response

WSGIApp = Any  # (environ, start_response) -> Iterable[bytes]
_SCOPE = re.compile(r"Credential=[^/,]*/[^/,]*/[^/,]*/(?P<service>[^/,]+)/aws4_request")


class Api(Protocol):
    """One API the stack serves itself."""

    #: the signing name its requests carry (``lambda``, ``bedrock``)
    service: str

    def serves(self, method: str, path: str) -> bool:
        """Whether a request of ``method`` to ``path`` is one of this API's."""
        ...

    def respond(self, request: Request) -> Response:
        """The answer to ``request``."""
        ...


class Dispatcher:
    """The WSGI application of the stack: ``apis`` first, then ``fallback`` (moto)."""

    def __init__(self, apis: Iterable[Api], fallback: WSGIApp) -> None:
        self.apis = tuple(apis)
        self.fallback = fallback

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        method = str(environ.get("REQUEST_METHOD", ""))
        path = str(environ.get("PATH_INFO", ""))
        service = signing_service(environ.get("HTTP_AUTHORIZATION"))
        for api in self.apis:
            if service in (None, api.service) and api.serves(method, path):
                response = api.respond(Request(environ))
                return response(environ, start_response)
        return self.fallback(environ, start_response)  # type: ignore[no-any-return]


def signing_service(authorization: object) -> str | None:
    """The service a SigV4 ``Authorization`` header was signed for, or None."""
    if not isinstance(authorization, str):
        return None
    found = _SCOPE.search(authorization)
    return found["service"].lower() if found else None


def request_id() -> str:
    """A fresh AWS-style request id."""
    return str(uuid.uuid4())


def error(
    status: int, code: str, message: str, *, request: str | None = None, **members: Any
) -> Response:
    """An AWS REST-JSON error answer: ``code`` in ``x-amzn-ErrorType``, ``message`` in the body."""
    body = {"message": message, **members}
    return json_response(status, body, {"x-amzn-ErrorType": code}, request=request)


def json_response(
    status: int,
    body: object,
    headers: Mapping[str, str] | None = None,
    *,
    request: str | None = None,
) -> Response:
    """A JSON answer with the request id botocore reports as ``ResponseMetadata.RequestId``."""
    payload = body if isinstance(body, bytes) else json.dumps(body).encode("utf-8")
    return Response(
        payload,
        status=status,
        headers={"x-amzn-RequestId": request or request_id(), **(headers or {})},
        content_type="application/json",
    )
