"""Structured logs, EMF metrics and traces of the action functions (aws-lambda-powertools).

What is logged is chosen field by field: the door, the action, the status and error code,
and for a dataset its fingerprint and row count. Never a request (a schema's ``const`` and
``enum`` values may be secrets, and a message may quote them), a generated value, or an
exception's text: an unexpected failure is logged as its type and stack frames only.
Tracing is off where ``POWERTOOLS_TRACE_DISABLED`` is set (the tests set it).
"""

from __future__ import annotations

import os
import traceback
from collections.abc import Mapping
from typing import Any

from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.metrics import MetricUnit

from synthdata_sdk.errors import BackendError

SERVICE = "synthdata-actions"
NAMESPACE = "synthdata"
#: stack frames logged for an unexpected failure, innermost last
STACK_FRAMES = 12

logger = Logger(service=SERVICE)
metrics = Metrics(namespace=os.environ.get("POWERTOOLS_METRICS_NAMESPACE", NAMESPACE))
tracer = Tracer(service=SERVICE)


def log_internal_error(error: BaseException) -> None:
    """Log an unexpected failure by type and stack frames (its text may quote the request);
    a storage failure also by the service's error code, resource and AWS request id."""
    frames = traceback.format_tb(error.__traceback__)[-STACK_FRAMES:]
    fields: dict[str, Any] = {
        "error_type": type(error).__name__,
        "stack": [frame.rstrip() for frame in frames],
    }
    if isinstance(error, BackendError):
        fields.update(
            aws_error_code=error.code, aws_request_id=error.request_id, resource=error.resource
        )
    logger.error("action failed", extra=fields)


def record(
    *, door: str, action: str, status: int, body: Mapping[str, Any], duration_ms: float
) -> None:
    """One log line and the metrics of a finished call; ``action`` is a known name or ''."""
    error = body.get("error") if status >= 400 else None
    fields: dict[str, Any] = {
        "door": door,
        "action": action or "unknown",
        "status": status,
        "duration_ms": round(duration_ms, 1),
    }
    if isinstance(error, Mapping):
        fields["error_code"] = error.get("code")
        fields["error_field"] = error.get("field")
    for key in ("fingerprint", "rows", "reused"):
        if key in body and not isinstance(body[key], (dict, list)):
            fields[key] = body[key]
    logger.info("action finished", extra=fields)

    metrics.add_dimension(name="action", value=action or "unknown")
    metrics.add_dimension(name="door", value=door)
    metrics.add_metric(name="Duration", unit=MetricUnit.Milliseconds, value=duration_ms)
    metrics.add_metric(name="Failures", unit=MetricUnit.Count, value=1 if status >= 400 else 0)
    if action == "generate" and status == 200:
        metrics.add_metric(name="Rows", unit=MetricUnit.Count, value=int(body.get("rows", 0)))
        metrics.add_metric(
            name="CacheHits", unit=MetricUnit.Count, value=1 if body.get("reused") else 0
        )
