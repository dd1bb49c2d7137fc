"""1M customer rows: records with workers=1 vs workers=2, and Parquet peak RSS.

Run: ``python benchmarks/bench_scale.py [--rows 1000000] [--repeat 3]``. Every measurement runs
in a fresh child process, so each pays its own warm-up (imports, the pool's start) and its peak
RSS (``resource.getrusage``) is its own. The records runs alternate workers=1 and workers=2
``--repeat`` times; on a shared machine the best run is the one least disturbed by other load,
so the best and the median are both shown, with the CPU seconds the run used in all processes.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def records_child(rows: int, workers: int) -> None:
    """Time the records of ``rows`` customers; prints elapsed and CPU seconds."""
    from synthdata_sdk import SynthDataClient

    client = SynthDataClient()
    start = time.perf_counter()
    count = 0
    prepared = client.prepare("customer", rows=rows, seed=1)
    for chunk in client.iter_chunks(prepared, workers=workers):
        count += len(chunk)
    elapsed = time.perf_counter() - start
    assert count == rows
    print(f"{elapsed:.4f} {_cpu_seconds():.4f}")


def parquet_child(rows: int, path: str) -> None:
    """Time writing ``rows`` customers to Parquet; prints elapsed seconds and peak RSS."""
    from synthdata_sdk import SynthDataClient

    start = time.perf_counter()
    SynthDataClient().write("customer", path, rows=rows, seed=1)
    elapsed = time.perf_counter() - start
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{elapsed:.2f} {peak_mb:.0f}")


def _cpu_seconds() -> float:
    """CPU seconds used by this process and its reaped children (the pool's processes)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _child(*args: str) -> list[str]:
    """Run this script as a child with ``args``; its stdout, split."""
    return subprocess.run(
        [sys.executable, __file__, *args], check=True, capture_output=True, text=True
    ).stdout.split()


def _report(workers: int, runs: list[tuple[float, float]], rows: int, base: float) -> float:
    """Print one line for a workers value; returns its best rows/s."""
    rates = [rows / elapsed for elapsed, _ in runs]
    best, median = max(rates), statistics.median(rates)
    cpu = statistics.median(cpu for _, cpu in runs)
    vs = f"  ({best / base:.2f}x best, " if base else "  ("
    print(
        f"records, workers={workers}: {best:12,.0f} rows/s best, {median:12,.0f} median"
        f"{vs}{cpu:.1f} CPU s; runs {', '.join(f'{elapsed:.2f}' for elapsed, _ in runs)} s)"
    )
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    parser.add_argument("--records-child", nargs=2, type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        parquet_child(int(args.child[0]), args.child[1])
        return
    if args.records_child:
        records_child(*args.records_child)
        return
    print(f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f} before the runs")
    runs: dict[int, list[tuple[float, float]]] = {1: [], 2: []}
    for _ in range(args.repeat):
        for workers, measured in runs.items():
            elapsed, cpu = map(float, _child("--records-child", str(args.rows), str(workers)))
            measured.append((elapsed, cpu))
    one = _report(1, runs[1], args.rows, 0.0)
    _report(2, runs[2], args.rows, one)
    with tempfile.TemporaryDirectory() as tmp:
        target = str(Path(tmp) / "customers.parquet")
        out = _child("--child", str(args.rows), target)
        size_mb = Path(target).stat().st_size / 1e6
    print(
        f"parquet: {args.rows:,} rows in {float(out[0]):.1f} s, peak RSS {out[1]} MB, file {size_mb:.0f} MB"
    )


if __name__ == "__main__":
    main()
