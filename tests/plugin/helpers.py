"""Reading a plugin run's results: the summary line, the cache folder, JSON files."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

SUMMARY = re.compile(
    r"synthdata: (\d+) generated, (\d+) cached(?: \((?P<shared>\d+) from the shared cache\))?, "
    r"(\d+) errors? \((\d+) datasets?, (\d+) rows?\)"
)


def summary(result: pytest.RunResult) -> tuple[int, ...]:
    """(generated, cached, errors, datasets, rows) from the run's summary line."""
    found = _summary(result)
    return tuple(int(group) for index, group in enumerate(found.groups()) if index != 2)


def shared_hits(result: pytest.RunResult) -> int | None:
    """The summary's ``N from the shared cache``, or None when the line does not give it."""
    shared = _summary(result)["shared"]
    return None if shared is None else int(shared)


def _summary(result: pytest.RunResult) -> re.Match[str]:
    for line in result.outlines:
        found = SUMMARY.fullmatch(line.strip())
        if found:
            return found
    raise AssertionError("no synthdata summary line in:\n" + result.stdout.str())


def entries(cache: Path) -> list[str]:
    """Fingerprints stored in a cache folder."""
    folder = cache / "datasets"
    if not folder.is_dir():
        return []
    return sorted(p.name for p in folder.iterdir() if not p.name.startswith("."))


def read_json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))
