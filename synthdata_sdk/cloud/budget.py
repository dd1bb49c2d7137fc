"""How many rows one invocation may draw: the rows setting, and the time setting measured.

``SYNTHDATA_PARTITION_ROWS`` caps the rows of one invocation; ``SYNTHDATA_PARTITION_SECONDS``
caps its drawing time. Time depends on the schema (a three-field record draws a hundred times
faster than a customer with compliance checks), so it is measured: the request's first chunk
is drawn once, timed, and the partitions get as many whole chunks as fit in the time. The
partitioning never changes the bytes (each chunk is seeded from the seed and its index), only
how many invocations draw them.
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
