"""The SDK's front door: a plain JSON request, answered with a status and the body.

Event: ``{"action": "generate", "request": {...}, "session_id": "...", "requester":
"..."}`` (``request`` defaults to ``{}``; ``session_id`` to the Lambda request id;
``requester`` to ``direct``). Answer: ``{"status": 200, "body": {...}}``, the body being
the action's response, or ``{"error": {...}}`` with a 4xx or 5xx status.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from synthdata_sdk.cloud.actions import ACTIONS
from synthdata_sdk.cloud.dispatch import Handled, Outcome, ServicesProvider, failed, perform
from synthdata_sdk.cloud.failures import refuse
from synthdata_sdk.cloud.invocation import Invocation, checked_session_id, requester_label

#: the keys a direct request may have
KEYS = ("action", "request", "session_id", "requester")


def handle(event: object, context: Any, services: ServicesProvider, request_id: str) -> Handled:
    """The answer to a direct request; never raises."""
    invocation = Invocation("direct", request_id, "direct", request_id)
    try:
        if not isinstance(event, Mapping) or "action" not in event:
            raise refuse(
                400,
                "invalid_event",
                'expected {"action": "<action>", "request": {...}}, an action-group event '
                "or a gateway tool call",
            )
        unknown = [str(key) for key in event if key not in KEYS]
        if unknown:
            raise refuse(
                400,
                "invalid_request",
                f"unknown key {unknown[0][:80]!r}; expected any of {', '.join(KEYS)}",
                unknown[0][:80],
            )
        session = event.get("session_id")
        requester = event.get("requester")
        invocation = Invocation(
            "direct",
            request_id if session is None else checked_session_id(session),
            "direct" if requester is None else requester_label("direct", requester),
            request_id,
        )
        outcome = perform(event["action"], event.get("request", {}), invocation, services)
    except Exception as error:  # every failure is answered
        outcome = failed(error, invocation)
    return Handled(answer(outcome), outcome, _known(event))


def answer(outcome: Outcome) -> dict[str, Any]:
    """The direct answer: ``{"status": ..., "body": ...}``."""
    return {"status": outcome.status, "body": outcome.body}


def _known(event: object) -> str:
    action = event.get("action") if isinstance(event, Mapping) else None
    return action if isinstance(action, str) and action in ACTIONS else ""
