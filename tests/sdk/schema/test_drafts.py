"""Older drafts read through ``$schema``, and unknown keywords read as annotations.

Every generated value is checked with the validator of the draft the schema declares.
"""

from __future__ import annotations

import json
import warnings
from pathlib import Path
from typing import Any

import pytest

from synthdata_sdk.client import SynthDataClient
from synthdata_sdk.errors import SchemaError, UnknownKeywordWarning
from synthdata_sdk.generation.engine import generate_values
from synthdata_sdk.schema.drafts import BESIDE_REF, DRAFT4, DRAFT202012, dialect_of, translate
from synthdata_sdk.schema.normalize import normalize, read_schema
from synthdata_sdk.schema.report import validate_schema

D4 = "http://json-schema.org/draft-04/schema#"
D6 = "http://json-schema.org/draft-06/schema#"
D7 = "http://json-schema.org/draft-07/schema#"
D2019 = "https://json-schema.org/draft/2019-09/schema"


def values_of(schema: dict[str, Any], rows: int = 40) -> list[Any]:
    """Values of ``schema`` (any type), each checked with its declared draft's validator."""
    values = generate_values(normalize(schema), rows=rows, seed=3)
    cls = dialect_of(schema).validator
    validator = cls(schema, format_checker=cls.FORMAT_CHECKER)
    for value in values:
        errors = list(validator.iter_errors(value))
        assert not errors, f"{value!r}: {errors[0].message}"
    return values


# --------------------------------------------------------------------------- drafts


@pytest.mark.parametrize(
    ("uri", "name"),
    [
        (D4, "draft-04"),
        ("http://json-schema.org/draft-04/schema", "draft-04"),
        ("https://json-schema.org/draft-06/schema#", "draft-06"),
        (D7, "draft-07"),
        (D2019, "2019-09"),
        ("https://json-schema.org/draft/2020-12/schema", "2020-12"),
        ("https://example.com/my-meta-schema", "2020-12"),
    ],
)
def test_declared_draft_is_read_from_dollar_schema(uri: str, name: str) -> None:
    assert dialect_of({"$schema": uri}).name == name


def test_schema_without_dollar_schema_is_2020_12() -> None:
    assert dialect_of({"type": "object"}) is DRAFT202012


def test_draft_3_is_refused_by_name() -> None:
    with pytest.raises(SchemaError, match="older than draft 4") as raised:
        normalize({"$schema": "http://json-schema.org/draft-03/schema#", "type": "string"})
    assert raised.value.keyword == "$schema"


def test_draft4_id_and_boolean_exclusive_bounds() -> None:
    schema = {
        "$schema": D4,
        "id": "https://example.com/price.json#",
        "type": "object",
        "properties": {
            "amount": {"type": "number", "minimum": 0, "exclusiveMinimum": True, "maximum": 1},
            "count": {"type": "integer", "maximum": 3, "exclusiveMaximum": True, "minimum": 0},
            "plain": {"type": "integer", "minimum": 7, "maximum": 7, "exclusiveMinimum": False},
            "code": {"$ref": "#code"},
        },
        "required": ["amount", "count", "plain", "code"],
        "definitions": {"code": {"id": "#code", "type": "string", "enum": ["a", "b"]}},
    }
    normalized = normalize(schema)
    assert isinstance(normalized, dict)
    assert normalized["properties"]["amount"] == {
        "type": "number",
        "exclusiveMinimum": 0,
        "maximum": 1,
    }
    assert normalized["properties"]["count"] == {
        "type": "integer",
        "exclusiveMaximum": 3,
        "minimum": 0,
    }
    values = values_of(schema)
    assert {v["plain"] for v in values} == {7}
    assert all(v["amount"] > 0 and v["count"] < 3 for v in values)
    assert {v["code"] for v in values} == {"a", "b"}


def test_draft7_dependencies_mixing_a_schema_and_names() -> None:
    # the reference registry of draft 7 crashed on this (AttributeError on the list)
    schema = {
        "$schema": D7,
        "type": "object",
        "properties": {"card": {"type": "string"}, "billing": {"type": "string"}},
        "required": ["card"],
        "dependencies": {
            "card": ["billing"],
            "billing": {"properties": {"zip": {"type": "string", "pattern": "^[0-9]{5}$"}}},
        },
    }
    normalized = normalize(schema)
    assert isinstance(normalized, dict)
    assert normalized["dependentRequired"] == {"card": ["billing"]}
    assert "billing" in normalized["dependentSchemas"]
    assert all("billing" in record for record in values_of(schema))


def test_array_form_items_with_additional_items() -> None:
    schema = {
        "$schema": D7,
        "type": "array",
        "items": [{"type": "integer"}, {"type": "string", "enum": ["x"]}],
        "additionalItems": {"type": "boolean"},
        "minItems": 2,
    }
    values = values_of(schema)
    assert all(isinstance(v[0], int) and v[1] == "x" for v in values)
    assert all(isinstance(item, bool) for v in values for item in v[2:])
    assert any(len(v) > 2 for v in values)


def test_additional_items_false_ends_the_tuple() -> None:
    schema = {"$schema": D6, "type": "array", "items": [{"const": 1}], "additionalItems": False}
    assert {json.dumps(v) for v in values_of(schema)} <= {"[]", "[1]"}


def test_additional_items_without_array_items_has_no_effect() -> None:
    schema = {"$schema": D7, "type": "array", "items": {"type": "null"}, "additionalItems": False}
    assert normalize(schema) == {"type": "array", "items": {"type": "null"}}


def test_pointer_through_array_items_follows_the_rename() -> None:
    schema = {
        "$schema": D7,
        "type": "object",
        "properties": {"second": {"$ref": "#/definitions/pair/items/1"}},
        "required": ["second"],
        "definitions": {"pair": {"type": "array", "items": [{"type": "string"}, {"const": 5}]}},
    }
    assert translate(schema).schema["properties"]["second"] == {
        "$ref": "#/definitions/pair/prefixItems/1"
    }
    assert {v["second"] for v in values_of(schema)} == {5}


def test_pointer_into_dependencies_follows_the_split() -> None:
    schema = {
        "$schema": D7,
        "type": "object",
        "properties": {"a": {"$ref": "#/dependencies/b/properties/c"}},
        "required": ["a"],
        "dependencies": {"b": {"properties": {"c": {"const": "yes"}}}},
    }
    assert {v["a"] for v in values_of(schema)} == {"yes"}


def test_identifier_beside_ref_does_not_change_what_it_resolves_to() -> None:
    # drafts 4 to 7 ignore everything beside $ref, $id included (a Test Suite case)
    schema = {
        "$schema": D7,
        "$id": "http://localhost:1234/sibling_id/base/",
        "definitions": {
            "foo": {"$id": "http://localhost:1234/sibling_id/foo.json", "type": "string"},
            "base_foo": {"$id": "foo.json", "type": "number"},
        },
        "allOf": [{"$id": "http://localhost:1234/sibling_id/", "$ref": "foo.json"}],
    }
    assert all(isinstance(v, int | float) for v in values_of(schema))


def test_draft7_fragment_identifier_is_an_anchor_and_a_pointer_id_is_dropped() -> None:
    schema = {
        "$schema": D7,
        "type": "object",
        "properties": {
            "a": {"$ref": "#flag"},
            "b": {"$id": "#/properties/b", "type": "string", "const": "b"},
        },
        "required": ["a", "b"],
        "definitions": {"flag": {"$id": "#flag", "type": "boolean"}},
    }
    values = values_of(schema)
    assert {type(v["a"]) for v in values} == {bool}


def test_keywords_of_later_drafts_are_ignored_in_older_ones() -> None:
    # draft 4 has no const: to its validators both branches are {}, so oneOf never holds
    # and "system" can never be present; honouring const gave records draft 4 rejects
    schema = {
        "$schema": D4,
        "type": "object",
        "properties": {
            "system": {"oneOf": [{"const": "vscode"}, {"const": "terminal"}]},
            "command": {"type": "string", "maxLength": 5},
        },
        "required": ["command"],
    }
    with pytest.warns(UnknownKeywordWarning, match="keyword 'const' is not a draft-04 keyword"):
        values = values_of(schema)
    assert all("system" not in v for v in values)
    assert [u.describe() for u in read_schema(schema).unknown] == [
        "keyword 'const' is not a draft-04 keyword",
        "keyword 'const' is not a draft-04 keyword",
    ]


def test_assertions_beside_ref_are_ignored_in_drafts_4_to_7() -> None:
    # draft 7 reads a $ref alone: both branches are "base", so a value matches both
    schema = {
        "$schema": D7,
        "type": "object",
        "properties": {
            "pick": {
                "oneOf": [
                    {"$ref": "#/definitions/base", "required": ["a"]},
                    {"$ref": "#/definitions/base", "required": ["b"]},
                ]
            },
            "y": {"$ref": "#/properties/x/properties/y"},
            "x": {"$ref": "#/definitions/base", "properties": {"y": {"const": 3}}},
        },
        "required": ["y"],
        "definitions": {"base": {"type": "object"}},
    }
    with pytest.warns(UnknownKeywordWarning, match="keyword 'required' beside \\$ref"):
        values = values_of(schema)
    assert all("pick" not in v and v["y"] == 3 for v in values)
    moved = translate(schema).schema["properties"]["x"]
    assert moved == {
        "$ref": "#/definitions/base",
        "$defs": {BESIDE_REF: {"properties": {"y": {"const": 3}}}},
    }


def test_a_later_draft_format_is_ignored_in_an_older_draft() -> None:
    schema = {"$schema": D7, "type": "string", "format": "uuid", "maxLength": 4}
    with pytest.warns(UnknownKeywordWarning, match="format 'uuid' is not a draft-07 format"):
        assert all(len(v) <= 4 for v in values_of(schema))


def test_min_contains_is_ignored_before_2019_09() -> None:
    # minContains 0 would relax contains, which draft 7 always requires once
    schema = {
        "$schema": D7,
        "type": "array",
        "contains": {"const": 1},
        "minContains": 0,
        "items": {"enum": [0, 1]},
    }
    with pytest.warns(UnknownKeywordWarning, match="'minContains' is not a draft-07 keyword"):
        values = values_of(schema)
    assert all(1 in v for v in values)


def test_2019_09_recursive_ref_is_followed() -> None:
    schema = {
        "$schema": D2019,
        "$recursiveAnchor": True,
        "type": "object",
        "properties": {"name": {"type": "string"}, "child": {"$recursiveRef": "#"}},
        "required": ["name"],
    }
    values = values_of(schema)
    assert any("child" in v for v in values)


def test_older_draft_metaschema_errors_name_the_draft() -> None:
    with pytest.raises(SchemaError) as raised:
        normalize({"$schema": D4, "type": "number", "exclusiveMinimum": 5})
    assert raised.value.keyword == "exclusiveMinimum"
    assert "draft-04" in str(raised.value)


def test_later_keywords_in_older_drafts_are_not_read_at_all() -> None:
    # draft 7's validators ignore dependentRequired, whatever its value
    schema = {"$schema": D7, "type": "object", "dependentRequired": {"a": "b"}}
    assert [u.keyword for u in read_schema(schema).unknown] == ["dependentRequired"]


def test_records_from_an_older_draft_through_the_client() -> None:
    schema = {
        "$schema": D4,
        "id": "https://example.com/item.json",
        "type": "object",
        "properties": {"qty": {"type": "integer", "minimum": 0, "exclusiveMinimum": True}},
        "required": ["qty"],
    }
    dataset = SynthDataClient().generate(schema, rows=20)
    assert all(record["qty"] >= 1 for record in dataset.records)
    assert validate_schema(schema).draft == DRAFT4.name


# --------------------------------------------------------------------------- unknown keywords


VENDOR = {
    "type": "object",
    "allowTrailingCommas": True,
    "properties": {
        "name": {"type": "string", "maxLength": 8, "tsType": "Name"},
        "size": {"type": "integer", "minimum": 1, "maximum": 3, "minimun": 2},
    },
    "required": ["name", "size"],
    "abcValidatesReferences": True,
}


def test_unknown_keywords_are_annotations_and_listed_in_a_warning() -> None:
    with pytest.warns(UnknownKeywordWarning) as caught:
        values = values_of(VENDOR)
    assert {v["size"] for v in values} == {1, 2, 3}  # ``minimun`` constrains nothing
    warning = caught[0].message
    assert isinstance(warning, UnknownKeywordWarning)
    assert warning.keywords == (
        ("/properties/name/tsType", "tsType"),
        ("/properties/size/minimun", "minimun"),
        ("/abcValidatesReferences", "abcValidatesReferences"),
    )
    assert "'minimun' at /properties/size/minimun" in str(warning)


def test_editor_annotations_are_known_keywords() -> None:
    schema = {"type": "string", "markdownDescription": "**x**", "deprecationMessage": "old"}
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert normalize(schema) == {"type": "string"}


def test_unknown_keywords_are_listed_in_the_validation_report() -> None:
    report = validate_schema(VENDOR)
    assert report.valid
    assert [(issue.pointer, issue.message) for issue in report.unknown_keywords] == [
        ("/properties/name/tsType", "unknown keyword 'tsType', read as an annotation"),
        ("/properties/size/minimun", "unknown keyword 'minimun', read as an annotation"),
        (
            "/abcValidatesReferences",
            "unknown keyword 'abcValidatesReferences', read as an annotation",
        ),
    ]
    assert report.to_dict()["unknown_keywords"][1]["pointer"] == "/properties/size/minimun"


TYPO = {"type": "object", "properties": {"size": {"type": "integer", "minimun": 2}}}


def test_strict_keywords_refuse_an_unknown_keyword_with_a_hint() -> None:
    with pytest.raises(SchemaError, match="did you mean 'minimum'") as raised:
        SynthDataClient().generate(TYPO, rows=1, strict_keywords=True)
    assert (raised.value.pointer, raised.value.keyword) == ("/properties/size", "minimun")
    report = validate_schema(TYPO, strict_keywords=True)
    assert not report.valid
    assert report.errors[0].pointer == "/properties/size"


def test_strict_keywords_accept_known_and_x_prefixed_keywords() -> None:
    schema = {"type": "object", "x-owner": "team", "title": "t", "properties": {}}
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert normalize(schema, strict_keywords=True) == {
            "type": "object",
            "properties": {},
            "x-owner": "team",
        }


def test_formats_no_draft_defines_are_annotations() -> None:
    # OpenAPI's int64, editors' markdown: no validator checks them
    schema = {
        "type": "object",
        "properties": {
            "n": {"type": "integer", "format": "int64", "minimum": 0, "maximum": 9},
            "text": {"type": "string", "format": "markdown", "maxLength": 12},
            "when": {"type": "string", "format": "date"},
        },
        "required": ["n", "text", "when"],
    }
    with pytest.warns(UnknownKeywordWarning, match="format 'int64' at /properties/n/format"):
        values = values_of(schema)
    assert all(len(v["when"]) == 10 for v in values)
    report = validate_schema(schema)
    assert [issue.message for issue in report.unknown_keywords] == [
        "unknown format 'int64', read as an annotation",
        "unknown format 'markdown', read as an annotation",
    ]
    with pytest.raises(SchemaError, match="unknown format 'emial'; did you mean 'email'"):
        normalize({"type": "string", "format": "emial"}, strict_keywords=True)


def test_a_ref_may_point_inside_an_unknown_keyword() -> None:
    schema = {
        "type": "object",
        "components": {"schemas": {"Id": {"type": "integer", "minimum": 5, "maximum": 6}}},
        "properties": {"id": {"$ref": "#/components/schemas/Id"}},
        "required": ["id"],
    }
    result = read_schema(schema)
    assert [u.keyword for u in result.unknown] == ["components"]
    with pytest.warns(UnknownKeywordWarning):
        assert {v["id"] for v in values_of(schema)} <= {5, 6}


def test_cli_strict_keywords_and_warning_lines(run: Any, tmp_path: Path) -> None:
    path = tmp_path / "vendor.json"
    path.write_text(json.dumps(VENDOR), encoding="utf-8")
    code, out, err = run("generate", str(path), "--rows", "2", "-q")
    assert code == 0
    assert len(out.splitlines()) == 2
    assert err.startswith("synthdata: warning: keywords read as annotations")
    typo = tmp_path / "typo.json"
    typo.write_text(json.dumps(TYPO), encoding="utf-8")
    code, _, err = run("generate", str(typo), "--rows", "2", "--strict-keywords")
    assert code == 2
    assert "did you mean 'minimum'" in err
    code, out, err = run("validate", str(path), "--json")
    assert code == 0
    assert len(json.loads(out)["unknown_keywords"]) == 3


# --------------------------------------------------------------------------- references


def test_a_non_schema_under_defs_of_an_older_draft_is_left_out() -> None:
    # draft 7 does not know $defs, so nothing checks it; reference crawling crashed on it
    schema = {
        "$schema": D7,
        "type": "object",
        "properties": {"v": {"$ref": "#/$defs/version"}},
        "required": ["v"],
        "$defs": {"description": "Versions to build.", "version": {"enum": ["3.12", "3.13"]}},
    }
    assert {v["v"] for v in values_of(schema)} == {"3.12", "3.13"}


def test_ref_through_a_boolean_subschema_is_a_schema_error() -> None:
    # the pointer lookup raised TypeError ('bool' object is not subscriptable)
    schema = {"type": "object", "properties": {"a": True, "b": {"$ref": "#/properties/a/x"}}}
    with pytest.raises(SchemaError, match="cannot resolve") as raised:
        normalize(schema)
    assert raised.value.pointer == "/properties/b/$ref"


def test_schemas_grouped_under_an_unknown_keyword_are_translated_for_refs() -> None:
    # definitions grouped one level deeper: "full" is an unknown keyword of "group"
    schema = {
        "$schema": D7,
        "type": "object",
        "properties": {"pair": {"$ref": "#/definitions/group/full"}},
        "required": ["pair"],
        "definitions": {
            "group": {
                "full": {
                    "type": "object",
                    "properties": {"a": {"type": "string"}, "b": {"type": "string"}},
                    "dependencies": {"a": {"not": {"required": ["b"]}}},
                }
            }
        },
    }
    translation = translate(schema)
    assert [(u.pointer, u.keyword) for u in translation.unknown] == [
        ("/definitions/group/full", "full")
    ]
    full = translation.schema["definitions"]["group"]["full"]
    assert full["dependentSchemas"] == {"a": {"not": {"required": ["b"]}}}
    with pytest.warns(UnknownKeywordWarning):
        values = values_of(schema, rows=200)
    assert not any("a" in v["pair"] and "b" in v["pair"] for v in values)
