"""CSV writer and schema-driven column flattening."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from synthdata_sdk.errors import RequestError
from synthdata_sdk.formats import write_dataset
from synthdata_sdk.formats.flatten import cell, column_cells, csv_columns

HEADER = [
    "id",
    "name",
    "score",
    "active",
    "born",
    "status",
    "address.city",
    "address.geo.lat",
    "address.geo.lon",
    "tags",
    "choice",
    "extra",
]


def read_csv(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


def test_columns_come_from_the_schema(schema: dict[str, Any]) -> None:
    columns = csv_columns(schema)
    assert [c.name for c in columns] == HEADER
    assert {c.name for c in columns if c.as_json} == {"tags", "choice", "extra"}
    assert columns[7].path == ("address", "geo", "lat")


def test_csv_round_trip(tmp_path: Path, schema: dict[str, Any], records: list[Any]) -> None:
    target = write_dataset([records[:1], records[1:]], tmp_path / "out.csv", schema=schema)
    rows = read_csv(target)
    assert rows[0] == HEADER
    assert rows[1] == [
        "1",
        'O\'Brien "Bob"',
        "",
        "true",
        "1990-01-02",
        "new",
        "",
        "",
        "",
        "[]",
        '"a"',
        "",
    ]
    assert rows[2] == [
        "2",
        "Zoë\nnew line, comma\\back",
        "0.1",
        "false",
        "2000-12-31",
        "done",
        "Münster",
        "51.96",
        "7.62",
        '["x","y,z"]',
        "7",
        '{"k":[1,2]}',
    ]
    assert rows[3][2] == "-1e+300" and float(rows[3][2]) == -1e300
    assert rows[3][6:9] == ["日本", "", ""]
    assert json.loads(rows[3][10]) == "7"  # the string "7", told apart from the integer 7
    assert len(rows) == 4


def test_null_first_row_keeps_every_column(tmp_path: Path, schema: dict[str, Any]) -> None:
    target = write_dataset([[{"id": 1}], [{"address": None}]], tmp_path / "o.csv", schema=schema)
    rows = read_csv(target)
    assert rows[0] == HEADER
    assert rows[1] == ["1"] + [""] * (len(HEADER) - 1)
    assert rows[2] == [""] * len(HEADER)


def test_empty_dataset_is_header_only(tmp_path: Path, schema: dict[str, Any]) -> None:
    target = write_dataset([], tmp_path / "o.csv", schema=schema)
    assert target.read_bytes() == (",".join(HEADER) + "\r\n").encode()


def test_open_objects_and_arrays_are_json_text(tmp_path: Path) -> None:
    schema = {
        "type": "object",
        "properties": {
            "meta": {"type": "object"},
            "labels": {"type": "object", "properties": {"a": {}}, "additionalProperties": True},
            "pair": {"type": "array", "prefixItems": [{"type": "integer"}, {"type": "string"}]},
            "deep": {
                "type": "object",
                "properties": {"inner": {"type": "object", "properties": {"x": {"const": 1}}}},
            },
        },
    }
    record = {
        "meta": {"k": "v"},
        "labels": {"a": 1, "b": 2},
        "pair": [1, "x"],
        "deep": {"inner": {"x": 1}},
    }
    rows = read_csv(write_dataset([[record]], tmp_path / "o.csv", schema=schema))
    assert rows == [
        ["meta", "labels", "pair", "deep.inner.x"],
        ['{"k":"v"}', '{"a":1,"b":2}', '[1,"x"]', "1"],
    ]


def test_dotted_name_collision_is_an_error(tmp_path: Path) -> None:
    schema = {
        "type": "object",
        "properties": {
            "a.b": {"type": "string"},
            "a": {"type": "object", "properties": {"b": {"type": "string"}}},
        },
    }
    with pytest.raises(RequestError, match=r"'a\.b' occurs twice"):
        write_dataset([], tmp_path / "o.csv", schema=schema)


@pytest.mark.parametrize(
    ("value", "as_json", "expected"),
    [
        (None, False, ""),
        (None, True, ""),
        (True, False, "true"),
        (False, True, "false"),
        (0, False, "0"),
        (2.5, False, "2.5"),
        (1e16, False, "1e+16"),
        ("x", False, "x"),
        ("x", True, '"x"'),
        ([1, None], False, "[1,null]"),
        ({"é": 1}, False, '{"é":1}'),
    ],
)
def test_cell(value: Any, as_json: bool, expected: str) -> None:
    assert cell(value, as_json=as_json) == expected


def test_non_finite_floats_are_rejected() -> None:
    with pytest.raises(RequestError, match="finite"):
        cell(float("nan"))


TEXT_SCHEMA = {
    "type": "object",
    "properties": {
        "s": {"type": "string"},
        "n": {"type": "object", "properties": {"t": {"type": "string"}}},
        "any": {},
    },
}

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(), inner, max_size=3),
    max_leaves=8,
)


@pytest.mark.slow
@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rows=st.lists(st.tuples(st.text(), st.text(), json_values.filter(lambda v: v is not None))))
def test_arbitrary_text_survives_csv(tmp_path: Path, rows: list[tuple[str, str, Any]]) -> None:
    records = [{"s": s, "n": {"t": t}, "any": v} for s, t, v in rows]
    target = write_dataset([records], tmp_path / "h.csv", schema=TEXT_SCHEMA)
    read = read_csv(target)
    assert read[0] == ["s", "n.t", "any"]
    assert [(s, t, json.loads(v)) for s, t, v in read[1:]] == rows


class _Text(str):
    """A ``str`` subclass: written as its text, like any string."""


def _reference_cells(record: Any, column: Any) -> str:
    """One cell the slow way: walk the path, stop at anything that is not a mapping."""
    value = record
    for key in column.path:
        value = value.get(key) if isinstance(value, dict) else None
    return cell(value, as_json=column.as_json)


_leaf = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=4)
    | st.builds(_Text, st.text(max_size=4))
    | st.lists(st.integers(), max_size=2)
)


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_column_cells_match_cell_by_cell_flattening(schema: dict[str, Any], data: Any) -> None:
    columns = csv_columns(schema)
    keys = ["id", "name", "score", "active", "address", "tags", "extra"]
    inner = st.dictionaries(
        st.sampled_from(["city", "geo"]),
        _leaf | st.dictionaries(st.sampled_from(["lat", "lon"]), _leaf, max_size=2),
        max_size=2,
    )
    record = st.dictionaries(st.sampled_from(keys), _leaf | inner, max_size=7)
    records = data.draw(st.lists(record, max_size=6))

    for column in columns:
        assert column_cells(records, column) == [_reference_cells(r, column) for r in records]
