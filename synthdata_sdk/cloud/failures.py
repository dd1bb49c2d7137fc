"""What went wrong with a request, as a status, a code and a message a caller can relay.

Every front door answers a failed request with the same body, ``{"error": {"status",
"code", "message", "field"}}``: 4xx when the request is at fault (the message says what to
change), 5xx when the function is (the message names the request id, never a stack trace
or an exception's text, which may quote the request).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from synthdata_sdk.cloud.config import ConfigurationError
from synthdata_sdk.errors import (
    BackendAccessError,
    BackendNotFoundError,
    BackendThrottledError,
    BackendUnavailableError,
    ComplianceError,
    CorruptCacheError,
    LimitError,
    RequestError,
    SchemaError,
    SynthDataError,
)
from synthdata_sdk.options import OptionError

#: longest message relayed; a schema error can quote a long expectation
MAX_MESSAGE = 2000
#: validation problems listed in one message
MAX_PROBLEMS = 5
#: what a location in a validation error starts with, for where the value came from
_LOCATION_ROOTS = frozenset({"body", "path", "query"})


@dataclass(frozen=True)
class Failure:
    """A failed request: HTTP-style ``status``, a stable ``code``, and what to do about it."""

    status: int
    code: str
    message: str
    field: str | None = None

    def body(self) -> dict[str, Any]:
        """The response body every front door gives for this failure."""
        return {
            "error": {
                "status": self.status,
                "code": self.code,
                "message": self.message[:MAX_MESSAGE],
                "field": self.field,
            }
        }


class ActionError(SynthDataError):
    """An action refuses a request; carries the ``Failure`` to answer with."""

    def __init__(self, failure: Failure) -> None:
        self.failure = failure
        super().__init__(failure.message)


def refuse(status: int, code: str, message: str, field: str | None = None) -> ActionError:
    """An ``ActionError`` to raise: ``raise refuse(404, "not_found", "...")``."""
    return ActionError(Failure(status, code, message, field))


def invalid_request(problems: Sequence[Mapping[str, Any]]) -> Failure:
    """A 400 for pydantic-style validation problems (``loc`` and ``msg``; inputs left out)."""
    parts: list[str] = []
    fields: list[str] = []
    for problem in problems[:MAX_PROBLEMS]:
        where = [str(part) for part in problem.get("loc", ())]
        if where and where[0] in _LOCATION_ROOTS:
            where = where[1:]
        name = ".".join(where) or "request"
        fields.append(name)
        message = str(problem.get("msg", "invalid value")).removeprefix("Value error, ")
        parts.append(f"{name}: {message}")
    if len(problems) > MAX_PROBLEMS:
        parts.append(f"and {len(problems) - MAX_PROBLEMS} more")
    return Failure(400, "invalid_request", "; ".join(parts) or "invalid request", fields[0])


def failure_of(error: BaseException, request_id: str) -> Failure:
    """The failure to answer ``error`` with; anything unexpected is a 500 naming ``request_id``."""
    if isinstance(error, ActionError):
        return error.failure
    if isinstance(error, ValidationError):
        # include_input=False: an input may be the request's schema
        return invalid_request(error.errors(include_input=False, include_url=False))
    if isinstance(error, LimitError):
        return Failure(413, "limit_exceeded", str(error), "json_schema")
    if isinstance(error, RecursionError):
        return Failure(413, "limit_exceeded", "the request is nested too deeply to read")
    if isinstance(error, OptionError):
        return Failure(400, "invalid_request", str(error), error.option)
    if isinstance(error, SchemaError):
        return Failure(422, "invalid_schema", str(error), "json_schema")
    if isinstance(error, ComplianceError):
        return Failure(422, "compliance_violation", str(error), "json_schema")
    if isinstance(error, RequestError):
        return Failure(400, "invalid_request", str(error))
    if isinstance(error, ConfigurationError):
        return Failure(500, "not_configured", f"the function is not configured: {error}")
    # storage failures: what the caller can do, and the id that finds the details in the logs
    where = f"(request id {request_id})"
    if isinstance(error, (BackendThrottledError, BackendUnavailableError)):
        return Failure(
            503, "storage_unavailable", f"the dataset store is busy or unreachable; retry {where}"
        )
    if isinstance(error, (BackendAccessError, BackendNotFoundError)):
        return Failure(500, "not_configured", f"the function cannot use its storage {where}")
    if isinstance(error, CorruptCacheError):
        return Failure(
            500,
            "corrupt_dataset",
            f"the stored dataset {error.fingerprint} fails verification {where}",
            "fingerprint",
        )
    return Failure(
        500,
        "internal_error",
        f"internal error (request id {request_id}); the function's logs have the details",
    )
