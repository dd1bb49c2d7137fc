"""The pytest plugin: a cached dataset reaching a test, overhead on unmarked tests, xdist.

Run: ``python benchmarks/bench_plugin.py [--runs 5] [--rounds 7] [--quick] [--instructions]``.
Every figure comes from real pytest runs in subprocesses (``python -m pytest -p
no:cacheprovider``) on throwaway projects in a temporary folder, with ``PYTEST_ADDOPTS``,
``CI`` and ``SYNTHDATA_CACHE_DIR`` removed from their environment:

1. a cached 10k-row customer dataset reaching a test: the ``synthdata`` fixture's own setup
   time (a ``pytest_fixture_setup`` hookwrapper in the project's conftest.py), first use in
   the session and second use, after one unmeasured run has filled the cache;
2. the plugin's overhead on 1,000 unmarked tests: whole runs with the plugin vs
   ``-p no:synthdata``, alternated, in wall and CPU time; because a shared machine moves
   whole runs by more than the 2% target, also the plugin's share of a cProfile run and,
   with ``--instructions``, instructions counted by valgrind's callgrind;
3. 200 tests sharing 10 datasets under ``-n 2``: how many were generated (each exactly once)
   on an empty cache, and none on the warm one.

Record results in docs/performance.md with the machine and date; never turn them into timed
tests.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

SUMMARY = re.compile(
    r"synthdata: (\d+) generated, (\d+) cached, (\d+) errors? \((\d+) datasets?, (\d+) rows?\)"
)
HEADER = "synthdata: backend"
TIMES_ENV = "SYNTHDATA_BENCH_TIMES"

#: times every fixture's own setup (dependencies are set up before the hook runs) and each
#: test's whole setup phase, and writes them to $SYNTHDATA_BENCH_TIMES at the end
TIMING_CONFTEST = f'''
import json
import os
import time

import pytest

TIMES = {{}}
CURRENT = [None]


@pytest.hookimpl(wrapper=True)
def pytest_runtest_setup(item):
    CURRENT[0] = item.name
    started = time.perf_counter()
    try:
        return (yield)
    finally:
        TIMES.setdefault(item.name, {{}})["(setup)"] = time.perf_counter() - started


@pytest.hookimpl(wrapper=True)
def pytest_fixture_setup(fixturedef, request):
    started = time.perf_counter()
    try:
        return (yield)
    finally:
        if CURRENT[0] is not None:
            TIMES.setdefault(CURRENT[0], {{}})[fixturedef.argname] = (
                time.perf_counter() - started
            )


def pytest_sessionfinish(session):
    with open(os.environ["{TIMES_ENV}"], "w") as stream:
        json.dump(TIMES, stream)
'''

FIXTURE_TESTS = """
import pytest


@pytest.mark.synthdata("customer", rows=10)
def test_warm(synthdata):
    assert synthdata.rows == 10


@pytest.mark.synthdata("customer", rows=10000)
def test_first(synthdata):
    assert synthdata.rows == 10000


@pytest.mark.synthdata("customer", rows=10000)
def test_again(synthdata):
    assert synthdata.rows == 10000
"""


@dataclass
class Row:
    measurement: str
    result: str
    target: str
    met: bool | None = None


def environment() -> dict[str, str]:
    env = dict(os.environ)
    for name in ("PYTEST_ADDOPTS", "CI", "SYNTHDATA_CACHE_DIR"):
        env.pop(name, None)
    return env


def pytest_run(
    project: Path, *args: str, quiet: bool = True, env: dict[str, str] | None = None
) -> tuple[float, str]:
    """Run pytest in ``project``; returns the wall time and the output. Fails loudly."""
    elapsed, _, output = pytest_run_cpu(project, *args, quiet=quiet, env=env)
    return elapsed, output


def pytest_run_cpu(
    project: Path, *args: str, quiet: bool = True, env: dict[str, str] | None = None
) -> tuple[float, float, str]:
    """Like ``pytest_run``, with the child's CPU time (user + system) as well."""
    command = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider"]
    if quiet:
        command.append("-q")
    command.extend(args)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(
        command,
        cwd=project,
        env=env or environment(),
        capture_output=True,
        text=True,
        check=False,
    )
    elapsed = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if done.returncode != 0:
        raise SystemExit(
            f"pytest failed ({done.returncode}) in {project.name}: {' '.join(args)}\n"
            f"{done.stdout[-4000:]}\n{done.stderr[-4000:]}"
        )
    return elapsed, cpu, done.stdout


def new_project(root: Path, name: str, files: dict[str, str]) -> Path:
    project = root / name
    project.mkdir()
    (project / "pytest.ini").write_text("[pytest]\n")
    for file_name, text in files.items():
        (project / file_name).write_text(text)
    return project


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.2f} ms" if seconds < 0.01 else f"{seconds * 1000:.1f} ms"


# 1. A cached 10k-row dataset reaching a test -----------------------------------------------


def bench_fixture(root: Path, runs: int) -> list[Row]:
    project = new_project(
        root, "fixture", {"conftest.py": TIMING_CONFTEST, "test_fixture.py": FIXTURE_TESTS}
    )
    cache = root / "fixture-cache"
    times_file = root / "fixture-times.json"
    env = environment()
    env[TIMES_ENV] = str(times_file)
    options = ("--synthdata-cache-dir", str(cache))
    _, output = pytest_run(project, *options, env=env)  # fills the cache, not measured
    print("  fill run:    ", _summary_text(output))
    samples: dict[str, list[float]] = {}
    for run in range(runs):
        _, output = pytest_run(project, *options, env=env)
        if _parse_summary(output)[0] != 0:
            raise SystemExit(f"a measured run generated a dataset:\n{_summary_text(output)}")
        if run == 0:
            print("  measured run:", _summary_text(output))
        times = json.loads(times_file.read_text())
        for test, key in [
            ("test_warm", "synthdata"),
            ("test_warm", "(setup)"),
            ("test_first", "synthdata"),
            ("test_again", "synthdata"),
        ]:
            samples.setdefault(f"{test} {key}", []).append(times[test][key])
    median = {key: statistics.median(values) for key, values in samples.items()}
    for key, values in samples.items():
        print(f"  {key:24} " + "  ".join(ms(value) for value in values))
    first = median["test_first synthdata"]
    again = median["test_again synthdata"]
    return [
        Row(
            f"cached 10k customer, first use in session (`synthdata` setup, median of {runs})",
            ms(first),
            "< 50 ms",
            first < 0.050,
        ),
        Row(
            f"same dataset, second use in session (median of {runs})",
            ms(again),
            "< 1 ms",
            again < 0.001,
        ),
        Row(
            "first dataset in session, 10 rows: `synthdata` setup",
            ms(median["test_warm synthdata"]),
            "(one-off)",
        ),
        Row(
            "first dataset in session, 10 rows: whole setup incl. SDK import",
            ms(median["test_warm (setup)"]),
            "(one-off)",
        ),
    ]


def _summary_text(output: str) -> str:
    found = SUMMARY.search(output)
    return found.group(0) if found else "(no synthdata summary line)"


# 2. Overhead on 1,000 unmarked tests --------------------------------------------------------


def bench_overhead(root: Path, rounds: int, instructions: bool) -> list[Row]:
    files = {
        f"test_plain_{number}.py": "".join(
            f"def test_{number}_{index}():\n    pass\n\n\n" for index in range(100)
        )
        for number in range(10)
    }
    project = new_project(root, "overhead", files)
    disabled = ("-p", "no:synthdata")
    # Check that "-p no:synthdata" really drops the plugin: its header line disappears.
    _, loaded_header = pytest_run(project, "--co", quiet=False)
    _, disabled_header = pytest_run(project, "--co", *disabled, quiet=False)
    if HEADER not in loaded_header or HEADER in disabled_header:
        raise SystemExit("'-p no:synthdata' does not toggle the synthdata header line")
    print("  checked: the synthdata header is there by default and gone with -p no:synthdata")
    pytest_run(project)  # warm-up: disk cache, and bytecode where Python writes it
    pytest_run(project, *disabled)
    wall: dict[bool, list[float]] = {True: [], False: []}
    cpu: dict[bool, list[float]] = {True: [], False: []}
    for round_ in range(rounds):
        order = [True, False] if round_ % 2 == 0 else [False, True]
        for loaded in order:
            elapsed, used, output = pytest_run_cpu(project, *(() if loaded else disabled))
            assert "1000 passed" in output, output[-500:]
            wall[loaded].append(elapsed)
            cpu[loaded].append(used)
    share, plugin_seconds = profiled_share(project, root / "overhead.prof")
    print(
        f"  cProfile: {plugin_seconds * 1000:.0f} ms of the profiled run is in the plugin "
        f"({share:.2f}%)"
    )
    for loaded, label in [(True, "plugin loaded   "), (False, "-p no:synthdata ")]:
        print(f"  {label} wall (s): " + "  ".join(f"{value:.3f}" for value in wall[loaded]))
        print(f"  {label} CPU  (s): " + "  ".join(f"{value:.3f}" for value in cpu[loaded]))
    on, off = statistics.median(wall[True]), statistics.median(wall[False])
    cpu_on, cpu_off = statistics.median(cpu[True]), statistics.median(cpu[False])
    overhead = (on - off) / off * 100
    cpu_overhead = (cpu_on - cpu_off) / cpu_off * 100
    # Each round's two runs are neighbours in time: their difference cancels slow drifts.
    paired = statistics.median(a - b for a, b in zip(wall[True], wall[False], strict=True))
    spread = statistics.pstdev(wall[False]) / off * 100
    print(f"  run-to-run spread of -p no:synthdata: {spread:.1f}% (stdev / median)")
    rows = [
        Row(
            f"1,000 unmarked tests, plugin loaded: wall (CPU), median of {rounds}",
            f"{on:.3f} s ({cpu_on:.3f} s)",
            "",
        ),
        Row(
            f"1,000 unmarked tests, `-p no:synthdata`: wall (CPU), median of {rounds}",
            f"{off:.3f} s ({cpu_off:.3f} s)",
            "",
        ),
        Row(
            "plugin overhead on 1,000 unmarked tests, wall time",
            f"{overhead:+.1f}% ({(on - off) * 1000:+.0f} ms)",
            "< 2%",
            overhead < 2,
        ),
        Row(
            "the same as the median of per-round differences (wall)",
            f"{paired / off * 100:+.1f}% ({paired * 1000:+.0f} ms)",
            "< 2%",
            paired / off * 100 < 2,
        ),
        Row(
            "the same in CPU time (user + system of the pytest process)",
            f"{cpu_overhead:+.1f}% ({(cpu_on - cpu_off) * 1000:+.0f} ms)",
            "< 2%",
            cpu_overhead < 2,
        ),
        Row(
            "the plugin's share of one run, attributed by cProfile",
            f"{share:.2f}% ({plugin_seconds * 1000:.0f} ms, profiled)",
            "< 2%",
            share < 2,
        ),
    ]
    if instructions:
        print("  counting instructions under callgrind (a few minutes)...")
        rows += instruction_overhead(project, root)
    return rows


def instruction_overhead(project: Path, root: Path) -> list[Row]:
    """Instructions of one run each way under valgrind's callgrind: immune to a busy machine."""
    valgrind = shutil.which("valgrind")
    if valgrind is None:
        print("  valgrind not found: no instruction counts")
        return []
    runs = {}
    for loaded in (True, False):
        command = [valgrind, "--tool=callgrind", f"--callgrind-out-file={root / 'cg.%p'}"]
        command += [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q"]
        command += [] if loaded else ["-p", "no:synthdata"]
        runs[loaded] = subprocess.Popen(
            command,
            cwd=project,
            env=environment(),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
    counts = {}
    for loaded, process in runs.items():
        _, errors = process.communicate()
        found = re.search(r"Collected : (\d+)", errors)
        if process.returncode != 0 or not found:
            raise SystemExit(f"callgrind run failed:\n{errors[-2000:]}")
        counts[loaded] = int(found.group(1))
    extra = (counts[True] - counts[False]) / counts[False] * 100
    print(f"  instructions: {counts[True]:,} loaded, {counts[False]:,} with -p no:synthdata")
    return [
        Row(
            "the same in instructions executed (callgrind, one run each)",
            f"{extra:+.2f}% ({(counts[True] - counts[False]) / 1e6:+.0f} M)",
            "< 2%",
            extra < 2,
        )
    ]


def profiled_share(project: Path, output: Path) -> tuple[float, float]:
    """The plugin's share of a profiled run (plugin loaded): (percent, seconds).

    Counted: importing ``pytest_synthdata.plugin`` (with everything it imports) and every
    plugin function called from outside the plugin (its hooks). The profiler slows
    call-heavy code in pytest and in the plugin alike, so the share is the figure to read.
    """
    import pstats

    command = [sys.executable, "-m", "cProfile", "-o", str(output), "-m", "pytest"]
    command += ["-p", "no:cacheprovider", "-q"]
    subprocess.run(command, cwd=project, env=environment(), capture_output=True, check=True)
    stats = pstats.Stats(str(output)).stats  # type: ignore[attr-defined]

    def ours(filename: str) -> bool:
        return "pytest_synthdata" in filename or "synthdata_sdk" in filename

    total = sum(timing[2] for timing in stats.values())
    plugin = 0.0
    for (filename, _, function), (_, _, _, cumulative, callers) in stats.items():
        if not ours(filename):
            continue
        if function == "<module>":
            if filename.endswith(("pytest_synthdata/plugin.py", "pytest_synthdata\\plugin.py")):
                plugin += cumulative
        elif not any(ours(caller[0]) for caller in callers):
            plugin += cumulative
    return plugin / total * 100, plugin


# 3. 200 tests sharing 10 datasets under xdist ------------------------------------------------


def bench_xdist(root: Path, cold_runs: int) -> list[Row]:
    files = {}
    for number in range(4):
        parts = ["import pytest\n\n"]
        for index in range(number * 50, number * 50 + 50):
            parts.append(
                f'\n@pytest.mark.synthdata("customer", rows=1000, seed={index % 10})\n'
                f"def test_{index:03}(synthdata):\n"
                f"    assert synthdata.rows == 1000\n\n"
            )
        files[f"test_shared_{number}.py"] = "".join(parts)
    project = new_project(root, "xdist", files)
    cold: list[tuple[float, tuple[int, ...]]] = []
    cache = root / "xdist-cache-0"
    for run in range(cold_runs):
        cache = root / f"xdist-cache-{run}"
        elapsed, output = pytest_run(
            project, "-n", "2", "-v", "--synthdata-cache-dir", str(cache), quiet=False
        )
        cold.append((elapsed, _parse_summary(output)))
        print(f"  empty cache, run {run + 1}: {elapsed:.2f} s  {_summary_text(output)}")
    elapsed_warm, output = pytest_run(
        project, "-n", "2", "-v", "--synthdata-cache-dir", str(cache), quiet=False
    )
    warm = _parse_summary(output)
    print(f"  warm cache:        {elapsed_warm:.2f} s  {_summary_text(output)}")
    generated = [figures[0] for _, figures in cold]
    cached = [figures[1] for _, figures in cold]
    errors = sum(figures[2] for _, figures in cold) + warm[2]
    runs_note = "" if cold_runs == 1 else f" (each of {cold_runs} runs)"
    return [
        Row(
            f"200 tests / 10 datasets, `-n 2`, empty cache: generated{runs_note}",
            ", ".join(map(str, generated)),
            "exactly 10",
            all(count == 10 for count in generated),
        ),
        Row(
            "same run: served from a cache (local or memory)",
            ", ".join(map(str, cached)),
            "190",
            all(count == 190 for count in cached),
        ),
        Row(
            "same run: wall time (median)",
            f"{statistics.median(elapsed for elapsed, _ in cold):.2f} s",
            "",
        ),
        Row(
            "second run, warm cache: generated / cached",
            f"{warm[0]} / {warm[1]}",
            "0 generated",
            warm[0] == 0,
        ),
        Row("second run: wall time", f"{elapsed_warm:.2f} s", ""),
        Row("errors over all xdist runs", str(errors), "0", errors == 0),
    ]


def _parse_summary(output: str) -> tuple[int, ...]:
    found = SUMMARY.search(output)
    if not found:
        raise SystemExit(f"no synthdata summary line in:\n{output[-2000:]}")
    return tuple(int(group) for group in found.groups())


# Report ---------------------------------------------------------------------------------------


def print_table(rows: list[Row]) -> None:
    def met(row: Row) -> str:
        return "" if row.met is None else ("yes" if row.met else "NO")

    table = [("measurement", "result", "target", "met")] + [
        (row.measurement, row.result, row.target, met(row)) for row in rows
    ]
    widths = [max(len(line[column]) for line in table) for column in range(4)]
    for number, line in enumerate(table):
        print("  ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True)))
        if number == 0:
            print("  ".join("-" * width for width in widths))


def versions() -> str:
    from importlib.metadata import version

    return (
        f"python {platform.python_version()}, pytest {version('pytest')}, "
        f"pytest-xdist {version('pytest-xdist')}, synthdata {version('synthdata')}, "
        f"{os.cpu_count()} CPUs ({platform.machine()})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, help="measured fixture runs (default 5, quick 2)")
    parser.add_argument("--rounds", type=int, help="overhead rounds (default 7, quick 3)")
    parser.add_argument(
        "--xdist-runs", type=int, help="empty-cache xdist runs (default 3, quick 1)"
    )
    parser.add_argument("--quick", action="store_true", help="fewer runs and rounds")
    parser.add_argument(
        "--instructions",
        action="store_true",
        help="also count the overhead in instructions under valgrind (slow, needs valgrind)",
    )
    parser.add_argument(
        "--only", choices=("fixture", "overhead", "xdist"), action="append", default=None
    )
    args = parser.parse_args()
    defaults = (2, 3, 1) if args.quick else (5, 7, 3)
    args.runs = args.runs or defaults[0]
    args.rounds = args.rounds or defaults[1]
    args.xdist_runs = args.xdist_runs or defaults[2]
    parts = args.only or ["fixture", "overhead", "xdist"]
    print(versions())
    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="bench-plugin-") as tmp:
        root = Path(tmp)
        if "fixture" in parts:
            print(f"\n1. cached 10k-row customer dataset reaching a test ({args.runs} runs)")
            rows += bench_fixture(root, args.runs)
        if "overhead" in parts:
            print(f"\n2. plugin overhead on 1,000 unmarked tests ({args.rounds} rounds)")
            rows += bench_overhead(root, args.rounds, args.instructions)
        if "xdist" in parts:
            print("\n3. 200 tests sharing 10 datasets, -n 2")
            rows += bench_xdist(root, args.xdist_runs)
    print()
    print_table(rows)


if __name__ == "__main__":
    main()
