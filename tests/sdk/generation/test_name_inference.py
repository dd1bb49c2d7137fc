"""Name inference reads the words people use for properties, measured on a corpus of real names."""

from __future__ import annotations

import pytest

from synthdata_sdk.generation.nodes.base import Context
from synthdata_sdk.generation.planner import build_plan
from synthdata_sdk.generation.semantics.regions import REGIONS
from tests.sdk.generation.name_corpus import corpus, inferred, recognised_share, siblings

#: the corpus figure when this was written (62 of 62); a change that loses names fails here
FLOOR = 0.95


def test_corpus_share_of_meaningful_names_recognised_stays_above_the_floor() -> None:
    assert recognised_share() >= FLOOR


def test_corpus_names_that_imply_nothing_stay_plain() -> None:
    plain = [name for name, expected in corpus() if expected == "-"]
    wrong = [name for name in plain if inferred(name, siblings(name)) != "-"]
    assert len(wrong) <= 1, wrong  # extended-address reads as a street address


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("contact_phone", "phone"),
        ("billingZip", "postcode"),
        ("customer_email", "email"),
        ("shipping_address.city", "city"),
        ("givenName", "first_name"),
        ("birth_date", "date_of_birth"),
        ("country_code", "country_code"),
        ("postal_code", "postcode"),
        ("order-status", "status"),
        ("currency", "currency_code"),
        ("customer_name", "full_name"),
        ("created_at", "date-time"),
        ("valid_from", "date"),
        ("price", "money"),
        ("amount", "money"),
        ("quantity", "quantity"),
        ("latitude", "latitude"),
        ("lng", "longitude"),
        ("region", "region"),
        ("addressRegion", "region"),
        ("province", "region"),
        ("state_or_province", "region"),
        ("stateProvince", "region"),
        ("administrative_area", "region"),
        ("billing_state", "region"),
        ("shippingState", "region"),
        ("shipping_address.state", "region"),
        ("billingRegion", "region"),
        ("bundesland", "region"),
        ("state_code", "region_code"),
        ("regionCode", "region_code"),
        ("province_code", "region_code"),
    ],
)
def test_names_people_use_are_recognised(name: str, expected: str) -> None:
    assert inferred(name) == expected


@pytest.mark.parametrize(
    "name",
    [
        "product_name",
        "cursor_position",
        "last_login",
        "file_handle",
        "email_verified",
        "aws_region",
        "order_state",
        "county",
    ],
)
def test_trailing_words_that_mislead_are_not_taken(name: str) -> None:
    assert inferred(name) == "-"


@pytest.mark.parametrize("beside", [["city"], ["postal_code"], ["addressCountry"], ["street"]])
def test_state_beside_an_address_member_is_a_region(beside: list[str]) -> None:
    assert inferred("state", beside) == "region"


@pytest.mark.parametrize("beside", [[], ["order_id", "total", "status"], ["state"]])
def test_state_without_an_address_stays_what_it_was(beside: list[str]) -> None:
    assert inferred("state", beside) == "-"


def test_the_planner_reads_state_beside_a_city_as_the_towns_region() -> None:
    def required(**properties: object) -> dict[str, object]:
        return {"type": "object", "properties": properties, "required": list(properties)}

    text = {"type": "string"}
    schema = required(order=required(state=text), address=required(city=text, state=text))
    rows = build_plan(schema).root.generate(Context(1, 0, "en_US", 0), 100)
    states = {name for name, _ in REGIONS["en_US"]}
    assert all(r["address"]["state"] in states for r in rows)
    # a lone state is a record's state, as before: plain text, no US state
    assert not any(r["order"]["state"] in states for r in rows)


def _column(schema: dict[str, object], name: str, rows: int = 200) -> list[object]:
    plan = build_plan({"type": "object", "properties": {name: schema}, "required": [name]})
    return [record[name] for record in plan.root.generate(Context(1, 0, "en_US", 0), rows)]


def test_contact_phone_gets_fictional_phone_numbers_not_words() -> None:
    values = _column({"type": "string"}, "contact_phone")
    assert all(isinstance(v, str) and " 555-01" in v for v in values)


def test_named_numbers_take_the_bounds_their_name_implies() -> None:
    prices = _column({"type": "number"}, "price")
    assert all(0 <= p <= 1000 and round(p * 100) == pytest.approx(p * 100) for p in prices)
    latitudes = _column({"type": "number"}, "latitude")
    assert all(-90 <= v <= 90 for v in latitudes)
    quantities = _column({"type": "integer"}, "quantity")
    assert all(1 <= q <= 100 for q in quantities)


def test_schema_bounds_beat_the_name() -> None:
    prices = _column({"type": "number", "minimum": 5000, "maximum": 6000}, "price")
    assert all(5000 <= p <= 6000 for p in prices)


def test_plain_string_named_like_a_moment_is_a_date_time() -> None:
    values = _column({"type": "string"}, "createdAt")
    assert all(isinstance(v, str) and len(v) == 20 and v.endswith("Z") for v in values)
