"""Fixtures every cloud test shares: fake AWS credentials and region, tracing off.

No test reads real credentials or reaches AWS: the variables below replace whatever the
environment holds, and the config and credentials files point at nothing.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

# powertools reads this when the cloud modules are imported, before any fixture runs
os.environ["POWERTOOLS_TRACE_DISABLED"] = "1"

FAKE_AWS = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SECURITY_TOKEN": "testing",
    "AWS_SESSION_TOKEN": "testing",
    "AWS_DEFAULT_REGION": "us-east-1",
    "AWS_REGION": "us-east-1",
}


@pytest.fixture(autouse=True)
def fake_aws_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Fake credentials and region; no profile, config or credentials file is read."""
    for name, value in FAKE_AWS.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "no-aws-config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "no-aws-credentials"))
