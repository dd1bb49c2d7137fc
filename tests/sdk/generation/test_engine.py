"""The engine: determinism, partition equivalence, uniqueness, distributions and refusals."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from typing import Any

import pytest

from synthdata_sdk.errors import SchemaError
from synthdata_sdk.generation import engine
from synthdata_sdk.generation.engine import generate_values, iter_chunks
from synthdata_sdk.schema.normalize import normalize

PLAIN = {
    "type": "object",
    "properties": {
        "id": {"type": "integer", "minimum": 1, "maximum": 10**9, "x-synthdata": {"unique": True}},
        "score": {"type": "number", "minimum": 0, "maximum": 1, "exclusiveMaximum": 1},
        "price": {"type": "number", "minimum": 0.01, "maximum": 500, "multipleOf": 0.01},
        "tier": {
            "enum": ["gold", "silver", "bronze"],
            "x-synthdata": {"distribution": {"kind": "weights", "weights": [1, 2, 7]}},
        },
        "active": {"type": "boolean"},
        "note": {"type": ["string", "null"], "maxLength": 12, "x-synthdata": {"null_rate": 0.5}},
        "joined": {"type": "string", "format": "date-time"},
        "tags": {
            "type": "array",
            "items": {"enum": ["a", "b", "c", "d"]},
            "uniqueItems": True,
            "maxItems": 3,
        },
        "code": {"type": "string", "pattern": "^[A-Z]{3}-[0-9]{4}$"},
    },
    "required": ["id", "score", "price", "tier", "active", "joined"],
    "additionalProperties": False,
}


def values(schema: dict[str, Any], rows: int, seed: int = 0) -> list[Any]:
    return generate_values(normalize(schema), rows=rows, seed=seed)


def test_every_value_is_valid(assert_valid: Any) -> None:
    assert_valid(PLAIN, values(PLAIN, 3000))


def test_same_request_same_values_and_other_seed_other_values() -> None:
    assert values(PLAIN, 200, seed=3) == values(PLAIN, 200, seed=3)
    assert values(PLAIN, 200, seed=3) != values(PLAIN, 200, seed=4)


def test_values_do_not_depend_on_the_process_or_hash_seed() -> None:
    script = (
        "import json,sys; from synthdata_sdk.generation.engine import generate_values;"
        "from synthdata_sdk.schema.normalize import normalize;"
        "schema=json.loads(sys.argv[1]);"
        "print(json.dumps(generate_values(normalize(schema), rows=500, seed=11)))"
    )
    outputs = set()
    for hash_seed in ("0", "12345"):
        env = {**os.environ, "PYTHONHASHSEED": hash_seed}
        result = subprocess.run(
            [sys.executable, "-c", script, json.dumps(PLAIN)],
            capture_output=True,
            text=True,
            env=env,
            check=True,
        )
        outputs.add(result.stdout)
    assert len(outputs) == 1
    assert json.loads(outputs.pop()) == json.loads(json.dumps(values(PLAIN, 500, seed=11)))


def test_chunked_and_pooled_generation_give_the_same_values(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(engine, "CHUNK_ROWS", 128)
    schema = normalize(PLAIN)
    whole = [v for chunk in iter_chunks(schema, rows=1000, seed=5, locale="en_US") for v in chunk]
    chunks = list(iter_chunks(schema, rows=1000, seed=5, locale="en_US"))
    assert len(chunks) == 8
    chunk_by_chunk = [
        v
        for c in range(8)
        for v in engine.generate_chunk(
            engine.build_plan(schema, rows=1000), seed=5, locale="en_US", rows=1000, chunk=c
        )
    ]
    assert whole == chunk_by_chunk


@pytest.mark.slow
def test_process_pool_matches_single_process() -> None:
    schema = normalize(PLAIN)
    rows = engine.CHUNK_ROWS * 2 + 17
    single = [v for chunk in iter_chunks(schema, rows=rows, seed=9, locale="en_US") for v in chunk]
    pooled = [
        v
        for chunk in iter_chunks(schema, rows=rows, seed=9, locale="en_US", workers=2)
        for v in chunk
    ]
    assert single == pooled


def test_unique_columns_are_unique_across_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(engine, "CHUNK_ROWS", 100)
    schema = {
        "type": "object",
        "properties": {
            "n": {"type": "integer", "minimum": 0, "maximum": 999, "x-synthdata": {"unique": True}}
        },
        "required": ["n"],
    }
    ids = [record["n"] for record in values(schema, 1000)]
    assert sorted(ids) == list(range(1000))


def test_unique_domain_smaller_than_rows_is_refused() -> None:
    schema = {
        "type": "object",
        "properties": {
            "n": {"type": "integer", "minimum": 0, "maximum": 9, "x-synthdata": {"unique": True}}
        },
    }
    with pytest.raises(SchemaError) as raised:
        values(schema, 11)
    assert raised.value.pointer == "/properties/n"
    assert "only 10 distinct values" in str(raised.value)


def test_null_rate_and_weights_shape_the_data() -> None:
    records = values(PLAIN, 4000)
    notes = [r["note"] for r in records if "note" in r]  # optional: in about half the records
    nulls = sum(note is None for note in notes) / len(notes)
    assert 0.45 < nulls < 0.55
    bronze = sum(r["tier"] == "bronze" for r in records) / len(records)
    assert 0.65 < bronze < 0.75


def test_normal_distribution_centres_on_its_mean() -> None:
    schema = {
        "type": "object",
        "properties": {
            "x": {
                "type": "number",
                "minimum": 0,
                "maximum": 100,
                "x-synthdata": {"distribution": {"kind": "normal", "mean": 30, "std": 5}},
            }
        },
        "required": ["x"],
    }
    xs = [r["x"] for r in values(schema, 4000)]
    mean = sum(xs) / len(xs)
    assert 29 < mean < 31
    assert all(0 <= x <= 100 for x in xs)


def test_multiple_of_money_passes_float_division_checks(assert_valid: Any) -> None:
    schema = {
        "type": "object",
        "properties": {
            "amount": {"type": "number", "minimum": 0, "maximum": 100, "multipleOf": 0.01}
        },
    }
    assert_valid(schema, values(schema, 5000))


def test_recursive_schema_terminates(assert_valid: Any) -> None:
    schema = {
        "$defs": {
            "node": {
                "type": "object",
                "properties": {
                    "name": {"type": "string", "maxLength": 5},
                    "children": {"type": "array", "items": {"$ref": "#/$defs/node"}},
                },
                "required": ["name"],
            }
        },
        "$ref": "#/$defs/node",
    }
    assert_valid(schema, values(schema, 200))


def test_one_of_exclusivity_holds(assert_valid: Any) -> None:
    schema = {
        "oneOf": [
            {"type": "integer", "minimum": 0, "maximum": 10},
            {"type": "integer", "minimum": 5, "maximum": 20},
        ]
    }
    assert_valid(schema, values(schema, 500))


@pytest.mark.parametrize(
    ("schema", "pointer", "keyword"),
    [
        (
            {
                "type": "object",
                "properties": {"s": {"type": "string", "minLength": 5, "maxLength": 2}},
            },
            "/properties/s",
            "minLength",
        ),
        (
            {
                "type": "object",
                "properties": {"n": {"type": "integer", "minimum": 5, "maximum": 2}},
            },
            "/properties/n",
            "minimum/maximum",
        ),
        (
            {"type": "object", "properties": {"s": {"type": "string", "pattern": "(unclosed"}}},
            "/properties/s",
            "pattern",
        ),
        (
            {
                "type": "object",
                "properties": {"s": {"type": "string", "x-synthdata": {"semantic": "shoe_size"}}},
            },
            "/properties/s",
            "x-synthdata/semantic",
        ),
        (
            {
                "type": "object",
                "properties": {"n": {"type": "integer", "x-synthdata": {"null_rate": 0.2}}},
            },
            "/properties/n",
            "x-synthdata/null_rate",
        ),
    ],
)
def test_contradictions_are_refused_with_pointer_and_keyword(
    schema: dict[str, Any], pointer: str, keyword: str
) -> None:
    with pytest.raises(SchemaError) as raised:
        values(schema, 10)
    assert raised.value.pointer == pointer
    assert raised.value.keyword == keyword


def test_required_property_with_false_schema_is_refused() -> None:
    schema = {"type": "object", "properties": {"a": False}, "required": ["a"]}
    with pytest.raises(SchemaError, match="required property 'a'"):
        values(schema, 1)
