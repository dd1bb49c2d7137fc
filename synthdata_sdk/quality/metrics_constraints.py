"""The per-field constraints a schema declares, as rules a single value can be checked against.

Only properties reached through ``properties`` (nested objects become dotted paths) are
read; a property whose schema is ``anyOf`` one schema and ``{"type": "null"}`` (pydantic's
``Optional``) is read through to the non-null branch. Constraints are checked on non-null
values of the JSON types they apply to, as JSON Schema does; a value of the wrong type is
the validator's business, not a constraint violation.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from jsonschema import Draft202012Validator

from synthdata_sdk.quality.metrics_values import value_key
from synthdata_sdk.schema.format_checks import format_checker

NUMBERS = frozenset({"integer", "number"})
STRINGS = frozenset({"string"})
ARRAYS = frozenset({"array"})
ANY: frozenset[str] = frozenset()

#: the keyword that stands for ``x-synthdata: {"unique": true}``
UNIQUE = "unique"


@dataclass(frozen=True)
class Rule:
    """One schema keyword of one field.

    ``types`` are the JSON types it applies to (empty: any non-null value); ``test`` says
    whether a value satisfies it, and is None for ``unique``, which the field checks
    against the values it has already seen.
    """

    keyword: str
    expected: Any
    types: frozenset[str]
    test: Callable[[Any], bool] | None

    def applies(self, json_type: str) -> bool:
        """Whether a value of this JSON type is checked against the rule."""
        return not self.types or json_type in self.types


def declared_fields(schema: Mapping[str, Any]) -> dict[str, list[Rule]]:
    """Every leaf property path the schema declares, with the rules it sets (maybe none)."""
    out: dict[str, list[Rule]] = {}
    _collect(schema, "", out)
    return out


def _collect(schema: Mapping[str, Any], prefix: str, out: dict[str, list[Rule]]) -> None:
    properties = schema.get("properties")
    if not isinstance(properties, Mapping):
        return
    for name, subschema in properties.items():
        path = f"{prefix}{name}"
        sub = _non_null_branch(subschema)
        if not isinstance(sub, Mapping):
            out[path] = []
        elif isinstance(sub.get("properties"), Mapping):
            _collect(sub, f"{path}.", out)
        elif not _may_be_object(sub):  # a free-form object's keys show up as their own paths
            out[path] = rules(sub)


def _may_be_object(schema: Mapping[str, Any]) -> bool:
    kind = schema.get("type")
    return kind == "object" or (isinstance(kind, list) and "object" in kind)


def _non_null_branch(schema: Any) -> Any:
    branches = schema.get("anyOf") if isinstance(schema, Mapping) else None
    if isinstance(branches, list) and len(branches) == 2:
        others = [b for b in branches if b != {"type": "null"}]
        if len(others) == 1:
            return others[0]
    return schema


def rules(schema: Mapping[str, Any]) -> list[Rule]:
    """The checkable rules of one field schema, in a fixed keyword order."""
    found: list[Rule] = []
    for keyword, build in _BUILDERS.items():
        if keyword in schema:
            rule = build(schema[keyword])
            if rule is not None:
                found.append(rule)
    extension = schema.get("x-synthdata")
    if isinstance(extension, Mapping) and extension.get("unique") is True:
        found.append(Rule(UNIQUE, True, ANY, None))
    return found


def _number(keyword: str, test: Callable[[float, float], bool]) -> Callable[[Any], Rule | None]:
    def build(bound: Any) -> Rule | None:
        if isinstance(bound, bool) or not isinstance(bound, (int, float)):
            return None
        return Rule(keyword, bound, NUMBERS, lambda value: test(value, bound))

    return build


def _length(
    keyword: str, types: frozenset[str], test: Callable[[int, int], bool]
) -> Callable[[Any], Rule | None]:
    def build(bound: Any) -> Rule | None:
        if isinstance(bound, bool) or not isinstance(bound, int):
            return None
        return Rule(keyword, bound, types, lambda value: test(len(value), bound))

    return build


def _pattern(pattern: Any) -> Rule | None:
    try:
        compiled = re.compile(pattern)
    except (re.error, TypeError):  # an ECMA-262 construct Python lacks: left to the validator
        return None
    return Rule("pattern", pattern, STRINGS, lambda value: compiled.search(value) is not None)


def _format(name: Any) -> Rule | None:
    checker = format_checker(Draft202012Validator.FORMAT_CHECKER)
    if not isinstance(name, str) or name not in checker.checkers:
        return None
    return Rule("format", name, STRINGS, lambda value: bool(checker.conforms(value, name)))


def _enum(options: Any) -> Rule | None:
    if not isinstance(options, list):
        return None
    keys = {value_key(option) for option in options}
    return Rule("enum", options, ANY, lambda value: value_key(value) in keys)


def _const(expected: Any) -> Rule:
    key = value_key(expected)
    return Rule("const", expected, ANY, lambda value: value_key(value) == key)


def _multiple_of(divisor: Any) -> Rule | None:
    if isinstance(divisor, bool) or not isinstance(divisor, (int, float)) or divisor <= 0:
        return None
    # jsonschema's own float arithmetic, so this agrees with the validity check
    validator = Draft202012Validator({"multipleOf": divisor})
    return Rule("multipleOf", divisor, NUMBERS, validator.is_valid)


def _unique_items(flag: Any) -> Rule | None:
    if flag is not True:
        return None
    return Rule(
        "uniqueItems",
        True,
        ARRAYS,
        lambda value: len({value_key(item) for item in value}) == len(value),
    )


_BUILDERS: dict[str, Callable[[Any], Rule | None]] = {
    "minimum": _number("minimum", lambda value, bound: value >= bound),
    "exclusiveMinimum": _number("exclusiveMinimum", lambda value, bound: value > bound),
    "maximum": _number("maximum", lambda value, bound: value <= bound),
    "exclusiveMaximum": _number("exclusiveMaximum", lambda value, bound: value < bound),
    "multipleOf": _multiple_of,
    "minLength": _length("minLength", STRINGS, lambda length, bound: length >= bound),
    "maxLength": _length("maxLength", STRINGS, lambda length, bound: length <= bound),
    "pattern": _pattern,
    "format": _format,
    "enum": _enum,
    "const": _const,
    "minItems": _length("minItems", ARRAYS, lambda length, bound: length >= bound),
    "maxItems": _length("maxItems", ARRAYS, lambda length, bound: length <= bound),
    "uniqueItems": _unique_items,
}
