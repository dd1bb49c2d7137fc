"""Session pointers: ``<prefix>/sessions/<session id>/result.json`` names a session's dataset.

An agent's answer is free text, so the dataset it generated is found through the pointer the
action function writes, never through what the agent says. A pointer is small JSON: the
fingerprint, the dataset's S3 URI, its rows, the generation id and its ``status``
(``completed``, or ``failed`` with an ``error`` when a fanned-out generation stopped). A
session's latest result replaces the one before it.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from synthdata_sdk.cache.entry_format import MANIFEST
from synthdata_sdk.cache.names import is_fingerprint
from synthdata_sdk.cloud.ids import check_id
from synthdata_sdk.errors import CacheError

if TYPE_CHECKING:
    from synthdata_sdk.cloud.s3_store import S3Store

SESSIONS = "sessions"
POINTER = "result.json"
POINTER_VERSION = 1
COMPLETED = "completed"
FAILED = "failed"
#: a fanned-out generation whose partitions are still running: nothing is stored yet
RUNNING = "running"


def pointer_key(store: S3Store, session_id: str) -> str:
    """The object key of a session's pointer (the session id checked)."""
    return store.key(SESSIONS, check_id("session id", session_id), POINTER)


def write_pointer(
    store: S3Store,
    session_id: str,
    *,
    fingerprint: str,
    rows: int,
    generation_id: str,
    status: str = COMPLETED,
    error: str | None = None,
) -> dict[str, Any]:
    """Point ``session_id`` at the dataset ``fingerprint``; returns the pointer written.

    ``status`` is ``completed`` (the dataset is stored), ``running`` (a fanned-out
    generation's partitions were sent: a caller that cannot see the function's answer, such
    as the agent backend, learns from it to wait) or ``failed`` (a fanned-out generation
    stopped; ``error`` says why, and nothing is stored).
    """
    key = pointer_key(store, session_id)
    pointer: dict[str, Any] = {
        "pointer_version": POINTER_VERSION,
        "session_id": session_id,
        "fingerprint": fingerprint,
        "dataset": store.uri(fingerprint),
        "manifest": store.uri(fingerprint) + MANIFEST,
        "rows": rows,
        "generation_id": generation_id,
        "status": status,
        "written_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    if error is not None:
        pointer["error"] = error
    store.objects.put(key, json.dumps(pointer, indent=2).encode("utf-8") + b"\n")
    return pointer


def read_pointer(store: S3Store, session_id: str) -> dict[str, Any] | None:
    """A session's pointer, or None if it has none; CacheError if it cannot be read."""
    key = pointer_key(store, session_id)
    data = store.objects.get(key)
    if data is None:
        return None
    try:
        pointer = json.loads(data)
    except (ValueError, RecursionError) as error:
        raise CacheError(f"{store.objects.uri(key)} is not JSON: {error}") from None
    if not isinstance(pointer, dict) or not is_fingerprint(str(pointer.get("fingerprint"))):
        raise CacheError(f"{store.objects.uri(key)} does not name a dataset fingerprint")
    return pointer
