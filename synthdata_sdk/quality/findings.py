"""What a compliance scan reports: violations, per-file errors, and the report that holds them.

A *candidate* is a substring that looks like an identifier (a card number, an SSN, an email
address...). A candidate that matches a safe rule (a published test PAN, a never-issued SSN,
an ``example.com`` address...) is counted and dropped; one that does not is a ``Violation``.
Values are never stored whole: ``masked`` keeps only what a reader needs to find the value
(for cards the BIN and the last four digits, PCI DSS 3.4.1).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True)
class Violation:
    """One identifier that no safe rule covers.

    ``table`` is the dataset name or file path, ``row`` the 0-based record index (the line
    number minus one for line-based files), ``path`` the field path inside the record
    (``email``, ``address.postcode``, ``tags[2]``; ``""`` for a bare value), ``detector`` the
    detector's name, ``rule`` the safe rule the value breaks, ``masked`` the masked value,
    ``profiles`` the requested profiles that enforce this detector, and ``start``/``end`` the
    span of the candidate inside the field's text.
    """

    table: str
    row: int
    path: str
    detector: str
    rule: str
    masked: str
    profiles: tuple[str, ...]
    start: int = 0
    end: int = 0

    def to_json(self) -> dict[str, Any]:
        """A plain-data copy (for JSON output, SARIF and manifests)."""
        data = asdict(self)
        data["profiles"] = list(self.profiles)
        return data


@dataclass(frozen=True)
class ScanError:
    """A file (or other input) that could not be scanned, and why; the scan goes on."""

    source: str
    message: str

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class ComplianceReport:
    """The result of ``scan``: clean when there are no violations and no errors."""

    profiles: tuple[str, ...]
    violations: list[Violation] = field(default_factory=list)
    errors: list[ScanError] = field(default_factory=list)
    tables: list[str] = field(default_factory=list)
    rows: int = 0
    values: int = 0
    candidates: int = 0
    bytes_scanned: int = 0

    @property
    def clean(self) -> bool:
        """No violation found and every input was readable."""
        return not self.violations and not self.errors

    def by_detector(self) -> dict[str, int]:
        """Violation counts per detector, sorted by detector name."""
        counts: dict[str, int] = {}
        for violation in self.violations:
            counts[violation.detector] = counts.get(violation.detector, 0) + 1
        return dict(sorted(counts.items()))

    def summary(self) -> dict[str, Any]:
        """The short form a dataset manifest carries."""
        return {
            "profiles": list(self.profiles),
            "scanned": True,
            "clean": self.clean,
            "rows": self.rows,
            "values": self.values,
            "candidates": self.candidates,
            "violations": len(self.violations),
            "by_detector": self.by_detector(),
        }

    def to_json(self) -> dict[str, Any]:
        """The whole report as plain data."""
        return {
            **self.summary(),
            "tables": list(self.tables),
            "bytes_scanned": self.bytes_scanned,
            "violations": [v.to_json() for v in self.violations],
            "errors": [e.to_json() for e in self.errors],
        }
