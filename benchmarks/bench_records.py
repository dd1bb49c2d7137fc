"""Rows per second for the 10-field customer record: synthdata vs Faker vs Mimesis, same run.

Run: ``python benchmarks/bench_records.py [--rows N] [--repeat 3]``. Prints the median of
``repeat`` runs per tool and the ratios. Peers build the same ten fields with their usual
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


def measure(generate: Generator, rows: int, repeat: int) -> float:
    """Median rows/s over ``repeat`` runs (after one small warm-up run)."""
    generate(min(rows, 1000))
    rates = []
    for _ in range(repeat):
        start = time.perf_counter()
        out = generate(rows)
        elapsed = time.perf_counter() - start
        assert len(out) == rows
        rates.append(rows / elapsed)
    return statistics.median(rates)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=100_000, help="rows for synthdata")
    parser.add_argument("--peer-rows", type=int, default=20_000, help="rows for Faker and Mimesis")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print(
        f"python {platform.python_version()} on {platform.machine()}, {platform.processor() or 'cpu'}"
    )
    ours = measure(synthdata_records, args.rows, args.repeat)
    faker = measure(faker_records, args.peer_rows, args.repeat)
    mimesis = measure(mimesis_records, args.peer_rows, args.repeat)
    print(f"synthdata {ours:12,.0f} rows/s")
    print(f"mimesis   {mimesis:12,.0f} rows/s   synthdata is {ours / mimesis:5.1f}x")
    print(f"faker     {faker:12,.0f} rows/s   synthdata is {ours / faker:5.1f}x")


if __name__ == "__main__":
    main()
