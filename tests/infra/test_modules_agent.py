"""The agent, knowledge_base and monitoring modules, offline: each initialises from the provider
mirror, validates, is formatted, and passes its native tests (``tests/*.tftest.hcl``, mocked
provider, plan only). Bedrock, OpenSearch Serverless and CloudWatch are not applied anywhere:
moto cannot serve Bedrock Agents or OpenSearch Serverless."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.infra.terraform_cli import REPO, Terraform, copy_tree

pytestmark = [pytest.mark.infra, pytest.mark.slow]

MODULES = ("agent", "knowledge_base", "monitoring")


def module_copy(tmp_path: Path, module: str) -> Path:
    """A copy of ``modules/<module>`` with infra/schemas beside the tree, as in the checkout
    (the agent's action group reads the OpenAPI document from there)."""
    folder = copy_tree(tmp_path, ["modules", module])
    schemas = tmp_path / "schemas"
    if not schemas.exists():
        shutil.copytree(REPO / "infra" / "schemas", schemas)
    return folder


@pytest.mark.parametrize("module", MODULES)
def test_module_validates_and_passes_its_native_tests(
    terraform: Terraform, tmp_path: Path, module: str
) -> None:
    folder = module_copy(tmp_path, module)
    assert sorted(path.name for path in (folder / "tests").glob("*.tftest.hcl")), (
        f"{module} has no native tests"
    )
    terraform.init(folder)
    terraform.run(folder, "validate")
    formatted = terraform.run(folder, "fmt", "-check", "-recursive", "-list=true", check=False)
    assert formatted.returncode == 0, f"terraform fmt would change: {formatted.stdout}"
    done = terraform.run(folder, "test")
    assert "0 failed" in done.stdout, done.stdout


def test_a_broken_module_fails_its_native_tests(terraform: Terraform, tmp_path: Path) -> None:
    """The native tests can fail: the Lambda permission without the agent's ARN is caught."""
    folder = module_copy(tmp_path, "agent")
    main = folder / "main.tf"
    text = main.read_text(encoding="utf-8")
    scoped = "  source_arn     = aws_bedrockagent_agent.this.agent_arn\n"
    assert scoped in text
    main.write_text(text.replace(scoped, ""), encoding="utf-8")
    terraform.init(folder)
    done = terraform.run(folder, "test", check=False)
    assert done.returncode != 0
    assert "the permission must name the agent's ARN as source_arn" in done.stdout + done.stderr
