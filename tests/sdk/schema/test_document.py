"""The schema document is read as JSON first: what JSON cannot hold is a SchemaError with its
pointer, never a crash deep inside (AttributeError, TypeError, nan in the records)."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pytest

from synthdata_sdk import SynthDataClient
from synthdata_sdk.errors import LimitError, SchemaError
from synthdata_sdk.schema.document import checked_document, group_depth

CLIENT = SynthDataClient()


def one(schema: Any) -> dict[str, Any]:
    return {"type": "object", "properties": {"x": schema}, "required": ["x"]}


@pytest.mark.parametrize(
    ("schema", "pointer", "keyword"),
    [
        ({"type": "object", "properties": {1: {"type": "string"}}}, "/properties", "1"),
        (one({"const": b"x"}), "/properties/x", "const"),
        (one({"enum": {1, 2}}), "/properties/x", "enum"),
        (one({"type": "number", "minimum": math.nan}), "/properties/x", "minimum"),
        (one({"type": "number", "maximum": math.inf}), "/properties/x", "maximum"),
        (one({"type": "number", "multipleOf": math.inf}), "/properties/x", "multipleOf"),
        (one({"type": "number", "multipleOf": math.nan}), "/properties/x", "multipleOf"),
        (one({"type": "integer", "minimum": 10**400}), "/properties/x", "minimum"),
        (one({"enum": [1, object()]}), "/properties/x/enum", "1"),
        (one({"default": math.nan, "type": "string"}), "/properties/x", "default"),
    ],
)
def test_values_json_cannot_hold_are_refused_with_their_pointer(
    schema: dict[str, Any], pointer: str, keyword: str
) -> None:
    with pytest.raises(SchemaError) as raised:
        CLIENT.generate(schema, rows=2)
    assert (raised.value.pointer, raised.value.keyword) == (pointer, keyword)
    report = CLIENT.validate_schema(schema)
    assert not report.valid
    assert report.errors[0].pointer == pointer


def test_minimum_nan_never_reaches_the_records() -> None:
    # it used to give records {"x": nan}, which is not JSON at all
    with pytest.raises(SchemaError, match="nan is not a JSON number"):
        CLIENT.generate(one({"type": "number", "minimum": math.nan}), rows=5)


def test_a_file_with_nan_or_deep_nesting_is_refused(tmp_path: Path) -> None:
    nan_file = tmp_path / "nan.json"
    nan_file.write_text('{"type": "object", "properties": {"x": {"minimum": NaN}}}')
    with pytest.raises(SchemaError, match=r"nan is not a JSON number"):
        CLIENT.generate(nan_file, rows=1)
    deep_file = tmp_path / "deep.json"
    deep_file.write_text('{"not":' * 100_000 + "{}" + "}" * 100_000)
    with pytest.raises(LimitError) as raised:
        CLIENT.generate(deep_file, rows=1)
    assert raised.value.limit == "depth"


def test_tuples_and_mappings_are_read_as_json_arrays_and_objects() -> None:
    from types import MappingProxyType

    schema = MappingProxyType(
        {
            "type": "object",
            "properties": MappingProxyType({"x": {"enum": (("a", 1), ("b", 2))}}),
            "required": ("x",),
        }
    )
    copy = checked_document(schema)
    assert copy == {
        "type": "object",
        "properties": {"x": {"enum": [["a", 1], ["b", 2]]}},
        "required": ["x"],
    }
    records = CLIENT.generate(schema, rows=20).records
    assert {json.dumps(record["x"]) for record in records} <= {'["a", 1]', '["b", 2]'}


def test_the_copy_leaves_the_source_alone() -> None:
    schema = one({"enum": [[1, 2]]})
    copy = checked_document(schema)
    copy["properties"]["x"]["enum"][0].append(3)
    assert schema == one({"enum": [[1, 2]]})


def test_an_invalid_regex_in_pattern_properties_or_property_names_is_a_schema_error() -> None:
    with pytest.raises(SchemaError) as raised:
        CLIENT.generate(
            {"type": "object", "patternProperties": {"(": {"type": "string"}}, "required": ["x"]},
            rows=1,
        )
    assert (raised.value.pointer, raised.value.keyword) == ("", "patternProperties")
    with pytest.raises(SchemaError) as raised:
        CLIENT.generate(
            {"type": "object", "propertyNames": {"pattern": "("}, "properties": {"a": {}}},
            rows=1,
        )
    assert (raised.value.pointer, raised.value.keyword) == ("/propertyNames", "pattern")


@pytest.mark.parametrize(
    ("pattern", "depth"),
    [
        ("abc", 0),
        ("(a)(b)", 1),
        ("((a))", 2),
        (r"\((a)", 1),
        ("[(]((a))", 2),
        ("[]()]((b))", 2),
        ("[^]]((b))", 2),
        ("[a[](((x)))", 3),
        (r"[\]((]((x))", 2),
    ],
)
def test_group_depth_reads_classes_and_escapes_as_re_does(pattern: str, depth: int) -> None:
    assert group_depth(pattern) == depth
