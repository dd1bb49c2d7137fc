"""Running a named action on a JSON request: the path the gateway and direct doors share."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from synthdata_sdk.cloud.actions import ACTIONS
from synthdata_sdk.cloud.failures import failure_of, refuse
from synthdata_sdk.cloud.invocation import Invocation
from synthdata_sdk.cloud.observability import log_internal_error
from synthdata_sdk.cloud.services import Services

#: the services, made on first use (the deployed function reads its environment then)
ServicesProvider = Callable[[], Services]


@dataclass(frozen=True)
class Outcome:
    """What a call answered: an HTTP-style status and the body every door carries."""

    status: int
    body: dict[str, Any]


@dataclass(frozen=True)
class Handled:
    """A door's answer: the ``response`` to return, its ``outcome``, the action it ran."""

    response: Any
    outcome: Outcome
    action: str


def perform(
    name: object, arguments: object, invocation: Invocation, services: ServicesProvider
) -> Outcome:
    """Validate ``arguments`` for the action ``name``, run it, and answer; never raises."""
    try:
        action = ACTIONS.get(name) if isinstance(name, str) else None
        if action is None:
            raise refuse(
                404,
                "unknown_action",
                f"unknown action {str(name)[:80]!r}; expected one of {', '.join(ACTIONS)}",
                "action",
            )
        if not isinstance(arguments, Mapping):
            raise refuse(
                400,
                "invalid_request",
                f"expected the request as a JSON object, got {type(arguments).__name__}",
                "request",
            )
        request = action.request.model_validate(dict(arguments))
        response = action.run(request, invocation, services())
        return Outcome(200, response.model_dump(mode="json"))
    except Exception as error:  # every failure is answered: a caller never sees a traceback
        return failed(error, invocation)


def failed(error: BaseException, invocation: Invocation) -> Outcome:
    """The answer to ``error``; an unexpected one is logged (type and frames only)."""
    failure = failure_of(error, invocation.request_id)
    if failure.status >= 500:
        log_internal_error(error)
    return Outcome(failure.status, failure.body())
