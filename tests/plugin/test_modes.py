"""Record/replay modes, CI default, corruption handling and the offline flag."""

from __future__ import annotations

import re
import shlex
import subprocess
import sys

import pytest

from tests.plugin.helpers import entries, read_json, summary

ONE_TEST = """
import pytest

@pytest.mark.synthdata("customer", rows=12, seed=5)
def test_customers(synthdata):
    assert synthdata.rows == 12
"""


def test_once_generates_then_replays(project: pytest.Pytester) -> None:
    project.makepyfile(test_once=ONE_TEST)
    first = project.runpytest()
    first.assert_outcomes(passed=1)
    assert summary(first) == (1, 0, 0, 1, 12)
    cache = project.path / ".synthdata"
    (fingerprint,) = entries(cache)
    manifest = read_json(cache / "datasets" / fingerprint / "manifest.json")
    assert manifest["fingerprint"] == fingerprint
    assert manifest["tables"] == {"customer": 12}
    second = project.runpytest()
    second.assert_outcomes(passed=1)
    assert summary(second) == (0, 1, 0, 1, 12)


def test_none_names_the_fingerprint_source_and_the_command_that_records(
    project: pytest.Pytester,
) -> None:
    project.makepyfile(test_none=ONE_TEST)
    result = project.runpytest("--synthdata-mode=none")
    result.assert_outcomes(errors=1)
    assert summary(result)[:3] == (0, 0, 1)
    text = result.stdout.str()
    found = re.search(r"dataset ([0-9a-f]{64}) \(template 'customer', 12 rows, seed 5", text)
    assert found, text
    assert "mode 'none' never generates" in text
    command = re.search(r"\n\s+(pytest --synthdata-mode=new \S+)\n", text)
    assert (
        command and command.group(1) == "pytest --synthdata-mode=new test_none.py::test_customers"
    )
    assert entries(project.path / ".synthdata") == []

    # The command it prints records exactly that dataset; then mode none replays it.
    recorded = subprocess.run(
        [sys.executable, "-m", *shlex.split(command.group(1)), "-p", "no:cacheprovider"],
        cwd=project.path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert recorded.returncode == 0, recorded.stdout + recorded.stderr
    assert entries(project.path / ".synthdata") == [found.group(1)]
    project.runpytest("--synthdata-mode=none").assert_outcomes(passed=1)


def test_ci_environment_defaults_to_none_unless_a_mode_is_configured(
    project: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    project.makepyfile(test_ci=ONE_TEST)
    monkeypatch.setenv("CI", "true")
    result = project.runpytest()
    result.stdout.fnmatch_lines(["synthdata: backend local, mode none (CI), cache *"])
    result.assert_outcomes(errors=1)
    explicit = project.runpytest("--synthdata-mode=once")
    explicit.stdout.fnmatch_lines(["synthdata: backend local, mode once (option), cache *"])
    explicit.assert_outcomes(passed=1)
    project.makeini("[pytest]\nsynthdata_mode = new\n")
    from_ini = project.runpytest()
    from_ini.stdout.fnmatch_lines(["synthdata: backend local, mode new (ini), cache *"])
    from_ini.assert_outcomes(passed=1)


def test_bad_ini_mode_is_a_usage_error(project: pytest.Pytester) -> None:
    project.makeini("[pytest]\nsynthdata_mode = sometimes\n")
    project.makepyfile(test_x=ONE_TEST)
    result = project.runpytest()
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*synthdata_mode = 'sometimes' is not a mode*"])


def test_new_generates_only_what_is_missing(project: pytest.Pytester) -> None:
    project.makepyfile(test_new=ONE_TEST)
    project.runpytest().assert_outcomes(passed=1)
    (fingerprint,) = entries(project.path / ".synthdata")
    manifest = project.path / ".synthdata" / "datasets" / fingerprint / "manifest.json"
    written = manifest.stat().st_mtime_ns
    project.makepyfile(
        test_more="""
        import pytest

        @pytest.mark.synthdata("order", rows=3)
        def test_orders(synthdata):
            pass
        """
    )
    result = project.runpytest("--synthdata-mode=new")
    result.assert_outcomes(passed=2)
    assert summary(result)[:2] == (1, 1)
    assert manifest.stat().st_mtime_ns == written
    assert len(entries(project.path / ".synthdata")) == 2


def test_all_regenerates_once_per_run(project: pytest.Pytester) -> None:
    project.makepyfile(
        test_all="""
        import pytest

        MARK = pytest.mark.synthdata("customer", rows=12, seed=5)

        @MARK
        def test_one(synthdata):
            pass

        @MARK
        def test_two(synthdata):
            pass
        """
    )
    project.runpytest().assert_outcomes(passed=2)
    (fingerprint,) = entries(project.path / ".synthdata")
    manifest = project.path / ".synthdata" / "datasets" / fingerprint / "manifest.json"
    before = manifest.read_text()
    written = manifest.stat().st_mtime_ns
    result = project.runpytest("--synthdata-mode=all")
    result.assert_outcomes(passed=2)
    assert summary(result)[:2] == (1, 1)
    assert manifest.stat().st_mtime_ns > written
    # Same request, same records: only the creation time may differ.
    after = read_json(manifest)
    assert {k: v for k, v in after.items() if k != "created_at"} == {
        k: v for k, v in read_json_text(before).items() if k != "created_at"
    }


def read_json_text(text: str) -> dict[str, object]:
    import json

    data: dict[str, object] = json.loads(text)
    return data


def _corrupt_records(project: pytest.Pytester) -> str:
    (fingerprint,) = entries(project.path / ".synthdata")
    records = project.path / ".synthdata" / "datasets" / fingerprint / "records.json"
    data = bytearray(records.read_bytes())
    data[10] ^= 0x01  # same size, different bytes
    records.write_bytes(bytes(data))
    return fingerprint


def test_corrupt_entry_is_reported_and_regenerated(project: pytest.Pytester) -> None:
    project.makepyfile(test_corrupt=ONE_TEST)
    project.runpytest().assert_outcomes(passed=1)
    fingerprint = _corrupt_records(project)
    result = project.runpytest()
    result.assert_outcomes(passed=1, warnings=1)
    result.stdout.fnmatch_lines(
        [
            f"*SynthdataCacheWarning: synthdata: cache entry {fingerprint[:12]}*records.json does "
            "not match its sha256*generated again*"
        ]
    )
    assert summary(result)[:3] == (1, 0, 0)
    # The warning points at the test (its marker) that asked for the dataset, not at the plugin.
    result.stdout.fnmatch_lines(["*test_corrupt.py:3: SynthdataCacheWarning: *"])
    assert "pytest_synthdata" not in result.stdout.str()
    from synthdata_sdk.cache import LocalStore

    LocalStore(project.path / ".synthdata").verify(fingerprint)  # repaired on disk


def test_corrupt_entry_in_mode_none_is_a_test_error(project: pytest.Pytester) -> None:
    project.makepyfile(test_corrupt=ONE_TEST)
    project.runpytest().assert_outcomes(passed=1)
    fingerprint = _corrupt_records(project)
    result = project.runpytest("--synthdata-mode=none")
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(
        [
            f"*cache entry {fingerprint[:12]} is corrupt: records.json does not match its "
            "sha256; mode 'none' never generates*",
            "*pytest --synthdata-mode=new test_corrupt.py::test_customers",
        ]
    )


def test_offline_flag_and_ini_show_in_the_header(project: pytest.Pytester) -> None:
    project.makepyfile(test_offline=ONE_TEST)
    result = project.runpytest("--synthdata-offline")
    result.stdout.fnmatch_lines(["synthdata: backend local, mode once (default), offline, cache *"])
    result.assert_outcomes(passed=1)  # local generation is still allowed
    project.makeini("[pytest]\nsynthdata_offline = true\n")
    project.runpytest().stdout.fnmatch_lines(["synthdata: *, offline, cache *"])
