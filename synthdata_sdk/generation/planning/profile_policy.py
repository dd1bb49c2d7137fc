"""What a compliance profile may change in planning: the hooks the planner calls.

A profile that only scans (``gdpr``, ``pci_dss``) plans through this base, which changes
nothing. A profile that shapes values (``hipaa_policy``) overrides the hooks it needs, and
records which of its rules shaped the plan: they are part of the data version.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from synthdata_sdk.generation.nodes.base import Node
from synthdata_sdk.generation.nodes.strings import LengthRule
from synthdata_sdk.generation.planning.subschema import Subschema


class ProfilePolicy:
    """Planning under no profile that shapes values; one instance per plan."""

    def __init__(self, locale: str, rows: int) -> None:
        self.locale = locale
        self.rows = rows
        #: the rules that shaped some node, e.g. ``hipaa:age``
        self.rules: set[str] = set()
        #: the semantics the policy's own nodes draw from
        self.semantics: set[str] = set()

    def string(self, sub: Subschema, lengths: LengthRule) -> Node | None:
        """The node of a string field the profile governs; ``None`` plans it as usual."""
        return None

    def numbers(self, kind: str, sub: Subschema) -> tuple[dict[str, Any], str]:
        """An integer or number field's schema narrowed to what the profile allows, and why
        it was narrowed (``""`` if it was not), for the message when a unique column runs short.
        """
        return sub.schema, ""

    def check_choices(self, choices: Sequence[Any], sub: Subschema) -> None:
        """Refuse enum/const values the profile forbids (``SchemaError``)."""
