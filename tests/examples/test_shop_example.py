"""examples/shop runs as its README says: from a clean checkout, recorded once and replayed in
mode none without generating, and failing with the command that records a missing dataset.

The example is a project of its own (its own pytest.ini, rootdir and cache), so it runs in a
subprocess, on a copy: the checkout's examples/ folder is never written to.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, SETTINGS_VARIABLES

pytestmark = pytest.mark.slow

EXAMPLE = ROOT / "examples" / "shop"
#: what a run leaves in the example's folder; a clean checkout has none of it
LOCAL_STATE = (".synthdata", ".hypothesis", ".pytest_cache", "__pycache__")
SUMMARY = re.compile(r"^synthdata: (\d+) generated, (\d+) cached, (\d+) errors", re.MULTILINE)


def _environment() -> dict[str, str]:
    """This environment without the settings that change how datasets are served, with the
    checkout's packages first (as this suite imports them)."""
    env = {k: v for k, v in os.environ.items() if k not in SETTINGS_VARIABLES}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    env["PYTHON"] = sys.executable
    return env


def _run(folder: Path, *command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        command,
        cwd=folder,
        env=_environment(),
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def _pytest(folder: Path, *arguments: str) -> subprocess.CompletedProcess[str]:
    return _run(folder, sys.executable, "-m", "pytest", "-p", "no:cacheprovider", *arguments)


def _summaries(output: str) -> list[tuple[int, int, int]]:
    return [(int(g), int(c), int(e)) for g, c, e in SUMMARY.findall(output)]


@pytest.fixture(scope="module")
def recorded(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """A clean copy of the example after its one command, ``run.sh``, and that command's output."""
    folder = tmp_path_factory.mktemp("example") / "shop"
    shutil.copytree(EXAMPLE, folder, ignore=shutil.ignore_patterns(*LOCAL_STATE))
    result = _run(folder, "sh", "run.sh", "-p", "no:cacheprovider")
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    return folder, output


def test_the_example_records_then_replays_without_generating(recorded: tuple[Path, str]) -> None:
    _, output = recorded
    (record, replay) = _summaries(output)
    assert record[0] >= 1 and record[2] == 0  # the clean copy had no cache: it generated
    assert replay[0] == 0 and replay[1] > 0 and replay[2] == 0  # cache hits only
    assert "mode none (ini)" in output
    assert "missing from synthdata.lock" not in output
    assert re.search(r"^=+ \d+ passed in ", output, re.MULTILINE)


def test_the_committed_lock_lists_what_the_suite_uses(recorded: tuple[Path, str]) -> None:
    folder, _ = recorded
    result = _pytest(folder, "--synthdata-update-lock")
    assert result.returncode == 0, result.stdout + result.stderr
    # a new data version or a changed marker changes the fingerprint: record the lock again
    # in examples/shop with pytest --synthdata-mode=new --synthdata-update-lock
    assert (folder / "synthdata.lock").read_text() == (EXAMPLE / "synthdata.lock").read_text()


def test_mode_none_without_the_cache_fails_with_the_command_that_records(
    recorded: tuple[Path, str], tmp_path: Path
) -> None:
    folder = tmp_path / "shop"
    shutil.copytree(recorded[0], folder)
    shutil.rmtree(folder / ".synthdata")
    result = _pytest(folder, "tests/test_db.py")
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert "is not in the cache at" in output
    assert "and mode 'none' never generates. Record it from the rootdir with:" in output
    assert "pytest --synthdata-mode=new tests/test_db.py::" in output
    generated, cached, errors = _summaries(output)[-1]
    assert (generated, cached) == (0, 0) and errors > 0
    assert not (folder / ".synthdata" / "datasets").exists() or not any(
        (folder / ".synthdata" / "datasets").iterdir()
    )
