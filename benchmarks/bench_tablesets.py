"""Rows per second of a table set (orders over customers) vs the same order schema alone.

Run: ``python benchmarks/bench_tablesets.py [--orders 1000000] [--customers 100000]
[--repeat 3] [--workers 1]``. Each round times, in turn, the ``order`` template alone
(``--orders`` rows) and the table set ``customers`` (the ``customer`` template,
``--customers`` rows) + ``orders`` (the ``order`` template, its ``customer_id`` referencing
``customers.id``, ``--orders`` rows). It prints the median orders/s of each, the set's
figure counting only its orders (the customers' time is included), and the median of the
per-round ratios set / single. Record results in docs/performance.md with the machine and
date; never turn them into timed tests.
"""

from __future__ import annotations

import argparse
import copy
import platform
import statistics
import time
from typing import Any


def order_set() -> dict[str, Any]:
    """customers + orders, each order's customer_id one of the customers' ids."""
    from synthdata_sdk.schema.templates import load_template

    orders = copy.deepcopy(load_template("order"))
    orders["properties"]["customer_id"]["x-synthdata"] = {"ref": "customers.id"}
    return {"tables": {"customers": load_template("customer"), "orders": orders}}


def time_single(rows: int, workers: int) -> float:
    from synthdata_sdk import SynthDataClient

    client = SynthDataClient()
    prepared = client.prepare("order", rows=rows, seed=1)
    started = time.perf_counter()
    dataset = client.generate_prepared(prepared, workers=workers)
    elapsed = time.perf_counter() - started
    assert dataset.rows == rows
    return elapsed


def time_set(orders: int, customers: int, workers: int) -> float:
    from synthdata_sdk import SynthDataClient

    client = SynthDataClient()
    rows = {"customers": customers, "orders": orders}
    prepared = client.prepare(order_set(), rows=rows, seed=1)
    started = time.perf_counter()
    dataset = client.generate_prepared(prepared, workers=workers)
    elapsed = time.perf_counter() - started
    assert len(dataset.tables["orders"]) == orders
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=1_000_000)
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--workers", type=int, default=1)
    args = parser.parse_args()
    print(f"python {platform.python_version()}, {platform.machine()}, workers {args.workers}")
    single: list[float] = []
    together: list[float] = []
    ratios: list[float] = []
    for round_ in range(args.repeat):
        alone = args.orders / time_single(args.orders, args.workers)
        related = args.orders / time_set(args.orders, args.customers, args.workers)
        single.append(alone)
        together.append(related)
        ratios.append(related / alone)
        print(f"round {round_ + 1}: single {alone:,.0f} orders/s, set {related:,.0f} orders/s")
    print(f"order alone ({args.orders:,} rows): {statistics.median(single):,.0f} orders/s")
    print(
        f"customers ({args.customers:,}) + orders ({args.orders:,}):"
        f" {statistics.median(together):,.0f} orders/s"
    )
    rounded = ", ".join(f"{r:.2f}" for r in ratios)
    print(f"set / single, median of rounds: {statistics.median(ratios):.2f} ({rounded})")


if __name__ == "__main__":
    main()
