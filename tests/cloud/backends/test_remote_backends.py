"""The lambda and agent backends: the action function run in this process behind botocore
hooks (Lambda Invoke, Bedrock InvokeAgent in the event stream encoding), S3 and DynamoDB in
moto. Whatever the remote side says, the client returns the local dataset, byte for byte, or
a typed error."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from synthdata_sdk import SynthDataClient
from synthdata_sdk.cloud.agent_input import SESSION_KEY
from synthdata_sdk.cloud.local import eventstream
from synthdata_sdk.errors import (
    BackendAccessError,
    BackendDependencyError,
    BackendError,
    BackendResultError,
    BackendThrottledError,
    BackendUnavailableError,
    BackendValidationError,
    ModelRejectedError,
)
from tests.cloud.backends.remote_clients import agent_client, lambda_client, same_dataset
from tests.cloud.backends.routes import FakeAgent, LambdaFunction, Routes, answer
from tests.cloud.conftest import BUCKET, PREFIX, REGION
from tests.conftest import ROOT

Handler = Callable[[Any, Any], Any]


def pet_model() -> type:
    from pydantic import BaseModel, Field

    class PetModel(BaseModel):
        name: str = Field(max_length=20)
        legs: int = Field(ge=0, le=8)

    return PetModel


SOURCES: dict[str, Callable[[Path], Any]] = {
    "template": lambda _: "customer",
    "dict": lambda _: {
        "title": "Sensor",
        "type": "object",
        "properties": {"id": {"type": "integer", "minimum": 1}, "ip": {"format": "ipv4"}},
        "required": ["id"],
    },
    # normalising this schema twice does not give the same schema: the function must be sent
    # the document as read, not the normalised one
    "file": lambda tmp: ROOT / "tests" / "golden" / "schemas" / "approximated.json",
    "model": lambda _: pet_model(),
}


@pytest.mark.parametrize("kind", SOURCES)
@pytest.mark.parametrize("backend", ["lambda", "agent"])
def test_both_backends_give_the_local_dataset_byte_for_byte(
    lambda_function: LambdaFunction,
    agent: FakeAgent,
    tmp_path: Path,
    backend: str,
    kind: str,
) -> None:
    source = SOURCES[kind](tmp_path)
    request = {"rows": 40, "seed": 3, "compliance": ("gdpr",)}
    local = SynthDataClient(backend="local").generate(source, **request)
    client = (lambda_client if backend == "lambda" else agent_client)(tmp_path)

    remote = client.generate(source, **request)

    same_dataset(remote, local)
    if backend == "agent":
        # the structured request, not what the model filled in (template customer, 5 rows)
        attributes = agent.calls[-1][3]["sessionState"]["sessionAttributes"]
        sent = json.loads(attributes[SESSION_KEY])["request"]
    else:
        sent = lambda_function.events[-1]["request"]
    assert sent["rows"] == 40
    assert ("template" in sent) == (kind == "template")


def test_a_dataset_already_stored_is_served_again(
    lambda_function: LambdaFunction, tmp_path: Path
) -> None:
    client = lambda_client(tmp_path)
    first = client.generate("order", rows=25, seed=9)
    second = client.generate("order", rows=25, seed=9)
    assert second.records == first.records
    assert len(lambda_function.events) == 2


def test_write_and_iter_chunks_go_through_the_backend(
    lambda_function: LambdaFunction, tmp_path: Path
) -> None:
    client = lambda_client(tmp_path)
    local = SynthDataClient(backend="local")
    seen: list[int] = []
    client.write("device", tmp_path / "remote.csv", rows=30, seed=4, progress=seen.append)
    local.write("device", tmp_path / "local.csv", rows=30, seed=4)
    assert (tmp_path / "remote.csv").read_bytes() == (tmp_path / "local.csv").read_bytes()
    assert sum(seen) == 30
    assert len(lambda_function.events) == 1


def test_the_agent_trace_is_kept_when_asked_for(agent: FakeAgent, tmp_path: Path) -> None:
    quiet = agent_client(tmp_path)
    quiet.generate("customer", rows=5)
    assert agent.calls[-1][3]["enableTrace"] is False
    assert quiet.last_trace == ()

    traced = agent_client(tmp_path, trace=True)
    dataset = traced.generate("customer", rows=5)
    assert agent.calls[-1][3]["enableTrace"] is True
    steps = [event["trace"]["orchestrationTrace"] for event in traced.last_trace]
    assert steps[0]["invocationInput"]["actionGroupInvocationInput"]["apiPath"] == "/datasets"
    observed = json.loads(steps[1]["observation"]["actionGroupInvocationOutput"]["text"])
    assert observed["fingerprint"] == dataset.fingerprint
    assert {event["sessionId"] for event in traced.last_trace} == {agent.calls[-1][2]}


@pytest.mark.parametrize(
    ("frame", "error"),
    [
        ("throttlingException", BackendThrottledError),
        ("serviceQuotaExceededException", BackendThrottledError),
        ("accessDeniedException", BackendAccessError),
        ("validationException", BackendValidationError),
        ("dependencyFailedException", BackendDependencyError),
        ("badGatewayException", BackendDependencyError),
        ("internalServerException", BackendUnavailableError),
    ],
)
def test_an_exception_frame_mid_stream_is_a_typed_error_with_the_request_id(
    agent: FakeAgent, tmp_path: Path, frame: str, error: type[BackendError]
) -> None:
    agent.inserted = [eventstream.exception(frame, "stopped halfway")]
    with pytest.raises(error) as raised:
        agent_client(tmp_path).generate("customer", rows=5)
    assert type(raised.value) is error
    assert raised.value.code == frame
    assert raised.value.request_id.startswith("req-")
    assert "stopped halfway" in str(raised.value)
    assert f"AWS request id {raised.value.request_id}" in str(raised.value)


def test_a_return_control_frame_is_a_result_error(agent: FakeAgent, tmp_path: Path) -> None:
    agent.inserted = [
        eventstream.event("returnControl", {"invocationId": "i-1", "invocationInputs": []})
    ]
    with pytest.raises(BackendResultError, match="RETURN_CONTROL") as raised:
        agent_client(tmp_path).generate("customer", rows=5)
    assert raised.value.code == "returnControl"


def test_an_agent_that_generates_nothing_is_quoted_in_the_error(
    agent: FakeAgent, tmp_path: Path
) -> None:
    agent.call_function = False
    agent.text = "Sorry, I cannot help with that."
    with pytest.raises(BackendResultError, match="no session pointer") as raised:
        agent_client(tmp_path).generate("customer", rows=5)
    assert "Sorry, I cannot help with that." in str(raised.value)
    assert raised.value.code == "no_pointer"


def test_a_session_pointer_naming_another_fingerprint_is_refused(
    agent: FakeAgent, tmp_path: Path, s3: Any
) -> None:
    def other_rows(attributes: dict[str, str]) -> dict[str, str]:
        structured = json.loads(attributes[SESSION_KEY])
        structured["request"]["rows"] = 7
        return {SESSION_KEY: json.dumps(structured)}

    agent.tamper = other_rows  # the function generates, and points at, another dataset
    expected = SynthDataClient(backend="local").fingerprint("customer", rows=5)
    with pytest.raises(BackendResultError, match="not " + expected) as raised:
        agent_client(tmp_path).generate("customer", rows=5)
    assert raised.value.code == "fingerprint_mismatch"
    stored = s3.list_objects_v2(Bucket=BUCKET, Prefix=f"{PREFIX}/datasets/")["Contents"]
    assert expected not in {item["Key"].split("/")[3] for item in stored}


def test_a_function_answering_another_dataset_is_refused(
    function: Handler, routes: Routes, tmp_path: Path
) -> None:
    def ten_rows_more(event: Any, context: Any) -> Any:
        request = {**event["request"], "rows": event["request"]["rows"] + 10}
        return function({**event, "request": request}, context)

    routes.add("before-send.lambda.Invoke", LambdaFunction(ten_rows_more))
    with pytest.raises(BackendResultError) as raised:
        lambda_client(tmp_path).generate("customer", rows=5)
    assert raised.value.code == "fingerprint_mismatch"
    assert raised.value.request_id


def test_a_dataset_stored_under_another_prefix_is_named(
    lambda_function: LambdaFunction, tmp_path: Path
) -> None:
    with pytest.raises(BackendResultError, match="set bucket and prefix") as raised:
        lambda_client(tmp_path, prefix="other/team").generate("customer", rows=5)
    assert raised.value.code == "location_mismatch"


def test_a_refused_request_carries_the_functions_code_and_request_id(
    lambda_function: LambdaFunction, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SYNTHDATA_MAX_ACTION_ROWS", "10")
    with pytest.raises(BackendValidationError, match="413 limit_exceeded") as raised:
        lambda_client(tmp_path).generate("customer", rows=11)
    assert raised.value.code == "limit_exceeded"
    assert raised.value.request_id


def test_a_function_error_is_a_dependency_error(
    function: Handler, routes: Routes, tmp_path: Path
) -> None:
    failing = LambdaFunction(function, function_error=("Sandbox.Timedout", "Task timed out"))
    routes.add("before-send.lambda.Invoke", failing)
    with pytest.raises(BackendDependencyError, match=r"Sandbox\.Timedout") as raised:
        lambda_client(tmp_path).generate("customer", rows=5)
    assert raised.value.code == "FunctionError:Sandbox.Timedout"
    assert raised.value.request_id


def test_an_answer_of_another_shape_is_a_result_error(routes: Routes, tmp_path: Path) -> None:
    routes.add("before-send.lambda.Invoke", LambdaFunction(lambda event, context: "hello"))
    with pytest.raises(BackendResultError, match="is it the synthdata action function"):
        lambda_client(tmp_path).generate("customer", rows=5)


def throttled_invoke(times: int, delegate: LambdaFunction) -> Callable[..., Any]:
    calls = {"count": 0}

    def invoke(request: Any, **kwargs: Any) -> Any:
        calls["count"] += 1
        if calls["count"] <= times:
            body = json.dumps({"Type": "User", "message": "Rate exceeded"}).encode()
            headers = {
                "x-amzn-RequestId": f"throttled-{calls['count']}",
                "x-amzn-ErrorType": "TooManyRequestsException",
            }
            return answer(request.url, 429, headers, [body])
        return delegate(request, **kwargs)

    return invoke


def test_a_throttled_invoke_is_retried_then_a_typed_error(
    function: Handler, routes: Routes, tmp_path: Path, no_retry_wait: None
) -> None:
    deployed = LambdaFunction(function)
    routes.add("before-send.lambda.Invoke", throttled_invoke(2, deployed))
    client = lambda_client(tmp_path)
    assert client.generate("customer", rows=5).rows == 5  # after two throttled attempts

    routes.add("before-send.lambda.Invoke", throttled_invoke(99, deployed))
    with pytest.raises(BackendThrottledError, match="after 2 retries") as raised:
        lambda_client(tmp_path).generate("customer", rows=5)
    assert raised.value.request_id == "throttled-3"
    assert "Lambda Invoke function synthdata-actions" in str(raised.value)


def test_the_clients_wait_long_enough_and_retry_in_standard_mode(
    lambda_function: LambdaFunction, agent: FakeAgent, tmp_path: Path
) -> None:
    for client in (lambda_client(tmp_path), agent_client(tmp_path)):
        runner: Any = client._runner
        calls, s3 = runner.client.meta, runner.store.objects.client.meta
        # an invocation holds its connection while the dataset is generated
        assert calls.config.read_timeout >= 300
        assert calls.config.retries["mode"] == s3.config.retries["mode"] == "standard"
        assert calls.region_name == s3.region_name == REGION


def strict_model(*, never: bool = False) -> type:
    from pydantic import BaseModel, Field, field_validator

    class Badge(BaseModel):
        code: str = Field(min_length=4, max_length=8)

        @field_validator("code")
        @classmethod
        def one_word(cls, value: str) -> str:
            # more than the JSON Schema says: only the model itself can check it
            if never or " " in value:
                raise ValueError("must be one word")
            return value

    return Badge


@pytest.mark.parametrize("backend", ["lambda", "agent"])
def test_records_a_validator_rejects_are_drawn_again_whatever_the_backend(
    lambda_function: LambdaFunction, agent: FakeAgent, tmp_path: Path, backend: str
) -> None:
    # the function cannot run the caller's validator: the client redraws the records it
    # rejects, from the seed, as local generation does, so both give the same records
    model = strict_model()
    local = SynthDataClient(backend="local").generate(model, rows=200, seed=1)
    client = (lambda_client if backend == "lambda" else agent_client)(tmp_path)
    remote = client.generate(model, rows=200, seed=1)
    assert remote.records == local.records
    assert all(" " not in record["code"] for record in remote.records)
    assert [badge.code for badge in remote.as_models(model)] == [
        record["code"] for record in local.records
    ]


@pytest.mark.parametrize("backend", ["lambda", "agent"])
def test_a_validator_that_never_passes_is_refused_whatever_the_backend(
    lambda_function: LambdaFunction, agent: FakeAgent, tmp_path: Path, backend: str
) -> None:
    model = strict_model(never=True)
    with pytest.raises(ModelRejectedError) as local:
        SynthDataClient(backend="local").generate(model, rows=200, seed=1)
    client = (lambda_client if backend == "lambda" else agent_client)(tmp_path)
    with pytest.raises(ModelRejectedError) as remote:
        client.generate(model, rows=200, seed=1)
    assert str(remote.value) == str(local.value)
    assert "one_word" in str(remote.value)
