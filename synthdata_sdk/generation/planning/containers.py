"""Planning object and array subschemas: each property and item planned through the planner."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from synthdata_sdk.generation.nodes.base import Node
from synthdata_sdk.generation.nodes.containers import ArrayNode, ObjectNode
from synthdata_sdk.generation.planning.state import Planning
from synthdata_sdk.generation.planning.subschema import Impossible, Subschema
from synthdata_sdk.generation.sizes import optional_presence, typical_max_items
from synthdata_sdk.generation.validator import value_validator
from synthdata_sdk.schema.inference import item_name, value_name
from synthdata_sdk.schema.normalize import Schema, merge


def plan_object(planning: Planning, sub: Subschema) -> Node:
    """The declared, required and dependent properties, then extras up to ``minProperties``."""
    sub = _apply_dependent_schemas(sub)
    schema, pointer = sub.schema, sub.pointer
    properties: dict[str, Schema] = schema.get("properties", {})
    required: list[str] = list(schema.get("required", []))
    dependent: dict[str, list[str]] = schema.get("dependentRequired", {})
    names = list(dict.fromkeys([*properties, *required]))
    for trigger in list(names):
        for dep in dependent.get(trigger, []):
            if dep not in names:
                names.append(dep)
                required.append(dep)
    for trigger, deps in dependent.items():
        if trigger in names:
            required.extend(d for d in deps if d not in required)
    name_check = value_validator(schema["propertyNames"]) if "propertyNames" in schema else None
    planning.members[pointer] = tuple(names)
    fields: list[tuple[str, Node]] = []
    for name in names:
        is_required = name in required
        if name_check is not None and not name_check.is_valid(name):
            if is_required:
                raise Impossible(pointer, f"required property {name!r} breaks propertyNames")
            continue
        child = f"{pointer}/properties/{_escape(name)}"
        try:
            fields.append(
                (
                    name,
                    planning.plan(
                        _property_schema(schema, name), child, name, in_array=sub.in_array
                    ),
                )
            )
        except Impossible as impossible:
            if is_required:
                raise Impossible(
                    child, f"required property {name!r}: {impossible.reason}"
                ) from None
    fields = _fit_property_count(planning, sub, fields, set(required), name_check)
    return ObjectNode(fields, pointer, optional_presence(fields, set(required), schema))


def plan_array(planning: Planning, sub: Subschema) -> Node:
    """``prefixItems``, then ``items`` up to a typical length, with ``contains`` items mixed in."""
    schema, pointer = sub.schema, sub.pointer
    # items are named by the array: the items of "ssns" hold SSNs
    item = item_name(sub.name)
    if item is not None:
        planning.safe_rules.add("item-names")
    prefix: list[Node] = []
    limit = sub.count("maxItems")
    for i, tuple_item in enumerate(schema.get("prefixItems", [])):
        try:
            prefix.append(
                planning.plan(tuple_item, f"{pointer}/prefixItems/{i}", item, in_array=True)
            )
        except Impossible:
            limit = i if limit is None else min(limit, i)
            break
    items_schema: Schema = schema.get("items", {})
    items: Node | None = None
    if limit is None or limit > len(prefix):
        try:
            items = planning.plan(items_schema, f"{pointer}/items", item, in_array=True)
        except Impossible:
            items = None
    if items is None:
        limit = len(prefix) if limit is None else min(limit, len(prefix))
    minimum = sub.count("minItems", 0) or 0
    contains_node = None
    min_contains = 0
    if "contains" in schema and schema.get("minContains", 1) > 0 and items is not None:
        min_contains = sub.count("minContains", 1) or 0
        target = merge(items_schema, schema["contains"], pointer)
        try:
            contains_node = planning.plan(target, f"{pointer}/contains", item, in_array=True)
        except Impossible:
            raise Impossible(pointer, "no item satisfies both items and contains") from None
        minimum = max(minimum, len(prefix) + min_contains)
    maximum = typical_max_items(max(minimum, len(prefix)), limit)
    if minimum > maximum:
        raise Impossible(
            pointer, f"needs at least {minimum} items but at most {maximum} are possible"
        )
    return ArrayNode(
        prefix,
        items,
        minimum,
        maximum,
        bool(schema.get("uniqueItems")),
        contains_node,
        min_contains,
        pointer,
    )


def _apply_dependent_schemas(sub: Subschema) -> Subschema:
    """The object with the ``dependentSchemas`` of its properties merged in."""
    schema = sub.schema
    dependents = schema.get("dependentSchemas")
    if not dependents:
        return sub
    out: Schema = {k: v for k, v in schema.items() if k != "dependentSchemas"}
    present = {*schema.get("properties", {}), *schema.get("required", [])}
    for trigger, dependent in dependents.items():
        if trigger in present:
            out = merge(out, dependent, sub.pointer)
            if out is False:
                raise Impossible(sub.pointer, f"dependentSchemas/{trigger} contradicts the object")
    assert isinstance(out, dict)
    return replace(sub, schema=out)


def _property_schema(schema: dict[str, Any], name: str) -> Schema:
    """The schema of property ``name``: declared, else ``additionalProperties``, and every
    matching ``patternProperties`` schema merged in."""
    properties = schema.get("properties", {})
    matched = [
        by_pattern
        for pattern, by_pattern in schema.get("patternProperties", {}).items()
        if re.search(pattern, name)
    ]
    base: Schema = (
        properties[name]
        if name in properties
        else ({} if matched else schema.get("additionalProperties", {}))
    )
    for by_pattern in matched:
        base = merge(base, by_pattern)
    return base


def _fit_property_count(
    planning: Planning,
    sub: Subschema,
    fields: list[tuple[str, Node]],
    required: set[str],
    name_check: Any,
) -> list[tuple[str, Node]]:
    """Optional properties dropped down to ``maxProperties``, extras added up to
    ``minProperties``."""
    schema, pointer = sub.schema, sub.pointer
    maximum = sub.count("maxProperties")
    if maximum is not None and len(fields) > maximum:
        optional = [f for f in fields if f[0] not in required]
        keep_optional = max(0, maximum - (len(fields) - len(optional)))
        drop = {name for name, _ in optional[keep_optional:]}
        fields = [f for f in fields if f[0] not in drop]
        if len(fields) > maximum:
            raise Impossible(
                pointer, f"{len(fields)} required properties exceed maxProperties {maximum}"
            )
    minimum = sub.count("minProperties", 0) or 0
    taken = {name for name, _ in fields} | set(schema.get("dependentRequired", {}))
    candidates = iter(planning.property_names(schema.get("propertyNames")) if minimum else ())
    while len(fields) < minimum:
        extra = next(candidates, None)
        if extra is None:
            raise Impossible(pointer, f"cannot find property names for minProperties {minimum}")
        if extra in taken or (name_check is not None and not name_check.is_valid(extra)):
            continue
        taken.add(extra)
        # a map's values are named by the map: the values of "phones" hold phones
        named = value_name(extra, sub.name)
        if named != extra:
            planning.safe_rules.add("item-names")
        try:
            node = planning.plan(
                _property_schema(schema, extra),
                f"{pointer}/additionalProperties",
                named,
                in_array=sub.in_array,
            )
        except Impossible:
            raise Impossible(
                pointer, f"minProperties {minimum} needs more properties than the schema allows"
            ) from None
        fields.append((extra, node))
    return fields


def _escape(name: str) -> str:
    """A property name as a JSON pointer token."""
    return name.replace("~", "~0").replace("/", "~1")
