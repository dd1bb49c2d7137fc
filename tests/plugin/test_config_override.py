"""A ``synthdata_config`` override in a folder's conftest.py applies to that folder's tests only.

Whatever the collection order, and with pytest-xdist, each test is served with the settings it
sees: the override's mode and cache for the folder's tests, the session's for the others.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.plugin.helpers import entries, summary

OVERRIDE = """
import dataclasses
import pytest


@pytest.fixture(scope="session")
def synthdata_config(synthdata_config, pytestconfig):
    return dataclasses.replace(
        synthdata_config, mode="all", cache_dir=pytestconfig.rootpath / "regen-cache"
    )
"""


def _tests(prefix: str, count: int) -> str:
    return "import pytest\n" + "".join(
        f"""

@pytest.mark.synthdata("customer", rows=10, seed=3)
def test_{prefix}_{i}(synthdata):
    assert synthdata.rows == 10
"""
        for i in range(count)
    )


def _served(result: pytest.RunResult) -> dict[str, tuple[str, str]]:
    """Test name -> (settings, origin) of the dataset it was served, as the session logged it."""
    from pytest_synthdata.state import state_of

    finish = result.reprec.getcall("pytest_sessionfinish")  # type: ignore[attr-defined]
    events: list[dict[str, Any]] = state_of(finish.session.config).log.events
    return {
        event["test"].rsplit("::", 1)[-1]: (event["settings"], event["origin"]) for event in events
    }


@pytest.mark.parametrize(
    "workers",
    [pytest.param([], id="plain"), pytest.param(["-n", "2"], id="xdist", marks=pytest.mark.slow)],
)
@pytest.mark.parametrize("folder", ["a_regen", "z_regen"], ids=["override-first", "override-last"])
def test_a_folder_override_applies_to_that_folder_only(
    project: pytest.Pytester, folder: str, workers: list[str]
) -> None:
    project.mkdir("m_plain").joinpath("test_plain.py").write_text(_tests("plain", 3))
    regen = project.mkdir(folder)
    (regen / "conftest.py").write_text(OVERRIDE)
    (regen / "test_regen.py").write_text(_tests("regen", 2))
    project.runpytest("m_plain").assert_outcomes(passed=3)  # records the dataset in .synthdata
    default_cache, regen_cache = project.path / ".synthdata", project.path / "regen-cache"
    (fingerprint,) = entries(default_cache)
    recorded = (default_cache / "datasets" / fingerprint / "manifest.json").stat().st_mtime_ns

    result = project.runpytest("-v", *workers)

    result.assert_outcomes(passed=5)
    # The header gives the session's settings; the summary says which tests used which.
    plain = f"backend local, mode once (default), cache {default_cache}"
    override = f"backend local, mode all (synthdata_config), cache {regen_cache}"
    result.stdout.fnmatch_lines([f"synthdata: {plain}"])
    assert summary(result) == (1, 4, 0, 1, 50)
    result.stdout.fnmatch_lines(
        [
            f"  {plain}: 3 tests, 0 generated, 3 cached, 0 errors",
            f"  {override}: 2 tests, 1 generated, 1 cached, 0 errors",
        ]
    )
    served = _served(result)
    assert {test: settings for test, (settings, _) in served.items()} == {
        "test_plain_0": plain,
        "test_plain_1": plain,
        "test_plain_2": plain,
        "test_regen_0": override,
        "test_regen_1": override,
    }
    assert all(origin != "generated" for test, (_, origin) in served.items() if "plain" in test)
    # mode all regenerated the dataset once, into the override's cache; .synthdata is untouched
    assert entries(regen_cache) == [fingerprint]
    manifest = default_cache / "datasets" / fingerprint / "manifest.json"
    assert manifest.stat().st_mtime_ns == recorded


def test_any_fixture_scope_can_override_the_config(project: pytest.Pytester) -> None:
    project.makepyfile(
        test_scopes="""
        import dataclasses
        import pytest


        @pytest.fixture
        def synthdata_config(synthdata_config):
            return dataclasses.replace(synthdata_config, mode="none")


        @pytest.mark.synthdata("customer", rows=10, seed=3)
        def test_this_module_never_generates(synthdata):
            pass
        """,
        test_other="""
        import pytest


        @pytest.mark.synthdata("order", rows=10, seed=3)
        def test_other_modules_generate(synthdata):
            pass
        """,
    )

    result = project.runpytest("-p", "no:randomly")

    result.assert_outcomes(passed=1, errors=1)
    result.stdout.fnmatch_lines(
        ["*ERROR at setup of test_this_module_never_generates*", "*mode 'none' never generates*"]
    )
    assert summary(result)[:3] == (1, 0, 1)


def test_the_summary_names_the_settings_an_override_used_for_every_test(
    project: pytest.Pytester,
) -> None:
    project.makeconftest(OVERRIDE)
    project.makepyfile(test_all=_tests("all", 2))

    result = project.runpytest()

    result.assert_outcomes(passed=2)
    result.stdout.fnmatch_lines(
        [
            f"synthdata: backend local, mode once (default), cache {project.path / '.synthdata'}",
            "synthdata: 1 generated, 1 cached, 0 errors (1 dataset, 20 rows)",
            "  backend local, mode all (synthdata_config), cache "
            f"{Path(project.path) / 'regen-cache'}: 2 tests, 1 generated, 1 cached, 0 errors",
        ]
    )


def test_an_override_that_is_not_a_config_is_a_clear_test_error(project: pytest.Pytester) -> None:
    project.makeconftest(
        """
        import pytest

        @pytest.fixture(scope="session")
        def synthdata_config():
            return {"mode": "all"}
        """
    )
    project.makepyfile(test_bad=_tests("bad", 1))

    result = project.runpytest()

    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(
        ["*synthdata: the synthdata_config fixture returned a dict, not a SynthdataConfig*"]
    )
