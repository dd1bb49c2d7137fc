"""Quality measured on CSV files reads each cell as the value the schema declares."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from synthdata_sdk import SynthDataClient
from synthdata_sdk.quality.metrics import measure_quality
from synthdata_sdk.quality.readers import iter_tables
from synthdata_sdk.schema.templates import list_templates, load_bundle

MIXED: dict[str, Any] = {
    "type": "object",
    "properties": {
        "id": {"type": "integer", "minimum": 1},
        "price": {"type": "number", "minimum": 0, "maximum": 100},
        "active": {"type": "boolean"},
        "parent": {"type": ["integer", "null"], "minimum": 1},
        "note": {"type": ["string", "null"], "minLength": 2, "maxLength": 5},
        "tags": {"type": "array", "items": {"type": "string"}, "maxItems": 3},
        "address": {
            "type": ["object", "null"],
            "properties": {"zip": {"type": "integer"}, "city": {"type": "string"}},
            "required": ["zip", "city"],
        },
    },
    "required": ["id", "price", "active", "parent", "note", "tags", "address"],
}


def _csv_validity(tmp_path: Path, source: Any, rows: int = 200) -> float | None:
    SynthDataClient().write(source, tmp_path / "out.csv", rows=rows, seed=3)
    (table,) = iter_tables(tmp_path / "out.csv")
    report = measure_quality({"out": table.records}, tables={"out": source})
    return report.summary()["validity_rate"]


@pytest.mark.parametrize("template", list_templates())
def test_a_template_written_as_csv_is_valid_against_its_schema(
    tmp_path: Path, template: str
) -> None:
    # before: cells were measured as text, so every number column failed 'type' (an order
    # file scored 0% valid, a table set with an integer id 26%)
    assert _csv_validity(tmp_path, template) == 1.0


def test_numbers_booleans_nulls_arrays_and_nested_objects_read_back(tmp_path: Path) -> None:
    assert _csv_validity(tmp_path, MIXED, rows=300) == 1.0


def test_a_cell_that_is_not_its_columns_type_stays_invalid(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(
        "id,price,active,parent,note,tags,address.zip,address.city\n"
        "1,2.5,true,,ab,[],,\n"
        "x,2.5,true,,ab,[],,\n"
        '3,2.5,yes,,ab,"[""a""]",10115,Berlin\n',
        encoding="utf-8",
    )
    (table,) = iter_tables(path)
    report = measure_quality({"bad": table.records}, tables={"bad": MIXED})
    assert report.tables[0].valid_rows == 1
    assert [(e.row, e.path) for e in report.schema_errors] == [(1, "/id"), (2, "/active")]


def test_a_table_set_written_as_csv_is_valid_against_its_schemas(tmp_path: Path) -> None:
    SynthDataClient().write("retail", tmp_path / "out", rows=20, seed=3, format="csv")
    schemas = load_bundle("retail")["tables"]
    tables = {Path(t.name).stem: t.records for t in iter_tables(tmp_path / "out")}
    report = measure_quality(tables, tables=schemas)
    assert report.summary()["validity_rate"] == 1.0
    assert report.summary()["referential_integrity_rate"] == 1.0
