"""Normalised schema -> a tree of column generators (the field plan).

Each subschema becomes one node. Constraints are met by construction where possible
(bounds, lengths, enums filtered by the whole subschema, properties, items); constraints that
cannot be (``oneOf`` exclusivity, ``not``, ``contains`` counts, residual ``allOf``) are met by
a guard that redraws failing values and refuses the schema if it keeps failing. A string
field that holds an identifier keeps to safe values under a ``pattern`` (``safe_patterns``).

This module holds the entry points and sends each subschema to the planner of its kind
(``planning/``: scalars, strings, containers, choices). A compliance profile changes planning
through its policy (``planning.profile_policy``); only ``hipaa`` has one
(``planning.hipaa_policy``, Safe Harbor).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from synthdata_sdk.errors import SchemaError
from synthdata_sdk.generation.bounds import check_plan
from synthdata_sdk.generation.nodes.base import Node
from synthdata_sdk.generation.nodes.combinators import GuardNode, NullableNode, UnionNode
from synthdata_sdk.generation.nodes.containers import ObjectNode
from synthdata_sdk.generation.nodes.scalars import ConstNode, EnumNode
from synthdata_sdk.generation.planning.choices import plan_enum, plan_union
from synthdata_sdk.generation.planning.containers import plan_array, plan_object
from synthdata_sdk.generation.planning.hipaa_policy import HipaaPolicy
from synthdata_sdk.generation.planning.profile_policy import ProfilePolicy
from synthdata_sdk.generation.planning.scalars import (
    plan_boolean,
    plan_integer,
    plan_null,
    plan_number,
)
from synthdata_sdk.generation.planning.state import Planning
from synthdata_sdk.generation.planning.strings import plan_string
from synthdata_sdk.generation.planning.subschema import GUARDED, Impossible, Subschema
from synthdata_sdk.generation.property_names import extra_names
from synthdata_sdk.generation.safe_numbers import check_declared
from synthdata_sdk.generation.semantics.records import timelines
from synthdata_sdk.generation.validator import value_validator
from synthdata_sdk.options import DEFAULT_LOCALE, check_profiles
from synthdata_sdk.schema.normalize import Schema, merge

#: subschemas one plan may take: a union plans each branch with its siblings merged in, so
#: nested unions multiply what is planned (a constant: it decides what is refused, and the
#: same schema must always plan the same way)
MAX_PLANNED = 50_000
#: ``x-synthdata`` options that relate tables; a table set plans its tables without them
TABLE_SET_OPTIONS = ("ref", "per_parent")
_OBJECT_KEYWORDS = frozenset(
    {
        "properties",
        "required",
        "additionalProperties",
        "patternProperties",
        "minProperties",
        "maxProperties",
        "propertyNames",
        "dependentRequired",
        "dependentSchemas",
    }
)
_ARRAY_KEYWORDS = frozenset(
    {
        "items",
        "prefixItems",
        "minItems",
        "maxItems",
        "uniqueItems",
        "contains",
        "minContains",
        "maxContains",
    }
)
_STRING_KEYWORDS = frozenset({"minLength", "maxLength", "pattern", "format"})
_NUMBER_KEYWORDS = frozenset(
    {"minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf"}
)
#: the planner of each JSON type (in the order an unknown type's message lists them)
_KINDS: dict[str, Callable[[Planning, Subschema], Node]] = {
    "null": plan_null,
    "boolean": plan_boolean,
    "object": plan_object,
    "array": plan_array,
    "number": plan_number,
    "integer": plan_integer,
    "string": plan_string,
}
#: the compliance profiles that change planning, each through its policy (the others only
#: scan); one profile does today, so a plan follows at most one policy
_POLICIES: dict[str, type[ProfilePolicy]] = {"hipaa": HipaaPolicy}


@dataclass
class Plan:
    """The root node plus what the data version must cover (semantics, text, patterns)."""

    root: Node
    semantics: set[str] = field(default_factory=set)
    uses_text: bool = False
    uses_patterns: bool = False
    #: the compliance profiles planned for (sorted)
    compliance: tuple[str, ...] = ()
    #: the profile rules that shaped some node, e.g. ``hipaa:age`` (part of the data version)
    profile_rules: set[str] = field(default_factory=set)
    #: planned by ``plan_records``: the root narrowed to its objects
    records: bool = False
    #: the safe-value rules that shaped some node beyond its own type and name, e.g.
    #: ``numbers`` (safe_numbers) or ``item-names`` (part of the data version)
    safe_rules: set[str] = field(default_factory=set)
    #: some object's dates are drawn as a timeline (part of the data version)
    uses_timeline: bool = False


def build_plan(
    schema: Schema, *, locale: str = DEFAULT_LOCALE, rows: int = 1, compliance: Iterable[str] = ()
) -> Plan:
    """Plan the generation of ``rows`` values of ``schema`` in ``locale`` under ``compliance``."""
    profiles = check_profiles(compliance)
    planner = _Planner(locale, rows, policy_for(profiles, locale, rows))
    try:
        root = planner.plan(schema, "", None, in_array=False)
    except Impossible as impossible:
        raise SchemaError(
            impossible.pointer,
            "schema",
            f"accepts no value: {impossible.reason}",
            "a satisfiable schema",
        ) from None
    return Plan(
        root,
        planner.semantics | planner.policy.semantics,
        planner.uses_text,
        planner.uses_patterns,
        profiles,
        planner.policy.rules,
        safe_rules=planner.safe_rules,
        uses_timeline=bool(timelines(planner.groups)),
    )


def policy_for(profiles: Iterable[str], locale: str, rows: int) -> ProfilePolicy:
    """The planning policy of the first profile that has one (a no-op policy if none has)."""
    kind = next((_POLICIES[p] for p in profiles if p in _POLICIES), ProfilePolicy)
    return kind(locale, rows)


class _Planner(Planning):
    """Sends each subschema to the planner of its kind, and guards what is met by a check."""

    def __init__(self, locale: str, rows: int, policy: ProfilePolicy) -> None:
        super().__init__(locale, rows, policy)
        #: subschemas planned so far (see MAX_PLANNED)
        self.planned = 0

    def plan(self, schema: Schema, pointer: str, name: str | None, *, in_array: bool) -> Node:
        self.planned += 1
        if self.planned > MAX_PLANNED:
            raise SchemaError(
                pointer,
                "schema",
                f"too expensive: planning it takes more than {MAX_PLANNED:,} subschemas (each"
                " anyOf/oneOf branch is planned with its siblings merged in)",
                "fewer branches, or keywords moved from beside anyOf/oneOf into the branches",
            )
        if schema is False:
            raise Impossible(pointer, "the schema is false")
        sub = Subschema({} if schema is True else schema, pointer, name, in_array)
        for key in TABLE_SET_OPTIONS:
            if key in sub.ext:
                raise SchemaError(
                    pointer,
                    f"x-synthdata/{key}",
                    "only a table of a table set can use it (ref on a top-level property,"
                    " per_parent on the table's root)",
                    "a source {'tables': {name: schema, ...}} (see docs/tables.md)",
                )
        if sub.unique and sub.in_array:
            raise SchemaError(
                pointer,
                "x-synthdata/unique",
                "unique values inside arrays are not supported",
                "uniqueItems on the array",
            )
        node = self._plan_unguarded(sub)
        guarded = [key for key in GUARDED if key in sub.schema]
        if guarded:
            node = GuardNode(node, value_validator(sub.schema), guarded[0], pointer)
        return node

    def property_names(self, name_schema: Any) -> tuple[str, ...]:
        return extra_names(name_schema, self.locale, build_plan)

    def _plan_unguarded(self, sub: Subschema) -> Node:
        if "enum" in sub.schema or "const" in sub.schema:
            return plan_enum(self, sub)
        for combinator in ("anyOf", "oneOf"):
            if combinator in sub.schema:
                return plan_union(self, sub, combinator)
        types = _types(sub)
        if "null" in types and len(types) > 1:
            rest = [t for t in types if t != "null"]
            return NullableNode(self._plan_types(sub, rest), sub.null_rate, sub.pointer)
        if sub.ext.get("null_rate") and types != ["null"]:
            raise SchemaError(
                sub.pointer,
                "x-synthdata/null_rate",
                "the schema does not allow null",
                "type to include 'null'",
            )
        return self._plan_types(sub, types)

    def _plan_types(self, sub: Subschema, types: list[str]) -> Node:
        nodes = []
        for kind in types:
            try:
                nodes.append(self._plan_type(kind, sub))
            except Impossible:
                if len(types) == 1:
                    raise
        if not nodes:
            raise Impossible(sub.pointer, f"no value of type {types} fits")
        if len(nodes) == 1:
            return nodes[0]
        return UnionNode(nodes, [1.0] * len(nodes), sub.pointer)

    def _plan_type(self, kind: str, sub: Subschema) -> Node:
        if kind != "string":
            # numbers may declare an identifier that has a numeric form (safe_numbers)
            check_declared(kind, sub.ext, sub.pointer)
        if kind not in _KINDS:
            raise SchemaError(
                sub.pointer, "type", f"unknown type {kind!r}", f"one of {list(_KINDS)}"
            )
        return _KINDS[kind](self, sub)


def _types(sub: Subschema) -> list[str]:
    """The declared types, else the one the keywords imply (string when none does)."""
    declared = sub.schema.get("type")
    if isinstance(declared, str):
        return [declared]
    if isinstance(declared, list):
        return list(dict.fromkeys(declared))
    keys = sub.schema.keys()
    if keys & _OBJECT_KEYWORDS:
        return ["object"]
    if keys & _ARRAY_KEYWORDS:
        return ["array"]
    if keys & _STRING_KEYWORDS or "semantic" in sub.ext:
        return ["string"]
    if keys & _NUMBER_KEYWORDS:
        multiple = sub.schema.get("multipleOf")
        return ["integer"] if isinstance(multiple, int) else ["number"]
    return ["string"]


def used_semantics(plan: Plan) -> Iterable[str]:
    """The semantic names a plan draws from, sorted."""
    return sorted(plan.semantics)


def yields_objects(node: Node) -> bool:
    """Whether every value the node produces is a JSON object (a record)."""
    if isinstance(node, ObjectNode):
        return True
    if isinstance(node, GuardNode):
        return yields_objects(node.inner)
    if isinstance(node, UnionNode):
        return all(yields_objects(branch) for branch in node.branches)
    if isinstance(node, ConstNode | EnumNode):
        values = [node.value] if isinstance(node, ConstNode) else node.choices
        return all(isinstance(value, dict) for value in values)
    return False


def plan_records(
    schema: Schema, *, locale: str = DEFAULT_LOCALE, rows: int = 1, compliance: Iterable[str] = ()
) -> Plan:
    """Plan a schema whose values must be records: the objects the root schema accepts.

    A root that accepts other values too (``type: ["object", "null"]``, an ``anyOf`` with an
    array branch) gives only its objects; one that accepts no object is refused at once,
    before any planning.
    """
    plan = build_plan(record_root(schema), locale=locale, rows=rows, compliance=compliance)
    plan.records = True
    if not yields_objects(plan.root):
        raise SchemaError(
            "",
            "type",
            "the root schema does not describe objects, so it cannot give records",
            "type 'object' at the root",
        )
    check_plan(plan.root, rows)
    return plan


def record_root(schema: Schema) -> Schema:
    """``schema`` narrowed to objects (records are objects); SchemaError if it allows none."""
    if isinstance(schema, dict) and schema.get("type") == "object":
        return schema
    narrowed = merge(schema, {"type": "object"})
    if narrowed is False:
        raise SchemaError(
            "",
            "type",
            "the root schema does not describe objects, so it cannot give records",
            "type 'object' at the root",
        )
    return narrowed
