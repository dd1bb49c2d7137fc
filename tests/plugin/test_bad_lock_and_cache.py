"""A bad lock file or an unusable cache folder is a clear error of the run, never a pass.

Each case is a lock file or cache folder the plugin cannot trust; the run must say what is
wrong in one line naming the path, count it in the summary's errors, exit non-zero, and never
end in an INTERNALERROR or a traceback per test.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.plugin.helpers import entries, read_json, summary

TWO_DATASETS = """
import pytest

@pytest.mark.synthdata("customer", rows=4, seed=1)
def test_customers(synthdata):
    pass

@pytest.mark.synthdata("order", rows=3)
def test_orders(synthdata):
    pass
"""


@pytest.fixture
def recorded(project: pytest.Pytester) -> pytest.Pytester:
    """Both datasets cached and locked, as a CI run in mode none expects."""
    project.makepyfile(test_lock=TWO_DATASETS)
    project.runpytest("--synthdata-update-lock").assert_outcomes(passed=2)
    return project


def lock_path(project: pytest.Pytester) -> Path:
    return project.path / "synthdata.lock"


def assert_failed_run_with(result: pytest.RunResult, line: str, errors: int = 1) -> None:
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    result.assert_outcomes(passed=2)
    assert summary(result)[2] == errors
    result.stdout.fnmatch_lines([line])
    text = result.stdout.str() + result.stderr.str()
    assert "INTERNALERROR" not in text and "Traceback" not in text
    # a lock problem belongs to the run's own settings: no extra per-settings summary line
    assert not [ln for ln in result.stdout.lines if ln.startswith("  None:")]
    result.stdout.no_fnmatch_line("  backend *: * tests, *")


def edit_lock(project: pytest.Pytester, edit: str) -> None:
    path = lock_path(project)
    data = read_json(path)
    first = min(data["datasets"])
    if edit == "version 999":
        data["version"] = 999
    elif edit == "rows 1e999":
        data["datasets"][first]["rows"] = "ROWS"
    elif edit == "rows edited":
        data["datasets"][first]["rows"] += 5
    text = json.dumps(data, indent=2, sort_keys=True).replace('"ROWS"', "1e999")
    if edit == "nested 100k deep":
        text = "[" * 100_000 + "]" * 100_000
    path.write_text(text)


@pytest.mark.parametrize(
    ("edit", "problem"),
    [
        ("version 999", "has version 999; this synthdata reads lock files of version 1*"),
        ("rows 1e999", "datasets.* is malformed: rows is inf (expected an integer*"),
        ("nested 100k deep", "is not a lock file: its JSON is nested too deeply"),
    ],
)
def test_mode_none_fails_on_a_lock_it_cannot_read(
    recorded: pytest.Pytester, edit: str, problem: str
) -> None:
    edit_lock(recorded, edit)
    result = recorded.runpytest("--synthdata-mode=none")
    assert_failed_run_with(result, f"synthdata: error: {lock_path(recorded)}: {problem}")


def test_mode_none_fails_on_an_entry_that_does_not_match_its_fingerprint(
    recorded: pytest.Pytester,
) -> None:
    edit_lock(recorded, "rows edited")
    result = recorded.runpytest("--synthdata-mode=none")
    assert_failed_run_with(
        result,
        f"synthdata: error: {lock_path(recorded)}: datasets.???????????? does not match its "
        "fingerprint: rows is * in the lock, * in the request",
    )


def test_mode_none_fails_on_a_conflicted_lock(recorded: pytest.Pytester) -> None:
    path = lock_path(recorded)
    lines = path.read_text().splitlines(keepends=True)
    path.write_text("".join([*lines[:2], "<<<<<<< HEAD\n", *lines[2:], ">>>>>>> other\n"]))
    result = recorded.runpytest("--synthdata-mode=none")
    assert_failed_run_with(
        result,
        f"synthdata: error: {path}: has an unresolved merge conflict (line 3 starts with "
        "'<<<<<<<'); resolve it, or write the file again with pytest --synthdata-update-lock",
    )


def test_mode_none_fails_on_a_symlinked_lock(recorded: pytest.Pytester) -> None:
    path = lock_path(recorded)
    real = recorded.path / "shared.lock"
    path.rename(real)
    path.symlink_to(real.name)
    result = recorded.runpytest("--synthdata-mode=none")
    assert_failed_run_with(result, f"synthdata: error: {path}: is a symbolic link; *")


def test_a_good_lock_in_mode_none_passes(recorded: pytest.Pytester) -> None:
    result = recorded.runpytest("--synthdata-mode=none")
    assert result.ret == pytest.ExitCode.OK
    assert summary(result)[2] == 0
    assert "synthdata: error" not in result.stdout.str()


def test_a_whole_suite_update_rewrites_a_conflicted_lock(recorded: pytest.Pytester) -> None:
    path = lock_path(recorded)
    good = path.read_text()
    path.write_text("<<<<<<< HEAD\n" + good + "=======\n{}\n>>>>>>> other\n")
    result = recorded.runpytest("--synthdata-update-lock")
    assert result.ret == pytest.ExitCode.OK
    result.stdout.fnmatch_lines(
        [
            "synthdata: synthdata.lock could not be read (has an unresolved merge conflict*); "
            "writing it again from this run",
            "synthdata: wrote synthdata.lock: 2 datasets, 2 added, 0 dropped",
        ]
    )
    assert path.read_text() == good


def test_a_partial_update_keeps_a_conflicted_lock_and_fails(recorded: pytest.Pytester) -> None:
    path = lock_path(recorded)
    conflicted = "<<<<<<< HEAD\n" + path.read_text() + ">>>>>>> other\n"
    path.write_text(conflicted)
    result = recorded.runpytest("--synthdata-update-lock", "test_lock.py::test_orders")
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    result.stdout.fnmatch_lines([f"synthdata: error: {path}: has an unresolved merge conflict*"])
    assert path.read_text() == conflicted


def test_an_update_never_writes_through_or_replaces_a_symlinked_lock(
    recorded: pytest.Pytester,
) -> None:
    path = lock_path(recorded)
    real = recorded.path / "shared.lock"
    path.rename(real)
    before = real.read_text()
    path.symlink_to(real.name)
    result = recorded.runpytest("--synthdata-update-lock")
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    result.stdout.fnmatch_lines([f"synthdata: error: {path}: is a symbolic link; *"])
    assert path.is_symlink() and real.read_text() == before


def test_prune_with_a_bad_lock_deletes_nothing_and_fails(recorded: pytest.Pytester) -> None:
    cache = recorded.path / ".synthdata"
    before = entries(cache)
    edit_lock(recorded, "version 999")
    result = recorded.runpytest("--synthdata-prune")
    assert_failed_run_with(result, f"synthdata: error: {lock_path(recorded)}: has version 999*")
    assert entries(cache) == before


ONE_TEST = """
import pytest

@pytest.mark.synthdata("device", rows=2)
def test_one(synthdata):
    pass

@pytest.mark.synthdata("device", rows=3)
def test_two(synthdata):
    pass
"""


@pytest.mark.parametrize("option", [None, "--synthdata-prune"])
def test_a_file_as_the_cache_folder_is_a_clear_test_error(
    project: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, option: str | None
) -> None:
    not_a_folder = project.path / "cache-file"
    not_a_folder.write_text("x")
    monkeypatch.setenv("SYNTHDATA_CACHE_DIR", str(not_a_folder))
    project.makepyfile(test_one=ONE_TEST)
    if option:
        project.runpytest("--synthdata-update-lock")
    result = project.runpytest(*([option] if option else []))
    result.assert_outcomes(errors=2)  # the fixture cannot serve: an error at setup
    message = (
        f"cache folder problem: {not_a_folder} is a file, not a folder; choose another cache "
        "folder*"
    )
    expected = [f"synthdata: {message}", f"synthdata: {message}"]
    if option:  # and the prune after the run says the same, once
        expected.append(f"synthdata: error: {message}")
    result.stdout.fnmatch_lines(expected)
    assert summary(result)[2] == len(expected)
    text = result.stdout.str()
    assert "INTERNALERROR" not in text and "Traceback" not in text and "OSError" not in text
    assert not_a_folder.read_text() == "x"


def test_a_gitignore_link_in_the_cache_creates_nothing_outside(project: pytest.Pytester) -> None:
    cache = project.path / ".synthdata"
    cache.mkdir()
    outside = project.path / "elsewhere" / "gitignore"
    outside.parent.mkdir()
    (cache / ".gitignore").symlink_to(outside)  # dangling: writing through it creates it
    project.makepyfile(test_one=ONE_TEST)
    project.runpytest().assert_outcomes(passed=2)
    assert not outside.exists()
    assert (cache / ".gitignore").is_symlink()
    assert len(entries(cache)) == 2
