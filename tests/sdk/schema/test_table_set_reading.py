"""Reading a table set: the names it accepts and how the work grows with the number of tables."""

from __future__ import annotations

from typing import Any

import pytest

from synthdata_sdk.errors import SchemaError
from synthdata_sdk.schema.table_set import read_table_set
from tests.sdk.work_bounds import HAS_CPU_TIMER, cpu_budget


def _chain(count: int) -> dict[str, Any]:
    """``count`` tables, each referencing the next one declared (children declared first)."""
    tables: dict[str, Any] = {}
    for i in range(count):
        props: dict[str, Any] = {"id": {"type": "integer"}}
        if i + 1 < count:
            props["parent_id"] = {"type": "integer", "x-synthdata": {"ref": f"t{i + 1}.id"}}
        tables[f"t{i}"] = {"type": "object", "properties": props, "required": ["id"]}
    return {"tables": tables}


@pytest.mark.skipif(not HAS_CPU_TIMER, reason="needs the profiling timer")
def test_many_tables_are_ordered_in_bounded_work() -> None:
    # before: each step of the ordering scanned every table against the list of ordered ones
    # (cubic): 2,000 tables took 100 s; now the same order comes from one pass
    with cpu_budget(30):
        tables = read_table_set(_chain(3000), normalised=True)
    assert tables.order == [f"t{i}" for i in reversed(range(3000))]


def _table() -> dict[str, Any]:
    return {"type": "object", "properties": {"id": {"type": "integer"}}, "required": ["id"]}


def test_names_that_differ_only_in_case_are_refused() -> None:
    # before: accepted, and the SQL script failed to load (sqlite: table "CUSTOMERS" already
    # exists) while CUSTOMERS.csv and customers.csv are one file on macOS and Windows
    with pytest.raises(SchemaError) as raised:
        read_table_set(
            {"tables": {"customers": _table(), "orders": _table(), "CUSTOMERS": _table()}}
        )
    assert raised.value.pointer == "/tables"
    assert "'CUSTOMERS' and 'customers' differ only in case" in str(raised.value)


@pytest.mark.parametrize("name", ["x" * 10_000, "a/b", "", "tâble", "1st"])
def test_a_bad_table_name_is_refused_in_a_short_message_that_states_the_rule(name: str) -> None:
    with pytest.raises(SchemaError) as raised:
        read_table_set({"tables": {name: _table()}})
    message = str(raised.value)
    # before: the whole 10,000-character name was in the message, and the rule said nothing
    # of capitals (accepted) or of the length (63 at most)
    assert len(message) < 300
    assert "at most 63" in message and "A-Z" in message


@pytest.mark.skipif(not HAS_CPU_TIMER, reason="needs the profiling timer")
def test_each_tables_references_are_found_without_scanning_all_of_them() -> None:
    tables = read_table_set(_chain(20_000), normalised=True)
    # before: each look-up scanned every reference of the set, so generating a chain of
    # 4,000 tables spent 4 s here; 20,000 look-ups of 20,000 references took minutes
    with cpu_budget(10):
        found = [tables.references_of(name) for name in tables.order]
        keys = [tables.keys(name) for name in tables.order]
    assert [ref.column for ref in found[-1]] == ["parent_id"] and found[0] == []
    assert keys[0] == ["id"] and keys[-1] == []


@pytest.mark.parametrize("name", ["con", "NUL", "Aux", "com1", "LPT9"])
def test_a_name_windows_keeps_for_a_device_is_refused(name: str) -> None:
    # before: accepted, and on Windows "nul.csv" or "con.json" is a device, not a file of the
    # output folder
    with pytest.raises(SchemaError, match="is a device on Windows"):
        read_table_set({"tables": {name: _table()}})
    assert read_table_set({"tables": {f"{name}s": _table()}}).order == [f"{name}s"]
