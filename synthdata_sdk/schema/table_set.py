"""Table sets: several tables whose properties reference each other's keys (foreign keys).

A source ``{"tables": {"customers": <schema>, "orders": <schema>}}`` is a table set. A
top-level property with ``x-synthdata: {"ref": "customers.id"}`` takes its values from the
referenced table's column; ``x-synthdata: {"per_parent": {"min": 0, "max": 5}}`` on a table's
root makes it a child table with that many rows per row of the table its first reference
names. Reading a set normalises every table, checks every reference, makes referenced columns
unique and required (keys) and orders the tables so that parents come before children.
"""

from __future__ import annotations

import copy
import heapq
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from synthdata_sdk.errors import SchemaError
from synthdata_sdk.schema.keywords import EXTENSION, REF_FORM
from synthdata_sdk.schema.normalize import normalize_root

#: the key of a table set source
TABLES = "tables"
#: keys a table set document may hold besides ``tables`` (annotations)
_ANNOTATIONS = frozenset({"$schema", "$comment", "title", "description"})
#: table names name files and SQL tables: plain identifiers only
TABLE_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,62}")
#: names Windows keeps for devices, whatever the suffix: a table's file must be a file
_DEVICE_NAMES = frozenset(
    {"con", "prn", "aux", "nul"} | {f"{port}{n}" for port in ("com", "lpt") for n in range(1, 10)}
)
#: share of nulls of a nullable reference without an explicit ``null_rate``
DEFAULT_REF_NULL_RATE = 0.1


@dataclass(frozen=True)
class Reference:
    """One foreign key: ``table.column`` takes its values from ``parent.key``."""

    table: str
    column: str
    parent: str
    key: str
    #: whether the column may be null (its type includes null); then ``null_rate`` applies
    nullable: bool = False
    null_rate: float = 0.0

    @property
    def label(self) -> str:
        """``orders.customer_id -> customers.id``."""
        return f"{self.table}.{self.column} -> {self.parent}.{self.key}"


@dataclass(frozen=True)
class PerParent:
    """How many rows of a child table each parent row gets: in ``[low, high]``, uniform
    unless ``distribution`` (an ``x-synthdata`` distribution of the counts) says otherwise."""

    low: int
    high: int
    distribution: Mapping[str, Any] | None = None


@dataclass(frozen=True)
class TableSet:
    """A read table set: normalised tables in dependency order, and their references."""

    #: normalised schemas, parents before children (declaration order among equals)
    tables: dict[str, dict[str, Any]]
    references: tuple[Reference, ...] = ()
    #: child table -> its rows per parent (counted along its first reference)
    per_parent: dict[str, PerParent] = field(default_factory=dict)
    #: table -> its references, and the references to it: each looked up once per table
    _by_table: dict[str, list[Reference]] = field(init=False, repr=False, compare=False)
    _by_parent: dict[str, list[Reference]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        by_table: dict[str, list[Reference]] = {}
        by_parent: dict[str, list[Reference]] = {}
        for ref in self.references:
            by_table.setdefault(ref.table, []).append(ref)
            by_parent.setdefault(ref.parent, []).append(ref)
        object.__setattr__(self, "_by_table", by_table)
        object.__setattr__(self, "_by_parent", by_parent)

    @property
    def order(self) -> list[str]:
        """Table names, parents first."""
        return list(self.tables)

    def document(self) -> dict[str, Any]:
        """The normalised set as one document (what the fingerprint covers)."""
        return {TABLES: self.tables}

    def references_of(self, table: str) -> list[Reference]:
        """The references of one table, in property order."""
        return list(self._by_table.get(table, ()))

    def driver(self, table: str) -> Reference | None:
        """The reference a ``per_parent`` table counts its rows along (its first), if any."""
        return self.references_of(table)[0] if table in self.per_parent else None

    def keys(self, table: str) -> list[str]:
        """The columns of ``table`` that other tables reference (its keys), in order."""
        found = [ref.key for ref in self._by_parent.get(table, ())]
        return list(dict.fromkeys(found))


def is_table_set(source: Any) -> bool:
    """Whether ``source`` is a table set document (``{"tables": {...}}``)."""
    return (
        isinstance(source, Mapping) and TABLES in source and set(source) <= _ANNOTATIONS | {TABLES}
    )


def read_table_set(
    document: Mapping[str, Any], *, strict_keywords: bool = False, normalised: bool = False
) -> TableSet:
    """Normalise and check a table set; SchemaError names the table, column or reference.

    ``normalised=True`` reads a set already normalised (a request's schema) as it is.
    """
    raw = document[TABLES]
    if not isinstance(raw, Mapping):
        raise SchemaError(
            f"/{TABLES}",
            TABLES,
            f"got a {type(raw).__name__}",
            'an object naming each table\'s schema, e.g. {"customers": {...}}',
        )
    if not raw:
        raise SchemaError(f"/{TABLES}", TABLES, "the table set has no tables", "one table or more")
    tables: dict[str, dict[str, Any]] = {}
    folded: dict[str, str] = {}
    for name, schema in raw.items():
        _check_name(name, folded)
        tables[name] = (
            copy.deepcopy(dict(schema))
            if normalised and isinstance(schema, Mapping)
            else _normalised_table(name, schema, strict_keywords)
        )
    references = [ref for name in tables for ref in _references(name, tables)]
    for ref in references:
        _make_key(ref, tables)
        _check_types(ref, tables)
    per_parent = {name: bounds for name in tables if (bounds := _per_parent(name, tables))}
    order = _dependency_order(list(tables), references)
    place = {name: index for index, name in enumerate(order)}
    return TableSet(
        {name: tables[name] for name in order},
        tuple(sorted(references, key=lambda ref: place[ref.table])),
        per_parent,
    )


def _check_name(name: Any, folded: dict[str, str]) -> None:
    """A table name is a plain identifier, distinct from the others ignoring case: it names a
    file (one file on a case-insensitive file system) and an SQL table (case-insensitive)."""
    if not isinstance(name, str) or not TABLE_NAME.fullmatch(name):
        shown = (
            repr(name)
            if len(repr(name)) <= 80
            else f"{repr(name)[:60]}... ({len(name)} characters)"
        )
        raise SchemaError(
            f"/{TABLES}",
            TABLES,
            f"bad table name {shown}",
            "a plain identifier of at most 63 characters: A-Z, a-z, 0-9 and _, not starting "
            "with a digit",
        )
    if name.casefold() in _DEVICE_NAMES:
        raise SchemaError(
            f"/{TABLES}",
            TABLES,
            f"table name {name!r} is a device on Windows ({name}.csv is no file there)",
            "another name",
        )
    other = folded.setdefault(name.casefold(), name)
    if other != name:
        raise SchemaError(
            f"/{TABLES}",
            TABLES,
            f"table names {name!r} and {other!r} differ only in case",
            "names that differ in more than case (SQL and some file systems ignore case)",
        )


def _normalised_table(name: str, schema: Any, strict_keywords: bool) -> dict[str, Any]:
    pointer = f"/{TABLES}/{name}"
    if not isinstance(schema, Mapping):
        raise SchemaError(pointer, "schema", f"table {name!r} is not a schema", "a JSON object")
    try:
        table = normalize_root(schema, strict_keywords=strict_keywords)
    except SchemaError as error:
        raise _within(error, pointer) from None
    if table.get("type") != "object" or not isinstance(table.get("properties"), dict):
        raise SchemaError(
            pointer,
            "type",
            f"table {name!r} does not describe records",
            "type 'object' with properties",
        )
    return table


def _within(error: SchemaError, pointer: str) -> SchemaError:
    """The same error, its pointer inside the table set."""
    return SchemaError(pointer + error.pointer, error.keyword, error.detail, error.expected)


def _references(name: str, tables: dict[str, dict[str, Any]]) -> list[Reference]:
    out = []
    for column, prop in tables[name]["properties"].items():
        ext = prop.get(EXTENSION, {}) if isinstance(prop, dict) else {}
        if "ref" not in ext:
            continue
        pointer = f"/{TABLES}/{name}/properties/{column}"
        match = REF_FORM.fullmatch(ext["ref"])
        assert match is not None  # the extension's shape was checked on normalising
        parent, key = match.groups()
        if parent not in tables:
            raise SchemaError(
                pointer,
                f"{EXTENSION}/ref",
                f"dangling reference {ext['ref']!r}: there is no table {parent!r}",
                f"one of the tables {list(tables)}",
            )
        if key not in tables[parent]["properties"]:
            raise SchemaError(
                pointer,
                f"{EXTENSION}/ref",
                f"reference {ext['ref']!r}: table {parent!r} has no property {key!r}",
                f"one of {list(tables[parent]['properties'])}",
            )
        nullable = "null" in _types(prop)
        rate = float(ext.get("null_rate", DEFAULT_REF_NULL_RATE)) if nullable else 0.0
        out.append(Reference(name, column, parent, key, nullable, rate))
        # a referencing column is always present: null (if allowed) says "no parent"
        _require(tables[name], column)
    return out


def _make_key(ref: Reference, tables: dict[str, dict[str, Any]]) -> None:
    """Make the referenced column a key: unique, required, never null; refuse what cannot be."""
    pointer = f"/{TABLES}/{ref.parent}/properties/{ref.key}"
    parent = tables[ref.parent]
    prop = parent["properties"][ref.key]
    if not isinstance(prop, dict):
        prop = {}
    ext = prop.get(EXTENSION, {})
    if ext.get("unique") is False or "null" in _types(prop) or "ref" in ext:
        why = (
            "it is declared unique: false"
            if ext.get("unique") is False
            else "it references another table"
            if "ref" in ext
            else "it may be null"
        )
        raise SchemaError(
            pointer,
            f"{EXTENSION}/unique",
            f"{ref.label}: the referenced column is not unique ({why})",
            "a unique, non-null column as the key",
        )
    parent["properties"][ref.key] = {**prop, EXTENSION: {**ext, "unique": True}}
    _require(parent, ref.key)


def _check_types(ref: Reference, tables: dict[str, dict[str, Any]]) -> None:
    """A reference's declared type must admit the key's values."""
    child = set(_types(tables[ref.table]["properties"][ref.column])) - {"null"}
    key = set(_types(tables[ref.parent]["properties"][ref.key])) - {"null"}
    if child and key and not child & key and not ({"integer"} <= key and "number" in child):
        raise SchemaError(
            f"/{TABLES}/{ref.table}/properties/{ref.column}",
            "type",
            f"{ref.label}: the column's type {sorted(child)} does not admit the key's {sorted(key)}",
            f"the key's type {sorted(key)}",
        )


def _per_parent(name: str, tables: dict[str, dict[str, Any]]) -> PerParent | None:
    ext = tables[name].get(EXTENSION, {})
    if "per_parent" not in ext:
        return None
    refs = _references(name, tables)
    pointer = f"/{TABLES}/{name}"
    if not refs:
        raise SchemaError(
            pointer,
            f"{EXTENSION}/per_parent",
            f"table {name!r} has no reference to count its rows along",
            "a property with x-synthdata ref",
        )
    if refs[0].nullable:
        raise SchemaError(
            f"{pointer}/properties/{refs[0].column}",
            f"{EXTENSION}/per_parent",
            f"{refs[0].label} counts the rows per parent, so it cannot be null",
            "a non-null type for the first reference",
        )
    bounds = ext["per_parent"]
    return PerParent(int(bounds["min"]), int(bounds["max"]), bounds.get("distribution"))


def _dependency_order(names: list[str], references: list[Reference]) -> list[str]:
    """Parents before children, declaration order among tables free to go; a cycle is refused.

    At each step the first-declared table whose parents are all placed goes next (a heap of
    the ready tables' positions), in time linear in the tables and references.
    """
    position = {name: index for index, name in enumerate(names)}
    parents: dict[str, set[str]] = {name: set() for name in names}
    for ref in references:
        parents[ref.table].add(ref.parent)
    children: dict[str, list[str]] = {name: [] for name in names}
    for name, its_parents in parents.items():
        for parent in its_parents:
            children[parent].append(name)
    waiting = {name: len(its_parents) for name, its_parents in parents.items()}
    ready = [position[name] for name in names if not waiting[name]]
    heapq.heapify(ready)
    order: list[str] = []
    while ready:
        name = names[heapq.heappop(ready)]
        order.append(name)
        for child in children[name]:
            waiting[child] -= 1
            if not waiting[child]:
                heapq.heappush(ready, position[child])
    if len(order) < len(names):
        raise SchemaError(
            f"/{TABLES}",
            f"{EXTENSION}/ref",
            f"the references form a cycle: {_cycle(parents, set(names) - set(order))}",
            "references that lead from children to parents only (no table referencing itself)",
        )
    return order


def _cycle(parents: dict[str, set[str]], left: set[str]) -> str:
    """One cycle among the tables ``left``, as ``a -> b -> a``."""
    path = [min(left)]
    while True:
        step = min(p for p in parents[path[-1]] if p in left)
        if step in path:
            loop = [*path[path.index(step) :], step]
            return " -> ".join(loop)
        path.append(step)


def _types(schema: Any) -> list[str]:
    declared = schema.get("type") if isinstance(schema, dict) else None
    if isinstance(declared, str):
        return [declared]
    return list(declared) if isinstance(declared, list) else []


def _require(table: dict[str, Any], column: str) -> None:
    required = list(table.get("required", []))
    if column not in required:
        table["required"] = [*required, column]
