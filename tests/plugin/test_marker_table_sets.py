"""The marker with a table set: ``synthdata.tables``, rows per table, served from the cache."""

from __future__ import annotations

import pytest

from tests.plugin.helpers import entries, summary

TEST_FILE = """
import sqlite3
import pytest

SHOP = {
    "tables": {
        "customers": {
            "type": "object",
            "properties": {"id": {"type": "string", "format": "uuid"}, "name": {"type": "string"}},
            "required": ["id", "name"],
        },
        "orders": {
            "type": "object",
            "x-synthdata": {"per_parent": {"min": 1, "max": 3}},
            "properties": {
                "id": {"type": "integer", "minimum": 1},
                "customer_id": {"type": "string", "x-synthdata": {"ref": "customers.id"}},
            },
            "required": ["id"],
        },
    }
}

@pytest.mark.synthdata(SHOP, rows={"customers": 20}, seed=2)
def test_tables(synthdata, tmp_path):
    customers = {row["id"] for row in synthdata.tables["customers"]}
    orders = synthdata.tables["orders"]
    assert len(customers) == 20 and 20 <= len(orders) <= 60
    assert all(row["customer_id"] in customers for row in orders)
    with pytest.raises(AttributeError, match="dataset.tables"):
        synthdata.records
    with pytest.raises(TypeError):
        synthdata.tables["orders"].append({})
    synthdata.write(tmp_path / "shop.sql")
    db = sqlite3.connect(":memory:")
    db.execute("PRAGMA foreign_keys=ON")
    db.executescript((tmp_path / "shop.sql").read_text())
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []

@pytest.mark.synthdata(SHOP, rows={"customers": 20}, seed=2)
def test_same_set_again(synthdata):
    assert len(synthdata.tables["customers"]) == 20
"""


def test_marker_serves_a_table_set(project: pytest.Pytester) -> None:
    project.makepyfile(TEST_FILE)
    result = project.runpytest("-p", "no:cacheprovider", "--synthdata-cache-dir=cache")
    result.assert_outcomes(passed=2)
    assert len(entries(project.path / "cache")) == 1
    # the second run serves the set from the cache, in mode none
    again = project.runpytest(
        "-p", "no:cacheprovider", "--synthdata-cache-dir=cache", "--synthdata-mode=none"
    )
    again.assert_outcomes(passed=2)
    generated, cached, *_ = summary(again)
    assert generated == 0 and cached == 2


def test_bad_rows_per_table_are_named_at_collection(project: pytest.Pytester) -> None:
    project.makepyfile(
        """
        import pytest

        @pytest.mark.synthdata({"tables": {"t": {"type": "object"}}}, rows={"t": -1})
        def test_bad_rows(synthdata):
            pass
        """
    )
    result = project.runpytest("-p", "no:cacheprovider")
    assert result.ret != 0
    result.stderr.fnmatch_lines(["*rows[[]'t'[]]=-1: expected an integer from 0*"])
