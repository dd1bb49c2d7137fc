"""Terraform, offline: find the binary and a provider mirror, write a CLI config, run commands.

Nothing here reaches a registry. The provider comes from a filesystem mirror: the folder
named by ``SYNTHDATA_TF_PROVIDER_MIRROR`` if set, else one found on this machine in
Terraform's own plugin folders or under a few install roots (a folder holding
``registry.terraform.io/hashicorp/aws``). A missing binary or mirror is an error that says
what to install or set, never a silent skip: the infrastructure is part of what CI checks.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
TERRAFORM_ROOT = REPO / "infra" / "terraform"
#: the generated schemas the agent module reads (modules/stack: ../../../schemas)
SCHEMAS_ROOT = REPO / "infra" / "schemas"
MIRROR_ENV = "SYNTHDATA_TF_PROVIDER_MIRROR"
BINARY_ENV = "SYNTHDATA_TERRAFORM"
PROVIDER = Path("registry.terraform.io") / "hashicorp" / "aws"
#: Terraform's implied local mirror folders, then the roots where images install tools
_SEARCH_ROOTS = (
    Path.home() / ".terraform.d" / "plugins",
    Path.home() / ".local" / "share" / "terraform" / "plugins",
    Path("/usr/local/share/terraform/plugins"),
    Path("/usr/share/terraform/plugins"),
    Path("/opt"),
    Path("/usr/local"),
    Path("/usr/share"),
)
_SEARCH_DEPTH = 3
#: one terraform command never runs longer than this (the provider's schema takes seconds)
TIMEOUT_S = 600


class TerraformUnavailableError(RuntimeError):
    """Terraform or its provider mirror is not on this machine."""


def terraform_binary() -> str:
    """The terraform executable: ``SYNTHDATA_TERRAFORM`` or the one on PATH."""
    found = os.environ.get(BINARY_ENV) or shutil.which("terraform")
    if not found:
        raise TerraformUnavailableError(
            "terraform is not installed: the infrastructure tests need Terraform >= 1.7 on PATH "
            f"(or its path in {BINARY_ENV}); deselect them with -m 'not infra' only on a machine "
            "that does not check infra/"
        )
    return found


def _mirrors_under(root: Path, depth: int) -> Iterator[Path]:
    if (root / PROVIDER).is_dir():
        yield root
    if depth == 0:
        return
    try:
        children = sorted(child for child in root.iterdir() if child.is_dir())
    except OSError:
        return
    for child in children:
        if not child.is_symlink():
            yield from _mirrors_under(child, depth - 1)


def provider_mirror() -> Path:
    """A folder laid out as a Terraform filesystem mirror that holds hashicorp/aws."""
    named = os.environ.get(MIRROR_ENV)
    if named:
        path = Path(named)
        if not (path / PROVIDER).is_dir():
            raise TerraformUnavailableError(f"{MIRROR_ENV}={named} holds no {PROVIDER.as_posix()}")
        return path
    for root in _SEARCH_ROOTS:
        for mirror in _mirrors_under(root, _SEARCH_DEPTH):
            return mirror
    raise TerraformUnavailableError(
        f"no provider mirror holding {PROVIDER.as_posix()} was found: set {MIRROR_ENV} to a "
        "folder laid out as a Terraform filesystem mirror (terraform providers mirror DIR makes one)"
    )


def write_cli_config(folder: Path, mirror: Path) -> Path:
    """A CLI config that installs hashicorp/aws from ``mirror`` and nothing from the network."""
    config = folder / "terraform.tfrc"
    config.write_text(
        "provider_installation {\n"
        "  filesystem_mirror {\n"
        f"    path    = {json.dumps(str(mirror))}\n"
        '    include = ["registry.terraform.io/hashicorp/*"]\n'
        "  }\n"
        "}\n",
        encoding="utf-8",
    )
    return config


@dataclass
class Terraform:
    """Runs terraform offline with its own CLI config, data folders and no checkpoint calls."""

    binary: str
    cli_config: Path
    extra_env: dict[str, str] = field(default_factory=dict)

    def env(self, more: Mapping[str, str] | None = None) -> dict[str, str]:
        env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("TF_", "AWS_")) or key in ("TF_LOG",)
        }
        env.update(
            TF_CLI_CONFIG_FILE=str(self.cli_config),
            CHECKPOINT_DISABLE="1",
            TF_IN_AUTOMATION="1",
            TF_INPUT="0",
        )
        env.update(self.extra_env)
        env.update(more or {})
        return env

    def run(
        self,
        folder: Path,
        *args: str,
        env: Mapping[str, str] | None = None,
        check: bool = True,
    ) -> subprocess.CompletedProcess[str]:
        """``terraform -chdir=folder args...``; a failure raises with terraform's own output."""
        done = subprocess.run(
            [self.binary, f"-chdir={folder}", *args, "-no-color"]
            if args and args[0] not in ("fmt", "version")
            else [self.binary, f"-chdir={folder}", *args],
            capture_output=True,
            text=True,
            env=self.env(env),
            timeout=TIMEOUT_S,
            check=False,
        )
        if check and done.returncode != 0:
            raise AssertionError(
                f"terraform {' '.join(args)} in {folder} exited {done.returncode}:\n"
                f"{done.stdout}\n{done.stderr}"
            )
        return done

    def init(self, folder: Path, *args: str) -> None:
        """``terraform init -backend=false`` from the mirror."""
        self.run(folder, "init", "-backend=false", "-input=false", *args)


def copy_tree(destination: Path, parts: Sequence[str] = ()) -> Path:
    """A copy of infra/terraform (without local state or data folders) under ``destination``,
    with infra/schemas beside it as the configuration expects; the path of ``parts`` inside
    the copy. Terraform writes lock files and data folders where it runs, so tests run in a
    copy, never in the checkout."""
    copy = destination / "terraform"
    shutil.copytree(
        TERRAFORM_ROOT,
        copy,
        ignore=shutil.ignore_patterns(".terraform", "*.tfstate", "*.tfstate.backup", "*.tfplan"),
    )
    if SCHEMAS_ROOT.is_dir():
        shutil.copytree(SCHEMAS_ROOT, destination / "schemas")
    return copy.joinpath(*parts)
