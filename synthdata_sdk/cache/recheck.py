"""Scanning a cache entry's records again before serving them, when its request named profiles.

A manifest's sha256 proves that an entry was not damaged since it was written, not that
nobody rewrote it: anyone who can write the cache can change ``records.json`` and its digest
together. The records of a request that asked for compliance profiles were scanned when they
were generated; scanning them again on the way out means a rewritten entry that breaks the
profiles is never served. Entries without profiles are served as stored: their safety rests on
generation alone (see docs/compliance.md, "What the cache trusts").
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from synthdata_sdk.dataset import default_table_name
from synthdata_sdk.errors import CorruptCacheError
from synthdata_sdk.generation.request import DatasetRequest


def recheck_compliance(
    fingerprint: str, request: DatasetRequest, records: Sequence[Mapping[str, Any]]
) -> None:
    """Raise CorruptCacheError if ``records`` break a profile ``request`` names."""
    from synthdata_sdk.quality.scanner import scan

    report = scan(
        records,
        request.compliance,
        table=default_table_name(request),
        schema=request.normalized_schema,
    )
    if not report.violations:
        return
    first = report.violations[0]
    raise CorruptCacheError(
        fingerprint,
        f"records.json breaks compliance profile(s) {', '.join(first.profiles)} "
        f"({len(report.violations)} violation(s), first at row {first.row} "
        f"{first.path or '(value)'}: {first.detector}, {first.masked}); synthdata never stores "
        "such records, so the entry was changed after it was written",
    )
