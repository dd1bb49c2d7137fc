"""Field context: the key a value is stored under and the semantic it implies.

Some identifiers are only recognisable in context: nine bare digits are an SSN in an
``ssn`` column and nothing in particular elsewhere. The semantic comes from the schema
(``x-synthdata.semantic``, else the ``format``) when one is given, else from the name.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from synthdata_sdk.schema.inference import (
    FORMAT_SEMANTICS,
    NO_SEMANTIC,
    infer_semantic,
    snake_case,
)


@dataclass(frozen=True)
class Field:
    """Where a value sits: its snake_case key and semantic.

    A list item takes its list's key; a bare value has the name ``""``. A name implies a
    semantic through ``infer_semantic``, also on its trailing words (``patient_ssn`` reads
    as ``ssn``, ``billing_zip`` as ``postcode``).
    """

    name: str = ""
    semantic: str | None = None

    @property
    def words(self) -> frozenset[str]:
        """The name's snake_case words (``home_phone`` -> ``home``, ``phone``)."""
        return _words(self.name)

    def says(self, *words: str) -> bool:
        """Whether the name holds any of ``words`` (whole snake_case words)."""
        return not self.words.isdisjoint(words)


@cache
def _words(name: str) -> frozenset[str]:
    return frozenset(part for part in name.split("_") if part)


def says_phone(field: Field) -> bool:
    """Whether ``field`` holds phone numbers (by semantic or name)."""
    return field.semantic == "phone" or field.says(
        "phone", "mobile", "tel", "telephone", "fax", "cell", "msisdn"
    )


def semantic_for_name(name: str) -> str | None:
    """The semantic a property name implies, trying its trailing words too."""
    parts = snake_case(name).split("_")
    for start in range(len(parts)):
        semantic = infer_semantic("_".join(parts[start:]), None)
        if semantic is not None:
            return semantic
    return None


def field_for(key: str, schema: Mapping[str, Any] | None = None) -> Field:
    """The field of a value stored under ``key``; the schema's semantic wins over the name's."""
    return Field(snake_case(key), schema_semantic(schema) or semantic_for_name(key))


def _branches(schema: Mapping[str, Any] | None) -> Iterator[Mapping[str, Any]]:
    """The schema and the branches of its ``anyOf``/``oneOf``/``allOf`` (nullable wrappers)."""
    if not isinstance(schema, Mapping):
        return
    yield schema
    for keyword in ("anyOf", "oneOf", "allOf"):
        for branch in schema.get(keyword) or ():
            yield from _branches(branch)


def property_schema(schema: Mapping[str, Any] | None, key: str) -> Mapping[str, Any] | None:
    """The subschema of property ``key``, if the schema declares one."""
    for branch in _branches(schema):
        properties = branch.get("properties")
        if isinstance(properties, Mapping) and isinstance(properties.get(key), Mapping):
            found: Mapping[str, Any] = properties[key]
            return found
    return None


def items_schema(schema: Mapping[str, Any] | None) -> Mapping[str, Any] | None:
    """The subschema of an array's items, if the schema declares one."""
    for branch in _branches(schema):
        items = branch.get("items")
        if isinstance(items, Mapping):
            return items
    return None


def schema_semantic(schema: Mapping[str, Any] | None) -> str | None:
    """``x-synthdata.semantic``, else the semantic the ``format`` implies.

    A declared ``"none"`` says nothing here: the values are judged by the field's name (and
    its format), since a declaration cannot make a real identifier safe.
    """
    for branch in _branches(schema):
        extension = branch.get("x-synthdata")
        declared = extension.get("semantic") if isinstance(extension, Mapping) else None
        if isinstance(declared, str) and declared != NO_SEMANTIC:
            return declared
        fmt = branch.get("format")
        if isinstance(fmt, str) and fmt in FORMAT_SEMANTICS:
            return FORMAT_SEMANTICS[fmt]
    return None
