"""A throwaway pytest project per test, with no synthdata settings leaking in from outside."""

from __future__ import annotations

import pytest

from tests.conftest import SETTINGS_VARIABLES


@pytest.fixture(scope="session", autouse=True)
def _engine_loaded_outside() -> None:
    """Load the SDK in this process before any in-process pytester run.

    pytester drops the modules an inner run imported when it ends, and numpy cannot be
    imported twice in one process; loaded here first, they stay.
    """
    from synthdata_sdk import SynthDataClient

    client = SynthDataClient()
    client.generate_prepared(client.prepare("customer", rows=1))


@pytest.fixture
def project(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> pytest.Pytester:
    """A pytester project at its own rootdir, with CI, cache, shared cache and addopts
    variables cleared."""
    for name in SETTINGS_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    pytester.makeini("[pytest]\n")
    return pytester
