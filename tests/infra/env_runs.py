"""An environment's plan and a mocked apply of it, offline, as JSON.

- ``plan_against_moto``: a real ``terraform plan`` of infra/terraform/envs/<env> whose
  provider talks to a moto server on 127.0.0.1 (the account id, and every value the AWS
  provider computes itself: names, ``tags_all`` from default_tags...). A
  ``zz_moto_override.tf`` in the temp copy sets the endpoints and a local backend: Terraform
  merges ``*_override.tf`` files into the configuration, so the committed one stays clean.
- ``mocked_state``: the same configuration applied by ``terraform test`` under
  ``mock_provider "aws"``, where every computed value (ARNs, ids) is known, so that
  documents built from them (policies) can be read; the state comes from ``-json -verbose``.
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path
from typing import Any

from tests.infra.terraform_cli import Terraform, copy_tree

ACCOUNT_ID = "123456789012"
#: every optional part on, so that every module's resources are checked
EVERY_PART = {"enable_agent": "true", "enable_knowledge_base": "true"}
#: the services the configuration may call while planning (provider endpoint names)
_SERVICES = (
    "backup",
    "bedrock",
    "bedrockagent",
    "cloudwatch",
    "dynamodb",
    "iam",
    "kms",
    "lambda",
    "logs",
    "opensearchserverless",
    "s3",
    "sns",
    "sqs",
    "sts",
)


def write_placeholder_package(folder: Path) -> Path:
    """What `synthdata backend package` writes (function.zip, layer.zip, package.json with
    one template file), as small placeholders; the folder, for the package_dir variable."""
    folder.mkdir(parents=True, exist_ok=True)
    for name in ("function", "layer"):
        with zipfile.ZipFile(folder / f"{name}.zip", "w") as archive:
            archive.writestr("placeholder.txt", f"{name} placeholder for the offline tests\n")
    template = folder / "customer.json"
    template.write_text('{"type": "object"}\n', encoding="utf-8")
    manifest = {"template_files": {"customer.json": str(template)}}
    (folder / "package.json").write_text(json.dumps(manifest), encoding="utf-8")
    return folder


def moto_override(url: str) -> str:
    """The override file pointing both providers at ``url`` with a local backend."""
    endpoints = "\n".join(f'    {service} = "{url}"' for service in _SERVICES)
    provider = (
        '  access_key                  = "testing"\n'
        '  secret_key                  = "testing"\n'
        "  skip_credentials_validation = true\n"
        "  skip_requesting_account_id  = false\n"
        "  skip_metadata_api_check     = true\n"
        "  s3_use_path_style           = true\n"
        f"  endpoints {{\n{endpoints}\n  }}\n"
    )
    return (
        'terraform {\n  backend "local" {}\n}\n\n'
        f'provider "aws" {{\n{provider}}}\n\n'
        f'provider "aws" {{\n  alias = "replica"\n{provider}}}\n'
    )


def _var_args(variables: dict[str, str]) -> list[str]:
    return [f"-var={key}={value}" for key, value in sorted(variables.items())]


def plan_against_moto(
    terraform: Terraform, workdir: Path, environment: str, url: str
) -> dict[str, Any]:
    """``terraform show -json`` of a plan of the environment against moto at ``url``."""
    folder = copy_tree(workdir, ["envs", environment])
    (folder / "zz_moto_override.tf").write_text(moto_override(url), encoding="utf-8")
    variables = {"package_dir": str(write_placeholder_package(workdir / "build")), **EVERY_PART}
    # the override's local backend (state in the temp copy): a plan needs an initialised one
    terraform.run(folder, "init", "-input=false")
    # moto accepts any key: the provider's default chain must not find a real one first
    env = {"AWS_EC2_METADATA_DISABLED": "true"}
    terraform.run(
        folder,
        "plan",
        "-input=false",
        "-lock=false",
        "-out=env.tfplan",
        *_var_args(variables),
        env=env,
    )
    shown = terraform.run(folder, "show", "-json", "env.tfplan", env=env)
    plan: dict[str, Any] = json.loads(shown.stdout)
    return plan


def mocked_state(terraform: Terraform, workdir: Path, environment: str) -> dict[str, Any]:
    """The state of the environment applied under ``mock_provider "aws"`` (every value known)."""
    folder = copy_tree(workdir, ["envs", environment])
    package = write_placeholder_package(workdir / "build")
    variables = "\n".join(
        [f"  package_dir = {json.dumps(str(package))}"]
        + [f"  {key} = {value}" for key, value in sorted(EVERY_PART.items())]
    )
    (folder / "tests" / "zz_state.tftest.hcl").write_text(
        # the environments' own mocks (envs/mocks), as their terraform test uses
        'mock_provider "aws" {\n  source = "../mocks/primary"\n}\n\n'
        'mock_provider "aws" {\n  alias  = "replica"\n  source = "../mocks/replica"\n}\n\n'
        f"variables {{\n{variables}\n}}\n\n"
        'run "state" {\n  command = apply\n}\n',
        encoding="utf-8",
    )
    terraform.init(folder)
    done = terraform.run(folder, "test", "-filter=tests/zz_state.tftest.hcl", "-json", "-verbose")
    for line in done.stdout.splitlines():
        message = json.loads(line) if line.startswith("{") else {}
        if message.get("type") == "test_state":
            state: dict[str, Any] = message["test_state"]
            state.pop("provider_schemas", None)
            return state
    raise AssertionError(f"terraform test printed no state for {environment}:\n{done.stdout}")
