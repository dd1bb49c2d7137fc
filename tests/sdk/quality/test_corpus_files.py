"""A planted corpus: real-format identifiers in known rows and fields (and inside free text) of
CSV, JSON, JSON Lines and Parquet files, next to safe values, found by ``synthdata scan`` in
every output format with the right file, row and field, and never printed whole."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from stdnum import iban, luhn
from stdnum.gb import nhs

from tests.sdk.cli_support import Run

pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")


_VISA_BASE = "453201511283036"  # 4532: a Visa issuer range
VISA = _VISA_BASE + luhn.calc_check_digit(_VISA_BASE)
VISA_GROUPED = " ".join(VISA[i : i + 4] for i in range(0, 16, 4))
SSN = "123-45-6789"
EMAIL = "jane.doe@gmail.com"
IP = "8.8.8.8"
_IBAN_BODY = "NWBK60161331926820"
IBAN = "GB" + iban.calc_check_digits(f"GB00{_IBAN_BODY}") + _IBAN_BODY
NHS = next(n for n in (f"401023213{d}" for d in range(10)) if nhs.is_valid(n))
SAFE_NHS = next(n for n in (f"999000001{d}" for d in range(10)) if nhs.is_valid(n))

#: every full identifier planted: none may ever be printed
PLANTED = (VISA, VISA_GROUPED, SSN, EMAIL, IP, IBAN, NHS, f"{NHS[:3]} {NHS[3:6]} {NHS[6:]}")

#: (file, row, field path, detector) of every planted identifier
EXPECTED = {
    ("corpus/customers.csv", 1, "email", "email"),
    ("corpus/customers.csv", 2, "card", "payment_card"),
    ("corpus/customers.csv", 3, "notes", "us_ssn"),
    ("corpus/registry.json#accounts", 1, "iban", "iban"),
    ("corpus/registry.json#patients", 1, "nhs_number", "nhs_number"),
    ("corpus/logs/events.jsonl", 1, "ip", "ipv4"),
    ("corpus/logs/events.jsonl", 2, "message", "email"),
    ("corpus/logs/events.jsonl", 2, "message", "payment_card"),
    ("corpus/payments.parquet", 1, "pan", "payment_card"),
    ("corpus/payments.parquet", 2, "memo", "ipv4"),
}


def test_the_planted_values_are_real_format() -> None:
    assert luhn.is_valid(VISA) and VISA.startswith("4")
    assert iban.is_valid(IBAN)
    assert nhs.is_valid(NHS) and not NHS.startswith("999")
    assert nhs.is_valid(SAFE_NHS)


def write_corpus(root: Path) -> None:
    corpus = root / "corpus"
    (corpus / "logs").mkdir(parents=True)
    (corpus / "customers.csv").write_text(
        "id,name,email,card,notes\n"
        "1,Ann Example,ann@example.com,4242424242424242,no identifiers here\n"
        f"2,Jane Doe,{EMAIL},4000056655665556,called from 192.0.2.44\n"
        f"3,Sam Sample,sam@example.org,{VISA},call (555) 555-0123\n"
        f'4,Lee Lorem,lee@example.net,4111111111111111,"ssn on file: {SSN}, alt 666-12-3456"\n',
        encoding="utf-8",
    )
    registry = {
        "accounts": [
            {"holder": "Ann Example", "iban": "GB29NWBK60161331926819"},  # registry example
            {"holder": "Jane Doe", "iban": IBAN},
        ],
        "patients": [
            {"name": "Sam Sample", "nhs_number": SAFE_NHS},
            {"name": "Jane Doe", "nhs_number": NHS},
        ],
    }
    (corpus / "registry.json").write_text(json.dumps(registry, indent=2), encoding="utf-8")
    events = [
        {"ip": "203.0.113.9", "message": "login ok", "contact": "ops@example.com"},
        {"ip": IP, "message": "login"},
        {"ip": "198.51.100.1", "message": f"mail {EMAIL} about card {VISA_GROUPED} today"},
        {"user": {"ssn": "666-12-3456", "email": "user@example.com"}},
    ]
    (corpus / "logs" / "events.jsonl").write_text(
        "".join(json.dumps(e) + "\n" for e in events), encoding="utf-8"
    )
    payments = pa.table(
        {
            "pan": ["5555555555554444", VISA, "4242424242424242"],
            "memo": ["refund", "card 4242 4242 4242 4242 used", f"ip {IP} blocked"],
        }
    )
    pq.write_table(payments, corpus / "payments.parquet")
    (corpus / "README.md").write_text(f"not scanned: {SSN}\n", encoding="utf-8")


@pytest.fixture
def corpus(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    write_corpus(tmp_path)
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def run(run: Run) -> Run:
    """The shared ``run``, which also fails if a planted identifier is ever printed."""

    def invoke(*argv: str) -> tuple[int, str, str]:
        code, out, err = run(*argv)
        for value in PLANTED:
            assert value not in out, f"{value!r} printed on stdout"
            assert value not in err, f"{value!r} printed on stderr"
        return code, out, err

    return invoke


def test_json_finds_each_planted_identifier_and_no_safe_value(corpus: Path, run: Run) -> None:
    code, out, err = run("scan", "corpus", "--format", "json")
    assert code == 1
    assert err == ""
    report = json.loads(out)
    found = {(v["table"], v["row"], v["path"], v["detector"]) for v in report["violations"]}
    assert found == EXPECTED
    assert report["errors"] == []
    assert report["tables"] == [
        "corpus/customers.csv",
        "corpus/logs/events.jsonl",
        "corpus/payments.parquet",
        "corpus/registry.json#accounts",
        "corpus/registry.json#patients",
    ]
    assert report["rows"] == 4 + 4 + 3 + 2 + 2


def test_sarif_has_the_same_results_with_relative_uris(corpus: Path, run: Run) -> None:
    code, out, _ = run("scan", str(corpus / "corpus"), "--format", "sarif")
    assert code == 1
    (sarif_run,) = json.loads(out)["runs"]
    found = set()
    for result in sarif_run["results"]:
        uri = result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        props = result["properties"]
        file = props["table"].removeprefix(str(corpus) + "/")
        assert uri == file.split("#")[0]
        found.add((file, props["row"], props["field"], result["ruleId"]))
    assert found == EXPECTED
    lines = {
        (r["properties"]["table"].rsplit("/", 1)[-1], r["properties"]["row"]): r["locations"][0][
            "physicalLocation"
        ].get("region")
        for r in sarif_run["results"]
    }
    assert lines[("customers.csv", 2)] == {"startLine": 4}
    assert lines[("events.jsonl", 1)] == {"startLine": 2}
    assert lines[("payments.parquet", 1)] is None


def test_text_lists_each_violation_then_a_summary(corpus: Path, run: Run) -> None:
    code, out, _ = run("scan", "corpus")
    assert code == 1
    *lines, summary = out.splitlines()
    assert len(lines) == len(EXPECTED)
    assert "corpus/customers.csv:2:card: payment_card: Luhn-valid PAN" in out
    assert f"({VISA[:6]}******{VISA[-4:]})" in out
    assert "corpus/logs/events.jsonl:1:ip: ipv4: " in out
    assert re.fullmatch(
        r"scanned 4 files, 15 rows, 43 values, [\d,]+ candidates: 10 violations, 0 errors; "
        r"0\.00 MB in \d+\.\d\d s \(\d+\.\d MB/s\)",
        summary,
    ), summary


@pytest.mark.parametrize(
    ("profile", "detectors"),
    [
        ("pci_dss", {"payment_card"}),
        ("gdpr,pci_dss", {d for *_, d in EXPECTED}),
    ],
)
def test_profiles_choose_the_detectors(
    corpus: Path, run: Run, profile: str, detectors: set[str]
) -> None:
    code, out, _ = run("scan", "corpus", "--profile", profile, "--format", "json")
    assert code == 1
    found = {
        (v["table"], v["row"], v["path"], v["detector"]) for v in json.loads(out)["violations"]
    }
    assert found == {e for e in EXPECTED if e[3] in detectors}


def test_a_bad_file_in_the_corpus_is_reported_and_the_rest_scanned(corpus: Path, run: Run) -> None:
    (corpus / "corpus" / "broken.jsonl").write_bytes(b'{"a": 1}\n\xff\n')
    code, out, err = run("scan", "corpus", "--format", "json")
    assert code == 1
    report = json.loads(out)
    assert {
        (v["table"], v["row"], v["path"], v["detector"]) for v in report["violations"]
    } == EXPECTED
    assert report["errors"] == [
        {
            "source": "corpus/broken.jsonl",
            "message": "corpus/broken.jsonl: not UTF-8: byte 0xff at byte offset 9 (line 2) "
            "cannot be decoded (expected UTF-8 text)",
        }
    ]
    assert err == (
        "corpus/broken.jsonl: error: not UTF-8: byte 0xff at byte offset 9 (line 2) "
        "cannot be decoded (expected UTF-8 text)\n"
    )
