"""Patterns Python's ``re`` could take exponential time on are refused where a schema is read,
so no check (generation's redraws, ``validate_schema``, ``quality`` on a user's file) ever
runs one against a string that almost matches.

Each hostile pattern below backtracks exponentially in ``re``: checking 30 ``a`` s (or the
pattern's own near-miss) and a ``!`` takes from minutes to years. The work is bounded in
these tests with the CPU-time cap the fuzz test uses, never timed.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from synthdata_sdk import SynthDataClient
from synthdata_sdk.errors import SchemaError
from synthdata_sdk.schema.metaschema import subschemas
from synthdata_sdk.schema.pattern_backtracking import exponential_part
from tests.sdk.schema.corpus_support import CORPUS
from tests.sdk.work_bounds import HAS_CPU_TIMER, cpu_budget

needs_timer = pytest.mark.skipif(not HAS_CPU_TIMER, reason="needs a profiling timer (POSIX)")

#: a repeat inside a repeat, alternatives or optional parts that read the same text
HOSTILE = [
    r"^(a+)+$",
    r"^(a|aa)+$",
    r"(x+x+)+y",
    r"^(a*)*$",
    r"^(a|a)*$",
    r"^(a?b?)*$",
    r"^(a(b?)?)*$",
    r"^(a*?)*$",
    r"(\w+\d*)+$",
    r"^([a-z]+\s?)+$",
    r"(\s*\w*)*",
    r"(.*a){2,}x",
    r"^(a{1,100})+$",
    r"^(?=(a+)+$)",  # a lookahead is matched at each position: checked as a pattern too
    r"^(\wx|éx)+$",  # é is a word character: the branches overlap
    r"^(\dx|٣x)+$",  # so is an Arabic-Indic digit for \d
    r"(?i)^(kx|\u212ax)+$",  # the Kelvin sign folds to k
    r"^(a)(b|\1)+$",  # a back-reference may repeat any text
]

#: patterns that nest repeats or alternatives without ambiguity (real-world ones among them)
SAFE = [
    r"^a+$",
    r"^(a?)*$",
    r"^(?:a|b?)*$",
    r"^\S+(\s+\S+)*$",
    r"^[^\s]+(\s+[^\s]+)*$",
    r"\w+(,\w+)*",
    r"^(\w+\.)*\w+$",
    r"(\w{1,64}\.)+",
    r"^[a-zA-Z][a-zA-Z0-9_]*(\.[a-zA-Z][a-zA-Z0-9_]*)+$",
    r"^[a-zA-Z0-9](-?[a-zA-Z0-9])*$",
    r"^(\d+\.)?(\d+\.)?(\d+\.)?(\d+)$",
    r"^(\d{1,3}\.){3}\d{1,3}$",
    r"^([0-9a-f]{2}:){5}[0-9a-f]{2}$",
    r"[0-9a-f]{32}",
    r"a{10000}",
    r"^(\d|\w)+$",  # re reads one-character alternatives as one class
    r"(?i)^(a|A)+$",
    r"^(\dx|[\u0400-\u04ff]x)+$",  # Cyrillic holds no decimal digit
    r"^([\u0400-\u04ff]+\s)*$",
    r"(?a)^(\dx|٣x)+$",  # an ASCII \d is not ٣
    # the semantic-versioning pattern semver.org publishes
    r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)"
    r"(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?"
    r"(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$",
]


@pytest.mark.parametrize("pattern", HOSTILE)
def test_patterns_that_backtrack_exponentially_are_found(pattern: str) -> None:
    assert exponential_part(pattern)


@pytest.mark.parametrize("pattern", SAFE)
def test_patterns_that_read_each_text_one_way_are_accepted(pattern: str) -> None:
    assert not exponential_part(pattern)


def test_no_pattern_of_the_real_world_corpus_is_refused() -> None:
    patterns: set[str] = set()
    for path in sorted((CORPUS / "schemas").rglob("*.json")):
        for node, _ in subschemas(json.loads(path.read_text(encoding="utf-8"))):
            if isinstance(node, dict):
                if isinstance(node.get("pattern"), str):
                    patterns.add(node["pattern"])
                if isinstance(node.get("patternProperties"), dict):
                    patterns.update(node["patternProperties"])
    assert len(patterns) > 100
    found = []
    for pattern in patterns:
        try:
            if exponential_part(pattern):
                found.append(pattern)
        except SchemaError:
            pass  # a pattern re cannot read (\p{...}): refused as invalid, not here
    assert found == []


def string_schema(keyword: str, pattern: str) -> dict[str, Any]:
    if keyword == "pattern":
        field: dict[str, Any] = {"type": "string", "pattern": pattern}
        return {"type": "object", "properties": {"code": field}, "required": ["code"]}
    if keyword == "patternProperties":
        return {"type": "object", "patternProperties": {pattern: {"type": "integer"}}}
    return {"type": "object", "propertyNames": {"pattern": pattern}, "minProperties": 1}


@needs_timer
@pytest.mark.parametrize(
    ("keyword", "pointer", "named"),
    [
        ("pattern", "/properties/code", "pattern"),
        ("patternProperties", "", "patternProperties"),
        ("propertyNames", "/propertyNames", "pattern"),
    ],
)
def test_a_hostile_pattern_is_refused_before_generation(
    keyword: str, pointer: str, named: str
) -> None:
    with cpu_budget(20), pytest.raises(SchemaError, match="exponential") as raised:
        SynthDataClient().generate(string_schema(keyword, r"^(a|aa)+$"), rows=5)
    assert (raised.value.pointer, raised.value.keyword) == (pointer, named)


@needs_timer
def test_a_union_whose_check_meets_a_hostile_pattern_is_refused() -> None:
    # the second branch's values are 40 a's and a '!': checked against the first branch's
    # pattern for oneOf, each took 2**40 steps
    schema = {
        "type": "object",
        "properties": {
            "code": {
                "type": "string",
                "oneOf": [
                    {"pattern": "^(a+)+$"},
                    {"pattern": "^a{40}!$"},
                ],
            }
        },
        "required": ["code"],
    }
    with cpu_budget(20), pytest.raises(SchemaError, match="exponential") as raised:
        SynthDataClient().generate(schema, rows=3)
    assert raised.value.pointer == "/properties/code/oneOf/0"


def test_validate_schema_reports_a_hostile_pattern() -> None:
    report = SynthDataClient().validate_schema(string_schema("pattern", r"(x+x+)+y"))
    assert not report.valid
    assert "exponential" in report.errors[0].message


@needs_timer
@pytest.mark.parametrize("suffix", ["jsonl", "csv"])
def test_quality_of_a_hostile_file_is_refused_at_once(
    run: Any, tmp_path: Path, suffix: str
) -> None:
    # a value of 50 a's and a '!' against ^(a+)+$: the validity check never ended
    schema = tmp_path / "schema.json"
    schema.write_text(json.dumps(string_schema("pattern", "^(a+)+$")), encoding="utf-8")
    data = tmp_path / f"data.{suffix}"
    value = "a" * 50 + "!"
    data.write_text(
        json.dumps({"code": value}) + "\n" if suffix == "jsonl" else f"code\n{value}\n",
        encoding="utf-8",
    )
    with cpu_budget(20):
        code, _, err = run("quality", str(data), "--schema", str(schema))
    assert code == 2
    assert "'^(a+)+$'" in err and "exponential" in err


def test_a_pattern_too_large_to_check_is_refused_naming_the_bound() -> None:
    # 199 alternatives in a loop, each starting with up to 199 a's: millions of pairs
    pattern = "(?:" + "|".join("a" * k + "b" for k in range(1, 200)) + ")*"
    with pytest.raises(SchemaError, match="too large to check") as raised:
        SynthDataClient().generate(string_schema("pattern", pattern), rows=1)
    assert raised.value.keyword == "pattern"


@pytest.mark.parametrize("depth", [5_000, 65])
def test_a_regex_value_nested_too_deeply_is_invalid_not_a_crash(
    run: Any, tmp_path: Path, depth: int
) -> None:
    # format "regex" compiles each value: re's parser recursed past Python's stack limit
    schema = tmp_path / "schema.json"
    field = {"type": "string", "format": "regex"}
    schema.write_text(json.dumps({"type": "object", "properties": {"r": field}}))
    data = tmp_path / "data.jsonl"
    deep = "(" * depth + "a" + ")" * depth
    data.write_text(json.dumps({"r": deep}) + "\n" + json.dumps({"r": "^a+$"}) + "\n")
    code, out, _ = run("quality", str(data), "--schema", str(schema), "--json")
    assert code == 0
    report = json.loads(out)
    assert report["tables"][0]["valid_rows"] == 1
