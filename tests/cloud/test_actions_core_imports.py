"""The core never loads the cloud's dependencies: importing synthdata, the plugin, or running
the CLI's help (the backend command's too) leaves boto3, botocore, powertools and moto out."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
AWS_MODULES = ("boto3", "botocore", "aws_lambda_powertools", "moto")
PROBE = """
import contextlib, io, sys
{code}
loaded = sorted({{name.partition(".")[0] for name in sys.modules}} & set({modules!r}))
print(",".join(loaded))
"""


def _loaded_after(code: str) -> list[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    result = subprocess.run(
        [sys.executable, "-c", PROBE.format(code=code, modules=AWS_MODULES)],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        check=True,
    )
    return [name for name in result.stdout.strip().split(",") if name]


@pytest.mark.parametrize(
    "code",
    [
        "import synthdata_sdk",
        "from synthdata_sdk import SynthDataClient; SynthDataClient().generate('customer', rows=3)",
        "import pytest_synthdata.plugin",
        "import synthdata_sdk.cloud",
        "from synthdata_sdk.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()): main(['--help'])",
        "from synthdata_sdk.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()): main(['backend', '--help'])",
    ],
)
def test_the_core_loads_no_aws_module(code: str) -> None:
    assert _loaded_after(code) == []


def test_the_probe_sees_a_module_the_backend_command_loads() -> None:
    code = (
        "from synthdata_sdk.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()): main(['backend', 'openapi'])"
    )
    assert "aws_lambda_powertools" in _loaded_after(code)
