"""The pytest11 entry point: options, marker checks, fixtures, xdist coordination and reporting.

pytest imports this module in every run of every project that has synthdata installed, so it
imports nothing heavy: the SDK (numpy, Faker) loads only when a test asks for a dataset.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

import pytest

from pytest_synthdata import config as settings
from pytest_synthdata.fixtures import (  # noqa: F401 - pytest finds fixtures by attribute
    _synthdata_server,
    synthdata,
    synthdata_client,
    synthdata_config,
    synthdata_dataset,
)
from pytest_synthdata.markers import MARKER_HELP, MarkerError, marked_nodes, spec_from_arguments
from pytest_synthdata.session import SessionLog

if TYPE_CHECKING:
    from pytest_synthdata.session import DatasetServer
    from synthdata_sdk import SynthDataClient

PLUGIN_NAME = "synthdata-session"
WORKER_KEY = "synthdata"
RUN_STARTED_KEY = "synthdata_run_started"


def pytest_addoption(parser: pytest.Parser) -> None:
    settings.add_options(parser)


def pytest_configure(config: pytest.Config) -> None:
    """Describe the marker (``--strict-markers`` accepts it) and start the session's state."""
    config.addinivalue_line("markers", MARKER_HELP)
    config.pluginmanager.register(SynthdataPlugin(config), PLUGIN_NAME)


class SynthdataPlugin:
    """The state of one pytest process: settings, datasets served, and the reports."""

    def __init__(self, config: pytest.Config) -> None:
        self.pytest_config = config
        self.config = settings.resolve(config)
        self.log = SessionLog()
        worker_input = getattr(config, "workerinput", None)
        self.is_worker = worker_input is not None
        self.run_started = float(
            worker_input.get(RUN_STARTED_KEY, time.time()) if worker_input else time.time()
        )
        self.notes: list[str] = []
        self._servers: dict[tuple[int, settings.SynthdataConfig], DatasetServer] = {}

    def server(self, config: settings.SynthdataConfig, client: SynthDataClient) -> DatasetServer:
        """The dataset server for these settings and client (one per session)."""
        from pytest_synthdata.session import DatasetServer

        key = (id(client), config)
        if key not in self._servers:
            self._servers[key] = DatasetServer(
                config, client, self.log, self.run_started, self.pytest_config.rootpath
            )
        return self._servers[key]

    # Collection -----------------------------------------------------------------------------

    @pytest.hookimpl(trylast=True)
    def pytest_collection_modifyitems(self, items: list[pytest.Item]) -> None:
        """Check every synthdata marker's arguments; report all bad ones at once."""
        problems: dict[tuple[str, int], str] = {}
        for item in items:
            for node, index, mark in marked_nodes(item):
                key = (node.nodeid, index)
                if key in problems:
                    continue
                try:
                    spec_from_arguments(mark.args, mark.kwargs)
                except MarkerError as error:
                    where = node.nodeid or str(node.path)
                    problems[key] = f"{where}: @pytest.mark.synthdata: {error}"
        if problems:
            raise pytest.UsageError(
                "bad synthdata marker arguments:\n  " + "\n  ".join(problems.values())
            )

    def pytest_deselected(self, items: list[pytest.Item]) -> None:
        self.log.deselected += len(items)

    # Reporting ------------------------------------------------------------------------------

    def pytest_report_header(self) -> str:
        config = self.config
        offline = ", offline" if config.offline else ""
        return (
            f"synthdata: backend {config.backend}, mode {config.mode} ({config.mode_origin})"
            f"{offline}, cache {config.cache_dir}"
        )

    # xdist ----------------------------------------------------------------------------------

    @pytest.hookimpl(optionalhook=True)
    def pytest_configure_node(self, node: Any) -> None:
        """Controller side: every worker judges "generated in this run" by one start time."""
        node.workerinput[RUN_STARTED_KEY] = self.run_started

    @pytest.hookimpl(optionalhook=True)
    def pytest_testnodedown(self, node: Any, error: Any) -> None:
        """Controller side: merge what a finished worker served."""
        output = getattr(node, "workeroutput", None) or {}
        if WORKER_KEY in output:
            self.log.merge(output[WORKER_KEY])

    # End of session -------------------------------------------------------------------------

    def pytest_sessionfinish(self, session: pytest.Session, exitstatus: int) -> None:
        if self.is_worker:
            self.pytest_config.workeroutput[WORKER_KEY] = self.log.to_json()  # type: ignore[attr-defined]
            return
        from pytest_synthdata.lockfile import LockKeeper

        keeper = LockKeeper(self.config, self.log, full_run=self._is_full_run(session, exitstatus))
        self.notes.extend(keeper.finish())
        if keeper.errors and session.exitstatus == pytest.ExitCode.OK:
            session.exitstatus = pytest.ExitCode.TESTS_FAILED  # a lock problem fails the run

    def _is_full_run(self, session: pytest.Session, exitstatus: int) -> bool:
        """Every test ran: no paths or node ids given, nothing deselected, no early stop."""
        explicit = bool(self.pytest_config.option.file_or_dir)
        completed = exitstatus in (pytest.ExitCode.OK, pytest.ExitCode.TESTS_FAILED)
        stopped = bool(session.shouldstop or session.shouldfail)
        return completed and not stopped and not explicit and not self.log.deselected

    def pytest_terminal_summary(self, terminalreporter: Any) -> None:
        if self.is_worker or not (self.log.events or self.notes):
            return
        terminalreporter.write_sep("-", "synthdata")
        terminalreporter.write_line(self.log.summary_line())
        if terminalreporter.config.getoption("verbose") > 0:
            for row in self.log.per_dataset():
                terminalreporter.write_line(
                    f"  {row['fingerprint'][:12]}  {row['source']}  {row['rows']} rows  "
                    f"{row['origin']}  {row['seconds']:.3f}s  ({_uses(row['uses'])})"
                    + ("" if row.get("quality") is None else f"  quality {row['quality']:.2f}")
                )
        for note in self.notes:
            terminalreporter.write_line(note)


def _uses(count: int) -> str:
    return f"{count} use" if count == 1 else f"{count} uses"
