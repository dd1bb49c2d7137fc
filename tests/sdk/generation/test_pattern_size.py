"""Pattern lengths measured on the parse tree: bounds on every match, before any is built."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from synthdata_sdk.generation.pattern_size import longest, shortest
from synthdata_sdk.schema.pattern_syntax import parse_pattern


def at_most(low: int, high: int | None) -> int:
    """Each bounded repeat at its highest count (unbounded ones do not occur here)."""
    assert high is not None
    return high


def parsed(pattern: str) -> list[object]:
    return list(parse_pattern(pattern, "/pattern"))


def test_repeats_run_the_count_the_builder_chooses() -> None:
    assert longest(parsed("^(ab){2,5}c?$"), at_most) == 11
    assert longest(parsed("x+y*"), lambda low, high: low + 10 if high is None else high) == 21
    assert shortest(parsed("^(ab){2,5}c?$")) == 4


def test_nested_repeats_are_measured_without_being_written_out() -> None:
    assert longest(parsed("(((a{100}){100}){100}){100}"), at_most) == 10**8


def test_alternatives_and_back_references() -> None:
    # the longest alternative; a back-reference repeats its group's length, or adds nothing
    assert longest(parsed("(a{3}|b)-\\1"), at_most) == 7
    assert shortest(parsed("(a{3}|b)-\\1")) == 2
    assert longest(parsed("(?:(x)|y)(?(1)abc|d)"), at_most) == 4
    assert shortest(parsed("(?:(x)|y)(?(1)abc|d)")) == 2


def test_look_arounds_match_nothing_unless_counted() -> None:
    assert longest(parsed("(?=a{5})b(?!c)"), at_most) == 1
    assert longest(parsed("(?=a{5})b(?!c)"), at_most, lookarounds=True) == 7
    assert shortest(parsed("(?=a{5})b\\b$")) == 1


PIECES = ["a", "[0-9]", "\\w", ".", "(?:ab|c)", "(x|yz)", "[^a]", "(?>q{2})"]
REPEATS = ["", "?", "{3}", "{0,2}", "{1,4}?", "{2,3}+"]


@st.composite
def bounded_patterns(draw: st.DrawFn) -> str:
    """Patterns whose every repeat has an upper bound, so ``at_most`` bounds every match."""
    parts = draw(st.lists(st.tuples(st.sampled_from(PIECES), st.sampled_from(REPEATS)), max_size=5))
    return "".join(piece + repeat for piece, repeat in parts)


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_every_match_lies_between_the_shortest_and_the_longest(data: st.DataObject) -> None:
    pattern = data.draw(bounded_patterns())
    match = data.draw(st.from_regex(pattern, fullmatch=True))
    assert re.fullmatch(pattern, match)
    assert shortest(parsed(pattern)) <= len(match) <= longest(parsed(pattern), at_most)
