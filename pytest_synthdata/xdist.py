"""pytest-xdist, in one place: workers publish what they served, the controller merges it.

Every hook here is optional: without pytest-xdist, nothing calls them.
"""

from __future__ import annotations

import time
from typing import Any

import pytest

from pytest_synthdata.state import SessionState, state_of

#: the key of a worker's log in ``workeroutput``
WORKER_KEY = "synthdata"
#: the controller's start time in ``workerinput``: mode ``all`` judges "this run" by it
RUN_STARTED_KEY = "synthdata_run_started"


def is_worker(config: pytest.Config) -> bool:
    return getattr(config, "workerinput", None) is not None


def run_started(config: pytest.Config) -> float:
    """When this run started: the controller's clock, on every worker too."""
    worker_input = getattr(config, "workerinput", None) or {}
    return float(worker_input.get(RUN_STARTED_KEY, time.time()))


def publish(config: pytest.Config, state: SessionState) -> None:
    """Worker side: hand this worker's log to the controller."""
    config.workeroutput[WORKER_KEY] = state.log.to_json()  # type: ignore[attr-defined]


@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node: Any) -> None:
    """Controller side: every worker judges "generated in this run" by one start time."""
    node.workerinput[RUN_STARTED_KEY] = state_of(node.config).run_started


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node: Any, error: Any) -> None:
    """Controller side: merge what a finished worker served."""
    output = getattr(node, "workeroutput", None) or {}
    if WORKER_KEY in output:
        state_of(node.config).log.merge(output[WORKER_KEY])
