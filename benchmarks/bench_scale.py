"""1M customer rows: records with workers=1 vs workers=2, and Parquet peak RSS.

Run: ``python benchmarks/bench_scale.py [--rows 1000000]``. The Parquet run happens in a
child process so its peak RSS (``resource.getrusage``) is its own.
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def timed_records(rows: int, workers: int) -> float:
    from synthdata_sdk import SynthDataClient

    client = SynthDataClient()
    start = time.perf_counter()
    count = 0
    prepared = client.prepare("customer", rows=rows, seed=1)
    for chunk in client.iter_chunks(prepared, workers=workers):
        count += len(chunk)
    assert count == rows
    return rows / (time.perf_counter() - start)


def parquet_child(rows: int, path: str) -> None:
    from synthdata_sdk import SynthDataClient

    start = time.perf_counter()
    SynthDataClient().write("customer", path, rows=rows, seed=1)
    elapsed = time.perf_counter() - start
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{elapsed:.2f} {peak_mb:.0f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        parquet_child(int(args.child[0]), args.child[1])
        return
    one = timed_records(args.rows, 1)
    two = timed_records(args.rows, 2)
    print(f"records, workers=1: {one:12,.0f} rows/s")
    print(f"records, workers=2: {two:12,.0f} rows/s  ({two / one:.2f}x)")
    with tempfile.TemporaryDirectory() as tmp:
        target = str(Path(tmp) / "customers.parquet")
        out = subprocess.run(
            [sys.executable, __file__, "--child", str(args.rows), target],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.split()
        size_mb = Path(target).stat().st_size / 1e6
    print(
        f"parquet: {args.rows:,} rows in {float(out[0]):.1f} s, peak RSS {out[1]} MB, file {size_mb:.0f} MB"
    )


if __name__ == "__main__":
    main()
