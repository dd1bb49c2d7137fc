"""The core never imports the cloud libraries: they belong to the ``aws`` extra alone."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

from tests.conftest import ROOT

CLOUD_LIBRARIES = ("boto3", "botocore", "moto", "aws_lambda_powertools", "s3transfer")


def imported_after(code: str) -> list[str]:
    """The cloud libraries a fresh interpreter has imported after running ``code``."""
    script = textwrap.dedent(code) + textwrap.dedent(
        f"""
        import json, sys
        found = sorted({{name.split(".")[0] for name in sys.modules}} & set({CLOUD_LIBRARIES!r}))
        print(json.dumps(found))
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def test_the_core_and_a_local_generation_import_no_cloud_library(tmp_path: Path) -> None:
    code = f"""
        import synthdata_sdk
        from synthdata_sdk import SynthDataClient
        from synthdata_sdk.cache import DatasetStore, LocalStore
        import synthdata_sdk.cache.entry_format, synthdata_sdk.cache.resolver

        dataset = SynthDataClient().generate("customer", rows=3, seed=1)
        store = LocalStore({str(tmp_path)!r})
        store.put(dataset)
        assert store.load(dataset.fingerprint).records == dataset.records
        import synthdata_sdk.cloud  # the package itself loads its modules lazily
    """
    assert imported_after(code) == []


def test_the_command_lines_help_imports_no_cloud_library() -> None:
    code = """
        import contextlib, io
        from synthdata_sdk.cli import main
        with contextlib.redirect_stdout(io.StringIO()):
            assert main(["--help"]) == 0
    """
    assert imported_after(code) == []


def test_the_plugin_and_the_backend_commands_help_import_no_cloud_library() -> None:
    code = """
        import contextlib, io
        import pytest_synthdata.plugin
        from synthdata_sdk.cli import main
        with contextlib.redirect_stdout(io.StringIO()):
            assert main(["backend", "--help"]) == 0
    """
    assert imported_after(code) == []


def test_the_check_sees_the_backend_command_import_powertools() -> None:
    code = """
        import contextlib, io
        from synthdata_sdk.cli import main
        with contextlib.redirect_stdout(io.StringIO()):
            assert main(["backend", "openapi"]) == 0
    """
    assert "aws_lambda_powertools" in imported_after(code)


def test_the_check_sees_a_cloud_import() -> None:
    assert "botocore" in imported_after("import synthdata_sdk.cloud.s3_store")
