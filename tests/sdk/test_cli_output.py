"""Where the command line writes: ``generate --out``, ``scan --output`` and ``quality --html``
write through devices and FIFOs, refuse other non-regular targets with exit code 2, and name
the path asked for in every error; ``--if-table-exists`` makes SQL output loadable twice."""

from __future__ import annotations

import json
import os
import sqlite3
import stat
from pathlib import Path

import pytest

from tests.sdk.cli_support import Run
from tests.sdk.formats.output_support import (
    FULL_DEVICE,
    NULL_DEVICE,
    fifo_reader,
    files_in,
    is_device,
    make_device,
)

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX devices, FIFOs and links")


def one_line_error(err: str) -> str:
    assert err.startswith("synthdata: error: ") and err.count("\n") == 1, err
    return err


@pytest.fixture
def clean_data(tmp_path: Path) -> Path:
    """A data file with nothing for ``scan`` to find and ``quality`` to measure."""
    path = tmp_path / "data" / "rows.jsonl"
    path.parent.mkdir()
    path.write_text('{"n": 1}\n{"n": 2}\n', encoding="utf-8")
    return path


# --------------------------------------------------------------------------------------------
# generate --out


def test_generate_to_a_device_node_keeps_it(run: Run, tmp_path: Path) -> None:
    # the reproduction: ``mknod ./null c 1 3`` then ``--out ./null``
    null = make_device(tmp_path / "null", NULL_DEVICE)
    code, out, err = run(
        "generate", "customer", "--rows", "5", "--out", str(null), "--format", "csv"
    )
    assert code == 0, err
    assert out == "" and "wrote 5 rows" in err
    assert is_device(null, NULL_DEVICE)
    assert files_in(tmp_path) == ["null"]


def test_generate_to_a_fifo_streams_what_stdout_gets(run: Run, tmp_path: Path) -> None:
    fifo = tmp_path / "rows.csv"
    os.mkfifo(fifo)
    with fifo_reader(fifo) as received:
        code, _, err = run(
            "generate", "customer", "--rows", "30", "--seed", "4", "--out", str(fifo)
        )
    assert code == 0, err
    code, stdout, _ = run("generate", "customer", "--rows", "30", "--seed", "4", "--format", "csv")
    assert received == [stdout.encode("utf-8")]
    assert stat.S_ISFIFO(fifo.lstat().st_mode)


def test_generate_to_a_directory_exits_2_and_keeps_it(run: Run, tmp_path: Path) -> None:
    folder = tmp_path / "out.csv"
    folder.mkdir()
    code, out, err = run("generate", "customer", "--rows", "5", "--out", str(folder))
    assert code == 2 and out == ""
    assert f"cannot write {folder}: it is a directory" in one_line_error(err)
    assert folder.is_dir() and files_in(folder) == []


def test_generate_to_a_link_to_a_file_exits_2_and_keeps_both(run: Run, tmp_path: Path) -> None:
    (tmp_path / "real.csv").write_text("kept\n", encoding="utf-8")
    link = tmp_path / "out.csv"
    link.symlink_to("real.csv")
    code, _, err = run("generate", "customer", "--rows", "5", "--out", str(link))
    assert code == 2
    assert "name the file itself" in one_line_error(err)
    assert link.is_symlink() and (tmp_path / "real.csv").read_text(encoding="utf-8") == "kept\n"


@pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="needs Linux /proc")
def test_generate_where_no_file_can_be_made_names_the_asked_path(run: Run) -> None:
    code, _, err = run("generate", "customer", "--rows", "2", "--out", "/proc/x.csv")
    assert code == 2
    assert "cannot write /proc/x.csv: cannot create a file in /proc" in one_line_error(err)
    assert ".tmp" not in err


def test_generate_to_a_full_device_exits_1_naming_it(run: Run, tmp_path: Path) -> None:
    full = make_device(tmp_path / "full", FULL_DEVICE)
    code, _, err = run(
        "generate", "customer", "--rows", "50", "--out", str(full), "--format", "csv"
    )
    assert code == 1
    assert one_line_error(err).rstrip().endswith(f"No space left on device: {full}")
    assert is_device(full, FULL_DEVICE)


# --------------------------------------------------------------------------------------------
# scan --output, quality --html


def test_scan_report_to_a_device_node_keeps_it(run: Run, tmp_path: Path, clean_data: Path) -> None:
    null = make_device(tmp_path / "null", NULL_DEVICE)
    code, out, err = run("scan", str(clean_data), "--format", "json", "--output", str(null))
    assert code == 0, err
    assert out == "" and is_device(null, NULL_DEVICE)


def test_scan_report_to_a_fifo_is_streamed(run: Run, tmp_path: Path, clean_data: Path) -> None:
    fifo = tmp_path / "report.json"
    os.mkfifo(fifo)
    with fifo_reader(fifo) as received:
        code, _, err = run("scan", str(clean_data), "--format", "json", "--output", str(fifo))
    assert code == 0, err
    assert json.loads(received[0])["violations"] == []
    assert stat.S_ISFIFO(fifo.lstat().st_mode)


def test_scan_report_to_a_directory_exits_2(run: Run, tmp_path: Path, clean_data: Path) -> None:
    folder = tmp_path / "report.sarif"
    folder.mkdir()
    code, _, err = run("scan", str(clean_data), "--output", str(folder))
    assert code == 2
    assert f"cannot write {folder}: it is a directory" in one_line_error(err)


def test_quality_html_to_a_device_node_keeps_it(run: Run, tmp_path: Path, clean_data: Path) -> None:
    null = make_device(tmp_path / "null", NULL_DEVICE)
    code, _, err = run("quality", str(clean_data), "--html", str(null))
    assert code == 0, err
    assert is_device(null, NULL_DEVICE)


def test_quality_html_to_a_dangling_link_exits_2(
    run: Run, tmp_path: Path, clean_data: Path
) -> None:
    link = tmp_path / "report.html"
    link.symlink_to(tmp_path / "nowhere" / "report.html")
    code, _, err = run("quality", str(clean_data), "--html", str(link))
    assert code == 2
    assert "does not exist" in one_line_error(err)
    assert link.is_symlink() and files_in(tmp_path) == ["data", "report.html"]


# --------------------------------------------------------------------------------------------
# --if-table-exists


@pytest.mark.parametrize(("choice", "rows"), [("append", 6), ("replace", 3)])
def test_sql_output_loads_twice(run: Run, tmp_path: Path, choice: str, rows: int) -> None:
    script = tmp_path / "load.sql"
    code, _, err = run(
        "generate", "customer", "--rows", "3", "--out", str(script), "--if-table-exists", choice
    )
    assert code == 0, err
    db = sqlite3.connect(":memory:")
    for _ in range(2):
        db.executescript(script.read_bytes().decode("utf-8"))
    assert db.execute('SELECT count(*) FROM "customer"').fetchone() == (rows,)


def test_sql_to_stdout_honours_if_table_exists(run: Run) -> None:
    code, out, _ = run(
        "generate", "customer", "--rows", "1", "--format", "sql", "--if-table-exists", "append"
    )
    assert code == 0
    assert out.startswith('CREATE TABLE IF NOT EXISTS "customer" (')


def test_unknown_if_table_exists_is_a_usage_error(run: Run) -> None:
    code, _, err = run("generate", "customer", "--format", "sql", "--if-table-exists", "skip")
    assert code == 2
    assert "invalid choice: 'skip'" in one_line_error(err)
