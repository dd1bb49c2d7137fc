"""The environments (infra/terraform/envs/<env>): formatted, valid offline, with a lock file
that stays valid, their terraform test passing, and nothing but their settings differing."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.infra.env_runs import write_placeholder_package
from tests.infra.plan_checks import ENVIRONMENTS
from tests.infra.terraform_cli import TERRAFORM_ROOT, Terraform, copy_tree

ENVS = TERRAFORM_ROOT / "envs"
#: the files every environment shares word for word (the composition is modules/stack)
SHARED_FILES = ("main.tf", "variables.tf", "outputs.tf", ".terraform.lock.hcl")
BACKEND_SETTINGS = ("bucket", "key", "region", "dynamodb_table", "encrypt", "kms_key_id")


def _settings(path: Path) -> dict[str, str]:
    """``name = value`` lines of a tfvars or backend file (values as written)."""
    found = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        matched = re.match(r"^\s*([a-z_]+)\s*=\s*(.+?)\s*$", line)
        if matched:
            found[matched[1]] = matched[2].strip('"')
    return found


@pytest.mark.infra
def test_every_terraform_file_is_formatted(terraform: Terraform, tmp_path: Path) -> None:
    copy = copy_tree(tmp_path)
    done = terraform.run(copy, "fmt", "-check", "-recursive", "-diff", check=False)
    assert done.returncode == 0, (
        f"terraform fmt -recursive infra/terraform would change:\n{done.stdout}"
    )


def test_the_environments_differ_only_in_their_settings() -> None:
    for name in SHARED_FILES:
        texts = {env: (ENVS / env / name).read_text(encoding="utf-8") for env in ENVIRONMENTS}
        assert len(set(texts.values())) == 1, f"envs/*/{name} differ: edit all three alike"
    for env in ENVIRONMENTS:
        assert _settings(ENVS / env / "terraform.tfvars")["environment"] == env
        assert (ENVS / env / "tests" / f"{env}.tftest.hcl").is_file()


def test_each_backend_example_names_every_setting_for_its_environment() -> None:
    for env in ENVIRONMENTS:
        backend = _settings(ENVS / env / "backend.hcl.example")
        assert sorted(backend) == sorted(BACKEND_SETTINGS), env
        assert f"/{env}/" in backend["key"] and backend["encrypt"] == "true"
        assert env in backend["bucket"] and env in backend["dynamodb_table"]


@pytest.mark.infra
@pytest.mark.slow
@pytest.mark.parametrize("environment", ENVIRONMENTS)
def test_each_environment_validates_offline_with_its_committed_lock_file(
    terraform: Terraform, tmp_path: Path, environment: str
) -> None:
    folder = copy_tree(tmp_path, ["envs", environment])
    lock = (folder / ".terraform.lock.hcl").read_text(encoding="utf-8")
    # readonly: init fails rather than rewrite a lock that no longer fits the configuration
    terraform.init(folder, "-lockfile=readonly")
    terraform.run(folder, "validate")
    assert (folder / ".terraform.lock.hcl").read_text(encoding="utf-8") == lock


@pytest.mark.infra
@pytest.mark.slow
@pytest.mark.parametrize("environment", ENVIRONMENTS)
def test_each_environments_terraform_test_passes(
    terraform: Terraform, tmp_path: Path, environment: str
) -> None:
    folder = copy_tree(tmp_path, ["envs", environment])
    # the tftest files read the package from tests/package
    write_placeholder_package(folder / "tests" / "package")
    terraform.init(folder)
    done = terraform.run(folder, "test")
    assert "0 failed" in done.stdout, done.stdout
