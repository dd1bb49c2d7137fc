"""The AWS clients the shared cache uses: endpoint and region from the settings."""

from __future__ import annotations

import pytest

from synthdata_sdk.cloud.clients import CONNECT_TIMEOUT, aws_client


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    for name in ("SYNTHDATA_ENDPOINT_URL", "SYNTHDATA_REGION", "AWS_REGION"):
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def test_the_endpoint_and_region_come_from_the_environment(
    clean_env: pytest.MonkeyPatch,
) -> None:
    clean_env.setenv("SYNTHDATA_ENDPOINT_URL", "http://127.0.0.1:4566")
    clean_env.setenv("SYNTHDATA_REGION", "eu-west-3")
    s3 = aws_client("s3")
    assert s3.meta.endpoint_url == "http://127.0.0.1:4566"
    assert s3.meta.region_name == "eu-west-3"
    assert s3.meta.config.connect_timeout == CONNECT_TIMEOUT
    assert s3.meta.config.retries["mode"] == "standard"


def test_aws_region_is_the_fallback_and_arguments_win(clean_env: pytest.MonkeyPatch) -> None:
    clean_env.setenv("AWS_REGION", "ap-south-1")
    assert aws_client("kms").meta.region_name == "ap-south-1"
    clean_env.setenv("SYNTHDATA_ENDPOINT_URL", "http://127.0.0.1:4566")
    explicit = aws_client("s3", endpoint="http://127.0.0.1:9000", region_name="us-west-2")
    assert explicit.meta.endpoint_url == "http://127.0.0.1:9000"
    assert explicit.meta.region_name == "us-west-2"


def test_without_settings_boto3_chooses(clean_env: pytest.MonkeyPatch) -> None:
    s3 = aws_client("s3")
    assert s3.meta.region_name == "us-east-1"  # AWS_DEFAULT_REGION of the test environment
    assert s3.meta.endpoint_url.startswith("https://s3.")
