"""The ``lambda`` backend: invoke the action function directly, then read the dataset from S3.

A request the function splits into partitions is answered ``running`` at once; the backend
then polls the session pointer until the last partition names the dataset (or a failed one
names the failure), for at most ``wait_timeout`` seconds (``result_wait.py``).

The function is invoked synchronously with a direct request (``cloud/direct.py``):
``{"action": "generate", "request": {...}, "session_id", "requester"}``, answered with
``{"status", "body"}``. The body names the dataset by fingerprint and S3 URI; the records
are then read from the configured bucket and verified (``remote.fetch_dataset``).
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from botocore.exceptions import BotoCoreError, ClientError

from synthdata_sdk.backends import Progress
from synthdata_sdk.cloud.aws_errors import backend_error
from synthdata_sdk.cloud.clients import backend_clients
from synthdata_sdk.cloud.remote import (
    REQUESTER,
    fetch_dataset,
    generate_request,
    new_session_id,
    required,
)
from synthdata_sdk.cloud.result_wait import DEFAULT_TIMEOUT, Waiting
from synthdata_sdk.cloud.s3_store import S3Store
from synthdata_sdk.errors import (
    BackendDependencyError,
    BackendError,
    BackendNotFoundError,
    BackendResultError,
    BackendUnavailableError,
    BackendValidationError,
)

if TYPE_CHECKING:
    from synthdata_sdk.backend_config import BackendConfig
    from synthdata_sdk.client import PreparedRequest
    from synthdata_sdk.dataset import Dataset

#: longest part of a function's error message quoted
_QUOTED = 500


class LambdaBackend:
    """Generation by the deployed action function, invoked directly."""

    name = "lambda"

    def __init__(
        self,
        lambda_client: Any,
        store: S3Store,
        function_name: str,
        *,
        wait_timeout: float = DEFAULT_TIMEOUT,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.client = lambda_client
        self.store = store
        self.function_name = function_name
        #: how long to wait for a request the function split into partitions, and how
        self.waiting = Waiting(wait_timeout, clock, sleep)

    def generate(
        self,
        prepared: PreparedRequest,
        *,
        workers: int = 1,
        progress: Progress | None = None,
        quality: bool = False,
    ) -> Dataset:
        """Invoke ``generate`` and return the stored dataset (``workers`` is the function's
        business); ``progress`` hears of all the rows at once, when they have arrived."""
        session_id = new_session_id()
        event = {
            "action": "generate",
            "request": generate_request(prepared, quality=quality),
            "session_id": session_id,
            "requester": REQUESTER,
        }
        answer, request_id = self._invoke(event)
        body = _answer_body(answer, self.function_name, request_id)
        if body.get("status") == "running":
            # split into partitions: the dataset is there once the session pointer names it
            pointer = self.waiting.until_stored(
                self.store,
                session_id,
                fingerprint=prepared.fingerprint,
                generation_id=str(body.get("generation_id")),
                via=f"the function {self.function_name}",
            )
            body = {"fingerprint": pointer["fingerprint"], "s3_uri": pointer.get("dataset")}
        return fetch_dataset(
            self.store,
            prepared,
            fingerprint=body.get("fingerprint"),
            uri=body.get("s3_uri"),
            via=f"the function {self.function_name}",
            request_id=request_id,
            progress=progress,
        )

    def _invoke(self, event: Mapping[str, Any]) -> tuple[Any, str]:
        """The function's answer (JSON) and the invocation's AWS request id."""
        try:
            response = self.client.invoke(
                FunctionName=self.function_name,
                InvocationType="RequestResponse",
                Payload=json.dumps(event, separators=(",", ":")).encode("utf-8"),
            )
            payload = response["Payload"].read()
        except (BotoCoreError, ClientError) as error:
            raise backend_error(
                error, doing="Lambda Invoke", resource=f"function {self.function_name}"
            ) from None
        request_id = str(response.get("ResponseMetadata", {}).get("RequestId", ""))
        try:
            answer = json.loads(payload)
        except (ValueError, RecursionError):
            answer = None
        if response.get("FunctionError"):
            raise _function_error(self.function_name, response["FunctionError"], answer, request_id)
        return answer, request_id


def from_config(config: BackendConfig) -> LambdaBackend:
    """The backend ``config`` describes (function, bucket, prefix, region, endpoint)."""
    lambda_client, s3 = backend_clients(config, "lambda", "s3")
    store = S3Store(s3, required(config, "bucket"), config.prefix)
    return LambdaBackend(lambda_client, store, required(config, "function_name"))


def _answer_body(answer: Any, function: str, request_id: str) -> dict[str, Any]:
    """The body of a 200 answer; the typed error of a refusal or of an answer of another shape."""
    if (
        not isinstance(answer, dict)
        or not isinstance(answer.get("status"), int)
        or not isinstance(answer.get("body"), dict)
    ):
        raise BackendResultError(
            f"the function {function} did not answer a direct request with "
            '{"status": ..., "body": {...}}: is it the synthdata action function?',
            code="unexpected_answer",
            request_id=request_id,
            resource=f"function {function}",
        )
    status: int = answer["status"]
    body: dict[str, Any] = answer["body"]
    if status == 200:
        return body
    found = body.get("error")
    error: dict[str, Any] = found if isinstance(found, dict) else {}
    code = str(error.get("code") or status)
    message = str(error.get("message") or "no message")[:_QUOTED]
    kind = _REFUSALS.get(status, BackendDependencyError if status >= 500 else BackendError)
    raise kind(
        f"the function {function} refused the request ({status} {code}): {message}",
        code=code,
        request_id=request_id,
        resource=f"function {function}",
    )


#: the action function's statuses as the SDK's errors (other 5xx: the function failed)
_REFUSALS: dict[int, type[BackendError]] = {
    400: BackendValidationError,
    404: BackendNotFoundError,
    413: BackendValidationError,
    422: BackendValidationError,
    503: BackendUnavailableError,
}


def _function_error(function: str, kind: str, answer: Any, request_id: str) -> BackendError:
    """A function that raised or timed out: Lambda answers its error type and message."""
    details = answer if isinstance(answer, dict) else {}
    error_type = str(details.get("errorType") or kind)
    message = str(details.get("errorMessage") or "no message")[:_QUOTED]
    return BackendDependencyError(
        f"the function {function} failed ({error_type}): {message}; its logs have the details",
        code=f"FunctionError:{error_type}",
        request_id=request_id,
        resource=f"function {function}",
    )
