"""Every schema gets a result in bounded work: records, or a SchemaError naming the cause.

Each test is a small schema reproducing one way real-world schemas used to run long or be
refused wrongly: roots that also allow non-objects, optional properties that were always
present, lengths drawn up to ``maxItems``, pattern repeats as long as 100 characters and
recursive ``$ref``s inlined eagerly, checks nested in checks redrawn without end.
"""

from __future__ import annotations

from typing import Any

import pytest

from synthdata_sdk.client import SynthDataClient
from synthdata_sdk.errors import SchemaError
from synthdata_sdk.generation import planner
from synthdata_sdk.generation.engine import generate_values, iter_chunks
from synthdata_sdk.generation.nodes import effort
from synthdata_sdk.generation.planner import plan_records
from synthdata_sdk.schema import expansion
from synthdata_sdk.schema.normalize import normalize, normalize_root
from tests.conftest import format_validator
from tests.sdk.work_bounds import HAS_CPU_TIMER, cpu_budget


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
    # planning would refuse the crossed lengths; the root's type is refused first
    schema = {
        "type": ["array", "string"],
        "items": {"type": "string", "minLength": 3, "maxLength": 1},
    }
    with pytest.raises(SchemaError, match="root schema does not describe objects") as raised:
        plan_records(normalize_root(schema))
    assert raised.value.keyword == "type"


def test_narrowed_root_gives_the_same_records_from_a_pool() -> None:
    # ``note`` is optional: its column travels with ABSENT in the rows that leave it out
    schema = normalize_root(
        {
            "type": ["object", "null"],
            "properties": {"v": {"type": "integer"}, "note": {"type": "string", "maxLength": 5}},
            "required": ["v"],
        }
    )
    plan = plan_records(schema, rows=20_001)

    def run(workers: int) -> list[Any]:
        chunks = iter_chunks(
            schema, rows=20_001, seed=5, locale="en_US", workers=workers, plan=plan
        )
        return [record for chunk in chunks for record in chunk]

    alone = run(1)
    assert all(isinstance(record, dict) for record in alone)
    assert 0 < sum("note" in record for record in alone) < len(alone)
    assert run(2) == alone


def test_value_schemas_keep_their_other_types() -> None:
    values = generate_values(normalize({"type": ["object", "null"]}), rows=100, seed=1)
    assert None in values


# --------------------------------------------------------------------------- optional properties


def test_optional_properties_are_present_in_about_half_the_records() -> None:
    schema = {
        "type": "object",
        "properties": {"id": {"type": "integer"}, "note": {"type": "string"}},
        "required": ["id"],
    }
    drawn = records(schema, rows=2000)
    assert all("id" in record for record in drawn)
    share = sum("note" in record for record in drawn) / len(drawn)
    assert 0.45 < share < 0.55


def test_absent_properties_leave_the_others_in_schema_order() -> None:
    names = ["a", "b", "c", "d", "e"]
    schema = {"type": "object", "properties": {n: {"type": "boolean"} for n in names}}
    for record in records(schema, rows=300):
        assert list(record) == [n for n in names if n in record]


def test_one_of_told_apart_by_required_names_is_met() -> None:
    # with every optional property always present, both branches matched every record
    deep = {"type": "object", "properties": {f"k{i}": {"type": "string"} for i in range(30)}}
    schema = {
        "type": "object",
        "properties": {"a": deep, "b": deep, "c": {"type": "integer"}},
        "oneOf": [{"required": ["a"]}, {"required": ["b"]}],
    }
    drawn = records(schema, rows=300)
    assert {("a" in r, "b" in r) for r in drawn} == {(True, False), (False, True)}


def test_min_properties_keeps_enough_optional_properties() -> None:
    schema = {
        "type": "object",
        "properties": {n: {"type": "integer"} for n in "abcd"},
        "required": ["a"],
        "minProperties": 3,
    }
    drawn = records(schema, rows=300)
    assert min(len(record) for record in drawn) == 3
    assert max(len(record) for record in drawn) == 4


def test_not_required_is_met_by_leaving_the_property_out() -> None:
    schema = {
        "type": "object",
        "properties": {"legacy": {"type": "string"}, "name": {"type": "string"}},
        "required": ["name"],
        "not": {"required": ["legacy"]},
    }
    assert all("legacy" not in record for record in records(schema, rows=300))


# --------------------------------------------------------------------------- typical sizes


def test_array_lengths_are_typical_not_max_items() -> None:
    # up to 20,000 items inside an array of up to 60 took minutes and gigabytes
    schema = {
        "type": "object",
        "properties": {
            "grid": {
                "type": "array",
                "maxItems": 60,
                "items": {"type": "array", "items": {"type": "integer"}, "maxItems": 20_000},
            },
            "some": {
                "type": "array",
                "items": {"type": "integer"},
                "minItems": 5,
                "maxItems": 9000,
            },
            "few": {"type": "array", "items": {"type": "integer"}, "maxItems": 2},
            "open": {"type": "array", "items": {"type": "integer"}, "minItems": 1},
        },
        "required": ["grid", "some", "few", "open"],
    }
    drawn = records(schema, rows=300)
    assert {len(r["grid"]) for r in drawn} == set(range(11))
    assert {len(row) for r in drawn for row in r["grid"]} == set(range(11))
    assert {len(r["some"]) for r in drawn} == set(range(5, 16))
    assert {len(r["few"]) for r in drawn} == {0, 1, 2}
    # without maxItems: minItems plus up to 3, as before
    assert {len(r["open"]) for r in drawn} == {1, 2, 3, 4}


def test_text_length_is_typical_not_max_length() -> None:
    schema = {
        "type": "object",
        "properties": {
            "free": {"type": "string", "maxLength": 1_000_000},
            "long": {"type": "string", "minLength": 50, "maxLength": 1_000_000},
            "short": {"type": "string", "maxLength": 5},
        },
        "required": ["free", "long", "short"],
    }
    drawn = records(schema, rows=300)
    assert max(len(r["free"]) for r in drawn) <= 24
    assert {len(r["long"]) for r in drawn} <= set(range(50, 71))
    assert {len(r["short"]) for r in drawn} == {0, 1, 2, 3, 4, 5}


# --------------------------------------------------------------------------- checks


def test_dependent_schemas_that_do_not_merge_are_checked() -> None:
    # the merged part was drawn and the residual (here ``not``) never checked
    schema = {
        "type": "object",
        "properties": {"card": {"type": "string"}, "cash": {"type": "string"}},
        "dependentSchemas": {"card": {"not": {"required": ["cash"]}}},
    }
    drawn = records(schema, rows=400)
    assert not any("card" in r and "cash" in r for r in drawn)
    assert any("card" in r for r in drawn) and any("cash" in r for r in drawn)


def test_contradictory_constants_make_a_branch_impossible_not_a_failing_check() -> None:
    # if/then/else on a discriminator merges const with const: a branch no value meets
    schema = {"anyOf": [{"const": "a", "allOf": [{"const": "b"}]}, {"const": "c"}]}
    assert normalize(schema) == {"anyOf": [False, {"const": "c"}]}
    assert set(generate_values(normalize(schema), rows=50)) == {"c"}
    assert normalize({"enum": [1, 2, 3.0, True], "allOf": [{"enum": [3, 2.0, 4, 1.5]}]}) == {
        "enum": [2, 3.0]
    }


def test_an_always_true_condition_leaves_no_else_branch() -> None:
    schema = {"if": True, "then": {"const": 1}, "else": {"const": 2}}
    assert set(generate_values(normalize(schema), rows=50)) == {1}


def test_a_branch_no_value_meets_gives_its_rows_to_the_others() -> None:
    schema = {
        "anyOf": [
            {"type": "integer", "minimum": 0, "maximum": 9, "not": {"minimum": 0}},
            {"type": "string", "const": "ok"},
        ]
    }
    assert set(generate_values(normalize(schema), rows=100)) == {"ok"}


def test_an_optional_property_no_value_meets_is_left_out() -> None:
    schema = {
        "type": "object",
        "properties": {
            "never": {"type": "integer", "minimum": 0, "maximum": 9, "not": {"minimum": 0}},
            "name": {"type": "string", "maxLength": 4},
        },
        "required": ["name"],
    }
    drawn = records(schema, rows=100)
    assert all(list(record) == ["name"] for record in drawn)


def test_checks_that_rarely_hold_are_refused_as_too_expensive(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(effort, "MAX_REDRAWS_PER_CHECK", 3)
    schema = {"type": "integer", "minimum": 0, "maximum": 99, "not": {"maximum": 90}}
    with pytest.raises(SchemaError, match="too expensive: more than 3 redraws") as raised:
        generate_values(normalize(schema), rows=50)
    assert (raised.value.pointer, raised.value.keyword) == ("", "not")


def test_redrawing_a_large_subtree_counts_its_size(monkeypatch: pytest.MonkeyPatch) -> None:
    # a oneOf at the root of a large record redraws the whole record: few redraws, much work
    monkeypatch.setattr(effort, "MAX_REDRAWN_SUBSCHEMAS", 200)
    fields = {f"f{i}": {"type": "integer", "minimum": 0, "maximum": 9} for i in range(60)}
    schema = {
        "type": "object",
        "properties": fields,
        "required": list(fields),
        "oneOf": [{"properties": {"f0": {"maximum": 4}}}, {"properties": {"f0": {"minimum": 3}}}],
    }
    with pytest.raises(
        SchemaError, match="more than 200 subschemas drawn or checked again"
    ) as raised:
        SynthDataClient().generate(schema, rows=50)
    assert (raised.value.pointer, raised.value.keyword) == ("", "oneOf")


def test_nested_unions_are_refused_before_planning_runs_long(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # each anyOf branch is planned with its siblings merged in: nesting multiplies the work
    monkeypatch.setattr(planner, "MAX_PLANNED", 100)
    level: dict[str, Any] = {"type": "string"}
    for _ in range(6):
        level = {
            "type": "object",
            "properties": {"x": level, "y": level},
            "anyOf": [{"required": ["x"]}, {"required": ["y"]}],
        }
    with pytest.raises(SchemaError, match="planning it takes more than 100 subschemas") as raised:
        plan_records(normalize_root(level))
    assert raised.value.keyword == "schema"


# --------------------------------------------------------------------------- unions in allOf


def one_property_each(prefix: str, count: int) -> list[dict[str, Any]]:
    """``count`` branches, each requiring its own constant property."""
    return [
        {"properties": {f"{prefix}{i}": {"const": i}}, "required": [f"{prefix}{i}"]}
        for i in range(count)
    ]


def counted_merges(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The pointers of the merges normalisations do from now on (every attempt's)."""
    seen: list[str] = []
    merged = expansion.Expansion.merged

    def counted(self: expansion.Expansion, pointer: str) -> None:
        seen.append(pointer)
        merged(self, pointer)

    monkeypatch.setattr(expansion.Expansion, "merged", counted)
    return seen


def test_two_small_unions_in_all_of_are_distributed_into_every_pair() -> None:
    schema = {
        "type": "object",
        "allOf": [{"anyOf": one_property_each("a", 8)}, {"anyOf": one_property_each("b", 8)}],
    }
    assert len(normalize_root(schema)["anyOf"]) == 64
    drawn = records(schema, rows=2000)
    assert {tuple(sorted(record)) for record in drawn} == {
        (f"a{i}", f"b{j}") for i in range(8) for j in range(8)
    }


@pytest.mark.parametrize("keyword", ["anyOf", "oneOf"])
def test_two_large_unions_in_all_of_are_distributed_only_as_far_as_kept(
    monkeypatch: pytest.MonkeyPatch, keyword: str
) -> None:
    # every pair was merged first and counted after: 4 million merges, past the merge bound,
    # five times over (12 s) before the refusal
    merges = counted_merges(monkeypatch)
    first, second = one_property_each("a", 2000), one_property_each("b", 2000)
    normalized = normalize_root({"allOf": [{keyword: first}, {keyword: second}]})
    assert len(merges) < 20_000
    # past 64 pairs the second union stays a check, as it always did
    assert normalized == {keyword: first, "allOf": [{keyword: second}]}


def test_unions_whose_pairs_accept_nothing_stop_after_a_bounded_number_of_pairs(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # no pair accepts anything, so distributing never reaches 64 branches: it stopped only
    # after every one of the 4 million pairs
    merges = counted_merges(monkeypatch)
    odd = [{"const": 2 * i + 1} for i in range(2000)]
    even = [{"const": 2 * i} for i in range(2000)]
    normalized = normalize({"allOf": [{"anyOf": odd}, {"anyOf": even}]})
    assert len(merges) < 20_000
    assert normalized == {"anyOf": odd, "allOf": [{"anyOf": even}]}


def test_unions_nested_in_unions_in_all_of_are_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    merges = counted_merges(monkeypatch)
    inner = {
        "allOf": [{"anyOf": one_property_each("a", 300)}, {"anyOf": one_property_each("b", 300)}]
    }
    schema = {
        "type": "object",
        "allOf": [
            {"anyOf": [inner, {"allOf": [inner, {"anyOf": one_property_each("c", 300)}]}]},
            {"anyOf": one_property_each("d", 300)},
        ],
    }
    normalize_root(schema)
    assert len(merges) < 20_000


def test_a_schema_without_refs_past_the_merge_bound_is_normalised_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # each tighter attempt cuts $refs; with none to cut it did the same merges again, five
    # times in all, before the same refusal
    monkeypatch.setattr(expansion, "MAX_MERGES", 500)
    merges = counted_merges(monkeypatch)
    odd = [{"const": 2 * i + 1} for i in range(64)]
    even = [{"const": 2 * i} for i in range(64)]
    with pytest.raises(SchemaError, match="500 merges"):
        normalize({"allOf": [{"anyOf": odd}, {"anyOf": even}]})
    assert len(merges) == 501


@pytest.mark.skipif(not HAS_CPU_TIMER, reason="needs a profiling timer (POSIX)")
@pytest.mark.parametrize("keyword", ["anyOf", "oneOf"])
def test_a_large_union_kept_as_a_check_that_never_holds_is_refused_early(keyword: str) -> None:
    # each record of the first union was checked against 2,000 branches, 3,000 times over:
    # a refusal after 100 s; the check's size now counts against the chunk's budget
    schema = {
        "type": "object",
        "allOf": [
            {keyword: one_property_each("a", 2000)},
            {keyword: one_property_each("b", 2000)},
        ],
    }
    with cpu_budget(20), pytest.raises(SchemaError, match="too expensive") as raised:
        SynthDataClient().generate(schema, rows=5)
    assert "checked" in raised.value.detail


# --------------------------------------------------------------------------- $ref inlining


def subschemas(schema: Any) -> int:
    """How many subschemas (objects) a normalised schema holds."""
    if isinstance(schema, dict):
        return 1 + sum(subschemas(value) for value in schema.values())
    if isinstance(schema, list):
        return sum(subschemas(value) for value in schema)
    return 0


def test_recursive_definition_referred_to_from_many_properties_stays_small() -> None:
    # inlined three levels deep, 16 properties per level gave 10 MB and 16 s for 10 rows
    schema = {
        "type": "object",
        "$defs": {
            "value": {
                "oneOf": [
                    {"$ref": "#"},
                    {"type": "array", "items": {"$ref": "#"}},
                    {"type": ["null", "boolean", "number", "string"]},
                ]
            }
        },
        "properties": {f"p{i}": {"$ref": "#/$defs/value"} for i in range(16)},
    }
    assert subschemas(normalize(schema)) <= expansion.MAX_SUBSCHEMAS
    drawn = records(schema, rows=50)
    assert any(isinstance(value, dict) for record in drawn for value in record.values())


def test_definitions_that_multiply_without_recursion_are_cut_by_chain_length() -> None:
    # 2**16 paths through 16 definitions, each referring to the next twice
    defs = {
        f"d{i}": {
            "type": "object",
            "properties": {
                "left": {"$ref": f"#/$defs/d{i + 1}"},
                "right": {"$ref": f"#/$defs/d{i + 1}"},
            },
        }
        for i in range(16)
    }
    defs["d16"] = {"type": "string", "maxLength": 3}
    schema = {"$defs": defs, "$ref": "#/$defs/d0"}
    assert subschemas(normalize(schema)) <= expansion.MAX_SUBSCHEMAS
    records(schema, rows=20)


def test_a_chain_of_definitions_nesting_past_the_depth_limit_is_cut() -> None:
    # 100 definitions, each one object deeper: inlined whole it passes the nesting limit
    defs = {
        f"d{i}": {"type": "object", "properties": {"a": {"$ref": f"#/$defs/d{i + 1}"}}}
        for i in range(100)
    }
    defs["d100"] = {"type": "string"}
    schema = {"$defs": defs, "$ref": "#/$defs/d0"}
    drawn = records(schema, rows=50)

    def depth(value: Any) -> int:
        return 1 + depth(value["a"]) if isinstance(value, dict) and "a" in value else 0

    assert 1 < max(depth(record) for record in drawn) < 20


def test_merges_past_the_bound_start_a_tighter_attempt(monkeypatch: pytest.MonkeyPatch) -> None:
    # every level merges its allOf parts, each holding the next level inlined
    defs: dict[str, Any] = {
        f"d{i}": {
            "allOf": [
                {"type": "object", "properties": {"next": {"$ref": f"#/$defs/d{i + 1}"}}},
                {"properties": {"next": {"type": "object"}, f"p{i}": {"type": "integer"}}},
            ]
        }
        for i in range(12)
    }
    defs["d12"] = {"type": "object", "properties": {"last": {"type": "string"}}}
    schema = {"$defs": defs, "$ref": "#/$defs/d0"}
    whole = normalize(schema)
    monkeypatch.setattr(expansion, "MAX_MERGES", 40)
    cut = normalize(schema)
    assert subschemas(cut) < subschemas(whole)
    records(schema, rows=20)


def test_a_schema_too_large_even_without_its_refs_is_refused(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(expansion, "MAX_SUBSCHEMAS", 50)
    schema = {"type": "object", "properties": {f"p{i}": {"type": "integer"} for i in range(60)}}
    with pytest.raises(SchemaError, match="too expensive: more than 50 subschemas") as raised:
        normalize(schema)
    assert raised.value.keyword == "schema"


def test_fixed_repeats_are_measured_as_the_pattern_walker_draws_them() -> None:
    # measured with every repeat capped at 100 this looked like 10,000 characters; the
    # walker writes a fixed repeat out in full: a million characters a value
    schema = {
        "type": "object",
        "properties": {"p": {"type": "string", "pattern": "^(a{1000}){1000}$"}},
        "required": ["p"],
    }
    with pytest.raises(SchemaError, match="strings of up to 1,000,000 characters") as raised:
        SynthDataClient().generate(schema, rows=1)
    assert (raised.value.pointer, raised.value.keyword) == ("/properties/p", "pattern")


def test_a_schema_kept_as_its_own_check_is_crawled_once(monkeypatch: pytest.MonkeyPatch) -> None:
    # unevaluatedProperties keeps the source as a check, an embedded resource with $refs;
    # each lookup crawled the whole schema again (11 s for ten records of a 1.5 MB schema)
    import referencing

    crawls = []
    crawl = referencing.Registry.crawl

    def counted(self: Any) -> Any:
        crawls.append(1)
        return crawl(self)

    schema = {
        "type": "object",
        "$defs": {"n": {"type": "integer", "minimum": 0, "maximum": 9}},
        "properties": {"a": {"$ref": "#/$defs/n"}, "b": {"$ref": "#/$defs/n"}},
        "required": ["a", "b"],
        "unevaluatedProperties": False,
    }
    normalized = normalize_root(schema)
    plan = plan_records(normalized, rows=200)
    monkeypatch.setattr(referencing.Registry, "crawl", counted)
    drawn = [
        r
        for chunk in iter_chunks(normalized, rows=200, seed=0, locale="en_US", plan=plan)
        for r in chunk
    ]
    assert len(drawn) == 200
    assert len(crawls) <= 2
