"""Property: for a hypothesis-generated family of object schemas, every record is valid."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from synthdata_sdk.errors import SchemaError
from synthdata_sdk.generation.engine import generate_values
from synthdata_sdk.schema.normalize import normalize
from tests.conftest import format_validator

names = st.text(alphabet="abcdefghijklmnopqrstuvwxyz_", min_size=1, max_size=10)


@st.composite
def integer_schemas(draw: st.DrawFn) -> dict[str, Any]:
    low = draw(st.integers(-1000, 1000))
    schema: dict[str, Any] = {
        "type": "integer",
        "minimum": low,
        "maximum": low + draw(st.integers(0, 5000)),
    }
    if draw(st.booleans()):
        schema["multipleOf"] = draw(st.sampled_from([1, 2, 5, 10]))
    return schema


@st.composite
def number_schemas(draw: st.DrawFn) -> dict[str, Any]:
    low = draw(st.floats(-1e6, 1e6, allow_nan=False))
    high = low + draw(st.floats(0.5, 1e6))
    schema: dict[str, Any] = {
        "type": "number",
        draw(st.sampled_from(["minimum", "exclusiveMinimum"])): low,
    }
    schema[draw(st.sampled_from(["maximum", "exclusiveMaximum"]))] = high
    if draw(st.booleans()):
        schema["multipleOf"] = draw(st.sampled_from([0.01, 0.1, 0.25, 0.5, 0.001]))
    return schema


@st.composite
def string_schemas(draw: st.DrawFn) -> dict[str, Any]:
    kind = draw(st.sampled_from(["text", "format", "pattern", "enum"]))
    if kind == "format":
        return {
            "type": "string",
            "format": draw(
                st.sampled_from(
                    [
                        "date",
                        "date-time",
                        "time",
                        "email",
                        "uuid",
                        "uri",
                        "ipv4",
                        "ipv6",
                        "hostname",
                    ]
                )
            ),
        }
    if kind == "pattern":
        return {
            "type": "string",
            "pattern": draw(
                st.sampled_from(["^[a-z]{2,5}$", "^[A-Z][0-9]{3}$", "x+y?", "^(ab|cd)+$"])
            ),
        }
    if kind == "enum":
        return {"enum": draw(st.lists(st.text(max_size=5), min_size=1, max_size=5, unique=True))}
    low = draw(st.integers(0, 20))
    return {"type": "string", "minLength": low, "maxLength": low + draw(st.integers(0, 30))}


def leaf_schemas() -> st.SearchStrategy[dict[str, Any]]:
    return st.one_of(
        integer_schemas(),
        number_schemas(),
        string_schemas(),
        st.just({"type": "boolean"}),
        st.just({"type": "null"}),
        st.builds(
            lambda s: {**s, "type": [s.get("type", "string"), "null"]} if "type" in s else s,
            string_schemas(),
        ),
    )


def containers(children: st.SearchStrategy[dict[str, Any]]) -> st.SearchStrategy[dict[str, Any]]:
    objects = st.builds(
        lambda props, data: {
            "type": "object",
            "properties": props,
            "required": [k for k in props if data.draw(st.booleans())],
            "additionalProperties": data.draw(st.booleans()),
        },
        st.dictionaries(names, children, max_size=5),
        st.data(),
    )
    arrays = st.builds(
        lambda items, low, extra, unique: {
            "type": "array",
            "items": items,
            "minItems": low,
            "maxItems": low + extra,
            **({"uniqueItems": True} if unique else {}),
        },
        children,
        st.integers(0, 3),
        st.integers(0, 4),
        st.booleans(),
    )
    unions = st.builds(lambda a, b: {"anyOf": [a, b]}, children, children)
    return st.one_of(objects, arrays, unions)


schemas = st.recursive(leaf_schemas(), containers, max_leaves=12).map(
    lambda s: {"type": "object", "properties": {"value": s}, "required": ["value"]}
)


@pytest.mark.slow
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(schema=schemas, seed=st.integers(0, 2**32))
def test_generated_schemas_give_only_valid_records(schema: dict[str, Any], seed: int) -> None:
    try:
        records = generate_values(normalize(schema), rows=30, seed=seed)
    except SchemaError:
        return  # refusing is allowed; invalid data is not
    validator = format_validator(schema)
    for record in records:
        errors = list(validator.iter_errors(record))
        assert not errors, f"{record!r}: {errors[0].message}"
