"""Rows per second of a table set (orders over customers) vs the same order schema alone.

Run: ``python benchmarks/bench_tablesets.py [--orders 1000000] [--customers 100000]
[--repeat 3] [--workers 1] [--simple]``. Each round times, in turn, the ``order`` template
alone (``--orders`` rows) and the table set ``customers`` (the ``customer`` template,
``--customers`` rows) + ``orders`` (the ``order`` template, its ``customer_id`` referencing
``customers.id``, ``--orders`` rows). ``--simple`` uses a four-field order (id, customer_id,
total, status) and a two-field customer (id, name) instead, so that the reference machinery
weighs more in the total. It prints the median orders/s of each, the set's
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

SIMPLE_CUSTOMER = {
    "type": "object",
    "properties": {
        "id": {"type": "string", "format": "uuid"},
        "name": {"type": "string", "x-synthdata": {"semantic": "full_name"}},
    },
    "required": ["id", "name"],
}
SIMPLE_ORDER = {
    "type": "object",
    "properties": {
        "order_id": {"type": "integer", "minimum": 1},
        "customer_id": {"type": "string", "format": "uuid"},
        "total": {"type": "number", "minimum": 0, "maximum": 500},
        "status": {"enum": ["placed", "paid", "shipped"]},
    },
    "required": ["order_id", "customer_id", "total", "status"],
}


def schemas(simple: bool) -> tuple[dict[str, Any], dict[str, Any]]:
    """(customer, order) schemas: the templates, or the simple ones."""
    from synthdata_sdk.schema.templates import load_template

    if simple:
        return SIMPLE_CUSTOMER, SIMPLE_ORDER
    return load_template("customer"), load_template("order")


def order_set(simple: bool) -> dict[str, Any]:
    """customers + orders, each order's customer_id one of the customers' ids."""
    customer, order = schemas(simple)
    orders = copy.deepcopy(order)
    orders["properties"]["customer_id"] = {"type": "string", "x-synthdata": {"ref": "customers.id"}}
    return {"tables": {"customers": customer, "orders": orders}}


def time_single(rows: int, workers: int, simple: bool) -> float:
    from synthdata_sdk import SynthDataClient

    client = SynthDataClient()
    prepared = client.prepare(schemas(simple)[1], rows=rows, seed=1)
    started = time.perf_counter()
    dataset = client.generate_prepared(prepared, workers=workers)
    elapsed = time.perf_counter() - started
    assert dataset.rows == rows
    return elapsed


def time_set(orders: int, customers: int, workers: int, simple: bool) -> float:
    from synthdata_sdk import SynthDataClient

    client = SynthDataClient()
    rows = {"customers": customers, "orders": orders}
    prepared = client.prepare(order_set(simple), rows=rows, seed=1)
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
    parser.add_argument("--simple", action="store_true", help="small schemas (see above)")
    args = parser.parse_args()
    print(f"python {platform.python_version()}, {platform.machine()}, workers {args.workers}")
    single: list[float] = []
    together: list[float] = []
    ratios: list[float] = []
    for round_ in range(args.repeat):
        alone = args.orders / time_single(args.orders, args.workers, args.simple)
        related = args.orders / time_set(args.orders, args.customers, args.workers, args.simple)
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
