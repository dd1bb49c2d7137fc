"""The docs tests run like a reader's shell: no CI or cache settings from outside, the SDK
loaded before pytester runs pytest examples in this process."""

from __future__ import annotations

import contextlib
import importlib
import pkgutil

import pytest

from tests.conftest import SETTINGS_VARIABLES


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in (*SETTINGS_VARIABLES, "SYNTHDATA_DEBUG"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture(scope="session", autouse=True)
def _sdk_loaded_outside() -> None:
    """Import every SDK module before the first in-process pytester run.

    pytester drops the modules an inner run imported when it ends: numpy cannot be imported
    twice, and a command run in this process afterwards would catch an error class of the
    dropped module instead of the one raised.
    """
    import synthdata_sdk

    for module in pkgutil.walk_packages(synthdata_sdk.__path__, "synthdata_sdk."):
        with contextlib.suppress(ImportError):  # an optional extra that is not installed
            importlib.import_module(module.name)
    synthdata_sdk.SynthDataClient().generate("customer", rows=1)
