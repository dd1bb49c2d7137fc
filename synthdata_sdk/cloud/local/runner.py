"""Running the action functions' handler in this process, one invocation at a time.

powertools keeps its Logger keys and pending metrics on process-wide objects, so two
invocations at once would mix them: the runner holds a lock around each call, as a function
with a reserved concurrency of 1 would run. A call waits for the one before it up to the
function's timeout, then gets a ``FunctionBusyError``, which the Lambda API answers with a 429.
Asynchronous (``Event``) invocations go to a queue that one worker thread runs in order,
under the same lock, after the answer 202 has gone out; so a function may invoke itself
asynchronously (a fan-out) without waiting for itself.

The handler's return value is marshalled to JSON here, as the Lambda runtime does: a value
that cannot be is a ``Runtime.MarshalError``, and an exception the handler lets through is
an unhandled function error carrying its type, message and stack.
"""

from __future__ import annotations

import json
import queue
import sys
import threading
import time
import traceback
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

Handler = Callable[[Any, Any], Any]


@dataclass(frozen=True)
class ClientContext:
    """The client context a caller passed (``X-Amz-Client-Context``), as the runtime gives it."""

    custom: Mapping[str, Any] = field(default_factory=dict)
    env: Mapping[str, Any] = field(default_factory=dict)
    client: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class LambdaContext:
    """The context object a Python Lambda handler receives, for one invocation."""

    function_name: str
    invoked_function_arn: str
    aws_request_id: str
    memory_limit_in_mb: int
    deadline: float
    function_version: str = "$LATEST"
    client_context: ClientContext | None = None
    identity: None = None

    @property
    def log_group_name(self) -> str:
        return f"/aws/lambda/{self.function_name}"

    @property
    def log_stream_name(self) -> str:
        return f"local/[$LATEST]{self.aws_request_id}"

    def get_remaining_time_in_millis(self) -> int:
        """Milliseconds left before the function's timeout (not enforced here)."""
        return max(0, int((self.deadline - time.monotonic()) * 1000))


@dataclass(frozen=True)
class Result:
    """One invocation's answer: the JSON payload, and ``error`` (its type) for a function
    error (then the payload is the runtime's error document)."""

    payload: bytes
    error: str | None = None

    def value(self) -> Any:
        """The payload, parsed."""
        return json.loads(self.payload)


class FunctionBusyError(Exception):
    """Another invocation held the function for longer than its timeout."""


@dataclass(frozen=True)
class Function:
    """The served function: its name, ARN, memory and timeout (seconds)."""

    name: str
    arn: str
    memory_mb: int = 1024
    timeout: float = 900.0


class Runner:
    """Calls ``handler`` for ``function``, one invocation at a time."""

    def __init__(self, function: Function, handler: Handler) -> None:
        self.function = function
        self.handler = handler
        self._lock = threading.Lock()
        self._events: queue.Queue[tuple[Any, LambdaContext] | None] = queue.Queue()
        self._worker = threading.Thread(
            target=self._run_events, name="synthdata-local-events", daemon=True
        )
        self._worker.start()

    def context(
        self, *, request_id: str | None = None, client_context: ClientContext | None = None
    ) -> LambdaContext:
        """A fresh context for one invocation."""
        return LambdaContext(
            function_name=self.function.name,
            invoked_function_arn=self.function.arn,
            aws_request_id=request_id or str(uuid.uuid4()),
            memory_limit_in_mb=self.function.memory_mb,
            deadline=time.monotonic() + self.function.timeout,
            client_context=client_context,
        )

    def invoke(self, event: Any, context: LambdaContext) -> Result:
        """Run the handler on ``event`` now, after a running invocation ends;
        ``FunctionBusyError`` if that one does not end within the function's timeout."""
        if not self._lock.acquire(timeout=self.function.timeout):
            raise FunctionBusyError(
                f"{self.function.name} was busy for {self.function.timeout:g} s"
            )
        try:
            return self._call(event, context)
        finally:
            self._lock.release()

    def submit(self, event: Any, context: LambdaContext) -> None:
        """Queue an asynchronous invocation; it runs after the ones queued before it."""
        self._events.put((event, context))

    def wait_for_events(self) -> None:
        """Return once every queued asynchronous invocation has run."""
        self._events.join()

    def close(self) -> None:
        """Stop the worker after the invocation it is running; queued ones are dropped."""
        while True:
            try:
                self._events.get_nowait()
                self._events.task_done()
            except queue.Empty:
                break
        self._events.put(None)
        self._worker.join()

    def _run_events(self) -> None:
        while True:
            item = self._events.get()
            try:
                if item is None:
                    return
                event, context = item
                result = self.invoke(event, context)
                if result.error is not None:
                    # nobody waits for an asynchronous answer: say it where the stack's
                    # operator sees it, as CloudWatch would hold it
                    sys.stderr.write(
                        f"asynchronous invocation {context.aws_request_id} of "
                        f"{self.function.name} failed: {result.error}\n"
                    )
            except FunctionBusyError as error:
                sys.stderr.write(f"asynchronous invocation dropped: {error}\n")
            finally:
                self._events.task_done()

    def _call(self, event: Any, context: LambdaContext) -> Result:
        try:
            value = self.handler(event, context)
        except Exception as error:  # the function's failure is its caller's answer
            return _unhandled(error, context.aws_request_id)
        try:
            return Result(json.dumps(value, separators=(",", ":")).encode("utf-8"))
        except (TypeError, ValueError) as error:
            document = {
                "errorMessage": f"Unable to marshal response: {error}",
                "errorType": "Runtime.MarshalError",
                "requestId": context.aws_request_id,
                "stackTrace": [],
            }
            return Result(json.dumps(document).encode("utf-8"), "Runtime.MarshalError")


def _unhandled(error: Exception, request_id: str) -> Result:
    """The runtime's answer to an exception the handler did not handle."""
    document = {
        "errorMessage": str(error),
        "errorType": type(error).__name__,
        "requestId": request_id,
        "stackTrace": traceback.format_tb(error.__traceback__),
    }
    return Result(json.dumps(document).encode("utf-8"), type(error).__name__)
