"""Schemas of any supported draft, read as draft 2020-12, and the keywords they ignore.

A schema's ``$schema`` names its draft (2020-12 when absent or not one of these): draft 4, 6,
7, 2019-09 or 2020-12. :func:`translate` rewrites the older drafts' keywords into their
2020-12 equivalents, so the rest of synthdata reads one vocabulary:

- draft 4's ``id`` and drafts 6/7's ``$id``: ``$id`` without a fragment, and a plain-name
  fragment (``#node``) as ``$anchor``;
- ``dependencies``: array values to ``dependentRequired``, schema values to
  ``dependentSchemas`` (one keyword may hold both);
- array-form ``items`` to ``prefixItems``, and ``additionalItems`` beside it to ``items``
  (without array-form ``items``, ``additionalItems`` has no effect and is dropped);
- draft 4's boolean ``exclusiveMinimum``/``exclusiveMaximum`` to the numeric form;
- 2019-09's ``$recursiveRef`` to a ``$ref`` (its static target: the same as long as the
  schema is one resource) and ``$recursiveAnchor`` dropped.

``definitions`` stays where it is: a ``$ref`` reaches it by JSON pointer in every draft, and
pointers through a renamed keyword (``#/items/0`` -> ``#/prefixItems/0``) are rewritten.

The translation is faithful: records must be valid for the declared draft's validator, and
a keyword that draft does not have is ignored by it. Honouring it anyway is not safe: inside
``not`` or ``oneOf``, a ``const`` that a draft-4 validator ignores makes two branches differ
that it sees as the same. So a keyword of another draft (``const`` or ``if`` in draft 4,
``dependencies`` in 2020-12), a ``format`` the draft does not define, and in drafts 4 to 7
every assertion beside a ``$ref`` (which those drafts read alone) are **ignored keywords**:
listed with where they are and why, left out of generation, or, with ``strict_keywords``,
refused, since a typo such as ``minLenght`` hides a constraint. So are unknown keywords (as
2020-12 says, they are annotations). Unknown keywords stay in place, since a ``$ref`` may
point inside one (schemas grouped as ``definitions: {group: {full: {...}}}``): the objects
in their values are translated too, without listing their keys. Assertions beside a ``$ref``
move under ``$defs`` (where pointers into them are rewritten to reach them).
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote

from jsonschema import (
    Draft4Validator,
    Draft6Validator,
    Draft7Validator,
    Draft201909Validator,
    Draft202012Validator,
)

from synthdata_sdk.errors import SchemaError
from synthdata_sdk.schema.format_checks import format_checker
from synthdata_sdk.schema.keywords import (
    ANNOTATIONS,
    ASSERTIONS,
    EDITOR_ANNOTATIONS,
    EXTENSION,
    STANDARD_FORMATS,
    SUBSCHEMA_DICTS,
    SUBSCHEMA_LISTS,
    SUBSCHEMAS,
)


@dataclass(frozen=True)
class Dialect:
    """One JSON Schema draft: its name, its metaschema URI and jsonschema's validator."""

    name: str
    uri: str
    #: 4, 6, 7, 2019 or 2020: which keywords exist
    year: int
    validator: Any


DRAFT4 = Dialect("draft-04", "http://json-schema.org/draft-04/schema#", 4, Draft4Validator)
DRAFT6 = Dialect("draft-06", "http://json-schema.org/draft-06/schema#", 6, Draft6Validator)
DRAFT7 = Dialect("draft-07", "http://json-schema.org/draft-07/schema#", 7, Draft7Validator)
DRAFT201909 = Dialect(
    "2019-09", "https://json-schema.org/draft/2019-09/schema", 2019, Draft201909Validator
)
DRAFT202012 = Dialect(
    "2020-12", "https://json-schema.org/draft/2020-12/schema", 2020, Draft202012Validator
)
DIALECTS = (DRAFT4, DRAFT6, DRAFT7, DRAFT201909, DRAFT202012)

#: metaschema URIs, compared without scheme, trailing ``#`` and surrounding spaces
_BY_URI = {d.uri.split("://", 1)[1].rstrip("#"): d for d in DIALECTS}
_OLDER_THAN_DRAFT4 = ("json-schema.org/draft-03/schema", "json-schema.org/draft-02/schema")

#: keywords that change validation and that a later draft added: the first draft (year)
#: that has each (annotations such as ``examples`` or ``$comment`` are read in any draft)
_ADDED = {
    "$id": 6,
    "const": 6,
    "contains": 6,
    "propertyNames": 6,
    "if": 7,
    "then": 7,
    "else": 7,
    "$anchor": 2019,
    "$recursiveRef": 2019,
    "$recursiveAnchor": 2019,
    "dependentRequired": 2019,
    "dependentSchemas": 2019,
    "minContains": 2019,
    "maxContains": 2019,
    "unevaluatedItems": 2019,
    "unevaluatedProperties": 2019,
    "prefixItems": 2020,
    "$dynamicRef": 2020,
    "$dynamicAnchor": 2020,
}
#: keywords that a later draft removed: the last draft (year) that has each
_REMOVED = {"id": 4, "dependencies": 7, "additionalItems": 2019, "$recursiveRef": 2019}
_REMOVED["$recursiveAnchor"] = 2019
#: the formats each draft defines, and those jsonschema's checker for it asserts
_FORMATS = {
    4: frozenset({"date-time", "email", "idn-email", "hostname", "ipv4", "ipv6", "uri", "regex"})
}
_FORMATS[6] = _FORMATS[4] | {"uri-reference", "uri-template", "json-pointer"}
_FORMATS[7] = _FORMATS[6] | {
    "date",
    "time",
    "idn-hostname",
    "iri",
    "iri-reference",
    "relative-json-pointer",
}
_FORMATS[2019] = _FORMATS[7] | {"duration", "uuid"}
_FORMATS[2020] = _FORMATS[2019]
assert _FORMATS[2020] == STANDARD_FORMATS
#: where assertions beside a ``$ref`` (drafts 4 to 7) are kept, unused, under ``$defs``
BESIDE_REF = "synthdata:beside-$ref"
_ANCHOR_START = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_")
_ANCHOR_REST = _ANCHOR_START | frozenset("0123456789-.")


@dataclass(frozen=True)
class UnknownKeyword:
    """A keyword generation ignores, where it is in the schema as written, and why.

    ``value`` is the format when ``keyword`` is ``format``; ``why`` is empty for a keyword no
    draft defines, else the reason the declared draft ignores it.
    """

    pointer: str
    keyword: str
    value: str = ""
    why: str = ""

    def describe(self) -> str:
        """``unknown keyword 'x'``, ``unknown format 'y'`` or ``keyword 'z' (why)``."""
        what = f"format {self.value!r}" if self.value else f"keyword {self.keyword!r}"
        return f"{what} {self.why}" if self.why else f"unknown {what}"


@dataclass(frozen=True)
class Translation:
    """A schema read as 2020-12: the rewritten document, its draft, its unknown keywords."""

    schema: dict[str, Any]
    dialect: Dialect
    unknown: tuple[UnknownKeyword, ...]


def dialect_of(schema: Any) -> Dialect:
    """The draft ``schema`` declares with ``$schema``; 2020-12 when absent or unrecognised.

    Drafts before 4 are refused: their keywords (``divisibleBy``, boolean ``required``) mean
    something else.
    """
    declared = schema.get("$schema") if isinstance(schema, Mapping) else None
    if not isinstance(declared, str):
        return DRAFT202012
    key = declared.strip().split("://", 1)[-1].rstrip("#")
    if key in _OLDER_THAN_DRAFT4:
        raise SchemaError(
            "",
            "$schema",
            f"{declared!r} is older than draft 4, which synthdata does not read",
            "draft-04, draft-06, draft-07, 2019-09 or 2020-12",
        )
    return _BY_URI.get(key, DRAFT202012)


def validator_for_schema(schema: Any) -> Any:
    """A validator for ``schema`` in its declared draft, asserting ``format``."""
    cls = dialect_of(schema).validator
    return cls(schema, format_checker=format_checker(cls.FORMAT_CHECKER))


def translate(schema: Mapping[str, Any], *, strict_keywords: bool = False) -> Translation:
    """``schema`` rewritten in 2020-12 keywords; SchemaError for an unknown keyword if strict.

    The schema should already be valid for its draft's metaschema: malformed values are
    left as they are for the metaschema check to report.
    """
    dialect = dialect_of(schema)
    walk = _Walk(dialect, strict_keywords)
    translated = walk.schema(dict(schema), "", dialect, dict(schema))
    assert isinstance(translated, dict)
    translated["$schema"] = DRAFT202012.uri
    return Translation(translated, dialect, tuple(walk.unknown))


class _Walk:
    """One translation: every schema position of the document, visited once."""

    def __init__(self, dialect: Dialect, strict: bool) -> None:
        self.root_dialect = dialect
        self.strict = strict
        self.unknown: list[UnknownKeyword] = []
        #: how many unknown keywords the walk is inside (their contents are not listed)
        self.opaque = 0

    def schema(self, node: Any, pointer: str, dialect: Dialect, resource: Any) -> Any:
        """The translation of the subschema ``node`` (``resource``: its pointers' root)."""
        if not isinstance(node, dict):
            return node  # booleans, and malformed values left to the metaschema check
        if pointer and isinstance(node.get("$schema"), str):
            dialect = dialect_of(node)  # an embedded resource may declare its own draft
        if _is_resource(node, dialect):
            resource = node
        beside_ref = _reads_ref_alone(node, dialect)
        out: dict[str, Any] = {}
        aside: dict[str, Any] = {}
        for key, value in node.items():
            where = f"{pointer}/{_escape(key)}"
            if beside_ref and _asserts(key):
                self._ignored(where, key, why=f"beside $ref is ignored in {dialect.name}")
                aside[key] = value
            elif not _in_draft(key, dialect):
                self._ignored(where, key, why=f"is not a {dialect.name} keyword")
            elif key == "$schema" and pointer:
                out[key] = DRAFT202012.uri
            elif key == _id_keyword(dialect) and dialect.year < 2019:
                if isinstance(value, str):
                    out.update(_identifier(value))
            elif key == "items" and isinstance(value, list) and dialect.year < 2020:
                out["prefixItems"] = self._list(value, where, dialect, resource)
                if "additionalItems" in node:
                    extra = node["additionalItems"]
                    out["items"] = self.schema(
                        extra, f"{pointer}/additionalItems", dialect, resource
                    )
            elif key == "additionalItems":
                continue  # translated beside array-form items, or without effect
            elif key == "dependencies" and isinstance(value, dict):
                self._dependencies(value, out, where, dialect, resource)
            elif key in ("exclusiveMinimum", "exclusiveMaximum") and dialect.year == 4:
                _exclusive(key, value, node, out)
            elif key in ("minimum", "maximum") and dialect.year == 4:
                exclusive = node.get(f"exclusive{key[0].upper()}{key[1:]}")
                if exclusive is not True:
                    out[key] = value
            elif key == "$recursiveRef":
                out["$ref"] = value
            elif key == "$recursiveAnchor":
                continue
            elif key in SUBSCHEMAS or key in ("if", "then", "else", "contentSchema"):
                out[key] = self.schema(value, where, dialect, resource)
            elif key in SUBSCHEMA_LISTS or key == "allOf":
                out[key] = self._list(value, where, dialect, resource)
            elif key == "dependentSchemas" and isinstance(value, dict):
                translated = self._dict(value, where, dialect, resource)
                _add_dependents(out, {}, translated)
            elif key == "dependentRequired" and _name_lists(value):
                _add_dependents(out, value, {})
            elif key in SUBSCHEMA_DICTS or key in ("$defs", "definitions"):
                out[key] = {**out.get(key, {}), **self._dict(value, where, dialect, resource)}
            elif key == "$ref" and isinstance(value, str):
                out[key] = _moved_pointer(value, resource, dialect)
            elif key == "format" and isinstance(value, str) and value not in _FORMATS[dialect.year]:
                if value in STANDARD_FORMATS:
                    self._ignored(where, key, value, f"is not a {dialect.name} format")
                else:
                    self._ignored(where, key, value)  # no validator checks it
            elif _known(key):
                out[key] = value
            else:
                self._ignored(where, key)
                # kept, and translated as far as it holds schemas: a $ref may point inside
                # (``definitions: {group: {full: {...}}}``); nothing inside is listed
                out[key] = self._inside(value, where, dialect, resource)
        if aside:
            # kept where pointers into them can still reach them, and generation cannot
            moved = self._inside(aside, pointer, dialect, resource)
            out["$defs"] = {**out.get("$defs", {}), BESIDE_REF: moved}
        return out

    def _inside(self, value: Any, pointer: str, dialect: Dialect, resource: Any) -> Any:
        """The value of an ignored keyword, each object in it read as a schema (unlisted)."""
        self.opaque += 1
        try:
            if isinstance(value, dict):
                return self.schema(value, pointer, dialect, resource)
            if isinstance(value, list):
                return [
                    self._inside(item, f"{pointer}/{i}", dialect, resource)
                    for i, item in enumerate(value)
                ]
            return value
        finally:
            self.opaque -= 1

    def _list(self, value: Any, pointer: str, dialect: Dialect, resource: Any) -> Any:
        if not isinstance(value, list):
            return value
        return [
            self.schema(item, f"{pointer}/{i}", dialect, resource) for i, item in enumerate(value)
        ]

    def _dict(self, value: Any, pointer: str, dialect: Dialect, resource: Any) -> Any:
        if not isinstance(value, dict):
            return value
        # an entry that is no schema can only be where the draft checks nothing (``$defs``
        # in draft 7, inside an unknown keyword): dropped, so reference crawling never
        # mistakes it for one
        return {
            name: self.schema(item, f"{pointer}/{_escape(name)}", dialect, resource)
            for name, item in value.items()
            if isinstance(item, dict | bool)
        }

    def _dependencies(
        self,
        value: dict[str, Any],
        out: dict[str, Any],
        pointer: str,
        dialect: Dialect,
        resource: Any,
    ) -> None:
        """``dependencies`` split by value: name lists and schemas (2019-09 split it so)."""
        names = {k: v for k, v in value.items() if isinstance(v, list)}
        schemas = {
            k: self.schema(v, f"{pointer}/{_escape(k)}", dialect, resource)
            for k, v in value.items()
            if not isinstance(v, list)
        }
        _add_dependents(out, names, schemas)

    def _ignored(self, pointer: str, keyword: str, value: str = "", why: str = "") -> None:
        """List a keyword generation ignores, or refuse it under strict keywords."""
        if self.opaque:
            return
        item = UnknownKeyword(pointer, keyword, value, why)
        if self.strict:
            hint = ""
            if not why:
                known = STANDARD_FORMATS if value else ASSERTIONS
                close = difflib.get_close_matches(value or keyword, sorted(known), n=1)
                hint = f"; did you mean {close[0]!r}?" if close else ""
            raise SchemaError(
                pointer.rsplit("/", 1)[0],
                keyword,
                f"{item.describe()}{hint}; refused under strict keywords, since it could be"
                " a constraint synthdata does not honour",
                f"one of {sorted(STANDARD_FORMATS)}"
                if value and not why
                else "a keyword of the schema's draft, or an 'x-' prefix for annotations",
            )
        self.unknown.append(item)


def _add_dependents(
    out: dict[str, Any], names: dict[str, list[Any]], schemas: dict[str, Any]
) -> None:
    """Add to ``dependentRequired``/``dependentSchemas``, joining what is already there."""
    for name, dependent in names.items():
        required = out.setdefault("dependentRequired", {}).setdefault(name, [])
        required.extend(d for d in dependent if d not in required)
    for name, schema in schemas.items():
        existing = out.setdefault("dependentSchemas", {})
        existing[name] = {"allOf": [existing[name], schema]} if name in existing else schema


def _name_lists(value: Any) -> bool:
    """Whether ``value`` is a well-formed ``dependentRequired`` (malformed ones stay as is)."""
    return isinstance(value, dict) and all(isinstance(v, list) for v in value.values())


def _known(key: str) -> bool:
    """Whether ``key`` is a keyword synthdata knows (or an ``x-`` annotation)."""
    return (
        key in ANNOTATIONS
        or key in ASSERTIONS
        or key in EDITOR_ANNOTATIONS
        or key in (EXTENSION, "$dynamicRef")
        or key.startswith("x-")
    )


def _in_draft(key: str, dialect: Dialect) -> bool:
    """Whether ``key``, if it is a keyword, is one of the draft's own."""
    return dialect.year >= _ADDED.get(key, 0) and dialect.year <= _REMOVED.get(key, 9999)


def _reads_ref_alone(node: dict[str, Any], dialect: Dialect) -> bool:
    """Whether the draft ignores everything beside this node's ``$ref`` (drafts 4 to 7)."""
    return dialect.year < 2019 and isinstance(node.get("$ref"), str)


def _asserts(key: str) -> bool:
    """Whether a keyword beside ``$ref`` would change validation (or the ref's base)."""
    return key != "$ref" and (
        key in ASSERTIONS
        or key in ("dependencies", "additionalItems", "id", "$id", "$anchor", "$dynamicRef")
    )


def _id_keyword(dialect: Dialect) -> str:
    return "id" if dialect.year == 4 else "$id"


def _is_resource(node: dict[str, Any], dialect: Dialect) -> bool:
    """Whether ``node`` starts a resource that ``#/...`` pointers inside it are relative to."""
    value = node.get(_id_keyword(dialect))
    if _reads_ref_alone(node, dialect):
        return False
    return isinstance(value, str) and not value.startswith("#")


def _identifier(value: str) -> dict[str, str]:
    """An old-draft identifier as ``$id`` (base, no fragment) and ``$anchor`` (plain name)."""
    base, _, fragment = value.partition("#")
    out = {}
    if base:
        out["$id"] = base
    if fragment and fragment[0] in _ANCHOR_START and set(fragment) <= _ANCHOR_REST:
        out["$anchor"] = fragment
    # any other fragment (``#/properties/a``, written by some tools) names nothing: dropped
    return out


def _exclusive(key: str, value: Any, node: dict[str, Any], out: dict[str, Any]) -> None:
    """Draft 4's boolean exclusive bound: ``true`` moves ``minimum``/``maximum`` here."""
    if not isinstance(value, bool):
        out[key] = value  # malformed: the metaschema check reports it
        return
    bound = "minimum" if key == "exclusiveMinimum" else "maximum"
    if value and bound in node:
        out[key] = node[bound]
    # ``false``, or ``true`` without its bound, constrains nothing


# --------------------------------------------------------------------------- pointers


def _moved_pointer(ref: str, resource: Any, dialect: Dialect) -> str:
    """A ``#/...`` reference with the tokens translation renamed, inside its resource."""
    if not ref.startswith("#/") or dialect.year == 2020:
        return ref
    tokens = ref[2:].split("/")
    return "#/" + "/".join(_pointer_tokens(tokens, resource, dialect))


def _pointer_tokens(tokens: list[str], node: Any, dialect: Dialect) -> list[str]:
    """Walk the original document along ``tokens``, renaming keywords as translation did."""
    out: list[str] = []
    kind = "schema"
    i = 0
    while i < len(tokens):
        token = tokens[i]
        name = _unescape(unquote(token))
        if kind == "schema" and isinstance(node, dict):
            if _reads_ref_alone(node, dialect) and _asserts(name):
                out += ["$defs", BESIDE_REF]  # moved there, then renamed as below
            items_list = isinstance(node.get("items"), list) and dialect.year < 2020
            if name == "items" and items_list:
                out.append("prefixItems")
                node, kind = node["items"], "list"
            elif name == "additionalItems" and items_list:
                out.append("items")
                node, kind = node.get("additionalItems"), "schema"
            elif name == "dependencies" and isinstance(node.get("dependencies"), dict):
                if i + 1 >= len(tokens):
                    return [*out, *tokens[i:]]
                dependent = node["dependencies"].get(_unescape(unquote(tokens[i + 1])))
                is_names = isinstance(dependent, list)
                out += ["dependentRequired" if is_names else "dependentSchemas", tokens[i + 1]]
                node, kind = dependent, "opaque" if is_names else "schema"
                i += 2
                continue
            else:
                out.append(token)
                node = node.get(name)
                kind = _kind_below(name)
        elif kind in ("map", "list"):
            out.append(token)
            if isinstance(node, dict):
                node = node.get(name)
            elif isinstance(node, list) and name.isdigit() and int(name) < len(node):
                node = node[int(name)]
            else:
                node = None
            kind = "schema"
        else:
            return [*out, *tokens[i:]]
        i += 1
    return out


def _kind_below(keyword: str) -> str:
    """What the value of ``keyword`` holds: a schema, a map or list of them, or other data."""
    if keyword in SUBSCHEMAS or keyword in ("if", "then", "else", "additionalItems"):
        return "schema"
    if keyword in SUBSCHEMA_LISTS or keyword == "allOf":
        return "list"
    if keyword in SUBSCHEMA_DICTS or keyword in ("$defs", "definitions"):
        return "map"
    return "opaque"


def _escape(name: str) -> str:
    return name.replace("~", "~0").replace("/", "~1")


def _unescape(token: str) -> str:
    return token.replace("~1", "/").replace("~0", "~")
