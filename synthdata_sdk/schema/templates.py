"""The built-in template library: ready-made JSON Schemas for common test-data shapes.

Templates are JSON Schema (draft 2020-12) files shipped inside the package, in the
``synthdata_sdk/schema/templates/`` directory, one ``<name>.json`` file per template.
They are read with :mod:`importlib.resources`, so they work from a wheel or a zip import.

Each template carries its catalogue entry (domain, tags, compliance note, suggested
compliance profiles) under the root annotation ``x-synthdata-template``. ``load_template``
leaves it out: it describes the template, not its records, so retagging a template never
changes a fingerprint. Bundles (``templates/bundles/<name>.json``) name related templates
as the tables of one table set; ``load_bundle`` expands one into that table set.

This module reads JSON only: it imports nothing of the generation engine, so a catalogue
(the cloud knowledge base, the search index) can read the library cheaply.
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from importlib.resources.abc import Traversable
from typing import Any

from synthdata_sdk.errors import SchemaError

__all__ = [
    "METADATA",
    "BundleInfo",
    "CatalogueEntry",
    "TemplateInfo",
    "bundle_info",
    "field_paths",
    "list_bundles",
    "list_templates",
    "load_bundle",
    "load_template",
    "template_info",
    "template_summary",
]

_PACKAGE = "synthdata_sdk.schema"
_DIRECTORY = "templates"
_BUNDLES = "bundles"
_SUFFIX = ".json"
#: the root annotation holding a template's (or bundle's) catalogue entry
METADATA = "x-synthdata-template"


@dataclass(frozen=True)
class CatalogueEntry:
    """What a template's or bundle's ``x-synthdata-template`` and description say."""

    name: str
    description: str
    domain: str
    tags: tuple[str, ...]
    compliance: str
    #: the compliance profiles worth turning on for this data (``gdpr``, ``hipaa``...)
    profiles: tuple[str, ...]


@dataclass(frozen=True)
class TemplateInfo(CatalogueEntry):
    """A template's catalogue entry: what the search index and the docs read."""

    #: every field path: nested fields ``parent.child``, fields of array items ``array[].field``
    fields: tuple[str, ...]


@dataclass(frozen=True)
class BundleInfo(CatalogueEntry):
    """A bundle's catalogue entry: its tables, each named with the template it is made of."""

    #: (table, template) pairs, parents before children
    tables: tuple[tuple[str, str], ...]


def _directory() -> Traversable:
    return files(_PACKAGE) / _DIRECTORY


def _json_names(directory: Traversable) -> tuple[str, ...]:
    names = (
        entry.name.removesuffix(_SUFFIX)
        for entry in directory.iterdir()
        if entry.is_file() and entry.name.endswith(_SUFFIX)
    )
    return tuple(sorted(names))


@cache
def _names() -> tuple[str, ...]:
    return _json_names(_directory())


@cache
def _bundle_names() -> tuple[str, ...]:
    return _json_names(_directory() / _BUNDLES)


def _read(path: Traversable, kind: str, name: str) -> dict[str, Any]:
    document = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(document, dict):
        raise SchemaError("", kind, f"{kind} {name!r} is not a JSON object", "an object")
    return document


@cache
def _parsed(name: str) -> dict[str, Any]:
    return _read(_directory() / f"{name}{_SUFFIX}", "template", name)


@cache
def _parsed_bundle(name: str) -> dict[str, Any]:
    return _read(_directory() / _BUNDLES / f"{name}{_SUFFIX}", "bundle", name)


def _checked(name: str, available: tuple[str, ...], kind: str = "template") -> str:
    if not isinstance(name, str) or name not in available:
        raise SchemaError(
            pointer="",
            keyword=kind,
            message=f"unknown {kind} {name!r}",
            expected=f"one of {', '.join(available)}",
        )
    return name


def list_templates() -> list[str]:
    """The names of the built-in templates, sorted."""
    return list(_names())


def list_bundles() -> list[str]:
    """The names of the built-in bundles (table sets of related templates), sorted."""
    return list(_bundle_names())


def load_template(name: str) -> dict[str, Any]:
    """The JSON Schema of the template ``name``, as a fresh copy the caller may modify.

    The catalogue entry (``x-synthdata-template``) is left out; ``template_info`` reads it.
    Raises ``SchemaError`` (keyword ``template``) naming the available templates when
    ``name`` is not one of them.
    """
    schema = copy.deepcopy(_parsed(_checked(name, _names())))
    schema.pop(METADATA, None)
    return schema


def template_summary(name: str) -> str:
    """The one-sentence description of the template ``name``."""
    description = _parsed(_checked(name, _names())).get("description", "")
    return description if isinstance(description, str) else ""


def _strings(value: Any) -> tuple[str, ...]:
    return tuple(item for item in value if isinstance(item, str)) if isinstance(value, list) else ()


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def field_paths(schema: Any, prefix: str = "") -> list[str]:
    """Every property path of ``schema``: ``parent.child`` nested, ``array[].field`` in items."""
    out: list[str] = []
    if not isinstance(schema, dict):
        return out
    properties = schema.get("properties")
    if isinstance(properties, dict):
        for key, sub in properties.items():
            path = f"{prefix}.{key}" if prefix else key
            out.append(path)
            out += field_paths(sub, path)
    items = schema.get("items")
    if isinstance(items, dict) and prefix:
        out += field_paths(items, f"{prefix}[]")
    return out


def _catalogue(name: str, document: dict[str, Any]) -> dict[str, Any]:
    """The ``CatalogueEntry`` fields of a template or bundle file (empty when missing)."""
    meta = document.get(METADATA, {})
    meta = meta if isinstance(meta, dict) else {}
    return {
        "name": name,
        "description": _text(document.get("description")),
        "domain": _text(meta.get("domain")),
        "tags": _strings(meta.get("tags")),
        "compliance": _text(meta.get("compliance")),
        "profiles": _strings(meta.get("profiles")),
    }


@cache
def template_info(name: str) -> TemplateInfo:
    """The catalogue entry of the template ``name`` (``SchemaError`` if there is none)."""
    schema = _parsed(_checked(name, _names()))
    return TemplateInfo(**_catalogue(name, schema), fields=tuple(field_paths(schema)))


@cache
def bundle_info(name: str) -> BundleInfo:
    """The catalogue entry of the bundle ``name`` (``SchemaError`` if there is none)."""
    bundle = _parsed_bundle(_checked(name, _bundle_names(), "bundle"))
    tables = tuple(
        (table, _text(spec.get("template"))) for table, spec in bundle.get("tables", {}).items()
    )
    return BundleInfo(**_catalogue(name, bundle), tables=tables)


def load_bundle(name: str) -> dict[str, Any]:
    """The bundle ``name`` as a table set: ``{"tables": {table: schema, ...}}``.

    Each table is its template's schema (as ``load_template`` gives it). A reference
    ``"refs": {"customer_id": "customers.id"}`` becomes ``x-synthdata: {"ref": ...}`` on that
    column, and ``per_parent`` becomes the table's root ``x-synthdata: {"per_parent": ...}``
    (rows per row of the table's first reference). Raises ``SchemaError`` (keyword ``bundle``)
    for an unknown name, and for a bundle naming an unknown template or column.
    """
    bundle = _parsed_bundle(_checked(name, _bundle_names(), "bundle"))
    tables: dict[str, Any] = {}
    for table, spec in bundle.get("tables", {}).items():
        pointer = f"/tables/{table}"
        schema = load_template(_text(spec.get("template")))
        for column, target in spec.get("refs", {}).items():
            column_schema = schema.get("properties", {}).get(column)
            if not isinstance(column_schema, dict):
                raise SchemaError(
                    f"{pointer}/refs/{column}", "bundle", f"bundle {name!r}: no column {column!r}"
                )
            column_schema.setdefault("x-synthdata", {})["ref"] = target
        if "per_parent" in spec:
            schema.setdefault("x-synthdata", {})["per_parent"] = copy.deepcopy(spec["per_parent"])
        tables[table] = schema
    return {"tables": tables}
