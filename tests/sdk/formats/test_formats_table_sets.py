"""Writing table sets: one SQL script with keys (loadable with foreign keys on), or a folder
of one file per table; and a table set's cache entry (per-table files, each verified)."""

from __future__ import annotations

import csv
import json
import sqlite3
import sys
from pathlib import Path
from typing import Any

import pytest

from synthdata_sdk import SynthDataClient
from synthdata_sdk.cache.resolver import DatasetCache
from synthdata_sdk.cache.store import LocalStore
from synthdata_sdk.dataset import Dataset
from synthdata_sdk.errors import CorruptCacheError, OutputPathError, RequestError
from tests.sdk.generation.test_table_sets import retail

ROWS = {"customers": 40, "coupons": 6}


@pytest.fixture(scope="module")
def dataset() -> Dataset:
    return SynthDataClient().generate(retail(), rows=ROWS, seed=5)


def _load(script: str) -> sqlite3.Connection:
    connection = sqlite3.connect(":memory:")
    connection.execute("PRAGMA foreign_keys=ON")
    connection.executescript(script)
    return connection


def test_sql_loads_into_sqlite_with_foreign_keys_on(dataset: Dataset, tmp_path: Path) -> None:
    dataset.write(tmp_path / "set.sql")
    script = (tmp_path / "set.sql").read_text()
    connection = _load(script)
    assert connection.execute("PRAGMA foreign_key_check").fetchall() == []
    for name, rows in dataset.tables.items():
        (count,) = connection.execute(f'SELECT count(*) FROM "{name}"').fetchone()
        assert count == len(rows)
    # parents are created first, and the keys are declared
    assert script.index('CREATE TABLE "customers"') < script.index('CREATE TABLE "orders"')
    assert 'PRIMARY KEY ("id")' in script and 'PRIMARY KEY ("code")' in script
    assert 'FOREIGN KEY ("customer_id") REFERENCES "customers" ("id")' in script
    assert 'FOREIGN KEY ("coupon") REFERENCES "coupons" ("code")' in script


def test_sqlite_refuses_a_broken_reference_in_our_script(dataset: Dataset, tmp_path: Path) -> None:
    """The constraints are real: an order naming a missing customer does not load."""
    tables = dataset.copy_tables()
    tables["orders"][0]["customer_id"] = "no-such-customer"
    broken = Dataset(None, dataset.request, {}, tables=tables)
    broken.write(tmp_path / "broken.sql")
    with pytest.raises(sqlite3.IntegrityError, match="FOREIGN KEY"):
        _load((tmp_path / "broken.sql").read_text())


def test_sql_replace_drops_children_first(dataset: Dataset, tmp_path: Path) -> None:
    dataset.write(tmp_path / "set.sql", if_table_exists="replace")
    script = (tmp_path / "set.sql").read_text()
    connection = _load(script)
    connection.executescript(script)  # loading twice replaces every table
    assert connection.execute("PRAGMA foreign_key_check").fetchall() == []
    assert script.index('DROP TABLE IF EXISTS "orders"') < script.index(
        'DROP TABLE IF EXISTS "customers"'
    )


@pytest.mark.parametrize("fmt", ["csv", "json", "jsonl"])
def test_folder_formats_write_one_file_per_table(
    dataset: Dataset, tmp_path: Path, fmt: str
) -> None:
    items = dataset.write_tables(tmp_path / "out", format=fmt)
    names = sorted(path.name for path in (tmp_path / "out").iterdir())
    assert names == sorted(f"{name}.{fmt}" for name in dataset.tables)
    assert [item["table"] for item in items] == list(dataset.tables)
    orders = tmp_path / "out" / f"orders.{fmt}"
    text = orders.read_text(encoding="utf-8")
    if fmt == "csv":
        count = len(list(csv.DictReader(text.splitlines())))
    elif fmt == "json":
        count = len(json.loads(text))
    else:
        count = len(text.splitlines())
    assert count == len(dataset.tables["orders"])


def test_client_write_returns_a_manifest_of_every_file(tmp_path: Path) -> None:
    manifest = SynthDataClient().write(retail(), tmp_path / "out", rows=ROWS, format="jsonl")
    assert {item["path"] for item in manifest["files"]} == {
        "customers.jsonl",
        "coupons.jsonl",
        "orders.jsonl",
    }
    assert manifest["tables"]["customers"] == 40


def test_a_folder_format_refuses_a_file_in_the_way(dataset: Dataset, tmp_path: Path) -> None:
    (tmp_path / "out").write_text("keep me")
    with pytest.raises(OutputPathError, match="not a folder"):
        dataset.write_tables(tmp_path / "out", format="csv")
    assert (tmp_path / "out").read_text() == "keep me"


@pytest.mark.skipif(sys.platform == "win32", reason="symlinks need privileges on Windows")
def test_a_folder_format_refuses_a_link_to_a_folder_saying_so(
    dataset: Dataset, tmp_path: Path
) -> None:
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "out").symlink_to(tmp_path / "elsewhere")
    # before: "it is not a folder", of a link that names one
    with pytest.raises(OutputPathError, match="it is a symbolic link to a directory"):
        dataset.write_tables(tmp_path / "out", format="csv")
    assert list((tmp_path / "elsewhere").iterdir()) == []


def test_a_folder_without_a_format_is_refused(dataset: Dataset, tmp_path: Path) -> None:
    with pytest.raises(RequestError, match="give format="):
        dataset.write(tmp_path / "out")


def test_cli_generate_writes_a_table_set_file(run: Any, tmp_path: Path) -> None:
    source = tmp_path / "set.json"
    source.write_text(json.dumps(retail()))
    code, _, err = run("generate", str(source), "--rows", "5", "--out", str(tmp_path / "s.sql"))
    assert code == 0, err
    connection = _load((tmp_path / "s.sql").read_text())
    assert connection.execute("PRAGMA foreign_key_check").fetchall() == []


# the cache entry -----------------------------------------------------------------------------


def test_cache_entry_holds_per_table_files_each_verified(tmp_path: Path) -> None:
    client = SynthDataClient()
    store = LocalStore(tmp_path / "cache")
    prepared = client.prepare(retail(), rows=ROWS)
    served = DatasetCache(client, store).get(prepared).dataset
    manifest = store.manifest(prepared.fingerprint)
    assert [item["path"] for item in manifest["files"]] == [
        "table-customers.json",
        "table-coupons.json",
        "table-orders.json",
    ]
    assert all(len(item["sha256"]) == 64 for item in manifest["files"])
    loaded = store.load(prepared.fingerprint)  # the request is rebuilt from the manifest
    assert dict(loaded.tables) == dict(served.tables)
    assert loaded.fingerprint == prepared.fingerprint
    # a changed table file is caught, whichever table it is
    entry = store.path_for(prepared.fingerprint)
    coupons = entry / "table-coupons.json"
    coupons.write_text(coupons.read_text().replace("1", "2", 1))
    with pytest.raises(CorruptCacheError, match=r"table-coupons\.json"):
        store.load(prepared.fingerprint)


def test_cli_validate_shows_every_table_plan(run: Any, tmp_path: Path) -> None:
    source = tmp_path / "set.json"
    source.write_text(json.dumps(retail()))
    code, out, _ = run("validate", str(source))
    assert code == 0 and out.startswith("valid\n")
    assert "/tables/customers/properties/id" in out
    line = next(line for line in out.splitlines() if "/orders/properties/customer_id" in line)
    assert "ref customers.id" in line
