"""Identifier fields of type integer or number draw safe values as numbers, or are refused.

Values are judged by the published ranges (``tests/sdk/published_ranges.py``), never by the
compliance scanner, read the way docs/safe-values.md says a number holds the identifier:
its digits, with the leading zeros put back up to the identifier's length (a phone number:
en_US's ten digits, elsewhere E.164 digits; an IPv4 or MAC address: its bits).
"""

from __future__ import annotations

import ipaddress
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from synthdata_sdk import SynthDataClient
from synthdata_sdk.errors import SchemaError
from synthdata_sdk.generation.semantics import SUPPORTED_LOCALES
from tests.sdk.published_ranges import CALLING_CODES, TEST_PANS, luhn_valid, unsafe

client = SynthDataClient()

#: property names and the identifier each one implies (trailing words count: patient_ssn)
NAMES = {
    "ssn": "ssn",
    "patient_ssn": "ssn",
    "card_number": "credit_card",
    "pan": "credit_card",
    "phone": "phone",
    "mobile": "phone",
    "nhs_number": "nhs_number",
    "ip_address": "ipv4",
    "mac": "mac_address",
}
#: the identifier's length in digits, which a reader pads a number back to
WIDTHS = {"ssn": 9, "nhs_number": 10}
PROFILE_SETS = [(), ("gdpr", "pci_dss"), ("hipaa",)]


def as_identifier(kind: str, value: Any, locale: str = "en_US") -> str:
    """The identifier a number stands for, as the published ranges read it."""
    assert isinstance(value, int) and not isinstance(value, bool), value
    assert value >= 0, value
    if kind in WIDTHS:
        return f"{value:0{WIDTHS[kind]}d}"
    if kind == "phone":
        # en_US: the ten digits of NPA-NXX-XXXX; elsewhere E.164 with its country code
        return f"+1{value}" if locale == "en_US" else f"+{value}"
    if kind == "ipv4":
        return str(ipaddress.IPv4Address(value))
    if kind == "mac_address":
        return ":".join(f"{value:012x}"[i : i + 2] for i in range(0, 12, 2))
    return str(value)


def _schema(field: str, prop: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": {field: prop},
        "required": [field],
        "additionalProperties": False,
    }


def _unsafe(kind: str, values: list[Any], locale: str = "en_US") -> list[Any]:
    return [v for v in values if unsafe(kind, as_identifier(kind, v, locale), locale)]


@pytest.mark.parametrize("compliance", PROFILE_SETS, ids=["plain", "profiles", "hipaa"])
@pytest.mark.parametrize(
    "bounds",
    [
        ({}, {}),
        (
            {"minimum": 10**15, "maximum": 10**16 - 1},
            {"minimum": 100_000_000, "maximum": 999_999_999},
        ),
    ],
    ids=["unbounded", "full-width-bounds"],
)
def test_the_reported_integer_fields_give_no_issuable_ssn_and_no_live_card(
    bounds: tuple[dict[str, Any], dict[str, Any]], compliance: tuple[str, ...]
) -> None:
    card, ssn = bounds
    schema = {
        "type": "object",
        "properties": {
            "card_number": {"type": "integer", **card},
            "ssn": {"type": "integer", **ssn},
        },
        "required": ["card_number", "ssn"],
    }

    records = client.generate(schema, rows=2000, seed=1, compliance=compliance).records

    # before: with 16-digit bounds 208 card numbers in 2,000 passed Luhn without being test
    # cards, and with nine-digit bounds 1,982 SSNs were issuable; unbounded, the values were
    # 0..1000 (206 of them Luhn-valid digit strings)
    cards = [r["card_number"] for r in records]
    assert [c for c in cards if luhn_valid(str(c)) and str(c) not in TEST_PANS] == []
    assert _unsafe("credit_card", cards) == []
    assert _unsafe("ssn", [r["ssn"] for r in records]) == []
    # full width wherever the bounds allow it: nine-digit SSNs, not area 000's six digits
    assert all(10**8 <= r["ssn"] < 10**9 for r in records)
    validator = Draft202012Validator(schema)
    assert all(validator.is_valid(r) for r in records)


#: bounds users write for such fields, and bounds that fit few or no safe values
BOUNDS: list[dict[str, Any]] = [
    {},
    {"minimum": 0},
    {"minimum": 1, "maximum": 1000},
    {"minimum": -180, "maximum": 180},
    {"minimum": 100_000_000, "maximum": 999_999_999},
    {"minimum": 666_000_000, "exclusiveMaximum": 667_000_000},
    {"exclusiveMinimum": 123_000_000, "maximum": 123_999_999},
    {"minimum": 1_000_000_000, "maximum": 9_999_999_999},
    {"minimum": 2_125_550_100, "maximum": 2_125_550_199},
    {"minimum": 10**15, "maximum": 10**16 - 1},
    {"minimum": 4_000_000_000_000_000, "maximum": 4_000_000_000_000_099},
    {"minimum": 9_990_000_000, "maximum": 9_990_000_100},
    {"minimum": 3_221_225_984, "maximum": 3_221_226_239},
    {"minimum": 0, "maximum": 2**32 - 1},
    {"minimum": 1_577_079_552, "maximum": 1_577_079_600},
    {"minimum": 0, "maximum": 2**48 - 1},
]


@st.composite
def numeric_fields(draw: st.DrawFn) -> tuple[str, str, dict[str, Any]]:
    """(property name, identifier, numeric subschema) with bounds, a step or an enum."""
    name = draw(st.sampled_from(sorted(NAMES)))
    prop: dict[str, Any] = {"type": draw(st.sampled_from(["integer", "number"]))}
    prop.update(draw(st.sampled_from(BOUNDS)))
    step = draw(st.sampled_from([None, None, 2, 3, 7, 10, 100, 0.5, 10**7]))
    if step is not None:
        prop["multipleOf"] = step
    if draw(st.integers(0, 5)) == 0:
        # an enum of arbitrary numbers, some of which may be safe values
        members = st.integers(0, 10**16) | st.sampled_from([666_000_001, 4242424242424242])
        prop = {"enum": draw(st.lists(members, min_size=1, max_size=4, unique=True))}
    return name, NAMES[name], prop


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    field=numeric_fields(),
    declared=st.booleans(),
    locale=st.sampled_from(SUPPORTED_LOCALES),
    compliance=st.sampled_from(PROFILE_SETS),
    seed=st.integers(0, 2**32),
)
def test_a_numeric_identifier_gives_safe_valid_numbers_or_a_refusal(
    field: tuple[str, str, dict[str, Any]],
    declared: bool,
    locale: str,
    compliance: tuple[str, ...],
    seed: int,
) -> None:
    name, kind, prop = field
    if declared:
        # the semantic said outright, on a name that implies nothing
        name, prop = "value", {**prop, "x-synthdata": {"semantic": kind}}
    schema = _schema(name, prop)

    try:
        dataset = client.generate(schema, rows=200, seed=seed, locale=locale, compliance=compliance)
    except SchemaError as error:
        assert error.pointer == f"/properties/{name}"
        assert error.keyword in ("minimum/maximum", "multipleOf", "enum")
        if 'x-synthdata {"semantic": "none"}' not in str(error):
            # no number at all fits: refused as any numeric field would be
            opted_out = {**prop, "x-synthdata": {"semantic": "none"}}
            with pytest.raises(SchemaError):
                client.generate(_schema(name, opted_out), rows=200, seed=seed, locale=locale)
        return

    values = [record[name] for record in dataset.records]
    validator = Draft202012Validator(schema)
    assert all(validator.is_valid(record) for record in dataset.records)
    assert _unsafe(kind, values, locale) == [], (prop, values[:5])


@pytest.mark.parametrize("kind", ["ipv4", "mac_address"])
@pytest.mark.parametrize("bounds", BOUNDS, ids=[str(b) for b in BOUNDS])
def test_a_small_identifier_is_refused_only_when_no_safe_number_fits(
    kind: str, bounds: dict[str, Any]
) -> None:
    name = {"ipv4": "ip_address", "mac_address": "mac"}[kind]
    if kind == "ipv4":
        networks = ("192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24")
        every = [int(a) for n in networks for a in ipaddress.ip_network(n)]
    else:
        every = [0x00005E005300 + i for i in range(256)]
    prop = {"type": "integer", **bounds}
    fitting = [v for v in every if Draft202012Validator(prop).is_valid(v)]

    try:
        records = client.generate(_schema(name, prop), rows=100, seed=5).records
    except SchemaError as error:
        assert fitting == [], str(error)
        return

    assert {r[name] for r in records} <= set(fitting)


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
def test_phone_numbers_as_integers_are_fiction_numbers_in_every_locale(locale: str) -> None:
    records = client.generate(_schema("phone", {"type": "integer"}), rows=500, locale=locale)

    values = [r["phone"] for r in records.records]
    assert _unsafe("phone", values, locale) == []
    code = CALLING_CODES[locale]
    if locale == "en_US":
        assert all(len(str(v)) == 10 for v in values)  # NPA-NXX-XXXX
    else:
        # the trunk 0 an integer would lose: 2079460123 would read as a US number
        assert all(str(v).startswith(code) for v in values)


def test_bounds_no_safe_value_meets_are_refused_naming_the_way_out() -> None:
    pan = {"type": "number", "minimum": -180, "maximum": 180}

    with pytest.raises(SchemaError) as refused:
        client.generate(_schema("pan", pan), rows=10)

    error = refused.value
    assert (error.pointer, error.keyword) == ("/properties/pan", "minimum/maximum")
    message = str(error)
    assert message.startswith(
        "schema /properties/pan: minimum/maximum: the property name 'pan' says this field"
        " holds credit_card values, which are drawn only from safe ones (default: 16 digits"
    )
    assert "as numbers the card number's digits; none of them lies within minimum -180," in message
    assert "(expected bounds that admit safe values such as 4" in message
    assert message.endswith(
        'or, if the field holds no credit_card, x-synthdata {"semantic": "none"})'
    )


def test_semantic_none_lets_the_bounds_decide() -> None:
    pan = {"type": "number", "minimum": -180, "maximum": 180}
    opted_out = _schema("pan", {**pan, "x-synthdata": {"semantic": "none"}})

    records = client.generate(opted_out, rows=200, seed=3).records

    assert all(-180 <= r["pan"] <= 180 for r in records)


def test_a_multiple_no_safe_value_meets_is_refused() -> None:
    # every safe IPv4 number in the range is below 2**32, and none is a multiple of 2**33
    schema = _schema("ip_address", {"type": "integer", "multipleOf": 2**33, "minimum": 1})

    with pytest.raises(SchemaError) as refused:
        client.generate(schema, rows=10)

    assert refused.value.keyword == "multipleOf"
    assert "none of them within the bounds is a multiple of 8589934592" in str(refused.value)


def test_a_multiple_keeps_only_safe_values_it_admits() -> None:
    # before: 123456000 and up, issuable SSNs (group 45) that are multiples of 7
    schema = _schema("ssn", {"type": "integer", "multipleOf": 7, "minimum": 123_456_000})

    values = [r["ssn"] for r in client.generate(schema, rows=500, seed=2).records]

    assert all(v % 7 == 0 for v in values)
    assert _unsafe("ssn", values) == []


def test_an_enum_keeps_its_safe_members_only() -> None:
    issuable, never_assigned, group_zero = 123_456_789, 666_123_456, 123_004_567
    schema = _schema("ssn", {"type": "integer", "enum": [issuable, never_assigned, group_zero]})

    values = {r["ssn"] for r in client.generate(schema, rows=300, seed=1).records}

    assert values == {never_assigned, group_zero}


@pytest.mark.parametrize("keyword", ["const", "enum"])
def test_an_enum_of_real_looking_identifiers_only_is_refused(keyword: str) -> None:
    real_looking = 4539148803436467  # Luhn-valid, not a published test card
    prop = {keyword: real_looking} if keyword == "const" else {keyword: [real_looking]}

    with pytest.raises(SchemaError) as refused:
        client.generate(_schema("card_number", prop), rows=5)

    assert (refused.value.pointer, refused.value.keyword) == ("/properties/card_number", keyword)
    assert f"no {keyword} value is one of them (4539148803436467 is not)" in str(refused.value)
    assert 'x-synthdata {"semantic": "none"}' in str(refused.value)


def test_a_published_test_card_is_a_safe_const_without_luhn() -> None:
    schema = _schema("card_number", {"const": 4242424242424242})

    assert client.generate(schema, rows=3).records[0]["card_number"] == 4242424242424242


def test_luhn_draws_published_test_cards_as_numbers() -> None:
    prop = {"type": "integer", "x-synthdata": {"semantic": "credit_card", "luhn": True}}

    values = {r["value"] for r in client.generate(_schema("value", prop), rows=300).records}

    assert values <= {int(pan) for pan in TEST_PANS}
    assert len(values) > 10


def test_a_declared_numeric_semantic_applies_to_an_integer_field() -> None:
    prop = {"type": "integer", "x-synthdata": {"semantic": "nhs_number"}}

    values = [r["value"] for r in client.generate(_schema("value", prop), rows=300).records]

    assert _unsafe("nhs_number", values) == []
    assert all(str(v).startswith("999") for v in values)


def test_a_declared_semantic_with_no_numeric_form_is_refused_on_a_number() -> None:
    prop = {"type": "integer", "x-synthdata": {"semantic": "email"}}

    with pytest.raises(SchemaError) as refused:
        client.generate(_schema("value", prop), rows=3)

    assert refused.value.keyword == "x-synthdata/semantic"
    assert "as numbers only ['credit_card', 'ipv4', 'mac_address', 'nhs_number'" in str(
        refused.value
    )


def test_a_name_with_no_numeric_identifier_keeps_plain_integers() -> None:
    # id implies a uuid, which no integer holds; login_count implies nothing
    schema = {
        "type": "object",
        "properties": {
            "id": {"type": "integer", "minimum": 1, "maximum": 10},
            "login_count": {"type": "integer", "minimum": 0, "maximum": 5},
        },
        "required": ["id", "login_count"],
    }

    records = client.generate(schema, rows=100).records

    assert {r["id"] for r in records} <= set(range(1, 11))
    assert {r["login_count"] for r in records} <= set(range(6))


def test_a_unique_numeric_identifier_is_a_permutation_of_its_safe_values() -> None:
    schema = _schema("ip_address", {"type": "integer", "x-synthdata": {"unique": True}})

    values = [r["ip_address"] for r in client.generate(schema, rows=768).records]
    assert len(set(values)) == 768
    assert _unsafe("ipv4", values) == []
    with pytest.raises(SchemaError) as refused:
        client.generate(schema, rows=769)

    assert refused.value.keyword == "x-synthdata/unique"
    assert "only 768 distinct safe values fit the schema" in str(refused.value)


def test_numbers_of_type_number_are_integers_that_keep_every_digit() -> None:
    schema = _schema("card_number", {"type": "number", "minimum": 0})

    values = [r["card_number"] for r in client.generate(schema, rows=200).records]

    assert all(isinstance(v, int) and len(str(v)) == 16 for v in values)
    assert _unsafe("credit_card", values) == []


def test_numeric_identifiers_change_the_data_version() -> None:
    # the same semantics and no other node change: before, both had one data version, so a
    # dataset cached with real-looking integer SSNs would have been served after upgrading
    text = {"type": "object", "properties": {"ssn": {"type": "string"}}}
    numbers = {
        "type": "object",
        "properties": {"ssn": {"type": "string"}, "patient_ssn": {"type": "integer"}},
    }

    assert client.prepare(text).request.data_version != client.prepare(numbers).request.data_version
