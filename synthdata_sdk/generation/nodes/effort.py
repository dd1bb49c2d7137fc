"""The work one chunk spends on checks: a bound on redraws, and the branches that cannot draw.

A check that rarely holds, nested in another (a ``oneOf`` inside a ``not`` inside an array
of ``anyOf``...), multiplies redraws at each level: each redraw of the outer check draws the
inner one again, with its own redraws. One real-world schema took minutes for ten records.
So a chunk keeps an :class:`Effort`: a check may ask for :data:`MAX_REDRAWS_PER_CHECK`
redraws in one chunk (ten times the 30 one call may take), all checks together
:data:`MAX_REDRAWS`, drawing and checking at most :data:`MAX_REDRAWN_SUBSCHEMAS` subschemas
again (a record of a large schema redrawn whole weighs as much as its size, and a check
against a union of 2,000 branches as much as those branches); past any of these, the schema
is refused with a SchemaError naming the check.
A redraw covers every failing row at once, so neither count grows with the rows. A union
branch that failed once in the chunk is not tried again in it (its rows go to the other
branches at once), and an optional property that failed is left out of the chunk's
records. All of this depends only on the schema, the seed and the chunk, so the
records never depend on which process draws the chunk.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from synthdata_sdk.errors import SchemaError
from synthdata_sdk.schema.metaschema import subschemas

#: how the refusal for a spent budget begins (unions let it through rather than fall back)
TOO_EXPENSIVE = "too expensive"
#: redraws one check may ask for in one chunk
MAX_REDRAWS_PER_CHECK = 300
#: redraws all the checks of one chunk may ask for
MAX_REDRAWS = 3_000
#: subschemas all the redraws of one chunk may draw and check again (a redraw of a whole
#: record of a large schema, or a check against a large schema, costs as much as thousands
#: of small ones)
MAX_REDRAWN_SUBSCHEMAS = 200_000


@dataclass
class Effort:
    """What the checks of one chunk have spent, and which union branches failed in it."""

    redraws: int = 0
    redrawn_subschemas: int = 0
    by_check: dict[str, int] = field(default_factory=dict)
    #: (pointer, branch index or property name) of what failed to draw in this chunk
    failed: set[tuple[str, int | str]] = field(default_factory=set)

    def redraw(self, pointer: str, keyword: str, subschemas: int = 1) -> None:
        """Count one redraw asked for by the check of ``keyword`` at ``pointer``, which draws
        and checks ``subschemas`` subschemas again."""
        self.redraws += 1
        self.redrawn_subschemas += subschemas
        spent = self.by_check[pointer] = self.by_check.get(pointer, 0) + 1
        limit = ""
        if spent > MAX_REDRAWS_PER_CHECK:
            limit = f"{MAX_REDRAWS_PER_CHECK:,} redraws of this check"
        elif self.redraws > MAX_REDRAWS:
            limit = f"{MAX_REDRAWS:,} redraws of all checks"
        elif self.redrawn_subschemas > MAX_REDRAWN_SUBSCHEMAS:
            limit = f"{MAX_REDRAWN_SUBSCHEMAS:,} subschemas drawn or checked again"
        if limit:
            raise SchemaError(
                pointer,
                keyword,
                f"{TOO_EXPENSIVE}: more than {limit} in one chunk (checks that rarely hold,"
                " nested in one another)",
                "constraints that values meet more often, or fewer nested oneOf/not checks",
            )


def subtree_size(node: object) -> int:
    """How many nodes a plan node holds, itself included (what redrawing it draws)."""
    size = 0
    pending = [node]
    while pending:
        current = pending.pop()
        size += 1
        properties = getattr(current, "properties", None)
        if isinstance(properties, list | tuple):
            pending.extend(child for _, child in properties)
        for many in ("prefix", "branches"):
            pending.extend(getattr(current, many, None) or ())
        for one in ("items", "contains", "inner"):
            child = getattr(current, one, None)
            if child is not None and hasattr(child, "generate"):
                pending.append(child)
    return size


def schema_size(schema: object) -> int:
    """How many subschemas a schema holds, itself included (what checking a value against
    it may visit)."""
    return sum(1 for _ in subschemas(schema))
