"""Fixtures of the remote backends' tests: the deployed action function (moto behind it),
answering Lambda Invoke and Bedrock InvokeAgent in this process."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from synthdata_sdk.cloud.handler import make_handler
from synthdata_sdk.cloud.history import create_history_table
from tests.cloud.backends.routes import FakeAgent, LambdaFunction, Routes
from tests.cloud.conftest import PREFIX, TABLE

Handler = Callable[[Any, Any], Any]


@pytest.fixture
def function(s3: Any, bucket: str, dynamodb: Any, monkeypatch: pytest.MonkeyPatch) -> Handler:
    """The deployed action function's handler, with its bucket, prefix and history table."""
    create_history_table(dynamodb, TABLE)
    for name in ("SYNTHDATA_BACKEND", "SYNTHDATA_ENDPOINT_URL", "SYNTHDATA_MAX_ACTION_ROWS"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("SYNTHDATA_BUCKET", bucket)
    monkeypatch.setenv("SYNTHDATA_PREFIX", PREFIX)
    monkeypatch.setenv("SYNTHDATA_HISTORY_TABLE", TABLE)
    return make_handler()


@pytest.fixture
def routes(monkeypatch: pytest.MonkeyPatch) -> Routes:
    """Where a test adds its botocore hooks (gone when it ends)."""
    return Routes(monkeypatch)


@pytest.fixture
def lambda_function(function: Handler, routes: Routes) -> LambdaFunction:
    """Lambda Invoke runs the function."""
    deployed = LambdaFunction(function)
    routes.add("before-send.lambda.Invoke", deployed)
    return deployed


@pytest.fixture
def agent(function: Handler, routes: Routes) -> FakeAgent:
    """Bedrock InvokeAgent is answered by an agent whose action group is the function."""
    fake = FakeAgent(function)
    routes.add("before-send.bedrock-agent-runtime.InvokeAgent", fake)
    return fake
