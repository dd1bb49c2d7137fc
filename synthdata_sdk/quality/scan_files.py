"""``scan_paths``: scan data files and directories into one compliance report.

Each directory is expanded into its data files first (``readers.data_files``), so progress
can be told in files; each file (or path that is not a directory) is scanned by its own
``scan`` call and the reports are merged. A missing or unreadable path is a ``ScanError`` in
the report, never an exception; only an unknown profile (or a missing optional extra) raises.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from pathlib import Path

from synthdata_sdk.quality.findings import ComplianceReport
from synthdata_sdk.quality.profiles import DEFAULT_PROFILES, resolve_profiles
from synthdata_sdk.quality.readers import data_files

__all__ = ["expand_paths", "merge_into", "scan_paths"]

#: called with (inputs done, inputs in all) after each input
Progress = Callable[[int, int], None]


def expand_paths(paths: Iterable[str | os.PathLike[str]]) -> list[str]:
    """Every path, with each directory replaced by its data files (sorted, as walked)."""
    expanded: list[str] = []
    for path in paths:
        name = os.fspath(path)
        if Path(name).is_dir():
            expanded.extend(data_files(name))
        else:
            expanded.append(name)
    return expanded


def merge_into(total: ComplianceReport, part: ComplianceReport) -> None:
    """Add the counts, tables, violations and errors of ``part`` to ``total``."""
    total.tables.extend(part.tables)
    total.rows += part.rows
    total.values += part.values
    total.candidates += part.candidates
    total.bytes_scanned += part.bytes_scanned
    total.violations.extend(part.violations)
    total.errors.extend(part.errors)


def scan_paths(
    paths: Iterable[str | os.PathLike[str]],
    profiles: str | Iterable[str] = DEFAULT_PROFILES,
    *,
    presidio: bool = False,
    progress: Progress | None = None,
) -> ComplianceReport:
    """Scan files and directories for identifiers no safe rule of ``profiles`` covers.

    Unknown profiles raise ``RequestError`` before anything is read. ``progress`` is called
    after each file with the files done and the total.
    """
    from synthdata_sdk.quality.scanner import scan

    chosen = resolve_profiles(profiles)
    inputs = expand_paths(paths)
    report = ComplianceReport(profiles=chosen)
    for done, name in enumerate(inputs, start=1):
        merge_into(report, scan(name, chosen, presidio=presidio))
        if progress is not None:
            progress(done, len(inputs))
    return report
