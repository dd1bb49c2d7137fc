"""The boto3 clients synthdata makes itself, configured from the environment.

``SYNTHDATA_ENDPOINT_URL`` points every client at another endpoint (a local stack, moto's
server); the region comes from ``AWS_REGION`` or ``AWS_DEFAULT_REGION`` (else the profile's);
credentials are boto3's usual chain. Retries are botocore's ``standard`` mode, which backs
off on throttling, 5xx answers and connection errors.

The remote backends' Lambda and Bedrock agent clients (``backend_clients``) wait up to
``CALL_READ_TIMEOUT`` for an answer: a synchronous invocation, and an agent's answer, hold
the connection for as long as the dataset takes to generate.
"""

from __future__ import annotations

import os
from typing import Any

import boto3
from botocore.config import Config
from botocore.exceptions import NoRegionError

from synthdata_sdk.backend_config import SETTINGS, BackendConfig
from synthdata_sdk.errors import BackendConfigError

ENDPOINT_ENV = "SYNTHDATA_ENDPOINT_URL"
REGION_ENVS = ("AWS_REGION", "AWS_DEFAULT_REGION")
MAX_ATTEMPTS = 5
CONNECT_TIMEOUT = 10
READ_TIMEOUT = 60
#: seconds a Lambda invocation or an agent's answer may take: a Lambda function's longest run
CALL_READ_TIMEOUT = 900


def endpoint_url(explicit: str | None = None) -> str | None:
    """``explicit``, else ``$SYNTHDATA_ENDPOINT_URL``, else None (AWS's own endpoints)."""
    return explicit or os.environ.get(ENDPOINT_ENV) or None


def region(explicit: str | None = None) -> str | None:
    """``explicit``, else ``$AWS_REGION``, else ``$AWS_DEFAULT_REGION``, else None."""
    return explicit or next(filter(None, (os.environ.get(name) for name in REGION_ENVS)), None)


def s3_client(
    *, endpoint: str | None = None, region_name: str | None = None, connections: int = 10
) -> Any:
    """An S3 client with standard retries, for ``connections`` threads at once.

    With an endpoint URL (a local stack), buckets are addressed in the path, as such
    endpoints expect.
    """
    url = endpoint_url(endpoint)
    config = Config(
        retries={"mode": "standard", "max_attempts": MAX_ATTEMPTS},
        connect_timeout=CONNECT_TIMEOUT,
        read_timeout=READ_TIMEOUT,
        max_pool_connections=max(10, connections),
        signature_version="s3v4",  # presigned URLs too: every region takes SigV4
        s3={"addressing_style": "path"} if url else None,
    )
    # A session per client: boto3's default session is not safe to share between threads.
    session = boto3.session.Session(region_name=region(region_name))
    return session.client("s3", endpoint_url=url, config=config)


def kms_client(*, endpoint: str | None = None, region_name: str | None = None) -> Any:
    """A KMS client with standard retries (the shared cache signs and checks manifests)."""
    config = Config(
        retries={"mode": "standard", "max_attempts": MAX_ATTEMPTS},
        connect_timeout=CONNECT_TIMEOUT,
        read_timeout=READ_TIMEOUT,
    )
    session = boto3.session.Session(region_name=region(region_name))
    return session.client("kms", endpoint_url=endpoint_url(endpoint), config=config)


def backend_clients(config: BackendConfig, *services: str) -> list[Any]:
    """Clients of ``services`` (``s3``, ``lambda``, ``bedrock-agent-runtime``) for a remote
    backend's settings; BackendConfigError when no region is set anywhere."""
    calls = Config(
        retries={"mode": "standard"},
        connect_timeout=CONNECT_TIMEOUT,
        read_timeout=CALL_READ_TIMEOUT,
    )
    try:
        return [
            s3_client(endpoint=config.endpoint_url, region_name=config.region)
            if service == "s3"
            else boto3.session.Session(region_name=region(config.region)).client(
                service, endpoint_url=endpoint_url(config.endpoint_url), config=calls
            )
            for service in services
        ]
    except NoRegionError:
        setting = SETTINGS["region"]
        raise BackendConfigError(
            "region",
            "",
            f"the {config.backend} backend needs an AWS region: pass region=... (on the "
            f"command line {setting.flag}), set {setting.env} or AWS_DEFAULT_REGION, or add "
            'region = "..." to [tool.synthdata] in pyproject.toml',
        ) from None
