"""The offline Terraform harness: where it finds the provider mirror, and that a machine
without Terraform fails the infra tests with a message saying so, never skips them."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.infra import terraform_cli
from tests.infra.terraform_cli import (
    BINARY_ENV,
    MIRROR_ENV,
    PROVIDER,
    TerraformUnavailableError,
    provider_mirror,
)

REPO = Path(__file__).resolve().parents[2]


def test_the_mirror_named_in_the_environment_is_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / PROVIDER).mkdir(parents=True)
    monkeypatch.setenv(MIRROR_ENV, str(tmp_path))
    assert provider_mirror() == tmp_path


def test_a_named_mirror_without_the_provider_is_an_error_naming_the_variable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(MIRROR_ENV, str(tmp_path))
    with pytest.raises(TerraformUnavailableError, match=MIRROR_ENV):
        provider_mirror()


def test_the_mirror_is_found_under_the_search_roots(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(MIRROR_ENV, raising=False)
    monkeypatch.setattr(terraform_cli, "_SEARCH_ROOTS", (tmp_path,))
    with pytest.raises(TerraformUnavailableError, match="terraform providers mirror"):
        provider_mirror()
    (tmp_path / "image" / "plugins" / PROVIDER).mkdir(parents=True)
    assert provider_mirror() == tmp_path / "image" / "plugins"


def _path_without_terraform() -> str:
    kept = [
        folder
        for folder in os.environ.get("PATH", "").split(os.pathsep)
        if folder and not (Path(folder) / "terraform").exists()
    ]
    return os.pathsep.join(kept)


@pytest.mark.slow
def test_without_terraform_the_infra_tests_fail_and_say_what_is_missing(tmp_path: Path) -> None:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in (BINARY_ENV, "PYTEST_ADDOPTS", "PYTEST_XDIST_WORKER")
    }
    env["PATH"] = _path_without_terraform()
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "tests/infra/test_envs.py::test_every_terraform_file_is_formatted",
            "-p",
            "no:cacheprovider",
            "-n",
            "0",
            "-q",
            f"--basetemp={tmp_path / 'run'}",
        ],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    output = done.stdout + done.stderr
    assert done.returncode == 1, output
    assert "1 error" in output or "1 failed" in output, output
    assert "skipped" not in output, output
    assert "terraform is not installed" in output and BINARY_ENV in output, output
