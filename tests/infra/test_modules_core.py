"""The core modules (kms, history, storage), offline: each is fmt-clean, validates, and its
native tests (mocked provider, plan only) pass, in a copy of infra/terraform. The history
table is also checked against what the SDK itself creates, so the two cannot drift."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from synthdata_sdk.cloud.history import create_history_table
from tests.infra.terraform_cli import Terraform, copy_tree

pytestmark = [pytest.mark.infra, pytest.mark.slow]

CORE = ("kms", "history", "storage")
#: run blocks in each module's tests/*.tftest.hcl (a test file losing its runs fails here)
MIN_RUNS = {"kms": 10, "history": 9, "storage": 10}


@pytest.fixture(scope="module")
def copies(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One copy of infra/terraform for the three modules; each module is initialised once."""
    return copy_tree(tmp_path_factory.mktemp("core"))


def _initialised(terraform: Terraform, copies: Path, module: str) -> Path:
    folder = copies / "modules" / module
    if not (folder / ".terraform").is_dir():
        terraform.init(folder)
    return folder


@pytest.mark.parametrize("module", CORE)
def test_module_validates_and_its_native_tests_pass(
    terraform: Terraform, copies: Path, module: str
) -> None:
    folder = _initialised(terraform, copies, module)
    fmt = terraform.run(folder, "fmt", "-check", "-recursive", check=False)
    assert fmt.returncode == 0, f"terraform fmt would change: {fmt.stdout}"
    terraform.run(folder, "validate")
    done = terraform.run(folder, "test")
    found = re.search(r"Success! (\d+) passed, 0 failed", done.stdout)
    assert found, done.stdout
    assert int(found[1]) >= MIN_RUNS[module], done.stdout


class _RecordingDynamoDB:
    """Stands in for a boto3 DynamoDB client: records what create_history_table asks for."""

    def __init__(self) -> None:
        self.calls: dict[str, dict[str, Any]] = {}

    def create_table(self, **params: Any) -> None:
        self.calls["create_table"] = params

    def update_time_to_live(self, **params: Any) -> None:
        self.calls["update_time_to_live"] = params

    def get_waiter(self, name: str) -> Any:
        client = self

        class _Waiter:
            def wait(self, **params: Any) -> None:
                client.calls[f"wait:{name}"] = params

        return _Waiter()


def _sdk_table() -> dict[str, Any]:
    client = _RecordingDynamoDB()
    create_history_table(client, "history")
    return client.calls


def test_history_table_is_the_one_the_sdk_creates(terraform: Terraform, copies: Path) -> None:
    """A native test written from create_history_table's own request: same key, attribute
    types, index (keys and projection), billing mode and TTL attribute."""
    calls = _sdk_table()
    table = calls["create_table"]
    ttl = calls["update_time_to_live"]["TimeToLiveSpecification"]
    (hash_key,) = [k["AttributeName"] for k in table["KeySchema"] if k["KeyType"] == "HASH"]
    assert [k for k in table["KeySchema"] if k["KeyType"] == "RANGE"] == []
    attributes = {a["AttributeName"]: a["AttributeType"] for a in table["AttributeDefinitions"]}
    indexes = [
        [
            index["IndexName"],
            next(k["AttributeName"] for k in index["KeySchema"] if k["KeyType"] == "HASH"),
            next(k["AttributeName"] for k in index["KeySchema"] if k["KeyType"] == "RANGE"),
            index["Projection"]["ProjectionType"],
        ]
        for index in table["GlobalSecondaryIndexes"]
    ]
    billing = table["BillingMode"]
    assert ttl["Enabled"] is True

    folder = _initialised(terraform, copies, "history")
    test_file = folder / "tests" / "sdk_shape.tftest.hcl"
    test_file.write_text(
        'mock_provider "aws" {}\n'
        "variables {\n"
        '  environment  = "dev"\n'
        '  data_key_arn = "arn:aws:kms:eu-west-1:123456789012:key/data"\n'
        "}\n"
        'run "same_table_as_the_sdk" {\n'
        "  command = plan\n"
        "  assert {\n"
        f"    condition     = aws_dynamodb_table.history.hash_key == {json.dumps(hash_key)}\n"
        '    error_message = "hash key differs from create_history_table"\n'
        "  }\n"
        "  assert {\n"
        "    condition     = { for a in aws_dynamodb_table.history.attribute : a.name => a.type }"
        f" == {_hcl(attributes)}\n"
        '    error_message = "attributes differ from create_history_table"\n'
        "  }\n"
        "  assert {\n"
        "    condition     = [for ix in aws_dynamodb_table.history.global_secondary_index :"
        f" [ix.name, ix.hash_key, ix.range_key, ix.projection_type]] == {json.dumps(indexes)}\n"
        '    error_message = "the index differs from create_history_table"\n'
        "  }\n"
        "  assert {\n"
        f"    condition     = output.fingerprint_index_name == {json.dumps(indexes[0][0])}\n"
        '    error_message = "the index output is not the index the SDK queries"\n'
        "  }\n"
        "  assert {\n"
        f"    condition     = aws_dynamodb_table.history.billing_mode == {json.dumps(billing)}\n"
        '    error_message = "billing mode differs from create_history_table"\n'
        "  }\n"
        "  assert {\n"
        "    condition     = one(aws_dynamodb_table.history.ttl).attribute_name =="
        f" {json.dumps(ttl['AttributeName'])} && one(aws_dynamodb_table.history.ttl).enabled\n"
        '    error_message = "TTL attribute differs from create_history_table"\n'
        "  }\n"
        "}\n",
        encoding="utf-8",
    )
    try:
        done = terraform.run(folder, "test", "-filter=tests/sdk_shape.tftest.hcl", check=False)
    finally:
        test_file.unlink()
    assert "Success! 1 passed, 0 failed" in done.stdout, done.stdout + done.stderr


def _hcl(mapping: dict[str, str]) -> str:
    """An HCL object literal of string keys and values."""
    return "{ " + ", ".join(f"{json.dumps(k)} = {json.dumps(v)}" for k, v in mapping.items()) + " }"
