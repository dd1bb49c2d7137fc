"""JSON and JSON Lines writers."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from synthdata_sdk.errors import RequestError
from synthdata_sdk.formats import write_dataset


def test_json_round_trip(tmp_path: Path, schema: dict[str, Any], records: list[Any]) -> None:
    target = write_dataset([records[:2], [], records[2:]], tmp_path / "out.json", schema=schema)
    text = target.read_text(encoding="utf-8")
    assert json.loads(text) == records
    assert text.startswith("[{") and text.endswith("}]")
    assert text.count(",\n{") == len(records) - 1


def test_json_is_utf8_without_ascii_escapes(tmp_path: Path, schema: dict[str, Any]) -> None:
    target = write_dataset([[{"name": "Zoë 日本"}]], tmp_path / "out.json", schema=schema)
    assert target.read_bytes() == '[{"name":"Zoë 日本"}]'.encode()


def test_json_keeps_record_key_order(tmp_path: Path, schema: dict[str, Any]) -> None:
    record = {"z": 1, "a": {"y": 2, "b": 3}, "m": None}
    target = write_dataset([[record]], tmp_path / "out.json", schema=schema)
    loaded = json.loads(target.read_text(encoding="utf-8"))
    assert list(loaded[0]) == ["z", "a", "m"]
    assert list(loaded[0]["a"]) == ["y", "b"]


@pytest.mark.parametrize("chunks", [[], [[]], [[], []]])
def test_empty_json_is_empty_array(
    tmp_path: Path, schema: dict[str, Any], chunks: list[list[Any]]
) -> None:
    assert (tmp_path / "e.json").exists() is False
    target = write_dataset(chunks, tmp_path / "e.json", schema=schema)
    assert target.read_text(encoding="utf-8") == "[]"


def test_jsonl_round_trip(tmp_path: Path, schema: dict[str, Any], records: list[Any]) -> None:
    target = write_dataset([records[:1], records[1:]], tmp_path / "out.jsonl", schema=schema)
    lines = target.read_text(encoding="utf-8").split("\n")
    assert lines[-1] == ""
    assert [json.loads(line) for line in lines[:-1]] == records
    # Compact JSON, one object per physical line (newlines inside strings are escaped).
    for line, record in zip(lines, records, strict=False):
        assert line == json.dumps(record, ensure_ascii=False, separators=(",", ":"))


def test_ndjson_suffix_writes_jsonl(tmp_path: Path, schema: dict[str, Any]) -> None:
    target = write_dataset([[{"a": 1}, {"a": 2}]], tmp_path / "out.ndjson", schema=schema)
    assert target.read_text(encoding="utf-8") == '{"a":1}\n{"a":2}\n'


def test_empty_jsonl_is_empty_file(tmp_path: Path, schema: dict[str, Any]) -> None:
    assert write_dataset([], tmp_path / "e.jsonl", schema=schema).read_bytes() == b""


@pytest.mark.parametrize("suffix", ["json", "jsonl"])
def test_many_chunks_stream(tmp_path: Path, schema: dict[str, Any], suffix: str) -> None:
    def chunks() -> Any:
        for start in range(0, 20_000, 97):
            yield [{"id": i, "name": f"n{i}"} for i in range(start, min(start + 97, 20_000))]

    target = write_dataset(chunks(), tmp_path / f"out.{suffix}", schema=schema)
    text = target.read_text(encoding="utf-8")
    loaded = json.loads(text) if suffix == "json" else [json.loads(x) for x in text.splitlines()]
    assert loaded == [{"id": i, "name": f"n{i}"} for i in range(20_000)]


@pytest.mark.parametrize("suffix", ["json", "jsonl"])
@pytest.mark.parametrize("bad", [float("nan"), float("inf"), object()])
def test_unwritable_values_are_request_errors(
    tmp_path: Path, schema: dict[str, Any], suffix: str, bad: Any
) -> None:
    with pytest.raises(RequestError, match="cannot be written as JSON"):
        write_dataset([[{"score": bad}]], tmp_path / f"out.{suffix}", schema=schema)
    assert list(tmp_path.iterdir()) == []
