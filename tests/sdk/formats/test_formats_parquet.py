"""Parquet writer and the JSON Schema to Arrow mapping."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from synthdata_sdk.errors import RequestError
from synthdata_sdk.formats import arrow_schema, to_arrow, write_dataset

pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")

GEO = pa.struct([pa.field("lat", pa.float64()), pa.field("lon", pa.float64())])
ADDRESS = pa.struct([pa.field("city", pa.string()), pa.field("geo", GEO)])


def test_schema_mapping(schema: dict[str, Any]) -> None:
    assert arrow_schema(schema) == pa.schema(
        [
            pa.field("id", pa.int64(), nullable=False),
            pa.field("name", pa.string(), nullable=False),
            pa.field("score", pa.float64()),
            pa.field("active", pa.bool_(), nullable=False),
            pa.field("born", pa.string()),
            pa.field("status", pa.string()),
            pa.field("address", ADDRESS),
            pa.field("tags", pa.list_(pa.string())),
            pa.field("choice", pa.string()),
            pa.field("extra", pa.string()),
        ]
    )


def test_array_and_mixed_mapping() -> None:
    schema = {
        "type": "object",
        "properties": {
            "ints": {"type": "array", "items": {"type": "integer"}},
            "objs": {
                "type": "array",
                "items": {"type": "object", "properties": {"a": {"type": "boolean"}}},
            },
            "grid": {"type": "array", "items": {"type": "array", "items": {"type": "number"}}},
            "tuple": {"type": "array", "prefixItems": [{"type": "integer"}], "items": False},
            "pair": {"type": "array", "prefixItems": [{"type": "integer"}, {"type": "string"}]},
            "anything": {"type": "array"},
            "num_or_int": {"type": ["integer", "number"]},
            "open": {"type": "object"},
            "const": {"const": 3},
        },
    }
    assert arrow_schema(schema) == pa.schema(
        [
            pa.field("ints", pa.list_(pa.int64())),
            pa.field("objs", pa.list_(pa.struct([pa.field("a", pa.bool_())]))),
            pa.field("grid", pa.list_(pa.list_(pa.float64()))),
            pa.field("tuple", pa.list_(pa.int64())),
            pa.field("pair", pa.list_(pa.string())),
            pa.field("anything", pa.list_(pa.string())),
            pa.field("num_or_int", pa.float64()),
            pa.field("open", pa.string()),
            pa.field("const", pa.int64()),
        ]
    )


def test_parquet_round_trip(tmp_path: Path, schema: dict[str, Any], records: list[Any]) -> None:
    target = write_dataset([records[:1], records[1:]], tmp_path / "o.parquet", schema=schema)
    table = pq.read_table(target)
    assert table.schema == arrow_schema(schema)
    rows = table.to_pylist()
    for row, record in zip(rows, records, strict=True):
        for key in ("id", "name", "score", "active", "born", "status", "address", "tags"):
            assert row[key] == record[key], key
        # Mixed and untyped values are JSON text, nulls stay null.
        assert json.loads(row["choice"]) == record["choice"]
        if record["extra"] is None:
            assert row["extra"] is None
        else:
            assert json.loads(row["extra"]) == record["extra"]
    assert rows[2]["address"] == {"city": "日本", "geo": None}


def test_nested_nulls_and_missing_keys(tmp_path: Path) -> None:
    schema = {
        "type": "object",
        "properties": {
            "o": {
                "type": ["object", "null"],
                "properties": {
                    "a": {"type": "integer"},
                    "l": {"type": ["array", "null"], "items": {"type": ["string", "null"]}},
                },
            },
            "mixed": {"type": "array", "items": {}},
        },
    }
    records: list[dict[str, Any]] = [
        {"o": None, "mixed": None},
        {"o": {"a": 1.0}, "mixed": [1, "1", None, {"x": True}]},
        {"o": {"a": None, "l": ["x", None]}},
    ]
    rows = pq.read_table(
        write_dataset([records], tmp_path / "o.parquet", schema=schema)
    ).to_pylist()
    assert rows == [
        {"o": None, "mixed": None},
        {"o": {"a": 1, "l": None}, "mixed": ["1", '"1"', None, '{"x":true}']},
        {"o": {"a": None, "l": ["x", None]}, "mixed": None},
    ]


def test_small_chunks_merge_into_row_groups(tmp_path: Path) -> None:
    schema = {"type": "object", "properties": {"n": {"type": "integer"}}}
    chunks = ([{"n": i} for i in range(s, s + 1000)] for s in range(0, 25_000, 1000))
    target = write_dataset(chunks, tmp_path / "o.parquet", schema=schema)
    metadata = pq.ParquetFile(target).metadata
    assert metadata.num_rows == 25_000
    assert [metadata.row_group(i).num_rows for i in range(metadata.num_row_groups)] == [
        10_000,
        10_000,
        5_000,
    ]
    assert pq.read_table(target).column("n").to_pylist() == list(range(25_000))


def test_large_chunks_are_one_row_group_each(tmp_path: Path) -> None:
    schema = {"type": "object", "properties": {"n": {"type": "integer"}}}
    chunks = [[{"n": i} for i in range(12_000)], [{"n": 1}] * 11_000]
    metadata = pq.ParquetFile(write_dataset(chunks, tmp_path / "o.parquet", schema=schema)).metadata
    assert [metadata.row_group(i).num_rows for i in range(metadata.num_row_groups)] == [
        12_000,
        11_000,
    ]


def test_empty_dataset_keeps_the_schema(tmp_path: Path, schema: dict[str, Any]) -> None:
    table = pq.read_table(write_dataset([[], []], tmp_path / "o.parquet", schema=schema))
    assert table.num_rows == 0
    assert table.schema == arrow_schema(schema)


def test_values_not_matching_the_schema_name_the_column(tmp_path: Path) -> None:
    schema = {"type": "object", "properties": {"n": {"type": "integer"}}}
    with pytest.raises(RequestError, match="column 'n' cannot be stored as int64"):
        write_dataset([[{"n": "seven"}]], tmp_path / "o.parquet", schema=schema)
    with pytest.raises(RequestError, match="column 'n'"):
        write_dataset([[{"n": 2**64}]], tmp_path / "o.parquet", schema=schema)
    assert list(tmp_path.iterdir()) == []


def test_required_column_without_value(tmp_path: Path) -> None:
    schema = {"type": "object", "properties": {"n": {"type": "integer"}}, "required": ["n"]}
    with pytest.raises(RequestError, match="'n' is required"):
        write_dataset([[{"n": 1}, {}]], tmp_path / "o.parquet", schema=schema)


def test_to_arrow_accepts_records_or_chunks(schema: dict[str, Any], records: list[Any]) -> None:
    from_records = to_arrow(records, schema)
    from_chunks = to_arrow(iter([records[:1], [], records[1:]]), schema)
    assert from_records.schema == arrow_schema(schema)
    assert from_records.equals(from_chunks)
    assert from_records.column("address").to_pylist() == [r["address"] for r in records]
    assert to_arrow([], schema).num_rows == 0


def test_to_arrow_rejects_non_object_schema() -> None:
    with pytest.raises(RequestError, match="expected an object schema"):
        to_arrow([], {"type": "string"})
