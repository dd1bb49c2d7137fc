"""Normalised schema -> a tree of column generators (the field plan).

Each subschema becomes one node. Constraints are met by construction where possible
(bounds, lengths, enums filtered by the whole subschema, properties, items); constraints that
cannot be (``oneOf`` exclusivity, ``not``, ``contains`` counts, residual ``allOf``) are met by
a guard that redraws failing values and refuses the schema if it keeps failing. A string
field that holds an identifier keeps to safe values under a ``pattern`` (``safe_patterns``).

A compliance profile changes planning through its policy (``planning.profile_policy``); only
``hipaa`` has one (``planning.hipaa_policy``, Safe Harbor).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from synthdata_sdk.errors import SchemaError
from synthdata_sdk.generation.bounds import check_plan
from synthdata_sdk.generation.nodes.base import DomainNode, Node
from synthdata_sdk.generation.nodes.combinators import GuardNode, NullableNode, UnionNode
from synthdata_sdk.generation.nodes.containers import ArrayNode, ObjectNode
from synthdata_sdk.generation.nodes.pattern_domain import UniquePatternNode, pattern_language
from synthdata_sdk.generation.nodes.scalars import (
    BooleanNode,
    ConstNode,
    Distribution,
    EnumNode,
    IntegerNode,
    integer_range,
    number_node,
)
from synthdata_sdk.generation.nodes.strings import (
    FIXED_FORMATS,
    FixedFormatNode,
    LengthRule,
    PatternNode,
    SemanticNode,
    TemporalNode,
    TextNode,
)
from synthdata_sdk.generation.planning.hipaa_policy import HipaaPolicy
from synthdata_sdk.generation.planning.profile_policy import ProfilePolicy
from synthdata_sdk.generation.planning.subschema import Subschema
from synthdata_sdk.generation.property_names import extra_names
from synthdata_sdk.generation.safe_patterns import implied_identifier, plan_identifier
from synthdata_sdk.generation.semantics import SEMANTICS, get_semantic
from synthdata_sdk.generation.sizes import optional_presence, typical_max_items
from synthdata_sdk.generation.validator import value_validator
from synthdata_sdk.options import DEFAULT_LOCALE
from synthdata_sdk.schema.inference import (
    FORMAT_SEMANTICS,
    NO_SEMANTIC,
    infer_semantic,
)
from synthdata_sdk.schema.keywords import EXTENSION
from synthdata_sdk.schema.normalize import Schema, merge

#: share of nulls for a nullable type without an explicit ``null_rate``
DEFAULT_NULL_RATE = 0.1

#: keywords met by a check rather than by construction (dependentSchemas: the dependent
#: schemas are merged in, and what does not merge exactly must still be checked)
_GUARDED = ("oneOf", "not", "contains", "allOf", "dependentSchemas")
#: subschemas one plan may take: a union plans each branch with its siblings merged in, so
#: nested unions multiply what is planned (a constant: it decides what is refused, and the
#: same schema must always plan the same way)
MAX_PLANNED = 50_000
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
_ALL_TYPES = ("null", "boolean", "object", "array", "number", "integer", "string")
#: the compliance profiles that change planning, each through its policy (the others only
#: scan); one profile does today, so a plan follows at most one policy
_POLICIES: dict[str, type[ProfilePolicy]] = {"hipaa": HipaaPolicy}


class Impossible(Exception):  # noqa: N818 - a control-flow signal, not an error for users
    """The subschema accepts no value at all; the caller decides whether that is fatal."""

    def __init__(self, pointer: str, reason: str) -> None:
        super().__init__(reason)
        self.pointer = pointer
        self.reason = reason


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


def validator_for(schema: Schema) -> Any:
    """A jsonschema validator with format checking, for a normalised (ref-free) subschema."""
    return value_validator(schema)


def check_profiles(compliance: Iterable[str]) -> tuple[str, ...]:
    """Compliance profile names, sorted and de-duplicated (``synthdata_sdk.options``)."""
    from synthdata_sdk.options import check_profiles as checked

    return checked(compliance)


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
    )


def policy_for(profiles: Iterable[str], locale: str, rows: int) -> ProfilePolicy:
    """The planning policy of the first profile that has one (a no-op policy if none has)."""
    kind = next((_POLICIES[p] for p in profiles if p in _POLICIES), ProfilePolicy)
    return kind(locale, rows)


class _Planner:
    def __init__(self, locale: str, rows: int, policy: ProfilePolicy) -> None:
        self.locale = locale
        self.rows = rows
        self.policy = policy
        self.semantics: set[str] = set()
        self.uses_text = False
        self.uses_patterns = False
        #: subschemas planned so far (see MAX_PLANNED)
        self.planned = 0

    # ----------------------------------------------------------------- dispatch

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
        if schema is True:
            schema = {}
        ext: dict[str, Any] = schema.get(EXTENSION, {})
        if ext.get("unique") and in_array:
            raise SchemaError(
                pointer,
                "x-synthdata/unique",
                "unique values inside arrays are not supported",
                "uniqueItems on the array",
            )
        node = self._plan_unguarded(schema, pointer, name, ext, in_array)
        guarded = [key for key in _GUARDED if key in schema]
        if guarded:
            node = GuardNode(node, validator_for(schema), guarded[0], pointer)
        return node

    def _plan_unguarded(
        self,
        schema: dict[str, Any],
        pointer: str,
        name: str | None,
        ext: dict[str, Any],
        in_array: bool,
    ) -> Node:
        if "enum" in schema or "const" in schema:
            return self._plan_enum(schema, pointer, name, ext)
        for combinator in ("anyOf", "oneOf"):
            if combinator in schema:
                return self._plan_union(schema, combinator, pointer, name, ext, in_array)
        types = self._types(schema, name, ext)
        if "null" in types and len(types) > 1:
            rate = ext.get("null_rate", DEFAULT_NULL_RATE)
            rest = [t for t in types if t != "null"]
            return NullableNode(
                self._plan_types(schema, rest, pointer, name, ext, in_array), rate, pointer
            )
        if ext.get("null_rate") and types != ["null"]:
            raise SchemaError(
                pointer,
                "x-synthdata/null_rate",
                "the schema does not allow null",
                "type to include 'null'",
            )
        return self._plan_types(schema, types, pointer, name, ext, in_array)

    def _plan_types(
        self,
        schema: dict[str, Any],
        types: list[str],
        pointer: str,
        name: str | None,
        ext: dict[str, Any],
        in_array: bool,
    ) -> Node:
        nodes = []
        for kind in types:
            try:
                nodes.append(self._plan_type(kind, schema, pointer, name, ext, in_array))
            except Impossible:
                if len(types) == 1:
                    raise
        if not nodes:
            raise Impossible(pointer, f"no value of type {types} fits")
        if len(nodes) == 1:
            return nodes[0]
        return UnionNode(nodes, [1.0] * len(nodes), pointer)

    def _types(self, schema: dict[str, Any], name: str | None, ext: dict[str, Any]) -> list[str]:
        declared = schema.get("type")
        if isinstance(declared, str):
            return [declared]
        if isinstance(declared, list):
            return list(dict.fromkeys(declared))
        keys = schema.keys()
        if keys & _OBJECT_KEYWORDS:
            return ["object"]
        if keys & _ARRAY_KEYWORDS:
            return ["array"]
        if keys & _STRING_KEYWORDS or "semantic" in ext:
            return ["string"]
        if keys & _NUMBER_KEYWORDS:
            multiple = schema.get("multipleOf")
            return ["integer"] if isinstance(multiple, int) else ["number"]
        return ["string"]

    def _plan_type(
        self,
        kind: str,
        schema: dict[str, Any],
        pointer: str,
        name: str | None,
        ext: dict[str, Any],
        in_array: bool,
    ) -> Node:
        if kind != "string" and "semantic" in ext:
            raise SchemaError(
                pointer,
                "x-synthdata/semantic",
                f"semantic values are strings, but the type is {kind!r}",
                "type 'string'",
            )
        unique = bool(ext.get("unique"))
        why = ""
        if kind in ("integer", "number"):
            schema, why = self.policy.numbers(kind, Subschema(schema, pointer, name, in_array))
        if kind == "null":
            if unique and self.rows > 1:
                raise self._too_small(pointer, 1)
            return ConstNode(None, pointer)
        if kind == "boolean":
            return self._checked(BooleanNode(pointer, unique), pointer)
        if kind == "integer":
            low, count, step = integer_range(schema, pointer)
            integers = IntegerNode(low, count, step, pointer, unique, _distribution(ext, pointer))
            checked = self._checked(integers, pointer, why)
            multiple = schema.get("multipleOf")
            if isinstance(multiple, float) and not multiple.is_integer():
                # validators divide in floating point, where 3 / 0.1 is 30.000000000000004:
                # integers that fail that test are redrawn
                return GuardNode(
                    checked, validator_for({"multipleOf": multiple}), "multipleOf", pointer
                )
            return checked
        if kind == "number":
            node = number_node(schema, pointer, _distribution(ext, pointer), unique)
            if isinstance(node, DomainNode):
                return self._checked(node, pointer, why)
            return node
        if kind == "string":
            return self._plan_string(schema, pointer, name, ext, unique)
        if kind == "object":
            return self._plan_object(schema, pointer, in_array)
        if kind == "array":
            return self._plan_array(schema, pointer)
        raise SchemaError(pointer, "type", f"unknown type {kind!r}", f"one of {list(_ALL_TYPES)}")

    # ----------------------------------------------------------------- enums and unions

    def _plan_enum(
        self, schema: dict[str, Any], pointer: str, name: str | None, ext: dict[str, Any]
    ) -> Node:
        choices = list(schema["enum"]) if "enum" in schema else [schema["const"]]
        weights = None
        distribution = ext.get("distribution")
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
        check = validator_for({k: v for k, v in schema.items() if k not in _GUARDED})
        keep = [i for i, choice in enumerate(choices) if check.is_valid(choice)]
        if not keep:
            raise Impossible(pointer, "no enum/const value satisfies the other keywords")
        choices = [choices[i] for i in keep]
        self.policy.check_choices(choices, Subschema(schema, pointer, name))
        if weights is not None:
            weights = [weights[i] for i in keep]
            if sum(weights) <= 0:
                raise SchemaError(
                    pointer,
                    "x-synthdata/distribution/weights",
                    "every allowed value has weight 0",
                    "a positive weight",
                )
        if len(choices) == 1 and not ext.get("unique"):
            return ConstNode(choices[0], pointer)
        return self._checked(EnumNode(choices, pointer, weights, bool(ext.get("unique"))), pointer)

    def _plan_union(
        self,
        schema: dict[str, Any],
        combinator: str,
        pointer: str,
        name: str | None,
        ext: dict[str, Any],
        in_array: bool,
    ) -> Node:
        siblings = {k: v for k, v in schema.items() if k != combinator}
        if EXTENSION in siblings:
            # the null share is decided here, between branches, not inside each branch
            siblings[EXTENSION] = {k: v for k, v in ext.items() if k != "null_rate"}
        nodes: list[Node] = []
        is_null: list[bool] = []
        reasons = []
        for i, branch in enumerate(schema[combinator]):
            merged = merge(siblings, branch, pointer)
            try:
                if merged is False:
                    raise Impossible(f"{pointer}/{combinator}/{i}", "contradicts its siblings")
                nodes.append(self.plan(merged, f"{pointer}/{combinator}/{i}", name, in_array=True))
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
            rate = ext.get("null_rate", DEFAULT_NULL_RATE)
            others = len(nodes) - nulls
            weights = [rate / nulls if null else (1 - rate) / others for null in is_null]
        return UnionNode(nodes, weights, pointer)

    # ----------------------------------------------------------------- strings

    def _plan_string(
        self,
        schema: dict[str, Any],
        pointer: str,
        name: str | None,
        ext: dict[str, Any],
        unique: bool,
    ) -> Node:
        lengths = LengthRule(_count(schema, "minLength", 0) or 0, _count(schema, "maxLength"))
        if lengths.max_length is not None and lengths.min_length > lengths.max_length:
            raise SchemaError(
                pointer,
                "minLength",
                f"minLength {lengths.min_length} exceeds maxLength {lengths.max_length}",
                "minLength <= maxLength",
            )
        fmt = schema.get("format")
        pattern = schema.get("pattern")
        governed = self.policy.string(Subschema(schema, pointer, name), lengths)
        if governed is not None:
            return governed
        semantic_name = ext.get("semantic")
        if pattern is not None:
            # an identifier keeps to its safe values, whatever the pattern (safe_patterns)
            implied = implied_identifier(ext, name, fmt)
            if implied is not None:
                self.semantics.add(implied.semantic.name)
                return plan_identifier(
                    implied, schema, ext, lengths, self.locale, pointer, self.rows
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
            semantic_name = infer_semantic(name, None)
        if semantic_name is None and fmt in FORMAT_SEMANTICS and pattern is None:
            semantic_name = FORMAT_SEMANTICS[fmt]
        options = {k: v for k, v in ext.items() if k in ("luhn", "checksum")}
        if semantic_name is not None:
            node: Node = self._semantic(semantic_name, options, lengths, pointer, unique, fmt)
            if pattern is not None:
                node = GuardNode(node, validator_for(schema), "pattern", pointer)
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
                node = self._unique_pattern(pattern, lengths, pointer)
            else:
                self.uses_patterns = True
                node = PatternNode(pattern, lengths, pointer)
            return GuardNode(node, validator_for(schema), "format", pointer) if fmt else node
        if fmt is not None:
            return self._format(fmt, lengths, pointer, unique)
        self.uses_text = True
        return self._checked(TextNode(lengths, pointer, unique), pointer)

    def _semantic(
        self,
        semantic_name: str,
        options: dict[str, Any],
        lengths: LengthRule,
        pointer: str,
        unique: bool,
        fmt: str | None,
    ) -> Node:
        try:
            semantic = get_semantic(semantic_name)
        except KeyError:
            raise SchemaError(
                pointer,
                "x-synthdata/semantic",
                f"unknown semantic {semantic_name!r}",
                f"one of {sorted(SEMANTICS)}, or {NO_SEMANTIC!r}",
            ) from None
        semantic.check_options(options, pointer)
        if (
            fmt is not None
            and FORMAT_SEMANTICS.get(fmt) != semantic.name
            and semantic.format != fmt
        ):
            raise SchemaError(
                pointer,
                "format",
                f"semantic {semantic.name!r} does not produce format {fmt!r}",
                f"format {semantic.format!r}" if semantic.format else "no format",
            )
        self.semantics.add(semantic.name)
        return self._checked(
            SemanticNode(semantic, options, lengths, self.locale, pointer, unique), pointer
        )

    def _format(self, fmt: str, lengths: LengthRule, pointer: str, unique: bool) -> Node:
        if fmt in TemporalNode.LENGTHS:
            if not lengths.admits(TemporalNode.LENGTHS[fmt]):
                raise SchemaError(
                    pointer,
                    "format",
                    f"{fmt!r} values are {TemporalNode.LENGTHS[fmt]} characters long",
                    "length limits that admit them",
                )
            return self._checked(TemporalNode(fmt, pointer, unique), pointer)
        if fmt in FIXED_FORMATS:
            if not all(lengths.admits(len(v)) for v in FIXED_FORMATS[fmt]):
                raise SchemaError(
                    pointer,
                    "format",
                    f"some {fmt!r} values break the length limits",
                    "no length limits with this format",
                )
            return self._checked(FixedFormatNode(fmt, pointer, unique), pointer)
        known = sorted({*FORMAT_SEMANTICS, *TemporalNode.LENGTHS, *FIXED_FORMATS})
        raise SchemaError(pointer, "format", f"unsupported format {fmt!r}", f"one of {known}")

    # ----------------------------------------------------------------- objects and arrays

    def _plan_object(self, schema: dict[str, Any], pointer: str, in_array: bool) -> Node:
        schema = self._apply_dependent_schemas(schema, pointer)
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
        name_check = validator_for(schema["propertyNames"]) if "propertyNames" in schema else None
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
                        self.plan(
                            self._property_schema(schema, name), child, name, in_array=in_array
                        ),
                    )
                )
            except Impossible as impossible:
                if is_required:
                    raise Impossible(
                        child, f"required property {name!r}: {impossible.reason}"
                    ) from None
        fields = self._fit_property_count(
            schema, fields, set(required), name_check, pointer, in_array
        )
        return ObjectNode(fields, pointer, optional_presence(fields, set(required), schema))

    def _apply_dependent_schemas(self, schema: dict[str, Any], pointer: str) -> dict[str, Any]:
        dependents = schema.get("dependentSchemas")
        if not dependents:
            return schema
        out: Schema = {k: v for k, v in schema.items() if k != "dependentSchemas"}
        present = {*schema.get("properties", {}), *schema.get("required", [])}
        for trigger, dependent in dependents.items():
            if trigger in present:
                out = merge(out, dependent, pointer)
                if out is False:
                    raise Impossible(pointer, f"dependentSchemas/{trigger} contradicts the object")
        assert isinstance(out, dict)
        return out

    @staticmethod
    def _property_schema(schema: dict[str, Any], name: str) -> Schema:
        properties = schema.get("properties", {})
        matched = [
            sub
            for pattern, sub in schema.get("patternProperties", {}).items()
            if re.search(pattern, name)
        ]
        base: Schema = (
            properties[name]
            if name in properties
            else ({} if matched else schema.get("additionalProperties", {}))
        )
        for sub in matched:
            base = merge(base, sub)
        return base

    def _fit_property_count(
        self,
        schema: dict[str, Any],
        fields: list[tuple[str, Node]],
        required: set[str],
        name_check: Any,
        pointer: str,
        in_array: bool,
    ) -> list[tuple[str, Node]]:
        maximum = _count(schema, "maxProperties")
        if maximum is not None and len(fields) > maximum:
            optional = [f for f in fields if f[0] not in required]
            keep_optional = max(0, maximum - (len(fields) - len(optional)))
            drop = {name for name, _ in optional[keep_optional:]}
            fields = [f for f in fields if f[0] not in drop]
            if len(fields) > maximum:
                raise Impossible(
                    pointer, f"{len(fields)} required properties exceed maxProperties {maximum}"
                )
        minimum = _count(schema, "minProperties", 0) or 0
        taken = {name for name, _ in fields} | set(schema.get("dependentRequired", {}))
        candidates = iter(
            extra_names(schema.get("propertyNames"), self.locale, build_plan) if minimum else ()
        )
        while len(fields) < minimum:
            extra = next(candidates, None)
            if extra is None:
                raise Impossible(pointer, f"cannot find property names for minProperties {minimum}")
            if extra in taken or (name_check is not None and not name_check.is_valid(extra)):
                continue
            taken.add(extra)
            try:
                node = self.plan(
                    self._property_schema(schema, extra),
                    f"{pointer}/additionalProperties",
                    extra,
                    in_array=in_array,
                )
            except Impossible:
                raise Impossible(
                    pointer, f"minProperties {minimum} needs more properties than the schema allows"
                ) from None
            fields.append((extra, node))
        return fields

    def _plan_array(self, schema: dict[str, Any], pointer: str) -> Node:
        prefix: list[Node] = []
        limit = _count(schema, "maxItems")
        for i, sub in enumerate(schema.get("prefixItems", [])):
            try:
                prefix.append(self.plan(sub, f"{pointer}/prefixItems/{i}", None, in_array=True))
            except Impossible:
                limit = i if limit is None else min(limit, i)
                break
        items_schema: Schema = schema.get("items", {})
        items: Node | None = None
        if limit is None or limit > len(prefix):
            try:
                items = self.plan(items_schema, f"{pointer}/items", None, in_array=True)
            except Impossible:
                items = None
        if items is None:
            limit = len(prefix) if limit is None else min(limit, len(prefix))
        minimum = _count(schema, "minItems", 0) or 0
        contains_node = None
        min_contains = 0
        if "contains" in schema and schema.get("minContains", 1) > 0 and items is not None:
            min_contains = _count(schema, "minContains", 1) or 0
            target = merge(items_schema, schema["contains"], pointer)
            try:
                contains_node = self.plan(target, f"{pointer}/contains", None, in_array=True)
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

    # ----------------------------------------------------------------- helpers

    def _unique_pattern(self, pattern: str, lengths: LengthRule, pointer: str) -> DomainNode:
        """Distinct strings matching ``pattern``, numbered (see ``nodes.pattern_domain``)."""
        language = pattern_language(pattern, lengths.min_length, lengths.max_length, pointer)
        node = UniquePatternNode(language, pattern, pointer)
        return self._checked(node, pointer, f"pattern {pattern!r} matches few strings")

    def _checked(self, node: DomainNode, pointer: str, why: str = "") -> DomainNode:
        """Refuse a unique column whose domain is smaller than the rows asked for."""
        if node.unique:
            size = node.domain_size()
            if size < self.rows:
                raise self._too_small(pointer, size, why)
        return node

    def _too_small(self, pointer: str, size: int, why: str = "") -> SchemaError:
        return SchemaError(
            pointer,
            "x-synthdata/unique",
            f"{why + ', so ' if why else ''}only {size} distinct values exist"
            f" but {self.rows} rows were requested",
            f"at most {size} rows, or a wider domain",
        )


def _distribution(ext: dict[str, Any], pointer: str) -> Distribution:
    spec = ext.get("distribution")
    if not spec or spec["kind"] == "uniform":
        return Distribution()
    if spec["kind"] == "weights":
        raise SchemaError(
            pointer,
            "x-synthdata/distribution",
            "weights apply only to enums",
            "kind 'uniform', 'normal' or 'lognormal'",
        )
    if spec["kind"] == "normal":
        return Distribution("normal", float(spec["mean"]), float(spec["std"]))
    return Distribution("lognormal", float(spec["mean"]), float(spec["sigma"]))


def _count(schema: dict[str, Any], key: str, default: int | None = None) -> int | None:
    """A non-negative integer keyword; JSON allows ``25.0`` for 25."""
    value = schema.get(key, default)
    return None if value is None else int(value)


def _escape(name: str) -> str:
    return name.replace("~", "~0").replace("/", "~1")


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
