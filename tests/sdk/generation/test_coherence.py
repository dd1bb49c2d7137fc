"""Coherent records: the fields of one record agree, over 1,000 rows of every template and of
hand-written schemas that use the same names, and dates fall in the documented window."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from synthdata_sdk.generation.engine import chunk_count, generate_chunk
from synthdata_sdk.generation.planner import plan_records
from synthdata_sdk.generation.semantics.address import City
from synthdata_sdk.generation.semantics.contact import phone_pattern
from synthdata_sdk.generation.semantics.pools import ascii_fold
from synthdata_sdk.generation.semantics.records import region_for
from synthdata_sdk.generation.semantics.regions import REGIONS
from synthdata_sdk.quality.coherence import measure_coherence
from synthdata_sdk.quality.metrics import measure_quality
from synthdata_sdk.schema.templates import list_templates, load_template

ROWS = 1000


def records(
    schema: dict[str, Any], rows: int = ROWS, *, locale: str = "en_US", seed: int = 7
) -> list[dict[str, Any]]:
    """``rows`` records of ``schema``, drawn chunk by chunk as the engine does."""
    plan = plan_records(schema, locale=locale, rows=rows)
    out: list[dict[str, Any]] = []
    for chunk in range(chunk_count(rows)):
        out += generate_chunk(plan, seed=seed, locale=locale, rows=rows, chunk=chunk)
    return out


def obj(**properties: Any) -> dict[str, Any]:
    """An object schema requiring every property given."""
    return {"type": "object", "properties": properties, "required": list(properties)}


# -- dates: a documented window before the fixed reference date ----------------------------


def test_dates_without_bounds_fall_in_the_ten_years_before_the_reference_date() -> None:
    rows = records(obj(day={"type": "string", "format": "date"}))
    days = [r["day"] for r in rows]
    assert min(days) >= "2015-01-01"
    assert max(days) <= "2024-12-31"


def test_date_times_without_bounds_fall_in_the_window_too() -> None:
    rows = records(obj(seen={"type": "string", "format": "date-time"}))
    stamps = [r["seen"] for r in rows]
    assert min(stamps) >= "2015-01-01T00:00:00Z"
    assert max(stamps) <= "2024-12-31T23:59:59Z"


def test_a_schemas_bounds_beat_the_window() -> None:
    # a range of dates is written as a pattern (schema.date_patterns): it wins
    schema = obj(day={"type": "string", "format": "date", "pattern": r"^2031-0[1-6]-1[0-9]$"})
    days = [r["day"] for r in records(schema)]
    assert all(day.startswith("2031-0") for day in days)
    enum = obj(day={"type": "string", "format": "date", "enum": ["2040-02-29"]})
    assert {r["day"] for r in records(enum, 50)} == {"2040-02-29"}


# -- within a record ---------------------------------------------------------------------


@pytest.mark.parametrize("locale", ["en_US", "en_GB", "de_DE", "fr_FR"])
@pytest.mark.parametrize("template", list_templates())
def test_every_template_is_fully_coherent(template: str, locale: str) -> None:
    schema = load_template(template)
    result = measure_coherence(records(schema, locale=locale), schema, template)
    assert result.rows == ROWS
    assert result.rate == 1.0, [c for c in result.rules.values() if c.failed]


PERSON = obj(
    givenName={"type": "string"},
    familyName={"type": "string"},
    customer_email={"type": "string"},
    login_name={"type": "string"},
    contact_phone={"type": "string"},
    country={"type": "string"},
    shipping_address=obj(city={"type": "string"}, postal_code={"type": "string"}),
)


@pytest.mark.parametrize("locale", ["en_US", "de_DE", "fr_FR"])
def test_a_hand_written_schema_with_such_names_is_fully_coherent(locale: str) -> None:
    result = measure_coherence(records(PERSON, locale=locale), PERSON)
    checked = {c.rule: c.checked for c in result.rules.values()}
    assert checked["handle"] == 2 * ROWS  # email and user name, every row
    assert checked["postcode"] == checked["country"] == checked["phone"] == ROWS
    assert result.rate == 1.0


def test_email_and_user_name_are_the_records_own_name_on_reserved_domains() -> None:
    for row in records(PERSON, 200, locale="de_DE"):
        first = ascii_fold(row["givenName"], "de_DE")
        last = ascii_fold(row["familyName"], "de_DE")
        local, domain = row["customer_email"].split("@")
        assert re.fullmatch(rf"{first}[._]{last}\d{{0,2}}", local)
        assert re.fullmatch(rf"{first}[._]{last}\d{{0,2}}", row["login_name"])
        assert domain in {"example.com", "example.net", "example.org"}


def test_a_unique_user_name_keeps_the_email_and_display_name_coherent() -> None:
    schema = obj(
        username={"type": "string", "x-synthdata": {"unique": True}},
        email={"type": "string", "format": "email"},
        display_name={"type": "string"},
    )
    rows = records(schema, 3000)
    assert len({r["username"] for r in rows}) == 3000
    assert measure_coherence(rows, schema).rate == 1.0


ADDRESS = obj(
    address=obj(
        city={"type": "string"},
        state={"type": "string"},
        state_code={"type": "string"},
        zip={"type": "string"},
    )
)


@pytest.mark.parametrize("locale", ["en_US", "de_DE"])
def test_a_town_always_has_the_same_postcode_and_region(locale: str) -> None:
    # 20,000 rows over a few hundred thousand towns: hundreds of towns come back
    seen: dict[str, set[tuple[str, str, str]]] = {}
    for row in records(ADDRESS, 20_000, locale=locale):
        address = row["address"]
        seen.setdefault(address["city"], set()).add(
            (address["zip"], address["state"], address["state_code"])
        )
    assert len(seen) < 19_900
    assert all(len(places) == 1 for places in seen.values())
    # and the region is the town's, as the coherence rule reads it
    assert all(next(iter(places))[1:] == region_for(town, locale) for town, places in seen.items())


def test_regions_spread_over_every_subdivision() -> None:
    rows = records(ADDRESS, 2000, locale="de_DE")
    assert {r["address"]["state"] for r in rows} == {name for name, _ in REGIONS["de_DE"]}
    assert measure_coherence(rows, ADDRESS).rules["region"].checked == 2 * 2000


def test_a_region_without_a_town_still_agrees_with_its_code() -> None:
    schema = obj(region={"type": "string"}, region_code={"type": "string"})
    rows = records(schema, 500, locale="fr_FR")
    assert {(r["region"], r["region_code"]) for r in rows} <= set(REGIONS["fr_FR"])
    assert len({r["region"] for r in rows}) == 13
    assert measure_coherence(rows, schema).rules["region"].checked == 500


@given(st.sampled_from(["en_US", "en_GB", "de_DE", "fr_FR"]), st.integers(0, 10**6))
@settings(max_examples=50, deadline=None)
def test_a_towns_region_is_a_fixed_function_of_its_name(locale: str, index: int) -> None:
    city = City()
    town = city.values(np.array([index % city.domain_size(locale, {})]), locale, {})[0]
    name, code = region_for(town, locale)
    assert (name, code) in REGIONS[locale]
    assert region_for(town, locale) == (name, code)


def test_the_country_is_the_locales_own() -> None:
    schema = obj(country={"type": "string"}, country_code={"type": "string"})
    assert {(r["country"], r["country_code"]) for r in records(schema, 200, locale="de_DE")} == {
        ("Deutschland", "DE")
    }


def test_an_enum_of_countries_beats_the_locale() -> None:
    schema = obj(country={"type": "string", "enum": ["Bahrain", "Chile"]})
    rows = records(schema, 200, locale="de_DE")
    assert {r["country"] for r in rows} == {"Bahrain", "Chile"}
    assert measure_coherence(rows, schema).rate == 1.0  # the schema chose: no rule broken


def test_phone_numbers_follow_the_locales_fictional_format() -> None:
    for locale in ("en_US", "en_GB", "de_DE", "fr_FR"):
        rows = records(obj(contact_phone={"type": "string"}), 300, locale=locale)
        assert all(phone_pattern(locale).fullmatch(r["contact_phone"]) for r in rows)


def test_age_agrees_with_the_date_of_birth_on_the_reference_date() -> None:
    schema = obj(dob={"type": "string"}, age={"type": "integer"})
    rows = records(schema)
    for row in rows:
        born = dt.date.fromisoformat(row["dob"])
        reference = dt.date(2025, 1, 1)
        expected = reference.year - born.year - ((born.month, born.day) > (1, 1))
        assert row["age"] == expected
    assert {r["age"] for r in rows} <= set(range(18, 91))


@pytest.mark.parametrize(
    ("start", "end", "fmt"),
    [
        ("start_date", "end_date", "date"),
        ("valid_from", "valid_to", "date"),
        ("created_at", "updated_at", "date-time"),
        ("trialStartsAt", "trialEndsAt", "date-time"),
    ],
)
def test_the_end_of_a_named_pair_is_never_before_its_start(start: str, end: str, fmt: str) -> None:
    schema = obj(
        **{start: {"type": "string", "format": fmt}, end: {"type": "string", "format": fmt}}
    )
    rows = records(schema)
    assert all(r[end] >= r[start] for r in rows)
    assert any(r[end] > r[start] for r in rows)


def test_an_optional_end_still_follows_its_start() -> None:
    schema = {
        "type": "object",
        "properties": {
            "start_date": {"type": "string", "format": "date"},
            "end_date": {"type": "string", "format": "date"},
        },
        "required": ["start_date"],
    }
    rows = records(schema)
    ended = [r for r in rows if "end_date" in r]
    assert 0 < len(ended) < ROWS
    assert all(r["end_date"] >= r["start_date"] for r in ended)


def test_coherent_records_are_the_same_on_every_run_and_in_any_chunking() -> None:
    schema = load_template("customer")
    rows = 30_000  # more than one chunk
    first = records(schema, rows, seed=3)
    assert first == records(schema, rows, seed=3)
    plan = plan_records(schema, rows=rows)
    alone = generate_chunk(plan, seed=3, locale="en_US", rows=rows, chunk=chunk_count(rows) - 1)
    assert first[-len(alone) :] == alone


def test_the_quality_report_carries_the_coherence_figure() -> None:
    schema = load_template("customer")
    report = measure_quality(records(schema, 200), schema)
    assert report.summary()["coherence_rate"] == 1.0
    assert report.to_json()["coherence"][0]["rows"] == 200


def test_incoherent_records_lower_the_figure() -> None:
    rows = [
        {"first_name": "Daria", "last_name": "Mühle", "email": "heinzgerd_schuster48@example.org"},
        {"first_name": "Daria", "last_name": "Mühle", "email": "daria.muehle48@example.org"},
        {"city": "Berlin", "country": "Bahrain"},
        {"start_date": "2024-02-01", "end_date": "2023-01-01"},
    ]
    result = measure_coherence(rows)
    assert result.coherent_rows == 1
    assert {c.rule for c in result.rules.values() if c.failed} == {"handle", "country", "span"}


def test_a_town_in_the_wrong_region_breaks_the_region_rule() -> None:
    town = "Bad Müllerhausen"
    name, code = region_for(town, "de_DE")
    wrong = next(n for n, _ in REGIONS["de_DE"] if n != name)
    rows = [
        {"city": town, "state": name, "state_code": code, "country": "Deutschland"},
        {"city": town, "state": wrong, "country": "Deutschland"},
        {"city": town, "region_code": "XX", "country": "Deutschland"},
        {"region": "Bayern", "region_code": "BE"},  # a name and a code of two Länder
        {"region": "Bayern", "region_code": "BY"},
        {"state": "pending", "title": "no address: a record's state, not checked"},
    ]
    result = measure_coherence(rows)
    assert (result.rules["region"].checked, result.rules["region"].failed) == (6, 3)
    assert result.coherent_rows == 3


@pytest.mark.parametrize("template", list_templates())
def test_templates_stay_coherent_under_every_compliance_profile(template: str) -> None:
    schema = load_template(template)
    plan = plan_records(schema, rows=ROWS, compliance=["gdpr", "hipaa", "pci_dss"])
    rows = generate_chunk(plan, seed=5, locale="en_US", rows=ROWS, chunk=0)
    assert measure_coherence(rows, schema).rate == 1.0


def test_a_postcode_drawn_through_its_town_puts_the_towns_pools_in_the_data_version() -> None:
    plan = plan_records(obj(zip={"type": "string"}), rows=10)
    assert {"city", "postcode"} <= plan.semantics
    plan = plan_records(obj(state_code={"type": "string"}), rows=10)
    assert {"city", "region_code"} <= plan.semantics
