"""The pytest11 entry point: a table of contents of the plugin's hooks and fixtures.

pytest imports this module in every run of every project that has synthdata installed, so it
imports nothing heavy: the SDK (numpy, Faker) loads only when a test asks for a dataset.

- options and settings: ``config``; the run's state: ``state`` (on the config's stash)
- marker checks at collection: ``validation``; fixtures: ``fixtures``
- serving datasets: ``session``; the lock file: ``lockfile``
- pytest-xdist: ``xdist``; the terminal header and summary: ``report``
"""

from __future__ import annotations

import pytest

from pytest_synthdata import config as settings
from pytest_synthdata import xdist
from pytest_synthdata.fixtures import (
    _synthdata_server,
    synthdata,
    synthdata_client,
    synthdata_config,
    synthdata_dataset,
)
from pytest_synthdata.markers import MARKER_HELP
from pytest_synthdata.report import (
    pytest_report_collectionfinish,
    pytest_report_header,
    pytest_terminal_summary,
)
from pytest_synthdata.state import STATE, SessionState, state_of
from pytest_synthdata.validation import pytest_collection_modifyitems
from pytest_synthdata.xdist import pytest_configure_node, pytest_testnodedown

# pytest finds hooks and fixtures by attribute: these names are the plugin.
__all__ = [
    "_synthdata_server",
    "pytest_addoption",
    "pytest_collection_modifyitems",
    "pytest_configure",
    "pytest_configure_node",
    "pytest_deselected",
    "pytest_report_collectionfinish",
    "pytest_report_header",
    "pytest_sessionfinish",
    "pytest_terminal_summary",
    "pytest_testnodedown",
    "synthdata",
    "synthdata_client",
    "synthdata_config",
    "synthdata_dataset",
]


def pytest_addoption(parser: pytest.Parser) -> None:
    settings.add_options(parser)


def pytest_configure(config: pytest.Config) -> None:
    """Describe the marker (``--strict-markers`` accepts it) and start the run's state."""
    config.addinivalue_line("markers", MARKER_HELP)
    config.stash[STATE] = SessionState(
        settings=settings.resolve(config),
        rootdir=config.rootpath,
        run_started=xdist.run_started(config),
        is_worker=xdist.is_worker(config),
    )


def pytest_deselected(items: list[pytest.Item]) -> None:
    if items:
        state_of(items[0].config).log.deselected += len(items)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Workers publish their log; the controller does the lock file work for the whole run."""
    state = state_of(session.config)
    if state.is_worker:
        xdist.publish(session.config, state)
        return
    from pytest_synthdata.lockfile import LockKeeper

    keeper = LockKeeper(state.settings, state.log, full_run=_is_full_run(session, exitstatus))
    state.notes.extend(keeper.finish())
    if keeper.errors and session.exitstatus == pytest.ExitCode.OK:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED  # a lock problem fails the run


def _is_full_run(session: pytest.Session, exitstatus: int) -> bool:
    """Every test ran: no paths or node ids given, nothing deselected, no early stop."""
    explicit = bool(session.config.option.file_or_dir)
    completed = exitstatus in (pytest.ExitCode.OK, pytest.ExitCode.TESTS_FAILED)
    stopped = bool(session.shouldstop or session.shouldfail)
    deselected = state_of(session.config).log.deselected
    return completed and not stopped and not explicit and not deselected
