"""The hipaa profile: year-only dates of birth, ages capped at 89, ZIP3-safe US ZIPs."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest

from synthdata_sdk.errors import RequestError, SchemaError
from synthdata_sdk.generation.engine import CHUNK_ROWS, iter_chunks
from synthdata_sdk.generation.planner import Plan, build_plan, plan_records
from synthdata_sdk.generation.request import DatasetRequest
from synthdata_sdk.generation.semantics import (
    PROFILE_VARIANTS,
    SEMANTICS,
    SUPPORTED_LOCALES,
    lookup_semantic,
)
from synthdata_sdk.generation.version import data_version
from synthdata_sdk.safe_harbor import RESTRICTED_ZIP3
from synthdata_sdk.schema.inference import infer_semantic, is_age_name
from synthdata_sdk.schema.normalize import normalize_root
from synthdata_sdk.schema.report import validate_schema
from synthdata_sdk.schema.templates import list_templates, load_template
from tests.conftest import format_validator

HIPAA = ("hipaa",)
DOB_PHRASE = "hipaa: dates of birth must be year only (45 CFR 164.514(b)(2)(i)(C))"
AGE_PHRASE = "hipaa: ages over 89 must be aggregated as 90+; this field cannot hold that"
REFERENCE = dt.date(2025, 1, 1)
#: a schema with ages in the shapes a scanner looks at: age, *_age, nullable, nested
AGES: dict[str, Any] = {
    "type": "object",
    "properties": {
        "age": {"type": "integer", "minimum": 0, "maximum": 120},
        "patientAge": {"type": ["integer", "null"], "minimum": 50},
        "mother_age": {"type": "number", "maximum": 130},
        "visit": {"type": "object", "properties": {"age": {"type": "integer"}}},
        "dob": {"type": "string", "format": "date"},
    },
    "required": ["age", "patientAge", "mother_age", "visit", "dob"],
}


def _fields(schema: Any) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every (property name, subschema) in a schema, nested ones included."""
    if isinstance(schema, dict):
        for name, sub in schema.get("properties", {}).items():
            yield name, sub
            yield from _fields(sub)


def _is_dob(name: str, sub: dict[str, Any]) -> bool:
    semantic = sub.get("x-synthdata", {}).get("semantic")
    return semantic == "date_of_birth" or (
        semantic is None and infer_semantic(name, None) == "date_of_birth"
    )


def _values(records: list[Any], names: set[str]) -> list[Any]:
    """The non-null values of every key in ``names``, at any depth."""
    out: list[Any] = []
    stack = list(records)
    while stack:
        value = stack.pop()
        if isinstance(value, dict):
            out.extend(v for k, v in value.items() if k in names and v is not None)
            stack.extend(value.values())
        elif isinstance(value, list):
            stack.extend(value)
    return out


def _generate(schema: dict[str, Any], locale: str, rows: int, plan: Plan) -> list[Any]:
    chunks = iter_chunks(schema, rows=rows, seed=7, locale=locale, plan=plan)
    return [record for chunk in chunks for record in chunk]


def _records(
    source: dict[str, Any], locale: str = "en_US", rows: int = 1500, compliance: Any = ()
) -> tuple[list[Any], Plan]:
    schema = normalize_root(source)
    plan = plan_records(schema, locale=locale, rows=rows, compliance=compliance)
    return _generate(schema, locale, rows, plan), plan


def _assert_safe_harbor(source: dict[str, Any], records: list[Any], locale: str) -> None:
    fields = list(_fields(source))
    dobs = _values(records, {name for name, sub in fields if _is_dob(name, sub)})
    ages = _values(records, {name for name, _ in fields if is_age_name(name)})
    assert dobs or ages, "the schema has no date-of-birth or age field to check"
    for dob in dobs:
        assert re.fullmatch(r"\d{4}-01-01", dob), dob
        assert 1936 <= int(dob[:4]) <= 2007, dob
        assert 18 <= REFERENCE.year - int(dob[:4]) <= 89
    if len(dobs) > 1000:
        assert len({dob[:4] for dob in dobs}) > 50  # spread over the years, not one value
    assert all(age <= 89 for age in ages), max(ages)
    if locale == "en_US":
        for zip_code in _values(records, {"postcode", "zip", "zip_code"}):
            assert zip_code[:3] in ("000", "003") and zip_code[:3] not in RESTRICTED_ZIP3
    validator = format_validator(source)
    for record in records:
        errors = list(validator.iter_errors(record))
        assert not errors, f"{errors[0].message} in {record!r}"


TEMPLATES = [
    name
    for name in list_templates()
    if any(_is_dob(n, sub) or is_age_name(n) for n, sub in _fields(load_template(name)))
]


def test_the_templates_with_dates_of_birth_are_covered() -> None:
    assert {"customer", "employee", "patient"} <= set(TEMPLATES)


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
@pytest.mark.parametrize("template", TEMPLATES)
def test_templates_under_hipaa_keep_only_birth_years(template: str, locale: str) -> None:
    source = load_template(template)
    records, _ = _records(source, locale, compliance=HIPAA)
    _assert_safe_harbor(source, records, locale)


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
def test_ages_are_capped_at_89_and_dates_of_birth_named_so_are_year_only(locale: str) -> None:
    records, _ = _records(AGES, locale, compliance=HIPAA)
    _assert_safe_harbor(AGES, records, locale)
    assert max(_values(records, {"age"})) == 89  # the cap is reached, not just respected
    assert min(r["patientAge"] for r in records if r["patientAge"] is not None) >= 50


def test_without_hipaa_dates_of_birth_and_ages_are_as_before() -> None:
    source = load_template("customer")
    records, _ = _records(source)
    dobs = [r["date_of_birth"] for r in records]
    assert sum(d.endswith("-01-01") for d in dobs) < len(dobs) / 100
    plain, _ = _records(AGES)
    assert max(r["age"] for r in plain) > 89
    assert not all(r["dob"].endswith("-01-01") for r in plain)


@pytest.mark.parametrize("template", ["customer", "patient", "order"])
def test_gdpr_and_pci_dss_change_nothing_in_generation(template: str) -> None:
    source = load_template(template)
    plain, plain_plan = _records(source, "en_GB", rows=300)
    profiled, profiled_plan = _records(source, "en_GB", rows=300, compliance=("gdpr", "pci_dss"))
    assert profiled == plain
    assert data_version(profiled_plan, "en_GB") == data_version(plain_plan, "en_GB")
    assert profiled_plan.compliance == ("gdpr", "pci_dss") and not profiled_plan.profile_rules


def test_hipaa_keeps_its_rules_beside_profiles_that_only_scan() -> None:
    records, plan = _records(AGES, rows=300, compliance=("gdpr", "hipaa", "pci_dss"))
    _assert_safe_harbor(AGES, records, "en_US")
    assert plan.profile_rules == {"hipaa:age", "hipaa:date_of_birth"}


@pytest.mark.parametrize("source", [load_template("patient"), AGES], ids=["patient", "ages"])
def test_data_version_and_fingerprint_differ_under_hipaa(source: dict[str, Any]) -> None:
    schema = normalize_root(source)
    versions = {}
    for compliance in ((), HIPAA):
        plan = plan_records(schema, rows=10, compliance=compliance)
        versions[compliance] = data_version(plan, "en_US")
    assert versions[()] != versions[HIPAA]
    requests = [
        DatasetRequest(
            normalized_schema=schema, rows=10, compliance=c, data_version=versions[c]
        ).fingerprint()
        for c in ((), HIPAA)
    ]
    assert requests[0] != requests[1]


def test_a_unique_date_of_birth_has_only_72_values_under_hipaa() -> None:
    source = {
        "type": "object",
        "properties": {"dob": {"type": "string", "x-synthdata": {"unique": True}}},
        "required": ["dob"],
    }
    schema = normalize_root(source)
    plan_records(schema, rows=500)  # without hipaa the domain is large
    with pytest.raises(SchemaError) as refused:
        plan_records(schema, rows=73, compliance=HIPAA)
    assert refused.value.pointer == "/properties/dob"
    assert refused.value.keyword == "x-synthdata/unique"
    assert DOB_PHRASE in str(refused.value) and "72" in str(refused.value)
    records, _ = _records(source, rows=72, compliance=HIPAA)
    assert sorted(r["dob"][:4] for r in records) == [str(y) for y in range(1936, 2008)]


@pytest.mark.parametrize(
    ("age", "keyword"),
    [
        ({"type": "integer", "minimum": 95}, "minimum"),
        ({"type": "integer", "exclusiveMinimum": 89, "maximum": 120}, "exclusiveMinimum"),
        ({"type": "number", "minimum": 90.5}, "minimum"),
        ({"enum": [30, 95]}, "enum"),
        ({"const": 101}, "const"),
    ],
)
def test_an_age_field_that_must_exceed_89_is_refused(age: dict[str, Any], keyword: str) -> None:
    schema = normalize_root({"type": "object", "properties": {"resident_age": age}})
    plan_records(schema)  # fine without hipaa
    with pytest.raises(SchemaError) as refused:
        plan_records(schema, compliance=HIPAA)
    assert refused.value.pointer == "/properties/resident_age"
    assert refused.value.keyword == keyword
    assert AGE_PHRASE in str(refused.value)


def test_a_unique_age_says_hipaa_when_too_many_rows() -> None:
    schema = normalize_root(
        {
            "type": "object",
            "properties": {"age": {"type": "integer", "x-synthdata": {"unique": True}}},
        }
    )
    with pytest.raises(SchemaError, match="hipaa caps ages at 89, so only 90 distinct"):
        plan_records(schema, rows=91, compliance=HIPAA)


@pytest.mark.parametrize(
    ("dob", "keyword"),
    [
        ({"type": "string", "pattern": r"^\d{4}-\d{2}-(0[2-9]|[12]\d|3[01])$"}, "pattern"),
        ({"type": "string", "format": "date-time"}, "format"),
        ({"type": "string", "maxLength": 4}, "minLength/maxLength"),
        ({"const": "1980-06-15"}, "const"),
        ({"enum": ["1980-01-01", "1990-03-02"]}, "enum"),
        ({"enum": ["1930-01-01"]}, "enum"),
        (
            {"type": "string", "pattern": "^19", "x-synthdata": {"semantic": "date_of_birth"}},
            None,
        ),
    ],
)
def test_a_date_of_birth_that_must_be_a_full_date_is_refused(
    dob: dict[str, Any], keyword: str | None
) -> None:
    field = "born" if keyword is None else "birth_date"
    schema = normalize_root({"type": "object", "properties": {field: dob}, "required": [field]})
    plan_records(schema)  # fine without hipaa
    if keyword is None:  # by semantic: a partial pattern is met by redrawing
        records = _generate(schema, "en_US", 300, plan_records(schema, compliance=HIPAA))
        assert all(re.fullmatch(r"19\d\d-01-01", r[field]) for r in records)
        return
    with pytest.raises(SchemaError) as refused:
        plan_records(schema, compliance=HIPAA)
    assert refused.value.pointer == f"/properties/{field}"
    assert refused.value.keyword == keyword
    assert DOB_PHRASE in str(refused.value)


def test_schemas_that_admit_year_only_dates_are_kept() -> None:
    source = {
        "type": "object",
        "properties": {
            "dob": {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$", "format": "date"},
            "birthday": {"type": "string", "minLength": 10, "maxLength": 10},
            "date_of_birth": {"enum": ["1980-01-01", "1999-01-01", None]},
        },
        "required": ["dob", "birthday", "date_of_birth"],
    }
    records, plan = _records(source, rows=200, compliance=HIPAA)
    _assert_safe_harbor(source, records, "en_US")
    assert not plan.uses_patterns  # drawn from the year-only semantic, not expanded


def test_fields_are_found_by_trailing_words_and_birth_words_on_dates() -> None:
    source = {
        "type": "object",
        "properties": {
            "patient_dob": {"type": "string", "format": "date"},
            "born_on": {"type": "string", "format": "date"},
            "birthPlace": {"type": "string", "maxLength": 20},
            "billing_zip": {"type": "string", "pattern": r"^\d{5}$"},
        },
        "required": ["patient_dob", "born_on", "birthPlace", "billing_zip"],
    }
    plain, _ = _records(source, rows=300)
    assert not all(r["patient_dob"].endswith("-01-01") for r in plain)
    assert not all(r["born_on"].endswith("-01-01") for r in plain)
    safe, _ = _records(source, rows=300, compliance=HIPAA)
    for plain_record, record in zip(plain, safe, strict=True):
        assert re.fullmatch(r"(19[3-9]\d|200[0-7])-01-01", record["patient_dob"])
        assert re.fullmatch(r"(19[3-9]\d|200[0-7])-01-01", record["born_on"])
        assert record["billing_zip"][:3] in ("000", "003")
        assert record["birthPlace"] == plain_record["birthPlace"]  # text, not a date


def test_us_zip_fields_keep_a_safe_zip3_under_hipaa_other_locales_are_left() -> None:
    source = {
        "type": "object",
        "properties": {"zip": {"type": "string", "pattern": r"^\d{5}$"}},
        "required": ["zip"],
    }
    plain, _ = _records(source, rows=300)
    assert any(r["zip"][:3] not in ("000", "003") for r in plain)
    safe, _ = _records(source, rows=300, compliance=HIPAA)
    assert all(r["zip"][:3] in ("000", "003") for r in safe)
    assert _records(source, "de_DE", 300, HIPAA)[0] == _records(source, "de_DE", 300)[0]
    refused = {"type": "object", "properties": {"zip": {"enum": ["03601", "00042"]}}}
    with pytest.raises(SchemaError, match="hipaa: US ZIP codes"):
        plan_records(normalize_root(refused), compliance=HIPAA)


def test_the_year_only_variant_is_a_sound_semantic_but_not_selectable() -> None:
    variant = PROFILE_VARIANTS[("hipaa", "date_of_birth")]
    assert lookup_semantic(variant.name) is variant and variant.name not in SEMANTICS
    size = variant.domain_size("fr_FR", {})
    values = variant.values(np.arange(size, dtype=np.int64), "fr_FR", {})
    assert size == 72 and len(set(values)) == 72
    assert all(dt.date.fromisoformat(v).strftime("%m-%d") == "01-01" for v in values)
    assert list(variant.pools("fr_FR")) and variant.format == "date"
    schema = {"type": "object", "properties": {"d": {"x-synthdata": {"semantic": variant.name}}}}
    with pytest.raises(SchemaError, match="unknown semantic"):
        plan_records(normalize_root(schema))


def test_validate_schema_reports_hipaa_refusals_only_when_asked() -> None:
    source = {"type": "object", "properties": {"age": {"type": "integer", "minimum": 95}}}
    assert validate_schema(source).valid
    report = validate_schema(source, compliance=HIPAA)
    assert not report.valid
    assert report.errors[0].pointer == "/properties/age" and AGE_PHRASE in report.errors[0].message
    described = validate_schema("patient", compliance="hipaa").plan
    assert "hipaa_date_of_birth" in str(described)
    unknown = validate_schema(source, compliance=("hippa",))
    assert not unknown.valid and unknown.errors[0].message.startswith("compliance:")


def test_an_unknown_profile_is_refused_by_the_planner() -> None:
    with pytest.raises(RequestError, match="unknown compliance profile 'HIPAA'"):
        build_plan({"type": "object"}, compliance=("HIPAA",))
    assert build_plan({"type": "object"}, compliance="gdpr, hipaa").compliance == ("gdpr", "hipaa")


def test_a_process_pool_keeps_hipaa() -> None:
    schema = normalize_root(load_template("customer"))
    rows = CHUNK_ROWS + 1
    plan = plan_records(schema, rows=rows, compliance=HIPAA)
    chunks = iter_chunks(schema, rows=rows, seed=3, locale="en_US", workers=2, plan=plan)
    assert all(r["date_of_birth"].endswith("-01-01") for chunk in chunks for r in chunk)


def test_the_client_applies_hipaa_when_the_request_names_it() -> None:
    from synthdata_sdk import SynthDataClient

    client = SynthDataClient()
    safe = client.generate("patient", rows=300, seed=2, compliance=("hipaa",))
    plain = client.generate("patient", rows=300, seed=2)
    assert all(r["date_of_birth"].endswith("-01-01") for r in safe.records)
    assert not all(r["date_of_birth"].endswith("-01-01") for r in plain.records)
    assert safe.fingerprint != plain.fingerprint
