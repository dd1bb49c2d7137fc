"""Fixtures the SDK tests share."""

from __future__ import annotations

import pytest

from synthdata_sdk.cli import main
from tests.sdk.cli_support import Run


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str]) -> Run:
    """Run the ``synthdata`` command's ``main`` and return (exit code, stdout, stderr)."""

    def invoke(*argv: str) -> tuple[int, str, str]:
        code = main(list(argv))
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    return invoke
