"""How many rows one invocation may draw: the rows setting, and the time setting measured.

``SYNTHDATA_PARTITION_ROWS`` caps the rows of one invocation; ``SYNTHDATA_PARTITION_SECONDS``
caps its drawing time. Time depends on the schema (a three-field record draws a hundred times
faster than a customer with compliance checks), so it is measured: the request's first chunk
is drawn once, timed, and the partitions get as many whole chunks as fit in the time. The
partitioning never changes the bytes (each chunk is seeded from the seed and its index), only
how many invocations draw them.

A table set is never split (a child table's keys come from its parents' rows, drawn first):
it is drawn by one invocation, or refused when it does not fit one (``table_set_excess``).
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from synthdata_sdk.cloud.config import ActionLimits
    from synthdata_sdk.prepared import PreparedRequest

#: the clock the first chunk is timed with (tests replace it)
CLOCK: Callable[[], float] = time.perf_counter


def rows_per_invocation(prepared: PreparedRequest, limits: ActionLimits) -> int:
    """The rows one invocation draws for ``prepared``: ``limits.partition_rows``, or fewer
    (whole chunks, one at least) when the first chunk shows they would take longer than
    ``limits.partition_seconds``."""
    from synthdata_sdk.generation import engine

    rows = prepared.request.rows
    budget = limits.partition_seconds
    if budget is None or rows <= engine.CHUNK_ROWS or limits.partition_rows <= engine.CHUNK_ROWS:
        return limits.partition_rows  # nothing to measure, or no finer split to make
    request = prepared.request
    started = CLOCK()
    engine.generate_chunk(
        prepared.plan, seed=request.seed, locale=request.locale, rows=rows, chunk=0
    )
    per_chunk = max(CLOCK() - started, 1e-9)
    chunks = max(1, math.floor(budget / per_chunk))
    return min(limits.partition_rows, chunks * engine.CHUNK_ROWS)


def table_set_bounds(prepared: PreparedRequest) -> dict[str, int]:
    """The most rows each table of ``prepared``'s table set can have (as it was planned)."""
    assert prepared.table_set is not None, "not a table set"
    return prepared.table_set.bounds


def table_set_excess(prepared: PreparedRequest, limits: ActionLimits) -> str | None:
    """Why ``prepared``'s table set is more than one invocation draws, or None when it fits.

    A table set is drawn whole by one invocation (its child tables take their keys from their
    parents' rows), so it must fit: its most rows within ``limits.partition_rows``, and its
    drawing time, estimated from each table's first chunk timed once, within
    ``limits.partition_seconds``.
    """
    from synthdata_sdk.cloud.config import PARTITION_ROWS_ENV, PARTITION_SECONDS_ENV
    from synthdata_sdk.generation import engine

    bounds = table_set_bounds(prepared)
    total = sum(bounds.values())
    if total > limits.partition_rows:
        tables = ", ".join(f"{name} {rows:,}" for name, rows in bounds.items())
        return (
            f"it may have up to {total:,} rows ({tables}), more than the "
            f"{limits.partition_rows:,} one invocation draws ({PARTITION_ROWS_ENV})"
        )
    budget = limits.partition_seconds
    if budget is None or total <= engine.CHUNK_ROWS:
        return None  # one chunk's worth: nothing worth timing
    plan, request = prepared.table_set, prepared.request
    assert plan is not None
    seconds = 0.0
    for name, rows in bounds.items():
        if rows == 0:
            continue
        started = CLOCK()
        engine.generate_chunk(
            plan.plans[name], seed=request.seed, locale=request.locale, rows=rows, chunk=0
        )
        seconds += max(CLOCK() - started, 1e-9) * engine.chunk_count(rows)
    if seconds > budget:
        return (
            f"drawing it would take about {seconds:,.0f} s (each table's first chunk timed), "
            f"more than the {budget:g} s one invocation may spend ({PARTITION_SECONDS_ENV})"
        )
    return None
