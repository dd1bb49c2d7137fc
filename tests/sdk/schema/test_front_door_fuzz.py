"""Fuzzing the schema front door: hostile schemas (deep, huge, NaN and infinities, wrong
types, bytes, integer keys, bogus keyword values) end in valid records or a SynthDataError,
within a bound of CPU time and memory, through ``generate`` and ``validate_schema`` alike.

The bounds (``tests.sdk.work_bounds``) are far above what any example needs (milliseconds,
a few megabytes); they are there to turn a runaway (the minute-long enum check, the
gigabyte string) into a failure instead of a hung or killed test run.
"""

from __future__ import annotations

import json
import math
from contextlib import suppress
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from synthdata_sdk import SynthDataClient
from synthdata_sdk.errors import SynthDataError
from tests.conftest import format_validator
from tests.sdk.work_bounds import HAS_CPU_TIMER, cpu_budget, memory_bound

CLIENT = SynthDataClient()
#: CPU seconds one example may take (generate and validate together)
CPU_SECONDS = 20
#: address space one example may add to what the process already uses
EXTRA_BYTES = 1024 * 1024 * 1024

pytestmark = pytest.mark.skipif(not HAS_CPU_TIMER, reason="needs a profiling timer (POSIX)")


# ---------------------------------------------------------------------------- strategies

huge_counts = st.sampled_from([0, 1, 3, 1000, 10**5, 10**6, 10**8, 10**9, 2**63, 10**400])
odd_numbers = st.sampled_from(
    [math.nan, math.inf, -math.inf, 1e308, -1e308, 5e-324, 1e20, 2**70, -(2**70), 0.1, 7]
)
json_scalars = st.one_of(
    st.none(), st.booleans(), st.integers(-(10**6), 10**6), st.floats(), st.text(max_size=4)
)
#: what a keyword may get: right and wrong types, and what JSON cannot hold at all
bogus_values = st.one_of(
    json_scalars,
    huge_counts,
    odd_numbers,
    st.binary(max_size=3),
    st.frozensets(st.integers(0, 3), max_size=2),
    st.tuples(st.integers(0, 3)),
    st.lists(json_scalars, max_size=3),
    st.dictionaries(st.one_of(st.text(max_size=3), st.integers(0, 3)), json_scalars, max_size=2),
)
types = st.sampled_from(["string", "integer", "number", "object", "array", "boolean", "null"])
patterns = st.sampled_from(
    [
        "^a+$",
        "(",
        "(" * 300 + "a" + ")" * 300,
        "((a{100}){100}){100}",
        "a{100000}",
        "[",
        "\\d{3}",
        "^(a+)+$",
        "(x+x+)+y",
        "^(a|aa)+$",
    ]
)
keyword_values: dict[str, st.SearchStrategy[Any]] = {
    "type": st.one_of(types, st.lists(types, max_size=3), bogus_values),
    "minLength": st.one_of(huge_counts, bogus_values),
    "maxLength": st.one_of(huge_counts, bogus_values),
    "minItems": st.one_of(huge_counts, bogus_values),
    "maxItems": st.one_of(huge_counts, bogus_values),
    "minProperties": st.one_of(huge_counts, bogus_values),
    "minimum": st.one_of(odd_numbers, bogus_values),
    "maximum": st.one_of(odd_numbers, bogus_values),
    "exclusiveMinimum": odd_numbers,
    "multipleOf": st.one_of(odd_numbers, huge_counts, bogus_values),
    "pattern": st.one_of(patterns, bogus_values),
    "format": st.sampled_from(["date", "email", "uuid", "bogus", 5]),
    "enum": st.one_of(
        st.lists(json_scalars, max_size=4),
        st.sampled_from([list(range(3000)), list(range(120_000))]),
        bogus_values,
    ),
    "const": bogus_values,
    "required": st.one_of(st.lists(st.sampled_from(["a", "b", 1]), max_size=3), bogus_values),
    "uniqueItems": st.one_of(st.booleans(), bogus_values),
    "x-synthdata": st.one_of(
        st.fixed_dictionaries(
            {},
            optional={
                "unique": st.one_of(st.booleans(), bogus_values),
                "null_rate": st.one_of(st.floats(), bogus_values),
                "semantic": st.one_of(st.sampled_from(["email", "nope"]), bogus_values),
            },
        ),
        bogus_values,
    ),
    "minimun": bogus_values,
}
keywords = st.sampled_from(sorted(keyword_values))


def with_keyword(schema: Any, pair: tuple[str, Any]) -> Any:
    return {**schema, pair[0]: pair[1]} if isinstance(schema, dict) else schema


@st.composite
def keyword_pairs(draw: st.DrawFn) -> tuple[str, Any]:
    keyword = draw(keywords)
    return keyword, draw(keyword_values[keyword])


leaves = st.lists(keyword_pairs(), max_size=3).map(dict)


def branches(children: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(
        st.builds(
            lambda props, required: {"type": "object", "properties": props, "required": required},
            st.dictionaries(st.sampled_from(["a", "b", "c"]), children, max_size=3),
            st.lists(st.sampled_from(["a", "b", "c"]), max_size=2),
        ),
        st.builds(lambda items: {"type": "array", "items": items}, children),
        st.builds(lambda parts: {"anyOf": parts}, st.lists(children, min_size=1, max_size=3)),
        st.builds(lambda parts: {"allOf": parts}, st.lists(children, min_size=1, max_size=3)),
        st.builds(lambda part: {"not": part}, children),
        st.builds(with_keyword, children, keyword_pairs()),
        st.builds(
            lambda part: {"$defs": {"d": part}, "properties": {"r": {"$ref": "#/$defs/d"}}},
            children,
        ),
    )


subschemas = st.recursive(st.one_of(leaves, st.booleans()), branches, max_leaves=8)


def deepen(schema: Any, shape: str, depth: int) -> Any:
    for _ in range(depth):
        if shape == "object":
            schema = {"type": "object", "properties": {"a": schema}, "required": ["a"]}
        elif shape == "array":
            schema = {"type": "array", "items": schema, "minItems": 1}
        else:
            schema = {shape: [schema]}
    return schema


def widen(count: int, kind: str) -> dict[str, Any]:
    if kind == "properties":
        return {
            "type": "object",
            "properties": {f"p{i}": {"type": "integer"} for i in range(count)},
        }
    if kind == "defs":
        return {
            "type": "object",
            "$defs": {f"d{i}": {"description": "x" * 50} for i in range(count)},
        }
    return {"type": "object", "required": [f"r{i}" for i in range(count)]}


hostile = st.one_of(
    subschemas,
    st.builds(
        deepen,
        subschemas,
        st.sampled_from(["object", "array", "anyOf", "allOf", "oneOf"]),
        st.integers(0, 400),
    ),
    st.builds(
        widen,
        st.sampled_from([10, 5000, 20_000, 60_000]),
        st.sampled_from(["properties", "defs", "required"]),
    ),
    st.dictionaries(st.integers(0, 3), subschemas, min_size=1, max_size=2),
)
roots = st.one_of(
    hostile,
    st.builds(lambda x: {"type": "object", "properties": {"x": x}, "required": ["x"]}, hostile),
)


# ---------------------------------------------------------------------------- the property


@pytest.mark.slow
@settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(roots)
def test_hostile_schemas_end_in_records_or_a_synthdata_error(schema: Any) -> None:
    records: list[Any] | None = None
    with cpu_budget(CPU_SECONDS), memory_bound(EXTRA_BYTES):
        with suppress(SynthDataError):
            records = CLIENT.generate(schema, rows=3).records
        report = CLIENT.validate_schema(schema)
    if not report.valid:
        assert records is None, "validate refused a schema that generated"
    if records is not None:
        assert len(records) == 3
        json.dumps(records, allow_nan=False)  # no NaN or infinity reached a record
        validator = format_validator(schema)
        for record in records:
            assert validator.is_valid(record), record
