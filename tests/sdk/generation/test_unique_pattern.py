"""Unique strings matching a pattern: the pattern's language numbered, so distinct by construction."""

from __future__ import annotations

import re
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from synthdata_sdk import SynthDataClient
from synthdata_sdk.errors import SchemaError
from synthdata_sdk.generation.nodes.pattern_domain import pattern_language

#: pieces of fixed length, each matching one known number of strings
FIXED_PIECES = ["A", "-", "[0-9]", "[a-c]", "\\d", "[^a-z]", "(?:[xy]z)", "[A-F0-9]{2}", "\\."]
VARIABLE_PIECES = ["[0-9]{1,3}", "[ab]?", "(?:q[0-9])*", "[a-z]+", "\\w{0,2}"]


@st.composite
def numberable_patterns(draw: st.DrawFn) -> str:
    head = draw(st.lists(st.sampled_from(FIXED_PIECES), max_size=4))
    tail = draw(st.lists(st.sampled_from(FIXED_PIECES), max_size=3))
    middle = draw(st.sampled_from(["", *VARIABLE_PIECES]))
    anchors = draw(st.sampled_from([("^", "$"), ("", ""), ("\\A", "\\Z")]))
    return anchors[0] + "".join(head) + middle + "".join(tail) + anchors[1]


@pytest.mark.slow
@settings(max_examples=150, deadline=None)
@given(pattern=numberable_patterns(), data=st.data())
def test_numbered_strings_are_distinct_and_match(pattern: str, data: Any) -> None:
    max_length = data.draw(st.none() | st.integers(min_value=4, max_value=12))
    try:
        language = pattern_language(pattern, 0, max_length, "/code")
    except SchemaError as error:  # only when no match fits the length limit
        assert "fits lengths" in str(error)
        return
    size = language.size()
    if size <= 3000:
        indices = list(range(size))
    else:
        indices = data.draw(st.lists(st.integers(0, size - 1), min_size=50, max_size=300))
        indices = sorted(set(indices))

    strings = [language.string(i) for i in indices]

    assert len(set(strings)) == len(indices)
    for text in strings:
        assert re.search(pattern, text), (pattern, text)
        assert max_length is None or len(text) <= max_length


def test_small_language_is_numbered_completely() -> None:
    language = pattern_language("^ID-[0-9]{1,2}$", 0, None, "/id")

    every = {language.string(i) for i in range(language.size())}

    assert every == {f"ID-{n}" for n in range(10)} | {f"ID-{n:02d}" for n in range(100)}


SCHEMA = {
    "type": "object",
    "properties": {
        "sku": {
            "type": "string",
            "pattern": "^SKU-[A-Z]{2}[0-9]{3,5}$",
            "x-synthdata": {"unique": True},
        },
        "ref": {
            "type": "string",
            "pattern": "[a-f0-9]{6}",
            "minLength": 6,
            "maxLength": 6,
            "x-synthdata": {"unique": True},
        },
    },
    "required": ["sku", "ref"],
    "additionalProperties": False,
}


@pytest.mark.slow
def test_unique_pattern_columns_hold_across_chunks_and_workers(assert_valid: Any) -> None:
    client = SynthDataClient()

    records = client.generate(SCHEMA, rows=25_000, seed=5).records
    pooled = client.generate(SCHEMA, rows=25_000, seed=5, workers=2).records

    assert len({r["sku"] for r in records}) == 25_000
    assert len({r["ref"] for r in records}) == 25_000
    assert pooled == records
    assert_valid(SCHEMA, records)


def test_a_pattern_with_too_few_strings_is_refused() -> None:
    code = {"type": "string", "pattern": "^[ab]{3}$", "x-synthdata": {"unique": True}}
    schema = {"type": "object", "properties": {"code": code}, "required": ["code"]}
    with pytest.raises(SchemaError, match=r"only 8 distinct values exist but 9 rows"):
        SynthDataClient().generate(schema, rows=9)


@pytest.mark.parametrize(
    ("pattern", "why"),
    [
        ("^(cat|dog)[0-9]{3}$", "alternatives"),
        ("^[0-9]{1,2}-[0-9]{1,2}$", "more than one variable-length part"),
        ("^(a{1,2}b)+$", "variable-length part inside another part"),
        ("^(x)[0-9]\\1$", "back-reference"),
        ("^(?=a)a[0-9]$", "look-around"),
        ("^a\\b[0-9]$", "anchor or boundary"),
    ],
)
def test_patterns_that_cannot_be_numbered_are_refused_by_name(pattern: str, why: str) -> None:
    schema = {
        "type": "object",
        "properties": {
            "code": {"type": "string", "pattern": pattern, "x-synthdata": {"unique": True}}
        },
    }
    with pytest.raises(SchemaError) as raised:
        SynthDataClient().generate(schema, rows=5)
    message = str(raised.value)
    assert "/properties/code" in message and "x-synthdata/unique" in message and why in message


def test_lengths_that_no_match_can_meet_are_refused() -> None:
    code = {
        "type": "string",
        "pattern": "^[0-9]{4}$",
        "maxLength": 3,
        "x-synthdata": {"unique": True},
    }
    schema = {"type": "object", "properties": {"code": code}, "required": ["code"]}
    with pytest.raises(SchemaError, match="fits lengths"):
        SynthDataClient().generate(schema, rows=1)
