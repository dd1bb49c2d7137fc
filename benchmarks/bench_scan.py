"""Compliance scan throughput: MB/s of ``scan_paths`` over CSV and JSON Lines files.

Run: ``python benchmarks/bench_scan.py [--rows 200000] [--repeat 3] [--profile-cpu]``.
Writes ``--rows`` customer records (generated under every compliance profile, so the data is
clean) to a temporary folder as CSV and JSONL with ``SynthDataClient().write``, then times
``scan_paths([file])`` with every profile, best of ``--repeat``. The scan runs in one
process on one core, so MB/s is per core. The ``read`` column times the readers alone
(iterating the records without scanning). ``--profile-cpu`` prints the top functions of one
CSV scan under cProfile. Record results in docs/performance.md; never turn them into tests.
"""

from __future__ import annotations

import argparse
import cProfile
import platform
import pstats
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

FORMATS = ("csv", "jsonl")


def best_of(repeat: int, run: Callable[[], object]) -> float:
    """The shortest wall time of ``repeat`` calls of ``run``."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def read_only(path: Path) -> int:
    from synthdata_sdk.quality.readers import iter_tables

    return sum(sum(1 for _ in table.records) for table in iter_tables(path))


def scan_once(path: Path, rows: int) -> None:
    from synthdata_sdk.quality.profiles import ALL_PROFILES
    from synthdata_sdk.quality.scan_files import scan_paths

    report = scan_paths([path], ALL_PROFILES)
    assert report.rows == rows, report.rows
    assert not report.errors, report.errors
    if report.violations:  # clean data: a violation here is a scanner false positive
        print(f"  note: {len(report.violations)} violations, {report.by_detector()}")


def main() -> None:
    from synthdata_sdk import SynthDataClient
    from synthdata_sdk.quality.profiles import ALL_PROFILES

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--profile-cpu", action="store_true", help="cProfile one CSV scan")
    args = parser.parse_args()
    print(f"python {platform.python_version()} on {platform.machine()}, one process")
    client = SynthDataClient()
    with tempfile.TemporaryDirectory() as tmp:
        paths = {}
        for fmt in FORMATS:
            path = Path(tmp) / f"customers.{fmt}"
            client.write("customer", path, rows=args.rows, seed=1, compliance=ALL_PROFILES)
            paths[fmt] = path
        print(f"{'format':<8}{'MB':>8}{'rows':>10}{'scan s':>9}{'scan MB/s':>11}{'read MB/s':>11}")
        for fmt, path in paths.items():
            megabytes = path.stat().st_size / 1e6
            scan_s = best_of(args.repeat, lambda p=path: scan_once(p, args.rows))
            read_s = best_of(args.repeat, lambda p=path: read_only(p))
            print(
                f"{fmt:<8}{megabytes:8.1f}{args.rows:10,}{scan_s:9.2f}"
                f"{megabytes / scan_s:11.1f}{megabytes / read_s:11.1f}"
            )
        if args.profile_cpu:
            profiler = cProfile.Profile()
            profiler.enable()
            scan_once(paths["csv"], args.rows)
            profiler.disable()
            pstats.Stats(profiler).sort_stats("tottime").print_stats(15)


if __name__ == "__main__":
    main()
