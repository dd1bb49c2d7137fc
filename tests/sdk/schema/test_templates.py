"""The built-in template library: valid schemas, sorted names, fresh copies, clear errors."""

from __future__ import annotations

import json
from importlib.resources import files
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from synthdata_sdk import SynthDataClient
from synthdata_sdk.errors import SchemaError
from synthdata_sdk.quality import scan
from synthdata_sdk.schema.templates import (
    METADATA,
    bundle_info,
    list_bundles,
    list_templates,
    load_bundle,
    load_template,
    template_info,
    template_summary,
)

#: the library the docs promise, by domain (``user_account`` is the SaaS user)
DOMAINS = {
    "retail": {"customer", "product", "order", "order_item"},
    "healthcare": {"patient", "encounter", "diagnosis", "prescription"},
    "finance": {"account", "transaction", "payment_card", "payment"},
    "hr": {"employee"},
    "iot": {"device", "telemetry_event"},
    "saas": {"user_account", "subscription", "audit_log"},
}
REQUIRED_TEMPLATES = set().union(*DOMAINS.values())
PROFILES = {"gdpr", "hipaa", "pci_dss"}
#: the format ICD-10-CM codes take (a letter but U, two characters, an optional extension)
ICD10_CM = r"^[A-TV-Z][0-9][0-9A-Z](\.[0-9A-Z]{1,4})?$"
DRAFT_2020_12 = "https://json-schema.org/draft/2020-12/schema"

STANDARD_KEYWORDS = {
    "$schema", "$id", "$ref", "$defs", "title", "description",
    "type", "enum", "const", "format",
    "minLength", "maxLength", "pattern",
    "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf",
    "properties", "required", "additionalProperties",
    "items", "prefixItems", "minItems", "maxItems", "uniqueItems",
    "oneOf", "anyOf", "allOf", "x-synthdata",
}  # fmt: skip
FORMATS = {"date", "date-time", "time", "email", "uuid", "uri", "ipv4", "ipv6", "hostname"}
SEMANTICS = {
    "uuid", "first_name", "last_name", "full_name", "username", "email", "phone",
    "date_of_birth", "street_address", "city", "postcode", "region", "region_code",
    "country", "company", "job_title", "ssn", "credit_card", "iban", "ipv4", "ipv6",
    "mac_address", "url", "hostname", "nhs_number", "national_insurance_number",
    "medicare_mbi",
}  # fmt: skip
SEMANTIC_FORMATS = {
    "uuid": "uuid",
    "email": "email",
    "date_of_birth": "date",
    "ipv4": "ipv4",
    "ipv6": "ipv6",
    "url": "uri",
    "hostname": "hostname",
}
EXTENSION_KEYS = {"semantic", "unique", "null_rate", "distribution", "luhn"}
CUSTOMER_FIELDS = [
    "id",
    "first_name",
    "last_name",
    "email",
    "phone",
    "date_of_birth",
    "street_address",
    "city",
    "country",
    "credit_card_number",
]


def _raw(name: str, folder: str = "templates") -> dict[str, Any]:
    """The template file as stored, read independently of the loader."""
    path = files("synthdata_sdk.schema") / folder / f"{name}.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def _subschemas(schema: dict[str, Any], pointer: str = "") -> list[tuple[str, dict[str, Any]]]:
    """Every subschema (with its JSON pointer) reachable through the keywords we use."""
    found = [(pointer, schema)]
    for key, value in schema.get("properties", {}).items():
        found += _subschemas(value, f"{pointer}/properties/{key}")
    for key, value in schema.get("$defs", {}).items():
        found += _subschemas(value, f"{pointer}/$defs/{key}")
    if isinstance(schema.get("items"), dict):
        found += _subschemas(schema["items"], f"{pointer}/items")
    for keyword in ("prefixItems", "oneOf", "anyOf", "allOf"):
        for index, value in enumerate(schema.get(keyword, [])):
            found += _subschemas(value, f"{pointer}/{keyword}/{index}")
    return found


def _types(schema: dict[str, Any]) -> set[str]:
    declared = schema.get("type", [])
    return {declared} if isinstance(declared, str) else set(declared)


ALL_TEMPLATES = list_templates()


def test_required_templates_are_shipped() -> None:
    assert set(ALL_TEMPLATES) >= REQUIRED_TEMPLATES
    assert len(ALL_TEMPLATES) >= 15


@pytest.mark.parametrize("name", ALL_TEMPLATES)
def test_template_has_a_catalogue_entry(name: str) -> None:
    info = template_info(name)
    assert info.domain in DOMAINS
    assert name in DOMAINS[info.domain]
    assert len(info.tags) >= 5
    assert all(tag == tag.lower() for tag in info.tags)
    assert info.compliance.endswith(".")
    assert set(info.profiles) <= PROFILES
    assert set(_raw(name)[METADATA]) == {"domain", "tags", "compliance", "profiles"}
    assert set(_raw(name)["properties"]) <= set(info.fields)


def test_diagnosis_codes_have_the_icd10_cm_shape() -> None:
    code = load_template("diagnosis")["properties"]["icd10_code"]
    assert code["pattern"] == ICD10_CM
    checker = Draft202012Validator(code)
    assert all(checker.is_valid(valid) for valid in ("E11.9", "I10", "S72.001A", "Z00.00"))
    assert not any(checker.is_valid(bad) for bad in ("U07.1", "e11.9", "E1", "E11.12345"))


@pytest.mark.parametrize("name", ALL_TEMPLATES)
def test_template_generates_200_valid_rows_that_pass_the_default_scan(name: str) -> None:
    dataset = SynthDataClient().generate(name, rows=200, seed=1)
    validator = Draft202012Validator(_raw(name), format_checker=Draft202012Validator.FORMAT_CHECKER)

    assert len(dataset.records) == 200
    for record in dataset.records:
        assert not list(validator.iter_errors(record)), record
    report = scan(dataset)
    assert report.clean, [violation.to_json() for violation in report.violations[:3]]


def test_the_catalogue_leaves_the_fingerprint_alone() -> None:
    client = SynthDataClient()
    bare = {key: value for key, value in _raw("customer").items() if key != METADATA}
    assert client.fingerprint("customer") == client.fingerprint(bare)


# --------------------------------------------------------------------------------------------
# bundles

ALL_BUNDLES = list_bundles()


def test_the_bundles_are_shipped() -> None:
    assert set(ALL_BUNDLES) >= {"retail", "healthcare", "banking", "saas"}


@pytest.mark.parametrize("name", ALL_BUNDLES)
def test_a_bundle_is_a_table_set_whose_references_resolve(name: str) -> None:
    info = bundle_info(name)
    tables = load_bundle(name)["tables"]
    assert list(tables) == [table for table, _ in info.tables]
    assert info.domain in DOMAINS
    assert info.description.endswith(".")
    assert set(info.profiles) <= PROFILES
    seen: list[str] = []
    for (table, template), schema in zip(info.tables, tables.values(), strict=True):
        refs = {
            column: sub["x-synthdata"]["ref"]
            for column, sub in schema["properties"].items()
            if "ref" in sub.get("x-synthdata", {})
        }
        for column, target in refs.items():
            parent, key = target.split(".")
            assert parent in seen, (table, target)  # parents come first: no cycle
            assert tables[parent]["properties"][key]["x-synthdata"]["unique"] is True
            assert schema["properties"][column]["format"] == "uuid"
        per_parent = schema.get("x-synthdata", {}).get("per_parent")
        assert (per_parent is not None) == bool(refs)
        if per_parent is not None:
            assert 0 <= per_parent["min"] <= per_parent["max"]
        for column in refs:
            del schema["properties"][column]["x-synthdata"]["ref"]
        schema.pop("x-synthdata", None)
        assert schema == load_template(template)  # the template, plus refs and per_parent
        seen.append(table)


def test_load_bundle_gives_fresh_copies() -> None:
    first = load_bundle("retail")
    first["tables"]["orders"]["properties"]["customer_id"]["x-synthdata"]["ref"] = "x.y"
    assert load_bundle("retail")["tables"]["orders"]["properties"]["customer_id"][
        "x-synthdata"
    ] == {
        "semantic": "uuid",
        "ref": "customers.id",
    }
    assert "ref" not in load_template("order")["properties"]["customer_id"]["x-synthdata"]


def test_unknown_bundle_raises_schema_error_naming_the_available_ones() -> None:
    with pytest.raises(SchemaError) as caught:
        load_bundle("shop")
    assert caught.value.keyword == "bundle"
    assert caught.value.expected == f"one of {', '.join(ALL_BUNDLES)}"


def test_list_templates_is_sorted_and_matches_files() -> None:
    names = list_templates()
    assert names == sorted(names)
    directory = files("synthdata_sdk.schema") / "templates"
    on_disk = sorted(
        p.name[: -len(".json")] for p in directory.iterdir() if p.name.endswith(".json")
    )
    assert names == on_disk


def test_list_templates_returns_a_new_list() -> None:
    names = list_templates()
    names.append("not-a-template")
    assert "not-a-template" not in list_templates()


@pytest.mark.parametrize("name", ALL_TEMPLATES)
def test_template_is_a_valid_2020_12_schema(name: str) -> None:
    schema = load_template(name)
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == DRAFT_2020_12
    assert schema["$id"] == f"https://synthdata.dev/templates/{name}.json"
    assert schema["title"] == name
    assert schema["type"] == "object"


@pytest.mark.parametrize("name", ALL_TEMPLATES)
def test_template_has_a_one_sentence_description(name: str) -> None:
    description = _raw(name)["description"]
    assert isinstance(description, str)
    assert description.endswith(".")
    assert description.count(". ") == 0
    assert template_summary(name) == description


@pytest.mark.parametrize("name", ALL_TEMPLATES)
def test_every_object_is_closed_and_requires_all_properties(name: str) -> None:
    for pointer, sub in _subschemas(_raw(name)):
        if "properties" in sub:
            assert sub["type"] == "object", pointer
            assert sub["required"] == list(sub["properties"]), pointer
            assert sub["additionalProperties"] is False, pointer


@pytest.mark.parametrize("name", ALL_TEMPLATES)
def test_template_uses_only_the_engine_vocabulary(name: str) -> None:
    for pointer, sub in _subschemas(load_template(name)):
        assert set(sub) <= STANDARD_KEYWORDS, (pointer, set(sub) - STANDARD_KEYWORDS)
        if "format" in sub:
            assert sub["format"] in FORMATS, pointer
        extension = sub.get("x-synthdata")
        if extension is None:
            continue
        assert set(extension) <= EXTENSION_KEYS, pointer
        if "null_rate" in extension:
            assert "null" in _types(sub), pointer
            assert 0 < extension["null_rate"] < 1, pointer
        if "distribution" in extension:
            distribution = extension["distribution"]
            kind = distribution["kind"]
            if kind == "weights":
                assert len(distribution["weights"]) == len(sub["enum"]), pointer
                assert all(w > 0 for w in distribution["weights"]), pointer
            else:
                assert kind in {"uniform", "normal", "lognormal"}, pointer
                assert _types(sub) & {"integer", "number"}, pointer
                assert "minimum" in sub, pointer
                assert "maximum" in sub, pointer


@pytest.mark.parametrize("name", ALL_TEMPLATES)
def test_semantic_fields_are_plain_strings_with_the_matching_format(name: str) -> None:
    for pointer, sub in _subschemas(_raw(name)):
        semantic = sub.get("x-synthdata", {}).get("semantic")
        if semantic is None:
            continue
        assert semantic in SEMANTICS, pointer
        assert "string" in _types(sub), pointer
        assert sub.get("format") == SEMANTIC_FORMATS.get(semantic), pointer
        assert not {"minLength", "maxLength", "pattern"} & set(sub), pointer


@pytest.mark.parametrize("name", sorted(set(ALL_TEMPLATES) - {"customer"}))
def test_other_templates_have_8_to_15_fields(name: str) -> None:
    assert 8 <= len(_raw(name)["properties"]) <= 15


def test_customer_has_exactly_the_ten_fields_in_order() -> None:
    customer = load_template("customer")
    assert list(customer["properties"]) == CUSTOMER_FIELDS
    assert customer["required"] == CUSTOMER_FIELDS
    identifier = customer["properties"]["id"]
    assert identifier["format"] == "uuid"
    assert identifier["x-synthdata"] == {"semantic": "uuid", "unique": True}
    assert customer["properties"]["email"]["x-synthdata"]["semantic"] == "email"
    assert customer["properties"]["date_of_birth"]["format"] == "date"
    card = customer["properties"]["credit_card_number"]
    assert card["x-synthdata"]["semantic"] == "credit_card"


def test_order_items_are_objects_with_sku_quantity_and_price() -> None:
    item = load_template("order")["properties"]["items"]["items"]
    assert list(item["properties"]) == ["sku", "quantity", "unit_price"]
    sku = Draft202012Validator(item["properties"]["sku"])
    assert sku.is_valid("SKU-000123")
    assert not sku.is_valid("SKU-12")
    assert item["properties"]["quantity"]["minimum"] == 1
    assert item["properties"]["quantity"]["maximum"] == 10


@pytest.mark.parametrize("name", ALL_TEMPLATES)
def test_load_template_is_the_file_without_its_catalogue_entry(name: str) -> None:
    raw = _raw(name)
    assert METADATA in raw
    del raw[METADATA]
    assert load_template(name) == raw


def test_load_template_returns_independent_deep_copies() -> None:
    first = load_template("order")
    second = load_template("order")
    assert first == second
    assert first is not second
    first["properties"]["items"]["items"]["properties"]["quantity"]["maximum"] = 99
    first["required"].append("extra")
    first["title"] = "changed"
    third = load_template("order")
    assert third == second
    assert third["properties"]["items"]["items"]["properties"]["quantity"]["maximum"] == 10
    assert "extra" not in third["required"]


@pytest.mark.parametrize("name", ["nope", "Customer", "customer.json", "", "../customer"])
def test_unknown_template_raises_schema_error_naming_the_available_ones(name: str) -> None:
    with pytest.raises(SchemaError) as caught:
        load_template(name)
    error = caught.value
    assert error.pointer == ""
    assert error.keyword == "template"
    assert error.detail == f"unknown template {name!r}"
    assert error.expected.startswith("one of ")
    for available in list_templates():
        assert available in error.expected
    assert error.expected.index("customer") < error.expected.index("patient")


def test_template_summary_of_unknown_template_raises() -> None:
    with pytest.raises(SchemaError, match="unknown template 'missing'"):
        template_summary("missing")


DOCS = Path(__file__).resolve().parents[3] / "docs" / "templates.md"


@pytest.mark.parametrize("name", ALL_TEMPLATES)
def test_the_docs_describe_every_template_its_domain_and_fields(name: str) -> None:
    text = DOCS.read_text(encoding="utf-8")
    start = text.index(f"\n## `{name}`\n")
    end = text.find("\n## ", start + 1)
    section = text[start : end if end != -1 else len(text)]
    info = template_info(name)
    assert f"Domain: {info.domain}. " in section
    assert f"| [`{name}`](#{name}) | {info.domain} | {info.description} |" in text
    for path in info.fields:
        assert f"| `{path}` |" in section, path
