"""Referential integrity between tables: foreign keys the schemas declare, else found by name.

A top-level property with ``x-synthdata: {ref: "customers.id"}`` (a table set's reference)
is checked against exactly the key it names. Any other field is matched by name:
a top-level field ``<name>_id`` of one table refers to another table when ``<name>`` is that
table's name or its singular (``customers`` -> ``customer``, ``categories`` -> ``category``,
``addresses`` -> ``address``). The referred key is the other table's ``id`` field, or, if it
has none, its own ``<name>_id`` field (``orders.order_id``). A table never refers to itself.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from synthdata_sdk.quality.metrics_values import ValueKey, key_value

#: how many orphan values a check lists
MAX_ORPHAN_SAMPLES = 5

#: a table's top-level fields: path -> (value key -> count)
TableValues = Mapping[str, Mapping[ValueKey, int]]


@dataclass(frozen=True)
class ReferenceCheck:
    """One foreign key: ``table.field`` values that should exist in ``ref_table.ref_field``.

    ``checked`` counts the non-null foreign-key values and ``orphans`` those with no match.
    """

    table: str
    field: str
    ref_table: str
    ref_field: str
    checked: int
    orphans: int
    orphan_samples: list[Any] = dataclasses.field(default_factory=list)

    @property
    def integrity_rate(self) -> float:
        """Share of checked values that resolve (1.0 when none were checked)."""
        return (self.checked - self.orphans) / self.checked if self.checked else 1.0

    def to_json(self) -> dict[str, Any]:
        """Plain data."""
        return {
            "table": self.table,
            "field": self.field,
            "ref_table": self.ref_table,
            "ref_field": self.ref_field,
            "checked": self.checked,
            "orphans": self.orphans,
            "integrity_rate": self.integrity_rate,
            "orphan_samples": list(self.orphan_samples),
        }


def singular_forms(name: str) -> list[str]:
    """``name`` and the singular forms it may have, lower-cased."""
    name = name.lower()
    forms = [name]
    if name.endswith("ies"):
        forms.append(name[:-3] + "y")
    if name.endswith("es"):
        forms.append(name[:-2])
    if name.endswith("s") and not name.endswith("ss"):
        forms.append(name[:-1])
    return forms


#: a declared reference: (table, field, referenced table, referenced field)
Declared = tuple[str, str, str, str]


def declared_references(schemas: Mapping[str, Any]) -> list[Declared]:
    """The references the tables' schemas declare (``x-synthdata/ref`` on a top-level
    property), for the tables present."""
    out: list[Declared] = []
    for table, schema in schemas.items():
        properties = schema.get("properties") if isinstance(schema, Mapping) else None
        if not isinstance(properties, Mapping):
            continue
        for name, prop in properties.items():
            ext = prop.get("x-synthdata") if isinstance(prop, Mapping) else None
            ref = ext.get("ref") if isinstance(ext, Mapping) else None
            if isinstance(ref, str) and ref.count(".") == 1:
                parent, key = ref.split(".")
                out.append((table, name, parent, key))
    return out


def reference_checks(
    tables: Mapping[str, TableValues], declared: list[Declared] | None = None
) -> list[ReferenceCheck]:
    """Every declared foreign key, then every one found by name, with its orphan count.

    A declared reference to a table or field the data does not hold counts every value as
    an orphan: the key it names is missing.
    """
    checks: list[ReferenceCheck] = []
    covered = set()
    for table, name, parent, key in declared or []:
        if table not in tables:
            continue
        covered.add((table, name))
        column = tables[table].get(name, {})
        target = tables.get(parent, {})
        checks.append(_check(table, name, column, parent, key, {key: {}, **target}))
    for table, values in tables.items():
        for name, column in values.items():
            if "." in name or (table, name) in covered:  # only top-level fields are keys
                continue
            for ref_table, ref_values in tables.items():
                ref_field = _referred_key(name, ref_table, ref_values)
                if ref_table != table and ref_field is not None:
                    checks.append(_check(table, name, column, ref_table, ref_field, ref_values))
    return checks


def _referred_key(name: str, ref_table: str, ref_values: TableValues) -> str | None:
    forms = singular_forms(ref_table)
    if name.lower() not in {f"{form}_id" for form in forms}:
        return None
    if "id" in ref_values:
        return "id"
    return next((f for f in ref_values if f.lower() in {f"{form}_id" for form in forms}), None)


def _check(
    table: str,
    name: str,
    column: Mapping[ValueKey, int],
    ref_table: str,
    ref_field: str,
    ref_values: TableValues,
) -> ReferenceCheck:
    keys = ref_values[ref_field]
    if "" in column and "" not in keys:
        # an empty CSV cell is how a null reference reads back: not a reference at all
        column = {key: count for key, count in column.items() if key != ""}
    orphans = [(key, count) for key, count in column.items() if key not in keys]
    return ReferenceCheck(
        table=table,
        field=name,
        ref_table=ref_table,
        ref_field=ref_field,
        checked=sum(column.values()),
        orphans=sum(count for _, count in orphans),
        orphan_samples=[key_value(key) for key, _ in orphans[:MAX_ORPHAN_SAMPLES]],
    )
