"""The lambda and agent backends over HTTP against the local stack (``LocalStack``): real
boto3 clients, one endpoint URL, the same records as local generation."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import boto3
import pytest

from synthdata_sdk import SynthDataClient
from synthdata_sdk.cli import main
from synthdata_sdk.cloud.local import LocalStack
from synthdata_sdk.errors import BackendDependencyError, BackendResultError
from tests.cloud.backends.remote_clients import same_dataset, same_tables
from tests.cloud.stack_support import aws, raising, stack, swap_handler

__all__ = ["aws", "stack", "swap_handler"]

SCHEMA = {
    "title": "Sensor",
    "type": "object",
    "properties": {"id": {"type": "integer", "minimum": 1}, "ip": {"format": "ipv4"}},
    "required": ["id", "ip"],
}


def remote(stack: LocalStack, backend: str, project: Path, **settings: Any) -> SynthDataClient:
    """A client of ``backend`` with the stack's settings, given as arguments."""
    found = stack.settings
    where = {
        "endpoint_url": found.endpoint_url,
        "region": found.region,
        "bucket": found.bucket,
        "prefix": found.prefix,
        "project_dir": project,
    }
    if backend == "lambda":
        return SynthDataClient("lambda", function_name=found.function_name, **where, **settings)
    settings.setdefault("agent_alias_id", found.agent_alias_id)
    return SynthDataClient("agent", agent_id=found.agent_id, **where, **settings)


@pytest.mark.parametrize(
    "source", ["customer", SCHEMA, "healthcare"], ids=["template", "schema", "table set"]
)
@pytest.mark.parametrize("backend", ["lambda", "agent"])
def test_both_backends_over_http_give_the_local_dataset(
    stack: LocalStack, tmp_path: Path, backend: str, source: Any
) -> None:
    request = {"rows": 60, "seed": 11, "compliance": ("gdpr",)}
    local = SynthDataClient(backend="local").generate(source, **request)
    dataset = remote(stack, backend, tmp_path).generate(source, **request)
    if local.is_table_set:  # a bundle: its tables byte for byte, one object per table in S3
        same_tables(dataset, local)
        s3 = boto3.client(
            "s3", endpoint_url=stack.settings.endpoint_url, region_name=stack.settings.region
        )
        entry = f"{stack.settings.prefix}/datasets/{local.fingerprint}/"
        listed = s3.list_objects_v2(Bucket=stack.settings.bucket, Prefix=entry)
        assert sorted(item["Key"].removeprefix(entry) for item in listed["Contents"]) == sorted(
            ["manifest.json", *(f"table-{name}.json" for name in local.tables)]
        )
    else:
        same_dataset(dataset, local)


def test_the_agents_trace_arrives_over_http(stack: LocalStack, tmp_path: Path) -> None:
    client = remote(stack, "agent", tmp_path, trace=True)
    dataset = client.generate("order", rows=10, seed=2)
    steps = [event["trace"]["orchestrationTrace"] for event in client.last_trace]
    assert "invocationInput" in steps[0]
    assert any(dataset.fingerprint in str(step.get("observation")) for step in steps[1:])


def test_a_return_control_alias_is_a_result_error(stack: LocalStack, tmp_path: Path) -> None:
    alias = stack.settings.return_control_alias_id
    with pytest.raises(BackendResultError) as raised:
        remote(stack, "agent", tmp_path, agent_alias_id=alias).generate("order", rows=3)
    assert raised.value.code == "returnControl"
    assert raised.value.request_id


@pytest.mark.parametrize("backend", ["lambda", "agent"])
def test_a_failing_function_is_a_dependency_error_with_the_request_id(
    swap_handler: LocalStack, tmp_path: Path, backend: str
) -> None:
    swap_handler.handler = raising
    with pytest.raises(BackendDependencyError) as raised:
        remote(swap_handler, backend, tmp_path).generate("order", rows=3)
    assert raised.value.request_id
    assert raised.value.code in ("FunctionError:ValueError", "dependencyFailedException")


def test_the_command_line_reaches_the_stack_from_the_environment(
    stack: LocalStack, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    found = stack.settings
    monkeypatch.chdir(tmp_path)
    for name, value in {
        "SYNTHDATA_BACKEND": "agent",
        "SYNTHDATA_ENDPOINT_URL": found.endpoint_url,
        "SYNTHDATA_REGION": found.region,
        "SYNTHDATA_BUCKET": found.bucket,
        "SYNTHDATA_PREFIX": found.prefix,
        "SYNTHDATA_AGENT_ID": found.agent_id,
        "SYNTHDATA_AGENT_ALIAS_ID": found.agent_alias_id,
    }.items():
        monkeypatch.setenv(name, value)
    request = ["generate", "payment", "--rows", "30", "--seed", "3", "--quiet"]
    assert main([*request, "--backend", "local", "--out", "local.csv"]) == 0
    # the in-process function logs on stdout, as in Lambda: the records go to a file
    assert main([*request, "--out", "remote.csv"]) == 0
    assert Path("remote.csv").read_bytes() == Path("local.csv").read_bytes()
