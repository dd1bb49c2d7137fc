"""Moving whole entries between the local cache and a shared one: ``pull`` and ``push``.

A pull reads each entry's manifest from a source (the shared S3 cache, or a file of
presigned URLs), then downloads the files it lists into a draft of the local store
(``LocalStore.draft``: a temporary folder inside the cache, under its writer lock, never
through a link). The draft is checked against the manifest (every size and sha256, the
request against the fingerprint) and only then moved into place, so a reader never sees a
partial entry, whatever arrives. A download that breaks off (a dropped connection, a
timeout, a 5xx) is resumed with a ``Range`` request from the bytes already written; when the
pull itself stops (it gives up, fails, is interrupted), what arrived stays in the
fingerprint's partial folder inside the cache, and the next pull asks only for the rest.

A push verifies each local entry and uploads its files and manifest as they are, byte for
byte (``entry_upload.py``), create-only into the shared store: an entry already there is
kept.

Entries move concurrently in a thread pool; outcomes come back in the order asked for, so
reports do not depend on timing. This module imports no AWS library: the sources do.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import IO, TYPE_CHECKING, Any, Protocol, TypeVar

from synthdata_sdk.cache.entry_format import (
    MANIFEST,
    file_name,
    listed_files,
    parse_manifest,
    record_files,
    request_from_manifest,
    table_rows,
)
from synthdata_sdk.errors import (
    BackendUnavailableError,
    CorruptCacheError,
    DatasetNotCachedError,
    EntrySignatureError,
    SynthDataError,
)

if TYPE_CHECKING:
    from synthdata_sdk.cache.draft import EntryDraft
    from synthdata_sdk.cache.store import LocalStore
    from synthdata_sdk.cloud.s3_store import S3Store

#: a manifest larger than this is refused unread (a normalised schema is rarely 100 KB)
MAX_MANIFEST_BYTES = 16 * 1024 * 1024
#: a data file larger than this is refused before it is fetched
MAX_FILE_BYTES = 64 * 1024**3
#: bytes read from the network at a time
CHUNK = 1 << 20
#: a download that breaks off this many times in a row without a new byte is given up
RESUME_ATTEMPTS = 5
#: the first wait after a download broke off without progress (doubling, at most MAX_WAIT)
FIRST_WAIT = 0.5
MAX_WAIT = 8.0
DEFAULT_JOBS = 4

# What happened to one entry
PULLED = "pulled"
PUSHED = "pushed"
PRESIGNED = "presigned"
LOCAL = "local"  # pull: a valid entry is already in the local cache
THERE = "there"  # push: the shared cache already has it
MISSING = "missing"  # not in the cache it is read from
CORRUPT = "corrupt"  # fails verification: not moved
REFUSED = "refused"  # not signed by the trusted key (or not signed, when that is required)
FAILED = "failed"  # the service or the file system failed
OK = frozenset({PULLED, PUSHED, PRESIGNED, LOCAL, THERE})

Progress = Callable[[int], None]
Item = TypeVar("Item")
Result = TypeVar("Result")


class DroppedError(Exception):
    """A download broke off (connection dropped or reset, timeout, 5xx): it is resumed."""


class StoppedError(Exception):
    """The transfer was stopped (an interrupt): what was being written is deleted."""


@dataclass(frozen=True)
class Body:
    """A download's answer: ``start`` is the offset its bytes begin at (0 when the server
    ignored the Range asked for), ``chunks`` the bytes as they arrive."""

    start: int
    chunks: Iterator[bytes]


class Source(Protocol):
    """Where a pull reads entries from: the shared S3 cache or a file of presigned URLs."""

    def location(self, fingerprint: str) -> str:
        """Where the entry is, for messages."""

    def manifest(self, fingerprint: str) -> bytes | None:
        """The entry's manifest as stored (at most MAX_MANIFEST_BYTES), None if absent."""

    def check(self, fingerprint: str, manifest: Mapping[str, Any]) -> None:
        """CorruptCacheError if the manifest disagrees with what the source knows."""

    def open(
        self, fingerprint: str, name: str, offset: int
    ) -> contextlib.AbstractContextManager[Body]:
        """The bytes of file ``name`` from ``offset`` on; DroppedError when they cannot be had now
        (resumed), a typed error when never (missing, refused)."""


@dataclass(frozen=True)
class Outcome:
    """What happened to one entry: ``status`` (see the constants), the bytes moved, its rows
    and, for a problem, what it was."""

    fingerprint: str
    status: str
    size: int = 0
    rows: int = 0
    detail: str = ""

    @property
    def ok(self) -> bool:
        """Whether the entry is where it was asked to be."""
        return self.status in OK


@dataclass(frozen=True)
class Plan:
    """An entry to move: ``outcome`` when nothing needs moving (already there, missing...),
    else the verified manifest to move it by and its data bytes (``size``)."""

    fingerprint: str
    outcome: Outcome | None = None
    manifest_data: bytes = b""
    manifest: Mapping[str, Any] | None = None
    size: int = 0
    replace: bool = False


# --------------------------------------------------------------------------------------------
# Pull


def plan_pull(
    source: Source,
    local: LocalStore,
    fingerprints: Sequence[str],
    *,
    jobs: int = DEFAULT_JOBS,
    check_manifest: Callable[[str, bytes], None] | None = None,
) -> list[Plan]:
    """What pulling ``fingerprints`` takes: valid local entries are skipped, the others' manifests
    are read and checked (``check_manifest(fingerprint, data)`` may refuse one with a
    CorruptCacheError, for example a bad signature: ``S3Store.check_signature`` or
    ``UrlSource.check_signature``). A local cache folder that cannot be used
    raises CacheLocationError before anything is read."""
    with local.open_folders(create=True):
        pass

    def plan(fingerprint: str) -> Plan:
        try:
            return _plan_pull(source, local, fingerprint, check_manifest)
        except SynthDataError as error:
            return Plan(fingerprint, problem(fingerprint, error))

    return list(in_order(jobs, fingerprints, plan))


def run_pull(
    source: Source,
    local: LocalStore,
    plans: Sequence[Plan],
    *,
    jobs: int = DEFAULT_JOBS,
    progress: Progress | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> Iterator[Outcome]:
    """Download the planned entries into ``local``; one outcome per plan, in order.

    ``progress(n)`` is called from the worker threads with each count of bytes written
    (negative when a download starts again from its first byte).
    """
    cancel = threading.Event()
    advance = progress or (lambda n: None)

    def pull(plan: Plan) -> Outcome:
        if plan.outcome is not None:
            return plan.outcome
        try:
            return _receive(source, local, plan, advance, cancel, sleep)
        except (SynthDataError, StoppedError) as error:
            return problem(plan.fingerprint, error)

    yield from in_order(jobs, plans, pull, cancel)


def _plan_pull(
    source: Source,
    local: LocalStore,
    fingerprint: str,
    check_manifest: Callable[[str, bytes], None] | None,
) -> Plan:
    local.path_for(fingerprint)  # validates the name
    replace = False
    if local.contains(fingerprint):
        try:
            manifest = local.verify(fingerprint)
        except CorruptCacheError:
            replace = True  # a damaged local entry is replaced by the verified one
        else:
            return Plan(fingerprint, Outcome(fingerprint, LOCAL, rows=_rows(manifest)))
    data = source.manifest(fingerprint)
    if data is None:
        return Plan(
            fingerprint,
            Outcome(fingerprint, MISSING, detail=f"not in {source.location(fingerprint)}"),
        )
    manifest = parse_manifest(fingerprint, data)
    files = listed_files(fingerprint, manifest)  # plain names inside the entry
    record_files(fingerprint, manifest)  # the records are there, once each, in order
    request_from_manifest(fingerprint, manifest)  # and the request has this fingerprint
    if check_manifest is not None:
        check_manifest(fingerprint, data)
    source.check(fingerprint, manifest)
    size = sum(size_of(fingerprint, item) for item in files)
    return Plan(fingerprint, None, data, manifest, size, replace)


def _receive(
    source: Source,
    local: LocalStore,
    plan: Plan,
    progress: Progress,
    cancel: threading.Event,
    sleep: Callable[[float], None],
) -> Outcome:
    fingerprint = plan.fingerprint
    assert plan.manifest is not None  # planned
    # The partial folder keeps what arrived when this pull breaks off, for the next one.
    with local.draft(fingerprint, replace=plan.replace, resume=True) as draft:
        try:
            for item in listed_files(fingerprint, plan.manifest):
                _receive_file(source, draft, item, progress, cancel, sleep)
            manifest = draft.commit(plan.manifest_data)
        except (CorruptCacheError, DatasetNotCachedError) as error:
            # A verdict on the shared entry, not a break: nothing worth going on from.
            draft.abandon()
            if not isinstance(error, CorruptCacheError):
                raise
            where = source.location(fingerprint)
            raise CorruptCacheError(fingerprint, f"{error.reason} (from {where})") from None
    return Outcome(fingerprint, PULLED, size=plan.size, rows=_rows(manifest))


def _receive_file(
    source: Source,
    draft: EntryDraft,
    item: Mapping[str, Any],
    progress: Progress,
    cancel: threading.Event,
    sleep: Callable[[float], None],
) -> None:
    """Download one file into the draft, going on from the bytes an earlier pull left; a file
    that does not verify is deleted, and when it was begun by an earlier pull, downloaded anew
    (once)."""
    fingerprint = draft.fingerprint
    name = file_name(fingerprint, item)
    size = size_of(fingerprint, item)
    while True:
        with draft.resume(name) as (stream, kept):
            if kept > size:  # not a beginning of this file
                stream.seek(0)
                stream.truncate()
                kept = 0
            progress(kept)
            download(
                source,
                fingerprint,
                name,
                size,
                stream,
                start=kept,
                progress=progress,
                cancel=cancel,
                sleep=sleep,
            )
        try:
            draft.check(item)
        except CorruptCacheError:
            draft.discard(name)
            if kept == 0:
                raise
            progress(-size)
            continue  # what the earlier pull left was not the beginning of this file
        return


def download(
    source: Source,
    fingerprint: str,
    name: str,
    size: int,
    stream: IO[bytes],
    *,
    start: int = 0,
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> None:
    """Write the ``size`` bytes of file ``name`` to ``stream`` (at its start), resuming from
    the bytes written whenever the download breaks off.

    ``start``: the bytes ``stream`` already holds (from an earlier pull; it is positioned after
    them), so only the rest is asked for.

    Gives up (BackendUnavailableError) after RESUME_ATTEMPTS breaks in a row without a new
    byte; more bytes than ``size`` is a CorruptCacheError. The bytes are not verified here:
    the caller checks them against the manifest.
    """
    written, failures = start, 0
    while written < size:
        before = written
        try:
            with source.open(fingerprint, name, written) as body:
                if body.start != written:
                    if body.start != 0:
                        raise DroppedError(f"the answer starts at byte {body.start}, not {written}")
                    # The server sent the whole file: start again from its first byte.
                    if progress is not None:
                        progress(-written)
                    stream.seek(0)
                    stream.truncate()
                    written = before = 0
                for chunk in body.chunks:
                    if cancel is not None and cancel.is_set():
                        raise StoppedError
                    if written + len(chunk) > size:
                        raise CorruptCacheError(
                            fingerprint, f"{name} has more bytes than the manifest's {size:,}"
                        )
                    stream.write(chunk)
                    written += len(chunk)
                    if progress is not None:
                        progress(len(chunk))
            if written < size:
                raise DroppedError(f"the answer ended after {written:,} of {size:,} bytes")
        except DroppedError as error:
            failures = 0 if written > before else failures + 1
            if failures > RESUME_ATTEMPTS:
                where = source.location(fingerprint)
                raise BackendUnavailableError(
                    f"downloading {name} of {fingerprint[:12]} from {where} broke off "
                    f"{RESUME_ATTEMPTS + 1} times in a row without a new byte ({error}); "
                    "retry later",
                    code="Dropped",
                    resource=where,
                ) from None
            if failures:  # no new byte: wait before asking again (at once otherwise)
                sleep(min(FIRST_WAIT * 2 ** (failures - 1), MAX_WAIT))


# --------------------------------------------------------------------------------------------
# Push


def plan_push(local: LocalStore, fingerprints: Sequence[str]) -> list[Plan]:
    """What pushing ``fingerprints`` takes: their sizes, or "missing" for those not local. A
    local cache folder that cannot be used raises CacheLocationError."""
    with local.open_folders(create=False, locks=False):
        pass
    return [_plan_push(local, fingerprint) for fingerprint in fingerprints]


def _plan_push(local: LocalStore, fingerprint: str) -> Plan:
    try:
        manifest = local.manifest(fingerprint)
        size = sum(size_of(fingerprint, item) for item in listed_files(fingerprint, manifest))
    except DatasetNotCachedError:
        missing = Outcome(fingerprint, MISSING, detail=f"not in the local cache {local.root}")
        return Plan(fingerprint, missing)
    except SynthDataError as error:
        return Plan(fingerprint, problem(fingerprint, error))
    return Plan(fingerprint, manifest=manifest, size=size)


def run_push(
    local: LocalStore,
    store: S3Store,
    plans: Sequence[Plan],
    *,
    jobs: int = DEFAULT_JOBS,
    progress: Progress | None = None,
) -> Iterator[Outcome]:
    """Verify each planned local entry and upload its files as they are into ``store``,
    create-only; one outcome per plan, in order (``there`` when the store already has it: it
    is kept as it is)."""
    advance = progress or (lambda n: None)

    def push(plan: Plan) -> Outcome:
        if plan.outcome is not None:
            return plan.outcome
        try:
            return _send(local, store, plan, advance)
        except SynthDataError as error:
            return problem(plan.fingerprint, error)

    yield from in_order(jobs, plans, push)


def _send(local: LocalStore, store: S3Store, plan: Plan, progress: Progress) -> Outcome:
    # imported here: the upload needs the S3 store, this module imports no AWS library
    from synthdata_sdk.cloud.entry_upload import upload_entry

    fingerprint = plan.fingerprint
    if store.contains(fingerprint):
        progress(plan.size)
        return Outcome(fingerprint, THERE, detail=store.location(fingerprint))
    # The whole entry is verified (and its records scanned again when the request named
    # compliance profiles) before any byte leaves; each file is checked again as it is read.
    local.load(fingerprint)
    data = local.manifest_data(fingerprint)
    manifest, kept = upload_entry(
        store,
        fingerprint,
        data,
        lambda item: local.read_file(fingerprint, item),
        progress=progress,
    )
    if kept:
        return Outcome(fingerprint, THERE, detail=store.location(fingerprint))
    return Outcome(fingerprint, PUSHED, size=plan.size, rows=_rows(manifest))


# --------------------------------------------------------------------------------------------


def in_order(
    jobs: int,
    items: Iterable[Item],
    work: Callable[[Item], Result],
    cancel: threading.Event | None = None,
) -> Iterator[Result]:
    """``work(item)`` for every item in ``jobs`` threads, the results in the items' order.

    When the caller stops early (an interrupt, an error), ``cancel`` is set and the work not
    started is dropped; the thread pool is shut down before this returns.
    """
    pool = ThreadPoolExecutor(max_workers=max(1, jobs), thread_name_prefix="synthdata-transfer")
    futures: list[Future[Result]] = []
    try:
        futures = [pool.submit(work, item) for item in items]
        for future in futures:
            yield future.result()
    finally:
        if cancel is not None and not all(future.done() for future in futures):
            cancel.set()
        pool.shutdown(wait=True, cancel_futures=True)


def problem(fingerprint: str, error: Exception) -> Outcome:
    """The outcome of an entry whose move raised ``error``."""
    if isinstance(error, EntrySignatureError):
        return Outcome(fingerprint, REFUSED, detail=error.reason)
    if isinstance(error, CorruptCacheError):
        return Outcome(fingerprint, CORRUPT, detail=error.reason)
    if isinstance(error, DatasetNotCachedError):
        return Outcome(fingerprint, MISSING, detail=_detail(error, fingerprint))
    if isinstance(error, StoppedError):
        return Outcome(fingerprint, FAILED, detail="stopped")
    return Outcome(fingerprint, FAILED, detail=str(error))


def _detail(error: DatasetNotCachedError, fingerprint: str) -> str:
    text = str(error)
    prefix = f"dataset {fingerprint} is "
    return text.removeprefix(prefix) if text.startswith(prefix) else text


def size_of(fingerprint: str, item: Mapping[str, Any]) -> int:
    """The size a manifest item gives its file; CorruptCacheError unless 0 to MAX_FILE_BYTES."""
    size = item.get("size")
    if not isinstance(size, int) or isinstance(size, bool) or not 0 <= size <= MAX_FILE_BYTES:
        raise CorruptCacheError(
            fingerprint,
            f"{MANIFEST} gives {item.get('path')} the size {size!r} (expected 0 to "
            f"{MAX_FILE_BYTES:,} bytes)",
        )
    return size


def _rows(manifest: Mapping[str, Any]) -> int:
    try:
        return table_rows(str(manifest.get("fingerprint")), manifest)
    except CorruptCacheError:
        return 0
