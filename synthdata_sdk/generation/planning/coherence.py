"""Planning the columns of one object that agree (``semantics.records``): which group a
column joins, by its semantic or its name, and when it stays on its own."""

from __future__ import annotations

from typing import Any

from synthdata_sdk.generation.nodes.base import Node
from synthdata_sdk.generation.nodes.strings import LengthRule, SemanticNode, TemporalNode
from synthdata_sdk.generation.planning.profile_policy import ProfilePolicy
from synthdata_sdk.generation.planning.state import Planning
from synthdata_sdk.generation.planning.subschema import Subschema
from synthdata_sdk.generation.semantics.base import Semantic
from synthdata_sdk.generation.semantics.records import (
    ADDRESS_ROLES,
    PERSON_ROLES,
    UNIQUE_PERSON_ROLES,
    AgeNode,
    BirthNode,
    CoherentNode,
    Timeline,
    TimelineNode,
    object_pointer,
    timeline_rank,
)
from synthdata_sdk.schema.inference import is_age_name, name_words


def semantic_node(
    planning: Planning,
    sub: Subschema,
    semantic: Semantic,
    options: dict[str, Any],
    lengths: LengthRule,
) -> SemanticNode:
    """The column of a semantic: drawn with its object's group when it has one."""
    args = (semantic, options, lengths, planning.locale, sub.pointer, sub.unique)
    parent = object_pointer(sub.pointer)
    name = semantic.name
    if parent is None:
        return SemanticNode(*args)
    if name in PERSON_ROLES and (not sub.unique or name in UNIQUE_PERSON_ROLES):
        group = planning.group(parent, "person")
        group.unique = group.unique or sub.unique
        return CoherentNode(*args, group=group)
    if name in ADDRESS_ROLES and not sub.unique:
        # a postcode or region is drawn through its town: the town's pools decide it too
        planning.semantics.add("city")
        return CoherentNode(*args, group=planning.group(parent, "address"))
    if name == "date_of_birth" and not sub.unique and _unprofiled(planning):
        return BirthNode(*args, group=planning.group(parent, "birth"))
    return SemanticNode(*args)


def governed_node(planning: Planning, sub: Subschema, governed: Node) -> Node:
    """A profile's column for a field it governs, joined to its group when the profile draws
    the semantic's own domain (hipaa's en_US ZIP codes are the postcode domain itself)."""
    if type(governed) is SemanticNode and governed.semantic.name in PERSON_ROLES | ADDRESS_ROLES:
        return semantic_node(planning, sub, governed.semantic, governed.options, governed.lengths)
    return governed


def temporal_node(planning: Planning, sub: Subschema, fmt: str) -> TemporalNode:
    """A date or date-time column: a member of its object's timeline when its name carries a
    lifecycle word (``created_at``, ``last_login_at``, ``discharged_at``)."""
    parent = object_pointer(sub.pointer)
    if fmt == "time" or sub.unique or parent is None or sub.name is None:
        return TemporalNode(fmt, sub.pointer, sub.unique)
    rank = timeline_rank(name_words(sub.name))
    if rank is None:
        return TemporalNode(fmt, sub.pointer, sub.unique)
    group = planning.groups.setdefault(
        (parent, f"timeline:{fmt}"), Timeline(f"timeline:{fmt}", parent)
    )
    assert isinstance(group, Timeline)
    group.ranks.add(rank)
    return TimelineNode(fmt, sub.pointer, sub.unique, group=group, rank=rank)


def age_node(planning: Planning, sub: Subschema, schema: dict[str, Any]) -> Node | None:
    """An integer age that agrees with its object's date of birth, when the schema allows
    every age a date of birth gives (18..90) and no profile caps ages."""
    parent = object_pointer(sub.pointer)
    if parent is None or sub.unique or not is_age_name(sub.name) or not _unprofiled(planning):
        return None
    if {"enum", "const", "exclusiveMinimum", "exclusiveMaximum"} & schema.keys():
        return None
    if schema.get("minimum", 0) > 18 or schema.get("maximum", 90) < 90:
        return None
    if schema.get("multipleOf", 1) != 1:
        return None
    planning.semantics.add("date_of_birth")
    return AgeNode(planning.group(parent, "birth"), sub.pointer)


def _unprofiled(planning: Planning) -> bool:
    """Births and ages agree without a profile policy only (hipaa keeps the birth year and
    caps ages at 89 by rules of its own)."""
    return type(planning.policy) is ProfilePolicy
