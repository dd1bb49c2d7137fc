"""Format selection and argument checking of synthdata_sdk.formats."""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

import pytest

from synthdata_sdk.errors import RequestError, SynthDataError
from synthdata_sdk.formats import FORMATS, format_for_path, make_writer, write_dataset


def test_formats_are_the_five_names() -> None:
    assert FORMATS == ("json", "jsonl", "csv", "sql", "parquet")


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("out.json", "json"),
        ("out.jsonl", "jsonl"),
        ("out.ndjson", "jsonl"),
        ("dir.v2/out.csv", "csv"),
        ("out.SQL", "sql"),
        (Path("a/b.parquet"), "parquet"),
    ],
)
def test_format_for_path(name: str | Path, expected: str) -> None:
    assert format_for_path(name) == expected


def test_unknown_suffix_names_suffix_and_accepted_ones() -> None:
    with pytest.raises(RequestError) as info:
        format_for_path("data.xlsx")
    message = str(info.value)
    assert "'.xlsx'" in message
    for suffix in (".json", ".jsonl", ".ndjson", ".csv", ".sql", ".parquet"):
        assert suffix in message


def test_missing_suffix() -> None:
    with pytest.raises(RequestError, match="no suffix"):
        format_for_path("data")


def test_unknown_format_lists_accepted(tmp_path: Path, schema: dict[str, Any]) -> None:
    with pytest.raises(RequestError) as info:
        write_dataset([], tmp_path / "x.json", schema=schema, format="xml")
    assert "'xml'" in str(info.value)
    assert "json, jsonl, csv, sql, parquet" in str(info.value)
    assert list(tmp_path.iterdir()) == []


def test_explicit_format_overrides_suffix(tmp_path: Path, schema: dict[str, Any]) -> None:
    target = write_dataset([[{"id": 1}]], tmp_path / "x.txt", schema=schema, format="jsonl")
    assert target == tmp_path / "x.txt"
    assert target.read_text(encoding="utf-8") == '{"id":1}\n'


def test_unknown_dialect_lists_accepted(tmp_path: Path, schema: dict[str, Any]) -> None:
    with pytest.raises(RequestError) as info:
        write_dataset([], tmp_path / "x.sql", schema=schema, dialect="oracle")
    assert "'oracle'" in str(info.value)
    assert "postgres, mysql, sqlite" in str(info.value)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize(
    "bad_schema",
    [
        {"type": "array", "items": {"type": "integer"}},
        {"type": "string"},
        {"type": "object", "properties": ["a", "b"]},
        [],
        True,
    ],
)
def test_non_object_schema_is_rejected(tmp_path: Path, fmt: str, bad_schema: Any) -> None:
    with pytest.raises(RequestError, match="expected an object schema"):
        write_dataset([[{"a": 1}]], tmp_path / f"x.{fmt}", schema=bad_schema)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("fmt", ["csv", "sql", "parquet"])
def test_tabular_formats_need_a_column(tmp_path: Path, fmt: str) -> None:
    with pytest.raises(RequestError, match="no properties"):
        write_dataset([], tmp_path / f"x.{fmt}", schema={"type": "object", "properties": {}})


@pytest.mark.parametrize("fmt", ["json", "jsonl"])
def test_record_formats_accept_an_empty_object_schema(tmp_path: Path, fmt: str) -> None:
    target = write_dataset([[{}]], tmp_path / f"x.{fmt}", schema={"type": "object"})
    assert target.read_text(encoding="utf-8").strip() in ("[{}]", "{}")


def test_errors_are_synthdata_errors() -> None:
    assert issubclass(RequestError, SynthDataError)


def test_creates_missing_parent_directories(tmp_path: Path, schema: dict[str, Any]) -> None:
    target = write_dataset([[{"id": 1}]], tmp_path / "a" / "b" / "x.json", schema=schema)
    assert target.read_text(encoding="utf-8") == '[{"id":1}]'


def test_pyarrow_is_optional(
    tmp_path: Path, schema: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    from synthdata_sdk.formats import to_arrow

    # None in sys.modules makes "import pyarrow" raise ImportError, as if it were missing.
    monkeypatch.setitem(sys.modules, "pyarrow", None)
    monkeypatch.setitem(sys.modules, "pyarrow.parquet", None)
    for fmt in ("json", "jsonl", "csv", "sql"):
        write_dataset([[{"id": 1}]], tmp_path / f"x.{fmt}", schema=schema)
    # quoted, so that zsh does not read the brackets as a glob pattern
    hint = re.escape("pip install 'synthdata[parquet]'")
    with pytest.raises(RequestError, match=hint):
        write_dataset([[{"id": 1}]], tmp_path / "x.parquet", schema=schema)
    with pytest.raises(RequestError, match=hint):
        to_arrow([], schema)
    assert not (tmp_path / "x.parquet").exists()


def test_pyarrow_without_parquet_gives_a_quoted_install_hint(
    schema: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    pytest.importorskip("pyarrow")
    monkeypatch.setitem(sys.modules, "pyarrow.parquet", None)
    with pytest.raises(RequestError, match=re.escape("pip install 'synthdata[parquet]'")):
        make_writer("parquet", schema=schema)
