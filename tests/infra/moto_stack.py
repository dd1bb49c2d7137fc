"""Applying infra/terraform to moto: a moto server on 127.0.0.1, the provider override that
points Terraform at it, and terraform commands with their own time limits.

The fixture root (infra/terraform/tests/moto_core) names no endpoint: ``write_override``
writes ``zz_moto_override.tf`` beside it in the test's copy, which Terraform merges into the
provider block (files named ``*_override.tf`` override the configuration's arguments).
Credentials are fake and every endpoint is the local server; the provider retries once at
most, so a call moto does not serve fails at once instead of backing off for minutes.
"""

from __future__ import annotations

import json
import logging
import subprocess
import urllib.request
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from tests.infra.terraform_cli import Terraform

REGION = "us-east-1"
#: what moto's STS answers GetCallerIdentity with
ACCOUNT_ID = "123456789012"
#: the services the core stack's resources and data sources call
SERVICES = ("sts", "iam", "kms", "s3", "dynamodb", "lambda", "logs", "backup")
FAKE_CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SESSION_TOKEN": "testing",
    "AWS_DEFAULT_REGION": REGION,
    "AWS_REGION": REGION,
    "AWS_EC2_METADATA_DISABLED": "true",
}
OVERRIDE_NAME = "zz_moto_override.tf"


@contextmanager
def moto_server() -> Iterator[str]:
    """A moto server on 127.0.0.1 (a free port), empty; its endpoint URL."""
    from moto.server import ThreadedMotoServer

    # werkzeug logs a line per request: thousands during an apply
    quiet = logging.getLogger("werkzeug")
    level = quiet.level
    quiet.setLevel(logging.WARNING)
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    try:
        _, port = server.get_host_and_port()
        endpoint = f"http://127.0.0.1:{port}"
        # moto's state lives in this process: start from nothing, leave nothing behind
        _reset(endpoint)
        try:
            yield endpoint
        finally:
            _reset(endpoint)
    finally:
        server.stop()
        quiet.setLevel(level)


def _reset(endpoint: str) -> None:
    request = urllib.request.Request(f"{endpoint}/moto-api/reset", method="POST")
    with urllib.request.urlopen(request, timeout=30) as answer:
        answer.read()


def override_text(endpoint: str) -> str:
    """The provider arguments that point the AWS provider at ``endpoint`` with fake keys."""
    endpoints = "\n".join(f"    {service:<8} = {json.dumps(endpoint)}" for service in SERVICES)
    return (
        "# Written by tests/infra/test_apply_moto.py: moto on 127.0.0.1, fake credentials.\n"
        'provider "aws" {\n'
        '  access_key                  = "testing"\n'
        '  secret_key                  = "testing"\n'
        "  skip_credentials_validation = true\n"
        "  skip_metadata_api_check     = true\n"
        "  skip_region_validation      = true\n"
        "  s3_use_path_style           = true\n"
        "  max_retries                 = 1\n"
        "  endpoints {\n"
        f"{endpoints}\n"
        "  }\n"
        "}\n"
    )


def write_override(folder: Path, endpoint: str) -> Path:
    path = folder / OVERRIDE_NAME
    path.write_text(override_text(endpoint), encoding="utf-8")
    return path


def aws_env(endpoint: str) -> dict[str, str]:
    """The environment of an SDK process talking to ``endpoint``: fake credentials, the
    region, the endpoint (``SYNTHDATA_ENDPOINT_URL``) and no AWS config files."""
    return {
        **FAKE_CREDENTIALS,
        "AWS_CONFIG_FILE": "/dev/null",
        "AWS_SHARED_CREDENTIALS_FILE": "/dev/null",
        "SYNTHDATA_ENDPOINT_URL": endpoint,
    }


def client(endpoint: str, service: str) -> Any:
    import boto3

    return boto3.session.Session(
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        region_name=REGION,
    ).client(service, endpoint_url=endpoint)


def run_terraform(
    tf: Terraform, folder: Path, *args: str, timeout: float
) -> subprocess.CompletedProcess[str]:
    """``terraform -chdir=folder args...`` within ``timeout`` seconds; a failure or a timeout
    is an AssertionError with Terraform's output. The environment is the harness's (no real
    AWS settings pass through) plus the fake credentials."""
    command = [tf.binary, f"-chdir={folder}", *args, "-no-color"]
    try:
        done = subprocess.run(
            command,
            capture_output=True,
            text=True,
            env=tf.env(FAKE_CREDENTIALS),
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired as error:
        raise AssertionError(
            f"terraform {' '.join(args)} took more than {timeout:.0f} s:\n"
            f"{_text(error.stdout)[-4000:]}\n{_text(error.stderr)[-4000:]}"
        ) from None
    if done.returncode != 0:
        raise AssertionError(
            f"terraform {' '.join(args)} exited {done.returncode}:\n"
            f"{done.stdout[-6000:]}\n{done.stderr[-6000:]}"
        )
    return done


def _text(output: str | bytes | None) -> str:
    if isinstance(output, bytes):
        return output.decode("utf-8", "replace")
    return output or ""


def outputs(tf: Terraform, folder: Path) -> dict[str, Any]:
    """``terraform output -json``, each output's value."""
    done = run_terraform(tf, folder, "output", "-json", timeout=120)
    return {name: output["value"] for name, output in json.loads(done.stdout).items()}


def bucket_policy_conditions_not_enforced(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make moto leave out the conditional statements of bucket policies.

    moto checks object requests against the bucket policy, but it evaluates conditions only
    for the StringEquals operator and takes every other one (Bool, StringNotEqualsIfExists,
    Null...) as met: the TLS-only statement (Deny when aws:SecureTransport is false) becomes
    an unconditional Deny of every GetObject and PutObject, Terraform's own reads included.
    The test asserts those statements are in the applied policy; with this, moto enforces
    the policy's unconditional statements only. (Its server is plain HTTP, so a real
    aws:SecureTransport check would refuse every request anyway.)
    """
    from moto.iam.access_control import IAMPolicy, PermissionResult
    from moto.s3.models import FakeBucket

    def get_permission(self: Any, action: str, resource: str) -> Any:
        if self.policy is None:
            return PermissionResult.NEUTRAL
        document = json.loads(self.policy.decode())
        statements = document.get("Statement", [])
        if isinstance(statements, Mapping):
            statements = [statements]
        kept = [statement for statement in statements if "Condition" not in statement]
        if not kept:
            return PermissionResult.NEUTRAL
        return IAMPolicy(json.dumps({**document, "Statement": kept})).is_action_permitted(
            action, resource
        )

    monkeypatch.setattr(FakeBucket, "get_permission", get_permission)
