"""A request that names compliance profiles has its output scanned; the manifest says so."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from synthdata_sdk import SynthDataClient
from synthdata_sdk.cache import LocalStore
from synthdata_sdk.errors import ComplianceError
from tests.sdk.cli_support import Run

REAL_EMAIL = {
    "type": "object",
    "properties": {"id": {"type": "integer"}, "email": {"const": "jane.doe@gmail.com"}},
    "required": ["id", "email"],
    "additionalProperties": False,
}


def test_generated_output_is_scanned_and_the_summary_is_in_the_manifest() -> None:
    dataset = SynthDataClient().generate("patient", rows=500, compliance=("gdpr", "hipaa"))
    summary = dataset.manifest["compliance"]
    assert summary["scanned"] is True and summary["clean"] is True
    assert summary["profiles"] == ["gdpr", "hipaa"]
    assert summary["rows"] == 500 and summary["values"] > 500 and summary["violations"] == 0


def test_without_profiles_nothing_is_scanned() -> None:
    dataset = SynthDataClient().generate("customer", rows=5)
    assert dataset.manifest["compliance"] == {"profiles": [], "scanned": False}


def test_a_schema_that_spells_a_real_identifier_fails_loudly() -> None:
    with pytest.raises(ComplianceError) as raised:
        SynthDataClient().generate(REAL_EMAIL, rows=3, compliance=("gdpr",))
    message = str(raised.value)
    assert "gdpr" in message and "row 0 email: email:" in message
    assert "jane.doe@gmail.com" not in message  # masked, never the value itself
    assert not raised.value.report.clean  # type: ignore[attr-defined]


def test_a_violating_write_leaves_no_file(tmp_path: Path) -> None:
    target = tmp_path / "out.jsonl"
    with pytest.raises(ComplianceError):
        SynthDataClient().write(REAL_EMAIL, target, rows=3, compliance=("gdpr",))
    assert list(tmp_path.iterdir()) == []


def test_write_and_cache_keep_the_scan_summary(tmp_path: Path) -> None:
    client = SynthDataClient()
    manifest = client.write("payment", tmp_path / "p.csv", rows=50, compliance=("pci_dss",))
    assert manifest["compliance"]["scanned"] and manifest["compliance"]["clean"]
    store = LocalStore(tmp_path / "cache")
    prepared = client.prepare("payment", rows=50, compliance=("pci_dss",))
    saved = store.save_dataset(client.generate_prepared(prepared))
    assert saved["compliance"]["scanned"] is True
    loaded = store.load(prepared.fingerprint, prepared.request)
    assert loaded.manifest["compliance"]["clean"] is True


def test_output_to_stdout_is_scanned_too(run: Run, tmp_path: Path) -> None:
    schema = tmp_path / "real_email.json"
    schema.write_text(json.dumps(REAL_EMAIL))

    code, out, err = run("generate", str(schema), "--rows", "3", "--compliance", "gdpr")

    assert code == 1 and out == ""
    assert "broke compliance profile(s) gdpr" in err and "jane.doe@gmail.com" not in err
