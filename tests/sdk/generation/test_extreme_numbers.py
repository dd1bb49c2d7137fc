"""Numbers at the edges of the float range: valid values or a SchemaError, never a crash,
an infinity or a value outside the bounds."""

from __future__ import annotations

import math
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from synthdata_sdk import SynthDataClient
from synthdata_sdk.errors import SchemaError
from tests.conftest import format_validator

CLIENT = SynthDataClient()


def one(schema: dict[str, Any]) -> dict[str, Any]:
    return {"type": "object", "properties": {"x": schema}, "required": ["x"]}


@pytest.mark.parametrize(
    "schema",
    [
        # OverflowError in the multipleOf grid, after validate had said valid
        {"type": "number", "minimum": 1e20, "multipleOf": 7},
        {"type": "number", "minimum": 1e20, "maximum": 1.000000000000001e20, "multipleOf": 7},
        # the default span above 1e20 is lost in rounding (kept working)
        {"type": "integer", "minimum": 1e20, "multipleOf": 7},
        # float division put the first multiple below the minimum
        {"type": "integer", "minimum": 2**1000, "multipleOf": 7},
        {"type": "number", "minimum": 2**1000, "multipleOf": 7},
        # the span overflowed to infinity: records held inf
        {"type": "number", "minimum": -1.7e308, "maximum": 1.7e308},
        # a range one float wide: the middle rounded onto the excluded end
        {"type": "number", "minimum": 0, "maximum": 5e-324, "exclusiveMinimum": 0},
        {"type": "number", "minimum": 1.7e308, "multipleOf": 3},
        # the quotient underflowed to 0: the first multiple, 0, lay below the minimum
        {"type": "number", "minimum": 5e-324, "multipleOf": 77},
        {"type": "number", "maximum": -5e-324, "multipleOf": 77},
    ],
)
def test_extreme_bounds_give_valid_values(schema: dict[str, Any], assert_valid: Any) -> None:
    full = one(schema)
    assert CLIENT.validate_schema(full).valid
    records = CLIENT.generate(full, rows=50).records
    assert all(math.isfinite(record["x"]) for record in records)
    assert_valid(full, records)


@pytest.mark.parametrize(
    "schema",
    [
        {"type": "number", "multipleOf": 1e-320},  # OverflowError (ceil of infinity)
        {"type": "number", "minimum": -1e308, "maximum": 1e308, "x-synthdata": {"unique": True}},
        {"type": "number", "exclusiveMinimum": 0, "exclusiveMaximum": 5e-324},
    ],
)
def test_bounds_no_float_can_meet_are_a_schema_error(schema: dict[str, Any]) -> None:
    with pytest.raises(SchemaError) as raised:
        CLIENT.generate(one(schema), rows=20)
    assert len(str(raised.value)) < 300  # no 300-digit numbers in the message


finite = st.floats(allow_nan=False, allow_infinity=False)
multiples = st.one_of(
    st.floats(min_value=1e-320, max_value=1e308, allow_nan=False, allow_infinity=False),
    st.integers(1, 10**30),
    st.sampled_from([0.01, 0.1, 0.25, 3, 7, 1e-9]),
)


@settings(max_examples=60, deadline=None)
@given(
    kind=st.sampled_from(["number", "integer"]),
    low=st.none() | finite | st.integers(-(2**1000), 2**1000),
    high=st.none() | finite | st.integers(-(2**1000), 2**1000),
    exclusive=st.booleans(),
    multiple=st.none() | multiples,
)
def test_any_numeric_bounds_give_valid_values_or_a_schema_error(
    kind: str, low: Any, high: Any, exclusive: bool, multiple: Any
) -> None:
    schema: dict[str, Any] = {"type": kind}
    if low is not None:
        schema["exclusiveMinimum" if exclusive else "minimum"] = low
    if high is not None:
        schema["maximum"] = high
    if multiple is not None:
        schema["multipleOf"] = multiple
    full = one(schema)
    try:
        records = CLIENT.generate(full, rows=10).records
    except SchemaError:
        return
    validator = format_validator(full)
    for record in records:
        assert validator.is_valid(record), record


def test_a_multiple_near_a_bound_keeps_to_the_bound() -> None:
    # 8028055 / 1e-9 is not whole in floating point; the nearest float whose quotient is,
    # 8028054.999999999, lies below the minimum: the value must come from inside the range
    schema = one({"type": "number", "minimum": 8028055, "maximum": 8028055, "multipleOf": 1e-9})
    try:
        records = CLIENT.generate(schema, rows=50).records
    except SchemaError:
        return
    validator = format_validator(schema)
    assert all(validator.is_valid(record) for record in records)


def test_integer_bounds_past_float_precision_are_not_rounded_inside_out() -> None:
    # float(2**53 + 1) is 2**53: the range [2**53 + 1, 2**53] is empty, not {2**53}
    schema = one({"type": "number", "minimum": 2**53 + 1, "maximum": 2**53})
    with pytest.raises(SchemaError):
        CLIENT.generate(schema, rows=5)
    near = one({"type": "number", "minimum": 2**53 + 1, "maximum": 2**53 + 10})
    validator = format_validator(near)
    assert all(validator.is_valid(record) for record in CLIENT.generate(near, rows=50).records)


def test_multiples_past_the_float_range_are_a_schema_error_not_an_overflow() -> None:
    # -1.8e308 / 1e-320 multiples: k * multipleOf has no float form (an OverflowError before)
    schema = one({"type": "number", "maximum": -1.7976731214730534e308, "multipleOf": 1e-320})
    with pytest.raises(SchemaError, match="multipleOf"):
        CLIENT.generate(schema, rows=3)
