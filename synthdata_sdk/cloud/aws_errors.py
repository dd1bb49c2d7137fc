"""botocore's errors as synthdata's typed ``BackendError`` subclasses.

botocore has already retried throttling and 5xx answers by the time an error reaches us (the
client's retry configuration decides how often), so each error here is final: the message
names the call, what it reached, the service's code and message, what to do, and the AWS
request id to quote to support. An exception frame of an event stream (an agent's answer)
names its error in camel case (``throttlingException``) and carries no request id of its
own: the codes are compared with their first letter in upper case, and the caller passes the
id of the call that opened the stream.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from botocore.exceptions import (
    BotoCoreError,
    ClientError,
    ConnectionError,
    HTTPClientError,
    IncompleteReadError,
    NoCredentialsError,
    PartialCredentialsError,
)

from synthdata_sdk.errors import (
    BackendAccessError,
    BackendConflictError,
    BackendDependencyError,
    BackendError,
    BackendNotFoundError,
    BackendThrottledError,
    BackendUnavailableError,
    BackendValidationError,
)

_ACCESS = frozenset(
    {
        "AccessDenied",
        "AccessDeniedException",
        "AllAccessDisabled",
        "ExpiredToken",
        "ExpiredTokenException",
        "InvalidAccessKeyId",
        "InvalidClientTokenId",
        "KMS.AccessDeniedException",
        "KMS.DisabledException",
        "KMS.KMSInvalidStateException",
        "SignatureDoesNotMatch",
        "UnrecognizedClientException",
    }
)
_NOT_FOUND = frozenset({"NoSuchBucket", "ResourceNotFoundException", "KMS.NotFoundException"})
_VALIDATION = frozenset(
    {
        "InvalidParameterValueException",
        "InvalidRequestContentException",
        "RequestTooLargeException",
        "UnsupportedMediaTypeException",
        "ValidationException",
    }
)
#: what a service relies on failed: an agent's action function or model, a Lambda function's
#: own set-up (its network, its environment's KMS key, its code)
_DEPENDENCY = frozenset(
    {
        "BadGatewayException",
        "DependencyFailedException",
        "EC2UnexpectedException",
        "ENILimitReachedException",
        "InvalidRuntimeException",
        "InvalidZipFileException",
        "KMSAccessDeniedException",
        "KMSDisabledException",
        "KMSInvalidStateException",
        "KMSNotFoundException",
        "ModelNotReadyException",
        "ResourceNotReadyException",
        "SubnetIPAddressLimitReachedException",
    }
)
_UNAVAILABLE = frozenset(
    {"InternalFailure", "InternalServerException", "ServiceException", "ServiceUnavailable"}
)
_CONFLICT = frozenset({"ConflictException", "ResourceConflictException"})
_THROTTLED = frozenset(
    {
        "BandwidthLimitExceeded",
        "ProvisionedThroughputExceededException",
        "RequestLimitExceeded",
        "RequestThrottled",
        "RequestThrottledException",
        "ServiceQuotaExceededException",
        "SlowDown",
        "Throttling",
        "ThrottlingException",
        "TooManyRequestsException",
    }
)

_HINTS: dict[type[BackendError], str] = {
    BackendAccessError: (
        "the caller's credentials lack a permission this needs (see the IAM permissions in "
        "docs/aws.md; SSE-KMS also needs kms:GenerateDataKey and kms:Decrypt on the key)"
    ),
    BackendNotFoundError: "check the bucket or table name, the region and the endpoint URL",
    BackendThrottledError: "throttled through every retry: run fewer calls at once, or retry later",
    BackendUnavailableError: "the service kept failing through every retry; retry later",
    BackendValidationError: "the service refused the request as invalid; check the settings",
    BackendDependencyError: (
        "something the service relies on failed (the action function, the agent's model): "
        "its logs have the details"
    ),
}


def error_code(error: ClientError) -> str:
    """The service's error code of a ClientError (``NoSuchKey``, ``PreconditionFailed``...)."""
    return str(_dict(error.response.get("Error")).get("Code") or "")


def backend_error(
    error: BotoCoreError | ClientError, *, doing: str, resource: str, request_id: str = ""
) -> BackendError:
    """The typed error for a failed call: ``doing`` names the call (``S3 PutObject``) and
    ``resource`` what it reached (an S3 URI, a table); ``request_id`` is the AWS request id to
    name when the error does not carry one."""
    if isinstance(error, ClientError):
        return _client_error(error, doing=doing, resource=resource, request_id=request_id)
    if isinstance(error, NoCredentialsError | PartialCredentialsError):
        return BackendAccessError(
            f"{doing} {resource} failed: {error}; configure AWS credentials (environment, "
            "profile or role)",
            code=type(error).__name__,
            resource=resource,
        )
    if isinstance(error, ConnectionError | HTTPClientError | IncompleteReadError):
        hint = _HINTS[BackendUnavailableError]
        return BackendUnavailableError(
            f"{doing} {resource} failed: {error}; {hint}",
            code=type(error).__name__,
            resource=resource,
        )
    return BackendError(f"{doing} {resource} failed: {error}", code=type(error).__name__)


def _client_error(
    error: ClientError, *, doing: str, resource: str, request_id: str
) -> BackendError:
    code = error_code(error)
    details = _dict(error.response.get("Error"))
    meta = _dict(error.response.get("ResponseMetadata"))
    headers = _dict(meta.get("HTTPHeaders"))
    status = meta.get("HTTPStatusCode")
    request_id = str(
        meta.get("RequestId")
        or headers.get("x-amz-request-id")
        or headers.get("x-amzn-requestid")
        or request_id
    )
    kind = _kind(code, status if isinstance(status, int) else 0)
    text = f"{doing} {resource} failed: {code or status}"
    message = details.get("Message")
    if message:
        text += f": {message}"
    retries = meta.get("RetryAttempts")
    if isinstance(retries, int) and retries:
        text += f" (after {retries} retries)"
    if kind in _HINTS:
        text += f"; {_HINTS[kind]}"
    return kind(text, code=code, request_id=request_id, resource=resource)


def _kind(code: str, status: int) -> type[BackendError]:
    code = code[:1].upper() + code[1:]  # an event stream's frames say throttlingException
    if code in _ACCESS or status == 403:
        return BackendAccessError
    if code in _NOT_FOUND:
        return BackendNotFoundError
    if code in _THROTTLED or status == 429:
        return BackendThrottledError
    if code in _VALIDATION:
        return BackendValidationError
    if code in _DEPENDENCY:
        return BackendDependencyError
    if code in _CONFLICT:
        return BackendConflictError
    if code in _UNAVAILABLE or status >= 500:
        return BackendUnavailableError
    return BackendError


def _dict(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}
