"""The boto3 clients of the SDK's remote backends: one configuration for every call they make.

A synchronous Lambda invocation, and an agent's answer, hold the connection for as long as
the generation runs, so the read timeout is the longest a Lambda function may run (15
minutes) rather than botocore's 60 seconds. Retries are botocore's standard mode: throttling,
5xx answers and dropped connections are retried with back-off before an error reaches us.
"""

from __future__ import annotations

from typing import Any

import boto3
from botocore.config import Config
from botocore.exceptions import NoRegionError

from synthdata_sdk.backend_config import SETTINGS, BackendConfig
from synthdata_sdk.errors import BackendConfigError

#: seconds a call may wait for its answer: a Lambda function's longest run
READ_TIMEOUT = 900
CONNECT_TIMEOUT = 10
CLIENT_CONFIG = Config(
    connect_timeout=CONNECT_TIMEOUT,
    read_timeout=READ_TIMEOUT,
    retries={"mode": "standard"},
)
#: a local stack at one endpoint serves buckets by path, not by host name
_AT_ONE_ENDPOINT = CLIENT_CONFIG.merge(Config(s3={"addressing_style": "path"}))


def make_clients(config: BackendConfig, *services: str) -> list[Any]:
    """boto3 clients of ``services`` for ``config``'s region and endpoint, from one session."""
    session = boto3.session.Session(region_name=config.region)
    settings = CLIENT_CONFIG if config.endpoint_url is None else _AT_ONE_ENDPOINT
    try:
        return [
            session.client(service, endpoint_url=config.endpoint_url, config=settings)
            for service in services
        ]
    except NoRegionError:
        region = SETTINGS["region"]
        raise BackendConfigError(
            "region",
            "",
            f"the {config.backend} backend needs an AWS region: pass region=... (on the "
            f"command line {region.flag}), set {region.env} or AWS_DEFAULT_REGION, or add "
            'region = "..." to [tool.synthdata] in pyproject.toml',
        ) from None
