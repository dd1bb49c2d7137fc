"""The data layer against the retail bundle: 50 customers, 50 products, their orders and lines.

The dataset is the same on every run (its seed is fixed), listed in synthdata.lock and
replayed from the cache: these tests never generate it again.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator

import pytest

from shop import db

pytestmark = pytest.mark.synthdata("retail", rows=50, seed=2024)


@pytest.fixture
def conn(synthdata) -> Iterator[sqlite3.Connection]:
    conn = db.connect()
    db.load(conn, synthdata.tables)
    yield conn
    conn.close()


def test_every_row_is_loaded_with_foreign_keys_on(conn, synthdata):
    assert conn.execute("PRAGMA foreign_keys").fetchone() == (1,)
    for table, rows in synthdata.tables.items():
        assert conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone() == (len(rows),)
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []


def test_every_order_belongs_to_a_customer(conn):
    orphans = conn.execute(
        "SELECT COUNT(*) FROM orders WHERE customer_id NOT IN (SELECT id FROM customers)"
    ).fetchone()
    assert orphans == (0,)


def test_an_order_of_an_unknown_customer_is_refused(conn):
    with pytest.raises(sqlite3.IntegrityError, match="FOREIGN KEY"):
        conn.execute("INSERT INTO orders VALUES ('o-1', 'nobody', 'paid', '2024-01-01T00:00:00Z')")


def test_revenue_covers_every_customer_and_is_never_negative(conn, synthdata):
    revenue = db.revenue_per_customer(conn)
    assert set(revenue) == {customer["id"] for customer in synthdata.tables["customers"]}
    assert all(cents >= 0 for cents in revenue.values())
    assert sum(revenue.values()) > 0


def test_a_customer_without_paid_orders_has_no_revenue(conn, synthdata):
    paying = {
        order["customer_id"]
        for order in synthdata.tables["orders"]
        if order["status"] in db.PAID_STATUSES
    }
    revenue = db.revenue_per_customer(conn)
    assert {customer for customer, cents in revenue.items() if cents == 0} >= (
        set(revenue) - paying
    )


def test_every_order_has_items(conn):
    assert db.orders_without_items(conn) == []


def test_an_order_whose_items_are_deleted_is_reported(conn, synthdata):
    order_id = synthdata.tables["orders"][0]["order_id"]
    conn.execute("DELETE FROM order_items WHERE order_id = ?", (order_id,))
    assert db.orders_without_items(conn) == [order_id]


def test_a_customer_is_found_by_email_whatever_its_case(conn, synthdata):
    for customer in synthdata.tables["customers"]:
        found = db.find_customer(conn, f"  {customer['email'].upper()} ")
        same_email = {
            other["id"]
            for other in synthdata.tables["customers"]
            if db.normalise_email(other["email"]) == db.normalise_email(customer["email"])
        }
        assert found in same_email
