"""Helpers for the cloud tests."""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

import pytest

Result = TypeVar("Result")


def at_once(count: int, call: Callable[[int], Result]) -> list[Result]:
    """``call(0)`` ... ``call(count - 1)`` in ``count`` threads released together."""
    start = threading.Barrier(count)

    def run(number: int) -> Result:
        start.wait(timeout=30)
        return call(number)

    with ThreadPoolExecutor(count) as pool:
        return list(pool.map(run, range(count)))


def serialize_moto_calls(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make moto in-process handle each call whole before the next one starts.

    S3 and DynamoDB handle a conditional write atomically; moto in-process does not under
    threads (two overwrites of one key can break its object buffers). Our own races, between
    calls, stay as they are.
    """
    from moto.core.botocore_stubber import BotocoreStubber

    lock = threading.Lock()
    handle = BotocoreStubber.process_request

    def atomic(self: BotocoreStubber, request: Any) -> Any:
        with lock:
            return handle(self, request)

    monkeypatch.setattr(BotocoreStubber, "process_request", atomic)
