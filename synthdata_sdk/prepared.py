"""``PreparedRequest``: a request validated and planned, ready to generate or to look up."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from synthdata_sdk.generation.planner import Plan
    from synthdata_sdk.generation.request import DatasetRequest
    from synthdata_sdk.generation.tables import TableSetPlan


@dataclass(frozen=True)
class PreparedRequest:
    """A validated request with its plan: everything needed to generate, or to look it up.

    ``model`` is the pydantic model the schema came from: every record is checked with it,
    whichever backend generated it. ``source`` is what a remote backend is sent for the schema: a template's name, or the
    schema document as read, before normalisation (which the action function repeats, so both
    sides compute the same fingerprint). None: send the normalised schema.
    """

    request: DatasetRequest
    plan: Plan
    model: type | None = None
    source: str | dict[str, Any] | None = None
    #: a table set's plan (``plan`` is then its first table's); None for a single table
    table_set: TableSetPlan | None = None

    @cached_property
    def fingerprint(self) -> str:
        """The request fingerprint (hashed once: it is looked up on every cache access)."""
        return self.request.fingerprint()
