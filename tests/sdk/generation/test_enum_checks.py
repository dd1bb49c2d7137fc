"""Enum and uniqueItems checks are linear: one set lookup a value, not one comparison a member."""

from __future__ import annotations

from typing import Any

import jsonschema._keywords
import pytest

from synthdata_sdk import SynthDataClient
from synthdata_sdk.generation.validator import value_validator

CLIENT = SynthDataClient()


@pytest.fixture
def comparisons(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts jsonschema's pairwise JSON equality calls (what enum checks used to cost)."""
    count = [0]
    equal = jsonschema._keywords.equal

    def counted(one: Any, two: Any) -> bool:
        count[0] += 1
        return equal(one, two)

    monkeypatch.setattr(jsonschema._keywords, "equal", counted)
    return count


def test_planning_a_large_enum_compares_no_pairs(comparisons: list[int]) -> None:
    values = [f"v{i}" for i in range(3000)]
    schema = {"type": "object", "properties": {"x": {"enum": values}}, "required": ["x"]}
    records = CLIENT.generate(schema, rows=50).records
    assert {record["x"] for record in records} <= set(values)
    assert CLIENT.validate_schema(schema).valid
    # each value against the whole enum was 3000 * 3000 / 2 comparisons
    assert comparisons[0] < 3000


def test_a_guarded_enum_checks_each_value_once(comparisons: list[int]) -> None:
    values = list(range(3000))
    schema = {
        "type": "object",
        "properties": {"x": {"enum": values, "not": {"multipleOf": 7}}},
        "required": ["x"],
    }
    records = CLIENT.generate(schema, rows=500).records
    assert all(record["x"] % 7 for record in records)
    assert comparisons[0] < 3000


@pytest.mark.parametrize(
    ("enum", "value", "valid"),
    [
        ([1, 2], 1.0, True),
        ([1, 2], True, False),
        ([True], 1, False),
        ([0], -0.0, True),
        ([[1, {"a": 1.0}]], [1.0, {"a": 1}], True),
        ([[1]], [True], False),
        ([{"a": 1, "b": 2}], {"b": 2, "a": 1}, True),
        (["1"], 1, False),
        ([None], None, True),
        ([10**20], 1e20, True),
        ([2**60 + 1], float(2**60), False),
    ],
)
def test_enum_equality_is_json_schema_equality(enum: list[Any], value: Any, valid: bool) -> None:
    reference = jsonschema.Draft202012Validator({"enum": enum})
    assert reference.is_valid(value) is valid
    assert value_validator({"enum": enum}).is_valid(value) is valid


@pytest.mark.parametrize(
    "items",
    [[1, 1.0], [1, True], [[1], [True]], [{"a": 1}, {"a": 1.0}], ["a", "b"], [0, False, None]],
)
def test_unique_items_agrees_with_jsonschema(items: list[Any]) -> None:
    schema = {"uniqueItems": True}
    expected = jsonschema.Draft202012Validator(schema).is_valid(items)
    assert value_validator(schema).is_valid(items) is expected
