"""The Lambda entry point: one handler, three front doors, chosen by the event's shape.

- a gateway tool call: the Lambda context names a tool (``gateway``);
- a partition of a fanned-out generate request, sent by the function to itself
  (``partition``, see ``fanout``);
- an action-group event: ``messageVersion`` and ``apiPath`` or ``actionGroup`` (``agent``);
- anything else is taken as a direct request, ``{"action": ..., "request": {...}}``
  (``direct``), and refused with a 400 if it is not one.

The same request gives the same body through every door. ``lambda_handler`` reads its
storage settings from the environment on first use; ``make_handler(services)`` makes a
handler over other services (tests, the local stack).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from typing import Any, cast

from synthdata_sdk.cloud import direct, gateway
from synthdata_sdk.cloud.agent import AgentDoor, agent_response
from synthdata_sdk.cloud.dispatch import Handled, Outcome, ServicesProvider, failed
from synthdata_sdk.cloud.fanout import PartitionInProgressError
from synthdata_sdk.cloud.invocation import Invocation, request_id_of
from synthdata_sdk.cloud.observability import logger, metrics, record, tracer
from synthdata_sdk.cloud.partitions import PARTITION_KEY
from synthdata_sdk.cloud.services import Services, services_from_env

Handler = Callable[[Any, Any], Any]


def door_of(event: object, context: Any) -> str:
    """Which front door ``event`` came in by: ``gateway``, ``agent`` or ``direct``."""
    if gateway.tool_name(context) is not None:
        return "gateway"
    if isinstance(event, Mapping) and PARTITION_KEY in event:
        return "partition"
    if (
        isinstance(event, Mapping)
        and "messageVersion" in event
        and ("apiPath" in event or "actionGroup" in event)
    ):
        return "agent"
    return "direct"


def make_handler(services: Services | ServicesProvider | None = None) -> Handler:
    """A Lambda handler over ``services`` (by default, those of the environment, made once)."""
    provider = _provider(services)
    agent = AgentDoor()

    def answer(door: str, event: Any, context: Any, request_id: str) -> Handled:
        if door == "partition":
            return _partition(event, context, provider)
        if door == "agent":
            return agent.handle(event, context, provider, request_id)
        if door == "gateway":
            return gateway.handle(event, context, provider, request_id)
        return direct.handle(event, context, provider, request_id)

    @tracer.capture_lambda_handler(capture_response=False, capture_error=False)
    @metrics.log_metrics
    def handle(event: Any, context: Any) -> Any:
        started = time.perf_counter()
        door = door_of(event, context)
        # every log line of this call names the id a 5xx answer quotes
        request_id = request_id_of(context)
        logger.append_keys(request_id=request_id)
        try:
            try:
                handled = answer(door, event, context, request_id)
            except PartitionInProgressError:
                raise  # Lambda delivers the event again later
            except Exception as error:  # a door's own bug: still an answer in its format
                handled = _last_resort(door, event, request_id, error)
            record(
                door=door,
                action=handled.action,
                status=handled.outcome.status,
                body=handled.outcome.body,
                duration_ms=(time.perf_counter() - started) * 1000,
            )
        finally:
            logger.remove_keys(["request_id"])
        return handled.response

    return cast(Handler, handle)


def _provider(services: Services | ServicesProvider | None) -> ServicesProvider:
    if isinstance(services, Services):
        given = services
        return lambda: given
    if services is not None:
        return services
    made: list[Services] = []

    def from_env() -> Services:
        if not made:
            made.append(services_from_env())
        return made[0]

    return from_env


def _partition(event: Any, context: Any, provider: ServicesProvider) -> Handled:
    """Run one partition of a fanned-out request (nobody waits for its answer)."""
    opener = provider().fan_out
    if opener is None:
        outcome = Outcome(400, {"status": "unsupported", "error": "this function has no fan-out"})
    else:
        answer = opener().run(event, context)
        outcome = Outcome(200 if answer.get("status") != "failed" else 500, answer)
    return Handled(direct.answer(outcome), outcome, "generate_partition")


def _last_resort(door: str, event: Any, request_id: str, error: Exception) -> Handled:
    outcome = failed(error, Invocation(door, request_id, door, request_id))
    if door == "agent":
        return Handled(agent_response(event, outcome, None), outcome, "")
    if door == "gateway":
        return Handled(outcome.body, outcome, "")
    return Handled(direct.answer(outcome), outcome, "")


lambda_handler = make_handler()
