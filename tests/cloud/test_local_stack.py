"""The local stack in this process: S3, DynamoDB and KMS from moto and Lambda's Invoke API over
the action functions, reached with real boto3 clients over HTTP on 127.0.0.1."""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

import pytest
from botocore.exceptions import ClientError

from synthdata_sdk import SynthDataClient
from synthdata_sdk.cache.entry_format import RECORDS
from synthdata_sdk.cache.store import LocalStore
from synthdata_sdk.cloud.history import BY_FINGERPRINT, GenerationHistory
from synthdata_sdk.cloud.local import LocalStack
from synthdata_sdk.cloud.pointer import read_pointer
from synthdata_sdk.cloud.s3_store import S3Store
from synthdata_sdk.errors import RequestError
from tests.cloud.cloud_helpers import at_once
from tests.cloud.stack_support import aws, direct, raising, stack, swap_handler

__all__ = ["aws", "stack", "swap_handler"]


def invoke(stack: LocalStack, payload: bytes, **options: Any) -> dict[str, Any]:
    answer: dict[str, Any] = stack.client("lambda").invoke(
        FunctionName=stack.settings.function_name, Payload=payload, **options
    )
    return answer


# the services moto serves -------------------------------------------------------------------


def test_s3_objects_put_over_http_are_read_back(stack: LocalStack) -> None:
    s3 = stack.client("s3")
    s3.put_object(Bucket=stack.settings.bucket, Key="notes/a.txt", Body=b"hello")
    answer = s3.get_object(Bucket=stack.settings.bucket, Key="notes/a.txt")
    assert answer["Body"].read() == b"hello"
    assert answer["ServerSideEncryption"] == "aws:kms"  # the bucket's default encryption
    versioning = s3.get_bucket_versioning(Bucket=stack.settings.bucket)
    assert versioning["Status"] == "Enabled"


def test_the_history_table_is_provisioned_with_its_index(stack: LocalStack) -> None:
    table = stack.client("dynamodb").describe_table(TableName=stack.settings.table)["Table"]
    assert table["TableStatus"] == "ACTIVE"
    assert [index["IndexName"] for index in table["GlobalSecondaryIndexes"]] == [BY_FINGERPRINT]


def test_the_keys_are_provisioned_for_encryption_and_for_signing(stack: LocalStack) -> None:
    kms = stack.client("kms")
    settings = stack.settings
    data_key = kms.describe_key(KeyId=settings.kms_key_alias)["KeyMetadata"]
    assert data_key["Arn"] == settings.kms_key_id
    assert (data_key["KeySpec"], data_key["KeyUsage"]) == ("SYMMETRIC_DEFAULT", "ENCRYPT_DECRYPT")
    signing = kms.describe_key(KeyId=settings.signing_key_alias)["KeyMetadata"]
    assert signing["Arn"] == settings.signing_key_id
    assert (signing["KeySpec"], signing["KeyUsage"]) == ("ECC_NIST_P256", "SIGN_VERIFY")
    message = b"a manifest's digest"
    signature = kms.sign(
        KeyId=settings.signing_key_alias, Message=message, SigningAlgorithm="ECDSA_SHA_256"
    )["Signature"]
    verified = kms.verify(
        KeyId=settings.signing_key_id,
        Message=message,
        Signature=signature,
        SigningAlgorithm="ECDSA_SHA_256",
    )
    assert verified["SignatureValid"] is True


# the Lambda Invoke API ----------------------------------------------------------------------


def test_a_generate_invocation_stores_the_bytes_local_generation_gives(
    stack: LocalStack, tmp_path: Path
) -> None:
    local = SynthDataClient().generate("customer", rows=40, seed=11)
    answer = invoke(stack, direct("generate", "lambda-1", template="customer", rows=40, seed=11))
    assert answer["StatusCode"] == 200
    assert "FunctionError" not in answer
    assert answer["ExecutedVersion"] == "$LATEST"
    assert answer["ResponseMetadata"]["RequestId"]
    reply = json.loads(answer["Payload"].read())
    assert reply["status"] == 200
    assert reply["body"]["fingerprint"] == local.fingerprint

    settings = stack.settings
    s3 = stack.client("s3")
    store = LocalStore(tmp_path / "cache")
    store.put(local)
    key = f"{settings.prefix}/datasets/{local.fingerprint}/{RECORDS}"
    stored = s3.get_object(Bucket=settings.bucket, Key=key)
    assert stored["Body"].read() == (store.path_for(local.fingerprint) / RECORDS).read_bytes()
    assert stored["SSEKMSKeyId"] == settings.kms_key_id
    s3_store = S3Store(s3, settings.bucket, settings.prefix)
    assert s3_store.load(local.fingerprint).records == local.records
    pointer = read_pointer(s3_store, "lambda-1")
    assert pointer is not None and pointer["fingerprint"] == local.fingerprint
    history = GenerationHistory(stack.client("dynamodb"), settings.table)
    [item] = history.by_fingerprint(local.fingerprint)
    assert item["status"] == "completed"


def test_the_function_is_found_by_name_arn_and_qualifier(stack: LocalStack) -> None:
    settings = stack.settings
    client = stack.client("lambda")
    payload = direct("list_templates")
    for name, qualifier in [
        (settings.function_arn, None),
        (f"{settings.function_arn}:$LATEST", None),
        (f"123456789012:function:{settings.function_name}", None),
        (settings.function_name, "live"),
    ]:
        options = {"Qualifier": qualifier} if qualifier else {}
        answer = client.invoke(FunctionName=name, Payload=payload, **options)
        assert json.loads(answer["Payload"].read())["status"] == 200, name


def test_an_unknown_function_is_a_resource_not_found_error(stack: LocalStack) -> None:
    with pytest.raises(ClientError) as raised:
        stack.client("lambda").invoke(FunctionName="someone-else", Payload=b"{}")
    error = raised.value.response
    assert error["Error"]["Code"] == "ResourceNotFoundException"
    assert "someone-else" in error["Error"]["Message"]
    assert error["ResponseMetadata"]["HTTPStatusCode"] == 404


def test_a_payload_that_is_not_json_is_refused_as_aws_does(stack: LocalStack) -> None:
    with pytest.raises(ClientError) as raised:
        invoke(stack, b"{not json")
    assert raised.value.response["Error"]["Code"] == "InvalidRequestContentException"


def test_an_empty_payload_is_an_empty_event(stack: LocalStack) -> None:
    reply = json.loads(invoke(stack, b"")["Payload"].read())
    assert reply["status"] == 400  # {} is no request: the handler says so
    assert reply["body"]["error"]["code"] == "invalid_event"


def test_a_handler_that_raises_is_an_unhandled_function_error(swap_handler: LocalStack) -> None:
    swap_handler.handler = raising
    answer = invoke(swap_handler, direct("list_templates"))
    assert answer["StatusCode"] == 200
    assert answer["FunctionError"] == "Unhandled"
    document = json.loads(answer["Payload"].read())
    assert document["errorType"] == "ValueError"
    assert document["errorMessage"] == "the function broke"
    assert document["requestId"] == answer["ResponseMetadata"]["RequestId"]


def test_an_answer_that_is_not_json_is_a_marshal_error(swap_handler: LocalStack) -> None:
    swap_handler.handler = lambda event, context: {"when": object()}
    answer = invoke(swap_handler, b"{}")
    assert answer["FunctionError"] == "Unhandled"
    assert json.loads(answer["Payload"].read())["errorType"] == "Runtime.MarshalError"


def test_the_handler_gets_a_lambda_context_with_the_client_context(
    swap_handler: LocalStack,
) -> None:
    seen: list[Any] = []

    def spy(event: Any, context: Any) -> Any:
        seen.append(context)
        return {"remaining": context.get_remaining_time_in_millis()}

    swap_handler.handler = spy
    custom = {"bedrockAgentCoreToolName": "synthdata-tools___list_templates"}
    client_context = base64.b64encode(json.dumps({"custom": custom}).encode()).decode()
    answer = invoke(swap_handler, b"{}", ClientContext=client_context, LogType="Tail")
    [context] = seen
    assert context.client_context.custom == custom
    assert context.function_name == swap_handler.settings.function_name
    assert context.invoked_function_arn == swap_handler.settings.function_arn
    assert context.aws_request_id == answer["ResponseMetadata"]["RequestId"]
    assert json.loads(answer["Payload"].read())["remaining"] > 0
    log = base64.b64decode(answer["LogResult"]).decode()
    assert log.startswith(f"START RequestId: {context.aws_request_id}")


def test_a_gateway_tool_call_through_invoke_answers_as_the_gateway_door(
    stack: LocalStack,
) -> None:
    custom = {"bedrockAgentCoreToolName": "synthdata-tools___describe_template"}
    client_context = base64.b64encode(json.dumps({"custom": custom}).encode()).decode()
    answer = invoke(stack, b'{"name": "device"}', ClientContext=client_context)
    assert json.loads(answer["Payload"].read())["fields"][:2] == ["device_id", "hostname"]


def test_an_event_invocation_is_accepted_at_once_and_runs_after(stack: LocalStack) -> None:
    local = SynthDataClient().prepare("device", rows=12, seed=3)
    payload = direct("generate", template="device", rows=12, seed=3)
    answer = invoke(stack, payload, InvocationType="Event")
    assert answer["StatusCode"] == 202
    assert answer["Payload"].read() == b""
    stack.wait_for_events()
    settings = stack.settings
    store = S3Store(stack.client("s3"), settings.bucket, settings.prefix)
    assert store.contains(local.fingerprint)
    assert invoke(stack, payload, InvocationType="DryRun")["StatusCode"] == 204


def test_concurrent_invocations_queue_and_all_succeed(stack: LocalStack) -> None:
    client = stack.client("lambda")
    payload = direct("generate", template="order", rows=15, seed=5)

    def call(number: int) -> dict[str, Any]:
        answer = client.invoke(FunctionName=stack.settings.function_name, Payload=payload)
        return json.loads(answer["Payload"].read())  # type: ignore[no-any-return]

    replies = at_once(6, call)
    assert {reply["status"] for reply in replies} == {200}
    assert len({reply["body"]["fingerprint"] for reply in replies}) == 1
    assert sorted(reply["body"]["reused"] for reply in replies) == [False] + [True] * 5


# the stack itself ---------------------------------------------------------------------------


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "10.1.2.3", "192.168.0.1", "localhost", ""])
def test_the_stack_never_listens_beyond_the_loopback_interface(host: str) -> None:
    with pytest.raises(RequestError, match="loopback"):
        LocalStack(host=host)


def test_the_stack_listens_on_127_0_0_1_only(stack: LocalStack) -> None:
    assert stack._server.socket.getsockname()[0] == "127.0.0.1"
    assert stack.endpoint_url == f"http://127.0.0.1:{stack._server.port}"


def test_one_stack_runs_per_process(stack: LocalStack) -> None:
    with pytest.raises(RequestError, match="already runs"):
        LocalStack().start()
    assert stack.client("s3").head_bucket(Bucket=stack.settings.bucket)


def test_a_bad_port_is_refused() -> None:
    with pytest.raises(RequestError, match="port"):
        LocalStack(port=70000)
