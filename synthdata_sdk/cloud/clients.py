"""boto3 clients as the SDK and the plugin make them: endpoint and region from the settings.

``SYNTHDATA_ENDPOINT_URL`` points every client at one endpoint (a local stack on 127.0.0.1,
an S3-compatible store); ``SYNTHDATA_REGION`` (else ``AWS_REGION``, else boto3's own
``AWS_DEFAULT_REGION`` and profile) chooses the region. Arguments win over the environment.
Retries are botocore's standard mode (``AWS_MAX_ATTEMPTS`` sets how many attempts), and a
connection that cannot be made fails after a few seconds instead of a minute.
"""

from __future__ import annotations

import os
from typing import Any

import boto3
from botocore.config import Config

ENDPOINT_ENV = "SYNTHDATA_ENDPOINT_URL"
REGION_ENV = "SYNTHDATA_REGION"
#: seconds to open a connection; an unreachable shared cache should fail fast
CONNECT_TIMEOUT = 5
#: seconds to wait for an answer (a large part takes a while on a slow link)
READ_TIMEOUT = 120


def endpoint_url(explicit: str | None = None) -> str | None:
    """The endpoint every client uses: ``explicit``, else ``$SYNTHDATA_ENDPOINT_URL``, else
    None (AWS's own endpoints)."""
    return explicit or os.environ.get(ENDPOINT_ENV, "").strip() or None


def region(explicit: str | None = None) -> str | None:
    """The region: ``explicit``, else ``$SYNTHDATA_REGION``, else ``$AWS_REGION``, else None
    (boto3 then reads ``AWS_DEFAULT_REGION`` and the profile)."""
    for value in (explicit, os.environ.get(REGION_ENV), os.environ.get("AWS_REGION")):
        if value and value.strip():
            return value.strip()
    return None


def aws_client(service: str, *, endpoint: str | None = None, region_name: str | None = None) -> Any:
    """A boto3 client for ``service`` with synthdata's endpoint, region, retries and timeouts."""
    config = Config(
        retries={"mode": "standard"},
        connect_timeout=CONNECT_TIMEOUT,
        read_timeout=READ_TIMEOUT,
    )
    return boto3.client(
        service,
        endpoint_url=endpoint_url(endpoint),
        region_name=region(region_name),
        config=config,
    )
