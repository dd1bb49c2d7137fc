"""``scan``: inputs, field paths, tables, profiles, batching and the report it returns."""

from __future__ import annotations

import json
from importlib.util import find_spec
from pathlib import Path
from typing import Any

import pytest

from synthdata_sdk import SynthDataClient
from synthdata_sdk.dataset import Dataset, default_table_name
from synthdata_sdk.errors import RequestError
from synthdata_sdk.options import PROFILE_NAMES as REQUEST_PROFILES
from synthdata_sdk.quality import PROFILES, ComplianceReport, scan
from synthdata_sdk.quality import scanner as scanner_module
from synthdata_sdk.quality.detectors import detectors
from synthdata_sdk.quality.presidio import MISSING
from synthdata_sdk.quality.profiles import profile_table, resolve_profiles

ROOT = Path(__file__).resolve().parents[3]
GMAIL = "jane.roe@gmail.com"
CARD = 4539148803436467


def _found(report: ComplianceReport) -> list[tuple[int, str, str]]:
    return [(v.row, v.path, v.detector) for v in report.violations]


def test_nested_objects_and_list_items_have_dotted_and_indexed_paths() -> None:
    records = [
        {
            "customer": {"contact": {"email": GMAIL, "phone": "(212) 555-0100"}},
            "tags": ["vip", "8.8.8.8"],
            "orders": [{"ip": "192.0.2.1"}, {"ip": "1.1.1.1", "notes": ["fine", GMAIL]}],
        }
    ]

    report = scan(records, ("gdpr",))

    assert _found(report) == [
        (0, "customer.contact.email", "email"),
        (0, "tags[1]", "ipv4"),
        (0, "orders[1].ip", "ipv4"),
        (0, "orders[1].notes[1]", "email"),
    ]


def test_bare_scalar_records_have_an_empty_path() -> None:
    report = scan([GMAIL, 42, ["x", GMAIL]], ("gdpr",))

    assert _found(report) == [(0, "", "email"), (2, "[1]", "email")]


def test_an_int_card_number_is_found_and_bools_floats_and_nulls_are_skipped() -> None:
    records = [{"card": CARD, "ok": True, "amount": 4539148803436467.0, "none": None}]

    report = scan(records, ("pci_dss",))

    assert _found(report) == [(0, "card", "payment_card")]
    assert report.violations[0].masked == "453914******6467"
    assert report.values == 1


def test_counts_rows_values_candidates_and_characters() -> None:
    records = [{"email": "a@example.com", "n": 7}, {"email": "b@example.org", "n": None}]

    report = scan(records, ("gdpr",))

    assert (report.rows, report.values, report.candidates) == (2, 3, 2)
    assert report.bytes_scanned == len("a@example.com") + len("7") + len("b@example.org")
    assert report.clean


def test_repeated_values_count_every_occurrence() -> None:
    records = [{"email": "a@example.com"}] * 50 + [{"email": GMAIL}] * 3

    report = scan(records, ("gdpr",))

    assert report.candidates == 53
    assert [v.row for v in report.violations] == [50, 51, 52]


def test_violations_come_in_record_order(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(scanner_module, "BATCH_ROWS", 3)
    records = [
        {"b": "8.8.8.8" if i % 2 else "x", "a": GMAIL if i % 3 == 0 else "y"} for i in range(10)
    ]

    report = scan(records, ("gdpr",))

    expected = []
    for i in range(10):
        if i % 2:
            expected.append((i, "b", "ipv4"))
        if i % 3 == 0:
            expected.append((i, "a", "email"))
    assert _found(report) == expected


def test_batches_give_the_same_report_as_one_batch(monkeypatch: pytest.MonkeyPatch) -> None:
    records = [
        {"email": GMAIL if i % 7 == 0 else f"u{i}@example.com", "tags": [str(i)]} for i in range(40)
    ]
    whole = scan(records, ("gdpr",)).to_json()

    monkeypatch.setattr(scanner_module, "BATCH_ROWS", 4)
    monkeypatch.setattr(scanner_module, "CLEAN_CACHE_SIZE", 2)

    assert scan(records, ("gdpr",)).to_json() == whole


def test_records_may_come_from_a_generator_and_a_single_mapping() -> None:
    assert _found(scan((r for r in [{"e": GMAIL}]), ("gdpr",))) == [(0, "e", "email")]
    assert _found(scan({"e": GMAIL}, ("gdpr",))) == [(0, "e", "email")]


def test_records_are_named_data_unless_a_table_is_given() -> None:
    assert scan([{"e": GMAIL}], ("gdpr",)).violations[0].table == "data"

    report = scan([{"e": GMAIL}], ("gdpr",), table="people")

    assert report.violations[0].table == "people"
    assert report.tables == ["people"]


def test_a_dataset_is_scanned_under_its_name_with_its_schema() -> None:
    generated = SynthDataClient().generate("customer", rows=20, seed=3)
    records = generated.copy_records()
    records[4]["email"] = GMAIL
    dataset = Dataset(records, generated.request)

    report = scan(dataset, ("gdpr", "pci_dss"))

    assert default_table_name(generated.request) == "customer"
    assert _found(report) == [(4, "email", "email")]
    assert report.violations[0].table == "customer"
    assert report.rows == 20


def test_a_schema_semantic_reaches_fields_and_list_items() -> None:
    schema = {
        "type": "object",
        "properties": {
            "tax_ref": {"type": "string", "x-synthdata": {"semantic": "ssn"}},
            "numbers": {
                "type": "array",
                "items": {"type": "string", "x-synthdata": {"semantic": "phone"}},
            },
        },
    }
    records = [{"tax_ref": "123456789", "numbers": ["4158675309"]}]

    assert scan(records, ("gdpr",)).violations == []
    assert _found(scan(records, ("gdpr",), schema=schema)) == [
        (0, "tax_ref", "us_ssn"),
        (0, "numbers[0]", "phone"),
    ]


def test_a_gmail_address_is_a_gdpr_violation_but_not_a_pci_dss_one() -> None:
    records = [{"email": GMAIL, "card": CARD}]

    gdpr = scan(records, ("gdpr",))
    pci = scan(records, ("pci_dss",))

    assert _found(gdpr) == [(0, "email", "email"), (0, "card", "payment_card")]
    assert _found(pci) == [(0, "card", "payment_card")]
    assert pci.profiles == ("pci_dss",)
    assert pci.violations[0].profiles == ("pci_dss",)
    assert gdpr.violations[1].profiles == ("gdpr",)


def test_violations_list_every_requested_profile_that_enforces_them() -> None:
    report = scan([{"card": CARD, "dob": "1950-03-04"}], ("pci_dss", "hipaa", "gdpr"))

    assert report.profiles == ("gdpr", "hipaa", "pci_dss")
    assert [(v.detector, v.profiles) for v in report.violations] == [
        ("payment_card", ("gdpr", "hipaa", "pci_dss")),
        ("date_of_birth", ("hipaa",)),
    ]


def test_profiles_may_be_given_as_a_comma_separated_string() -> None:
    assert scan([{"e": GMAIL}], "pci_dss, gdpr").profiles == ("gdpr", "pci_dss")


@pytest.mark.parametrize("profiles", [("gdpr", "sox"), "ccpa"])
def test_an_unknown_profile_is_a_request_error_naming_it_and_the_known_ones(
    profiles: Any,
) -> None:
    with pytest.raises(RequestError) as error:
        scan([{"e": GMAIL}], profiles)

    message = str(error.value)
    assert ("sox" in message) or ("ccpa" in message)
    assert all(known in message for known in PROFILES)


def test_no_profile_at_all_is_a_request_error() -> None:
    with pytest.raises(RequestError, match="no compliance profile"):
        resolve_profiles([])


def test_something_that_is_not_records_is_a_request_error() -> None:
    with pytest.raises(RequestError, match="cannot scan int"):
        scan(42)


def test_the_summary_and_the_report_survive_a_json_round_trip() -> None:
    report = scan([{"email": GMAIL, "card": CARD}, {"ip": "8.8.8.8"}], ("gdpr", "pci_dss"))

    data = report.to_json()
    assert json.loads(json.dumps(data)) == data
    summary = json.loads(json.dumps(report.summary()))
    assert summary == {
        "profiles": ["gdpr", "pci_dss"],
        "scanned": True,
        "clean": False,
        "rows": 2,
        "values": 3,
        "candidates": 3,
        "violations": 3,
        "by_detector": {"email": 1, "ipv4": 1, "payment_card": 1},
    }
    assert data["violations"][0]["path"] == "email"
    assert GMAIL not in json.dumps(data)
    assert str(CARD) not in json.dumps(data)


def test_a_file_and_a_directory_are_scanned_and_a_bad_file_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "people.csv").write_text(f"email,card\n{GMAIL},{CARD}\n", encoding="utf-8")
    (tmp_path / "broken.jsonl").write_text('{"ip": "8.8.8.8"}\n{not json\n', encoding="utf-8")

    single = scan(tmp_path / "people.csv", ("gdpr",))
    folder = scan(str(tmp_path), ("gdpr",))

    assert _found(single) == [(0, "email", "email"), (0, "card", "payment_card")]
    assert single.violations[0].table == str(tmp_path / "people.csv")
    assert single.bytes_scanned == (tmp_path / "people.csv").stat().st_size
    assert sorted(v.detector for v in folder.violations) == ["email", "ipv4", "payment_card"]
    assert [e.source for e in folder.errors] == [str(tmp_path / "broken.jsonl")]
    assert not folder.clean


def test_a_missing_path_is_a_scan_error_not_an_exception(tmp_path: Path) -> None:
    report = scan(tmp_path / "absent.csv", ("gdpr",))

    assert [e.source for e in report.errors] == [str(tmp_path / "absent.csv")]
    assert not report.clean


@pytest.mark.skipif(find_spec("presidio_analyzer") is not None, reason="presidio is installed")
def test_presidio_without_the_extra_is_a_request_error() -> None:
    with pytest.raises(RequestError) as error:
        scan([{"e": GMAIL}], ("gdpr",), presidio=True)

    assert str(error.value) == MISSING
    assert "pip install 'synthdata[presidio]'" in MISSING


@pytest.mark.presidio
def test_presidio_spans_are_judged_by_our_rules() -> None:  # pragma: no cover - optional
    records = [{"note": "mail jane@example.com or jo@gmail.com, card 4111 1111 1111 1111"}]

    report = scan(records, ("gdpr",), presidio=True)

    assert [v.detector for v in report.violations] == ["email"]


class _FakeOpinion:
    """Stands in for Presidio: returns fixed spans, as Presidio's recognizers would."""

    def __init__(self, detectors: object) -> None:
        pass

    def spans(self, text: str) -> list[tuple[str, int, int]]:
        found = []
        for detector, value in (("phone", "4158675309"), ("phone", "2125550100"), ("email", GMAIL)):
            start = text.find(value)
            if start >= 0:
                found.append((detector, start, start + len(value)))
        return found


def test_second_opinion_spans_are_judged_by_our_rules_and_merged(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import synthdata_sdk.quality.presidio as presidio_module

    monkeypatch.setattr(presidio_module, "PresidioOpinion", _FakeOpinion)
    text = f"call 4158675309 or 2125550100, mail {GMAIL}"

    plain = scan([{"notes": text}], ("gdpr",))
    merged = scan([{"notes": text}], ("gdpr",), presidio=True)

    assert [v.detector for v in plain.violations] == ["email"]
    assert [(v.detector, text[v.start : v.end]) for v in merged.violations] == [
        ("phone", "4158675309"),
        ("email", GMAIL),
    ]
    # the e-mail span both found is one candidate; the two new phone spans are two more
    assert merged.candidates == plain.candidates + 2


class _WiderUrlOpinion(_FakeOpinion):
    """Finds the URL our rule finds, with its closing bracket as well."""

    def spans(self, text: str) -> list[tuple[str, int, int]]:
        start = text.find("https://")
        return [("url", start, text.find(")", start) + 1)] if start >= 0 else []


def test_a_second_opinion_span_overlapping_ours_is_the_same_candidate(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import synthdata_sdk.quality.presidio as presidio_module

    monkeypatch.setattr(presidio_module, "PresidioOpinion", _WiderUrlOpinion)
    text = "see https://github.com/a_(b) for it"

    plain = scan([{"notes": text}], ("gdpr",))
    merged = scan([{"notes": text}], ("gdpr",), presidio=True)

    assert [v.detector for v in plain.violations] == ["url"]
    assert merged.violations == plain.violations
    assert merged.candidates == plain.candidates


def test_the_profiles_are_the_ones_a_request_may_name() -> None:
    assert set(PROFILES) == set(REQUEST_PROFILES)


def test_every_detector_is_enforced_by_a_profile_and_profiles_name_only_detectors() -> None:
    names = set(detectors())
    enforced = {d for members in PROFILES.values() for d in members}
    assert enforced == names
    assert PROFILES["pci_dss"] == ("payment_card",)
    assert not {"date_of_birth", "age", "zip_code"} & set(PROFILES["gdpr"])


def test_the_documented_profile_table_is_the_one_the_code_enforces() -> None:
    docs = (ROOT / "docs" / "compliance.md").read_text(encoding="utf-8")

    assert profile_table() in docs


def test_a_field_declared_semantic_none_is_still_judged_by_its_name() -> None:
    schema = {"properties": {"ssn": {"type": "string", "x-synthdata": {"semantic": "none"}}}}

    report = scan([{"ssn": "123456789"}], ("gdpr",), schema=schema)

    assert [v.detector for v in report.violations] == ["us_ssn"]
