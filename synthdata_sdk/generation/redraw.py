"""Some rows of a dataset drawn again, as a check outside the schema (a pydantic validator) asks.

A row drawn again depends only on the request, the row and the attempt number: the same
request gives the same records whoever checks them. The attempts are spaced far apart from
the engine's own (a guard's redraws add one, a union's fallback 2**20), so a redraw never
repeats a draw the first pass made.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import groupby
from typing import Any

from synthdata_sdk.generation.engine import CHUNK_ROWS, chunk_bounds
from synthdata_sdk.generation.nodes.base import Context
from synthdata_sdk.generation.nodes.containers import ObjectNode, assemble
from synthdata_sdk.generation.planner import Plan

#: the attempt number of the first redraw; the k-th is k times this
ATTEMPT_SPACING = 1 << 32


def redraw_rows(
    plan: Plan, *, seed: int, locale: str, rows: int, positions: Sequence[int], attempt: int
) -> list[Any]:
    """The values at the dataset rows ``positions`` (ascending), drawn for the ``attempt``-th
    time (from 1): records for an object root, as ``engine.generate_chunk`` gives them.

    A row's new value depends on the other rows of its chunk drawn with it (the draws are
    column-wise), so a caller passes all the rows of a chunk it redraws at once: checks run
    chunk by chunk, on the engine's chunk boundaries.
    """
    out: list[Any] = []
    for chunk, group in groupby(positions, key=lambda row: row // CHUNK_ROWS):
        start, _ = chunk_bounds(rows, chunk)
        offsets = [row - start for row in group]
        ctx = Context(
            seed=seed,
            chunk=chunk,
            locale=locale,
            row_start=start,
            attempt=attempt * ATTEMPT_SPACING,
        ).subset(offsets)
        if isinstance(plan.root, ObjectNode):
            names, columns = plan.root.columns(ctx, len(offsets))
            out.extend(assemble(names, columns, len(offsets)))
        else:
            out.extend(plan.root.generate(ctx, len(offsets)))
    return out
