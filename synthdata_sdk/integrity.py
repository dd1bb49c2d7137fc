"""File digests for manifests: every read of a dataset file is checked against these."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

_BLOCK = 1 << 20


def sha256_file(path: Path) -> str:
    """sha256 hex of a file, read in 1 MiB blocks."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(_BLOCK):
            digest.update(block)
    return digest.hexdigest()


def file_entry(path: Path, fmt: str) -> dict[str, Any]:
    """The manifest entry of one data file."""
    return {
        "path": path.name,
        "format": fmt,
        "sha256": sha256_file(path),
        "size": path.stat().st_size,
    }
