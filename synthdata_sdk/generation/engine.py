"""The engine: a plan, drawn chunk by chunk, each chunk seeded from (seed, chunk index).

Chunks are independent, so generating all rows at once, chunk by chunk, or across a process
pool (locally, or one Lambda per chunk) gives the same records. Locally, ``workers=N`` runs N
processes in all: the caller draws chunks too while the pool's N - 1 processes draw theirs
(see :func:`_in_order`), and :mod:`~synthdata_sdk.generation.transport` brings those back.
"""

from __future__ import annotations

import json
import os
import signal
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Generic, TypeVar

from synthdata_sdk.errors import RequestError
from synthdata_sdk.generation.nodes.base import Context
from synthdata_sdk.generation.nodes.containers import ObjectNode, assemble
from synthdata_sdk.generation.planner import Plan, build_plan, plan_records
from synthdata_sdk.generation.transport import Drawn, Spool, receive, send
from synthdata_sdk.options import DEFAULT_LOCALE, DEFAULT_SEED
from synthdata_sdk.schema.normalize import Schema

#: rows per chunk; part of the data version, because chunk boundaries decide the seeds
CHUNK_ROWS = 10_000

#: chunks submitted ahead per pool process, so that it never waits for the caller
POOL_AHEAD = 3
#: chunks the caller may hold that it drew itself while waiting for the pool
OWN_AHEAD = 4

Progress = Callable[[int], None]
#: a chunk drawn by the caller, or the spool path of a chunk drawn by the pool
_Arrival = Drawn | str
_P = TypeVar("_P")
_O = TypeVar("_O")


def chunk_count(rows: int) -> int:
    """How many chunks ``rows`` rows take."""
    return (rows + CHUNK_ROWS - 1) // CHUNK_ROWS


def chunk_bounds(rows: int, chunk: int) -> tuple[int, int]:
    """First row and row count of one chunk."""
    start = chunk * CHUNK_ROWS
    return start, min(CHUNK_ROWS, rows - start)


def generate_chunk(plan: Plan, *, seed: int, locale: str, rows: int, chunk: int) -> list[Any]:
    """The values of one chunk of a ``rows``-row dataset."""
    return values_of(draw_columns(plan, seed=seed, locale=locale, rows=rows, chunk=chunk))


def draw_columns(plan: Plan, *, seed: int, locale: str, rows: int, chunk: int) -> Drawn:
    """One chunk as columns, before records are built: ``generate_chunk`` without the zip.

    An object root gives its property names and one column per property; any other root
    gives ``None`` and a single column of its values.
    """
    start, count = chunk_bounds(rows, chunk)
    ctx = Context(seed=seed, chunk=chunk, locale=locale, row_start=start)
    if isinstance(plan.root, ObjectNode):
        names, columns = plan.root.columns(ctx, count)
        return names, columns, count
    return None, [plan.root.generate(ctx, count)], count


def values_of(drawn: Drawn) -> list[Any]:
    """The values of a chunk drawn by :func:`draw_columns`: records, or the single column."""
    names, columns, count = drawn
    if names is None:
        return columns[0]
    return assemble(names, columns, count)


def iter_chunks(
    schema: Schema,
    *,
    rows: int,
    seed: int,
    locale: str,
    workers: int = 1,
    plan: Plan | None = None,
    progress: Progress | None = None,
) -> Iterator[list[Any]]:
    """Yield the dataset's chunks in order.

    ``workers`` counts processes, the caller's included: with ``workers > 1`` the caller draws
    chunks itself while a pool of ``workers - 1`` processes draws the others (at most one
    process per CPU in all).
    """
    if workers < 1:
        raise RequestError(f"workers must be at least 1, got {workers}")
    plan = plan or build_plan(schema, locale=locale, rows=rows)
    chunks = chunk_count(rows)
    processes = min(workers, chunks, os.cpu_count() or 1)
    drawn: Iterator[list[Any]]
    if processes <= 1:
        drawn = (
            generate_chunk(plan, seed=seed, locale=locale, rows=rows, chunk=chunk)
            for chunk in range(chunks)
        )
    else:
        drawn = _shared(schema, plan, rows, seed, locale, pool_size=processes - 1)
    for values in drawn:
        if progress:
            progress(len(values))
        yield values


@dataclass(frozen=True)
class _Job:
    """What a pool process needs to rebuild the caller's plan and draw any chunk of it."""

    frozen_schema: str
    rows: int
    seed: int
    locale: str
    compliance: tuple[str, ...]
    spool: str
    records: bool = False


def _shared(
    schema: Schema, plan: Plan, rows: int, seed: int, locale: str, *, pool_size: int
) -> Iterator[list[Any]]:
    """The chunks in order, drawn by a pool of ``pool_size`` processes and by the caller."""

    def own(chunk: int) -> _Arrival:
        return draw_columns(plan, seed=seed, locale=locale, rows=rows, chunk=chunk)

    with Spool() as spool:
        job = _Job(
            _freeze(schema), rows, seed, locale, plan.compliance, spool.directory, plan.records
        )
        pool = ProcessPoolExecutor(max_workers=pool_size, initializer=_ignore_interrupts)
        try:
            arrivals = _in_order(
                chunk_count(rows),
                lambda chunk: pool.submit(_worker_chunk, job, chunk),
                own,
                ahead=POOL_AHEAD * pool_size,
                own_ahead=OWN_AHEAD,
            )
            for arrival in arrivals:
                yield values_of(receive(arrival) if isinstance(arrival, str) else arrival)
        finally:
            # an error, Ctrl-C or a consumer that stops early: drop the queued chunks, let
            # the running ones finish (a chunk each) and reap the processes; then the spool
            # with any chunk left in it goes
            pool.shutdown(wait=True, cancel_futures=True)


@dataclass(frozen=True)
class _Own(Generic[_O]):
    """A chunk in the window that the caller drew itself (or failed to draw)."""

    outcome: Future[_O]


def _in_order(
    chunks: int,
    submit: Callable[[int], Future[_P]],
    own: Callable[[int], _O],
    *,
    ahead: int,
    own_ahead: int,
) -> Iterator[_P | _O]:
    """Every chunk's result in chunk order, each drawn by the pool or by the caller.

    The pool always has ``ahead`` chunks submitted, so it does not idle; whenever the next
    chunk in line is not back yet, the caller draws the next unassigned chunk itself rather
    than wait, holding at most ``own_ahead`` of them. Memory stays within ``ahead +
    own_ahead`` chunks, and who draws a chunk never changes it (its seed is its index).
    """
    window: deque[Future[_P] | _Own[_O]] = deque()
    next_chunk = 0
    while window or next_chunk < chunks:
        while next_chunk < chunks and len(window) - _owned(window) < ahead:
            window.append(submit(next_chunk))
            next_chunk += 1
        head = window[0]
        waiting = isinstance(head, Future) and not head.done()
        if waiting and next_chunk < chunks and _owned(window) < own_ahead:
            window.append(_draw_own(own, next_chunk))
            next_chunk += 1
            continue
        window.popleft()
        yield (head.outcome if isinstance(head, _Own) else head).result()


def _draw_own(own: Callable[[int], _O], chunk: int) -> _Own[_O]:
    """The caller's draw of one chunk, kept for its turn in the window.

    An error is kept too, and raised in the chunk's turn (after the chunks before it), as it
    would be without a pool.
    """
    outcome: Future[_O] = Future()
    try:
        outcome.set_result(own(chunk))
    except Exception as error:
        outcome.set_exception(error)
    return _Own(outcome)


def _owned(window: deque[Future[_P] | _Own[_O]]) -> int:
    """How many chunks of the window the caller drew itself."""
    return sum(isinstance(slot, _Own) for slot in window)


def _ignore_interrupts() -> None:
    """Pool processes leave Ctrl-C to the caller, which stops the pool cleanly."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _worker_chunk(job: _Job, chunk: int) -> str:
    """Draw a chunk in a pool process and spool it; returns its path for the caller."""
    # the worker rebuilds the caller's plan: same schema, rows, locale and profiles
    plan = _worker_plan(job.frozen_schema, job.rows, job.locale, job.compliance, job.records)
    drawn = draw_columns(plan, seed=job.seed, locale=job.locale, rows=job.rows, chunk=chunk)
    # columns travel far cheaper than records; the caller zips them into records
    return send(job.spool, chunk, drawn)


@lru_cache(maxsize=8)
def _worker_plan(
    frozen: str, rows: int, locale: str, compliance: tuple[str, ...], records: bool
) -> Plan:
    plan = plan_records if records else build_plan
    return plan(json.loads(frozen), locale=locale, rows=rows, compliance=compliance)


def _freeze(schema: Schema) -> str:
    return json.dumps(schema)  # key order is column order: never sort here


def generate_values(
    schema: Schema, *, rows: int, seed: int = DEFAULT_SEED, locale: str = DEFAULT_LOCALE
) -> list[Any]:
    """All values of a schema of any type (records need an object schema; this does not)."""
    out: list[Any] = []
    for values in iter_chunks(schema, rows=rows, seed=seed, locale=locale):
        out.extend(values)
    return out
