"""``quality.sarif``: SARIF 2.1.0 shape (checked against the spec's schema for the objects
used), locations and lines per format, masked messages, stable fingerprints, notifications."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft7Validator

from synthdata_sdk import __version__
from synthdata_sdk.quality.findings import ComplianceReport, ScanError, Violation
from synthdata_sdk.quality.profiles import PROFILES, detectors_for
from synthdata_sdk.quality.sarif import FINGERPRINT_KEY, to_sarif
from synthdata_sdk.quality.scan_files import scan_paths

SSN = "123-45-6789"
EMAIL = "jane.doe@gmail.com"
IP = "8.8.8.8"


def _object(properties: dict[str, Any], required: list[str] | None = None) -> dict[str, Any]:
    """A SARIF schema object: every object the spec defines refuses unknown properties."""
    schema: dict[str, Any] = {
        "type": "object",
        "additionalProperties": False,
        "properties": {**properties, "properties": {"$ref": "#/definitions/propertyBag"}},
    }
    if required:
        schema["required"] = required
    return schema


_LEVEL = {"enum": ["none", "note", "warning", "error"]}
_MESSAGE = {
    "type": "object",
    "properties": {"text": {"type": "string"}, "id": {"type": "string"}},
    "anyOf": [{"required": ["text"]}, {"required": ["id"]}],
}
_TEXT = _object({"text": {"type": "string"}, "markdown": {"type": "string"}}, ["text"])

#: the parts of sarif-schema-2.1.0.json (OASIS) that the output uses, as the spec states them
SARIF_SUBSET: dict[str, Any] = {
    "$schema": "http://json-schema.org/draft-07/schema#",
    "definitions": {
        "propertyBag": {"type": "object"},
        "message": _MESSAGE,
        "multiformatMessageString": _TEXT,
        "artifactLocation": _object(
            {"uri": {"type": "string", "format": "uri-reference"}, "uriBaseId": {"type": "string"}}
        ),
        "region": _object({"startLine": {"type": "integer", "minimum": 1}}),
        "physicalLocation": {
            **_object(
                {
                    "artifactLocation": {"$ref": "#/definitions/artifactLocation"},
                    "region": {"$ref": "#/definitions/region"},
                }
            ),
            "anyOf": [{"required": ["address"]}, {"required": ["artifactLocation"]}],
        },
        "location": _object({"physicalLocation": {"$ref": "#/definitions/physicalLocation"}}),
        "reportingConfiguration": _object({"level": _LEVEL, "enabled": {"type": "boolean"}}),
        "reportingDescriptor": _object(
            {
                "id": {"type": "string"},
                "name": {"type": "string"},
                "shortDescription": {"$ref": "#/definitions/multiformatMessageString"},
                "fullDescription": {"$ref": "#/definitions/multiformatMessageString"},
                "helpUri": {"type": "string", "format": "uri"},
                "defaultConfiguration": {"$ref": "#/definitions/reportingConfiguration"},
            },
            ["id"],
        ),
        "toolComponent": _object(
            {
                "name": {"type": "string"},
                "version": {"type": "string"},
                "rules": {
                    "type": "array",
                    "uniqueItems": True,
                    "items": {"$ref": "#/definitions/reportingDescriptor"},
                },
            },
            ["name"],
        ),
        "notification": _object(
            {
                "level": _LEVEL,
                "message": {"$ref": "#/definitions/message"},
                "locations": {"type": "array", "items": {"$ref": "#/definitions/location"}},
            },
            ["message"],
        ),
        "invocation": _object(
            {
                "executionSuccessful": {"type": "boolean"},
                "toolExecutionNotifications": {
                    "type": "array",
                    "items": {"$ref": "#/definitions/notification"},
                },
            },
            ["executionSuccessful"],
        ),
        "result": _object(
            {
                "ruleId": {"type": "string"},
                "ruleIndex": {"type": "integer", "minimum": -1},
                "level": _LEVEL,
                "message": {"$ref": "#/definitions/message"},
                "locations": {"type": "array", "items": {"$ref": "#/definitions/location"}},
                "partialFingerprints": {
                    "type": "object",
                    "additionalProperties": {"type": "string"},
                },
            },
            ["message"],
        ),
        "run": _object(
            {
                "tool": _object({"driver": {"$ref": "#/definitions/toolComponent"}}, ["driver"]),
                "invocations": {"type": "array", "items": {"$ref": "#/definitions/invocation"}},
                "results": {"type": "array", "items": {"$ref": "#/definitions/result"}},
            },
            ["tool"],
        ),
    },
    **_object(
        {
            "$schema": {"type": "string", "format": "uri"},
            "version": {"enum": ["2.1.0"]},
            "runs": {"type": "array", "items": {"$ref": "#/definitions/run"}},
        },
        ["version", "runs"],
    ),
}


def assert_sarif(log: dict[str, Any]) -> None:
    errors = sorted(Draft7Validator(SARIF_SUBSET).iter_errors(log), key=str)
    assert not errors, [f"{list(e.absolute_path)}: {e.message}" for e in errors]


def test_the_subset_schema_catches_what_the_spec_forbids() -> None:
    log = to_sarif(ComplianceReport(profiles=("gdpr",)), tool_version="1")
    assert_sarif(log)
    run = log["runs"][0]
    bad_result = {"ruleId": "x", "level": "fatal", "message": {"text": "m"}, "extra": 1}
    broken = {**log, "runs": [{**run, "results": [bad_result]}]}
    assert len(list(Draft7Validator(SARIF_SUBSET).iter_errors(broken))) == 2
    with pytest.raises(AssertionError):
        assert_sarif({**log, "version": "2.0.0"})


# --- a real scan of planted files --------------------------------------------------------------


@pytest.fixture
def planted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> ComplianceReport:
    """A scan of five files in the current directory (tmp_path): three with violations."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "people.csv").write_text(
        f'id,note,email\n1,"two\nlines",ann@example.com\n2,fine,{EMAIL}\n', encoding="utf-8"
    )
    (tmp_path / "events.jsonl").write_text(
        f'{{"ip": "192.0.2.1"}}\n{{"ip": "198.51.100.7"}}\n{{"ip": "{IP}"}}\n', encoding="utf-8"
    )
    bundle = {"users": [{"ssn": SSN}], "orders": [{"id": 1}]}
    (tmp_path / "bundle.json").write_text(json.dumps(bundle), encoding="utf-8")
    (tmp_path / "my data").mkdir()
    (tmp_path / "my data" / "x #1.jsonl").write_text(
        f'{{"note": "mail {EMAIL}"}}\n', encoding="utf-8"
    )
    (tmp_path / "broken.json").write_text("[{", encoding="utf-8")
    return scan_paths([".", tmp_path / "events.jsonl"], ["gdpr", "pci_dss"])


def test_results_locate_each_violation(planted: ComplianceReport) -> None:
    log = to_sarif(planted, tool_version=__version__)
    assert_sarif(log)
    (run,) = log["runs"]
    found = set()
    for result in run["results"]:
        (location,) = result["locations"]
        physical = location["physicalLocation"]
        line = physical.get("region", {}).get("startLine")
        props = result["properties"]
        found.add(
            (
                physical["artifactLocation"]["uri"],
                line,
                result["ruleId"],
                props["row"],
                props["field"],
            )
        )
    assert found == {
        ("people.csv", 4, "email", 1, "email"),  # row 0 spans lines 2-3
        ("events.jsonl", 3, "ipv4", 2, "ip"),  # found twice (. and the absolute path): one entry
        ("bundle.json", None, "us_ssn", 0, "ssn"),
        ("my%20data/x%20%231.jsonl", 1, "email", 0, "note"),
    }
    assert len(run["results"]) == 5


def test_rules_and_result_fields(planted: ComplianceReport) -> None:
    (run,) = to_sarif(planted, tool_version="9.9.9")["runs"]
    driver = run["tool"]["driver"]
    assert (driver["name"], driver["version"]) == ("synthdata", "9.9.9")
    rules = driver["rules"]
    assert [r["id"] for r in rules] == list(detectors_for(("gdpr", "pci_dss")))
    for rule in rules:
        assert rule["defaultConfiguration"] == {"level": "error"}
        assert rule["shortDescription"]["text"] and rule["fullDescription"]["text"]
        assert "helpUri" not in rule
        assert set(rule["properties"]["profiles"]) == {
            p for p, names in PROFILES.items() if rule["id"] in names
        }
    email_rule = rules[[r["id"] for r in rules].index("email")]
    email_rules = {v.rule for v in planted.violations if v.detector == "email"}
    assert email_rule["fullDescription"]["text"] == "; ".join(sorted(email_rules))
    for result in run["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        assert result["level"] == "error"
        text = result["message"]["text"]
        assert text.startswith(f"{result['ruleId']} {result['properties']['masked']} in field ")
    assert run["properties"]["rows"] == planted.rows


def test_messages_hold_masked_values_only(planted: ComplianceReport) -> None:
    text = json.dumps(to_sarif(planted, tool_version="1"))
    for value in (EMAIL, SSN, IP, "jane.doe"):
        assert value not in text
    assert "j***@gmail.com" in text


def test_scan_errors_are_execution_notifications(planted: ComplianceReport) -> None:
    (run,) = to_sarif(planted, tool_version="1")["runs"]
    (invocation,) = run["invocations"]
    assert invocation["executionSuccessful"] is True
    (note,) = invocation["toolExecutionNotifications"]
    assert note["level"] == "error"
    assert note["message"]["text"].startswith("broken.json: invalid JSON at line 1 column 3")
    assert note["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "broken.json"


def test_fingerprints_are_stable_and_distinct(planted: ComplianceReport) -> None:
    first = to_sarif(planted, tool_version="1")["runs"][0]["results"]
    again = to_sarif(planted, tool_version="2")["runs"][0]["results"]
    prints = [r["partialFingerprints"][FINGERPRINT_KEY] for r in first]
    assert prints == [r["partialFingerprints"][FINGERPRINT_KEY] for r in again]
    # the same finding through "." and through an absolute path has one fingerprint
    assert len(set(prints)) == 4


# --- lines and URIs on hand-built reports ------------------------------------------------------


def violation(
    table: str, row: int = 0, path: str = "card", detector: str = "payment_card"
) -> Violation:
    return Violation(table, row, path, detector, "rule", "411111******1111", ("pci_dss",))


def results(*violations: Violation, **kwargs: Any) -> list[dict[str, Any]]:
    report = ComplianceReport(profiles=("pci_dss",), violations=list(violations))
    log = to_sarif(report, tool_version="1", **kwargs)
    assert_sarif(log)
    return list(log["runs"][0]["results"])


def region(result: dict[str, Any]) -> Any:
    return result["locations"][0]["physicalLocation"].get("region")


def test_lines_by_format_when_files_cannot_be_read(tmp_path: Path) -> None:
    found = results(
        violation(str(tmp_path / "gone.csv"), 4),
        violation(str(tmp_path / "gone.ndjson"), 4),
        violation(str(tmp_path / "gone.parquet"), 4),
        violation(str(tmp_path / "gone.json#cards"), 4),
    )
    assert [region(r) for r in found] == [{"startLine": 6}, {"startLine": 5}, None, None]


def test_line_of_overrides_the_lines() -> None:
    found = results(
        violation("a.csv", 3), violation("b.parquet", 1), line_of=lambda t, r: r * 10 or None
    )
    assert [region(r) for r in found] == [{"startLine": 30}, {"startLine": 10}]


def test_uris_are_relative_with_forward_slashes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "sub").mkdir()
    monkeypatch.chdir(tmp_path / "sub")
    found = results(
        violation(str(tmp_path / "sub" / "deep" / "a.csv")),
        violation(str(tmp_path / "b.json#x")),
        violation("deep/c.jsonl"),
    )
    uris = [r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in found]
    assert uris == ["deep/a.csv", "../b.json", "deep/c.jsonl"]


def test_fingerprints_follow_file_row_path_and_detector() -> None:
    base = violation("a.csv", 1, "card", "payment_card")
    variants = [
        violation("b.csv", 1, "card", "payment_card"),
        violation("a.csv", 2, "card", "payment_card"),
        violation("a.csv", 1, "pan", "payment_card"),
        violation("a.csv", 1, "card", "iban"),
    ]
    prints = [r["partialFingerprints"][FINGERPRINT_KEY] for r in results(base, *variants)]
    assert len(set(prints)) == 5
    same = Violation("a.csv", 1, "card", "payment_card", "other rule", "4111**", ("gdpr",), 3, 9)
    assert results(same)[0]["partialFingerprints"] == results(base)[0]["partialFingerprints"]


def test_an_empty_report_is_a_valid_log() -> None:
    report = ComplianceReport(profiles=("hipaa",), errors=[ScanError("x.csv", "x.csv: boom")])
    log = to_sarif(report, tool_version="1")
    assert_sarif(log)
    assert log["$schema"] == "https://json.schemastore.org/sarif-2.1.0.json"
    assert log["version"] == "2.1.0"
    (run,) = log["runs"]
    assert run["results"] == []
    assert (
        run["invocations"][0]["toolExecutionNotifications"][0]["message"]["text"] == "x.csv: boom"
    )
