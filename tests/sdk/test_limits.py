"""Limits: small inputs that ask for unbounded work are refused up front, by generation and
validation alike, with a ``LimitError`` naming the limit and the setting that raises it."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from synthdata_sdk import SynthDataClient
from synthdata_sdk.errors import LimitError, RequestError
from synthdata_sdk.generation.bounds import check_plan
from synthdata_sdk.limits import DEPTH, LIMITS
from synthdata_sdk.options import MAX_ROWS
from synthdata_sdk.schema import list_templates

CLIENT = SynthDataClient()


def one(schema: dict[str, Any]) -> dict[str, Any]:
    """An object with one required property of ``schema``."""
    return {"type": "object", "properties": {"x": schema}, "required": ["x"]}


def nested_objects(levels: int) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "string"}
    for _ in range(levels):
        schema = {"type": "object", "properties": {"a": schema}, "required": ["a"]}
    return schema


def ref_diamond(levels: int) -> dict[str, Any]:
    """Each definition refers twice to the next: 2**levels leaves once inlined."""
    defs: dict[str, Any] = {
        f"d{i}": {
            "type": "object",
            "properties": {"a": {"$ref": f"#/$defs/d{i + 1}"}, "b": {"$ref": f"#/$defs/d{i + 1}"}},
        }
        for i in range(levels)
    }
    defs[f"d{levels}"] = {"type": "integer"}
    return {"$defs": defs, "$ref": "#/$defs/d0"}


def json_depth(value: Any) -> int:
    """Levels of objects and arrays, the root being level 1."""
    if isinstance(value, dict):
        return 1 + max((json_depth(v) for v in value.values()), default=0)
    if isinstance(value, list):
        return 1 + max((json_depth(v) for v in value), default=0)
    return 0


#: (schema, limit, pointer, keyword) at the default limits
REFUSED: dict[str, tuple[dict[str, Any], str, str, str]] = {
    "minLength 10**9": (
        one({"type": "string", "minLength": 10**9}),
        "string_length",
        "/properties/x",
        "minLength",
    ),
    "minItems 10**8": (
        one({"type": "array", "minItems": 10**8}),
        "array_items",
        "/properties/x",
        "minItems",
    ),
    "minProperties 10**9": (
        {"type": "object", "minProperties": 10**9},
        "properties",
        "",
        "minProperties",
    ),
    "20,000 required names": (
        {"type": "object", "required": [f"r{i}" for i in range(20_000)]},
        "properties",
        "",
        "required",
    ),
    "object nested 500 deep": (nested_objects(500), "depth", "", "schema"),
    "anyOf nested 300 deep": (
        one(json.loads('{"anyOf":[' * 300 + '{"type":"string"}' + "]}" * 300)),
        "depth",
        "",
        "schema",
    ),
    "pattern nesting 500 groups": (
        one({"type": "string", "pattern": "(" * 500 + "a" + ")" * 500}),
        "depth",
        "/properties/x",
        "pattern",
    ),
    "pattern expanding to 10**6 characters": (
        one({"type": "string", "pattern": "^(a{1000}){1000}$"}),
        "string_length",
        "/properties/x",
        "pattern",
    ),
    "unique pattern of 10**6 characters": (
        one({"type": "string", "pattern": "^a{1000000}$", "x-synthdata": {"unique": True}}),
        "string_length",
        "/properties/x",
        "pattern",
    ),
    "records of 10**7 characters": (
        one({"type": "array", "minItems": 1000, "items": {"type": "string", "minLength": 10_000}}),
        "record_size",
        "/properties/x",
        "schema",
    ),
}


@pytest.mark.parametrize("case", sorted(REFUSED))
def test_generation_refuses_with_the_limit_and_its_setting(case: str) -> None:
    schema, limit, pointer, keyword = REFUSED[case]
    with pytest.raises(LimitError) as raised:
        CLIENT.generate(schema, rows=2)
    error = raised.value
    assert error.limit == limit
    assert error.setting == f"SYNTHDATA_MAX_{limit.upper()}"
    assert error.setting in str(error)
    assert error.pointer.startswith(pointer)
    if keyword:
        assert error.keyword == keyword


@pytest.mark.parametrize("case", sorted(REFUSED))
def test_validate_reports_the_same_refusal(case: str) -> None:
    schema, limit, _, _ = REFUSED[case]
    with pytest.raises(LimitError) as raised:
        CLIENT.generate(schema, rows=1)
    report = CLIENT.validate_schema(schema)
    assert not report.valid
    assert [issue.message for issue in report.errors] == [
        f"{raised.value.keyword}: {raised.value.detail} (expected {raised.value.expected})"
    ]
    assert f"SYNTHDATA_MAX_{limit.upper()}" in report.errors[0].message


def test_a_setting_raises_its_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    names = [f"p{i}" for i in range(30)]
    schema = {
        "type": "object",
        "properties": {name: {"type": "integer"} for name in names},
        "required": names,
    }
    monkeypatch.setenv("SYNTHDATA_MAX_PROPERTIES", "29")
    with pytest.raises(LimitError, match="property count limit of 29 properties"):
        CLIENT.generate(schema, rows=1)
    assert not CLIENT.validate_schema(schema).valid
    monkeypatch.setenv("SYNTHDATA_MAX_PROPERTIES", "30")
    assert len(CLIENT.generate(schema, rows=3).records[0]) == 30


@pytest.mark.parametrize(
    ("setting", "schema"),
    [
        (
            "SYNTHDATA_MAX_SCHEMA_SIZE",
            {"type": "object", "$defs": {f"d{i}": {"description": "x" * 100} for i in range(300)}},
        ),
        ("SYNTHDATA_MAX_ENUM_VALUES", one({"enum": list(range(1001))})),
        ("SYNTHDATA_MAX_STRING_LENGTH", one({"type": "string", "minLength": 1001})),
        ("SYNTHDATA_MAX_ARRAY_ITEMS", one({"type": "array", "minItems": 1001})),
    ],
)
def test_each_limit_is_set_by_its_environment_variable(
    monkeypatch: pytest.MonkeyPatch, setting: str, schema: dict[str, Any]
) -> None:
    monkeypatch.setenv(setting, "1000")
    with pytest.raises(LimitError) as raised:
        CLIENT.prepare(schema, rows=1)
    assert raised.value.setting == setting
    assert raised.value.maximum == 1000
    monkeypatch.setenv(setting, "100000")
    CLIENT.prepare(schema, rows=1)


def test_dataset_size_counts_rows_times_the_record_estimate(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    schema = one({"type": "string", "minLength": 100, "maxLength": 100})
    monkeypatch.setenv("SYNTHDATA_MAX_DATASET_SIZE", "100000")
    CLIENT.prepare(schema, rows=100)
    with pytest.raises(LimitError) as raised:
        CLIENT.prepare(schema, rows=10_000)
    assert raised.value.limit == "dataset_size"
    assert raised.value.keyword == "rows"
    assert "10,000 rows" in str(raised.value)


def test_a_bad_setting_is_a_request_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SYNTHDATA_MAX_DEPTH", "deep")
    with pytest.raises(RequestError, match="SYNTHDATA_MAX_DEPTH must be a positive integer"):
        CLIENT.generate("customer", rows=1)


def test_every_limit_has_its_own_setting() -> None:
    settings = [limit.setting for limit in LIMITS]
    assert len(set(settings)) == len(settings)
    assert all(limit.default > 0 for limit in LIMITS)


def nested_in(shape: str, levels: int) -> dict[str, Any]:
    """A string nested ``levels`` times in objects, arrays, anyOf, allOf, oneOf or not."""
    wraps: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {
        "object": lambda s: {"type": "object", "properties": {"a": s}, "required": ["a"]},
        "array": lambda s: {"type": "array", "items": s, "minItems": 1, "maxItems": 1},
        "anyOf": lambda s: {"anyOf": [s]},
        "allOf": lambda s: {"allOf": [s, {}]},
        "oneOf": lambda s: {"oneOf": [s]},
        "not": lambda s: {"allOf": [s], "not": {"type": "null"}},
    }
    schema: dict[str, Any] = {"type": "string", "maxLength": 5}
    for _ in range(levels):
        schema = wraps[shape](schema)
    return one(schema)


@pytest.mark.parametrize("shape", ["object", "array", "anyOf", "allOf", "oneOf", "not"])
def test_the_deepest_schema_allowed_generates_and_one_level_more_is_refused(
    shape: str, tmp_path: Path, assert_valid: Any
) -> None:
    levels = 1
    while json_depth(nested_in(shape, levels + 1)) <= DEPTH.default:
        levels += 1
    deepest = nested_in(shape, levels)
    assert json_depth(deepest) in (DEPTH.default - 1, DEPTH.default)
    dataset = CLIENT.generate(deepest, rows=3)
    assert_valid(deepest, dataset.records)
    CLIENT.write(deepest, tmp_path / "deep.csv", rows=3)  # flattened columns
    CLIENT.write(deepest, tmp_path / "deep.json", rows=3)
    assert CLIENT.validate_schema(deepest).valid
    with pytest.raises(LimitError):
        CLIENT.generate(nested_in(shape, levels + 1), rows=1)


def test_refs_inlined_past_the_subschema_limit_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SYNTHDATA_MAX_SCHEMA_NODES", "5000")
    CLIENT.prepare(ref_diamond(8), rows=1)  # 2**8 leaves: about 1,500 subschemas
    with pytest.raises(LimitError) as raised:
        CLIENT.prepare(ref_diamond(12), rows=1)  # 2**12 leaves
    assert raised.value.limit == "schema_nodes"
    assert "once its $refs are inlined" in str(raised.value)
    assert not CLIENT.validate_schema(ref_diamond(12)).valid


def test_refs_that_nest_deeper_than_the_limit_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    # a chain of 100 definitions, each one object deeper: the document itself is shallow.
    # Under the default limit, normalisation cuts the chain before the limit (its own fixed
    # bound, schema.expansion) and gives records; a lower limit is reached first and refuses
    monkeypatch.setenv("SYNTHDATA_MAX_DEPTH", "40")
    defs = {
        f"d{i}": {"type": "object", "properties": {"a": {"$ref": f"#/$defs/d{i + 1}"}}}
        for i in range(100)
    }
    defs["d100"] = {"type": "string"}
    schema = {"$defs": defs, "$ref": "#/$defs/d0"}
    assert json_depth(schema) < DEPTH.default
    with pytest.raises(LimitError) as raised:
        CLIENT.generate(schema, rows=1)
    assert raised.value.limit == "depth"
    assert "once its $refs are inlined" in str(raised.value)


@pytest.mark.parametrize(
    "text",
    [
        '{"type":"object","properties":{"a":' * 500 + '{"type":"string"}' + "}}" * 500,
        json.dumps(nested_objects(100)),
        json.dumps(one({"type": "string", "minLength": 10**9})),
        json.dumps(one({"type": "array", "minItems": 10**8})),
        '{"type": "object", "properties": {"x": {"type": "number", "minimum": NaN}}}',
    ],
)
def test_the_command_line_refuses_with_exit_2_in_validate_and_generate(
    run: Any, tmp_path: Path, text: str
) -> None:
    path = tmp_path / "schema.json"
    path.write_text(text)
    code, out, err = run("validate", str(path))
    assert code == 2
    assert out.startswith("invalid")
    code, out, err = run("generate", str(path), "--rows", "2")
    assert code == 2
    assert out == ""
    assert err.startswith("synthdata: error: schema ")
    assert "unexpected" not in err


@pytest.mark.parametrize("template", list_templates())
def test_no_template_is_refused_by_the_default_limits_at_the_largest_row_count(
    template: str,
) -> None:
    plan = CLIENT.prepare(template, rows=1).plan
    check_plan(plan.root, MAX_ROWS)  # the dataset estimate stays under its default


def test_a_large_max_items_is_a_bound_not_a_length_so_it_generates() -> None:
    # arrays follow typical sizes (docs/schema.md), so maxItems: 10**7 asks for no big array
    schema = one({"type": "array", "items": {"type": "integer"}, "maxItems": 10**7})
    records = SynthDataClient().generate(schema, rows=50).records
    assert max(len(record["x"]) for record in records) < 100


@pytest.mark.parametrize(
    "schema",
    [
        one({"type": "string", "maxLength": 10**9}),
        one({"type": "array", "maxItems": 1000, "items": {"type": "string", "maxLength": 10_000}}),
    ],
    ids=["maxLength 10**9", "1000 strings of up to 10,000 characters"],
)
def test_large_upper_bounds_are_bounds_not_lengths(schema: dict[str, Any]) -> None:
    # strings and arrays follow typical sizes, so a large maximum asks for no large record
    records = CLIENT.generate(schema, rows=20).records
    assert max(len(json.dumps(record)) for record in records) < 100_000
