"""The work one normalisation may do, counted as it goes.

Inlining ``$ref`` s can make a small document large (two references to a definition that
holds two references to the next, thirty times over, is a billion subschemas) or deep (a
chain of definitions, each nesting the next). The source document is checked before
normalisation (``schema.document``); this counts what normalisation builds from it, and
stops it with ``LimitError`` at the first subschema past a limit rather than after the work.
"""

from __future__ import annotations

from synthdata_sdk.limits import DEPTH, SCHEMA_NODES


class NormalizationBudget:
    """The depth and number of subschemas one normalisation may reach."""

    def __init__(self) -> None:
        self.max_depth = DEPTH.value()
        self.max_nodes = SCHEMA_NODES.value()
        self.nodes = 0

    def visit(self, pointer: str) -> None:
        """Count the subschema normalised at ``pointer``; LimitError past either limit."""
        self.nodes += 1
        where, _, keyword = pointer.rpartition("/")
        if self.nodes > self.max_nodes:
            raise SCHEMA_NODES.error(
                pointer=where,
                keyword=keyword or "schema",
                subject="the schema expands to too many subschemas once its $refs are inlined",
            )
        # a subschema at a pointer of k parts is a JSON object k + 1 levels deep
        if pointer.count("/") >= self.max_depth:
            raise DEPTH.error(
                pointer=pointer,
                keyword="schema",
                subject="the schema is nested too deeply once its $refs are inlined",
            )
