"""The shop's data layer: sqlite tables, loading rows into them and the reports it runs.

Money is kept in cents (integers), so that totals add up exactly.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Mapping
from typing import Any

#: counted as revenue; cancelled and returned orders are not
PAID_STATUSES = ("paid", "shipped", "delivered")

SCHEMA = """
CREATE TABLE customers (
    id TEXT PRIMARY KEY,
    first_name TEXT NOT NULL,
    last_name TEXT NOT NULL,
    email TEXT NOT NULL,
    country TEXT NOT NULL
);
CREATE TABLE products (
    product_id TEXT PRIMARY KEY,
    sku TEXT NOT NULL,
    product_name TEXT NOT NULL,
    price_cents INTEGER NOT NULL CHECK (price_cents >= 0)
);
CREATE TABLE orders (
    order_id TEXT PRIMARY KEY,
    customer_id TEXT NOT NULL REFERENCES customers (id),
    status TEXT NOT NULL,
    placed_at TEXT NOT NULL
);
CREATE TABLE order_items (
    order_item_id TEXT PRIMARY KEY,
    order_id TEXT NOT NULL REFERENCES orders (order_id),
    product_id TEXT NOT NULL REFERENCES products (product_id),
    quantity INTEGER NOT NULL CHECK (quantity > 0),
    unit_price_cents INTEGER NOT NULL CHECK (unit_price_cents >= 0),
    discount_cents INTEGER NOT NULL CHECK (discount_cents >= 0)
);
"""


def cents(amount: float) -> int:
    """An amount of money in cents."""
    return round(amount * 100)


def normalise_email(email: str) -> str:
    """The form an email is stored and looked up in: no surrounding blanks, lower case."""
    return email.strip().lower()


def line_total_cents(quantity: int, unit_price_cents: int, discount_cents: int) -> int:
    """What one order line earns: a discount larger than the line makes it free, not negative."""
    return max(quantity * unit_price_cents - discount_cents, 0)


def connect(path: str = ":memory:") -> sqlite3.Connection:
    """A connection with foreign keys enforced and the shop's functions registered."""
    conn = sqlite3.connect(path)
    # sqlite leaves foreign keys unchecked unless each connection asks
    conn.execute("PRAGMA foreign_keys = ON")
    conn.create_function("line_total_cents", 3, line_total_cents, deterministic=True)
    conn.executescript(SCHEMA)
    return conn


def load(conn: sqlite3.Connection, tables: Mapping[str, Iterable[Mapping[str, Any]]]) -> None:
    """Insert rows shaped like the retail records, parents before children, in one transaction."""
    with conn:
        conn.executemany(
            "INSERT INTO customers VALUES (?, ?, ?, ?, ?)",
            (
                (
                    c["id"],
                    c["first_name"],
                    c["last_name"],
                    normalise_email(c["email"]),
                    c["country"],
                )
                for c in tables["customers"]
            ),
        )
        conn.executemany(
            "INSERT INTO products VALUES (?, ?, ?, ?)",
            (
                (p["product_id"], p["sku"], p["product_name"], cents(p["price"]))
                for p in tables["products"]
            ),
        )
        conn.executemany(
            "INSERT INTO orders VALUES (?, ?, ?, ?)",
            (
                (o["order_id"], o["customer_id"], o["status"], o["placed_at"])
                for o in tables["orders"]
            ),
        )
        conn.executemany(
            "INSERT INTO order_items VALUES (?, ?, ?, ?, ?, ?)",
            (
                (
                    i["order_item_id"],
                    i["order_id"],
                    i["product_id"],
                    i["quantity"],
                    cents(i["unit_price"]),
                    cents(i["discount"]),
                )
                for i in tables["order_items"]
            ),
        )


def revenue_per_customer(conn: sqlite3.Connection) -> dict[str, int]:
    """Every customer's revenue in cents from paid orders; 0 for a customer with none."""
    placeholders = ", ".join("?" for _ in PAID_STATUSES)
    rows = conn.execute(
        f"""
        SELECT c.id, COALESCE(SUM(lines.cents), 0)
        FROM customers AS c
        LEFT JOIN orders AS o ON o.customer_id = c.id AND o.status IN ({placeholders})
        LEFT JOIN (
            SELECT order_id,
                   line_total_cents(quantity, unit_price_cents, discount_cents) AS cents
            FROM order_items
        ) AS lines ON lines.order_id = o.order_id
        GROUP BY c.id
        """,
        PAID_STATUSES,
    )
    return dict(rows.fetchall())


def orders_without_items(conn: sqlite3.Connection) -> list[str]:
    """The ids of orders that have no line: an order the checkout should never save."""
    rows = conn.execute(
        """
        SELECT o.order_id FROM orders AS o
        WHERE NOT EXISTS (SELECT 1 FROM order_items AS i WHERE i.order_id = o.order_id)
        ORDER BY o.order_id
        """
    )
    return [order_id for (order_id,) in rows]


def find_customer(conn: sqlite3.Connection, email: str) -> str | None:
    """The id of the customer with this email, however it is typed."""
    row = conn.execute(
        "SELECT id FROM customers WHERE email = ?", (normalise_email(email),)
    ).fetchone()
    return None if row is None else str(row[0])
