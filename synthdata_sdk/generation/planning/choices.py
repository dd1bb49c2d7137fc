"""Planning choices: among values (``enum``, ``const``) and among branches (``anyOf``, ``oneOf``)."""

from __future__ import annotations

from synthdata_sdk.errors import SchemaError
from synthdata_sdk.generation.nodes.base import Node
from synthdata_sdk.generation.nodes.combinators import UnionNode
from synthdata_sdk.generation.nodes.scalars import ConstNode, EnumNode
from synthdata_sdk.generation.planning.state import Planning
from synthdata_sdk.generation.planning.subschema import GUARDED, Impossible, Subschema
from synthdata_sdk.generation.safe_numbers import safe_choices
from synthdata_sdk.generation.validator import value_validator
from synthdata_sdk.schema.keywords import EXTENSION
from synthdata_sdk.schema.normalize import merge


def plan_enum(planning: Planning, sub: Subschema) -> Node:
    """The ``enum`` (or ``const``) values the other keywords allow, optionally weighted."""
    schema, pointer = sub.schema, sub.pointer
    choices = list(schema["enum"]) if "enum" in schema else [schema["const"]]
    weights = None
    distribution = sub.ext.get("distribution")
    if distribution and distribution["kind"] == "weights":
        weights = list(distribution["weights"])
        if len(weights) != len(choices):
            raise SchemaError(
                pointer,
                "x-synthdata/distribution/weights",
                f"{len(weights)} weights for {len(choices)} enum values",
                "one weight per enum value",
            )
    elif distribution:
        raise SchemaError(
            pointer,
            "x-synthdata/distribution",
            f"{distribution['kind']!r} does not apply to an enum",
            "kind 'weights'",
        )
    check = value_validator({k: v for k, v in schema.items() if k not in GUARDED})
    keep = [i for i, choice in enumerate(choices) if check.is_valid(choice)]
    # numbers in an identifier field keep to its safe values (safe_numbers)
    keyword = "enum" if "enum" in schema else "const"
    ext, locale = sub.ext, planning.locale
    keep, semantic = safe_choices(choices, keep, keyword, sub.name, ext, locale, pointer)
    if semantic is not None:
        planning.semantics.add(semantic)
        planning.safe_rules.add("numbers")
    if not keep:
        raise Impossible(pointer, "no enum/const value satisfies the other keywords")
    choices = [choices[i] for i in keep]
    planning.policy.check_choices(choices, sub)
    if weights is not None:
        weights = [weights[i] for i in keep]
        if sum(weights) <= 0:
            raise SchemaError(
                pointer,
                "x-synthdata/distribution/weights",
                "every allowed value has weight 0",
                "a positive weight",
            )
    if len(choices) == 1 and not sub.unique:
        return ConstNode(choices[0], pointer)
    return planning.checked(EnumNode(choices, pointer, weights, sub.unique))


def plan_union(planning: Planning, sub: Subschema, combinator: str) -> Node:
    """One node per satisfiable branch, each planned with the union's siblings merged in."""
    schema, pointer = sub.schema, sub.pointer
    siblings = {k: v for k, v in schema.items() if k != combinator}
    if EXTENSION in siblings:
        # the null share is decided here, between branches, not inside each branch
        siblings[EXTENSION] = {k: v for k, v in sub.ext.items() if k != "null_rate"}
    nodes: list[Node] = []
    is_null: list[bool] = []
    reasons = []
    for i, branch in enumerate(schema[combinator]):
        merged = merge(siblings, branch, pointer)
        try:
            if merged is False:
                raise Impossible(f"{pointer}/{combinator}/{i}", "contradicts its siblings")
            nodes.append(
                planning.plan(merged, f"{pointer}/{combinator}/{i}", sub.name, in_array=True)
            )
        except Impossible as impossible:
            reasons.append(impossible.reason)
            continue
        is_null.append(isinstance(merged, dict) and merged.get("type") == "null")
    if not nodes:
        raise Impossible(
            pointer, f"every {combinator} branch is unsatisfiable ({'; '.join(reasons)})"
        )
    if len(nodes) == 1:
        return nodes[0]
    weights = [1.0] * len(nodes)
    nulls = sum(is_null)
    if 0 < nulls < len(nodes):
        # null branches share ``null_rate`` of the rows, the other branches the rest
        rate = sub.null_rate
        others = len(nodes) - nulls
        weights = [rate / nulls if null else (1 - rate) / others for null in is_null]
    return UnionNode(nodes, weights, pointer)
