"""``synthdata.lock``: the fingerprints a test suite uses, committed next to it.

The file is JSON with sorted keys and one entry per line group, so diffs stay small::

    {
      "datasets": {
        "<fingerprint>": {"locale": "en_US", "name": "customer", "rows": 100, "seed": 0,
                          "source": "template 'customer'"}
      },
      "version": 1
    }

CI can key its dataset cache on the file's hash, and pruning keeps exactly what it lists.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from synthdata_sdk.errors import CacheError
from synthdata_sdk.formats.base import write_text_atomically

LOCK_VERSION = 1


@dataclass(frozen=True)
class LockEntry:
    """One dataset a suite uses: its fingerprint and a summary of its request."""

    fingerprint: str
    source: str
    rows: int
    seed: int
    locale: str = "en_US"
    name: str | None = None
    compliance: tuple[str, ...] = field(default=())

    def to_json(self) -> dict[str, Any]:
        """The entry as stored (the fingerprint is the key, so it is left out)."""
        data = asdict(self)
        del data["fingerprint"]
        data["compliance"] = list(self.compliance)
        if not self.compliance:
            del data["compliance"]
        if self.name is None:
            del data["name"]
        return data


def read_lock(path: str | os.PathLike[str]) -> dict[str, LockEntry] | None:
    """The entries of a lock file by fingerprint, or None when there is no file."""
    lock_path = Path(path)
    try:
        text = lock_path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as error:
        raise CacheError(f"cannot read {lock_path}: {error}") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise CacheError(
            f"{lock_path} is not JSON: line {error.lineno} column {error.colno}: {error.msg}"
        ) from None
    datasets = data.get("datasets") if isinstance(data, dict) else None
    if not isinstance(datasets, Mapping):
        raise CacheError(f"{lock_path} has no 'datasets' object (expected a synthdata lock file)")
    entries: dict[str, LockEntry] = {}
    for fingerprint, item in datasets.items():
        try:
            entries[fingerprint] = LockEntry(
                fingerprint=fingerprint,
                source=str(item["source"]),
                rows=int(item["rows"]),
                seed=int(item["seed"]),
                locale=str(item.get("locale", "en_US")),
                name=item.get("name"),
                compliance=tuple(item.get("compliance", ())),
            )
        except (KeyError, TypeError, ValueError) as error:
            raise CacheError(
                f"{lock_path}: datasets.{fingerprint} is malformed ({error!r}; "
                "expected source, rows and seed)"
            ) from None
    return entries


def render_lock(entries: Iterable[LockEntry]) -> str:
    """The lock file's text: sorted, indented, ending with a newline."""
    datasets = {
        entry.fingerprint: entry.to_json() for entry in sorted(entries, key=_by_fingerprint)
    }
    return (
        json.dumps({"version": LOCK_VERSION, "datasets": datasets}, indent=2, sort_keys=True) + "\n"
    )


def write_lock(path: str | os.PathLike[str], entries: Iterable[LockEntry]) -> Path:
    """Replace the lock file atomically with ``entries``."""
    return write_text_atomically(Path(path), render_lock(entries))


def _by_fingerprint(entry: LockEntry) -> str:
    return entry.fingerprint
