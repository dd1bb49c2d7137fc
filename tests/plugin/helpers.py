"""Reading a plugin run's results: the summary line, the cache folder, JSON files."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

SUMMARY = re.compile(
    r"synthdata: (\d+) generated, (\d+) cached(?: \((?P<shared>\d+) from the shared cache\))?, "
    r"(\d+) errors? \((\d+) datasets?, (\d+) rows?\)"
)


def summary(result: pytest.RunResult) -> tuple[int, ...]:
    """(generated, cached, errors, datasets, rows) from the run's summary line."""
    found = _summary(result)
    return tuple(int(group) for index, group in enumerate(found.groups()) if index != 2)


def shared_hits(result: pytest.RunResult) -> int | None:
    """The summary's ``N from the shared cache``, or None when the line does not give it."""
    shared = _summary(result)["shared"]
    return None if shared is None else int(shared)


def _summary(result: pytest.RunResult) -> re.Match[str]:
    for line in result.outlines:
        found = SUMMARY.fullmatch(line.strip())
        if found:
            return found
    raise AssertionError("no synthdata summary line in:\n" + result.stdout.str())


def entries(cache: Path) -> list[str]:
    """Fingerprints stored in a cache folder."""
    folder = cache / "datasets"
    if not folder.is_dir():
        return []
    return sorted(p.name for p in folder.iterdir() if not p.name.startswith("."))


def read_json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


#: a conftest.py that refuses every connection of the run and notes it in connections.json
REFUSE_CONNECTIONS = """
import json
import socket
from pathlib import Path

# Loaded before any plugin is configured: from here on, every connection attempt is noted
# (in connections.json) and refused.
LOG = Path("connections.json").absolute()
LOG.write_text("[]")
ORIGINAL = (socket.socket.connect, socket.socket.connect_ex)


def refuse(self, address, *args):
    LOG.write_text(json.dumps([*json.loads(LOG.read_text()), repr(address)]))
    raise ConnectionRefusedError(f"this run may not connect to {address!r}")


socket.socket.connect = refuse
socket.socket.connect_ex = refuse


def pytest_configure(config):
    config.socket_methods = ORIGINAL


def pytest_unconfigure(config):
    import socket  # this module's globals may be gone by now under pytester

    socket.socket.connect, socket.socket.connect_ex = config.socket_methods
"""
