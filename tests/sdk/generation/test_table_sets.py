"""Table sets: tables related by foreign keys, generated in dependency order.

Covers referential integrity, determinism (across workers and against the fingerprint), the
errors for cycles, dangling and unknown references and non-unique keys, per_parent bounds,
null_rate on optional references, the request's rows per table, and ``Dataset.records`` /
``Dataset.tables`` on each shape.
"""

from __future__ import annotations

import copy
from collections import Counter
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from synthdata_sdk import SynthDataClient
from synthdata_sdk.errors import RequestError, SchemaError, TableSetError, UnknownTableError


def retail(low: int = 0, high: int = 5) -> dict[str, Any]:
    """Customers and their orders (per_parent), each order naming an optional coupon."""
    return {
        "tables": {
            "customers": {
                "type": "object",
                "properties": {
                    "id": {"type": "string", "format": "uuid"},
                    "name": {"type": "string"},
                },
                "required": ["id", "name"],
            },
            "coupons": {
                "type": "object",
                "properties": {"code": {"type": "integer", "minimum": 1, "maximum": 10**9}},
                "required": ["code"],
            },
            "orders": {
                "type": "object",
                "x-synthdata": {"per_parent": {"min": low, "max": high}},
                "properties": {
                    "order_id": {"type": "integer", "minimum": 1},
                    "customer_id": {"type": "string", "x-synthdata": {"ref": "customers.id"}},
                    "coupon": {
                        "type": ["integer", "null"],
                        "x-synthdata": {"ref": "coupons.code", "null_rate": 0.3},
                    },
                    "total": {"type": "number", "minimum": 0, "maximum": 500},
                },
                "required": ["order_id", "total"],
            },
        }
    }


def integrity(
    tables: dict[str, list[dict[str, Any]]], child: str, column: str, parent: str, key: str
) -> float:
    """Share of the child's non-null references found among the parent's keys."""
    keys = {row[key] for row in tables[parent]}
    values = [row[column] for row in tables[child] if row[column] is not None]
    return sum(value in keys for value in values) / len(values) if values else 1.0


def test_references_hold_and_keys_are_unique() -> None:
    data = SynthDataClient().generate(retail(), rows={"customers": 200, "coupons": 20}, seed=3)
    tables = dict(data.tables)
    assert list(tables) == ["customers", "coupons", "orders"]
    assert integrity(tables, "orders", "customer_id", "customers", "id") == 1.0
    assert integrity(tables, "orders", "coupon", "coupons", "code") == 1.0
    assert len({row["code"] for row in tables["coupons"]}) == 20
    assert len({row["id"] for row in tables["customers"]}) == 200
    # the referencing columns keep their place in the record
    assert list(tables["orders"][0]) == ["order_id", "customer_id", "coupon", "total"]
    assert data.manifest["tables"] == {name: len(rows) for name, rows in tables.items()}


def test_per_parent_bounds_are_respected() -> None:
    data = SynthDataClient().generate(retail(2, 4), rows={"customers": 300, "coupons": 5})
    per_customer = Counter(row["customer_id"] for row in data.tables["orders"])
    counts = [per_customer.get(row["id"], 0) for row in data.tables["customers"]]
    assert min(counts) == 2 and max(counts) == 4
    # children follow their parents' order
    order = {row["id"]: i for i, row in enumerate(data.tables["customers"])}
    positions = [order[row["customer_id"]] for row in data.tables["orders"]]
    assert positions == sorted(positions)


def test_null_rate_applies_to_optional_references() -> None:
    data = SynthDataClient().generate(retail(5, 5), rows={"customers": 400, "coupons": 5})
    coupons = [row["coupon"] for row in data.tables["orders"]]
    share = coupons.count(None) / len(coupons)
    assert 0.25 < share < 0.35
    assert all(row["customer_id"] is not None for row in data.tables["orders"])


def test_int_rows_applies_to_every_table_not_counted_per_parent() -> None:
    prepared = SynthDataClient().prepare(retail(), rows=7)
    assert prepared.request.table_rows == {"customers": 7, "coupons": 7}


def test_same_bytes_across_workers_and_runs() -> None:
    client = SynthDataClient()
    source = retail(0, 4)
    rows = {"customers": 12_000, "coupons": 50}
    one = client.generate(source, rows=rows, seed=11, workers=1)
    two = client.generate(source, rows=rows, seed=11, workers=2)
    assert len(one.tables["orders"]) > 10_000  # several chunks, so the pool takes part
    assert dict(one.tables) == dict(two.tables)
    assert one.fingerprint == two.fingerprint


def test_fingerprint_covers_the_whole_set() -> None:
    client = SynthDataClient()
    base = client.fingerprint(retail(), rows={"customers": 10, "coupons": 2})
    assert client.fingerprint(retail(), rows={"customers": 10, "coupons": 3}) != base
    assert client.fingerprint(retail(0, 6), rows={"customers": 10, "coupons": 2}) != base
    assert client.fingerprint(retail(), rows={"customers": 10, "coupons": 2}, seed=1) != base
    changed = retail()
    changed["tables"]["coupons"]["properties"]["code"]["maximum"] = 10**8
    assert client.fingerprint(changed, rows={"customers": 10, "coupons": 2}) != base


def test_tables_differ_from_one_another_under_one_seed() -> None:
    """Each table has its own seed: two identical tables do not get identical rows."""
    same = {"type": "object", "properties": {"n": {"type": "integer"}}, "required": ["n"]}
    data = SynthDataClient().generate({"tables": {"a": same, "b": same}}, rows=50)
    assert data.tables["a"] != data.tables["b"]


def test_records_on_a_set_names_tables() -> None:
    data = SynthDataClient().generate(retail(), rows={"customers": 3, "coupons": 1})
    with pytest.raises(TableSetError, match=r"dataset\.tables\["):
        _ = data.records
    assert not hasattr(data, "records")
    single = SynthDataClient().generate(retail()["tables"]["customers"], rows=3)
    assert len(single.records) == 3
    with pytest.raises(TableSetError, match=r"dataset\.records"):
        _ = single.tables


def test_an_unknown_table_name_says_which_tables_there_are() -> None:
    data = SynthDataClient().generate(retail(), rows={"customers": 3, "coupons": 1})
    with pytest.raises(UnknownTableError) as caught:
        _ = data.tables["customer"]
    message = str(caught.value)
    assert "did you mean 'customers'?" in message and "coupons" in message
    # still a mapping's KeyError: membership and get behave as on a dict
    assert isinstance(caught.value, KeyError)
    assert "customer" not in data.tables and data.tables.get("customer") is None
    assert list(data.tables) == ["customers", "coupons", "orders"]


def test_rows_for_a_mistyped_table_suggests_the_name() -> None:
    with pytest.raises(RequestError, match=r"'customer'.*did you mean 'customers'\?"):
        SynthDataClient().generate(retail(), rows={"customer": 3, "coupons": 1})


def test_served_frozen_set_refuses_changes() -> None:
    data = SynthDataClient().generate(retail(), rows={"customers": 3, "coupons": 1}).frozen()
    assert data.read_only
    with pytest.raises(TypeError):
        data.tables["orders"].append({})  # type: ignore[attr-defined]
    with pytest.raises(TypeError):
        data.tables["x"] = []  # type: ignore[index]


def _broken(change: Any) -> dict[str, Any]:
    source = retail()
    change(source["tables"])
    return source


@pytest.mark.parametrize(
    ("change", "pointer", "words"),
    [
        (
            lambda t: t["orders"]["properties"]["customer_id"]["x-synthdata"].update(
                ref="clients.id"
            ),
            "/tables/orders/properties/customer_id",
            "dangling reference 'clients.id': there is no table 'clients'",
        ),
        (
            lambda t: t["orders"]["properties"]["customer_id"]["x-synthdata"].update(
                ref="customers.idd"
            ),
            "/tables/orders/properties/customer_id",
            "table 'customers' has no property 'idd'",
        ),
        (
            lambda t: t["customers"]["properties"]["id"].update({"x-synthdata": {"unique": False}}),
            "/tables/customers/properties/id",
            "orders.customer_id -> customers.id: the referenced column is not unique",
        ),
        (
            lambda t: t["coupons"]["properties"].update(
                code={"type": "integer", "minimum": 1, "maximum": 3}
            ),
            "/tables/coupons/properties/code",
            "unique",
        ),
        (
            lambda t: t["customers"]["properties"].update(
                best={"type": "integer", "x-synthdata": {"ref": "orders.order_id"}}
            ),
            "/tables",
            "the references form a cycle: customers -> orders -> customers",
        ),
        (
            lambda t: t["customers"]["properties"].update(
                boss={"type": ["string", "null"], "x-synthdata": {"ref": "customers.id"}}
            ),
            "/tables",
            "cycle: customers -> customers",
        ),
        (
            lambda t: t["orders"]["properties"]["customer_id"].update(type="boolean"),
            "/tables/orders/properties/customer_id",
            "does not admit the key's",
        ),
    ],
    ids=["dangling", "unknown-column", "not-unique", "too-few-keys", "cycle", "self", "type"],
)
def test_bad_references_are_schema_errors_naming_them(
    change: Any, pointer: str, words: str
) -> None:
    with pytest.raises(SchemaError) as raised:
        SynthDataClient().prepare(_broken(change), rows={"customers": 10, "coupons": 10})
    assert raised.value.pointer == pointer
    assert words in str(raised.value)


def test_ref_outside_a_table_set_is_refused() -> None:
    schema = copy.deepcopy(retail()["tables"]["orders"])
    with pytest.raises(SchemaError, match="only a table of a table set"):
        SynthDataClient().prepare(schema, rows=3)


@pytest.mark.parametrize(
    ("rows", "words"),
    [
        ({"customers": 3}, "no count for table(s) ['coupons']"),
        ({"customers": 3, "coupons": 1, "orders": 5}, "its rows come from x-synthdata per_parent"),
        ({"customers": 3, "coupons": 1, "shops": 5}, "unknown table 'shops'"),
    ],
)
def test_rows_per_table_are_checked(rows: dict[str, int], words: str) -> None:
    with pytest.raises(RequestError) as raised:
        SynthDataClient().prepare(retail(), rows=rows)
    assert words in str(raised.value)


def test_a_reference_to_an_empty_parent_is_refused_unless_nullable() -> None:
    source = retail()
    del source["tables"]["orders"]["x-synthdata"]
    with pytest.raises(RequestError, match="has no rows to reference"):
        SynthDataClient().generate(source, rows={"customers": 0, "coupons": 0, "orders": 3})


# small random table sets: a chain of tables, each referencing some earlier one
@st.composite
def table_sets(draw: st.DrawFn) -> tuple[dict[str, Any], dict[str, int]]:
    count = draw(st.integers(1, 4))
    tables: dict[str, Any] = {}
    rows: dict[str, int] = {}
    for i in range(count):
        props: dict[str, Any] = {"id": {"type": "integer", "minimum": 0, "maximum": 10**6}}
        ext: dict[str, Any] = {}
        for j in sorted(draw(st.sets(st.integers(0, i - 1), max_size=2)) if i else []):
            nullable = draw(st.booleans())
            props[f"t{j}_id"] = {
                "type": ["integer", "null"] if nullable else "integer",
                "x-synthdata": {"ref": f"t{j}.id"},
            }
        refs = [name for name in props if name != "id"]
        if refs and props[refs[0]]["type"] == "integer" and draw(st.booleans()):
            # at least one row per parent: every table then has rows, so a reference that
            # must not be null always finds a parent (an empty one is a RequestError, below)
            low = draw(st.integers(1, 2))
            ext["per_parent"] = {"min": low, "max": low + draw(st.integers(0, 2))}
        else:
            rows[f"t{i}"] = draw(st.integers(0, 30))
        tables[f"t{i}"] = {"type": "object", "properties": props, "required": ["id"]}
        if ext:
            tables[f"t{i}"]["x-synthdata"] = ext
    for name in rows:
        rows[name] = max(rows[name], 1)
    return {"tables": tables}, rows


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(table_sets(), st.integers(0, 2**32))
def test_random_table_sets_keep_integrity(
    case: tuple[dict[str, Any], dict[str, int]], seed: int
) -> None:
    source, rows = case
    data = SynthDataClient().generate(source, rows=rows, seed=seed)
    tables = dict(data.tables)
    referenced = {
        prop["x-synthdata"]["ref"].split(".")[0]
        for schema in source["tables"].values()
        for prop in schema["properties"].values()
        if "x-synthdata" in prop
    }
    for name, schema in source["tables"].items():
        ids = [row["id"] for row in tables[name]]
        # referenced keys are made unique; a table nobody references keeps its schema's draws
        assert name not in referenced or len(set(ids)) == len(ids)
        for column, prop in schema["properties"].items():
            if column == "id":
                continue
            parent = prop["x-synthdata"]["ref"].split(".")[0]
            assert integrity(tables, name, column, parent, "id") == 1.0
        bounds = schema.get("x-synthdata", {}).get("per_parent")
        if bounds:
            first = next(c for c in schema["properties"] if c != "id")
            parent = schema["properties"][first]["x-synthdata"]["ref"].split(".")[0]
            per = Counter(row[first] for row in tables[name])
            counts = [per.get(row["id"], 0) for row in tables[parent]]
            assert all(bounds["min"] <= c <= bounds["max"] for c in counts)
    again = SynthDataClient().generate(source, rows=rows, seed=seed)
    assert dict(again.tables) == tables


def test_compliance_profiles_scan_every_table() -> None:
    data = SynthDataClient().generate(
        retail(), rows={"customers": 5, "coupons": 2}, compliance=["gdpr"]
    )
    summary = data.manifest["compliance"]
    assert summary["scanned"] is True and summary["profiles"] == ["gdpr"]
    assert set(summary["tables"]) == {"customers", "coupons", "orders"}


def test_validate_schema_checks_a_table_set() -> None:
    client = SynthDataClient()
    report = client.validate_schema(retail())
    assert report.valid and list(report.plan["tables"]) == ["customers", "coupons", "orders"]
    broken = _broken(
        lambda t: t["orders"]["properties"]["customer_id"]["x-synthdata"].update(ref="x.id")
    )
    report = client.validate_schema(broken)
    assert not report.valid
    assert report.errors[0].pointer == "/tables/orders/properties/customer_id"


def test_a_per_parent_max_past_the_row_limit_is_refused_before_any_row_is_laid_out() -> None:
    source = {
        "tables": {
            "a": {"type": "object", "properties": {"id": {"type": "integer"}}},
            "b": {
                "type": "object",
                "properties": {"a_id": {"type": "integer", "x-synthdata": {"ref": "a.id"}}},
                "x-synthdata": {"per_parent": {"min": 0, "max": 10**12}},
            },
        }
    }
    # before: numpy was asked for an array of trillions of rows (MemoryError)
    with pytest.raises(RequestError, match=r"table 'b' would have .* rows, more than"):
        SynthDataClient().generate(source, rows={"a": 10})


@pytest.mark.parametrize("tables", [[1, 2], "customers", None])
def test_tables_that_are_not_an_object_are_a_schema_error(tables: Any) -> None:
    with pytest.raises(SchemaError, match="tables"):
        SynthDataClient().generate({"tables": tables}, rows=1)
