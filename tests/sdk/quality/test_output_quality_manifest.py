"""``quality=True``: generation measures its output and the manifest carries the summary."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from synthdata_sdk import SynthDataClient
from synthdata_sdk.cache import DatasetCache, LocalStore
from synthdata_sdk.quality.metrics import measure_quality
from synthdata_sdk.quality.readers import iter_tables
from tests.sdk.cli_support import Run

#: half the rows share one value: the summary must see it
ORDERS = {
    "title": "Orders",
    "type": "object",
    "properties": {
        "id": {"type": "integer", "minimum": 1, "maximum": 10**9, "x-synthdata": {"unique": True}},
        "note": {"type": ["string", "null"], "maxLength": 8, "x-synthdata": {"null_rate": 0.5}},
        "status": {"enum": ["new", "paid"]},
    },
    "required": ["id", "note", "status"],
    "additionalProperties": False,
}


@pytest.mark.slow
def test_generate_with_quality_puts_the_measured_summary_in_the_manifest() -> None:
    client = SynthDataClient()

    dataset = client.generate(ORDERS, rows=25_000, seed=4, quality=True)

    summary = dataset.manifest["quality"]
    assert summary == client.quality(dataset).summary()
    assert summary["rows"] == 25_000 and summary["validity_rate"] == 1.0
    assert 0.45 < summary["null_rate_max"] < 0.55  # the note column, across chunks
    assert summary["score"] == 100.0


def test_quality_is_measured_only_when_asked() -> None:
    assert SynthDataClient().generate(ORDERS, rows=10).manifest["quality"] is None


def test_write_with_quality_measures_what_went_to_the_file(tmp_path: Path) -> None:
    target = tmp_path / "orders.jsonl"

    manifest = SynthDataClient().write(ORDERS, target, rows=3_000, seed=2, quality=True)

    (table,) = list(iter_tables(target))
    assert manifest["quality"] == measure_quality(list(table.records), ORDERS).summary()


def test_the_cache_keeps_the_summary_of_what_it_generated(tmp_path: Path) -> None:
    client = SynthDataClient()
    store = LocalStore(tmp_path / "cache")
    prepared = client.prepare("customer", rows=200, seed=1)

    served = DatasetCache(client, store, quality=True).get(prepared)

    on_disk = json.loads((store.path_for(prepared.fingerprint) / "manifest.json").read_text())
    assert on_disk["quality"] == served.dataset.manifest["quality"]
    assert on_disk["quality"]["rows"] == 200 and on_disk["quality"]["score"] == 100.0
    loaded = store.load(prepared.fingerprint, prepared.request)
    assert loaded.manifest["quality"] == on_disk["quality"]


def test_the_cli_prints_the_summary_for_files_and_stdout(run: Run, tmp_path: Path) -> None:
    to_file = run(
        "generate", "customer", "--rows", "40", "--out", str(tmp_path / "c.csv"), "--quality"
    )
    to_stdout = run("generate", "customer", "--rows", "40", "--quality", "-q")
    plain = run("generate", "customer", "--rows", "40", "-q")

    for code, _, err in (to_file, to_stdout):
        assert code == 0
        assert "quality score 100.00 (validity 100.00%, duplicate rows 0.00%" in err
    assert len(to_stdout[1].splitlines()) == 40
    assert plain[0] == 0 and "quality" not in plain[2]
