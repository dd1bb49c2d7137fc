"""Every schema gets a result in bounded work: records, or a SchemaError naming the cause.

Each test is a small schema reproducing one way real-world schemas used to run long or be
refused wrongly: roots that also allow non-objects, optional properties that were always
present, lengths drawn up to ``maxItems``, pattern repeats as long as 100 characters and
recursive ``$ref``s inlined eagerly.
"""

from __future__ import annotations

from typing import Any

import pytest

from synthdata_sdk.client import SynthDataClient
from synthdata_sdk.errors import SchemaError
from synthdata_sdk.generation.engine import iter_chunks
from synthdata_sdk.generation.planner import plan_records
from synthdata_sdk.schema.normalize import normalize, normalize_root
from tests.conftest import format_validator


def records(schema: dict[str, Any], rows: int = 200, seed: int = 0) -> list[Any]:
    """Records of ``schema`` through the client, each checked against the schema."""
    out = SynthDataClient().generate(schema, rows=rows, seed=seed).records
    validator = format_validator(schema)
    for record in out:
        errors = list(validator.iter_errors(record))
        assert not errors, f"{record!r}: {errors[0].message}"
    return out


# --------------------------------------------------------------------------- the root


def test_root_that_also_allows_null_gives_its_objects() -> None:
    schema = {
        "type": ["object", "null"],
        "properties": {"n": {"type": "integer", "minimum": 1, "maximum": 9}},
        "required": ["n"],
    }
    assert all(isinstance(record, dict) for record in records(schema))


def test_root_any_of_keeps_only_its_object_branches() -> None:
    schema = {
        "anyOf": [
            {"type": "array", "items": {"type": "integer"}},
            {"type": "object", "properties": {"a": {"const": 1}}, "required": ["a"]},
        ]
    }
    assert all(record == {"a": 1} for record in records(schema, rows=20))


def test_root_without_objects_is_refused_before_planning() -> None:
    # planning would refuse the unsupported format; the root's type is refused first
    schema = {"type": ["array", "string"], "items": {"type": "string", "format": "no-such"}}
    with pytest.raises(SchemaError, match="root schema does not describe objects") as raised:
        plan_records(normalize_root(schema))
    assert raised.value.keyword == "type"


def test_narrowed_root_gives_the_same_records_from_a_pool() -> None:
    schema = normalize_root(
        {"type": ["object", "null"], "properties": {"v": {"type": "integer"}}, "required": ["v"]}
    )
    plan = plan_records(schema, rows=20_001)

    def run(workers: int) -> list[Any]:
        chunks = iter_chunks(
            schema, rows=20_001, seed=5, locale="en_US", workers=workers, plan=plan
        )
        return [record for chunk in chunks for record in chunk]

    alone = run(1)
    assert all(isinstance(record, dict) for record in alone)
    assert run(2) == alone


def test_value_schemas_keep_their_other_types() -> None:
    from synthdata_sdk.generation.engine import generate_values

    values = generate_values(normalize({"type": ["object", "null"]}), rows=100, seed=1)
    assert None in values
