"""``quality.readers``: every format read back from SDK-written files, the directory walk,
and every kind of bad input as a ``ReadError`` naming the file and the problem."""

from __future__ import annotations

import csv
import datetime as dt
import json
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from synthdata_sdk import SynthDataClient
from synthdata_sdk.errors import RequestError, SynthDataError
from synthdata_sdk.quality import readers
from synthdata_sdk.quality.readers import (
    ReadError,
    TableInput,
    csv_record_lines,
    data_files,
    iter_tables,
    table_file,
)
from synthdata_sdk.quality.scan_files import scan_paths

pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")

ROWS = 25


def tables(path: Path | str) -> list[TableInput]:
    return list(iter_tables(path))


def only(path: Path | str) -> list[Any]:
    (table,) = tables(path)
    return list(table.records)


def read_error(path: Path | str) -> str:
    """The message of the ReadError reading every record of ``path`` raises."""
    with pytest.raises(ReadError) as caught:
        for table in iter_tables(path):
            list(table.records)
    return str(caught.value)


# --- round trips of SDK-written files ------------------------------------------------------


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("written")
    client = SynthDataClient()
    for fmt in ("csv", "json", "jsonl", "parquet"):
        client.write("customer", folder / f"customer.{fmt}", rows=ROWS, seed=5)
        client.write("order", folder / f"order.{fmt}", rows=ROWS, seed=5)
    return folder


@pytest.mark.parametrize("fmt", ["json", "jsonl", "parquet"])
def test_json_jsonl_and_parquet_give_back_the_generated_records(written: Path, fmt: str) -> None:
    expected = SynthDataClient().generate("customer", rows=ROWS, seed=5).records
    assert only(written / f"customer.{fmt}") == expected


@pytest.mark.parametrize("fmt", ["json", "jsonl"])
def test_nested_records_round_trip(written: Path, fmt: str) -> None:
    expected = SynthDataClient().generate("order", rows=ROWS, seed=5).records
    records = only(written / f"order.{fmt}")
    assert json.loads(json.dumps(records)) == json.loads(json.dumps(expected))


def test_parquet_keeps_nested_values(written: Path) -> None:
    records = only(written / "order.parquet")
    expected = SynthDataClient().generate("order", rows=ROWS, seed=5).records
    assert [r["order_id"] for r in records] == [r["order_id"] for r in expected]
    assert records[0]["shipping_address"]["city"] == expected[0]["shipping_address"]["city"]
    assert isinstance(records[0]["items"], list)


@pytest.mark.parametrize("template", ["customer", "order"])
def test_csv_reads_as_dictreader_does_with_string_values(written: Path, template: str) -> None:
    path = written / f"{template}.csv"
    with path.open(newline="", encoding="utf-8") as stream:
        expected = list(csv.DictReader(stream))
    records = only(path)
    assert records == expected
    assert len(records) == ROWS
    assert all(isinstance(v, str) for r in records for v in r.values())


def test_table_names_and_sizes(written: Path) -> None:
    path = written / "customer.jsonl"
    (table,) = tables(path)
    assert table.name == str(path)
    assert table.size == path.stat().st_size
    (table,) = tables(str(path))
    assert table.name == str(path)


def test_records_are_lazy_and_can_be_read_again(tmp_path: Path) -> None:
    path = tmp_path / "a.jsonl"
    path.write_text('{"a": 1}\n{"a": 2}\n', encoding="utf-8")
    (table,) = tables(path)
    path.write_text('{"a": 3}\n', encoding="utf-8")  # read on iteration, not before
    assert list(table.records) == [{"a": 3}]
    assert list(table.records) == [{"a": 3}]


# --- format details -------------------------------------------------------------------------


def test_json_array_object_and_object_of_tables(tmp_path: Path) -> None:
    (tmp_path / "array.json").write_text('[{"a": 1}, {"a": 2}]', encoding="utf-8")
    (tmp_path / "one.json").write_text('{"a": 1, "tags": ["x"]}', encoding="utf-8")
    (tmp_path / "scalar.json").write_text('"just text"', encoding="utf-8")
    many = {"users": [{"id": 1}, {"id": 2}], "orders": [{"user_id": 1}], "empty": []}
    (tmp_path / "many.json").write_text(json.dumps(many), encoding="utf-8")
    assert only(tmp_path / "array.json") == [{"a": 1}, {"a": 2}]
    assert only(tmp_path / "one.json") == [{"a": 1, "tags": ["x"]}]
    assert only(tmp_path / "scalar.json") == ["just text"]
    found = tables(tmp_path / "many.json")
    base = str(tmp_path / "many.json")
    assert [t.name for t in found] == [f"{base}#users", f"{base}#orders", f"{base}#empty"]
    assert [list(t.records) for t in found] == [many["users"], many["orders"], []]
    assert {table_file(t.name) for t in found} == {base}


def test_csv_bom_ragged_rows_blank_lines_and_quoted_newlines(tmp_path: Path) -> None:
    path = tmp_path / "data.csv"
    path.write_bytes(
        b'\xef\xbb\xbfid,name,note\r\n1,Ann,"two\nlines"\r\n\r\n2,Bob\r\n3,Cy,x,extra,more\r\n'
    )
    assert only(path) == [
        {"id": "1", "name": "Ann", "note": "two\nlines"},
        {"id": "2", "name": "Bob", "note": None},
        {"id": "3", "name": "Cy", "note": "x", readers.EXTRA_KEY: ["extra", "more"]},
    ]
    assert csv_record_lines(str(path), {0, 1, 2, 9}) == {0: 2, 1: 5, 2: 6}


def test_an_empty_csv_has_no_records(tmp_path: Path) -> None:
    (tmp_path / "empty.csv").write_bytes(b"")
    (tmp_path / "header.csv").write_bytes(b"a,b\n")
    assert only(tmp_path / "empty.csv") == []
    assert only(tmp_path / "header.csv") == []


def test_jsonl_blank_lines_keep_rows_as_line_indexes(tmp_path: Path) -> None:
    path = tmp_path / "events.ndjson"
    path.write_bytes(b'{"a": 1}\n\n  \r\n{"a": 2}\r\n"text"\n')
    assert only(path) == [{"a": 1}, None, None, {"a": 2}, "text"]


def test_parquet_dates_decimals_and_batches(tmp_path: Path) -> None:
    rows = readers.PARQUET_BATCH_ROWS + 5
    table = pa.table(
        {
            "n": pa.array(range(rows), type=pa.int64()),
            "born": pa.array([dt.date(2000, 1, 2)] * rows, type=pa.date32()),
            "at": pa.array([dt.datetime(2020, 5, 6, 7, 8, 9)] * rows, type=pa.timestamp("s")),
            "price": pa.array([Decimal("12.50")] * rows, type=pa.decimal128(10, 2)),
            "whole": pa.array([Decimal("4111111111111111")] * rows, type=pa.decimal128(19, 0)),
        }
    )
    path = tmp_path / "typed.parquet"
    pq.write_table(table, path)
    records = only(path)
    assert len(records) == rows
    assert [r["n"] for r in records] == list(range(rows))
    assert records[-1] == {
        "n": rows - 1,
        "born": "2000-01-02",
        "at": "2020-05-06T07:08:09",
        "price": 12.5,
        "whole": 4111111111111111,
    }


# --- the directory walk ---------------------------------------------------------------------


def test_directories_are_walked_in_sorted_order_skipping_what_is_not_data(
    tmp_path: Path,
) -> None:
    files = [
        "b.csv",
        "a.JSON",
        "a/z.jsonl",
        "a/deep/y.parquet",
        "c.ndjson",
        "notes.txt",
        "README",
        ".hidden.csv",
        ".secret/x.csv",
        ".git/x.csv",
        "node_modules/x.csv",
        ".venv/x.csv",
        "__pycache__/x.csv",
    ]
    for name in files:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("", encoding="utf-8")
    walked = [Path(p).relative_to(tmp_path).as_posix() for p in data_files(str(tmp_path))]
    assert walked == ["a/deep/y.parquet", "a/z.jsonl", "a.JSON", "b.csv", "c.ndjson"]
    names = [t.name for t in tables(tmp_path)]
    assert names == [str(tmp_path / p) for p in walked]


@pytest.mark.skipif(sys.platform == "win32", reason="symlinks need privileges on Windows")
def test_the_walk_follows_no_symlinked_file(tmp_path: Path) -> None:
    outside = tmp_path / "outside.jsonl"
    outside.write_text('{"secret": 1}\n', encoding="utf-8")
    folder = tmp_path / "data"
    folder.mkdir()
    (folder / "orders.jsonl").write_text('{"id": 1}\n', encoding="utf-8")
    (folder / "leak.jsonl").symlink_to(outside)
    (folder / "again.jsonl").symlink_to(folder / "orders.jsonl")
    # before: leak.jsonl was read, a file outside the folder the user named
    assert [Path(p).name for p in data_files(str(folder))] == ["orders.jsonl"]
    assert [t.name for t in tables(folder)] == [str(folder / "orders.jsonl")]


def test_a_relative_directory_gives_relative_names(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "data" / "sub").mkdir(parents=True)
    (tmp_path / "data" / "sub" / "x.jsonl").write_text("{}\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert [t.name for t in tables("data")] == [str(Path("data", "sub", "x.jsonl"))]
    assert [t.name for t in tables("./data/")] == [str(Path("data", "sub", "x.jsonl"))]


# --- bad input --------------------------------------------------------------------------------


def test_a_missing_path_raises_from_iter_tables(tmp_path: Path) -> None:
    missing = tmp_path / "nope.csv"
    with pytest.raises(ReadError, match="no such file or directory") as caught:
        next(iter_tables(missing))
    assert str(missing) in str(caught.value)
    assert isinstance(caught.value, SynthDataError)


def test_a_file_of_another_type_given_explicitly_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("hello", encoding="utf-8")
    with pytest.raises(ReadError, match=r"notes\.txt: unsupported file type"):
        next(iter_tables(path))


def test_an_unreadable_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "locked.csv"
    path.write_text("a\n1\n", encoding="utf-8")
    real_open = Path.open

    def guarded(self: Path, *args: Any, **kwargs: Any) -> Any:
        if self == path:
            raise PermissionError(13, "Permission denied", str(self))
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", guarded)
    assert read_error(path) == f"{path}: cannot read: permission denied"


def test_wrong_encoding_names_the_byte_offset(tmp_path: Path) -> None:
    path = tmp_path / "latin1.csv"
    path.write_bytes("name,city\nAnn,Paris\nBob,Köln\n".encode("latin-1"))
    offset = len(b"name,city\nAnn,Paris\nBob,K")
    message = read_error(path)
    assert message.startswith(f"{path}: not UTF-8: byte 0xf6 at byte offset {offset} (line 3)")


def test_wrong_encoding_in_json_names_the_byte_offset(tmp_path: Path) -> None:
    path = tmp_path / "latin1.json"
    path.write_bytes(b'\xef\xbb\xbf[{"city": "K\xf6ln"}]')
    offset = path.read_bytes().index(b"\xf6")
    assert f"{path}: not UTF-8: byte 0xf6 at byte offset {offset} cannot" in read_error(path)


def test_utf16_text_is_named(tmp_path: Path) -> None:
    path = tmp_path / "wide.jsonl"
    path.write_bytes('{"a": 1}\n'.encode("utf-16"))
    assert read_error(path) == f"{path}: UTF-16 text (expected UTF-8)"


@pytest.mark.parametrize(
    ("name", "content", "offset"),
    [
        ("image.csv", b"a,b\n1,2\n\x89PNG\x00\x00\x01", 12),
        ("blob.jsonl", b'{"a": 1}\n\x00\x01\x02', 9),
        ("blob.json", b'[{"a": "\x00"}]', 8),
    ],
)
def test_binary_files_are_named(tmp_path: Path, name: str, content: bytes, offset: int) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    message = read_error(path)
    assert message.startswith(f"{path}: binary file: NUL byte at byte offset {offset}")


def test_json_syntax_error_gives_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "broken.json"
    path.write_text('[\n  {"a": 1},\n  {"a": 2,,}\n]\n', encoding="utf-8")
    assert read_error(path).startswith(f"{path}: invalid JSON at line 3 column 11:")


def test_a_jsonl_line_that_is_not_json_after_good_rows(tmp_path: Path) -> None:
    path = tmp_path / "events.jsonl"
    path.write_text('{"a": 1}\n{"a": 2}\n{"a": \n{"a": 4}\n', encoding="utf-8")
    (table,) = tables(path)
    seen: list[Any] = []
    with pytest.raises(ReadError) as caught:
        for record in table.records:
            seen.append(record)
    assert seen == [{"a": 1}, {"a": 2}]
    assert str(caught.value).startswith(f"{path}: line 3 is not JSON:")


def test_a_jsonl_line_over_the_cap_is_refused_without_reading_it_whole(tmp_path: Path) -> None:
    path = tmp_path / "huge.jsonl"
    with path.open("wb") as stream:
        stream.write(b'{"a": 1}\n{"a": "')
        stream.write(b"x" * (readers.MAX_RECORD_BYTES + 10))
        stream.write(b'"}\n')
    (table,) = tables(path)
    records = iter(table.records)
    assert next(records) == {"a": 1}
    with pytest.raises(ReadError, match=r"line 2 makes a record longer than 16 MiB"):
        next(records)


def test_a_csv_record_over_the_cap_across_lines(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(readers, "MAX_RECORD_BYTES", 64)
    path = tmp_path / "long.csv"
    many_lines = "\n".join(["0123456789"] * 10)
    path.write_text(f'a,b\n1,short\n2,"{many_lines}"\n', encoding="utf-8")
    (table,) = tables(path)
    records = iter(table.records)
    assert next(records) == {"a": "1", "b": "short"}
    with pytest.raises(ReadError, match=r"long\.csv: line \d+ makes a record longer than"):
        next(records)


def test_a_csv_field_above_the_default_csv_limit_is_fine(tmp_path: Path) -> None:
    path = tmp_path / "wide.csv"
    path.write_text("a,b\n1," + "y" * 200_000 + "\n", encoding="utf-8")
    before = csv.field_size_limit()
    assert only(path) == [{"a": "1", "b": "y" * 200_000}]
    assert csv.field_size_limit() == before  # the process-wide limit is restored


def test_a_json_document_over_the_cap(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(readers, "MAX_DOCUMENT_BYTES", 10)
    path = tmp_path / "big.json"
    path.write_text('[{"a": 1}, {"a": 2}]', encoding="utf-8")
    assert "expected JSON Lines for large data" in read_error(path)


def test_a_parquet_file_that_is_not_parquet(tmp_path: Path) -> None:
    path = tmp_path / "fake.parquet"
    path.write_text("id,name\n1,Ann\n" * 10, encoding="utf-8")
    assert read_error(path).startswith(f"{path}: not a readable Parquet file:")


def test_parquet_without_pyarrow_says_how_to_install_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "data.parquet"
    pq.write_table(pa.table({"a": [1]}), path)
    monkeypatch.setitem(sys.modules, "pyarrow", None)
    monkeypatch.setitem(sys.modules, "pyarrow.parquet", None)
    assert read_error(path) == (
        f"{path}: reading Parquet needs pyarrow: pip install 'synthdata[parquet]'"
    )


def test_a_directory_that_cannot_be_listed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "ok.jsonl").write_text("{}\n", encoding="utf-8")
    (tmp_path / "private").mkdir()
    real_scandir = readers.os.scandir

    def scandir(path: Any) -> Any:
        if Path(path).name == "private":
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(readers.os, "scandir", scandir)
    found = tables(tmp_path)
    assert [t.name for t in found] == [str(tmp_path / "ok.jsonl"), str(tmp_path / "private")]
    with pytest.raises(ReadError, match="private: cannot list directory: permission denied"):
        list(found[1].records)
    with pytest.raises(ReadError, match="cannot list directory"):
        next(iter_tables(tmp_path / "private"))


# --- scan_paths over good and bad files -------------------------------------------------------


def write_mixed_directory(folder: Path) -> dict[str, str]:
    """One good file with a planted e-mail address and one file per kind of bad input."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "good.csv").write_text(
        "id,email\n1,ann@example.com\n2,jane.doe@gmail.com\n", encoding="utf-8"
    )
    bad = {
        "binary.csv": b"a\n\x00\x00",
        "latin1.jsonl": '{"city": "Köln"}\n'.encode("latin-1"),
        "syntax.json": b'[{"a": 1]',
        "fake.parquet": b"PAR1 but not really",
        "broken.jsonl": b'{"email": "jane.doe@gmail.com"}\nnot json\n',
    }
    for name, content in bad.items():
        (folder / name).write_bytes(content)
    return {
        "binary.csv": "binary file",
        "latin1.jsonl": "not UTF-8",
        "syntax.json": "invalid JSON",
        "fake.parquet": "not a readable Parquet file",
        "broken.jsonl": "line 2 is not JSON",
    }


def test_scan_paths_scans_the_good_file_and_reports_each_bad_one(tmp_path: Path) -> None:
    problems = write_mixed_directory(tmp_path / "mixed")
    report = scan_paths([tmp_path / "mixed"], "gdpr")
    sources = {Path(e.source).name: e.message for e in report.errors}
    assert set(sources) == set(problems)
    for name, problem in problems.items():
        assert problem in sources[name]
        assert name in sources[name]
    found = sorted((Path(v.table).name, v.row, v.path) for v in report.violations)
    # the rows read before broken.jsonl's bad line are scanned too
    assert found == [("broken.jsonl", 0, "email"), ("good.csv", 1, "email")]
    assert not report.clean


def test_scan_paths_reports_a_missing_path_and_goes_on(tmp_path: Path) -> None:
    (tmp_path / "ok.jsonl").write_text('{"email": "ann@example.com"}\n', encoding="utf-8")
    missing = tmp_path / "missing.csv"
    report = scan_paths([missing, tmp_path / "ok.jsonl"], ["pci_dss", "gdpr"])
    assert report.profiles == ("gdpr", "pci_dss")
    assert [(e.source, e.message) for e in report.errors] == [
        (str(missing), f"{missing}: no such file or directory")
    ]
    assert report.rows == 1
    assert report.bytes_scanned == (tmp_path / "ok.jsonl").stat().st_size
    assert not report.violations


def test_scan_paths_refuses_an_unknown_profile_before_reading(tmp_path: Path) -> None:
    with pytest.raises(RequestError, match="unknown compliance profile 'sox'"):
        scan_paths([tmp_path / "missing.csv"], "gdpr,sox")


def test_scan_paths_reports_progress_per_file(tmp_path: Path) -> None:
    for name in ("a.jsonl", "b.jsonl", "c/d.jsonl"):
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_text("{}\n", encoding="utf-8")
    calls: list[tuple[int, int]] = []
    report = scan_paths(
        [tmp_path, tmp_path / "a.jsonl"], "gdpr", progress=lambda *a: calls.append(a)
    )
    assert calls == [(1, 4), (2, 4), (3, 4), (4, 4)]
    assert report.rows == 4
    assert len(report.tables) == 4
