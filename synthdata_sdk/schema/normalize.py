"""JSON Schema (2020-12) -> a self-contained, normalised schema the planner can read.

Normalisation inlines every ``$ref`` (recursion is cut at a bounded depth by the ``false``
schema, so a recursive structure ends at an empty array or an absent optional property),
merges ``allOf`` into one schema, rewrites ``if``/``then``/``else`` as an ``anyOf`` and drops
annotations. ``unevaluated*`` and ``$dynamicRef`` are read approximately and the source schema
is kept as a check (see ``_Normalizer``). The result accepts a subset of what the source schema accepts, so data valid
for it is valid for the source. Keywords that cannot be merged exactly are kept under a
residual ``allOf``; the planner generates from the merged part and checks the residual.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from referencing import Registry, Resource
from referencing.exceptions import Unresolvable
from referencing.jsonschema import DRAFT202012 as DRAFT202012_SPEC

from synthdata_sdk.errors import SchemaError, UnknownKeywordWarning
from synthdata_sdk.schema.budget import NormalizationBudget
from synthdata_sdk.schema.drafts import (
    DRAFT202012,
    Dialect,
    UnknownKeyword,
    dialect_of,
    translate,
)
from synthdata_sdk.schema.expansion import Expansion, inline
from synthdata_sdk.schema.keywords import (
    ASSERTIONS,
    EXTENSION,
    SUBSCHEMA_DICTS,
    SUBSCHEMA_LISTS,
    SUBSCHEMAS,
    validate_extension,
)
from synthdata_sdk.schema.metaschema import metaschema_issues
from synthdata_sdk.schema.numbers import exact, fraction_lcm

Schema = dict[str, Any] | bool

_ROOT_URI = "urn:synthdata:root"
#: the most branches an anyOf distributed over another (in ``allOf``) may have
_MAX_DISTRIBUTED_BRANCHES = 64
#: the most pairs of branches distributing one anyOf over another may merge
_MAX_DISTRIBUTED_PAIRS = _MAX_DISTRIBUTED_BRANCHES * _MAX_DISTRIBUTED_BRANCHES
_UNEVALUATED = ("unevaluatedProperties", "unevaluatedItems")
#: the base URI of the source schema when it is kept as a check and has no ``$id``
_SOURCE_URI = "urn:synthdata:source"


def normalize(schema: Mapping[str, Any] | bool, *, strict_keywords: bool = False) -> Schema:
    """Return the normalised form of ``schema``; raise ``SchemaError`` if it is malformed.

    Unknown keywords are annotations, reported with an ``UnknownKeywordWarning``; with
    ``strict_keywords`` they are refused instead.
    """
    result = read_schema(schema, strict_keywords=strict_keywords)
    warn_unknown_keywords(result.unknown)
    return result.schema


@dataclass(frozen=True)
class ReadSchema:
    """A normalised schema, the draft it was written in and its unknown keywords."""

    schema: Schema
    dialect: Dialect
    unknown: tuple[UnknownKeyword, ...] = ()


def read_schema(schema: Mapping[str, Any] | bool, *, strict_keywords: bool = False) -> ReadSchema:
    """``normalize`` without the warning: the unknown keywords are returned instead."""
    if isinstance(schema, bool):
        return ReadSchema({} if schema else False, DRAFT202012)
    if not isinstance(schema, Mapping):
        raise SchemaError("", "type", f"a schema must be an object or a boolean, got {schema!r}")
    check_metaschema(schema)
    translation = translate(schema, strict_keywords=strict_keywords)
    source = translation.schema
    resource = Resource.from_contents(source, default_specification=DRAFT202012_SPEC)
    uri = resource.id() or _ROOT_URI
    # crawling indexes embedded resources, so refs to a nested ``$id`` resolve
    resolver = Registry().with_resource(uri, resource).crawl().resolver(uri)

    def attempt(expansion: Expansion) -> tuple[Schema, list[str]]:
        normalizer = _Normalizer(expansion)
        token = _EXPANSION.set(expansion)
        try:
            return normalizer.node(source, resolver, "", ()), normalizer.approximated
        finally:
            _EXPANSION.reset(token)

    normalized, approximated = inline(attempt)
    if approximated and normalized is not False:
        # generation read some keywords only approximately: the source, as written, checks
        # every value (an embedded resource, so its own refs resolve inside it)
        normalized = merge(normalized, {"allOf": [{"$id": _SOURCE_URI, **source}]}, "")
    return ReadSchema(normalized, translation.dialect, translation.unknown)


def warn_unknown_keywords(unknown: tuple[UnknownKeyword, ...]) -> None:
    """One ``UnknownKeywordWarning`` naming each unknown keyword and where it first is."""
    if not unknown:
        return
    places: dict[str, list[str]] = {}
    for item in unknown:
        places.setdefault(item.describe(), []).append(item.pointer or "/")
    shown = [
        f"{what} at {where[0]}" + (f" (+{len(where) - 1} more)" if len(where) > 1 else "")
        for what, where in places.items()
    ]
    warnings.warn(
        UnknownKeywordWarning(
            f"keywords read as annotations, constraining nothing: {'; '.join(shown)}"
            " (pass strict_keywords=True, or --strict-keywords, to refuse them)",
            tuple((item.pointer, item.keyword) for item in unknown),
        ),
        stacklevel=3,
    )


def normalize_root(
    schema: Mapping[str, Any] | bool, *, strict_keywords: bool = False
) -> dict[str, Any]:
    """``normalize`` for a dataset's root, which must accept something."""
    result = read_root(schema, strict_keywords=strict_keywords)
    warn_unknown_keywords(result.unknown)
    assert isinstance(result.schema, dict)
    return result.schema


def read_root(schema: Mapping[str, Any] | bool, *, strict_keywords: bool = False) -> ReadSchema:
    """``read_schema`` for a dataset's root, which must accept something."""
    result = read_schema(schema, strict_keywords=strict_keywords)
    if not isinstance(result.schema, dict):  # ``true`` normalises to {}, so this is ``false``
        raise SchemaError("", "schema", "the schema accepts nothing", "a satisfiable schema")
    return result


def check_metaschema(schema: Mapping[str, Any]) -> None:
    """Raise ``SchemaError`` at the first place where ``schema`` breaks its draft's metaschema."""
    dialect = dialect_of(schema)
    errors = sorted(
        # 2020-12 is checked keyword by keyword (linear); older drafts by their metaschema
        metaschema_issues(schema)
        if dialect is DRAFT202012
        else dialect.validator(dialect.validator.META_SCHEMA).iter_errors(schema),
        key=lambda error: (len(error.path), list(map(str, error.path)), error.message),
    )
    if errors:
        error = errors[-1]
        parts = [str(part) for part in error.path]
        keyword = parts[-1] if parts else error.validator
        pointer = "/" + "/".join(parts[:-1]) if len(parts) > 1 else ""
        raise SchemaError(
            pointer, keyword, error.message, f"a valid JSON Schema {dialect.name} value"
        )


class _Normalizer:
    """One normalisation; ``approximated`` lists what generation reads only approximately.

    ``unevaluatedProperties``/``unevaluatedItems`` depend on what the applicators as written
    evaluate, which merging rewrites, so they are left out of the merged schema; a
    ``$dynamicRef`` is followed like a ``$ref`` (its static target). Either way the source
    schema then checks every value, and a value it rejects is drawn again.
    """

    def __init__(self, expansion: Expansion) -> None:
        self.approximated: list[str] = []
        self.budget = NormalizationBudget()
        self.expansion = expansion

    def node(self, schema: Any, resolver: Any, pointer: str, stack: tuple[int, ...]) -> Schema:
        self.budget.visit(pointer)
        if schema is True:
            return {}
        if schema is False:
            return False
        if not isinstance(schema, dict):
            raise SchemaError(
                pointer, "type", f"a schema must be an object or boolean, not {schema!r}"
            )
        self.expansion.count(pointer)
        if "$id" in schema and pointer:
            resolver = resolver.in_subresource(DRAFT202012_SPEC.create_resource(schema))
        out: dict[str, Any] = {}
        parts: list[Schema] = []
        for key, value in schema.items():
            if key in ("$ref", "$dynamicRef", "allOf", "if", "then", "else"):
                continue
            if key not in ASSERTIONS and key != EXTENSION and not key.startswith("x-"):
                continue  # annotations, and unknown keywords (listed by translation)
            if key in _UNEVALUATED:
                if value not in (True, {}):
                    self.approximated.append(f"{pointer}/{key}")
                continue
            if key == EXTENSION:
                out[key] = validate_extension(value, pointer)
            elif key in SUBSCHEMAS:
                out[key] = self.node(value, resolver, f"{pointer}/{key}", stack)
            elif key in SUBSCHEMA_LISTS:
                out[key] = [
                    self.node(item, resolver, f"{pointer}/{key}/{i}", stack)
                    for i, item in enumerate(value)
                ]
            elif key in SUBSCHEMA_DICTS:
                out[key] = {
                    name: self.node(item, resolver, f"{pointer}/{key}/{_escape(name)}", stack)
                    for name, item in value.items()
                }
            else:
                out[key] = value
        parts.append(out)
        if "$ref" in schema:
            parts.append(self._ref(schema["$ref"], resolver, f"{pointer}/$ref", stack))
        if "$dynamicRef" in schema:
            self.approximated.append(f"{pointer}/$dynamicRef")
            ref = schema["$dynamicRef"]
            parts.append(self._ref(ref, resolver, f"{pointer}/$dynamicRef", stack))
        for i, item in enumerate(schema.get("allOf", ())):
            parts.append(self.node(item, resolver, f"{pointer}/allOf/{i}", stack))
        if "if" in schema:
            parts.append(self._conditional(schema, resolver, pointer, stack))
        merged: Schema = {}
        for part in parts:
            merged = merge(merged, part, pointer)
        return merged

    def _ref(self, ref: str, resolver: Any, pointer: str, stack: tuple[int, ...]) -> Schema:
        try:
            resolved = resolver.lookup(ref)
        except Unresolvable as error:
            raise SchemaError(
                pointer,
                pointer.rsplit("/", 1)[-1],  # $ref or $dynamicRef
                f"cannot resolve {ref!r} ({error})",
                "a local $defs or $id reference",
            ) from None
        except (TypeError, ValueError):
            # the pointer steps into a value that has no such member: a boolean subschema
            # (``true`` has no ``properties``) or a list indexed by a name
            raise SchemaError(
                pointer,
                pointer.rsplit("/", 1)[-1],
                f"cannot resolve {ref!r}: the pointer passes through a boolean subschema or"
                " indexes a list by name",
                "a pointer to a subschema that exists",
            ) from None
        target = resolved.contents
        if not self.expansion.follows(stack.count(id(target)), len(stack)):
            return False  # recursion cut: the planner must end the structure here
        resolver = resolved.resolver
        if isinstance(target, dict) and "$id" in target:
            resolver = resolver.in_subresource(DRAFT202012_SPEC.create_resource(target))
        return self.node(target, resolver, pointer, (*stack, id(target)))

    def _conditional(
        self, schema: dict[str, Any], resolver: Any, pointer: str, stack: tuple[int, ...]
    ) -> Schema:
        """(if and then) or (not if and else), as an anyOf the planner can choose from."""
        condition = self.node(schema["if"], resolver, f"{pointer}/if", stack)
        then = self.node(schema.get("then", True), resolver, f"{pointer}/then", stack)
        otherwise = self.node(schema.get("else", True), resolver, f"{pointer}/else", stack)
        branches = [
            merge(condition, then, pointer),
            merge(otherwise, {"not": condition} if condition is not False else {}, pointer),
        ]
        live = [branch for branch in branches if branch is not False]
        if not live:
            return False
        return {"anyOf": live}


def _escape(name: str) -> str:
    return name.replace("~", "~0").replace("/", "~1")


# --------------------------------------------------------------------------- merging


#: the normalisation under way in this context, whose merges count against its bound
_EXPANSION: ContextVar[Expansion | None] = ContextVar("synthdata_expansion", default=None)


def merge(a: Schema, b: Schema, pointer: str = "") -> Schema:
    """The schema accepting what both ``a`` and ``b`` accept (exact, or with a residual allOf)."""
    expansion = _EXPANSION.get()
    if expansion is not None:
        expansion.merged(pointer)
    if a is False or b is False:
        return False
    if a is True or not a:
        return b if b is not True else {}
    if b is True or not b:
        return a
    out = dict(a)
    residual: list[Schema] = list(out.pop("allOf", []))
    residual.extend(b.get("allOf", []))
    for key, value in b.items():
        if key == "allOf":
            continue
        if key not in out:
            out[key] = value
            continue
        merged = _merge_keyword(key, out[key], value, out, b, pointer)
        if merged is _RESIDUAL:
            residual.append({key: value})
        elif merged is _IMPOSSIBLE:
            return False
        else:
            out[key] = merged
    if "properties" in b or "properties" in a:
        result = _merge_properties(a, b, out, pointer)
        if result is False:
            return False
    if "prefixItems" in a or "prefixItems" in b:
        _merge_positions(a, b, out, pointer)
    if residual:
        out["allOf"] = residual
    return _check_satisfiable(out)


class _Marker:
    pass


_RESIDUAL: Any = _Marker()
_IMPOSSIBLE: Any = _Marker()

_LOWER_BOUNDS = (
    "minimum",
    "exclusiveMinimum",
    "minLength",
    "minItems",
    "minProperties",
    "minContains",
)
_UPPER_BOUNDS = (
    "maximum",
    "exclusiveMaximum",
    "maxLength",
    "maxItems",
    "maxProperties",
    "maxContains",
)


def _merge_keyword(
    key: str, x: Any, y: Any, a: dict[str, Any], b: dict[str, Any], pointer: str
) -> Any:
    if key in _LOWER_BOUNDS:
        return max(x, y)
    if key in _UPPER_BOUNDS:
        return min(x, y)
    if key == "type":
        merged = _merge_types(x, y)
        return merged if merged else _IMPOSSIBLE
    if key == "const":
        # no value equals two different constants
        return x if _json_equal(x, y) else _IMPOSSIBLE
    if key == "enum":
        return _common_values(x, y)
    if key == "required":
        return list(dict.fromkeys([*x, *y]))
    if key == "uniqueItems":
        return bool(x or y)
    if key == "multipleOf":
        return _merge_multiple(x, y)
    if key in ("properties", "prefixItems"):
        return x  # merged with full knowledge of both schemas afterwards
    if key in ("items", "additionalProperties", "propertyNames", "contains"):
        if key == "contains":
            return _RESIDUAL
        return merge(x, y, pointer)
    if key == "dependentRequired":
        out = {k: list(v) for k, v in x.items()}
        for name, deps in y.items():
            out[name] = list(dict.fromkeys([*out.get(name, []), *deps]))
        return out
    if key == "anyOf":
        return _distribute(x, y, pointer)
    if key == "x-synthdata":
        return {**x, **y}
    if _json_equal(x, y):
        return x
    return _RESIDUAL


def _distribute(x: list[Schema], y: list[Schema], pointer: str) -> Any:
    """``anyOf x`` and ``anyOf y`` as one ``anyOf`` of the pairs that accept something.

    Past _MAX_DISTRIBUTED_BRANCHES such pairs, or _MAX_DISTRIBUTED_PAIRS pairs merged, ``y``
    stays a residual check instead. Pairs are merged one at a time and the merging stops at
    the first one over: two anyOfs of 2,000 branches each were 4 million merges, all done
    before their count was looked at. Unions of up to 64 branches each are still distributed
    in full, as before.
    """
    live: list[Schema] = []
    tried = 0
    for p in x:
        for q in y:
            tried += 1
            if tried > _MAX_DISTRIBUTED_PAIRS:
                return _RESIDUAL
            pair = merge(p, q, pointer)
            if pair is False:
                continue
            if len(live) == _MAX_DISTRIBUTED_BRANCHES:
                return _RESIDUAL
            live.append(pair)
    return live if live else _IMPOSSIBLE


def _merge_types(x: str | list[str], y: str | list[str]) -> str | list[str] | None:
    xs = {x} if isinstance(x, str) else set(x)
    ys = {y} if isinstance(y, str) else set(y)
    if "number" in xs:
        xs.add("integer")
    if "number" in ys:
        ys.add("integer")
    both = xs & ys
    if "number" in both:
        both.discard("integer")
    order = ["null", "boolean", "object", "array", "number", "integer", "string"]
    result = [t for t in order if t in both]
    if not result:
        return None
    return result[0] if len(result) == 1 else result


def _merge_multiple(x: float, y: float) -> Any:
    fx, fy = exact(x), exact(y)
    if fx == fy:
        return x
    lcm = fraction_lcm(fx, fy)
    if lcm.denominator == 1:
        return int(lcm)
    return _RESIDUAL


def _allowed_schema(schema: Mapping[str, Any], name: str) -> Schema:
    """The schema ``schema`` applies to the property ``name`` (properties, else additional)."""
    properties = schema.get("properties", {})
    if name in properties:
        return properties[name]  # type: ignore[no-any-return]
    if "patternProperties" in schema:
        return {}  # checked by the residual; patternProperties stays on the schema
    return schema.get("additionalProperties", {})  # type: ignore[no-any-return]


def _merge_properties(
    a: Mapping[str, Any], b: Mapping[str, Any], out: dict[str, Any], pointer: str
) -> Schema:
    names = list(dict.fromkeys([*a.get("properties", {}), *b.get("properties", {})]))
    properties: dict[str, Schema] = {}
    for name in names:
        properties[name] = merge(_allowed_schema(a, name), _allowed_schema(b, name), pointer)
    out["properties"] = properties
    if "additionalProperties" in a or "additionalProperties" in b:
        out["additionalProperties"] = merge(
            a.get("additionalProperties", {}), b.get("additionalProperties", {}), pointer
        )
    if "patternProperties" in a and "patternProperties" in b:
        out.setdefault("allOf", []).append({"patternProperties": b["patternProperties"]})
    return out


def _merge_positions(
    a: Mapping[str, Any], b: Mapping[str, Any], out: dict[str, Any], pointer: str
) -> None:
    length = max(len(a.get("prefixItems", [])), len(b.get("prefixItems", [])))

    def at(schema: Mapping[str, Any], i: int) -> Schema:
        prefix = schema.get("prefixItems", [])
        return prefix[i] if i < len(prefix) else schema.get("items", {})  # type: ignore[no-any-return]

    out["prefixItems"] = [merge(at(a, i), at(b, i), pointer) for i in range(length)]
    if "items" in a or "items" in b:
        out["items"] = merge(a.get("items", {}), b.get("items", {}), pointer)


def _check_satisfiable(schema: dict[str, Any]) -> Schema:
    """``False`` for merges that obviously accept nothing (bounds crossed, ``not: {}``)."""
    if schema.get("not") == {}:
        return False
    for low, high in (
        ("minLength", "maxLength"),
        ("minItems", "maxItems"),
        ("minProperties", "maxProperties"),
    ):
        if low in schema and high in schema and schema[low] > schema[high]:
            return False
    return schema


def _common_values(x: list[Any], y: list[Any]) -> Any:
    """The values two enums share, in the first one's order (linear: compared by key)."""
    keys = {_value_key(value) for value in y}
    common = [value for value in x if _value_key(value) in keys]
    return common if common else _IMPOSSIBLE


def _value_key(value: Any) -> str:
    """A text equal for JSON-equal values: ``1`` and ``1.0`` alike, ``true`` and ``1`` apart."""
    if isinstance(value, bool):
        return f"bool:{value}"
    if isinstance(value, int | float):
        number = int(value) if isinstance(value, float) and value.is_integer() else value
        return f"number:{number!r}"
    if isinstance(value, dict):
        inner = ",".join(f"{k!r}:{_value_key(v)}" for k, v in sorted(value.items()))
        return "{" + inner + "}"
    if isinstance(value, list):
        return "[" + ",".join(_value_key(v) for v in value) + "]"
    return f"{type(value).__name__}:{value!r}"


def _json_equal(x: Any, y: Any) -> bool:
    """JSON equality: 1 == 1.0, but True != 1."""
    if isinstance(x, bool) or isinstance(y, bool):
        return isinstance(x, bool) and isinstance(y, bool) and x == y
    if isinstance(x, (int, float)) and isinstance(y, (int, float)):
        return x == y
    if isinstance(x, list) and isinstance(y, list):
        return len(x) == len(y) and all(_json_equal(p, q) for p, q in zip(x, y, strict=True))
    if isinstance(x, dict) and isinstance(y, dict):
        return x.keys() == y.keys() and all(_json_equal(x[k], y[k]) for k in x)
    return type(x) is type(y) and bool(x == y)
