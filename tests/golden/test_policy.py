"""The golden file's rule: which changes regeneration records, and which need a version bump."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from tests.golden import regenerate
from tests.golden.policy import compare_case


def _document(engine: str = "1", faker: str = "40.0") -> dict[str, Any]:
    return {
        "about": regenerate.ABOUT,
        "engine_version": engine,
        "environment": {"faker": faker, "rstr": "3.2"},
        "cases": {
            "template/customer/en_US": {
                "request": {"source": "customer", "rows": 1000, "seed": 0},
                "data_version": f"{engine}-aaaa",
                "fingerprint": "f" * 64,
                "sha256": {"records": "1" * 64, "json": "2" * 64, "csv": "3" * 64},
            }
        },
    }


def _finding(pinned: dict[str, Any], current: dict[str, Any]) -> Any:
    case = "template/customer/en_US"
    return compare_case(
        case,
        pinned["cases"].get(case),
        current["cases"].get(case),
        pinned_meta=pinned,
        current_meta=current,
    )


def _entry(document: dict[str, Any]) -> dict[str, Any]:
    entry: dict[str, Any] = document["cases"]["template/customer/en_US"]
    return entry


def test_identical_measurements_have_no_finding() -> None:
    assert _finding(_document(), _document()) is None


def test_bytes_changed_under_the_same_data_version_need_a_bump() -> None:
    current = _document()
    _entry(current)["sha256"]["csv"] = "4" * 64
    finding = _finding(_document(), current)
    assert finding.kind == "bump"
    assert "its bytes changed (csv)" in finding.message
    assert "bump ENGINE_VERSION in synthdata_sdk/generation/version.py" in finding.message


def test_fingerprint_changed_under_the_same_data_version_needs_a_bump() -> None:
    current = _document()
    _entry(current)["fingerprint"] = "e" * 64
    finding = _finding(_document(), current)
    assert finding.kind == "bump"
    assert "fingerprint changed (ffffffffffff -> eeeeeeeeeeee)" in finding.message


def test_a_bumped_engine_version_only_needs_regeneration() -> None:
    current = _document(engine="2")
    _entry(current)["sha256"]["csv"] = "4" * 64
    finding = _finding(_document(), current)
    assert finding.kind == "regenerate"
    assert "ENGINE_VERSION is '2' but the golden file was made with '1'" in finding.message


def test_other_data_packages_cannot_be_compared() -> None:
    current = _document(faker="41.0")
    _entry(current)["data_version"] = "1-bbbb"
    _entry(current)["fingerprint"] = "e" * 64
    finding = _finding(_document(), current)
    assert finding.kind == "environment"
    assert "faker 41.0 (golden: 40.0)" in finding.message


def test_other_data_packages_with_the_same_data_version_are_still_compared() -> None:
    current = _document(faker="41.0")  # pools unchanged by the upgrade: same data version
    _entry(current)["sha256"]["records"] = "4" * 64
    assert _finding(_document(), current).kind == "bump"


def test_a_data_version_change_with_the_same_packages_is_recorded_deliberately() -> None:
    current = _document()
    _entry(current)["data_version"] = "1-bbbb"
    _entry(current)["fingerprint"] = "e" * 64
    finding = _finding(_document(), current)
    assert finding.kind == "regenerate"
    assert "ENGINE_VERSION unchanged" in finding.message


def test_a_new_delivery_only_needs_regeneration() -> None:
    current = _document()
    _entry(current)["sha256"]["xlsx"] = "5" * 64
    assert _finding(_document(), current).kind == "regenerate"


def test_new_and_removed_cases_only_need_regeneration() -> None:
    empty = {**_document(), "cases": {}}
    assert _finding(empty, _document()).kind == "regenerate"
    assert _finding(_document(), empty).kind == "regenerate"


@pytest.fixture
def golden_file(tmp_path: Path) -> Path:
    path = tmp_path / "golden.json"
    path.write_text(regenerate.dump_golden(_document()), encoding="utf-8")
    return path


def test_regenerate_refuses_a_byte_change_without_a_bump(
    golden_file: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    current = _document()
    _entry(current)["sha256"]["json"] = "4" * 64
    monkeypatch.setattr(regenerate, "measure_all", lambda: copy.deepcopy(current))
    before = golden_file.read_text(encoding="utf-8")

    assert regenerate.main(["--golden", str(golden_file)]) == 1

    assert golden_file.read_text(encoding="utf-8") == before
    err = capsys.readouterr().err
    assert "bump ENGINE_VERSION" in err
    assert "golden.json was not written" in err


def test_regenerate_records_a_bumped_engine_and_asks_for_a_changelog_line(
    golden_file: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    current = _document(engine="2")
    _entry(current)["fingerprint"] = "e" * 64
    monkeypatch.setattr(regenerate, "measure_all", lambda: copy.deepcopy(current))

    assert regenerate.main(["--golden", str(golden_file)]) == 0

    assert json.loads(golden_file.read_text(encoding="utf-8")) == current
    out = capsys.readouterr().out
    assert "0 unchanged, 1 changed (1 with a new fingerprint)" in out
    assert "add a CHANGELOG line" in out


def test_check_writes_nothing_and_fails_when_out_of_date(
    golden_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    current = _document(engine="2")
    monkeypatch.setattr(regenerate, "measure_all", lambda: copy.deepcopy(current))
    before = golden_file.read_text(encoding="utf-8")

    assert regenerate.main(["--check", "--golden", str(golden_file)]) == 1
    assert golden_file.read_text(encoding="utf-8") == before

    monkeypatch.setattr(regenerate, "measure_all", _document)
    assert regenerate.main(["--check", "--golden", str(golden_file)]) == 0
