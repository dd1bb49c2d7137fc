"""Reading a table set: the names it accepts and how the work grows with the number of tables."""

from __future__ import annotations

from typing import Any

import pytest

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
