"""Fixtures for the infrastructure tests: an offline Terraform with the provider mirror."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from filelock import FileLock

from tests.cloud.http_servers import moto_server
from tests.infra.env_runs import mocked_state, plan_against_moto
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


EnvJson = Callable[[str], tuple[dict[str, Any], dict[str, Any]]]


@pytest.fixture(scope="session")
def env_json(terraform: Terraform, tmp_path_factory: pytest.TempPathFactory) -> EnvJson:
    """``env_json(env)``: the environment's plan against moto and its mocked-apply state.

    Each takes tens of seconds, so they are made once per run: under pytest-xdist the first
    worker to ask writes them to the run's shared temp folder, under a lock, for the others."""
    base = tmp_path_factory.getbasetemp()
    # under xdist each worker's basetemp is a folder of the run's own
    shared = (base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base) / "env-json"
    shared.mkdir(exist_ok=True)

    def load(environment: str) -> tuple[dict[str, Any], dict[str, Any]]:
        plan_file, state_file = (
            shared / f"{environment}.plan.json",
            shared / f"{environment}.state.json",
        )
        with FileLock(str(shared / f"{environment}.lock")):
            if not state_file.exists():
                work = Path(tmp_path_factory.mktemp(f"env-{environment}"))
                with moto_server() as url:
                    plan = plan_against_moto(terraform, work / "plan", environment, url)
                state = mocked_state(terraform, work / "state", environment)
                plan_file.write_text(json.dumps(plan), encoding="utf-8")
                state_file.write_text(json.dumps(state), encoding="utf-8")
        return (
            json.loads(plan_file.read_text(encoding="utf-8")),
            json.loads(state_file.read_text(encoding="utf-8")),
        )

    return load
