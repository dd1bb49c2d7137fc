"""Publishing a generated dataset: S3 entry, session pointer and history item, in that order.

The history item is ``requested`` first, so a crash midway leaves a trace; then the dataset
is put create-only (an existing entry is reused), the session pointer names it, and the item
becomes ``completed`` (``failed`` if any step raised). What comes back is a small summary for
an agent or a caller: never the data.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from synthdata_sdk.cache.entry_format import MANIFEST
from synthdata_sdk.cloud.ids import check_id
from synthdata_sdk.cloud.pointer import write_pointer

if TYPE_CHECKING:
    from synthdata_sdk.cloud.history import GenerationHistory
    from synthdata_sdk.cloud.s3_store import S3Store
    from synthdata_sdk.dataset import Dataset


def generation_id_for(session_id: str, fingerprint: str) -> str:
    """The default generation id: the same session asking for the same dataset again (a
    retry) is the same generation."""
    text = f"{session_id}\n{fingerprint}".encode()
    return "g-" + hashlib.sha256(text).hexdigest()[:32]


def publish(
    dataset: Dataset,
    store: S3Store,
    history: GenerationHistory,
    session_id: str,
    requester: str,
    *,
    generation_id: str | None = None,
    clock: Callable[[], float] = time.perf_counter,
) -> dict[str, Any]:
    """Put ``dataset`` in ``store``, point ``session_id`` at it and record it in ``history``.

    Returns ``generation_id``, ``session_id``, ``fingerprint``, ``s3_uri`` (the entry),
    ``manifest_uri``, ``rows``, ``compliance`` and ``quality`` (the manifest's summaries), and
    ``reused`` (True when the entry was already there, or another writer put it first).
    ``generation_id`` defaults to one derived from the session and the fingerprint, so a
    retried call records nothing twice.
    """

    def put() -> tuple[Mapping[str, Any], bool]:
        stored = store.add(dataset)
        return stored.manifest, not stored.created

    fingerprint = dataset.request.fingerprint()
    return _serve(store, history, fingerprint, put, session_id, requester, generation_id, clock)


def record_reuse(
    store: S3Store,
    history: GenerationHistory,
    fingerprint: str,
    manifest: Mapping[str, Any],
    session_id: str,
    requester: str,
    *,
    generation_id: str | None = None,
    clock: Callable[[], float] = time.perf_counter,
) -> dict[str, Any]:
    """Serve the stored dataset ``fingerprint`` (its ``manifest``) to ``session_id`` without
    generating it: the history item and the session pointer as ``publish`` makes them, and
    its summary, with ``reused`` True."""
    return _serve(
        store,
        history,
        fingerprint,
        lambda: (manifest, True),
        session_id,
        requester,
        generation_id,
        clock,
    )


def _serve(
    store: S3Store,
    history: GenerationHistory,
    fingerprint: str,
    stored: Callable[[], tuple[Mapping[str, Any], bool]],
    session_id: str,
    requester: str,
    generation_id: str | None,
    clock: Callable[[], float],
) -> dict[str, Any]:
    """History ``requested``, the entry (``stored()``: its manifest and whether it was there
    already), the session pointer, history ``completed``; ``failed`` if a step raised."""
    check_id("session id", session_id)
    generation_id = generation_id or generation_id_for(session_id, fingerprint)
    started = clock()
    history.start(
        generation_id, fingerprint=fingerprint, requester=requester, session_id=session_id
    )
    try:
        manifest, reused = stored()
        rows = sum(int(count) for count in manifest["tables"].values())
        write_pointer(
            store, session_id, fingerprint=fingerprint, rows=rows, generation_id=generation_id
        )
    except Exception as error:
        record_failure(history, generation_id, error, {"publish_ms": _ms(clock() - started)})
        raise
    uri = store.uri(fingerprint)
    compliance, quality = manifest.get("compliance"), manifest.get("quality")
    history.complete(
        generation_id,
        rows=rows,
        s3_uri=uri,
        quality=quality,
        compliance=compliance,
        timings={"publish_ms": _ms(clock() - started)},
    )
    return {
        "generation_id": generation_id,
        "session_id": session_id,
        "fingerprint": fingerprint,
        "s3_uri": uri,
        "manifest_uri": uri + MANIFEST,
        "rows": rows,
        "compliance": compliance,
        "quality": quality,
        "reused": reused,
    }


def record_failure(
    history: GenerationHistory,
    generation_id: str,
    error: BaseException,
    timings: Mapping[str, float] | None = None,
) -> None:
    """Mark the generation failed; an error doing so is noted on ``error``, which stays the
    one to report."""
    try:
        history.fail(generation_id, error=f"{type(error).__name__}: {error}", timings=timings)
    except Exception as also:
        error.add_note(f"the history item could not be marked failed: {also}")


def _ms(seconds: float) -> float:
    return round(seconds * 1000, 3)
