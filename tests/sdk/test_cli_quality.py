"""``synthdata scan`` and ``synthdata quality`` run in-process through ``main``: exit codes,
outputs, progress on a terminal only, and bad input."""

from __future__ import annotations

import json
import re
import sys
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from synthdata_sdk import SynthDataClient
from synthdata_sdk.cli import main
from synthdata_sdk.cli import quality as cli_quality
from synthdata_sdk.quality.profiles import ALL_PROFILES
from synthdata_sdk.schema.templates import list_templates
from tests.sdk.cli_support import FakeTTY

pytest.importorskip("pyarrow")

FORMATS = ("csv", "json", "jsonl", "parquet")


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every template in every format, generated under every compliance profile."""
    folder = tmp_path_factory.mktemp("generated")
    client = SynthDataClient()
    for template in list_templates():
        for fmt in FORMATS:
            client.write(
                template,
                folder / template / f"{template}.{fmt}",
                rows=40,
                seed=11,
                compliance=ALL_PROFILES,
            )
    return folder


def assert_one_line_error(err: str) -> None:
    assert err.startswith("synthdata: error: "), err
    assert err.endswith("\n") and err.count("\n") == 1, err


# --- scan ---------------------------------------------------------------------------------------


def test_a_clean_generated_directory_exits_0(run: Any, generated: Path) -> None:
    code, out, err = run("scan", str(generated))
    assert (code, err) == (0, "")
    (summary,) = out.splitlines()
    files = len(list_templates()) * len(FORMATS)
    assert summary.startswith(f"scanned {files} files, {files * 40:,} rows, ")
    assert ": 0 violations, 0 errors; " in summary


@pytest.mark.parametrize("fmt", ["json", "sarif"])
def test_a_clean_directory_in_json_and_sarif(run: Any, generated: Path, fmt: str) -> None:
    code, out, err = run("scan", str(generated / "customer"), "--format", fmt)
    assert (code, err) == (0, "")
    document = json.loads(out)
    if fmt == "json":
        assert document["clean"] is True
        assert document["rows"] == 160
    else:
        assert document["runs"][0]["results"] == []


def test_violations_exit_1_and_output_goes_to_a_file(run: Any, tmp_path: Path) -> None:
    data = tmp_path / "people.jsonl"
    data.write_text('{"email": "ann@example.com"}\n{"email": "jane.doe@gmail.com"}\n', "utf-8")
    report = tmp_path / "out" / "scan.txt"
    code, out, err = run("scan", str(data), "--profile", "gdpr", "--output", str(report))
    assert (code, out, err) == (1, "", "")
    first, summary = report.read_text(encoding="utf-8").splitlines()
    assert first.startswith(f"{data}:1:email: email: e-mail domain is not reserved")
    assert first.endswith("(j***@gmail.com)")
    assert ": 1 violation, 0 errors; " in summary

    sarif = tmp_path / "scan.sarif"
    code, out, err = run("scan", str(data), "--format", "sarif", "-o", str(sarif))
    assert (code, out) == (1, "")
    assert err.startswith("synthdata: scanned 1 file, 2 rows, ")
    assert err.endswith(f"; report written to {sarif}\n")
    assert len(json.loads(sarif.read_text(encoding="utf-8"))["runs"][0]["results"]) == 1


def test_profiles_may_be_repeated(run: Any, tmp_path: Path) -> None:
    data = tmp_path / "a.json"
    data.write_text('[{"ssn": "123-45-6789", "card": "4532015112830366"}]', encoding="utf-8")
    code, out, _ = run("scan", str(data), "--profile", "pci_dss", "--format", "json")
    assert code == 1
    assert json.loads(out)["profiles"] == ["pci_dss"]
    assert [v["detector"] for v in json.loads(out)["violations"]] == ["payment_card"]
    code, out, _ = run(
        "scan", str(data), "--profile", "pci_dss", "--profile", "hipaa", "--format", "json"
    )
    assert json.loads(out)["profiles"] == ["hipaa", "pci_dss"]
    assert {v["detector"] for v in json.loads(out)["violations"]} == {"payment_card", "us_ssn"}


def test_an_unknown_profile_exits_2_naming_the_known_ones(run: Any, generated: Path) -> None:
    code, out, err = run("scan", str(generated), "--profile", "gdpr,sox")
    assert (code, out) == (2, "")
    assert_one_line_error(err)
    assert "unknown compliance profile 'sox'" in err
    for name in ALL_PROFILES:
        assert name in err


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["scan"], "the following arguments are required: PATH"),
        (["scan", "x.csv", "--format", "xml"], "argument --format: invalid choice: 'xml'"),
    ],
)
def test_usage_errors_exit_2(run: Any, argv: list[str], message: str) -> None:
    code, out, err = run(*argv)
    assert (code, out) == (2, "")
    assert_one_line_error(err)
    assert message in err


def test_a_missing_path_is_reported_and_exits_1(run: Any, generated: Path, tmp_path: Path) -> None:
    missing = tmp_path / "missing.csv"
    code, out, err = run("scan", str(missing), str(generated / "order"))
    assert code == 1
    assert err == f"{missing}: error: no such file or directory\n"
    assert ": 0 violations, 1 error; " in out


def test_no_path_that_exists_exits_2(run: Any, tmp_path: Path) -> None:
    code, out, err = run("scan", str(tmp_path / "a.csv"), str(tmp_path / "b"))
    assert (code, out) == (2, "")
    assert err == (
        f"synthdata: error: no such file or directory: {tmp_path / 'a.csv'}, {tmp_path / 'b'}\n"
    )


def test_an_unreadable_file_exits_1(run: Any, tmp_path: Path) -> None:
    (tmp_path / "broken.json").write_text("[{]", encoding="utf-8")
    code, out, err = run("scan", str(tmp_path), "--format", "json")
    assert code == 1
    assert json.loads(out)["errors"][0]["source"] == str(tmp_path / "broken.json")
    assert err.startswith(f"{tmp_path / 'broken.json'}: error: invalid JSON at line 1 column 3")


def test_progress_is_drawn_on_a_terminal_only(
    run: Any, generated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cli_quality, "PROGRESS_DELAY", 0.0)
    monkeypatch.setattr(cli_quality, "PROGRESS_INTERVAL", 0.0)
    code, _, err = run("scan", str(generated / "device"))
    assert (code, err) == (0, "")  # captured stderr is no terminal

    terminal = FakeTTY()
    monkeypatch.setattr(sys, "stderr", terminal)
    assert main(["scan", str(generated / "device")]) == 0
    drawn = terminal.getvalue()
    assert [m.group(0) for m in re.finditer(r"scanning: \d/4 files", drawn)] == [
        f"scanning: {n}/4 files" for n in range(1, 5)
    ]
    assert drawn.endswith("\r" + " " * len("scanning: 4/4 files") + "\r")


def test_progress_waits_before_drawing(monkeypatch: pytest.MonkeyPatch) -> None:
    now = [0.0]
    terminal = FakeTTY()
    progress = cli_quality._FileProgress(terminal, clock=lambda: now[0])
    progress.update(1, 3)
    assert terminal.getvalue() == ""  # a short scan shows nothing
    now[0] = cli_quality.PROGRESS_DELAY + 0.01
    progress.update(2, 3)
    now[0] += cli_quality.PROGRESS_INTERVAL / 2
    progress.update(2, 3)  # too soon: skipped
    progress.update(3, 3)  # the last one is always drawn
    progress.finish()
    assert terminal.getvalue() == "\rscanning: 2/3 files\rscanning: 3/3 files\r" + " " * 19 + "\r"


def test_help_lists_the_new_commands(run: Any) -> None:
    code, out, _ = run("--help")
    assert code == 0
    assert "scan" in out and "quality" in out


# --- quality ------------------------------------------------------------------------------------


class _Tags(HTMLParser):
    VOID = frozenset({"meta", "br", "hr", "img", "input", "link", "col", "wbr"})

    def __init__(self) -> None:
        super().__init__()
        self.open: list[str] = []
        self.seen: set[str] = set()

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        self.seen.add(tag)
        if tag not in self.VOID:
            self.open.append(tag)

    def handle_startendtag(self, tag: str, attrs: Any) -> None:
        self.seen.add(tag)

    def handle_endtag(self, tag: str) -> None:
        assert self.open and self.open[-1] == tag, (tag, self.open[-5:])
        self.open.pop()


def test_quality_of_a_generated_jsonl_with_schema_and_html(
    run: Any, generated: Path, tmp_path: Path
) -> None:
    data = generated / "customer" / "customer.jsonl"
    html = tmp_path / "out.html"
    code, out, err = run("quality", str(data), "--schema", "customer", "--html", str(html))
    assert code == 0
    assert err == f"synthdata: wrote the HTML report to {html}\n"
    first, rates, coherence, rules, heading, *fields = out.splitlines()
    assert first == f"{data}: score 100.00 (1 table, 40 rows)"
    assert rates.startswith("validity 100.0%, duplicate rows 0.0%, constraint violations 0.0%")
    assert coherence == "coherence 100.0% of records (fields that agree)"
    assert rules == "  handle 40/40, country 40/40, phone 40/40"
    assert heading == "null rates:"
    assert re.fullmatch(r"  email +0\.0%", fields[3])
    parser = _Tags()
    parser.feed(html.read_text(encoding="utf-8"))
    parser.close()
    assert parser.open == []
    assert {"html", "head", "title", "body", "svg"} <= parser.seen

    code, out, _ = run("quality", str(data), "--schema", "customer", "--json")
    assert code == 0
    report = json.loads(out)
    assert report["summary"]["score"] == 100.0
    assert report["summary"]["validity_rate"] == 1.0
    assert report["tables"][0]["name"] == "customer"


def test_quality_without_a_schema_does_not_measure_validity(run: Any, generated: Path) -> None:
    code, out, _ = run("quality", str(generated / "order" / "order.parquet"), "--json")
    assert code == 0
    summary = json.loads(out)["summary"]
    assert summary["validity_rate"] is None
    assert summary["rows"] == 40


def test_quality_of_a_directory_checks_keys_between_files(run: Any, tmp_path: Path) -> None:
    (tmp_path / "users.jsonl").write_text('{"id": 1}\n{"id": 2}\n', encoding="utf-8")
    (tmp_path / "orders.csv").write_text("id,user_id\n10,1\n11,3\n", encoding="utf-8")
    code, out, _ = run("quality", str(tmp_path), "--json")
    assert code == 0
    report = json.loads(out)
    assert [t["name"] for t in report["tables"]] == ["orders", "users"]
    # CSV values stay strings: "1" is not the integer 1, so both keys are orphans
    assert report["summary"]["referential_integrity_rate"] == 0.0

    (tmp_path / "orders.csv").unlink()
    (tmp_path / "orders.jsonl").write_text('{"user_id": 1}\n{"user_id": 3}\n', "utf-8")
    code, out, _ = run("quality", str(tmp_path))
    assert code == 0
    assert "referential integrity 50.0%" in out
    assert "  orders.user_id" in out


def test_quality_schema_per_table(run: Any, tmp_path: Path) -> None:
    client = SynthDataClient()
    client.write("customer", tmp_path / "customers.jsonl", rows=10)
    client.write("order", tmp_path / "orders.jsonl", rows=10)
    code, out, err = run("quality", str(tmp_path), "--schema", "customer")
    assert (code, out) == (2, "")
    assert "PATH holds 2 tables (customers, orders); name one as --schema TABLE=SOURCE" in err
    code, out, _ = run(
        "quality", str(tmp_path), "--schema", "customers=customer", "--schema", "orders=order"
    )
    assert code == 0
    assert "validity 100.0%" in out
    code, _, err = run("quality", str(tmp_path), "--schema", "people=customer")
    assert code == 2
    assert "no table 'people' in PATH (expected one of customers, orders)" in err


@pytest.mark.parametrize(
    ("make", "argv", "message"),
    [
        (None, ["missing.jsonl"], "missing.jsonl: no such file or directory"),
        ("a.txt", ["a.txt"], "a.txt: unsupported file type"),
        ("a.jsonl", ["a.jsonl", "--schema", "nosuch"], "unknown template 'nosuch'"),
        (None, ["."], "no data files in it"),
    ],
)
def test_quality_bad_input_exits_2(
    run: Any,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    make: str | None,
    argv: list[str],
    message: str,
) -> None:
    monkeypatch.chdir(tmp_path)
    if make:
        Path(make).write_text("{}\n", encoding="utf-8")
    code, out, err = run("quality", *argv)
    assert (code, out) == (2, "")
    assert_one_line_error(err)
    assert message in err


def test_quality_of_an_unreadable_file_exits_1(run: Any, tmp_path: Path) -> None:
    data = tmp_path / "bad.jsonl"
    data.write_text('{"a": 1}\nnope\n', encoding="utf-8")
    code, out, err = run("quality", str(data))
    assert (code, out) == (1, "")
    assert err == f"synthdata: error: {data}: line 2 is not JSON: Expecting value (column 1)\n"
