"""``synthdata scan`` and ``synthdata quality``: check data files from the command line.

``scan`` looks for real-format identifiers (compliance profiles gdpr, hipaa, pci_dss; by
default gdpr and pci_dss: every identifier) in ``.csv``, ``.json``, ``.jsonl``/``.ndjson``
and ``.parquet`` files and directories, and reports them as text, JSON or SARIF: exit code
0 when clean, 1 when a violation was found or a file could not be read, 2 for bad input (an
unknown profile, no PATH, none of the PATHs exists). ``quality`` measures a data file (or a directory, one table per file) and prints
its score, writes the JSON report or a self-contained HTML page: 0 done, 2 bad input,
1 a file that cannot be read.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from synthdata_sdk.cli.common import (
    EXIT_FAILURE,
    EXIT_OK,
    PROG,
    UsageError,
    err,
    is_terminal,
    out,
    out_table,
    source_argument,
)

if TYPE_CHECKING:
    from synthdata_sdk.quality.findings import ComplianceReport, Violation
    from synthdata_sdk.quality.metrics import QualityReport
    from synthdata_sdk.quality.readers import TableInput
    from synthdata_sdk.schema.sources import SchemaSource

__all__ = ["add_quality_commands"]

SCAN_FORMATS = ("text", "json", "sarif")
#: progress appears only for scans running longer than this (seconds), and only on a TTY
PROGRESS_DELAY = 0.5
#: at most this many progress redraws per second
PROGRESS_INTERVAL = 0.1
_SUFFIXES = ".csv, .json, .jsonl, .ndjson or .parquet"


# --------------------------------------------------------------------------------------------
# Parser


def add_quality_commands(commands: argparse._SubParsersAction[Any]) -> None:
    """Add ``scan`` and ``quality`` to the ``synthdata`` subcommands."""
    scan = commands.add_parser(
        "scan",
        help="scan data files for real identifiers (compliance profiles)",
        description=(
            f"Scan {_SUFFIXES} files, and directories of them, for identifiers that no safe "
            "rule of the compliance profiles covers."
        ),
        epilog=(
            "Exit codes: 0 clean, 1 violations found or a file could not be read, "
            "2 bad input (unknown profile, no PATH, none of the PATHs exists)."
        ),
    )
    scan.add_argument(
        "paths", nargs="+", metavar="PATH", help="a data file, or a directory to walk"
    )
    scan.add_argument(
        "--profile",
        action="append",
        metavar="P,...",
        help="compliance profiles, comma-separated or repeated: gdpr, hipaa, pci_dss "
        "(default: gdpr,pci_dss, every identifier; hipaa adds Safe Harbor's dates of birth, "
        "ages and ZIP codes)",
    )
    scan.add_argument(
        "--format", choices=SCAN_FORMATS, default="text", help="report format (default: text)"
    )
    scan.add_argument(
        "-o",
        "--output",
        metavar="FILE",
        help="write the report to FILE, replaced atomically; a device or FIFO is written "
        "through (default: stdout)",
    )
    scan.add_argument(
        "--presidio",
        action="store_true",
        help="also use Microsoft Presidio's recognizers as candidate finders "
        "(pip install 'synthdata[presidio]')",
    )
    scan.set_defaults(handler=_cmd_scan)

    quality = commands.add_parser(
        "quality",
        help="measure the quality of a data file or directory",
        description=(
            f"Measure a {_SUFFIXES} file, or a directory (one table per file, keys checked "
            "between tables): score, validity, duplicates, null rates."
        ),
        epilog="Exit codes: 0 done, 1 a file cannot be read, 2 bad input.",
    )
    quality.add_argument("path", metavar="PATH", help="a data file or a directory")
    quality.add_argument(
        "--schema",
        action="append",
        metavar="[TABLE=]SOURCE",
        help="the schema records are checked against: a template name or a .json file; "
        "TABLE= names the table when PATH holds several (repeatable); a table set's file "
        "gives every table's schema and its declared references",
    )
    quality.add_argument(
        "--html", metavar="FILE", help="also write the self-contained HTML report to FILE"
    )
    quality.add_argument("--json", action="store_true", help="print the report as JSON")
    quality.set_defaults(handler=_cmd_quality)


# --------------------------------------------------------------------------------------------
# scan


def _cmd_scan(args: argparse.Namespace) -> int:
    from synthdata_sdk.quality.profiles import DEFAULT_PROFILES, resolve_profiles
    from synthdata_sdk.quality.scan_files import scan_paths

    profiles = resolve_profiles(",".join(args.profile) if args.profile else DEFAULT_PROFILES)
    missing = [path for path in args.paths if not Path(path).exists()]
    if len(missing) == len(args.paths):
        raise UsageError(f"no such file or directory: {', '.join(missing)}")
    started = time.perf_counter()
    progress = _FileProgress(sys.stderr)
    try:
        report = scan_paths(args.paths, profiles, presidio=args.presidio, progress=progress.update)
    finally:
        progress.finish()
    elapsed = time.perf_counter() - started
    for error in report.errors:
        message = error.message.removeprefix(f"{error.source}: ")
        err(f"{error.source}: error: {message}")
    summary = _scan_summary(report, elapsed)
    if args.format == "text":
        lines = [_violation_line(v) for v in report.violations]
        _deliver("\n".join([*lines, summary]) + "\n", args.output)
    else:
        _deliver(
            json.dumps(_document(report, args.format), indent=2, ensure_ascii=False) + "\n",
            args.output,
        )
        if args.output:
            err(f"{PROG}: {summary}; report written to {args.output}")
    return EXIT_OK if report.clean else EXIT_FAILURE


def _document(report: ComplianceReport, fmt: str) -> dict[str, Any]:
    if fmt == "sarif":
        from synthdata_sdk import __version__
        from synthdata_sdk.quality.sarif import to_sarif

        return to_sarif(report, tool_version=__version__)
    return report.to_json()


def _violation_line(violation: Violation) -> str:
    field = violation.path or "-"
    return (
        f"{violation.table}:{violation.row}:{field}: {violation.detector}: "
        f"{violation.rule} ({violation.masked})"
    )


def _scan_summary(report: ComplianceReport, elapsed: float) -> str:
    from synthdata_sdk.quality.readers import table_file

    files = len(dict.fromkeys(table_file(name) for name in report.tables))
    megabytes = report.bytes_scanned / 1e6
    rate = megabytes / elapsed if elapsed > 0 else 0.0
    return (
        f"scanned {_count(files, 'file')}, {_count(report.rows, 'row')}, "
        f"{_count(report.values, 'value')}, {_count(report.candidates, 'candidate')}: "
        f"{_count(len(report.violations), 'violation')}, {_count(len(report.errors), 'error')}; "
        f"{megabytes:.2f} MB in {elapsed:.2f} s ({rate:.1f} MB/s)"
    )


def _deliver(text: str, output: str | None) -> None:
    if output is None or output == "-":
        sys.stdout.write(text)
        return
    from synthdata_sdk.formats.base import write_text_atomically

    write_text_atomically(Path(output), text)


class _FileProgress:
    """``scanning: 3/10 files`` redrawn on one line of a terminal; nothing elsewhere."""

    def __init__(self, stream: TextIO, *, clock: Callable[[], float] = time.monotonic) -> None:
        self.stream = stream
        self.active = is_terminal(stream)
        self._clock = clock
        self._start = clock()
        self._last: float | None = None
        self._width = 0

    def update(self, done: int, total: int) -> None:
        """Show ``done`` of ``total`` files (after ``PROGRESS_DELAY``, rate-limited)."""
        if not self.active:
            return
        now = self._clock()
        if now - self._start < PROGRESS_DELAY:
            return
        if self._last is not None and now - self._last < PROGRESS_INTERVAL and done < total:
            return
        self._last = now
        line = f"scanning: {done:,}/{total:,} files"
        self._width = max(self._width, len(line))
        self.stream.write("\r" + line.ljust(self._width))
        self.stream.flush()

    def finish(self) -> None:
        """Clear the progress line, if one was drawn."""
        if self._width:
            self.stream.write("\r" + " " * self._width + "\r")
            self.stream.flush()
            self._width = 0


# --------------------------------------------------------------------------------------------
# quality


def _cmd_quality(args: argparse.Namespace) -> int:
    from synthdata_sdk.quality.html_report import render_html
    from synthdata_sdk.quality.metrics import measure_quality
    from synthdata_sdk.quality.readers import ReadError, iter_tables

    if not Path(args.path).exists():
        raise UsageError(f"{args.path}: no such file or directory")
    try:
        inputs = list(iter_tables(args.path))
    except ReadError as error:  # an unsupported file type, an unlistable directory
        raise UsageError(str(error)) from None
    if not inputs:
        raise UsageError(f"{args.path}: no data files in it (expected {_SUFFIXES} files)")
    names = _table_names(inputs)
    schemas = _schemas(args.schema or [], names)
    data = {name: item.records for name, item in zip(names, inputs, strict=True)}
    report = measure_quality(data, tables=schemas)
    if args.html:
        from synthdata_sdk.formats.base import write_text_atomically

        html = render_html(report, title=f"Quality of {args.path}")
        write_text_atomically(Path(args.html), html)
    if args.json:
        out(json.dumps(report.to_json(), indent=2, ensure_ascii=False))
    else:
        _quality_text(report, args.path, several=len(names) > 1)
    if args.html:
        err(f"{PROG}: wrote the HTML report to {args.html}")
    return EXIT_OK


def _table_names(inputs: Sequence[TableInput]) -> list[str]:
    """A table name per input: the file's stem (or JSON key), the full name if not unique."""
    short = [_short_name(item.name) for item in inputs]
    return [s if short.count(s) == 1 else item.name for s, item in zip(short, inputs, strict=True)]


def _short_name(name: str) -> str:
    from synthdata_sdk.quality.readers import table_file

    file = table_file(name)
    return name[len(file) + 1 :] if file != name else Path(file).stem


def _schemas(options: list[str], names: list[str]) -> dict[str, SchemaSource]:
    """``--schema`` values by table name."""
    schemas: dict[str, SchemaSource] = {}
    for option in options:
        table, sep, text = option.partition("=")
        if sep and table not in names:
            if not Path(option).exists():
                raise UsageError(
                    f"--schema {option!r}: no table {table!r} in PATH "
                    f"(expected one of {', '.join(names)})"
                )
            table, text = "", option
        elif not sep:
            table, text = "", option
        if not table:
            tables = _table_set_schemas(text, names)
            if tables is not None:
                schemas.update(tables)
                continue
            if len(names) > 1:
                raise UsageError(
                    f"--schema {option!r}: PATH holds {len(names)} tables "
                    f"({', '.join(names)}); name one as --schema TABLE=SOURCE"
                )
            table = names[0]
        if table in schemas:
            raise UsageError(f"--schema is given twice for table {table!r}")
        schemas[table] = source_argument(text)
    return schemas


def _table_set_schemas(text: str, names: list[str]) -> dict[str, SchemaSource] | None:
    """A table set's schemas by table name, for the tables PATH holds; None if ``text`` does
    not name a table set (its declared references are then checked between the files)."""
    from synthdata_sdk.errors import SynthDataError
    from synthdata_sdk.schema.sources import load_source
    from synthdata_sdk.schema.table_set import TABLES, is_table_set

    try:
        loaded = load_source(source_argument(text)).schema
    except SynthDataError:
        return None  # reported as the schema of one table, with the whole error
    if not is_table_set(loaded):
        return None
    return {name: schema for name, schema in loaded[TABLES].items() if name in names}


def _quality_text(report: QualityReport, path: str, *, several: bool) -> None:
    out(
        f"{path}: score {report.score:.2f} ({_count(len(report.tables), 'table')}, "
        f"{_count(report.rows, 'row')})"
    )
    out(
        f"validity {_rate(report.validity_rate)}, duplicate rows "
        f"{_rate(report.duplicate_row_rate)}, constraint violations "
        f"{_rate(report.constraint_violation_rate)}, referential integrity "
        f"{_rate(report.referential_integrity_rate)}"
    )
    if report.references:
        out("referential integrity per reference:")
        out_table(
            [
                (f"  {r.table}.{r.field} -> {r.ref_table}.{r.ref_field}", _rate(r.integrity_rate))
                for r in report.references
            ]
        )
    _coherence_text(report, several=several)
    if not report.fields:
        return
    out("null rates:")
    rows = [
        (f"  {f.table}.{f.path}" if several else f"  {f.path}", _rate(f.null_rate))
        for f in report.fields
    ]
    out_table(rows)


def _coherence_text(report: QualityReport, *, several: bool) -> None:
    """The coherence section: coherent records, and each rule that checked something."""
    out(f"coherence {_rate(report.coherence_rate)} of records (fields that agree)")
    for table in report.coherence:
        rules = ", ".join(
            f"{c.rule} {c.checked - c.failed}/{c.checked}"
            for c in table.rules.values()
            if c.checked
        )
        if rules:
            out(f"  {table.table + ': ' if several else ''}{rules}")


def _rate(value: float | None) -> str:
    return "not measured" if value is None else f"{value * 100:.1f}%"


def _count(n: int, one: str) -> str:
    return f"{n:,} {one if n == 1 else one + 's'}"
