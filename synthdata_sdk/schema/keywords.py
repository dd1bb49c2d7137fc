"""The JSON Schema 2020-12 vocabulary synthdata understands, and the ``x-synthdata`` extension."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from typing import Any

from synthdata_sdk.errors import SchemaError
from synthdata_sdk.schema.numbers import exact

#: keywords that never change which instances are valid
ANNOTATIONS = frozenset(
    {
        "$schema",
        "$id",
        "$anchor",
        "$dynamicAnchor",
        "$vocabulary",
        "$comment",
        "$defs",
        "definitions",
        "title",
        "description",
        "default",
        "examples",
        "example",
        "deprecated",
        "readOnly",
        "writeOnly",
        "contentEncoding",
        "contentMediaType",
        "contentSchema",
    }
)

#: annotations of editors' JSON Schema vocabularies (VS Code's and the widely copied ones):
#: they describe completion and messages, never which instances are valid
EDITOR_ANNOTATIONS = frozenset(
    {
        "markdownDescription",
        "enumDescriptions",
        "markdownEnumDescriptions",
        "deprecationMessage",
        "errorMessage",
        "patternErrorMessage",
        "defaultSnippets",
        "doNotSuggest",
        "suggestSortText",
        "allowComments",
        "allowTrailingCommas",
    }
)

#: the ``format`` values the drafts define (2020-12's list; the older drafts' are a subset):
#: a validator may check these, and synthdata generates every one of them. Any other format
#: is checked by no validator, so it is an annotation.
STANDARD_FORMATS = frozenset(
    {
        "date-time",
        "date",
        "time",
        "duration",
        "email",
        "idn-email",
        "hostname",
        "idn-hostname",
        "ipv4",
        "ipv6",
        "uri",
        "uri-reference",
        "iri",
        "iri-reference",
        "uuid",
        "uri-template",
        "json-pointer",
        "relative-json-pointer",
        "regex",
    }
)

#: keywords whose value is one subschema
SUBSCHEMAS = frozenset(
    {
        "items",
        "additionalProperties",
        "propertyNames",
        "contains",
        "not",
        "unevaluatedItems",
        "unevaluatedProperties",
    }
)
#: keywords whose value is a list of subschemas
SUBSCHEMA_LISTS = frozenset({"prefixItems", "anyOf", "oneOf"})
#: keywords whose value maps names to subschemas
SUBSCHEMA_DICTS = frozenset({"properties", "patternProperties", "dependentSchemas"})

#: every validation keyword of 2020-12 (core applicators and validation vocabulary)
ASSERTIONS = (
    SUBSCHEMAS
    | SUBSCHEMA_LISTS
    | SUBSCHEMA_DICTS
    | frozenset(
        {
            "$ref",
            "allOf",
            "if",
            "then",
            "else",
            "type",
            "enum",
            "const",
            "format",
            "multipleOf",
            "maximum",
            "exclusiveMaximum",
            "minimum",
            "exclusiveMinimum",
            "maxLength",
            "minLength",
            "pattern",
            "maxItems",
            "minItems",
            "uniqueItems",
            "maxContains",
            "minContains",
            "maxProperties",
            "minProperties",
            "required",
            "dependentRequired",
        }
    )
)

EXTENSION = "x-synthdata"
DISTRIBUTIONS = {
    "uniform": frozenset(),
    "normal": frozenset({"mean", "std"}),
    "lognormal": frozenset({"mean", "sigma"}),
    "weights": frozenset({"weights"}),
}
_EXTENSION_KEYS = frozenset(
    {
        "semantic",
        "unique",
        "null_rate",
        "distribution",
        "luhn",
        "checksum",
        "ref",
        "per_parent",
        "decimals",
        "multiple",
    }
)
#: the most decimal places ``x-synthdata/decimals`` asks for (a float holds 15 digits)
MAX_DECIMALS = 12
#: the keys of ``x-synthdata/per_parent``
_PER_PARENT_KEYS = frozenset({"min", "max", "distribution"})
#: ``x-synthdata/ref``: ``table.column``, both plain identifiers (they name files and SQL tables)
REF_FORM = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)\.([A-Za-z_][A-Za-z0-9_]*)")


def validate_extension(value: Any, pointer: str) -> dict[str, Any]:
    """Check the shape of an ``x-synthdata`` object and return a copy of it."""
    if not isinstance(value, Mapping):
        raise SchemaError(pointer, EXTENSION, f"must be an object, got {value!r}")
    for key in value:
        if key not in _EXTENSION_KEYS:
            raise SchemaError(
                pointer, f"{EXTENSION}/{key}", "unknown option", f"one of {sorted(_EXTENSION_KEYS)}"
            )
    if "semantic" in value and not isinstance(value["semantic"], str):
        raise SchemaError(pointer, f"{EXTENSION}/semantic", "must be a string")
    if "unique" in value and not isinstance(value["unique"], bool):
        raise SchemaError(pointer, f"{EXTENSION}/unique", "must be true or false")
    if "null_rate" in value:
        rate = value["null_rate"]
        if isinstance(rate, bool) or not isinstance(rate, (int, float)) or not 0 <= rate <= 1:
            raise SchemaError(
                pointer, f"{EXTENSION}/null_rate", f"got {rate!r}", "a number in 0..1"
            )
    if "distribution" in value:
        _validate_distribution(value["distribution"], f"{pointer}/distribution")
    if "ref" in value and not (isinstance(value["ref"], str) and REF_FORM.fullmatch(value["ref"])):
        raise SchemaError(
            pointer,
            f"{EXTENSION}/ref",
            f"got {value['ref']!r}",
            "'table.column', e.g. 'customers.id'",
        )
    if "per_parent" in value:
        _validate_per_parent(value["per_parent"], pointer)
    if "decimals" in value or "multiple" in value:
        _validate_decimals(value, pointer)
    return dict(value)


def _validate_decimals(value: Mapping[str, Any], pointer: str) -> None:
    """``decimals``: a whole number of places 0..MAX_DECIMALS; ``multiple``: a positive number
    with at most that many places, kept exactly in decimal (only beside ``decimals``)."""
    places = value.get("decimals")
    if places is None:
        raise SchemaError(
            pointer, f"{EXTENSION}/multiple", "needs decimals", "decimals beside multiple"
        )
    if isinstance(places, bool) or not isinstance(places, int) or not 0 <= places <= MAX_DECIMALS:
        raise SchemaError(
            pointer, f"{EXTENSION}/decimals", f"got {places!r}", f"a whole number 0..{MAX_DECIMALS}"
        )
    if "multiple" not in value:
        return
    multiple = value["multiple"]
    expected = f"a positive number with at most {places} decimals"
    if (
        isinstance(multiple, bool)
        or not isinstance(multiple, (int, float))
        or not 0 < multiple < math.inf
    ):
        raise SchemaError(pointer, f"{EXTENSION}/multiple", f"got {multiple!r}", expected)
    if (exact(multiple) * 10**places).denominator != 1:
        raise SchemaError(pointer, f"{EXTENSION}/multiple", f"got {multiple!r}", expected)


def _validate_per_parent(value: Any, pointer: str) -> None:
    """``per_parent``: ``{min, max}``, whole numbers with ``0 <= min <= max``, and optionally
    a ``distribution`` of the counts in between (weights: one per count from min to max)."""
    expected = (
        "{'min': m, 'max': n} with whole numbers 0 <= m <= n, and optionally a 'distribution'"
    )
    if not isinstance(value, Mapping) or not {"min", "max"} <= set(value) <= _PER_PARENT_KEYS:
        raise SchemaError(pointer, f"{EXTENSION}/per_parent", f"got {value!r}", expected)
    low, high = value["min"], value["max"]
    if not all(isinstance(v, int) and not isinstance(v, bool) for v in (low, high)) or not (
        0 <= low <= high
    ):
        raise SchemaError(pointer, f"{EXTENSION}/per_parent", f"got {dict(value)!r}", expected)
    if "distribution" not in value:
        return
    where = f"{pointer}/per_parent"
    _validate_distribution(value["distribution"], where)
    weights = value["distribution"].get("weights")
    if weights is not None and len(weights) != high - low + 1:
        raise SchemaError(
            where,
            f"{EXTENSION}/distribution/weights",
            f"got {len(weights)} weights for the counts {low}..{high}",
            f"{high - low + 1} weights, one per count from min to max",
        )


def _validate_distribution(value: Any, pointer: str) -> None:
    if not isinstance(value, Mapping) or value.get("kind") not in DISTRIBUTIONS:
        raise SchemaError(
            pointer,
            f"{EXTENSION}/distribution",
            f"got {value!r}",
            f"an object whose 'kind' is one of {sorted(DISTRIBUTIONS)}",
        )
    kind = value["kind"]
    allowed = DISTRIBUTIONS[kind]
    for key, parameter in value.items():
        if key == "kind":
            continue
        if key not in allowed:
            raise SchemaError(
                pointer,
                f"{EXTENSION}/distribution/{key}",
                f"not a parameter of {kind!r}",
                f"one of {sorted(allowed)}" if allowed else "no parameters",
            )
        if kind == "weights":
            if (
                not isinstance(parameter, list)
                or not parameter
                or not all(
                    isinstance(w, (int, float)) and not isinstance(w, bool) and w >= 0
                    for w in parameter
                )
                or sum(parameter) <= 0
            ):
                raise SchemaError(
                    pointer,
                    f"{EXTENSION}/distribution/weights",
                    f"got {parameter!r}",
                    "a non-empty list of non-negative numbers with a positive sum",
                )
        elif isinstance(parameter, bool) or not isinstance(parameter, (int, float)):
            raise SchemaError(
                pointer, f"{EXTENSION}/distribution/{key}", f"got {parameter!r}", "a number"
            )
    for key in allowed:
        if key not in value:
            raise SchemaError(
                pointer, f"{EXTENSION}/distribution/{key}", "missing", f"a number for {kind!r}"
            )
    for key in ("std", "sigma"):
        if key in value and value[key] <= 0:
            raise SchemaError(
                pointer,
                f"{EXTENSION}/distribution/{key}",
                f"got {value[key]!r}",
                "a positive number",
            )
