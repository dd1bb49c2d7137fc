"""The action group's OpenAPI document and the gateway's tool schema: generated from the code,
valid for their services, and the committed copies under infra/ match what the code gives.

Regenerate the copies after changing a route or a model:

    synthdata backend openapi > infra/schemas/action-group-openapi.json
    synthdata backend tool-schema > infra/schemas/gateway-tools.json
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest

import synthdata_sdk
from synthdata_sdk.cli import main
from synthdata_sdk.cloud.actions import ACTIONS
from synthdata_sdk.cloud.agent import ROUTES, openapi_document
from synthdata_sdk.cloud.gateway import tool_schema

ROOT = Path(__file__).resolve().parents[2]
COMMITTED = {
    "openapi": ROOT / "infra" / "schemas" / "action-group-openapi.json",
    "tool-schema": ROOT / "infra" / "schemas" / "gateway-tools.json",
}


def _printed(capsys: pytest.CaptureFixture[str], command: str) -> str:
    capsys.readouterr()
    assert main(["backend", command]) == 0
    return capsys.readouterr().out


@pytest.mark.parametrize("command", sorted(COMMITTED))
def test_the_committed_copy_is_what_the_code_generates(
    command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    printed = _printed(capsys, command)
    committed = COMMITTED[command].read_text(encoding="utf-8")
    assert printed == committed, (
        f"{COMMITTED[command].relative_to(ROOT)} is out of date: run "
        f"'synthdata backend {command} > {COMMITTED[command].relative_to(ROOT)}'"
    )


def test_the_openapi_document_is_valid_openapi_3_0_with_one_operation_per_action() -> None:
    validator = pytest.importorskip("openapi_spec_validator")
    document = openapi_document()
    validator.validate(document)
    assert document["openapi"].startswith("3.0.")
    operations = {
        operation["operationId"]: (method.upper(), path)
        for path, methods in document["paths"].items()
        for method, operation in methods.items()
    }
    assert operations == {name: (r.method, r.path) for name, r in ROUTES.items()}
    assert set(operations) == set(ACTIONS)
    for methods in document["paths"].values():
        for operation in methods.values():
            # what an agent reads to choose an operation, and what it relays on failure
            assert operation["description"]
            error = operation["responses"]["400"]["content"]["application/json"]["schema"]
            assert error == {"$ref": "#/components/schemas/ErrorResponse"}
            assert (
                operation["responses"]["422"]["content"] == operation["responses"]["400"]["content"]
            )
    assert "HTTPValidationError" not in document["components"]["schemas"]


def test_the_generate_operation_documents_the_cores_options() -> None:
    from synthdata_sdk import options

    body = openapi_document()["components"]["schemas"]["GenerateRequest"]["properties"]
    assert body["rows"]["default"] == options.DEFAULT_ROWS
    assert body["rows"]["maximum"] == options.MAX_ROWS
    assert body["locale"]["enum"] == list(options.SUPPORTED_LOCALES)
    assert body["compliance"]["items"]["enum"] == list(options.PROFILE_NAMES)


def test_the_tool_schema_is_what_create_gateway_target_accepts() -> None:
    import botocore.session
    from botocore.validate import ParamValidator

    model = botocore.session.get_session().get_service_model("bedrock-agentcore-control")
    tools = tool_schema()
    report = ParamValidator().validate({"inlinePayload": tools}, model.shape_for("ToolSchema"))
    assert not report.has_errors(), report.generate_report()
    assert [tool["name"] for tool in tools] == list(ACTIONS)


def test_the_tool_schema_keeps_what_its_subset_cannot_say_in_the_descriptions() -> None:
    (generate,) = [tool for tool in tool_schema() if tool["name"] == "generate"]
    properties: dict[str, Any] = generate["inputSchema"]["properties"]
    assert properties["json_schema"]["type"] == "object"  # a null alternative is dropped
    assert "One of: en_US, en_GB, de_DE, fr_FR." in properties["locale"]["description"]
    assert "Default: 100." in properties["rows"]["description"]
    assert "One of: gdpr, hipaa, pci_dss." in properties["compliance"]["items"]["description"]
    (lookup,) = [tool for tool in tool_schema() if tool["name"] == "lookup_dataset"]
    assert lookup["inputSchema"]["required"] == ["fingerprint"]
    assert "Matches ^[0-9a-f]{64}$." in json.dumps(lookup)


def test_without_the_aws_extra_the_command_says_what_to_install(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # The import below binds a fresh cloud package as an attribute of synthdata_sdk; restore
    # the attribute with sys.modules, or later lookups by dotted name find the fresh copy.
    monkeypatch.delattr(synthdata_sdk, "cloud", raising=False)
    for name in list(sys.modules):
        if name.startswith("synthdata_sdk.cloud"):
            monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "aws_lambda_powertools", None)
    code = main(["backend", "openapi"])
    captured = capsys.readouterr()
    assert code == 2 and captured.out == ""
    assert "needs the aws extra (aws_lambda_powertools is not installed)" in captured.err
    assert "pip install 'synthdata[aws]'" in captured.err
