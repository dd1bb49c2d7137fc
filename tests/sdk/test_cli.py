"""The ``synthdata`` command line, run in-process through ``main`` (one subprocess test)."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from synthdata_sdk import SynthDataClient, __version__
from synthdata_sdk.cli import main
from synthdata_sdk.errors import (
    BackendAccessError,
    BackendUnavailableError,
    CacheBusyError,
    CacheError,
    CorruptCacheError,
    DatasetNotCachedError,
    EntrySignatureError,
    LockFileError,
    RequestError,
    UrlFileError,
)
from synthdata_sdk.progress import ProgressBar, format_line
from tests.sdk.cli_support import WIDGET_SCHEMA, FakeTTY

ROOT = Path(__file__).resolve().parents[2]


class FakeClock:
    """A clock the test moves by hand, so throttling needs no sleeps."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def schema_file(tmp_path: Path) -> Path:
    path = tmp_path / "widget.json"
    path.write_text(json.dumps(WIDGET_SCHEMA), encoding="utf-8")
    return path


def assert_one_line_error(err: str) -> None:
    assert err.startswith("synthdata: error: "), err
    assert err.endswith("\n") and err.count("\n") == 1, err
    assert "Traceback" not in err


# --------------------------------------------------------------------------------------------
# generate


def test_generate_writes_jsonl_to_stdout_by_default(run: Any) -> None:
    code, out, err = run("generate", "customer", "--rows", "7")
    assert code == 0
    records = [json.loads(line) for line in out.splitlines()]
    assert len(records) == 7
    assert all(isinstance(r, dict) and "email" in r for r in records)
    assert err == ""


def test_generate_csv_to_stdout_has_header_and_rows(run: Any, schema_file: Path) -> None:
    code, out, _ = run("generate", str(schema_file), "--rows", "5", "--format", "csv")
    assert code == 0
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[0] == ["id", "label"]
    assert len(rows) == 6
    assert all(3 <= len(row[1]) <= 12 for row in rows[1:])


def test_generate_json_to_stdout_is_one_array(run: Any, schema_file: Path) -> None:
    code, out, _ = run("generate", str(schema_file), "--rows", "4", "--format", "json")
    assert code == 0
    assert len(json.loads(out)) == 4


def test_generate_sql_to_stdout_uses_table_and_dialect(run: Any, schema_file: Path) -> None:
    code, out, _ = run(
        "generate",
        str(schema_file),
        "--rows",
        "3",
        "--format",
        "sql",
        "--table",
        "gadgets",
        "--dialect",
        "postgres",
    )
    assert code == 0
    assert "CREATE TABLE" in out
    assert "gadgets" in out
    assert "INSERT" in out


def test_generate_is_reproducible_by_seed(run: Any, schema_file: Path) -> None:
    first = run("generate", str(schema_file), "--rows", "20", "--seed", "3")
    again = run("generate", str(schema_file), "--rows", "20", "--seed", "3")
    other = run("generate", str(schema_file), "--rows", "20", "--seed", "4")
    assert first[0] == again[0] == other[0] == 0
    assert first[1] == again[1]
    assert first[1] != other[1]


def test_generate_out_writes_file_and_prints_summary(run: Any, tmp_path: Path) -> None:
    target = tmp_path / "nested" / "customers.jsonl"
    code, out, err = run("generate", "customer", "--rows", "12", "--out", str(target))
    assert code == 0
    assert out == ""
    assert len(target.read_text(encoding="utf-8").splitlines()) == 12
    _, fingerprint, _ = run("fingerprint", "customer", "--rows", "12")
    assert err.count("\n") == 1
    assert "12 rows" in err
    assert str(target) in err
    assert fingerprint.strip()[:12] in err
    assert " s)" in err


def test_generate_out_csv_matches_rows_and_quiet_prints_nothing(run: Any, tmp_path: Path) -> None:
    target = tmp_path / "widgets.csv"
    code, out, err = run("generate", "customer", "--rows", "9", "--out", str(target), "--quiet")
    assert (code, out, err) == (0, "", "")
    with target.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    assert "email" in rows[0]
    assert len(rows) == 10


def test_generate_out_format_option_overrides_suffix(run: Any, tmp_path: Path) -> None:
    target = tmp_path / "widgets.txt"
    code, _, _ = run(
        "generate", "customer", "--rows", "3", "--out", str(target), "-q", "--format", "jsonl"
    )
    assert code == 0
    assert len(target.read_text(encoding="utf-8").splitlines()) == 3


def test_generate_out_dash_means_stdout(run: Any) -> None:
    code, out, _ = run("generate", "customer", "--rows", "2", "--out", "-")
    assert code == 0
    assert len(out.splitlines()) == 2


def test_generate_with_workers_and_compliance(run: Any) -> None:
    code, out, _ = run(
        "generate",
        "patient",
        "--rows",
        "5",
        "--workers",
        "2",
        "--compliance",
        "gdpr,hipaa",
    )
    assert code == 0
    assert len(out.splitlines()) == 5


def test_generate_to_stdout_without_binary_buffer(monkeypatch: pytest.MonkeyPatch) -> None:
    sink = io.StringIO()
    monkeypatch.setattr(sys, "stdout", sink)
    assert main(["generate", "customer", "--rows", "6", "--locale", "en_US"]) == 0
    assert len([json.loads(line) for line in sink.getvalue().splitlines()]) == 6


def test_generate_zero_rows_is_empty(run: Any) -> None:
    code, out, _ = run("generate", "customer", "--rows", "0")
    assert (code, out) == (0, "")


# --------------------------------------------------------------------------------------------
# input errors: exit 2, one line, no traceback


@pytest.fixture
def bad_inputs(tmp_path: Path, schema_file: Path) -> dict[str, list[str]]:
    invalid_json = tmp_path / "broken.json"
    invalid_json.write_text('{"type": "object", "properties": {', encoding="utf-8")
    crossed = tmp_path / "crossed.json"
    crossed.write_text(json.dumps(_crossed_schema()), encoding="utf-8")
    return {
        "unknown template": ["generate", "no_such_template"],
        "negative rows": ["generate", "customer", "--rows", "-5"],
        "non-numeric rows": ["generate", "customer", "--rows", "abc"],
        "unknown locale": ["generate", "customer", "--locale", "xx_XX"],
        "unknown compliance profile": ["generate", "customer", "--compliance", "gdpr,nope"],
        "unknown format suffix": ["generate", "customer", "--out", str(tmp_path / "data.xyz")],
        "unknown --format": ["generate", "customer", "--format", "xml"],
        "invalid JSON schema file": ["generate", str(invalid_json)],
        "minLength > maxLength": ["generate", str(crossed)],
        "missing schema file": ["generate", str(tmp_path / "missing.json")],
        "missing schema path": ["generate", str(tmp_path / "dir" / "schema")],
        "parquet to stdout": ["generate", str(schema_file), "--format", "parquet"],
        "zero workers": ["generate", "customer", "--workers", "0"],
        "unknown dialect": ["generate", "customer", "--dialect", "oracle"],
        "fingerprint of unknown template": ["fingerprint", "no_such_template"],
        "fingerprint with unknown locale": ["fingerprint", "customer", "--locale", "xx_XX"],
        "unknown template to print": ["templates", "no_such_template"],
        "no command": [],
        "unknown command": ["explode"],
        "unknown option": ["generate", "customer", "--colour"],
    }


def _crossed_schema() -> dict[str, Any]:
    schema = json.loads(json.dumps(WIDGET_SCHEMA))
    schema["properties"]["label"].update(minLength=10, maxLength=3)
    return schema


@pytest.mark.parametrize(
    "case",
    [
        "unknown template",
        "negative rows",
        "non-numeric rows",
        "unknown locale",
        "unknown compliance profile",
        "unknown format suffix",
        "unknown --format",
        "invalid JSON schema file",
        "minLength > maxLength",
        "missing schema file",
        "missing schema path",
        "parquet to stdout",
        "zero workers",
        "unknown dialect",
        "fingerprint of unknown template",
        "fingerprint with unknown locale",
        "unknown template to print",
        "no command",
        "unknown command",
        "unknown option",
    ],
)
def test_bad_input_exits_2_with_one_line(
    run: Any, bad_inputs: dict[str, list[str]], case: str
) -> None:
    code, out, err = run(*bad_inputs[case])
    assert code == 2
    assert out == ""
    assert_one_line_error(err)


def test_error_messages_name_the_problem(run: Any, tmp_path: Path) -> None:
    assert "no_such_template" in run("generate", "no_such_template")[2]
    assert "customer" in run("generate", "no_such_template")[2]  # lists what exists
    assert "--rows: expected an integer from 0 to" in run("generate", "customer", "--rows", "-5")[2]
    assert "'abc'" in run("generate", "customer", "--rows", "abc")[2]
    assert "xx_XX" in run("generate", "customer", "--locale", "xx_XX")[2]
    assert "nope" in run("generate", "customer", "--compliance", "nope")[2]
    assert ".xyz" in run("generate", "customer", "--out", str(tmp_path / "d.xyz"))[2]
    assert "stdout" in run("generate", "customer", "--format", "parquet")[2]


def test_bad_output_suffix_creates_no_file(run: Any, tmp_path: Path) -> None:
    assert run("generate", "customer", "--out", str(tmp_path / "data.xyz"))[0] == 2
    assert list(tmp_path.iterdir()) == []


# --------------------------------------------------------------------------------------------
# failures, interrupts


def test_unexpected_error_exits_1_without_traceback(
    run: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from synthdata_sdk.client import SynthDataClient

    def explode(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("disk on fire")

    monkeypatch.delenv("SYNTHDATA_DEBUG", raising=False)
    monkeypatch.setattr(SynthDataClient, "prepare", explode)
    code, out, err = run("generate", "customer")
    assert code == 1
    assert out == ""
    assert_one_line_error(err)
    assert "RuntimeError: disk on fire" in err


@pytest.mark.parametrize(
    ("error", "code"),
    [
        (RequestError("unknown locale"), 2),
        (CacheError("'xyz' is not a fingerprint"), 2),
        (LockFileError("synthdata.lock", "is not JSON"), 2),
        (UrlFileError("urls.json", "has no 'datasets' object"), 2),
        (CorruptCacheError("ab" * 32, "records.json does not match its sha256"), 1),
        (EntrySignatureError("ab" * 32, "manifest.json.sig does not match"), 1),
        (CacheBusyError("the cache lock is held by another process"), 1),
        (DatasetNotCachedError("ab" * 32, "?", "dataset is not cached"), 1),
        (BackendAccessError("S3 GetObject failed: AccessDenied", code="AccessDenied"), 1),
        (BackendUnavailableError("S3 GetObject failed: 503", code="503"), 1),
    ],
    ids=lambda value: type(value).__name__ if isinstance(value, Exception) else str(value),
)
def test_bad_input_exits_2_and_a_failure_elsewhere_exits_1(
    run: Any, monkeypatch: pytest.MonkeyPatch, error: Exception, code: int
) -> None:
    from synthdata_sdk.client import SynthDataClient

    def fail(*args: Any, **kwargs: Any) -> Any:
        raise error

    monkeypatch.setattr(SynthDataClient, "prepare", fail)
    exit_code, out, err = run("generate", "customer")
    assert (exit_code, out) == (code, "")
    assert_one_line_error(err)
    assert "unexpected" not in err


def test_unexpected_error_shows_traceback_with_debug(
    run: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from synthdata_sdk.client import SynthDataClient

    def explode(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("disk on fire")

    monkeypatch.setenv("SYNTHDATA_DEBUG", "1")
    monkeypatch.setattr(SynthDataClient, "prepare", explode)
    code, _, err = run("fingerprint", "customer")
    assert code == 1
    assert "Traceback" in err
    assert (
        err.rstrip("\n").splitlines()[-1]
        == "synthdata: error: unexpected RuntimeError: disk on fire"
    )


def test_interrupt_exits_130_and_leaves_no_file(
    run: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from synthdata_sdk.client import SynthDataClient

    original = SynthDataClient.iter_chunks

    def interrupted(self: Any, *args: Any, **kwargs: Any) -> Iterator[Any]:
        chunks = original(self, *args, **kwargs)
        yield next(chunks)
        raise KeyboardInterrupt

    monkeypatch.setattr(SynthDataClient, "iter_chunks", interrupted)
    target = tmp_path / "out.csv"
    code, out, err = run("generate", "customer", "--rows", "50", "--out", str(target))
    assert code == 130
    assert out == ""
    assert err == "synthdata: interrupted\n"
    assert list(tmp_path.iterdir()) == []


# --------------------------------------------------------------------------------------------
# validate


def test_validate_template_prints_valid_and_field_plan(run: Any) -> None:
    code, out, err = run("validate", "customer")
    assert code == 0
    assert err == ""
    lines = out.splitlines()
    assert lines[0] == "valid"
    email = next(line.split() for line in lines if line.startswith("/properties/email "))
    assert email == ["/properties/email", "semantic", "email"]
    assert any(line.startswith("/properties/id ") for line in lines)


def test_validate_plan_lists_nested_fields(run: Any) -> None:
    code, out, _ = run("validate", "order")
    assert code == 0
    assert any("/items/properties/" in line for line in out.splitlines())


def test_validate_json_report(run: Any, schema_file: Path) -> None:
    code, out, _ = run("validate", str(schema_file), "--json")
    assert code == 0
    report = json.loads(out)
    assert report["valid"] is True
    assert report["errors"] == []
    assert set(report["plan"]["properties"]) == {"id", "label"}


def test_validate_bad_schema_exits_2_naming_the_pointer(run: Any, tmp_path: Path) -> None:
    path = tmp_path / "crossed.json"
    path.write_text(json.dumps(_crossed_schema()), encoding="utf-8")
    code, out, err = run("validate", str(path))
    assert code == 2
    lines = out.splitlines()
    assert lines[0] == "invalid"
    assert any(line.startswith("/properties/label: ") for line in lines[1:])
    assert_one_line_error(err)


def test_validate_bad_schema_json_report(run: Any, tmp_path: Path) -> None:
    path = tmp_path / "crossed.json"
    path.write_text(json.dumps(_crossed_schema()), encoding="utf-8")
    code, out, _ = run("validate", str(path), "--json")
    assert code == 2
    report = json.loads(out)
    assert report["valid"] is False
    assert report["errors"][0]["pointer"] == "/properties/label"


@pytest.mark.parametrize("source", ["no_such_template", "missing.json", "no/such/schema"])
def test_validate_unreadable_source_is_invalid(run: Any, source: str) -> None:
    code, out, err = run("validate", source)
    assert code == 2
    assert out.splitlines()[0] == "invalid"
    assert source in out
    assert_one_line_error(err)


# --------------------------------------------------------------------------------------------
# templates, fingerprint, version, help


def test_templates_lists_names_with_descriptions(run: Any) -> None:
    from synthdata_sdk.schema.templates import list_templates, template_summary

    code, out, _ = run("templates")
    assert code == 0
    lines = out.splitlines()
    assert [line.split()[0] for line in lines] == list_templates()
    for line, name in zip(lines, list_templates(), strict=True):
        assert line.endswith(template_summary(name))


def test_templates_name_prints_the_schema(run: Any) -> None:
    from synthdata_sdk.schema.templates import load_template

    code, out, _ = run("templates", "order")
    assert code == 0
    assert json.loads(out) == load_template("order")
    assert out.startswith('{\n  "')


def test_fingerprint_matches_the_client_and_follows_the_request(run: Any) -> None:
    from synthdata_sdk.client import SynthDataClient

    code, out, _ = run("fingerprint", "customer", "--rows", "10", "--seed", "5")
    assert code == 0
    expected = SynthDataClient().prepare("customer", rows=10, seed=5).fingerprint
    assert out == expected + "\n"
    assert run("fingerprint", "customer", "--rows", "10", "--seed", "6")[1] != out
    assert run("fingerprint", "customer", "--rows", "11", "--seed", "5")[1] != out
    assert (
        run("fingerprint", "customer", "--rows", "10", "--seed", "5", "--compliance", "gdpr")[1]
        != out
    )


def test_fingerprint_of_a_schema_file(run: Any, schema_file: Path) -> None:
    code, out, _ = run("fingerprint", str(schema_file))
    assert code == 0
    assert len(out.strip()) == 64


def test_version(run: Any) -> None:
    assert run("--version") == (0, f"synthdata {__version__}\n", "")


def test_help_exits_0(run: Any) -> None:
    code, out, _ = run("generate", "--help")
    assert code == 0
    assert "--rows" in out and "--compliance" in out


def test_module_entry_point_help() -> None:
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]),
    }
    result = subprocess.run(
        [sys.executable, "-m", "synthdata_sdk", "--help"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("usage: synthdata")
    for command in ("generate", "validate", "templates", "fingerprint"):
        assert command in result.stdout


# --------------------------------------------------------------------------------------------
# progress


def test_progress_bar_redraws_one_line_on_a_tty() -> None:
    stream, clock = FakeTTY(), FakeClock()
    bar = ProgressBar(200, stream=stream, clock=clock, columns=120)
    clock.now += 1.0
    bar.advance(50)
    clock.now += 1.0
    bar.advance(50)
    bar.finish()
    text = stream.getvalue()
    assert text.startswith("\r[")
    assert text.endswith("\n") and text.count("\n") == 1
    assert text.count("\r") == 3  # two updates and the final draw
    assert "50/200 rows" in text and " 25.0%" in text and "50 rows/s" in text
    assert "100/200 rows" in text and " 50.0%" in text


def test_progress_bar_counts_bytes_in_megabytes() -> None:
    stream, clock = FakeTTY(), FakeClock()
    bar = ProgressBar(6_000_000, stream=stream, clock=clock, columns=120, unit="bytes")
    clock.now += 0.5
    bar.advance(1_500_000)
    bar.finish()
    text = stream.getvalue()
    assert "1.5/6.0 MB" in text and " 25.0%" in text and "3.0 MB/s" in text
    assert "rows" not in text


def test_progress_bar_refuses_an_unknown_unit() -> None:
    with pytest.raises(ValueError, match="unit 'files'"):
        ProgressBar(1, unit="files")


def test_progress_bar_throttles_redraws() -> None:
    stream, clock = FakeTTY(), FakeClock()
    bar = ProgressBar(1000, stream=stream, clock=clock, min_interval=0.5)
    for _ in range(10):
        bar.advance(10)
    assert stream.getvalue().count("\r") == 1
    clock.now += 0.5
    bar.advance(10)
    assert stream.getvalue().count("\r") == 2
    assert bar.done == 110


def test_progress_bar_finish_runs_once_and_on_error() -> None:
    stream = FakeTTY()
    with pytest.raises(KeyboardInterrupt), ProgressBar(10, stream=stream, clock=FakeClock()) as bar:
        bar.advance(3)
        raise KeyboardInterrupt
    bar.finish()
    assert stream.getvalue().count("\n") == 1


@pytest.mark.parametrize(
    ("stream", "options"),
    [
        (io.StringIO(), {}),  # not a terminal
        (FakeTTY(), {"is_tty": False}),
        (FakeTTY(), {"enabled": False}),  # --quiet
    ],
)
def test_progress_bar_is_silent_off_a_tty_or_when_quiet(
    stream: io.StringIO, options: dict[str, Any]
) -> None:
    with ProgressBar(10, stream=stream, **options) as bar:
        bar(5)
        bar(5)
    assert not bar.active
    assert bar.done == 10
    assert stream.getvalue() == ""


def test_progress_bar_is_tty_flag_overrides_the_stream() -> None:
    stream = io.StringIO()
    with ProgressBar(4, stream=stream, is_tty=True, clock=FakeClock()) as bar:
        bar.update(4)
    assert "4/4 rows" in stream.getvalue()


def test_format_line() -> None:
    assert format_line(0, 0, 0.0, width=4) == "[####] 0/0 rows  100.0%  0 rows/s"
    line = format_line(5_000, 10_000, 2.0, width=4)
    assert line == "[##--] 5,000/10,000 rows   50.0%  2,500 rows/s"


def test_format_line_fits_narrow_terminals() -> None:
    wide = format_line(50_000_000, 100_000_000, 10.0, columns=200)
    assert wide.startswith("[" + "#" * 12 + "-" * 12 + "] ")
    fitted = format_line(50_000_000, 100_000_000, 10.0, columns=72)
    assert fitted.startswith("[#") and len(fitted) == 71
    bare = format_line(50_000_000, 100_000_000, 10.0, columns=40)
    assert bare == "50,000,000/100,000,000 rows   50.0%  5,000,000 rows/s"


def test_generate_draws_progress_on_a_tty(
    run: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    stderr = FakeTTY()
    monkeypatch.setattr(sys, "stderr", stderr)
    monkeypatch.setenv("COLUMNS", "120")
    assert main(["generate", "customer", "--rows", "30", "--out", str(tmp_path / "a.jsonl")]) == 0
    text = stderr.getvalue()
    assert "\r[" in text and "30/30 rows" in text and "100.0%" in text
    assert text.splitlines()[-1].startswith("synthdata: wrote 30 rows")


def test_generate_quiet_draws_no_progress_on_a_tty(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    stderr = FakeTTY()
    monkeypatch.setattr(sys, "stderr", stderr)
    assert (
        main(["generate", "customer", "--rows", "30", "--out", str(tmp_path / "a.csv"), "-q"]) == 0
    )
    assert stderr.getvalue() == ""


def test_generate_to_stdout_draws_progress_when_stdout_is_piped(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    stderr, stdout = FakeTTY(), io.StringIO()
    monkeypatch.setattr(sys, "stderr", stderr)
    monkeypatch.setattr(sys, "stdout", stdout)
    assert main(["generate", "customer", "--rows", "8"]) == 0
    assert "8/8 rows" in stderr.getvalue()
    assert len(stdout.getvalue().splitlines()) == 8


def test_out_path_under_a_file_exits_2_with_one_line(run: Any, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory", encoding="utf-8")
    code, out, err = run("generate", "customer", "--rows", "2", "--out", str(blocker / "x.csv"))
    assert code == 2
    assert out == ""
    assert_one_line_error(err)
    assert str(blocker / "x.csv") in err


# --------------------------------------------------------------------------------------------
# --backend and its settings


@pytest.mark.parametrize(
    ("argv", "env", "message"),
    [
        (["--backend", "lamda"], {}, "argument --backend: invalid choice: 'lamda'"),
        (["--backend", "lambda"], {}, "(chosen by --backend) needs function_name"),
        ([], {"SYNTHDATA_BACKEND": "agent"}, "(chosen by SYNTHDATA_BACKEND) needs agent_id"),
        (
            ["--backend", "lambda", "--function-name", "f", "--bucket", "My_Bucket"],
            {},
            "--bucket: expected an S3 bucket name",
        ),
        (["--endpoint-url", "127.0.0.1:4566"], {"SYNTHDATA_BACKEND": "agent"}, "--endpoint-url"),
    ],
)
def test_bad_backend_settings_exit_2_naming_where_they_came_from(
    run: Any, monkeypatch: pytest.MonkeyPatch, argv: list[str], env: dict[str, str], message: str
) -> None:
    for name in ("SYNTHDATA_BACKEND", "SYNTHDATA_AGENT_ID", "SYNTHDATA_FUNCTION_NAME"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    code, out, err = run("generate", "customer", "--rows", "2", *argv)
    assert code == 2 and out == ""
    assert message in err
    assert err.count("\n") == 1


def test_generate_is_local_unless_a_backend_is_named(
    run: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("SYNTHDATA_BACKEND", raising=False)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "pyproject.toml").write_text("[tool.synthdata]\nprefix = 'ci'\n")
    code, out, _ = run("generate", "customer", "--rows", "3", "--seed", "4")
    assert code == 0
    local = SynthDataClient(backend="local").generate("customer", rows=3, seed=4)
    assert [json.loads(line) for line in out.splitlines()] == local.records
    # a pyproject.toml naming an unknown setting is refused even for the local backend
    (tmp_path / "pyproject.toml").write_text("[tool.synthdata]\nbackned = 'local'\n")
    code, _, err = run("generate", "customer", "--rows", "3")
    assert code == 2 and "unknown key 'backned' (did you mean 'backend'?)" in err
