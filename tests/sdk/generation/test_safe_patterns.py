"""A ``pattern`` on an identifier field gives safe values that match it, or a refusal.

Values are judged by the published ranges (``tests/sdk/published_ranges.py``), never by the
compliance scanner; each case runs with and without compliance profiles.
"""

from __future__ import annotations

import ipaddress
import re
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from synthdata_sdk import SynthDataClient
from synthdata_sdk.errors import SchemaError
from synthdata_sdk.generation.semantics import SUPPORTED_LOCALES
from tests.sdk.published_ranges import luhn_valid, unsafe

client = SynthDataClient()

#: property names and the identifier each one implies (trailing words count: patient_ssn)
NAMES = {
    "ssn": "ssn",
    "patient_ssn": "ssn",
    "card_number": "credit_card",
    "phone": "phone",
    "mobile": "phone",
    "email": "email",
    "work_email": "email",
    "homepage": "url",
    "ip_address": "ipv4",
    "ipv6": "ipv6",
    "mac": "mac_address",
    "iban": "iban",
    "nhs_number": "nhs_number",
    "nino": "national_insurance_number",
    "mbi": "medicare_mbi",
}
#: patterns users write for each identifier: loose, strict, in other layouts, impossible
PATTERNS = {
    "ssn": [
        r"^\d{3}-\d{2}-\d{4}$",
        r"^\d{9}$",
        r"^\d{3}-?\d{2}-?\d{4}$",
        r"^[0-8]\d{2}-\d{2}-\d{4}$",
        r"^9\d{2}-\d{2}-\d{4}$",
    ],
    "credit_card": [
        r"^\d{16}$",
        r"^\d{13,19}$",
        r"^4[0-9]{12}(?:[0-9]{3})?$",
        r"^5[1-5]\d{14}$",
        r"^\d{4}( \d{4}){3}$",
        r"^\d{4}-\d{4}-\d{4}-\d{4}$",
        r"^3[47]\d{13}$",
    ],
    "phone": [
        r"^\+[1-9]\d{1,14}$",
        r"^\(\d{3}\) \d{3}-\d{4}$",
        r"^\d{3}-\d{3}-\d{4}$",
        r"^[0-9 ()+-]+$",
        r"^\d{10,11}$",
        r"^0\d{9,10}$",
    ],
    "email": [r"^[^@\s]+@[^@\s]+\.[a-z]{2,}$", r"@example\.org$", r"@gmail\.com$"],
    "url": [r"^https?://", r"^https://github\.com/", r"\.org/"],
    "ipv4": [r"^(\d{1,3}\.){3}\d{1,3}$", r"^10\.", r"^203\.0\.113\."],
    "ipv6": [r"^[0-9a-fA-F:]+$", r"^2001:", r"^[0-9A-F:]+$", r"^fe80:"],
    "mac_address": [
        r"^([0-9a-f]{2}:){5}[0-9a-f]{2}$",
        r"^([0-9A-F]{2}-){5}[0-9A-F]{2}$",
        r"^[0-9A-Fa-f]{12}$",
        r"^3c:",
    ],
    "iban": [r"^[A-Z]{2}\d{2}[A-Z0-9]{11,30}$", r"^GB\d{2}[A-Z]{4}\d{14}$", r"^DE\d{20}$"],
    "nhs_number": [r"^\d{10}$", r"^\d{3} \d{3} \d{4}$", r"^\d{3}-\d{3}-\d{4}$"],
    "national_insurance_number": [r"^[A-Z]{2}\d{6}[A-D]$", r"^[A-Z]{2}( \d{2}){3} [A-D]$", r"^AB"],
    "medicare_mbi": [r"^[1-9][A-Z][A-Z0-9]\d[A-Z][A-Z0-9]\d[A-Z]{2}\d{2}$", r"^\w{4}-\w{3}-\w{4}$"],
}
#: characters a random literal prefix is made of, per identifier
PREFIX_ALPHABETS = {
    "ssn": "0123456789",
    "credit_card": "0123456789",
    "phone": "0123456789(+",
    "email": "abcdehst",
    "url": "htps:/",
    "ipv4": "0123456789.",
    "ipv6": "0123456789abcdef:",
    "mac_address": "0123456789abcdef:",
    "iban": "ABDEFGN0123456789",
    "nhs_number": "0123456789",
    "national_insurance_number": "ABGKNQTZ",
    "medicare_mbi": "123456789S",
}
PROFILE_SETS = [(), ("gdpr", "pci_dss")]


@st.composite
def identifier_fields(draw: st.DrawFn) -> tuple[str, str, str]:
    """(property name, identifier, pattern): a written pattern, or a random literal prefix."""
    name = draw(st.sampled_from(sorted(NAMES)))
    kind = NAMES[name]
    written = st.sampled_from(PATTERNS[kind])
    prefix = st.text(PREFIX_ALPHABETS[kind], min_size=1, max_size=3).map(
        lambda text: "^" + re.escape(text)
    )
    return name, kind, draw(st.one_of(written, prefix))


def _schema(field: str, prop: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": {field: {"type": "string", **prop}},
        "required": [field],
        "additionalProperties": False,
    }


def _documentation_values(kind: str) -> list[str]:
    """Every safe IPv4 or MAC address in the layouts a user may ask for (small ranges only)."""
    if kind == "ipv4":
        networks = ("192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24")
        return [str(a) for n in networks for a in ipaddress.ip_network(n)]
    macs = [f"00:00:5e:00:53:{i:02x}" for i in range(256)]
    layouts = [macs, [m.upper() for m in macs], [m.replace(":", "-") for m in macs]]
    layouts += [[m.replace(":", "-").upper() for m in macs], [m.replace(":", "") for m in macs]]
    return [m for layout in layouts for m in layout]


@pytest.mark.slow
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    field=identifier_fields(),
    declared=st.booleans(),
    locale=st.sampled_from(SUPPORTED_LOCALES),
    compliance=st.sampled_from(PROFILE_SETS),
    seed=st.integers(0, 2**32),
)
def test_an_identifier_pattern_gives_safe_matching_values_or_a_refusal(
    field: tuple[str, str, str],
    declared: bool,
    locale: str,
    compliance: tuple[str, ...],
    seed: int,
) -> None:
    name, kind, pattern = field
    prop: dict[str, Any] = {"pattern": pattern}
    if declared:
        # the semantic said outright, on a name that implies nothing
        name, prop["x-synthdata"] = "value", {"semantic": kind}
    schema = _schema(name, prop)

    try:
        dataset = client.generate(schema, rows=200, seed=seed, locale=locale, compliance=compliance)
    except SchemaError as error:
        assert (error.pointer, error.keyword) == (f"/properties/{name}", "pattern")
        assert 'x-synthdata {"semantic": "none"}' in str(error)
        if kind in ("ipv4", "mac_address"):
            # small ranges: the refusal is right only if no safe value matches at all
            assert not any(re.search(pattern, v) for v in _documentation_values(kind))
        return

    values = [record[name] for record in dataset.records]
    for value in values:
        assert re.search(pattern, value), (pattern, value)
        assert unsafe(kind, value, locale) is None, (pattern, value, unsafe(kind, value, locale))


@pytest.mark.parametrize("compliance", PROFILE_SETS, ids=["plain", "profiles"])
def test_the_reported_patterns_give_no_issuable_ssn_and_no_live_card(
    compliance: tuple[str, ...],
) -> None:
    schema = {
        "type": "object",
        "properties": {
            "ssn": {"type": "string", "pattern": r"^\d{3}-\d{2}-\d{4}$"},
            "card_number": {"type": "string", "pattern": r"^\d{16}$"},
        },
        "required": ["ssn", "card_number"],
    }

    records = client.generate(schema, rows=2000, seed=1, compliance=compliance).records

    # before: 1,788 of 2,000 SSNs were issuable and 198 card numbers passed Luhn
    assert [r["ssn"] for r in records if unsafe("ssn", r["ssn"])] == []
    assert [r["card_number"] for r in records if luhn_valid(r["card_number"])] == []
    assert all(re.fullmatch(r"\d{3}-\d{2}-\d{4}", r["ssn"]) for r in records)


@pytest.mark.parametrize(
    ("name", "pattern", "example"),
    [
        ("ssn", r"^\d{9}$", r"\d{9}"),
        ("phone", r"^\+[1-9]\d{1,14}$", r"\+1\d{3}55501\d\d"),
        ("card_number", r"^\d{4} \d{4} \d{4} \d{4}$", r"4\d{3}( \d{4}){3}|5[1-5]\d\d( \d{4}){3}"),
        ("mac", r"^([0-9A-F]{2}-){5}[0-9A-F]{2}$", r"00-00-5E-00-53-[0-9A-F]{2}"),
    ],
)
def test_safe_values_are_written_the_way_the_pattern_asks(
    name: str, pattern: str, example: str
) -> None:
    records = client.generate(_schema(name, {"pattern": pattern}), rows=300, seed=2).records

    assert all(re.fullmatch(example, r[name]) for r in records), records[:3]


def test_a_pattern_every_safe_value_matches_changes_no_value() -> None:
    plain = _schema("contact", {"x-synthdata": {"semantic": "email"}})
    loose = _schema("contact", {"x-synthdata": {"semantic": "email"}, "pattern": "@"})

    assert (
        client.generate(plain, rows=500, seed=4).records
        == client.generate(loose, rows=500, seed=4).records
    )


@pytest.mark.parametrize(
    ("prop", "implied"),
    [
        ({"pattern": r"@gmail\.com$"}, "the property name 'email'"),
        ({"format": "email", "pattern": r"@gmail\.com$"}, "format 'email'"),
        (
            {"pattern": r"@gmail\.com$", "x-synthdata": {"semantic": "email"}},
            "x-synthdata semantic 'email'",
        ),
    ],
)
def test_a_pattern_no_safe_value_matches_is_refused_naming_the_ways_out(
    prop: dict[str, Any], implied: str
) -> None:
    with pytest.raises(SchemaError) as refused:
        client.generate(_schema("email", prop), rows=10)

    error = refused.value
    assert (error.pointer, error.keyword) == ("/properties/email", "pattern")
    message = str(error)
    assert message.startswith(f"schema /properties/email: pattern: {implied} says this field")
    assert "domain example.com/.net/.org only" in message
    assert "such as '" in message and "@example." in message
    assert 'or, if the field holds no email, x-synthdata {"semantic": "none"}' in message


def test_semantic_none_lets_the_pattern_decide() -> None:
    gift_card = {"pattern": r"^GC-\d{8}$"}
    with pytest.raises(SchemaError):
        client.generate(_schema("card_number", gift_card), rows=10)

    opted_out = _schema("card_number", {**gift_card, "x-synthdata": {"semantic": "none"}})
    records = client.generate(opted_out, rows=200, seed=3).records

    assert all(re.fullmatch(r"GC-\d{8}", r["card_number"]) for r in records)


def test_semantic_none_turns_off_name_inference() -> None:
    schema = _schema("email", {"x-synthdata": {"semantic": "none"}})

    records = client.generate(schema, rows=50).records

    assert not any("@" in r["email"] for r in records)


def test_semantic_none_with_a_semantic_format_needs_a_pattern() -> None:
    schema = _schema("contact", {"format": "email", "x-synthdata": {"semantic": "none"}})

    with pytest.raises(SchemaError) as refused:
        client.generate(schema, rows=5)

    assert refused.value.keyword == "format"
    assert "a pattern to draw the values from" in str(refused.value)


def test_semantic_none_does_not_escape_hipaa() -> None:
    schema = _schema("date_of_birth", {"format": "date", "x-synthdata": {"semantic": "none"}})

    records = client.generate(schema, rows=200, compliance=("hipaa",)).records

    assert all(r["date_of_birth"].endswith("-01-01") for r in records)


def test_a_unique_column_with_fewer_fitting_safe_values_than_rows_is_refused() -> None:
    schema = _schema("ip", {"pattern": r"^192\.0\.2\.", "x-synthdata": {"unique": True}})

    assert len({r["ip"] for r in client.generate(schema, rows=256).records}) == 256
    with pytest.raises(SchemaError) as refused:
        client.generate(schema, rows=257)

    assert refused.value.keyword == "x-synthdata/unique"
    assert "only 256 distinct safe values fit the pattern" in str(refused.value)


def test_a_field_whose_format_is_no_identifier_keeps_its_pattern() -> None:
    # a date named like an SSN is a date: the format decides, not the name
    schema = _schema("ssn", {"format": "date", "pattern": r"^20\d\d-0[1-9]-1\d$"})

    records = client.generate(schema, rows=50).records

    assert all(re.fullmatch(r"20\d\d-0[1-9]-1\d", r["ssn"]) for r in records)


def test_an_invalid_pattern_on_an_identifier_field_is_a_schema_error() -> None:
    with pytest.raises(SchemaError) as refused:
        client.generate(_schema("ssn", {"pattern": "("}), rows=5)

    assert (refused.value.pointer, refused.value.keyword) == ("/properties/ssn", "pattern")
    assert "is not a valid regular expression" in str(refused.value)
