"""The pytest11 entry point: for now it only describes the ``synthdata`` marker.

pytest imports this module in every run of every project that has synthdata installed, so it
imports nothing heavy: the SDK (numpy, Faker) is loaded only by the fixtures that need it,
which arrive in the next release.
"""

from __future__ import annotations

import pytest

MARKER = (
    'synthdata(source, *, rows=100, seed=0, locale="en_US", compliance=(), name=None): '
    "a synthetic dataset for this test, generated from a schema source (a template name, a "
    "JSON Schema dict or file, or a pydantic model); the fixtures that serve it arrive in "
    "the next release."
)


def pytest_configure(config: pytest.Config) -> None:
    """Describe the marker in code, so ``--strict-markers`` accepts it without any ini entry."""
    config.addinivalue_line("markers", MARKER)
