"""AWS failures become typed errors naming what was reached and the AWS request id."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from botocore.awsrequest import AWSResponse
from botocore.exceptions import EndpointConnectionError, NoCredentialsError
from botocore.stub import Stubber

from synthdata_sdk.cloud.aws_errors import backend_error
from synthdata_sdk.cloud.history import GenerationHistory
from synthdata_sdk.cloud.s3_objects import S3Objects
from synthdata_sdk.cloud.s3_store import S3Store
from synthdata_sdk.errors import (
    BackendAccessError,
    BackendError,
    BackendNotFoundError,
    BackendThrottledError,
    BackendUnavailableError,
    SynthDataError,
)
from tests.cloud.conftest import PREFIX

FINGERPRINT = "ab" * 32


class _Raw:
    """The raw body of a canned HTTP answer."""

    def __init__(self, data: bytes) -> None:
        self.data = data

    def stream(self, **_: Any) -> Any:
        yield self.data

    def read(self, *_: Any, **__: Any) -> bytes:
        return self.data


def answer_every(s3: Any, operation: str, status: int, code: str) -> list[str]:
    """Make every ``operation`` call get an S3 error answer over "HTTP" (so botocore's retries
    run as they would); returns the list of calls sent."""
    sent: list[str] = []

    def send(request: Any, **_: Any) -> AWSResponse:
        sent.append(request.url)
        xml = (
            f"<?xml version='1.0' encoding='UTF-8'?><Error><Code>{code}</Code>"
            f"<Message>canned {code}</Message><RequestId>REQ-{status}</RequestId></Error>"
        )
        headers = {"x-amz-request-id": f"REQ-{status}"}
        return AWSResponse(request.url, status, headers, _Raw(xml.encode()))

    # first: before moto's own handler, which would answer otherwise
    s3.meta.events.register_first(f"before-send.s3.{operation}", send)
    return sent


@pytest.mark.usefixtures("no_retry_wait")
@pytest.mark.parametrize(
    ("status", "code", "kind"),
    [
        (503, "SlowDown", BackendThrottledError),
        (500, "InternalError", BackendUnavailableError),
    ],
)
def test_throttling_and_5xx_are_retried_then_a_typed_error(
    s3: Any, bucket: str, status: int, code: str, kind: type[BackendError]
) -> None:
    store = S3Store(s3, bucket, PREFIX)
    sent = answer_every(s3, "GetObject", status, code)
    with pytest.raises(kind) as info:
        store.load(FINGERPRINT)
    error = info.value
    assert len(sent) == 4  # the first call and three retries (standard mode)
    assert error.code == code
    assert error.request_id == f"REQ-{status}"
    assert error.resource == f"{store.uri(FINGERPRINT)}manifest.json"
    text = str(error)
    assert f"S3 GetObject {store.uri(FINGERPRINT)}manifest.json failed: {code}" in text
    assert "after 3 retries" in text
    assert f"(AWS request id REQ-{status})" in text
    assert isinstance(error, SynthDataError)


def test_access_denied_names_the_uri_the_request_id_and_what_to_check(s3: Any, bucket: str) -> None:
    store = S3Store(s3, bucket, PREFIX)
    with Stubber(s3) as stub:
        stub.add_client_error(
            "get_object",
            service_error_code="AccessDenied",
            service_message="Access Denied",
            http_status_code=403,
            response_meta={"RequestId": "REQ-403"},
        )
        with pytest.raises(BackendAccessError) as info:
            store.manifest(FINGERPRINT)
    error = info.value
    assert error.code == "AccessDenied"
    assert error.request_id == "REQ-403"
    assert str(error).startswith(
        f"S3 GetObject {store.uri(FINGERPRINT)}manifest.json failed: AccessDenied: Access Denied;"
    )
    assert "IAM permissions in docs/aws.md" in str(error)
    assert str(error).endswith("(AWS request id REQ-403)")


def test_a_missing_bucket_is_not_found_not_an_uncached_dataset(s3: Any) -> None:
    store = S3Store(s3, "no-such-bucket", PREFIX)
    calls: list[Callable[[], Any]] = [
        lambda: store.load(FINGERPRINT),
        lambda: store.contains(FINGERPRINT),
        lambda: store.fingerprints(),
        lambda: store.put_part(FINGERPRINT, 0, []),
    ]
    for call in calls:
        with pytest.raises(BackendNotFoundError) as info:
            call()
        assert info.value.code == "NoSuchBucket"
        assert info.value.request_id  # moto answers with one, as S3 does
        assert "s3://no-such-bucket/" in str(info.value)
        assert "check the bucket or table name" in str(info.value)


@pytest.mark.usefixtures("no_retry_wait")
def test_a_connection_that_keeps_failing_is_unavailable(s3: Any, bucket: str) -> None:
    def refuse(request: Any, **_: Any) -> None:
        raise EndpointConnectionError(endpoint_url=request.url)

    s3.meta.events.register_first("before-send.s3.GetObject", refuse)
    with pytest.raises(BackendUnavailableError, match="Could not connect"):
        S3Store(s3, bucket, PREFIX).load(FINGERPRINT)


def test_no_credentials_is_an_access_error() -> None:
    error = backend_error(NoCredentialsError(), doing="S3 GetObject", resource="s3://b/k")
    assert isinstance(error, BackendAccessError)
    assert "configure AWS credentials" in str(error)


def test_a_create_racing_another_create_is_retried_until_s3_says_it_exists(
    s3: Any, bucket: str
) -> None:
    objects = S3Objects(s3, bucket)
    with Stubber(s3) as stub:
        stub.add_client_error(
            "put_object", service_error_code="ConditionalRequestConflict", http_status_code=409
        )
        stub.add_client_error(
            "put_object", service_error_code="PreconditionFailed", http_status_code=412
        )
        assert objects.put_new("k", b"data") is False
        stub.assert_no_pending_responses()


def test_a_missing_history_table_is_not_found_naming_it(dynamodb: Any) -> None:
    history = GenerationHistory(dynamodb, "no-such-table")
    with pytest.raises(BackendNotFoundError) as info:
        history.start("g-1", fingerprint=FINGERPRINT, requester="ci")
    assert info.value.code == "ResourceNotFoundException"
    assert "DynamoDB PutItem no-such-table failed" in str(info.value)
