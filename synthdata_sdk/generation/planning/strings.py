"""Planning string subschemas: safe identifiers, semantics, patterns, formats and plain text."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from synthdata_sdk.errors import SchemaError
from synthdata_sdk.generation.nodes.base import DomainNode, Node
from synthdata_sdk.generation.nodes.combinators import GuardNode
from synthdata_sdk.generation.nodes.pattern_domain import UniquePatternNode, pattern_language
from synthdata_sdk.generation.nodes.strings import (
    FIXED_FORMATS,
    FixedFormatNode,
    LengthRule,
    PatternNode,
    TemporalNode,
    TextNode,
)
from synthdata_sdk.generation.planning.coherence import (
    governed_node,
    semantic_node,
    temporal_node,
)
from synthdata_sdk.generation.planning.state import Planning
from synthdata_sdk.generation.planning.subschema import Subschema
from synthdata_sdk.generation.safe_patterns import implied_identifier, plan_identifier
from synthdata_sdk.generation.safe_shapes import guard_shapes
from synthdata_sdk.generation.semantics import SEMANTICS, get_semantic
from synthdata_sdk.generation.validator import value_validator
from synthdata_sdk.schema.inference import (
    FORMAT_SEMANTICS,
    NO_SEMANTIC,
    infer_semantic,
    infer_temporal_format,
)


def plan_string(planning: Planning, sub: Subschema) -> Node:
    """Strings by the first that applies: the profile's rule, a safe identifier under a
    ``pattern``, a semantic (declared, inferred from the name, or the format's), the pattern,
    the format, else plain text."""
    schema, pointer, ext, unique = sub.schema, sub.pointer, sub.ext, sub.unique
    lengths = LengthRule(sub.count("minLength", 0) or 0, sub.count("maxLength"))
    if lengths.max_length is not None and lengths.min_length > lengths.max_length:
        raise SchemaError(
            pointer,
            "minLength",
            f"minLength {lengths.min_length} exceeds maxLength {lengths.max_length}",
            "minLength <= maxLength",
        )
    fmt = schema.get("format")
    pattern = schema.get("pattern")
    governed = planning.policy.string(sub, lengths)
    if governed is not None:
        return governed_node(planning, sub, governed)
    semantic_name = ext.get("semantic")
    if pattern is not None:
        # an identifier keeps to its safe values, whatever the pattern (safe_patterns)
        implied = implied_identifier(ext, sub.name, fmt)
        if implied is not None:
            planning.semantics.add(implied.semantic.name)
            return plan_identifier(
                implied,
                schema,
                ext,
                lengths,
                planning.locale,
                pointer,
                planning.rows,
                lambda semantic, options, rule, _locale, _pointer, _unique: semantic_node(
                    planning, sub, semantic, options, rule
                ),
            )
    no_semantic = semantic_name == NO_SEMANTIC
    if no_semantic:
        semantic_name = None
        if fmt in FORMAT_SEMANTICS and pattern is None:
            raise SchemaError(
                pointer,
                "format",
                f"format {fmt!r} values come from semantic {FORMAT_SEMANTICS[fmt]!r},"
                f" which semantic {NO_SEMANTIC!r} turns off",
                "a pattern to draw the values from",
            )
    if (
        semantic_name is None
        and not no_semantic
        and pattern is None
        and fmt is None
        and "minLength" not in schema
        and "maxLength" not in schema
    ):
        semantic_name = infer_semantic(sub.name, None, planning.siblings(pointer))
        # a plain string named like a moment (``created_at``, ``start_date``) holds one
        named_format = None if semantic_name else infer_temporal_format(sub.name)
        if named_format is not None:
            return _format(
                planning, replace(sub, schema={**schema, "format": named_format}), lengths
            )
    if semantic_name is None and fmt in FORMAT_SEMANTICS and pattern is None:
        semantic_name = FORMAT_SEMANTICS[fmt]
    options = {k: v for k, v in ext.items() if k in ("luhn", "checksum")}
    if semantic_name is not None:
        node: Node = _semantic(planning, sub, semantic_name, options, lengths)
        if pattern is not None:
            node = GuardNode(node, value_validator(schema), "pattern", pointer)
        return node
    if options:
        raise SchemaError(
            pointer,
            f"x-synthdata/{next(iter(options))}",
            "applies only with a semantic",
            "x-synthdata/semantic",
        )
    if pattern is not None:
        if unique:
            node = _unique_pattern(planning, sub, lengths)
        else:
            planning.uses_patterns = True
            node = PatternNode(pattern, lengths, pointer)
        if fmt:
            node = GuardNode(node, value_validator(schema), "format", pointer)
        # strings shaped like identifiers are judged by the scan's detectors (safe_shapes)
        node, guarded = guard_shapes(
            node, schema, sub.name, lengths.max_length, planning.locale, pointer, unique
        )
        if guarded and not unique:
            planning.safe_rules.add("shapes")  # unique columns are checked, never redrawn
        return node
    if fmt is not None:
        return _format(planning, sub, lengths)
    planning.uses_text = True
    return planning.checked(TextNode(lengths, pointer, unique))


def _semantic(
    planning: Planning,
    sub: Subschema,
    semantic_name: str,
    options: dict[str, Any],
    lengths: LengthRule,
) -> Node:
    try:
        semantic = get_semantic(semantic_name)
    except KeyError:
        raise SchemaError(
            sub.pointer,
            "x-synthdata/semantic",
            f"unknown semantic {semantic_name!r}",
            f"one of {sorted(SEMANTICS)}, or {NO_SEMANTIC!r}",
        ) from None
    semantic.check_options(options, sub.pointer)
    fmt = sub.schema.get("format")
    if fmt is not None and FORMAT_SEMANTICS.get(fmt) != semantic.name and semantic.format != fmt:
        raise SchemaError(
            sub.pointer,
            "format",
            f"semantic {semantic.name!r} does not produce format {fmt!r}",
            f"format {semantic.format!r}" if semantic.format else "no format",
        )
    planning.semantics.add(semantic.name)
    return planning.checked(semantic_node(planning, sub, semantic, options, lengths))


def _format(planning: Planning, sub: Subschema, lengths: LengthRule) -> Node:
    fmt, pointer, unique = sub.schema["format"], sub.pointer, sub.unique
    node: DomainNode
    if fmt in TemporalNode.LENGTHS:
        size = TemporalNode.LENGTHS[fmt]
        fits = lengths.admits(size)
        refusal = f"{fmt!r} values are {size} characters long", "length limits that admit them"
        node = temporal_node(planning, sub, fmt)
    elif fmt in FIXED_FORMATS:
        fits = all(lengths.admits(len(v)) for v in FIXED_FORMATS[fmt])
        refusal = (
            f"some {fmt!r} values break the length limits",
            "no length limits with this format",
        )
        node = FixedFormatNode(fmt, pointer, unique)
    else:
        known = sorted({*FORMAT_SEMANTICS, *TemporalNode.LENGTHS, *FIXED_FORMATS})
        raise SchemaError(pointer, "format", f"unsupported format {fmt!r}", f"one of {known}")
    if not fits:
        raise SchemaError(pointer, "format", *refusal)
    return planning.checked(node)


def _unique_pattern(planning: Planning, sub: Subschema, lengths: LengthRule) -> DomainNode:
    """Distinct strings matching ``pattern``, numbered (see ``nodes.pattern_domain``)."""
    pattern = sub.schema["pattern"]
    language = pattern_language(pattern, lengths.min_length, lengths.max_length, sub.pointer)
    node = UniquePatternNode(language, pattern, sub.pointer)
    return planning.checked(node, f"pattern {pattern!r} matches few strings")
