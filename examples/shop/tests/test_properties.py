"""Properties of the shop's functions over records hypothesis draws (not cached, not locked)."""

from __future__ import annotations

from hypothesis import given, settings
from synthdata_sdk.strategies import datasets, records

from shop import db


@given(records("customer"))
def test_normalising_an_email_is_idempotent_and_ignores_case(customer):
    email = db.normalise_email(customer["email"])
    assert db.normalise_email(email) == email
    assert db.normalise_email(customer["email"].upper()) == email


@given(records("order_item"))
def test_a_line_never_earns_a_negative_amount(item):
    total = db.line_total_cents(
        item["quantity"], db.cents(item["unit_price"]), db.cents(item["discount"])
    )
    assert 0 <= total <= item["quantity"] * db.cents(item["unit_price"])


# a retail set is four tables of related rows: a few customers fill hypothesis's budget
@settings(max_examples=25, deadline=None)
@given(datasets("retail", max_rows=2))
def test_any_retail_set_loads_and_has_non_negative_revenue(tables):
    conn = db.connect()
    db.load(conn, tables)
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    assert all(cents >= 0 for cents in db.revenue_per_customer(conn).values())
    assert db.orders_without_items(conn) == []
