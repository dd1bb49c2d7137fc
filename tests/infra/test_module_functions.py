"""The functions module, offline: it validates, its native tests pass, and it plans with the
zips that ``synthdata backend package`` builds (in a copy of infra/terraform)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from synthdata_sdk.packaging import build_package
from tests.infra.terraform_cli import Terraform, copy_tree

pytestmark = [pytest.mark.infra, pytest.mark.slow]

MODULE = ("modules", "functions")


@pytest.fixture(scope="module")
def module_copy(terraform: Terraform, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the module, initialised from the provider mirror."""
    folder = copy_tree(tmp_path_factory.mktemp("functions"), MODULE)
    terraform.init(folder)
    return folder


def test_module_validates_and_its_tests_pass(terraform: Terraform, module_copy: Path) -> None:
    assert terraform.run(module_copy, "fmt", "-check", "-recursive").returncode == 0
    terraform.run(module_copy, "validate")
    done = terraform.run(module_copy, "test")
    assert re.search(r"Success! [1-9][0-9]* passed, 0 failed", done.stdout), done.stdout


def test_module_plans_with_the_built_package(
    terraform: Terraform, module_copy: Path, tmp_path: Path
) -> None:
    """The package command's zips are what the module takes, and the base64 sha256 that
    package.json records is Terraform's filebase64sha256 of each zip."""
    built = build_package(tmp_path / "lambda")
    manifest = json.loads((tmp_path / "lambda" / "package.json").read_text(encoding="utf-8"))
    function_hash = manifest["function_zip"]["sha256_base64"]
    layer_hash = manifest["layer_zip"]["sha256_base64"]
    test_file = module_copy / "tests" / "package.tftest.hcl"
    test_file.write_text(
        'mock_provider "aws" {}\n'
        "variables {\n"
        '  environment          = "stg"\n'
        f"  function_zip         = {json.dumps(str(built.function_zip.path))}\n"
        f"  layer_zip            = {json.dumps(str(built.layer_zip.path))}\n"
        "  memory_mb            = 1536\n"
        "  reserved_concurrency = 10\n"
        "  log_retention_days   = 90\n"
        '  logs_key_arn         = "arn:aws:kms:eu-west-1:123456789012:key/logs"\n'
        '  data_key_arn         = "arn:aws:kms:eu-west-1:123456789012:key/data"\n'
        '  data_bucket_name     = "datasets-123456789012"\n'
        '  data_bucket_arn      = "arn:aws:s3:::datasets-123456789012"\n'
        '  table_name           = "history"\n'
        '  table_arn            = "arn:aws:dynamodb:eu-west-1:123456789012:table/history"\n'
        "}\n"
        'run "plans_with_the_package" {\n'
        "  command = plan\n"
        "  assert {\n"
        f"    condition     = aws_lambda_function.actions.source_code_hash == {json.dumps(function_hash)}\n"
        '    error_message = "the function hash is not package.json\'s"\n'
        "  }\n"
        "  assert {\n"
        f"    condition     = aws_lambda_layer_version.sdk.source_code_hash == {json.dumps(layer_hash)}\n"
        '    error_message = "the layer hash is not package.json\'s"\n'
        "  }\n"
        "}\n",
        encoding="utf-8",
    )
    try:
        done = terraform.run(module_copy, "test", "-filter=tests/package.tftest.hcl")
    finally:
        test_file.unlink()
    assert "Success! 1 passed, 0 failed" in done.stdout, done.stdout
