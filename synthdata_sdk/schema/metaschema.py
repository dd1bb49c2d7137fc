"""The 2020-12 metaschema check, one subschema at a time: linear in the schema's size.

jsonschema checks a schema against the metaschema by following ``$dynamicRef: "#meta"``
into every subschema and resolving a URI at each step: about a millisecond a subschema,
over a minute for 22 MB of ``$defs`` or 100,000 properties. That recursion only says "this
value is a schema", so here each keyword's value is checked against the metaschema's own
rule for that keyword with the recursion cut (a value in a subschema position need only be
an object or a boolean), and ``subschemas`` walks to every subschema instead, without
recursion. The errors are those of the full check (paths and messages alike), except that
a bad subschema under the deprecated ``dependencies`` is reported where it goes wrong
rather than as "not valid under any of the given schemas".
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from importlib import import_module
from typing import Any

from jsonschema import Draft202012Validator

#: the metaschemas jsonschema itself reads (an untyped package it depends on)
REGISTRY: Any = import_module("jsonschema_specifications").REGISTRY

#: keywords whose value is one subschema
SINGLE = frozenset(
    {
        "items",
        "contains",
        "additionalProperties",
        "propertyNames",
        "if",
        "then",
        "else",
        "not",
        "unevaluatedItems",
        "unevaluatedProperties",
    }
)
#: keywords whose value is a list of subschemas
LISTS = frozenset({"prefixItems", "allOf", "anyOf", "oneOf"})
#: keywords whose value maps names to subschemas
DICTS = frozenset({"$defs", "definitions", "properties", "patternProperties", "dependentSchemas"})
#: maps names to a subschema or to a list of property names (deprecated in 2020-12)
MIXED = "dependencies"

_BASE = "https://json-schema.org/draft/2020-12/"
_SHAPE = {"type": ["object", "boolean"]}
_DROPPED = frozenset({"$ref", "$dynamicRef", "default", "$comment", "deprecated"})

Path = tuple[str | int, ...]


@dataclass(frozen=True)
class MetaschemaIssue:
    """One place where a schema breaks the metaschema: its path, message and keyword."""

    path: Path
    message: str
    validator: str


def subschemas(schema: Any) -> Iterator[tuple[Any, Path]]:
    """Every subschema of ``schema`` (the root included) with its path, depth first.

    Only well-formed positions are entered (a ``properties`` that is not an object is the
    metaschema's to report), so any JSON value can be walked.
    """
    stack: list[tuple[Any, Path]] = [(schema, ())]
    while stack:
        node, path = stack.pop()
        yield node, path
        if not isinstance(node, dict):
            continue
        for key, value in node.items():
            if key in SINGLE:
                stack.append((value, (*path, key)))
            elif key in LISTS and isinstance(value, list):
                stack.extend((item, (*path, key, i)) for i, item in enumerate(value))
            elif key in DICTS and isinstance(value, dict):
                stack.extend((item, (*path, key, name)) for name, item in value.items())
            elif key == MIXED and isinstance(value, dict):
                stack.extend(
                    (item, (*path, key, name))
                    for name, item in value.items()
                    if isinstance(item, (dict, bool))
                )


def metaschema_issues(schema: Any) -> list[MetaschemaIssue]:
    """Every place where ``schema`` breaks the 2020-12 metaschema."""
    keywords = _keyword_validators()
    node_check = _node_validator()
    issues: list[MetaschemaIssue] = []
    # keyword values that passed, by (keyword, type, value): `"type": "string"` is checked once
    passed: set[tuple[str, type, Any]] = set()
    for node, path in subschemas(schema):
        if not isinstance(node, dict):
            if not isinstance(node, bool):
                issues.extend(_issues(node_check, node, path))
            continue
        for key, value in node.items():
            check = keywords.get(key)
            if check is None:
                continue
            memo = (key, type(value), value) if isinstance(value, (str, int, float)) else None
            if memo is not None and memo in passed:
                continue
            found = _issues(check, value, (*path, key))
            issues.extend(found)
            if memo is not None and not found:
                passed.add(memo)
    return issues


def _issues(validator: Any, value: Any, path: Path) -> list[MetaschemaIssue]:
    return [
        MetaschemaIssue((*path, *error.absolute_path), error.message, str(error.validator))
        for error in validator.iter_errors(value)
    ]


@cache
def _node_validator() -> Any:
    return Draft202012Validator(_SHAPE)


@cache
def _keyword_validators() -> dict[str, Any]:
    """One validator per keyword: the metaschema's rule for its value, recursion cut."""
    meta = Draft202012Validator.META_SCHEMA
    rules: dict[str, Any] = {}
    definitions: dict[str, Any] = {}
    for part in meta["allOf"]:
        vocabulary = REGISTRY.contents(_BASE + part["$ref"])
        rules.update(vocabulary.get("properties", {}))
        definitions.update(vocabulary.get("$defs", {}))
    rules.update(meta.get("properties", {}))  # the deprecated keywords kept at the top

    def inline(rule: Any) -> Any:
        """``rule`` with every reference replaced by its target; a reference to the
        metaschema itself (a nested subschema) becomes a check of the value's shape."""
        if isinstance(rule, list):
            return [inline(item) for item in rule]
        if not isinstance(rule, dict):
            return rule
        reference = rule.get("$ref") or rule.get("$dynamicRef")
        rest = {key: inline(value) for key, value in rule.items() if key not in _DROPPED}
        if reference is None:
            return rest
        if reference in ("#", "#meta"):
            target: Any = _SHAPE
        else:
            target = inline(definitions[reference.rsplit("/", 1)[-1]])
        return {"allOf": [target], **rest} if rest else target

    validators = {}
    for key, rule in rules.items():
        if key in SINGLE:
            shallow: Any = True  # the subschema is checked where the walk visits it
        elif key in LISTS:
            shallow = {"type": "array", "minItems": 1}
        elif key in DICTS:
            shallow = {k: v for k, v in inline(rule).items() if k != "additionalProperties"}
        else:
            shallow = inline(rule)
        validators[key] = Draft202012Validator(shallow)
    return validators
