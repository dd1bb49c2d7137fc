"""Planning null, boolean, integer and number subschemas."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from synthdata_sdk.errors import SchemaError
from synthdata_sdk.generation.nodes.base import DomainNode, Node
from synthdata_sdk.generation.nodes.combinators import GuardNode
from synthdata_sdk.generation.nodes.decimals import decimal_node
from synthdata_sdk.generation.nodes.scalars import (
    BooleanNode,
    ConstNode,
    Distribution,
    IntegerNode,
    integer_range,
    number_node,
)
from synthdata_sdk.generation.planning.coherence import age_node
from synthdata_sdk.generation.planning.profile_policy import ProfilePolicy
from synthdata_sdk.generation.planning.state import Planning
from synthdata_sdk.generation.planning.subschema import Subschema
from synthdata_sdk.generation.safe_numbers import implied_number, plan_safe_number
from synthdata_sdk.generation.validator import value_validator
from synthdata_sdk.schema.inference import is_age_name, number_bounds

#: keywords that bound a number: a schema with any of them keeps its own range
_BOUND_KEYWORDS = frozenset(
    {"minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf", "enum", "const"}
)


def plan_null(planning: Planning, sub: Subschema) -> Node:
    """Always null (so never unique over more than one row)."""
    if sub.unique and planning.rows > 1:
        raise planning.too_small(sub.pointer, 1)
    return ConstNode(None, sub.pointer)


def plan_boolean(planning: Planning, sub: Subschema) -> Node:
    """True or false."""
    return planning.checked(BooleanNode(sub.pointer, sub.unique))


def plan_integer(planning: Planning, sub: Subschema) -> Node:
    """Integers within the bounds, stepping by ``multipleOf``; an identifier's safe values."""
    safe = _safe_identifier(planning, sub, "integer")
    if safe is not None:
        return safe
    sub = _named_bounds(planning, sub, integer=True)
    schema, why = planning.policy.numbers("integer", sub)
    age = age_node(planning, sub, schema)
    if age is not None:
        return age
    low, count, step = integer_range(schema, sub.pointer)
    integers = IntegerNode(low, count, step, sub.pointer, sub.unique, _distribution(sub))
    checked = planning.checked(integers, why)
    multiple = schema.get("multipleOf")
    if isinstance(multiple, float) and not multiple.is_integer():
        # validators divide in floating point, where 3 / 0.1 is 30.000000000000004:
        # integers that fail that test are redrawn
        return GuardNode(
            checked, value_validator({"multipleOf": multiple}), "multipleOf", sub.pointer
        )
    return checked


def plan_number(planning: Planning, sub: Subschema) -> Node:
    """Numbers within the bounds (see ``nodes.scalars.number_node``); an identifier's safe
    values."""
    safe = _safe_identifier(planning, sub, "number")
    if safe is not None:
        return safe
    sub = _named_bounds(planning, sub, integer=False)
    schema, why = planning.policy.numbers("number", sub)
    places = sub.ext.get("decimals")
    if places is not None:
        return _plan_decimal(planning, sub, schema, places, why)
    node = number_node(schema, sub.pointer, _distribution(sub), sub.unique)
    if isinstance(node, DomainNode):
        return planning.checked(node, why)
    return node


def _plan_decimal(
    planning: Planning, sub: Subschema, schema: dict[str, Any], places: int, why: str
) -> Node:
    """Numbers with at most ``places`` decimals (``nodes.decimals``); a ``multipleOf`` of the
    schema is also checked as validators check it, in floating point."""
    multiple = sub.ext.get("multiple")
    node = decimal_node(schema, places, multiple, sub.pointer, _distribution(sub), sub.unique)
    checked = planning.checked(node, why)
    multiple_of = schema.get("multipleOf")
    if isinstance(multiple_of, float) and not multiple_of.is_integer():
        if sub.unique:
            # a unique column's row keeps its value: one failing the check cannot be redrawn
            raise SchemaError(
                sub.pointer,
                "x-synthdata/unique",
                f"a unique column with decimals cannot keep multipleOf {multiple_of}: some of"
                " its multiples fail a validator's float division check (0.15 / 0.05 is"
                " 2.9999999999999996) and a unique value cannot be drawn again",
                f'x-synthdata {{"decimals": {places}, "multiple": {multiple_of}}} in place of'
                " multipleOf (a multiple checked in decimal), or no unique",
            )
        # 0.07 is a multiple of 0.01 that fails 0.07 / 0.01 == 7: such values are redrawn
        return GuardNode(
            checked, value_validator({"multipleOf": multiple_of}), "multipleOf", sub.pointer
        )
    return checked


def _named_bounds(planning: Planning, sub: Subschema, *, integer: bool) -> Subschema:
    """A number without bounds takes those its name implies: a ``price`` is 0..1000 with
    cents, a ``latitude`` -90..90, a ``quantity`` 1..100 (``schema.inference.NUMBER_BOUNDS``)."""
    if _BOUND_KEYWORDS & sub.schema.keys():
        return sub
    bounds = number_bounds(sub.name)
    if not bounds or (is_age_name(sub.name) and type(planning.policy) is not ProfilePolicy):
        # a compliance profile's own age rule (hipaa: 0..89) stands
        return sub
    if integer or "decimals" in sub.ext:
        # whole numbers, or the decimals asked for: a price's cents come from its places
        bounds.pop("multipleOf", None)
    return replace(sub, schema={**sub.schema, **bounds})


def _safe_identifier(planning: Planning, sub: Subschema, kind: str) -> Node | None:
    """An identifier keeps to its safe values, as numbers too (``safe_numbers``)."""
    implied = implied_number(sub.ext, sub.name)
    if implied is None:
        return None
    planning.semantics.add(implied.semantic.name)
    planning.safe_rules.add("numbers")
    return plan_safe_number(
        kind, implied, sub.schema, sub.ext, planning.locale, sub.pointer, planning.rows
    )


def _distribution(sub: Subschema) -> Distribution:
    spec: dict[str, Any] | None = sub.ext.get("distribution")
    if not spec or spec["kind"] == "uniform":
        return Distribution()
    if spec["kind"] == "weights":
        raise SchemaError(
            sub.pointer,
            "x-synthdata/distribution",
            "weights apply only to enums",
            "kind 'uniform', 'normal' or 'lognormal'",
        )
    if spec["kind"] == "normal":
        return Distribution("normal", float(spec["mean"]), float(spec["std"]))
    return Distribution("lognormal", float(spec["mean"]), float(spec["sigma"]))
