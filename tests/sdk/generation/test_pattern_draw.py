"""Pattern strings: typical repeat counts, drawn to fit the lengths, the same on every run."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from typing import Any

import pytest

from synthdata_sdk.errors import SchemaError
from synthdata_sdk.generation.engine import generate_values
from synthdata_sdk.schema.normalize import normalize
from tests.conftest import ROOT


def strings(pattern: str, rows: int = 300, **lengths: int) -> list[str]:
    """Values of a pattern string, each checked: it matches and its length fits."""
    schema: dict[str, Any] = {"type": "string", "pattern": pattern, **lengths}
    values = generate_values(normalize(schema), rows=rows, seed=2)
    for value in values:
        assert re.search(pattern, value), value
        assert lengths.get("minLength", 0) <= len(value) <= lengths.get("maxLength", 10**9)
    return values


def test_unbounded_repeats_are_typical_not_a_hundred_long() -> None:
    assert {len(value) for value in strings("^x+$")} == set(range(1, 12))
    assert max(len(value) for value in strings("^a*b*c*$")) <= 30


def test_repeats_are_drawn_to_fit_max_length() -> None:
    # rstr drew each + and * up to 100 times: almost no draw fitted 10 characters
    values = strings("^([a-z]+-)*[a-z]+$", maxLength=10)
    assert any("-" in value for value in values)


def test_repeats_run_long_enough_for_min_length() -> None:
    values = strings("^[a-z]+$", minLength=30, maxLength=40)
    assert {len(value) for value in values} == set(range(30, 41))


def test_bounded_repeats_keep_their_range() -> None:
    assert {len(value) for value in strings("^[0-9]{2,5}$")} == {2, 3, 4, 5}


@pytest.mark.parametrize(
    "pattern",
    [
        r"^[^ab]{9}$",
        r"^(cat|dog|bird)-[0-9]{2}$",
        r"^(?P<x>[a-c])-(?P=x)$",
        r"^(?=.*[A-Z])(?=.*\d).{8,12}$",
        r"^\w+@\w+\.(com|org)$",
        r"\bword\b",
        r"^[\s\S]{3}$",
        r"^(a|)+b$",
        r"(?i)^[a-f]{4}$",
        r"^(ab)?(?(1)c|d)$",
        r"^[\u00e0-\u00ff]{3}\D\W\S$",
        r"^$",
    ],
)
def test_patterns_give_matching_strings(pattern: str) -> None:
    strings(pattern, rows=100)


def test_a_pattern_no_string_of_the_lengths_matches_is_refused() -> None:
    with pytest.raises(SchemaError, match="could not produce a string matching") as raised:
        generate_values(
            normalize({"type": "string", "pattern": "^[0-9]{4}$", "maxLength": 3}), rows=1
        )
    assert raised.value.keyword == "pattern"


def test_negated_classes_do_not_depend_on_the_hash_seed() -> None:
    # rstr listed a negated class from a set, whose order follows PYTHONHASHSEED
    code = (
        "import json\n"
        "from synthdata_sdk.generation.nodes.base import Context\n"
        "from synthdata_sdk.generation.nodes.strings import LengthRule, PatternNode\n"
        "node = PatternNode('^[^ab]{9}$', LengthRule())\n"
        "print(json.dumps(node.generate(Context(0, 0, 'en_US', 0), 20)))\n"
    )
    outputs = set()
    for hash_seed in ("1", "2", "3"):
        env = {**os.environ, "PYTHONHASHSEED": hash_seed, "PYTHONPATH": str(ROOT)}
        done = subprocess.run(
            [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
        )
        outputs.add(done.stdout)
    assert len(outputs) == 1
    assert len(json.loads(outputs.pop())) == 20
