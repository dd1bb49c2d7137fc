"""The pytest11 plugin registers the ``synthdata`` marker and keeps pytest start-up light."""

from __future__ import annotations

import importlib.metadata
from collections.abc import Callable
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PLUGIN = "pytest_synthdata.plugin"
SIGNATURE = (
    '@pytest.mark.synthdata(source=None, *, prompt=None, rows=100, seed=0, locale="en_US", '
    "compliance=(), name=None): *"
)
#: modules a run without synthdata markers must never pay for
HEAVY = ("numpy", "faker", "pyarrow", "synthdata_sdk.generation", "synthdata_sdk.cache.store")

Run = Callable[..., pytest.RunResult]


@pytest.fixture
def run(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> Run:
    """Run pytest in a fresh interpreter with only this plugin loaded.

    A subprocess, because the outer session has long imported numpy; autoload off, so other
    installed plugins cannot import heavy modules for us, and so an installed entry point does
    not register the module a second time next to ``-p``.
    """
    monkeypatch.setenv("PYTEST_DISABLE_PLUGIN_AUTOLOAD", "1")
    monkeypatch.setenv("PYTHONPATH", str(ROOT))

    def go(*args: str) -> pytest.RunResult:
        return pytester.runpytest_subprocess("-p", PLUGIN, *args)

    return go


def test_marker_is_listed_by_pytest_markers(run: Run) -> None:
    result = run("--markers")
    assert result.ret == 0
    result.stdout.fnmatch_lines([SIGNATURE])


def test_strict_markers_accepts_the_marker_without_ini_entry(
    pytester: pytest.Pytester, run: Run
) -> None:
    pytester.makepyfile(
        """
        import pytest

        @pytest.mark.synthdata("customer", rows=10, seed=7)
        def test_marked():
            pass
        """
    )
    result = run("--strict-markers")
    result.assert_outcomes(passed=1)


def test_run_without_marked_tests_imports_no_numpy_or_engine(
    pytester: pytest.Pytester, run: Run
) -> None:
    check = f"""
        import sys

        HEAVY = {HEAVY!r}

        def loaded():
            return [name for name in HEAVY if name in sys.modules]
        """
    pytester.makeconftest(
        check
        + """
        def pytest_collection_finish(session):
            assert loaded() == [], f"imported while collecting: {loaded()}"

        def pytest_unconfigure(config):
            if loaded():  # after the summary and the lock-file work
                raise SystemExit(f"imported by the end of the run: {loaded()}")
        """
    )
    pytester.makepyfile(
        check
        + """
        def test_nothing_heavy_is_imported():
            assert loaded() == []
        """
    )
    result = run("-p", "no:cacheprovider", "--synthdata-mode=none", "--synthdata-prune")
    result.assert_outcomes(passed=1)
    assert result.ret == 0, result.stderr.str()


def _entry_point() -> importlib.metadata.EntryPoint | None:
    try:
        distribution = importlib.metadata.distribution("synthdata")
    except importlib.metadata.PackageNotFoundError:
        return None
    for entry_point in distribution.entry_points:
        if entry_point.group == "pytest11":
            return entry_point
    return None


def test_installed_entry_point_loads_the_plugin(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    entry_point = _entry_point()
    if entry_point is None:
        pytest.skip("synthdata is not installed (pip install -e .), so there is no entry point")
    assert entry_point.value == PLUGIN
    monkeypatch.delenv("PYTEST_DISABLE_PLUGIN_AUTOLOAD", raising=False)
    result = pytester.runpytest_subprocess("--markers")
    assert result.ret == 0
    result.stdout.fnmatch_lines([SIGNATURE])
