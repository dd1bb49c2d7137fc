"""Normalisation: refs inlined, allOf merged, recursion cut, bad schemas refused with a pointer."""

from __future__ import annotations

import pytest

from synthdata_sdk.errors import SchemaError
from synthdata_sdk.schema.normalize import merge, normalize


def test_refs_are_inlined_and_all_of_merged() -> None:
    schema = {
        "type": "object",
        "$defs": {"small": {"type": "integer", "minimum": 3}},
        "properties": {"a": {"$ref": "#/$defs/small"}},
        "allOf": [{"required": ["a"]}, {"properties": {"a": {"maximum": 10}}}],
    }
    assert normalize(schema) == {
        "type": "object",
        "properties": {"a": {"type": "integer", "minimum": 3, "maximum": 10}},
        "required": ["a"],
    }


def test_recursive_ref_is_cut_with_false_at_bounded_depth() -> None:
    schema = {
        "$defs": {
            "node": {
                "type": "object",
                "properties": {"children": {"type": "array", "items": {"$ref": "#/$defs/node"}}},
            }
        },
        "$ref": "#/$defs/node",
    }
    text = repr(normalize(schema))
    assert text.count("'children'") == 3
    assert "'items': False" in text


def test_annotations_are_dropped() -> None:
    schema = {
        "type": "string",
        "title": "t",
        "description": "d",
        "examples": ["x"],
        "$comment": "c",
    }
    assert normalize(schema) == {"type": "string"}


def test_if_then_else_becomes_any_of() -> None:
    out = normalize({"if": {"minimum": 5}, "then": {"maximum": 10}, "else": {"type": "string"}})
    assert out == {
        "anyOf": [{"minimum": 5, "maximum": 10}, {"type": "string", "not": {"minimum": 5}}]
    }


def test_unknown_keyword_is_refused_with_a_suggestion_under_strict_keywords() -> None:
    schema = {"type": "object", "properties": {"age": {"type": "integer", "minimun": 3}}}
    with pytest.raises(SchemaError) as raised:
        normalize(schema, strict_keywords=True)
    assert raised.value.pointer == "/properties/age"
    assert raised.value.keyword == "minimun"
    assert "did you mean 'minimum'" in str(raised.value)


def test_metaschema_violation_names_the_pointer_and_keyword() -> None:
    with pytest.raises(SchemaError) as raised:
        normalize({"properties": {"name": {"type": "string", "minLength": -1}}})
    assert raised.value.pointer == "/properties/name"
    assert raised.value.keyword == "minLength"


def test_unresolvable_ref_is_a_schema_error() -> None:
    with pytest.raises(SchemaError, match=r"\$ref.*cannot resolve"):
        normalize({"$ref": "#/$defs/missing"})


def test_unresolvable_dynamic_ref_names_the_keyword() -> None:
    with pytest.raises(SchemaError) as raised:
        normalize({"$dynamicRef": "#meta"})
    assert raised.value.keyword == "$dynamicRef"
    assert "cannot resolve '#meta'" in str(raised.value)


def test_x_extension_is_validated() -> None:
    with pytest.raises(SchemaError, match="null_rate"):
        normalize({"type": ["string", "null"], "x-synthdata": {"null_rate": 2}})
    with pytest.raises(SchemaError, match="unknown option"):
        normalize({"type": "string", "x-synthdata": {"semantik": "email"}})


def test_merge_intersects_types_and_bounds() -> None:
    merged = merge(
        {"type": ["string", "integer"], "minimum": 1},
        {"type": "integer", "minimum": 4, "maximum": 9},
    )
    assert merged == {"type": "integer", "minimum": 4, "maximum": 9}
    assert merge({"type": "string"}, {"type": "integer"}) is False


def test_merge_respects_additional_properties_false() -> None:
    merged = merge(
        {"properties": {"a": {}}, "additionalProperties": False},
        {"properties": {"b": {"type": "integer"}}},
    )
    assert merged is not False
    assert merged["properties"]["b"] is False


def test_merge_keeps_unmergeable_keywords_as_residual() -> None:
    merged = merge({"pattern": "^a"}, {"pattern": "b$"})
    assert merged == {"pattern": "^a", "allOf": [{"pattern": "b$"}]}
