"""Data files with more columns per record than ``SYNTHDATA_MAX_COLUMNS`` are a ReadError
before the scanner or the quality metrics keep state for each column."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from synthdata_sdk.limits import COLUMNS
from synthdata_sdk.quality.readers import ReadError, iter_tables
from synthdata_sdk.quality.scan_files import scan_paths


def read_all(path: Path) -> list[Any]:
    return [record for table in iter_tables(path) for record in table.records]


@pytest.fixture
def limit(monkeypatch: pytest.MonkeyPatch) -> int:
    monkeypatch.setenv(COLUMNS.setting, "50")
    return 50


def test_a_csv_header_wider_than_the_limit(tmp_path: Path, limit: int) -> None:
    path = tmp_path / "wide.csv"
    path.write_text(",".join(f"c{i}" for i in range(limit + 1)) + "\n" + "x\n")
    with pytest.raises(ReadError, match=r"the header has 51 columns.*SYNTHDATA_MAX_COLUMNS"):
        read_all(path)


def test_a_csv_row_wider_than_the_limit(tmp_path: Path, limit: int) -> None:
    path = tmp_path / "ragged.csv"
    path.write_text("a,b\n1,2\n" + ",".join("x" * 1 for _ in range(limit + 1)) + "\n")
    with pytest.raises(ReadError, match="record 2 has 51 columns"):
        read_all(path)


def test_csv_at_the_limit_is_read(tmp_path: Path, limit: int) -> None:
    path = tmp_path / "ok.csv"
    path.write_text(",".join(f"c{i}" for i in range(limit)) + "\n" + ",".join("1" * limit) + "\n")
    assert len(read_all(path)[0]) == limit


def test_jsonl_and_json_records_count_keys_at_every_depth(tmp_path: Path, limit: int) -> None:
    nested = {"a": {f"k{i}": i for i in range(limit)}}  # 51 keys in all
    jsonl = tmp_path / "wide.jsonl"
    jsonl.write_text(json.dumps({"ok": 1}) + "\n" + json.dumps(nested) + "\n")
    with pytest.raises(ReadError, match="line 2 has too many fields"):
        read_all(jsonl)
    document = tmp_path / "wide.json"
    document.write_text(json.dumps([{"ok": 1}, nested]))
    with pytest.raises(ReadError, match="record 1 has too many fields"):
        read_all(document)
    fine = tmp_path / "fine.json"
    fine.write_text(json.dumps([{"a": {f"k{i}": i for i in range(limit - 1)}}]))
    assert len(read_all(fine)) == 1


def test_a_scan_reports_the_wide_file_and_goes_on(tmp_path: Path, limit: int) -> None:
    (tmp_path / "a_wide.csv").write_text(",".join(f"c{i}" for i in range(limit + 1)) + "\n")
    (tmp_path / "b_fine.csv").write_text("name\nx\n")
    report = scan_paths([str(tmp_path)])
    assert len(report.errors) == 1
    assert "column count limit" in str(report.errors[0])
