"""Reading ``{key=value}`` text, the notation a Bedrock agent may give a nested value in."""

from __future__ import annotations

import re
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from synthdata_sdk.cloud.map_text import MapTextError, parse_map_text

# words the notation can carry back exactly: no brackets, commas, '=' or outer spaces
WORDS = (
    st.text(
        alphabet=st.characters(
            whitelist_categories=("Lu", "Ll", "Nd"), whitelist_characters="_-.@ "
        ),
        min_size=1,
        max_size=12,
    )
    .map(str.strip)
    .filter(lambda w: w and w not in ("null", "true", "false"))
)
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**12), 10**12),
    # a string spelled like a number reads back as the number
    WORDS.filter(lambda w: not re.fullmatch(r"-?[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?", w)),
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(WORDS, inner, max_size=4)),
    max_leaves=20,
)


def render(value: Any) -> str:
    """``value`` as Java's Map.toString spells it, the way the agent passes it on."""
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}={render(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(render(v) for v in value) + "]"
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


@settings(max_examples=100, deadline=None)
@given(st.one_of(st.lists(VALUES, max_size=4), st.dictionaries(WORDS, VALUES, max_size=4)))
def test_what_the_notation_can_spell_is_read_back_exactly(value: Any) -> None:
    assert parse_map_text(render(value), max_depth=64) == value


def test_a_schema_in_the_notation() -> None:
    text = "{type=object, properties={zip={type=string, pattern=^[0-9]{5}$}}}"
    # an unquoted pattern with braces cannot be read back: the notation has no quoting
    with pytest.raises(MapTextError):
        parse_map_text(text, max_depth=64)
    text = "{type=object, required=[id], properties={id={type=integer, minimum=-1.5e3}}}"
    assert parse_map_text(text, max_depth=64) == {
        "type": "object",
        "required": ["id"],
        "properties": {"id": {"type": "integer", "minimum": -1500.0}},
    }


def test_numbers_keep_their_spelling_when_json_would_not_read_them() -> None:
    assert parse_map_text("[007, 1.50, -0, 1e3, +4, 0x10]", max_depth=8) == [
        "007",
        1.5,
        0,
        1000.0,
        "+4",
        "0x10",
    ]


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("{a=1", "ends inside a value"),
        ("{a}", "expected key=value"),
        ("{=1}", "expected a key"),
        ("{a=1}}", "after the value"),
        ("[1, 2", "ends inside a value"),
        ("[" * 65 + "]" * 65, "nested deeper than 64 levels"),
        ("{a=[1}", "expected ',' or ']'"),
    ],
)
def test_text_outside_the_notation_is_a_map_text_error(text: str, words: str) -> None:
    with pytest.raises(MapTextError, match=words.replace("[", r"\[").replace("]", r"\]")):
        parse_map_text(text, max_depth=64)


def test_nesting_far_past_the_limit_fails_without_recursion() -> None:
    with pytest.raises(MapTextError, match="nested deeper"):
        parse_map_text("[" * 200_000, max_depth=64)
