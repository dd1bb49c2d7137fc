"""The ``agent`` backend: ask a Bedrock agent to generate, then read its result from S3.

The request travels as a structured request in the session attribute ``synthdata_request``
(``cloud/agent_input.py``), which the action function takes over anything the agent's model
filled in. The agent's answer is an event stream: text chunks (kept only to quote in an
error), trace events (kept in ``last_trace`` when ``trace`` is on), a ``returnControl``
frame (the action group hands control back instead of calling the function: an error), and
exception frames, raised by botocore as the stream is read and turned into the SDK's typed
errors with the call's request id. What was generated is then found through the session
pointer the function wrote for this call's fresh session id, never through the agent's
text, and must have the fingerprint this process computed.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from botocore.exceptions import BotoCoreError, ClientError

from synthdata_sdk.backends import Progress
from synthdata_sdk.cloud.agent_input import SESSION_KEY
from synthdata_sdk.cloud.aws_errors import backend_error
from synthdata_sdk.cloud.clients import backend_clients
from synthdata_sdk.cloud.pointer import RUNNING, pointer_key, read_pointer
from synthdata_sdk.cloud.remote import fetch_dataset, generate_request, new_session_id, required
from synthdata_sdk.cloud.result_wait import DEFAULT_TIMEOUT, Waiting
from synthdata_sdk.cloud.s3_store import S3Store
from synthdata_sdk.errors import BackendResultError, CacheError

if TYPE_CHECKING:
    from synthdata_sdk.backend_config import BackendConfig
    from synthdata_sdk.client import PreparedRequest
    from synthdata_sdk.dataset import Dataset

logger = logging.getLogger(__name__)

#: what the agent is asked; the structured request says what exactly
PROMPT = (
    "Generate the synthetic dataset described by the structured request in the session "
    f"attribute {SESSION_KEY} with the generate operation, then say where it is stored."
)
#: longest part of the agent's text quoted in an error
_QUOTED = 300


@dataclass(frozen=True)
class Completion:
    """What an agent's answer stream held: its text, and its trace events (when asked)."""

    text: str
    traces: tuple[dict[str, Any], ...]


class AgentBackend:
    """Generation through a Bedrock agent whose action group is the synthdata function."""

    name = "agent"

    def __init__(
        self,
        runtime_client: Any,
        store: S3Store,
        agent_id: str,
        agent_alias_id: str,
        *,
        trace: bool = False,
        wait_timeout: float = DEFAULT_TIMEOUT,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.client = runtime_client
        self.store = store
        self.agent_id = agent_id
        self.agent_alias_id = agent_alias_id
        self.trace = trace
        #: how long to wait for a request the function split into partitions, and how
        self.waiting = Waiting(wait_timeout, clock, sleep)
        #: the trace events of the last answer (empty unless ``trace``)
        self.last_trace: tuple[dict[str, Any], ...] = ()

    @property
    def resource(self) -> str:
        """The agent and alias, for messages."""
        return f"agent {self.agent_id} alias {self.agent_alias_id}"

    def generate(
        self,
        prepared: PreparedRequest,
        *,
        workers: int = 1,
        progress: Progress | None = None,
        quality: bool = False,
    ) -> Dataset:
        """Ask the agent to generate, and return the dataset its session points at."""
        session_id = new_session_id()
        structured = {"action": "generate", "request": generate_request(prepared, quality=quality)}
        try:
            response = self.client.invoke_agent(
                agentId=self.agent_id,
                agentAliasId=self.agent_alias_id,
                sessionId=session_id,
                inputText=PROMPT,
                enableTrace=self.trace,
                sessionState={
                    "sessionAttributes": {
                        SESSION_KEY: json.dumps(structured, separators=(",", ":"))
                    }
                },
            )
        except (BotoCoreError, ClientError) as error:
            raise backend_error(
                error, doing="Bedrock InvokeAgent", resource=self.resource
            ) from None
        request_id = str(response.get("ResponseMetadata", {}).get("RequestId", ""))
        completion = read_completion(
            response["completion"], resource=self.resource, request_id=request_id
        )
        self.last_trace = completion.traces
        pointer = self._pointer(session_id, completion, request_id)
        if pointer.get("status") == RUNNING:
            # split into partitions: the dataset is there once the pointer names it done
            pointer = dict(
                self.waiting.until_stored(
                    self.store,
                    session_id,
                    fingerprint=prepared.fingerprint,
                    generation_id=str(pointer.get("generation_id")),
                    via=self.resource,
                )
            )
        return fetch_dataset(
            self.store,
            prepared,
            fingerprint=pointer.get("fingerprint"),
            uri=pointer.get("dataset"),
            via=f"the session pointer of {self.resource}",
            request_id=request_id,
            progress=progress,
        )

    def _pointer(self, session_id: str, completion: Completion, request_id: str) -> dict[str, Any]:
        """The session's pointer; BackendResultError quoting the agent when there is none."""
        where = self.store.objects.uri(pointer_key(self.store, session_id))
        try:
            pointer = read_pointer(self.store, session_id)
        except CacheError as error:
            raise BackendResultError(
                f"the session pointer {where} cannot be read: {error}",
                code="bad_pointer",
                request_id=request_id,
                resource=where,
            ) from None
        if pointer is None:
            said = " ".join(completion.text.split())[:_QUOTED]
            raise BackendResultError(
                f"{self.resource} answered without generating a dataset: there is no session "
                f"pointer at {where} (the agent did not call generate, the function refused "
                "the request, or it stores datasets in another bucket or prefix than this "
                f"client reads); the agent said: {said!r}",
                code="no_pointer",
                request_id=request_id,
                resource=where,
            )
        return pointer


def read_completion(
    events: Iterable[dict[str, Any]], *, resource: str, request_id: str
) -> Completion:
    """Read an InvokeAgent answer stream to its end; typed errors for what ends it early."""
    text: list[str] = []
    traces: list[dict[str, Any]] = []
    try:
        for event in events:
            if "chunk" in event:
                data = event["chunk"].get("bytes") or b""
                text.append(data.decode("utf-8", "replace"))
            elif "trace" in event:
                traces.append(event["trace"])
                logger.debug("%s trace: %s", resource, event["trace"])
            elif "returnControl" in event:
                raise BackendResultError(
                    f"{resource} handed control back to the caller (returnControl) instead of "
                    "calling the action function: define the action group with the synthdata "
                    "function as its executor, not RETURN_CONTROL",
                    code="returnControl",
                    request_id=request_id,
                    resource=resource,
                )
            # other frames (files, and any a newer API adds) say nothing about the dataset
    except (BotoCoreError, ClientError) as error:
        # an exception frame mid-stream, or the connection dropping
        raise backend_error(
            error,
            doing="Bedrock InvokeAgent (answer stream)",
            resource=resource,
            request_id=request_id,
        ) from None
    finally:
        close = getattr(events, "close", None)
        if callable(close):
            close()
    return Completion("".join(text), tuple(traces))


def from_config(config: BackendConfig) -> AgentBackend:
    """The backend ``config`` describes (agent, alias, bucket, prefix, region, endpoint)."""
    runtime, s3 = backend_clients(config, "bedrock-agent-runtime", "s3")
    return AgentBackend(
        runtime,
        S3Store(s3, required(config, "bucket"), config.prefix),
        required(config, "agent_id"),
        required(config, "agent_alias_id"),
        trace=config.trace,
    )
