"""What the action-function tests share: a dict-backed store, and events for each door."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from types import SimpleNamespace
from typing import Any

from synthdata_sdk.cloud.agent import ROUTES
from synthdata_sdk.cloud.agent_input import SESSION_KEY
from synthdata_sdk.cloud.config import ActionLimits
from synthdata_sdk.cloud.observability import logger
from synthdata_sdk.cloud.services import Services, StoredDataset
from synthdata_sdk.dataset import Dataset

URI = "s3://test-bucket/synthdata/datasets/{}/"


class MemoryStore:
    """Stands in for S3 and the history table: datasets by fingerprint, session pointers."""

    def __init__(self) -> None:
        self.datasets: dict[str, Dataset] = {}
        self.sessions: dict[str, str] = {}
        self.requesters: list[str] = []

    def publish(self, dataset: Dataset, *, session_id: str, requester: str) -> dict[str, Any]:
        reused = dataset.fingerprint in self.datasets
        self.datasets.setdefault(dataset.fingerprint, dataset)
        self.sessions[session_id] = dataset.fingerprint
        self.requesters.append(requester)
        return {"s3_uri": URI.format(dataset.fingerprint), "reused": reused}

    def lookup(self, fingerprint: str) -> StoredDataset | None:
        dataset = self.datasets.get(fingerprint)
        return None if dataset is None else StoredDataset(URI.format(fingerprint), dataset.manifest)

    def load(self, fingerprint: str) -> Dataset | None:
        return self.datasets.get(fingerprint)

    def services(self, max_rows: int = 1_000) -> Services:
        return Services(self.publish, self.lookup, self.load, ActionLimits(max_rows=max_rows))


def lambda_context(request_id: str = "req-1") -> SimpleNamespace:
    """A Lambda context as the runtime passes it (the parts the handler reads)."""
    return SimpleNamespace(
        aws_request_id=request_id,
        function_name="synthdata-actions",
        client_context=None,
    )


def gateway_context(tool: str, target: str = "synthdata", request_id: str = "req-1") -> Any:
    """A Lambda context as an AgentCore gateway passes it: the tool named in client context."""
    context = lambda_context(request_id)
    context.client_context = SimpleNamespace(
        custom={"bedrockAgentCoreToolName": f"{target}___{tool}"}
    )
    return context


def agent_event(
    action: str,
    arguments: Mapping[str, str] | None = None,
    *,
    session_attributes: Mapping[str, str] | None = None,
    session_id: str = "session-1",
) -> dict[str, Any]:
    """An action-group event (OpenAPI variant) calling ``action`` with string ``arguments``."""
    route = ROUTES[action]
    arguments = dict(arguments or {})
    event: dict[str, Any] = {
        "messageVersion": "1.0",
        "agent": {"name": "synthdata", "id": "AGENT1", "alias": "ALIAS1", "version": "1"},
        "inputText": "make me some customers",
        "sessionId": session_id,
        "actionGroup": "synthdata",
        "apiPath": route.path,
        "httpMethod": route.method,
        "parameters": [
            {"name": name, "type": "string", "value": arguments.pop(name)}
            for name in route.params
            if name in arguments
        ],
        "sessionAttributes": dict(session_attributes or {}),
        "promptSessionAttributes": {},
    }
    if route.method == "POST":
        properties = [{"name": k, "type": "string", "value": v} for k, v in arguments.items()]
        event["requestBody"] = {"content": {"application/json": {"properties": properties}}}
    return event


def as_agent_strings(request: Mapping[str, Any]) -> dict[str, str]:
    """A request's values as an agent sends them: strings, JSON for anything else."""
    return {k: v if isinstance(v, str) else json.dumps(v) for k, v in request.items()}


def structured(action: str, request: Mapping[str, Any]) -> dict[str, str]:
    """Session attributes carrying ``request`` as the structured request."""
    return {SESSION_KEY: json.dumps({"action": action, "request": dict(request)})}


def agent_answer(response: Mapping[str, Any]) -> tuple[int, dict[str, Any]]:
    """(status, body) of an action-group response."""
    answer = response["response"]
    return answer["httpStatusCode"], json.loads(answer["responseBody"]["application/json"]["body"])


def gateway_answer(response: Mapping[str, Any]) -> tuple[int, dict[str, Any]]:
    """(status, body) of a gateway answer: the body, whose error names the status."""
    error = response.get("error")
    return (error["status"] if isinstance(error, Mapping) else 200), dict(response)


def direct_answer(response: Mapping[str, Any]) -> tuple[int, dict[str, Any]]:
    """(status, body) of a direct answer."""
    return response["status"], response["body"]


@contextmanager
def captured_logs() -> Iterator[io.StringIO]:
    """The function's log lines while the block runs, formatted as in CloudWatch."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logger.registered_formatter)
    logger.addHandler(handler)
    try:
        yield stream
    finally:
        logger.removeHandler(handler)
