"""A compliance report as SARIF 2.1.0, for code-scanning tools (GitHub code scanning...).

One run; the driver ``synthdata`` has one rule per detector the report's profiles enforce.
Each violation is a result at its file (relative to the current directory, ``/``-separated)
with the 1-based line where it is known: JSON Lines ``row + 1``; CSV the record's first
line, found by reading the file again (quoted values may hold line breaks), else ``row + 2``
when the file cannot be read; none for JSON and Parquet. Messages carry the masked value
only. ``partialFingerprints`` hash (file, row, field path, detector), so a result keeps its
identity between runs. Files that could not be scanned are tool execution notifications of
level ``error``; the run itself completed, so ``executionSuccessful`` is true (as CodeQL
reports files it could not extract).
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any
from urllib.parse import quote

from synthdata_sdk.quality.findings import ComplianceReport, ScanError, Violation
from synthdata_sdk.quality.profiles import PROFILES, detectors_for
from synthdata_sdk.quality.readers import csv_record_lines, format_of, table_file

__all__ = ["FINGERPRINT_KEY", "SARIF_SCHEMA", "SARIF_VERSION", "to_sarif"]

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
SARIF_VERSION = "2.1.0"
TOOL_NAME = "synthdata"
#: the partialFingerprints key (versioned: a new hash recipe gets a new key)
FINGERPRINT_KEY = "synthdataFinding/v1"
LEVEL = "error"

#: (table, row) -> 1-based line, or None when unknown
LineOf = Callable[[str, int], int | None]


def to_sarif(
    report: ComplianceReport, *, tool_version: str, line_of: LineOf | None = None
) -> dict[str, Any]:
    """The SARIF log of ``report`` as plain data (``json.dumps``-able).

    ``line_of`` overrides how a violation's line is found (see the module docstring).
    """
    names = _rule_names(report)
    index = {name: i for i, name in enumerate(names)}
    locate = line_of or _FileLines(report.violations)
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": TOOL_NAME,
                "version": tool_version,
                "rules": [_rule(name, report.violations) for name in names],
            }
        },
        "invocations": [
            {
                "executionSuccessful": True,
                "toolExecutionNotifications": [_notification(e) for e in report.errors],
            }
        ],
        "results": [_result(v, index[v.detector], locate) for v in report.violations],
        "properties": {
            "profiles": list(report.profiles),
            "tables": len(report.tables),
            "rows": report.rows,
            "values": report.values,
            "candidates": report.candidates,
            "bytesScanned": report.bytes_scanned,
        },
    }
    return {"$schema": SARIF_SCHEMA, "version": SARIF_VERSION, "runs": [run]}


def _rule_names(report: ComplianceReport) -> list[str]:
    names = list(detectors_for(report.profiles))
    for violation in report.violations:
        if violation.detector not in names:
            names.append(violation.detector)
    return names


def _rule(name: str, violations: Iterable[Violation]) -> dict[str, Any]:
    description = _description(name)
    rules = sorted({v.rule for v in violations if v.detector == name})
    return {
        "id": name,
        "name": "".join(part.capitalize() for part in name.split("_")),
        "shortDescription": {"text": description},
        "fullDescription": {"text": "; ".join(rules) if rules else description},
        "defaultConfiguration": {"level": LEVEL},
        "properties": {
            "profiles": [p for p, enforced in PROFILES.items() if name in enforced],
            "tags": ["privacy", "compliance"],
        },
    }


def _description(name: str) -> str:
    from synthdata_sdk.quality.detectors.base import detectors

    detector = detectors().get(name)
    if detector is None:
        return f"{name} identifier that no safe rule covers"
    return str(detector.description)


def _result(violation: Violation, rule_index: int, locate: LineOf) -> dict[str, Any]:
    uri = _uri(violation.table)
    physical: dict[str, Any] = {"artifactLocation": {"uri": uri}}
    line = locate(violation.table, violation.row)
    if line is not None:
        physical["region"] = {"startLine": line}
    field = violation.path or "(value)"
    return {
        "ruleId": violation.detector,
        "ruleIndex": rule_index,
        "level": LEVEL,
        "message": {
            "text": (
                f"{violation.detector} {violation.masked} in field {field}, "
                f"row {violation.row}: {violation.rule}"
            )
        },
        "locations": [{"physicalLocation": physical}],
        "partialFingerprints": {FINGERPRINT_KEY: _fingerprint(uri, violation)},
        "properties": {
            "table": violation.table,
            "row": violation.row,
            "field": violation.path,
            "start": violation.start,
            "end": violation.end,
            "masked": violation.masked,
            "profiles": list(violation.profiles),
        },
    }


def _notification(error: ScanError) -> dict[str, Any]:
    return {
        "level": LEVEL,
        "message": {"text": f"{error.source}: {_own_message(error)}"},
        "locations": [{"physicalLocation": {"artifactLocation": {"uri": _uri(error.source)}}}],
    }


def _own_message(error: ScanError) -> str:
    """The error's message without the source it already starts with."""
    return error.message.removeprefix(f"{error.source}: ")


def _uri(table: str) -> str:
    """The file of ``table`` relative to the current directory, as a URI reference."""
    path = Path(table_file(table))
    relative = str(path)
    if path.is_absolute():
        try:
            relative = os.path.relpath(path.resolve(), Path.cwd().resolve())
        except ValueError:  # another drive (Windows): an absolute file URI
            return path.as_uri()
    return quote(relative.replace(os.sep, "/"), safe="/")


def _fingerprint(uri: str, violation: Violation) -> str:
    key = "\0".join((uri, str(violation.row), violation.path, violation.detector))
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


class _FileLines:
    """Lines of violations: read from each CSV file once, on first use; by rule otherwise."""

    def __init__(self, violations: Iterable[Violation]) -> None:
        self._rows: dict[str, set[int]] = {}
        for violation in violations:
            self._rows.setdefault(violation.table, set()).add(violation.row)
        self._csv: dict[str, Mapping[int, int]] = {}

    def __call__(self, table: str, row: int) -> int | None:
        fmt = format_of(table_file(table))
        if fmt == "jsonl":
            return row + 1
        if fmt != "csv":
            return None
        lines = self._csv.get(table)
        if lines is None:
            lines = csv_record_lines(table, self._rows.get(table, {row}))
            self._csv[table] = lines
        return lines.get(row, row + 2)
