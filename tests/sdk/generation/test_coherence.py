"""Coherent records: the fields of one record agree, over 1,000 rows of every template and of
hand-written schemas that use the same names, and dates fall in the documented window."""

from __future__ import annotations

from typing import Any

import pytest

from synthdata_sdk.generation.engine import chunk_count, generate_chunk
from synthdata_sdk.generation.planner import plan_records

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
