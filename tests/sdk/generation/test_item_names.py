"""Array items and map values are planned with the singular of their container's name.

The items of ``ssns`` hold SSNs, so the safe rules and the pattern path apply to them as to a
property named ``ssn``. Values are judged by the published ranges
(``tests/sdk/published_ranges.py``), never by the compliance scanner.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from synthdata_sdk import SynthDataClient
from synthdata_sdk.errors import SchemaError
from synthdata_sdk.schema.inference import item_name, value_name
from tests.sdk.published_ranges import hipaa_unsafe, unsafe

client = SynthDataClient()

SSN_PATTERN = r"^\d{3}-\d{2}-\d{4}$"
PROFILE_SETS = [(), ("gdpr", "pci_dss")]


def _schema(field: str, prop: dict[str, Any]) -> dict[str, Any]:
    return {"type": "object", "properties": {field: prop}, "required": [field]}


def _items(records: list[dict[str, Any]], field: str) -> list[Any]:
    return [item for record in records for item in record[field]]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("ssns", "ssn"),
        ("phone_numbers", "phone_number"),
        ("emails", "email"),
        ("ssn_list", "ssn"),
        ("cardNumbers", "card_number"),
        ("phoneNumberList", "phone_number"),
        ("emailAddresses", "email_address"),
        ("ip_addresses", "ip_address"),
        ("cities", "city"),
        ("addresses", "address"),
        ("ages", "age"),
        ("birthdays", "birthday"),
        ("phone", "phone"),
        # names that say nothing keep their items unnamed, as before
        ("tags", None),
        ("status", None),
        ("open_ports", None),
        ("items", None),
        ("cards", None),  # "card" alone is no card number either
        (None, None),
    ],
)
def test_item_names_are_the_singular_that_says_what_an_item_holds(
    name: str | None, expected: str | None
) -> None:
    assert item_name(name) == expected


def test_a_map_value_is_named_by_its_key_when_the_key_says_more() -> None:
    assert value_name("home", "phones") == "phone"
    assert value_name("email", "contacts") == "email"
    assert value_name("extra_1", "labels") == "extra_1"


@pytest.mark.parametrize("compliance", PROFILE_SETS, ids=["plain", "profiles"])
def test_the_reported_ssn_array_gives_no_issuable_ssn(compliance: tuple[str, ...]) -> None:
    schema = _schema("ssns", {"type": "array", "items": {"type": "string", "pattern": SSN_PATTERN}})

    items = _items(client.generate(schema, rows=500, seed=1, compliance=compliance).records, "ssns")

    # before: 277 of 278 items were issuable SSNs (818-65-9017...)
    assert items
    assert [v for v in items if unsafe("ssn", v)] == []
    assert all(re.fullmatch(SSN_PATTERN, v) for v in items)


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("phones", "phone"),
        ("phone_numbers", "phone"),
        ("emails", "email"),
        ("ssn_list", "ssn"),
        ("cardNumbers", "credit_card"),
        ("ip_addresses", "ipv4"),
        ("ibans", "iban"),
        ("nhs_numbers", "nhs_number"),
    ],
)
def test_arrays_of_plain_strings_hold_safe_identifiers(name: str, kind: str) -> None:
    schema = _schema(name, {"type": "array", "items": {"type": "string"}, "minItems": 1})

    items = _items(client.generate(schema, rows=200, seed=2).records, name)

    # before: random words ("morning phones"), which are no identifier at all
    assert [(v, unsafe(kind, v)) for v in items if unsafe(kind, v)] == []


def test_tuple_items_and_contains_are_named_too() -> None:
    ssn = {"type": "string", "pattern": SSN_PATTERN}
    schema = _schema(
        "ssns",
        {
            "type": "array",
            "prefixItems": [ssn, ssn],
            "items": ssn,
            "contains": {"pattern": r"^\d"},
            "minItems": 3,
        },
    )

    records = client.generate(schema, rows=200, seed=3).records

    items = _items(records, "ssns")
    assert [v for v in items if unsafe("ssn", v)] == []
    validator = Draft202012Validator(schema)
    assert all(validator.is_valid(record) for record in records)


def test_integer_items_are_safe_numbers() -> None:
    schema = _schema("ssns", {"type": "array", "items": {"type": "integer"}, "minItems": 1})

    items = _items(client.generate(schema, rows=200, seed=4).records, "ssns")

    assert [v for v in items if unsafe("ssn", f"{v:09d}")] == []


def test_items_of_nested_arrays_keep_the_name() -> None:
    inner = {"type": "array", "items": {"type": "string", "pattern": SSN_PATTERN}, "minItems": 1}
    schema = _schema("ssns", {"type": "array", "items": inner, "minItems": 1})

    records = client.generate(schema, rows=100, seed=5).records

    items = [v for record in records for group in record["ssns"] for v in group]
    assert items and [v for v in items if unsafe("ssn", v)] == []


def test_map_values_are_named_by_the_map() -> None:
    schema = {
        "type": "object",
        "properties": {
            "phones": {
                "type": "object",
                "properties": {"note": {"type": "string", "maxLength": 20}},
                "required": ["note"],
                "additionalProperties": {"type": "string", "pattern": r"^\d{3}-\d{3}-\d{4}$"},
                "minProperties": 3,
            },
            "ssns": {
                "type": "object",
                "patternProperties": {"^p": {"type": "string", "pattern": SSN_PATTERN}},
                "propertyNames": {"pattern": "^p"},
                "minProperties": 1,
            },
        },
        "required": ["phones", "ssns"],
    }

    records = client.generate(schema, rows=200, seed=6).records

    # before: 503-020-1067 and 771-65-3751, a real-looking phone number and an issuable SSN
    phones = [v for r in records for k, v in r["phones"].items() if k != "note"]
    ssns = [v for r in records for v in r["ssns"].values()]
    assert phones and [v for v in phones if unsafe("phone", v)] == []
    assert ssns and [v for v in ssns if unsafe("ssn", v)] == []


def test_an_item_pattern_no_safe_value_matches_is_refused_at_the_items() -> None:
    schema = _schema("emails", {"type": "array", "items": {"pattern": r"@gmail\.com$"}})

    with pytest.raises(SchemaError) as refused:
        client.generate(schema, rows=5)

    assert (refused.value.pointer, refused.value.keyword) == ("/properties/emails/items", "pattern")
    assert "the property name 'email' says this field holds email values" in str(refused.value)
    assert 'x-synthdata {"semantic": "none"}' in str(refused.value)


def test_hipaa_applies_to_the_items_of_a_birth_dates_array() -> None:
    schema = _schema(
        "birth_dates", {"type": "array", "items": {"type": "string", "format": "date"}}
    )

    records = client.generate(schema, rows=200, seed=7, compliance=("hipaa",)).records

    items = _items(records, "birth_dates")
    assert items and [v for v in items if hipaa_unsafe("date_of_birth", v)] == []


def test_named_items_change_the_data_version() -> None:
    # the same semantics and the same text: before, both had one data version, so a dataset
    # cached with random words for phone numbers would have been served after upgrading
    text = {
        "type": "object",
        "properties": {"phone": {"type": "string"}, "note": {"type": "string"}},
    }
    items = {
        "type": "object",
        "properties": {
            "phone": {"type": "string"},
            "note": {"type": "string"},
            "phones": {"type": "array", "items": {"type": "string"}},
        },
    }

    assert client.prepare(text).request.data_version != client.prepare(items).request.data_version
