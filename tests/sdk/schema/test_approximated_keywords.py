"""``unevaluated*`` and ``$dynamicRef``: generated approximately, every value checked by the source."""

from __future__ import annotations

from typing import Any

import pytest

from synthdata_sdk import SynthDataClient
from synthdata_sdk.errors import SchemaError
from synthdata_sdk.generation.engine import generate_values
from synthdata_sdk.schema.normalize import normalize

CLOSED_BY_UNEVALUATED = {
    "type": "object",
    "properties": {"id": {"type": "integer", "minimum": 1}},
    "allOf": [{"properties": {"name": {"type": "string", "maxLength": 8}}}],
    "required": ["id", "name"],
    "unevaluatedProperties": False,
}

#: a linked list whose node type a $dynamicAnchor names
DYNAMIC_LIST = {
    "$id": "https://example.test/list",
    "$dynamicAnchor": "node",
    "type": "object",
    "properties": {
        "value": {"type": "integer", "minimum": 0, "maximum": 9},
        "next": {"anyOf": [{"type": "null"}, {"$dynamicRef": "#node"}]},
    },
    "required": ["value", "next"],
    "additionalProperties": False,
}


@pytest.mark.parametrize(
    "schema", [CLOSED_BY_UNEVALUATED, DYNAMIC_LIST], ids=["unevaluated", "dynamic"]
)
def test_generated_values_are_valid_against_the_source(schema: Any, assert_valid: Any) -> None:
    records = SynthDataClient().generate(schema, rows=300, seed=3).records

    assert_valid(schema, records)
    assert any(record != records[0] for record in records)


def test_the_source_is_kept_as_the_check() -> None:
    normalized = normalize(CLOSED_BY_UNEVALUATED)

    assert isinstance(normalized, dict)
    (check,) = normalized["allOf"]
    assert check["$id"] == "urn:synthdata:source"
    assert check["unevaluatedProperties"] is False
    assert "unevaluatedProperties" not in normalized  # generation reads the merged part


def test_schemas_without_them_keep_no_check() -> None:
    normalized = normalize({"type": "object", "properties": {"a": {"type": "string"}}})

    assert normalized == {"type": "object", "properties": {"a": {"type": "string"}}}


def test_unevaluated_items_close_a_tuple() -> None:
    schema = {
        "type": "array",
        "prefixItems": [{"type": "integer"}, {"type": "string", "maxLength": 3}],
        "minItems": 2,
        "unevaluatedItems": False,
    }

    values = generate_values(normalize(schema), rows=50, seed=1)

    assert all(len(v) == 2 and isinstance(v[0], int) and isinstance(v[1], str) for v in values)


def test_a_check_that_generation_cannot_meet_is_a_refusal_not_bad_data() -> None:
    # the allOf branch closes itself to "a" only, so "b" (required) can never be evaluated
    schema = {
        "type": "object",
        "allOf": [{"properties": {"a": {"type": "integer"}}, "unevaluatedProperties": False}],
        "properties": {"b": {"type": "integer"}},
        "required": ["a", "b"],
    }

    with pytest.raises(SchemaError, match="after 30 attempts"):
        generate_values(normalize(schema), rows=5)
