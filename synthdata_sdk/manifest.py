"""The dataset manifest (see ARCHITECTURE: dataset on disk / in S3)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from synthdata_sdk.generation.request import DatasetRequest
from synthdata_sdk.generation.version import ENGINE_VERSION

MANIFEST_VERSION = 1


def build_manifest(
    request: DatasetRequest,
    *,
    rows: int,
    files: list[dict[str, Any]] | None = None,
    table: str = "data",
    created_at: datetime | None = None,
    quality: dict[str, Any] | None = None,
    compliance: dict[str, Any] | None = None,
    tables: Mapping[str, int] | None = None,
) -> dict[str, Any]:
    """A manifest for one generated table; ``files`` lists ``{path, format, sha256, size}``.

    ``quality`` is a quality report's ``summary()``, stored as given (None: not measured);
    ``compliance`` the summary of the scan of this output (None: not scanned). A table set
    gives ``tables``, its rows per table (``rows`` and ``table`` are then not used).
    """
    return {
        "manifest_version": MANIFEST_VERSION,
        "fingerprint": request.fingerprint(),
        "engine_version": ENGINE_VERSION,
        "data_version": request.data_version,
        "created_at": (created_at or datetime.now(UTC)).isoformat(timespec="seconds"),
        "request": {
            "source": request.source,
            "name": request.name,
            "rows": request.rows,
            "seed": request.seed,
            "locale": request.locale,
            "compliance": list(request.compliance),
            "schema": request.normalized_schema,
            **({"table_rows": request.table_rows} if request.table_rows is not None else {}),
        },
        "tables": dict(tables) if tables is not None else {table: rows},
        "files": list(files or []),
        "quality": quality,
        "compliance": compliance or {"profiles": list(request.compliance), "scanned": False},
    }


def quality_score(manifest: Mapping[str, Any]) -> float | None:
    """The quality score a manifest records, or None when quality was not measured."""
    quality = manifest.get("quality")
    score = quality.get("score") if isinstance(quality, Mapping) else None
    return float(score) if isinstance(score, (int, float)) else None
