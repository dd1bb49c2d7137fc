"""The engine: a plan, drawn chunk by chunk, each chunk seeded from (seed, chunk index).

Chunks are independent, so generating all rows at once, chunk by chunk, or across a process
pool (locally, or one Lambda per chunk) gives the same records.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from functools import lru_cache
from typing import Any

from synthdata_sdk.errors import RequestError
from synthdata_sdk.generation.nodes.base import Context
from synthdata_sdk.generation.nodes.containers import ObjectNode, assemble
from synthdata_sdk.generation.planner import Plan, build_plan
from synthdata_sdk.schema.normalize import Schema

#: rows per chunk; part of the data version, because chunk boundaries decide the seeds
CHUNK_ROWS = 10_000

Progress = Callable[[int], None]
#: what a pool worker sends back: (names, columns, rows) for records, else the values
_Shipped = tuple[list[str], list[list[Any]], int] | list[Any]


def chunk_count(rows: int) -> int:
    """How many chunks ``rows`` rows take."""
    return (rows + CHUNK_ROWS - 1) // CHUNK_ROWS


def chunk_bounds(rows: int, chunk: int) -> tuple[int, int]:
    """First row and row count of one chunk."""
    start = chunk * CHUNK_ROWS
    return start, min(CHUNK_ROWS, rows - start)


def generate_chunk(plan: Plan, *, seed: int, locale: str, rows: int, chunk: int) -> list[Any]:
    """The values of one chunk of a ``rows``-row dataset."""
    start, count = chunk_bounds(rows, chunk)
    ctx = Context(seed=seed, chunk=chunk, locale=locale, row_start=start)
    return plan.root.generate(ctx, count)


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
    """Yield the dataset's chunks in order; ``workers > 1`` draws them in a process pool."""
    if workers < 1:
        raise RequestError(f"workers must be at least 1, got {workers}")
    plan = plan or build_plan(schema, locale=locale, rows=rows)
    chunks = chunk_count(rows)
    if workers == 1 or chunks <= 1:
        for chunk in range(chunks):
            values = generate_chunk(plan, seed=seed, locale=locale, rows=rows, chunk=chunk)
            if progress:
                progress(len(values))
            yield values
        return
    workers = min(workers, chunks, os.cpu_count() or 1)
    yield from _pooled(schema, rows, seed, locale, plan.compliance, workers, progress)


def _pooled(
    schema: Schema,
    rows: int,
    seed: int,
    locale: str,
    compliance: tuple[str, ...],
    workers: int,
    progress: Progress | None,
) -> Iterator[list[Any]]:
    # a bounded window of submitted chunks keeps memory flat and the order stable
    with ProcessPoolExecutor(max_workers=workers) as pool:
        window: deque[Future[_Shipped]] = deque()
        next_chunk = 0
        chunks = chunk_count(rows)
        while next_chunk < chunks or window:
            while next_chunk < chunks and len(window) < 2 * workers:
                window.append(
                    pool.submit(_worker_chunk, schema, rows, seed, locale, compliance, next_chunk)
                )
                next_chunk += 1
            values = _unship(window.popleft().result())
            if progress:
                progress(len(values))
            yield values


def _worker_chunk(
    schema: Schema, rows: int, seed: int, locale: str, compliance: tuple[str, ...], chunk: int
) -> _Shipped:
    # the worker rebuilds the parent's plan: same schema, rows, locale and profiles
    plan = _worker_plan(_freeze(schema), rows, locale, compliance)
    if isinstance(plan.root, ObjectNode):
        # columns pickle far faster than records; the parent zips them into records
        start, count = chunk_bounds(rows, chunk)
        ctx = Context(seed=seed, chunk=chunk, locale=locale, row_start=start)
        names, columns = plan.root.columns(ctx, count)
        return names, columns, count
    return generate_chunk(plan, seed=seed, locale=locale, rows=rows, chunk=chunk)


def _unship(shipped: _Shipped) -> list[Any]:
    if isinstance(shipped, tuple):
        return assemble(*shipped)
    return shipped


@lru_cache(maxsize=8)
def _worker_plan(frozen: str, rows: int, locale: str, compliance: tuple[str, ...]) -> Plan:
    import json

    return build_plan(json.loads(frozen), locale=locale, rows=rows, compliance=compliance)


def _freeze(schema: Schema) -> str:
    import json

    return json.dumps(schema)  # key order is column order: never sort here


def generate_values(
    schema: Schema, *, rows: int, seed: int = 0, locale: str = "en_US"
) -> list[Any]:
    """All values of a schema of any type (records need an object schema; this does not)."""
    out: list[Any] = []
    for values in iter_chunks(schema, rows=rows, seed=seed, locale=locale):
        out.extend(values)
    return out
