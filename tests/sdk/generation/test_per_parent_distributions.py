"""``per_parent`` with a distribution: how many children each parent row gets, beyond uniform."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

from synthdata_sdk import SynthDataClient
from synthdata_sdk.errors import SchemaError
from synthdata_sdk.strategies import datasets


def shop(distribution: Any, low: int = 0, high: int = 3) -> dict[str, Any]:
    per_parent: dict[str, Any] = {"min": low, "max": high, "distribution": distribution}
    return {
        "tables": {
            "customers": {
                "type": "object",
                "properties": {"id": {"type": "integer", "minimum": 1, "maximum": 10**9}},
                "required": ["id"],
            },
            "orders": {
                "type": "object",
                "x-synthdata": {"per_parent": per_parent},
                "properties": {
                    "customer_id": {"type": "integer", "x-synthdata": {"ref": "customers.id"}}
                },
                "required": ["customer_id"],
            },
        }
    }


def children_per_parent(source: dict[str, Any], rows: int = 2000, **options: Any) -> Counter[int]:
    tables = SynthDataClient().generate(source, rows=rows, seed=5, **options).tables
    orders = Counter(order["customer_id"] for order in tables["orders"])
    return Counter(orders.get(customer["id"], 0) for customer in tables["customers"])


def test_weights_give_each_count_its_share() -> None:
    # before: per_parent took only min and max (the "or a distribution" was refused)
    counts = children_per_parent(shop({"kind": "weights", "weights": [3, 0, 0, 1]}))
    assert set(counts) == {0, 3}
    assert 0.70 < counts[0] / 2000 < 0.80


def test_a_normal_distribution_is_rounded_and_clamped_to_the_bounds() -> None:
    counts = children_per_parent(shop({"kind": "normal", "mean": 2, "std": 0.5}, 1, 4))
    assert set(counts) <= {1, 2, 3, 4}
    mean = sum(count * parents for count, parents in counts.items()) / 2000
    assert 1.9 < mean < 2.1
    assert counts.most_common(1)[0][0] == 2


def test_a_lognormal_distribution_far_past_the_bounds_gives_the_bounds() -> None:
    counts = children_per_parent(shop({"kind": "lognormal", "mean": 700, "sigma": 1}, 1, 4))
    assert set(counts) == {4}


def test_the_same_bytes_with_any_number_of_workers() -> None:
    source = shop({"kind": "normal", "mean": 1.5, "std": 1})
    one = SynthDataClient().generate(source, rows=30_000, seed=2, workers=1)
    three = SynthDataClient().generate(source, rows=30_000, seed=2, workers=3)
    assert one.tables == three.tables and one.fingerprint == three.fingerprint
    other = SynthDataClient().generate(shop({"kind": "uniform"}), rows=30_000, seed=2)
    assert other.fingerprint != one.fingerprint


@pytest.mark.parametrize(
    ("distribution", "words"),
    [
        ({"kind": "weights", "weights": [1, 2]}, "2 weights for the counts 0..3"),
        ({"kind": "normal", "mean": 1}, "distribution/std: missing"),
        ({"kind": "normal", "mean": 1, "std": -1}, "a positive number"),
        ({"kind": "poisson", "lam": 2}, "'kind' is one of"),
        ({"kind": "weights", "weights": [1, 1, 1, "x"]}, "non-negative numbers"),
    ],
)
def test_a_bad_distribution_is_a_schema_error_naming_it(distribution: Any, words: str) -> None:
    with pytest.raises(SchemaError) as raised:
        SynthDataClient().prepare(shop(distribution), rows=3)
    assert raised.value.pointer.startswith("/tables/orders")
    assert words in str(raised.value)


@settings(max_examples=40, suppress_health_check=[HealthCheck.too_slow])
@given(datasets(shop({"kind": "weights", "weights": [1, 0, 0, 2]}), min_rows=1, max_rows=4))
def test_the_strategy_draws_only_counts_the_weights_allow(tables: dict[str, Any]) -> None:
    orders = Counter(order["customer_id"] for order in tables["orders"])
    assert {orders.get(customer["id"], 0) for customer in tables["customers"]} <= {0, 3}
