"""Scanning synthdata's own output when a request names compliance profiles.

Drawn values come only from safe ranges, so a violation here comes from the schema (a
``const`` or ``enum`` that spells a real identifier) or is a bug: either way the check raises
``ComplianceError`` before a dataset is handed out or a file is put in place. The report's
summary goes into the manifest.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any, TypeVar

from synthdata_sdk.errors import ComplianceError
from synthdata_sdk.quality.findings import ComplianceReport

Chunk = TypeVar("Chunk", bound=Sequence[Mapping[str, Any]])


class OwnOutputCheck:
    """Scans records chunk by chunk under ``profiles`` and fails loudly on the first violation."""

    def __init__(
        self, profiles: Sequence[str], *, table: str, schema: Mapping[str, Any] | None
    ) -> None:
        self.report = ComplianceReport(profiles=tuple(profiles), tables=[table])
        self._table = table
        self._schema = schema
        self._row = 0

    def check(self, records: Sequence[Mapping[str, Any]]) -> None:
        """Scan one chunk; raise ComplianceError if anything in it is not safe."""
        from synthdata_sdk.quality.scanner import scan

        found = scan(records, self.report.profiles, table=self._table, schema=self._schema)
        self.report.rows += found.rows
        self.report.values += found.values
        self.report.candidates += found.candidates
        for violation in found.violations:
            self.report.violations.append(
                type(violation)(**{**violation.__dict__, "row": violation.row + self._row})
            )
        self._row += len(records)
        if self.report.violations:
            first = self.report.violations[0]
            raise ComplianceError(
                f"generated data broke compliance profile(s) {', '.join(first.profiles)}: "
                f"{len(self.report.violations)} violation(s), first at {first.table} row "
                f"{first.row} {first.path or '(value)'}: {first.detector}: {first.rule} "
                f"({first.masked}). synthdata draws only safe values, so this comes from the "
                "schema (a const, enum or pattern that spells a real identifier) or is a bug "
                "in synthdata.",
                self.report,
            )

    def wrap(self, chunks: Iterable[Chunk]) -> Iterator[Chunk]:
        """Pass ``chunks`` on, each one scanned first."""
        for chunk in chunks:
            self.check(chunk)
            yield chunk

    def summary(self) -> dict[str, Any]:
        """The report's summary, for the manifest."""
        return self.report.summary()
