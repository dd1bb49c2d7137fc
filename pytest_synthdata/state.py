"""One pytest process's synthdata state, kept on its ``pytest.Config`` behind a ``StashKey``.

Hooks and fixtures reach the state through ``state_of(config)``: nothing imports the plugin
module back, and two pytest runs in one process (pytester) never share state.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from pytest_synthdata.config import SynthdataConfig
from pytest_synthdata.session import SessionLog
from synthdata_sdk.backend_config import BackendConfig

if TYPE_CHECKING:
    from pytest_synthdata.session import DatasetServer
    from synthdata_sdk import SynthDataClient


@dataclass
class SessionState:
    """The session's settings, what was served, summary notes, and the servers by settings."""

    settings: SynthdataConfig
    rootdir: Path
    run_started: float
    is_worker: bool
    log: SessionLog = field(default_factory=SessionLog)
    notes: list[str] = field(default_factory=list)
    #: what stopped collection, for an xdist worker to publish
    marker_problems: list[str] = field(default_factory=list)
    _clients: dict[tuple[BackendConfig, bool], SynthDataClient] = field(default_factory=dict)
    _servers: dict[SynthdataConfig, DatasetServer] = field(default_factory=dict)

    def client(self, config: SynthdataConfig) -> SynthDataClient:
        """The client for ``config``'s backend settings (one per distinct settings)."""
        backend = config.backend_settings
        if backend.backend != config.backend:  # an override changed the name alone
            from synthdata_sdk.backend_config import resolve_config

            backend = resolve_config({"backend": config.backend}, start=self.rootdir)
        key = (backend, config.offline)
        if key not in self._clients:
            from pytest_synthdata.backend import open_client

            self._clients[key] = open_client(
                backend, offline=config.offline, project_dir=self.rootdir
            )
        return self._clients[key]

    def server(self, config: SynthdataConfig) -> DatasetServer:
        """The server for these settings: one per distinct settings value, for the session.

        Tests whose ``synthdata_config`` gives equal settings share a server, and with it the
        datasets held in memory; an override gets its own.
        """
        config = config.as_overridden(self.settings)
        if config not in self._servers:
            from pytest_synthdata.session import DatasetServer

            self._servers[config] = DatasetServer(
                config, self.client(config), self.log, self.run_started, self.rootdir
            )
        return self._servers[config]


STATE = pytest.StashKey[SessionState]()


def state_of(config: pytest.Config) -> SessionState:
    """The synthdata state of this pytest run."""
    return config.stash[STATE]
