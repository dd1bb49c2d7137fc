"""Shared fixtures: the JSON Schema Test Suite location and a format-checking validator."""

from __future__ import annotations

import os
from importlib.util import find_spec
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

ROOT = Path(__file__).resolve().parent.parent
#: environment variables that change how the plugin serves datasets: tests running pytest
#: (pytester) clear them, so the machine's settings never leak in
SETTINGS_VARIABLES = (
    "CI",
    "SYNTHDATA_CACHE_DIR",
    "PYTEST_ADDOPTS",
    "PYTEST_XDIST_AUTO_NUM_WORKERS",
    "SYNTHDATA_OFFLINE",
    "SYNTHDATA_SHARED_CACHE",
    "SYNTHDATA_SHARED_CACHE_WRITE",
    "SYNTHDATA_SIGNING_KEY",
    "SYNTHDATA_REQUIRE_SIGNED",
    "SYNTHDATA_ENDPOINT_URL",
    "SYNTHDATA_BACKEND",
    "SYNTHDATA_FUNCTION_NAME",
    "SYNTHDATA_AGENT_ID",
    "SYNTHDATA_AGENT_ALIAS_ID",
    "SYNTHDATA_REGION",
    "SYNTHDATA_BUCKET",
    "SYNTHDATA_PREFIX",
    "SYNTHDATA_TRACE",
)


def shared_dir() -> Path | None:
    """The shared reference folder beside the checkout (``SYNTHDATA_SHARED`` overrides)."""
    configured = os.environ.get("SYNTHDATA_SHARED")
    candidates = [Path(configured)] if configured else []
    candidates.append(ROOT.parent / "shared")
    for candidate in candidates:
        if (candidate / "data" / "json-schema-test-suite").is_dir():
            return candidate
    return None


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Skip the tests marked ``presidio`` where presidio-analyzer is not installed.

    The ``test`` extra leaves Presidio out; ``tox -e presidio`` installs it and runs them.
    """
    if find_spec("presidio_analyzer") is not None:
        return
    skip = pytest.mark.skip(reason="needs the [presidio] extra: tox -e presidio")
    for item in items:
        if item.get_closest_marker("presidio") is not None:
            item.add_marker(skip)


def format_validator(schema: Any) -> Draft202012Validator:
    """A 2020-12 validator that also asserts ``format``."""
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


@pytest.fixture
def assert_valid() -> Any:
    """Assert every record is valid against a schema, naming the first failure."""

    def check(schema: Any, records: list[Any]) -> None:
        validator = format_validator(schema)
        for i, record in enumerate(records):
            errors = list(validator.iter_errors(record))
            assert not errors, (
                f"record {i} invalid: {errors[0].message} at {list(errors[0].absolute_path)}: {record!r}"
            )

    return check
