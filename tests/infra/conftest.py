"""Fixtures for the infrastructure tests: an offline Terraform with the provider mirror."""

from __future__ import annotations

import pytest

from tests.infra.terraform_cli import (
    Terraform,
    TerraformUnavailableError,
    provider_mirror,
    terraform_binary,
    write_cli_config,
)


@pytest.fixture(scope="session")
def terraform(tmp_path_factory: pytest.TempPathFactory) -> Terraform:
    """Terraform configured to install hashicorp/aws from the local mirror only.

    Fails (does not skip) when Terraform or the mirror is missing: CI must check infra/."""
    try:
        binary = terraform_binary()
        mirror = provider_mirror()
    except TerraformUnavailableError as error:
        pytest.fail(str(error), pytrace=False)
    return Terraform(binary, write_cli_config(tmp_path_factory.mktemp("terraform"), mirror))
