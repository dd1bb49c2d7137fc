"""Quality metrics: every figure on hand-built records, the score formula, edge cases."""

from __future__ import annotations

import json
import math
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from synthdata_sdk import RequestError, SynthDataClient
from synthdata_sdk.dataset import Dataset
from synthdata_sdk.manifest import build_manifest
from synthdata_sdk.quality import QualityReport, measure_quality
from synthdata_sdk.quality.metrics import SCORE_FORMULA
from synthdata_sdk.quality.metrics_fields import FieldQuality
from synthdata_sdk.quality.metrics_references import singular_forms


@pytest.fixture(scope="module")
def customers() -> Dataset:
    return SynthDataClient().generate("customer", rows=500, seed=3)


def field(report: QualityReport, path: str, table: str | None = None) -> FieldQuality:
    matches = [f for f in report.fields if f.path == path and table in (None, f.table)]
    assert len(matches) == 1, [(f.table, f.path) for f in report.fields]
    return matches[0]


def violations(report: QualityReport, path: str, keyword: str) -> tuple[int, int]:
    (check,) = [c for c in field(report, path).constraints if c.keyword == keyword]
    return check.violations, check.checked


# --- per-field metrics ------------------------------------------------------------------


def test_null_rate_counts_missing_and_none_and_distinct_counts_non_null_values() -> None:
    records = [
        {"a": 1, "b": "x"},
        {"a": None, "b": "x"},
        {"b": "y"},
        {"a": 2, "b": "x"},
        {"a": 2, "b": None},
    ]
    report = measure_quality(records)
    a, b = field(report, "a"), field(report, "b")
    assert (a.rows, a.nulls, a.null_rate) == (5, 2, 0.4)
    assert (a.distinct, a.uniqueness) == (2, 2 / 3)
    assert (b.nulls, b.null_rate, b.distinct, b.uniqueness) == (1, 0.2, 2, 0.5)
    assert report.null_rate_max == 0.4
    assert [f.path for f in report.fields] == ["a", "b"]


def test_numeric_stats_of_a_known_list() -> None:
    report = measure_quality([{"n": n} for n in range(101)])  # 0..100
    stats = field(report, "n").numeric
    assert stats is not None
    assert (stats.min, stats.max, stats.mean) == (0, 100, 50.0)
    assert stats.stddev == pytest.approx(math.sqrt(850))  # population: (101² − 1) / 12
    assert stats.quantiles == {
        "p01": 1.0,
        "p05": 5.0,
        "p25": 25.0,
        "p50": 50.0,
        "p75": 75.0,
        "p95": 95.0,
        "p99": 99.0,
    }
    assert sum(stats.histogram.counts) == 101
    assert len(stats.histogram.edges) == len(stats.histogram.counts) + 1


def test_quantiles_interpolate_between_values() -> None:
    stats = field(measure_quality([{"x": 1.0}, {"x": 2.0}, {"x": 4.0}]), "x").numeric
    assert stats is not None
    assert stats.quantiles["p50"] == 2.0
    assert stats.quantiles["p25"] == 1.5
    assert stats.quantiles["p75"] == 3.0
    assert stats.mean == pytest.approx(7 / 3)


def test_small_integer_ranges_get_one_bin_per_value() -> None:
    report = measure_quality([{"q": q} for q in [1, 1, 2, 5, 5, 5]])
    hist = field(report, "q").numeric.histogram  # type: ignore[union-attr]
    assert hist.discrete
    assert hist.edges[:-1] == [1, 2, 3, 4, 5]
    assert hist.counts == [2, 1, 0, 0, 3]


def test_wide_ranges_get_equal_width_bins() -> None:
    report = measure_quality([{"x": x * 0.5} for x in range(1000)])
    hist = field(report, "x").numeric.histogram  # type: ignore[union-attr]
    assert not hist.discrete
    assert len(hist.counts) == 20
    assert hist.counts == [50] * 20


def test_top_values_of_a_categorical_field_most_frequent_first_ties_by_text() -> None:
    colours = ["red"] * 5 + ["green"] * 3 + ["blue"] * 3 + ["pink"]
    report = measure_quality([{"c": c} for c in colours])
    c = field(report, "c")
    assert c.categorical
    assert [(t.value, t.count) for t in c.top_values] == [
        ("red", 5),
        ("blue", 3),
        ("green", 3),
        ("pink", 1),
    ]


def test_top_values_keep_ten_and_booleans_are_categorical() -> None:
    records = [{"s": f"v{i:02d}", "flag": i % 3 == 0} for i in range(12) for _ in range(5)]
    report = measure_quality(records)
    assert len(field(report, "s").top_values) == 10
    flag = field(report, "flag")
    assert flag.kind == "boolean"
    assert [(t.value, t.count) for t in flag.top_values] == [(False, 40), (True, 20)]


def test_a_mostly_distinct_string_field_with_many_values_is_not_categorical() -> None:
    report = measure_quality([{"s": f"value-{i}"} for i in range(60)])
    s = field(report, "s")
    assert not s.categorical
    assert s.top_values == []
    # 50 distinct values or fewer is categorical whatever the ratio
    assert field(measure_quality([{"s": f"v{i}"} for i in range(50)]), "s").categorical


def test_string_lengths() -> None:
    report = measure_quality([{"s": s} for s in ["", "ab", "abcd", "abcd"]])
    lengths = field(report, "s").lengths
    assert lengths is not None
    assert (lengths.min, lengths.max, lengths.mean) == (0, 4, 2.5)
    assert lengths.histogram.counts == [1, 0, 1, 0, 2]


def test_nested_objects_are_dotted_paths_and_arrays_are_one_field() -> None:
    records = [
        {"address": {"city": "A", "geo": {"lat": 1.5}}, "tags": ["x", "y"]},
        {"address": {"city": "B"}, "tags": []},
        {"address": None, "tags": ["z"]},
    ]
    report = measure_quality(records)
    assert [f.path for f in report.fields] == ["address.city", "address.geo.lat", "tags"]
    assert field(report, "address.city").nulls == 1
    assert field(report, "address.geo.lat").nulls == 2
    tags = field(report, "tags")
    assert tags.kind == "array"
    assert tags.items is not None
    assert (tags.items.min, tags.items.max, tags.items.mean) == (0, 2, 1.0)


def test_fields_the_schema_declares_are_reported_even_when_never_present() -> None:
    schema = {
        "type": "object",
        "properties": {
            "a": {"type": "integer"},
            "never": {"type": ["string", "null"]},
            "nested": {"type": "object", "properties": {"x": {"type": "string"}}},
        },
    }
    report = measure_quality([{"a": 1}, {"a": 2}], schema)
    assert [f.path for f in report.fields] == ["a", "never", "nested.x"]
    never = field(report, "never")
    assert (never.kind, never.null_rate, never.distinct) == ("null", 1.0, 0)


def test_mixed_types_are_counted_per_type() -> None:
    report = measure_quality([{"v": 1}, {"v": "1"}, {"v": 2.5}, {"v": True}])
    v = field(report, "v")
    assert v.kind == "mixed"
    assert v.types == {"boolean": 1, "integer": 1, "number": 1, "string": 1}
    assert v.distinct == 4  # JSON equality: "1" != 1 and true != 1
    assert v.numeric is not None
    assert (v.numeric.min, v.numeric.max) == (1, 2.5)


# --- duplicates ---------------------------------------------------------------------------


def test_duplicate_rows_compare_canonical_json() -> None:
    records = [{"a": 1, "b": [1, 2]}, {"b": [1, 2], "a": 1}, {"a": 1, "b": [2, 1]}, {"a": 1}]
    report = measure_quality(records)
    assert report.tables[0].duplicate_rows == 1
    assert report.duplicate_row_rate == 0.25


# --- constraints ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("keyword", "schema", "values", "broken"),
    [
        ("minimum", {"minimum": 10}, [10, 9, 11, 5.5], 2),
        ("exclusiveMinimum", {"exclusiveMinimum": 10}, [10, 11, 10.5], 1),
        ("maximum", {"maximum": 10}, [10, 11, 3], 1),
        ("exclusiveMaximum", {"exclusiveMaximum": 10}, [10, 9.99, 12], 2),
        ("multipleOf", {"multipleOf": 0.01}, [1.1, 0.123, 3], 1),
        ("minLength", {"minLength": 3}, ["abc", "ab", "", "abcd"], 2),
        ("maxLength", {"maxLength": 2}, ["ab", "abc", "é", "ééé"], 2),
        ("pattern", {"pattern": "^[A-Z]{3}$"}, ["ABC", "abc", "ABCD", "XYZ"], 2),
        ("enum", {"enum": ["a", "b", 1]}, ["a", "c", "b", 1.0, 2], 2),
        ("const", {"const": "k"}, ["k", "k", "j"], 1),
        ("format", {"format": "email"}, ["a@example.com", "not an email"], 1),
        ("format", {"format": "date"}, ["2024-01-31", "2024-02-30", "31/01/2024"], 2),
        ("unique", {"x-synthdata": {"unique": True}}, [1, 2, 1, 1, 3], 2),
        ("minItems", {"minItems": 1}, [[], [1], [1, 2]], 1),
        ("maxItems", {"maxItems": 1}, [[], [1], [1, 2]], 1),
        ("uniqueItems", {"uniqueItems": True}, [[1, 2], [1, 1], [1, 1.0]], 2),
    ],
)
def test_each_constraint_keyword_counts_the_values_that_break_it(
    keyword: str, schema: dict[str, Any], values: list[Any], broken: int
) -> None:
    document = {"type": "object", "properties": {"f": schema}}
    report = measure_quality([{"f": v} for v in values], document)
    assert violations(report, "f", keyword) == (broken, len(values))
    assert field(report, "f").violating_values == broken
    assert report.constraint_violation_rate == broken / len(values)
    listed = [(c.table, c.path, c.keyword, c.violations) for c in report.constraint_violations]
    assert listed == [("data", "f", keyword, broken)]


def test_constraints_skip_nulls_and_values_of_other_types() -> None:
    schema = {
        "type": "object",
        "properties": {"n": {"type": ["integer", "string", "null"], "minimum": 5}},
    }
    report = measure_quality([{"n": 1}, {"n": "1"}, {"n": None}, {}, {"n": 7}], schema)
    assert violations(report, "n", "minimum") == (1, 2)


def test_constraints_of_nested_and_optional_fields() -> None:
    schema = {
        "type": "object",
        "properties": {
            "address": {
                "type": "object",
                "properties": {"zip": {"type": "string", "pattern": "^[0-9]{5}$"}},
            },
            # pydantic's Optional[int] with a bound
            "age": {"anyOf": [{"type": "integer", "maximum": 120}, {"type": "null"}]},
        },
    }
    records = [
        {"address": {"zip": "12345"}, "age": 30},
        {"address": {"zip": "1234"}, "age": 130},
        {"address": {"zip": "ABCDE"}, "age": None},
    ]
    report = measure_quality(records, schema)
    assert violations(report, "address.zip", "pattern") == (2, 3)
    assert violations(report, "age", "maximum") == (1, 2)
    # three values with checks broke one each, out of five values checked
    assert report.constraint_violation_rate == 3 / 5


# --- validity ------------------------------------------------------------------------------

PERSON = {
    "type": "object",
    "properties": {
        "name": {"type": "string"},
        "age": {"type": "integer", "minimum": 0},
        "address": {
            "type": "object",
            "properties": {"zip": {"type": "string", "pattern": "^[0-9]{5}$"}},
        },
        "tags": {"type": "array", "items": {"type": "string"}},
    },
    "required": ["name", "age"],
}


def test_validity_rate_and_the_error_of_each_invalid_row() -> None:
    records: list[dict[str, Any]] = [
        {"name": f"p{i}", "age": i, "address": {"zip": "12345"}, "tags": ["a"]} for i in range(10)
    ]
    records[2]["age"] = "old"
    records[5] = {"age": 3}  # no name
    records[7]["address"] = {"zip": "1/2"}
    records[8]["tags"] = ["a", 2]
    report = measure_quality(records, PERSON)
    assert report.tables[0].valid_rows == 6
    assert report.validity_rate == 0.6
    found = [(e.row, e.path, e.keyword) for e in report.schema_errors]
    assert found == [
        (2, "/age", "type"),
        (5, "", "required"),
        (7, "/address/zip", "pattern"),
        (8, "/tags/1", "type"),
    ]
    assert "'name' is a required property" in report.schema_errors[1].message
    assert all(e.table == "data" for e in report.schema_errors)


def test_validity_checks_format() -> None:
    schema = {"type": "object", "properties": {"email": {"type": "string", "format": "email"}}}
    report = measure_quality([{"email": "a@example.com"}, {"email": "nobody"}], schema)
    assert report.validity_rate == 0.5
    assert report.schema_errors[0].path == "/email"


def test_error_samples_are_capped_per_table() -> None:
    report = measure_quality([{"age": "x"}] * 50, PERSON)
    assert report.validity_rate == 0.0
    assert len(report.schema_errors) == 20


def test_a_schema_can_be_a_template_name() -> None:
    records = SynthDataClient().generate("customer", rows=20, seed=1).copy_records()
    records[4]["email"] = "no-at-sign"
    report = measure_quality(records, "customer")
    assert report.validity_rate == 19 / 20
    assert violations(report, "email", "format") == (1, 20)


# --- referential integrity -----------------------------------------------------------------


def test_foreign_keys_by_name_with_planted_orphans() -> None:
    tables = {
        "customers": [{"id": 1}, {"id": 2}, {"id": 3}],
        "orders": [
            {"id": 10, "customer_id": 1},
            {"id": 11, "customer_id": 2},
            {"id": 12, "customer_id": 9},
            {"id": 13, "customer_id": None},
            {"id": 14, "customer_id": 8},
            {"id": 15, "customer_id": 9},
        ],
    }
    report = measure_quality(tables)
    (check,) = report.references
    assert (check.table, check.field, check.ref_table, check.ref_field) == (
        "orders",
        "customer_id",
        "customers",
        "id",
    )
    assert (check.checked, check.orphans, check.orphan_samples) == (5, 3, [9, 8])
    assert report.referential_integrity_rate == 2 / 5
    assert report.validity_rate is None
    assert report.score == 40.0  # 100 × (2 / 5); no schema, no duplicates


def test_keys_match_singular_names_and_a_tables_own_key() -> None:
    tables = {
        "categories": [{"id": "c1"}],
        "orders": [{"order_id": "o1", "category_id": "c1"}],
        "order_items": [{"order_id": "o1"}, {"order_id": "o2"}],
    }
    report = measure_quality(tables)
    found = {(r.table, r.field, r.ref_table, r.ref_field, r.orphans) for r in report.references}
    assert found == {
        ("orders", "category_id", "categories", "id", 0),
        ("order_items", "order_id", "orders", "order_id", 1),
    }
    assert singular_forms("addresses") == ["addresses", "address", "addresse"]


def test_one_table_has_no_references() -> None:
    report = measure_quality([{"id": 1, "customer_id": 5}])
    assert report.references == []
    assert report.referential_integrity_rate is None


# --- score and edge cases --------------------------------------------------------------------


def test_score_multiplies_the_four_rates() -> None:
    schema = {"type": "object", "properties": {"n": {"type": "integer", "minimum": 0}}}
    report = measure_quality([{"n": 1}, {"n": 1}, {"n": -1}, {"n": 2}], schema)
    assert report.validity_rate == 0.75
    assert report.duplicate_row_rate == 0.25
    assert report.constraint_violation_rate == 0.25
    assert report.referential_integrity_rate is None
    assert report.score == 42.18  # 100 × 0.75 × 0.75 × 0.75 = 42.1875, rounded down
    assert "validity_rate" in SCORE_FORMULA


def test_score_with_every_rate_from_several_tables() -> None:
    schema = {"type": "object", "properties": {"id": {"type": "integer", "maximum": 100}}}
    tables = {
        "users": [{"id": 1}, {"id": 2}, {"id": 2}, {"id": 200}],
        "posts": [{"user_id": 1}, {"user_id": 3}],
    }
    report = measure_quality(tables, tables={"users": schema})
    assert report.validity_rate == 3 / 4  # posts has no schema: not counted
    assert report.duplicate_row_rate == 1 / 6
    assert report.constraint_violation_rate == 1 / 4
    assert report.referential_integrity_rate == 1 / 2
    expected = 100 * (3 / 4) * (5 / 6) * (3 / 4) * (1 / 2)
    assert report.score == math.floor(expected * 100) / 100


def test_empty_data_scores_100_and_reports_no_fields() -> None:
    report = measure_quality([])
    assert (report.rows, report.score, report.fields) == (0, 100.0, [])
    assert report.validity_rate is None
    assert report.null_rate_max is None
    with_schema = measure_quality([], PERSON)
    assert with_schema.validity_rate == 1.0
    assert with_schema.constraint_violation_rate == 0.0
    assert {f.path for f in with_schema.fields} == {"name", "age", "address.zip", "tags"}
    assert all(f.null_rate == 0.0 for f in with_schema.fields)
    json.dumps(with_schema.to_json(), allow_nan=False)


def test_without_a_schema_validity_and_constraints_are_not_measured() -> None:
    report = measure_quality([{"a": 1}, {"a": 1}])
    assert report.validity_rate is None
    assert report.constraint_violation_rate is None
    assert report.schema_errors == []
    assert report.summary()["validity_rate"] is None
    assert report.score == 50.0  # only duplicates count


def test_generated_customers_score_100(customers: Dataset) -> None:
    report = SynthDataClient().quality(customers)
    assert report.validity_rate == 1.0
    assert report.score == 100.0
    assert report.rows == 500
    assert report.tables[0].name == "customer"
    assert field(report, "id").uniqueness == 1.0
    assert violations(report, "id", "unique") == (0, 500)
    assert report.constraint_violations == []


def test_a_dataset_can_be_measured_against_another_schema(customers: Dataset) -> None:
    strict = {
        "type": "object",
        "properties": {"first_name": {"type": "string", "maxLength": 3}},
        "required": ["first_name"],
    }
    report = SynthDataClient().quality(customers, strict)
    short = sum(len(r["first_name"]) <= 3 for r in customers.records)
    assert report.validity_rate == short / 500
    assert violations(report, "first_name", "maxLength") == (500 - short, 500)


def test_summary_and_json_are_plain_data(customers: Dataset) -> None:
    report = measure_quality(customers)
    summary = report.summary()
    assert summary == {
        "score": 100.0,
        "rows": 500,
        "validity_rate": 1.0,
        "duplicate_row_rate": 0.0,
        "constraint_violation_rate": 0.0,
        "referential_integrity_rate": None,
        "null_rate_max": 0.0,
        "fields": 10,
        "coherence_rate": 1.0,
    }
    data = json.loads(json.dumps(report.to_json(), allow_nan=False))
    assert data["summary"] == summary
    assert len(data["fields"]) == 10
    assert data["fields"][0]["path"] == "id"


def test_the_manifest_carries_a_quality_summary(customers: Dataset) -> None:
    summary = measure_quality(customers).summary()
    manifest = build_manifest(customers.request, rows=500, quality=summary)
    assert manifest["quality"] == summary
    assert build_manifest(customers.request, rows=500)["quality"] is None


def test_records_can_be_any_iterable_read_once() -> None:
    report = measure_quality({"n": i % 3} for i in range(9))
    assert report.rows == 9
    assert field(report, "n").distinct == 3


def test_bad_arguments_are_request_errors() -> None:
    with pytest.raises(RequestError, match="tables="):
        measure_quality({"a": [{"x": 1}]}, {"type": "object"})
    with pytest.raises(RequestError, match="does not hold"):
        measure_quality({"a": [{"x": 1}]}, tables={"b": {"type": "object"}})
    with pytest.raises(RequestError, match="expected a list of records"):
        measure_quality({"a": "not records"})
    with pytest.raises(RequestError, match="several tables"):
        measure_quality([{"x": 1}], tables={"a": {}})


# --- property test -------------------------------------------------------------------------

flat_values = st.one_of(
    st.none(),
    st.integers(min_value=-(10**6), max_value=10**6),
    st.floats(min_value=-1e9, max_value=1e9, allow_nan=False),
    st.text(max_size=4),
)
flat_records = st.lists(
    st.dictionaries(st.sampled_from(["a", "b", "c"]), flat_values, max_size=3), max_size=40
)


@settings(max_examples=150, deadline=None)
@given(flat_records)
def test_null_rate_distinct_and_bounds_agree_with_a_recomputation(
    records: list[dict[str, Any]],
) -> None:
    report = measure_quality(records)
    names = sorted({name for record in records for name in record})
    assert sorted(f.path for f in report.fields) == names
    for name in names:
        present = [r[name] for r in records if r.get(name) is not None]
        f = field(report, name)
        assert f.nulls == len(records) - len(present)
        assert f.null_rate == pytest.approx(f.nulls / len(records))
        assert f.distinct == len(set(present))  # 1 == 1.0 as in JSON; no bools here
        numbers = [v for v in present if not isinstance(v, str)]
        if numbers:
            assert f.numeric is not None
            assert (f.numeric.min, f.numeric.max) == (min(numbers), max(numbers))
            assert f.numeric.min <= f.numeric.quantiles["p50"] <= f.numeric.max
        else:
            assert f.numeric is None
