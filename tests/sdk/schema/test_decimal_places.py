"""Decimal fields and ``x-synthdata: {"decimals": d}`` numbers get values with exactly up to d
decimals (102.37, not a 0.25 grid), every ending, within every constraint."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Annotated, Any

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, Field, create_model

from synthdata_sdk import SynthDataClient
from synthdata_sdk.errors import SchemaError

CLIENT = SynthDataClient()


class LineItem(BaseModel):
    price: Annotated[Decimal, Field(max_digits=8, decimal_places=2, ge=0)]
    rate: Annotated[Decimal, Field(decimal_places=4, gt=0, lt=1)]
    amount: Annotated[Decimal, Field(multiple_of=Decimal("0.05"))]
    refund: Annotated[Decimal, Field(decimal_places=2, ge=-500, le=Decimal("-0.5"))]
    weight: Annotated[Decimal, Field(max_digits=5, decimal_places=3, gt=Decimal("-1.5"))]
    discount: Annotated[Decimal, Field(multiple_of=Decimal("0.25"), decimal_places=2, le=10)]


def places(value: float | int) -> int:
    """The decimals ``value`` has as text (what pydantic and JSON readers see)."""
    exponent = Decimal(repr(value)).normalize().as_tuple().exponent
    assert isinstance(exponent, int)
    return max(-exponent, 0)


def assert_valid(model: type[BaseModel], records: list[dict[str, Any]], schema: Any) -> None:
    """The model accepts each record, as JSON and as a dict, and so does the normalised schema."""
    validator = jsonschema.Draft202012Validator(schema)
    for record in records:
        model.model_validate_json(json.dumps(record))
        model.model_validate(record)
        validator.validate(record)


def test_a_realistic_model_gets_values_with_its_places_in_its_bounds() -> None:
    dataset = CLIENT.generate(LineItem, rows=2000, seed=5)
    records = dataset.records
    assert_valid(LineItem, records, dataset.schema)
    expected = {"price": 2, "rate": 4, "amount": 2, "refund": 2, "weight": 3, "discount": 2}
    for field, most in expected.items():
        values = [record[field] for record in records]
        assert max(places(v) for v in values) == most, field
    assert all(0 <= r["price"] < 10**6 and 0 < r["rate"] < 1 for r in records)
    assert all(-500 <= r["refund"] <= -0.5 and -1.5 < r["weight"] < 100 for r in records)
    assert all(Decimal(repr(r["amount"])) % Decimal("0.05") == 0 for r in records)
    assert all(Decimal(repr(r["discount"])) % Decimal("0.25") == 0 for r in records)
    assert all(r["discount"] <= 10 for r in records)
    # 0.07 and its kind (no float passes 0.07 / 0.01 == 7) are drawn like the others
    assert len({round(r["rate"] * 10**4) % 100 for r in records}) == 100


def test_all_cent_endings_appear_in_prices() -> None:
    # the former 2**-2 grid gave only .0, .25, .5 and .75
    records = CLIENT.generate(LineItem, rows=10_000, seed=1).records
    endings = {round(record["price"] * 100) % 100 for record in records}
    assert endings == set(range(100))


def test_decimal_values_are_reproducible() -> None:
    first = CLIENT.generate(LineItem, rows=300, seed=9).records
    assert CLIENT.generate(LineItem, rows=300, seed=9).records == first
    assert CLIENT.generate(LineItem, rows=300, seed=10).records != first


@st.composite
def decimal_fields(draw: st.DrawFn) -> tuple[int, dict[str, Decimal]]:
    """Decimal places and bounds (one or two sides, inclusive or not) with room for a value."""
    d = draw(st.integers(0, 6))
    bound = st.decimals(-(10**5), 10**5, places=draw(st.integers(0, 4)))
    low, high = sorted([draw(bound), draw(bound)])
    # a whole number strictly inside, which every place count can write (high + 1 was not
    # enough: gt=0, lt=1 holds no whole number)
    high = high + 2
    constraints: dict[str, Decimal] = {}
    sides = draw(st.sampled_from(["low", "high", "both"]))
    if sides in ("low", "both"):
        constraints[draw(st.sampled_from(["ge", "gt"]))] = low
    if sides in ("high", "both"):
        constraints[draw(st.sampled_from(["le", "lt"]))] = high
    return d, constraints


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(decimal_fields())
def test_every_value_has_at_most_its_places_and_lies_in_its_bounds(
    drawn: tuple[int, dict[str, Decimal]],
) -> None:
    d, constraints = drawn
    field = Annotated[Decimal, Field(decimal_places=d, **constraints)]  # type: ignore[call-overload]
    model = create_model("Drawn", x=(field, ...))
    dataset = CLIENT.generate(model, rows=50)
    assert_valid(model, dataset.records, dataset.schema)
    for record in dataset.records:
        exact = Decimal(repr(record["x"]))
        assert places(record["x"]) <= d
        assert exact >= constraints.get("ge", exact) and exact <= constraints.get("le", exact)
        assert "gt" not in constraints or exact > constraints["gt"]
        assert "lt" not in constraints or exact < constraints["lt"]


def number_schema(**field: Any) -> dict[str, Any]:
    return {"type": "object", "properties": {"x": {"type": "number", **field}}, "required": ["x"]}


def test_a_json_schema_asks_for_decimals_in_x_synthdata() -> None:
    schema = number_schema(
        minimum=0, maximum=100, multipleOf=0.05, **{"x-synthdata": {"decimals": 2}}
    )
    records = CLIENT.generate(schema, rows=1000, seed=2).records
    for record in records:
        jsonschema.validate(record, schema)  # multipleOf as validators check it, in floats
        assert places(record["x"]) <= 2
    assert len({round(r["x"] * 100) % 100 for r in records}) > 4


def test_decimals_take_the_place_of_a_price_names_cents() -> None:
    # a price takes 0..1000 from its name, and its places from x-synthdata, not cents
    named = {
        "type": "object",
        "properties": {"price": {"type": "number", "x-synthdata": {"decimals": 1}}},
        "required": ["price"],
    }
    records = CLIENT.generate(named, rows=500, seed=1).records
    assert len({round(r["price"] * 10) % 10 for r in records}) == 10
    assert all(places(r["price"]) <= 1 and 0 <= r["price"] <= 1000 for r in records)


def test_the_fingerprint_covers_the_places() -> None:
    two = CLIENT.prepare(number_schema(**{"x-synthdata": {"decimals": 2}}), rows=5)
    three = CLIENT.prepare(number_schema(**{"x-synthdata": {"decimals": 3}}), rows=5)
    assert two.fingerprint != three.fingerprint


@pytest.mark.parametrize(
    ("extension", "message"),
    [
        ({"decimals": -1}, "x-synthdata/decimals"),
        ({"decimals": 13}, "x-synthdata/decimals"),
        ({"decimals": 1.5}, "x-synthdata/decimals"),
        ({"decimals": True}, "x-synthdata/decimals"),
        ({"multiple": 0.5}, "needs decimals"),
        ({"decimals": 1, "multiple": 0.05}, "at most 1 decimals"),
        ({"decimals": 2, "multiple": 0}, "x-synthdata/multiple"),
    ],
)
def test_bad_decimal_options_are_schema_errors(extension: dict[str, Any], message: str) -> None:
    with pytest.raises(SchemaError, match=message):
        CLIENT.prepare(number_schema(**{"x-synthdata": extension}), rows=5)


def test_a_range_with_no_value_of_those_places_names_it() -> None:
    schema = number_schema(
        exclusiveMinimum=0.1, exclusiveMaximum=0.2, **{"x-synthdata": {"decimals": 1}}
    )
    with pytest.raises(
        SchemaError, match=r"no number with 1 decimals lies in the range \(0.1, 0.2\)"
    ):
        CLIENT.prepare(schema, rows=5)


def test_a_field_s_own_x_synthdata_keeps_its_places() -> None:
    # pydantic writes json_schema_extra over the type's x-synthdata
    extra = {"x-synthdata": {"unique": True}}
    field = Annotated[Decimal, Field(decimal_places=2, ge=0, le=50, json_schema_extra=extra)]
    model = create_model("Unique", x=(field, ...))
    records = CLIENT.generate(model, rows=3000, seed=4).records
    values = [record["x"] for record in records]
    assert len(set(values)) == len(values)
    assert all(places(v) <= 2 for v in values)


def test_a_unique_decimal_column_keeps_its_multiple_in_decimal() -> None:
    # multipleOf in floats needs redraws, which a unique column cannot make
    refused = number_schema(minimum=0, maximum=99, multipleOf=0.05)
    refused["properties"]["x"]["x-synthdata"] = {"decimals": 2, "unique": True}
    with pytest.raises(SchemaError, match=r'x-synthdata \{"decimals": 2, "multiple": 0.05\}'):
        CLIENT.prepare(refused, rows=5)
    extension = {"decimals": 2, "multiple": 0.05, "unique": True}
    schema = number_schema(minimum=0, maximum=99, **{"x-synthdata": extension})
    values = [record["x"] for record in CLIENT.generate(schema, rows=1981, seed=3).records]
    assert sorted(Decimal(repr(v)) for v in values) == [
        Decimal(k) * Decimal("0.05") for k in range(1981)
    ]
