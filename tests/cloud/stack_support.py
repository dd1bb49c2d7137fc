"""Fixtures and helpers for the tests of the local stack: a stack per test module, reached
with real boto3 clients over HTTP on 127.0.0.1.

A module importing ``aws`` and ``stack`` from here replaces the autouse ``mock_aws`` of
``conftest.py``: the stack's moto serves over HTTP, and ``mock_aws`` would intercept every
client of the process instead.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from synthdata_sdk.cloud.local import LocalStack


@pytest.fixture(autouse=True)
def aws(aws_env: None) -> None:
    """Fake credentials and region, and no ``mock_aws``: the clients talk HTTP to the stack."""


@pytest.fixture(scope="module")
def stack(aws_env: None) -> Iterator[LocalStack]:
    """A running stack on a free port, for the whole module."""
    with LocalStack(port=0) as running:
        yield running


@pytest.fixture
def swap_handler(stack: LocalStack) -> Iterator[LocalStack]:
    """The module's stack; a handler a test sets is put back afterwards."""
    original = stack.handler
    try:
        yield stack
    finally:
        stack.handler = original


def structured(action: str, **request: Any) -> dict[str, Any]:
    """``sessionState`` carrying a structured request, as the SDK's agent backend sends it."""
    text = json.dumps({"action": action, "request": request})
    return {"sessionAttributes": {"synthdata_request": text}}


def direct(action: str, session_id: str | None = None, **request: Any) -> bytes:
    """A direct request's payload for ``lambda.invoke``."""
    event: dict[str, Any] = {"action": action, "request": request}
    if session_id is not None:
        event["session_id"] = session_id
    return json.dumps(event).encode("utf-8")


def raising(event: Any, context: Any) -> Any:
    """A handler that fails as a broken deployment would."""
    raise ValueError("the function broke")
