"""pytest-xdist, in one place: workers publish what they served, the controller merges it.

Every hook here is optional: without pytest-xdist, nothing calls them.
"""

from __future__ import annotations

import time
from typing import Any

import pytest

from pytest_synthdata.state import SessionState, state_of
from pytest_synthdata.validation import marker_error

#: the key of a worker's log in ``workeroutput``
WORKER_KEY = "synthdata"
#: the key of the marker problems that stopped a worker's collection, in ``workeroutput``
MARKER_PROBLEMS_KEY = "synthdata_marker_problems"
#: the controller's start time in ``workerinput``: mode ``all`` judges "this run" by it
RUN_STARTED_KEY = "synthdata_run_started"


def is_worker(config: pytest.Config) -> bool:
    return getattr(config, "workerinput", None) is not None


def run_started(config: pytest.Config) -> float:
    """When this run started: the controller's clock, on every worker too."""
    worker_input = getattr(config, "workerinput", None) or {}
    return float(worker_input.get(RUN_STARTED_KEY, time.time()))


def publish(config: pytest.Config, state: SessionState) -> None:
    """Worker side: hand this worker's log, and what stopped its collection, to the controller."""
    output: dict[str, Any] = config.workeroutput  # type: ignore[attr-defined]
    output[WORKER_KEY] = state.log.to_json()
    output[MARKER_PROBLEMS_KEY] = state.marker_problems


@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node: Any) -> None:
    """Controller side: every worker judges "generated in this run" by one start time."""
    node.workerinput[RUN_STARTED_KEY] = state_of(node.config).run_started


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node: Any, error: Any) -> None:
    """Controller side: merge what a finished worker served; stop on its bad markers.

    A usage error raised in a worker's collection would only show as a crashed worker.
    """
    output = getattr(node, "workeroutput", None) or {}
    if output.get(MARKER_PROBLEMS_KEY):
        raise marker_error(list(output[MARKER_PROBLEMS_KEY]))
    if WORKER_KEY in output:
        state_of(node.config).log.merge(output[WORKER_KEY])
