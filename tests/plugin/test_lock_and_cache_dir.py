"""synthdata.lock round trip, pruning, and where the cache folder is."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.plugin.helpers import entries, read_json

TWO_DATASETS = """
import pytest

@pytest.mark.synthdata("customer", rows=4, seed=1)
def test_customers(synthdata):
    pass

@pytest.mark.synthdata("order", rows=3, locale="fr_FR", compliance=("gdpr",))
def test_orders(synthdata):
    pass
"""


def test_update_lock_writes_a_sorted_stable_file(project: pytest.Pytester) -> None:
    project.makepyfile(test_lock=TWO_DATASETS)
    result = project.runpytest("--synthdata-update-lock")
    result.assert_outcomes(passed=2)
    result.stdout.fnmatch_lines(["synthdata: wrote synthdata.lock: 2 datasets, 2 added, 0 dropped"])
    lock = project.path / "synthdata.lock"
    text = lock.read_text()
    data = read_json(lock)
    assert data["version"] == 1
    assert (
        sorted(data["datasets"]) == list(data["datasets"]) == entries(project.path / ".synthdata")
    )
    by_source = {item["source"]: item for item in data["datasets"].values()}
    assert by_source["template 'customer'"] == {
        "source": "template 'customer'",
        "name": "customer",
        "rows": 4,
        "seed": 1,
        "locale": "en_US",
    }
    assert by_source["template 'order'"]["compliance"] == ["gdpr"]
    assert by_source["template 'order'"]["locale"] == "fr_FR"
    assert text.endswith("}\n") and '  "datasets": {' in text

    again = project.runpytest("--synthdata-update-lock")
    again.stdout.fnmatch_lines(["synthdata: wrote synthdata.lock: 2 datasets, 0 added, 0 dropped"])
    assert lock.read_text() == text  # byte-identical: stable diffs


def test_partial_runs_add_and_full_runs_drop(project: pytest.Pytester) -> None:
    project.makepyfile(test_lock=TWO_DATASETS)
    project.runpytest("--synthdata-update-lock").assert_outcomes(passed=2)
    project.makepyfile(test_lock=TWO_DATASETS.replace('"customer", rows=4', '"customer", rows=5'))
    partial = project.runpytest("--synthdata-update-lock", "test_lock.py::test_customers")
    partial.stdout.fnmatch_lines(["*3 datasets, 1 added, 0 dropped (partial run*"])
    deselected = project.runpytest("--synthdata-update-lock", "-k", "customers")
    deselected.stdout.fnmatch_lines(["*3 datasets, 0 added, 0 dropped (partial run*"])
    full = project.runpytest("--synthdata-update-lock")
    full.stdout.fnmatch_lines(["synthdata: wrote synthdata.lock: 2 datasets, 0 added, 1 dropped"])
    rows = sorted(
        item["rows"] for item in read_json(project.path / "synthdata.lock")["datasets"].values()
    )
    assert rows == [3, 5]


def test_mode_none_reports_fingerprints_missing_from_the_lock(project: pytest.Pytester) -> None:
    project.makepyfile(test_lock=TWO_DATASETS)
    project.runpytest().assert_outcomes(passed=2)  # cached, but no lock yet
    no_lock = project.runpytest("--synthdata-mode=none")
    no_lock.assert_outcomes(passed=2)
    no_lock.stdout.fnmatch_lines(["synthdata: no synthdata.lock at rootdir; 2 datasets used*"])
    project.runpytest("--synthdata-update-lock", "test_lock.py::test_customers")
    stale = project.runpytest("--synthdata-mode=none")
    stale.stdout.fnmatch_lines(
        [
            "synthdata: 1 dataset used but missing from synthdata.lock (write it with: "
            "pytest --synthdata-update-lock)",
            "  ????????????  template 'order'",
        ]
    )
    project.runpytest("--synthdata-update-lock")
    clean = project.runpytest("--synthdata-mode=none")
    assert "missing from synthdata.lock" not in clean.stdout.str()


def test_prune_keeps_only_locked_entries(project: pytest.Pytester) -> None:
    project.makepyfile(test_lock=TWO_DATASETS)
    cache = project.path / ".synthdata"
    nothing = project.runpytest("--synthdata-prune")
    nothing.stdout.fnmatch_lines(["synthdata: no synthdata.lock at rootdir; nothing pruned"])
    assert len(entries(cache)) == 2
    project.runpytest("--synthdata-update-lock", "test_lock.py::test_orders")
    (locked,) = read_json(project.path / "synthdata.lock")["datasets"]
    result = project.runpytest("--synthdata-prune", "test_lock.py::test_orders")
    result.stdout.fnmatch_lines(["synthdata: pruned 1 cache entry not in synthdata.lock"])
    assert entries(cache) == [locked]


@pytest.mark.slow
def test_prune_runs_on_the_controller_after_every_worker(project: pytest.Pytester) -> None:
    tests = "\n".join(
        f"""
@pytest.mark.synthdata("customer", rows=3, seed={i % 3})
def test_{i}(synthdata):
    assert synthdata.rows == 3
"""
        for i in range(12)
    )
    project.makepyfile(test_many="import pytest\n" + tests)
    project.makepyfile(
        test_stale="""
        import pytest

        @pytest.mark.synthdata("device", rows=2)
        def test_stale(synthdata):
            pass
        """
    )
    project.runpytest().assert_outcomes(passed=13)
    project.runpytest("--synthdata-update-lock", "test_many.py").assert_outcomes(passed=12)
    result = project.runpytest("-n", "2", "--synthdata-prune", "test_many.py")
    result.assert_outcomes(passed=12)
    result.stdout.fnmatch_lines(["synthdata: pruned 1 cache entry not in synthdata.lock"])
    assert entries(project.path / ".synthdata") == sorted(
        read_json(project.path / "synthdata.lock")["datasets"]
    )


ENTRY_TEST = """
import pytest

@pytest.mark.synthdata("device", rows=2)
def test_device(synthdata):
    pass
"""


@pytest.mark.parametrize(
    ("option", "ini", "env", "expected"),
    [
        ("from-option", "from-ini", "from-env", "run/from-option"),
        (None, "from-ini", "from-env", "from-ini"),
        (None, None, "from-env", "run/from-env"),
        (None, None, None, ".synthdata"),
    ],
)
def test_cache_dir_precedence(
    project: pytest.Pytester,
    monkeypatch: pytest.MonkeyPatch,
    option: str | None,
    ini: str | None,
    env: str | None,
    expected: str,
) -> None:
    """Command line beats ini beats environment beats default; relative paths are taken from
    the invocation folder (option, environment) or the ini file's folder."""
    project.makeini("[pytest]\n" + (f"synthdata_cache_dir = {ini}\n" if ini else ""))
    project.makepyfile(test_dir=ENTRY_TEST)
    run_dir = project.mkdir("run")
    monkeypatch.chdir(run_dir)
    if env:
        monkeypatch.setenv("SYNTHDATA_CACHE_DIR", env)
    args = [f"--synthdata-cache-dir={option}"] if option else []
    result = project.runpytest(*args, f"--rootdir={project.path}", str(project.path))
    result.assert_outcomes(passed=1)
    target = project.path / expected
    result.stdout.fnmatch_lines([f"synthdata: backend local, mode once (default), cache {target}"])
    assert len(entries(target)) == 1
    assert (target / ".gitignore").read_text().splitlines()[-1] == "*"


def test_absolute_cache_dir(
    project: pytest.Pytester, tmp_path_factory: pytest.TempPathFactory
) -> None:
    elsewhere: Path = tmp_path_factory.mktemp("shared-cache")
    project.makepyfile(test_dir=ENTRY_TEST)
    project.runpytest(f"--synthdata-cache-dir={elsewhere}").assert_outcomes(passed=1)
    assert len(entries(elsewhere)) == 1
    assert not (project.path / ".synthdata").exists()


def test_a_run_stopped_early_only_adds_to_the_lock(project: pytest.Pytester) -> None:
    project.makepyfile(test_lock=TWO_DATASETS)
    project.runpytest("--synthdata-update-lock").assert_outcomes(passed=2)
    project.makepyfile(
        test_lock="import pytest\n\ndef test_0_fails():\n    assert False\n" + TWO_DATASETS
    )
    result = project.runpytest("--synthdata-update-lock", "-x", "-p", "no:randomly")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*2 datasets, 0 added, 0 dropped (partial run*"])
