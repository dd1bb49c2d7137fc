"""One plan being built: what every kind of subschema reads and records while it is planned."""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any

from synthdata_sdk.errors import SchemaError
from synthdata_sdk.generation.nodes.base import DomainNode, Node
from synthdata_sdk.generation.planning.profile_policy import ProfilePolicy
from synthdata_sdk.generation.semantics.records import Group, object_pointer
from synthdata_sdk.schema.normalize import Schema


class Planning(ABC):
    """The locale, rows and profile policy of one plan, what the plan uses, and the way back
    to the whole planner for the subschemas inside a subschema."""

    def __init__(self, locale: str, rows: int, policy: ProfilePolicy) -> None:
        self.locale = locale
        self.rows = rows
        self.policy = policy
        #: what the plan draws from (part of the data version)
        self.semantics: set[str] = set()
        self.uses_text = False
        self.uses_patterns = False
        #: the safe-value rules that shaped some node (``numbers``, ``item-names``)
        self.safe_rules: set[str] = set()
        #: the coherent groups of each object, by (object pointer, kind)
        self.groups: dict[tuple[str, str], Group] = {}
        #: each object's property names, by its pointer: a name's siblings can settle what
        #: it holds (``state`` beside ``city`` is a region)
        self.members: dict[str, tuple[str, ...]] = {}

    def siblings(self, pointer: str) -> tuple[str, ...]:
        """The property names of the object the property at ``pointer`` belongs to."""
        parent = object_pointer(pointer)
        return () if parent is None else self.members.get(parent, ())

    def group(self, pointer: str, kind: str) -> Group:
        """The group of columns of the object at ``pointer`` that agree on ``kind``."""
        return self.groups.setdefault((pointer, kind), Group(kind, pointer))

    @abstractmethod
    def plan(self, schema: Schema, pointer: str, name: str | None, *, in_array: bool) -> Node:
        """The node of a subschema; ``Impossible`` if it accepts no value."""

    @abstractmethod
    def property_names(self, name_schema: Any) -> tuple[str, ...]:
        """Names for extra properties that ``propertyNames`` (if any) accepts, best first."""

    def checked(self, node: DomainNode, why: str = "") -> DomainNode:
        """Refuse a unique column whose domain is smaller than the rows asked for."""
        if node.unique:
            size = node.domain_size()
            if size < self.rows:
                raise self.too_small(node.pointer, size, why)
        return node

    def too_small(self, pointer: str, size: int, why: str = "") -> SchemaError:
        """The error for a unique column with only ``size`` distinct values."""
        return SchemaError(
            pointer,
            "x-synthdata/unique",
            f"{why + ', so ' if why else ''}only {size} distinct values exist"
            f" but {self.rows} rows were requested",
            f"at most {size} rows, or a wider domain",
        )
