"""The KMS client that signs and checks the shared cache's manifests: endpoint and region from
the environment, as the S3 client has them (tests/cloud/test_transfer_pull.py)."""

from __future__ import annotations

import pytest

from synthdata_sdk.cloud.clients import CONNECT_TIMEOUT, MAX_ATTEMPTS, kms_client


def test_the_kms_client_follows_the_endpoint_and_region_of_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SYNTHDATA_ENDPOINT_URL", "http://127.0.0.1:4566")
    monkeypatch.setenv("AWS_REGION", "eu-west-3")
    kms = kms_client()
    assert kms.meta.endpoint_url == "http://127.0.0.1:4566"
    assert kms.meta.region_name == "eu-west-3"
    assert kms.meta.config.connect_timeout == CONNECT_TIMEOUT
    assert kms.meta.config.retries == {"mode": "standard", "total_max_attempts": MAX_ATTEMPTS + 1}


def test_arguments_win_over_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SYNTHDATA_ENDPOINT_URL", "http://127.0.0.1:4566")
    kms = kms_client(endpoint="http://127.0.0.1:9000", region_name="us-west-2")
    assert kms.meta.endpoint_url == "http://127.0.0.1:9000"
    assert kms.meta.region_name == "us-west-2"
