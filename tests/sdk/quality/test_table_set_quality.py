"""Quality of a table set: referential integrity per declared reference."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from synthdata_sdk import SynthDataClient
from synthdata_sdk.dataset import Dataset
from tests.sdk.generation.test_table_sets import retail

ROWS = {"customers": 60, "coupons": 5}


def _integrity(dataset: Dataset) -> dict[str, float]:
    report = SynthDataClient().quality(dataset)
    return {
        f"{r.table}.{r.field}->{r.ref_table}.{r.ref_field}": r.integrity_rate
        for r in report.references
    }


def test_our_table_sets_score_full_integrity_per_reference() -> None:
    dataset = SynthDataClient().generate(retail(), rows=ROWS, seed=9)
    assert _integrity(dataset) == {
        "orders.customer_id->customers.id": 1.0,
        "orders.coupon->coupons.code": 1.0,
    }


def test_a_broken_reference_shows_less_than_full_integrity() -> None:
    dataset = SynthDataClient().generate(retail(), rows=ROWS, seed=9)
    tables = dataset.copy_tables()
    orders = tables["orders"]
    for row in orders[:10]:
        row["customer_id"] = "not-a-customer"
    broken = Dataset(None, dataset.request, {}, tables=tables)
    integrity = _integrity(broken)
    assert integrity["orders.customer_id->customers.id"] == (len(orders) - 10) / len(orders)
    assert integrity["orders.coupon->coupons.code"] == 1.0
    report = SynthDataClient().quality(broken)
    assert report.referential_integrity_rate is not None
    assert report.referential_integrity_rate < 1.0 and report.score < 100


def test_declared_references_are_checked_whatever_the_names(tmp_path: Path, run: Any) -> None:
    """``coupon`` is no ``<table>_id`` name: only the set's declaration finds it, and the
    command reports it once the table set's file is given as the schema."""
    dataset = SynthDataClient().generate(retail(), rows=ROWS, seed=9)
    tables = dataset.copy_tables()
    tables["orders"][0]["coupon"] = 123456789012
    Dataset(None, dataset.request, {}, tables=tables).write_tables(tmp_path / "out", format="jsonl")
    schema = tmp_path / "set.json"
    schema.write_text(json.dumps(retail()))
    code, out, err = run("quality", str(tmp_path / "out"), "--schema", str(schema))
    assert code == 0, err
    assert "referential integrity per reference:" in out
    line = next(line for line in out.splitlines() if "orders.coupon -> coupons.code" in line)
    assert "100.0%" not in line
    line = next(line for line in out.splitlines() if "orders.customer_id -> customers.id" in line)
    assert "100.0%" in line


def test_csv_files_of_a_table_set_keep_full_integrity(tmp_path: Path, run: Any) -> None:
    """A null reference is an empty cell in CSV: it is no orphan."""
    SynthDataClient().write(retail(), tmp_path / "out", rows=ROWS, seed=9, format="csv")
    schema = tmp_path / "set.json"
    schema.write_text(json.dumps(retail()))
    code, out, err = run("quality", str(tmp_path / "out"), "--schema", str(schema))
    assert code == 0, err
    line = next(line for line in out.splitlines() if "orders.coupon -> coupons.code" in line)
    assert line.endswith("100.0%")
