"""Rows per second for the 10-field customer record: synthdata vs Faker vs Mimesis, same run.

Run: ``python benchmarks/bench_records.py [--rows N] [--repeat 3]``. Runs ``repeat`` rounds,
each timing every tool once in turn, and prints the median rows/s per tool and the median
of the per-round ratios. Peers build the same ten fields with their usual
per-value provider calls; synthdata builds them column-wise. Record results in
docs/performance.md with the machine and date; never turn them into timed tests.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import time
import uuid
from collections.abc import Callable
from typing import Any

Generator = Callable[[int], list[dict[str, Any]]]


def synthdata_records(rows: int) -> list[dict[str, Any]]:
    from synthdata_sdk import SynthDataClient

    return SynthDataClient().generate("customer", rows=rows, seed=1).records


def faker_records(rows: int) -> list[dict[str, Any]]:
    from faker import Faker

    fake = Faker("en_US")
    Faker.seed(1)
    return [
        {
            "id": str(fake.uuid4()),
            "first_name": fake.first_name(),
            "last_name": fake.last_name(),
            "email": fake.email(),
            "phone": fake.phone_number(),
            "date_of_birth": fake.date_of_birth().isoformat(),
            "street_address": fake.street_address(),
            "city": fake.city(),
            "country": fake.country(),
            "credit_card_number": fake.credit_card_number(),
        }
        for _ in range(rows)
    ]


def mimesis_records(rows: int) -> list[dict[str, Any]]:
    from mimesis import Address, Datetime, Finance, Payment, Person
    from mimesis.locales import Locale

    person = Person(Locale.EN, seed=1)
    address = Address(Locale.EN, seed=1)
    when = Datetime(Locale.EN, seed=1)
    payment = Payment(seed=1)
    del Finance
    return [
        {
            "id": str(uuid.uuid4()),
            "first_name": person.first_name(),
            "last_name": person.last_name(),
            "email": person.email(),
            "phone": person.phone_number(),
            "date_of_birth": when.date(start=1935, end=2007).isoformat(),
            "street_address": address.address(),
            "city": address.city(),
            "country": address.country(),
            "credit_card_number": payment.credit_card_number(),
        }
        for _ in range(rows)
    ]


def rate(generate: Generator, rows: int) -> float:
    """Rows/s of one run."""
    start = time.perf_counter()
    out = generate(rows)
    elapsed = time.perf_counter() - start
    assert len(out) == rows
    return rows / elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=100_000, help="rows for synthdata")
    parser.add_argument("--peer-rows", type=int, default=20_000, help="rows for Faker and Mimesis")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print(
        f"python {platform.python_version()} on {platform.machine()}, {platform.processor() or 'cpu'}"
    )
    tools: dict[str, tuple[Generator, int]] = {
        "synthdata": (synthdata_records, args.rows),
        "mimesis": (mimesis_records, args.peer_rows),
        "faker": (faker_records, args.peer_rows),
    }
    for generate, _ in tools.values():  # warm-up: imports, pools and caches
        generate(1000)
    # rounds interleave the tools, so a change in the machine's load hits all of them
    rates: dict[str, list[float]] = {name: [] for name in tools}
    for _ in range(args.repeat):
        for name, (generate, rows) in tools.items():
            rates[name].append(rate(generate, rows))
    ours = rates["synthdata"]
    print(f"synthdata {statistics.median(ours):12,.0f} rows/s")
    for peer in ("mimesis", "faker"):
        ratios = [mine / theirs for mine, theirs in zip(ours, rates[peer], strict=True)]
        print(
            f"{peer:9} {statistics.median(rates[peer]):12,.0f} rows/s   synthdata is"
            f" {statistics.median(ratios):5.1f}x (rounds: {', '.join(f'{r:.1f}' for r in ratios)})"
        )


if __name__ == "__main__":
    main()
