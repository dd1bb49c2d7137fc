"""``scan(..., presidio=True)`` against a real presidio-analyzer install.

Skipped where presidio-analyzer is not importable, as in the main test environment; the
stand-in tests in ``test_scanner.py`` cover the merge logic without it. ``tox -e presidio``
installs the ``[presidio]`` extra and runs the tests marked ``presidio``. Presidio runs with
its no-op NLP engine, so these tests need no spaCy model and no network.
"""

from __future__ import annotations

import logging
import socket
import warnings
from importlib import import_module
from importlib.metadata import version
from typing import Any

import pytest

from synthdata_sdk.quality import ComplianceReport, scan
from synthdata_sdk.quality.detectors import detectors
from synthdata_sdk.quality.presidio import (
    ENTITY_DETECTORS,
    RECOGNIZERS,
    PresidioOpinion,
    _engine,
)
from tests.sdk.quality.planted import FLAGGED, SAFE, Plant

pytest.importorskip("presidio_analyzer", reason="needs the [presidio] extra: tox -e presidio")
pytestmark = pytest.mark.presidio
PREDEFINED = import_module("presidio_analyzer.predefined_recognizers")
#: releases before 2.2.362 lack the MAC address, NINO and MBI recognizers, and read fewer
#: IPv6 shapes; the scan itself works with them (the tests without this mark pass)
current = pytest.mark.skipif(
    not all(hasattr(PREDEFINED, name) for name in RECOGNIZERS.values()),
    reason=f"presidio-analyzer {version('presidio-analyzer')} lacks some recognizers",
)

#: the detectors whose judges decide Presidio's spans
JUDGED = {name for names in ENTITY_DETECTORS.values() for name in names}
#: planted identifiers Presidio can find: every detector but the field-named ones
PRESIDIO_FLAGGED = tuple(p for p in FLAGGED if p.detector in JUDGED)


@pytest.fixture(scope="module")
def opinion() -> PresidioOpinion:
    """Presidio's opinion for every detector."""
    return PresidioOpinion(detectors().values())


def _found(report: ComplianceReport, values: list[str]) -> set[tuple[int, str, str, str]]:
    """``(row, path, detector, matched text)`` of each violation; ``values`` by row."""
    return {(v.row, v.path, v.detector, values[v.row][v.start : v.end]) for v in report.violations}


def _no_network(*args: Any, **kwargs: Any) -> Any:
    raise AssertionError(f"network access attempted: {args!r}")


def test_the_engine_is_built_and_used_offline_and_silently(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    # the default configuration warns about Spanish, Italian and Polish recognizers, and
    # Presidio's own e-mail check downloads the public suffix list on first use
    monkeypatch.setattr(socket.socket, "connect", _no_network)
    monkeypatch.setattr(socket, "getaddrinfo", _no_network)
    _engine.cache_clear()
    text = "mail jo@gmail.com from 8.8.8.8"

    with warnings.catch_warnings(record=True) as caught, caplog.at_level(logging.WARNING):
        warnings.simplefilter("always")
        spans = PresidioOpinion(detectors().values()).spans(text)

    assert [(d, text[s:e]) for d, s, e in spans] == [("email", "jo@gmail.com"), ("ipv4", "8.8.8.8")]
    assert [str(w.message) for w in caught] == []
    assert caplog.records == []


@current
def test_every_entity_we_judge_has_a_recognizer(opinion: PresidioOpinion) -> None:
    assert opinion.entities == sorted(ENTITY_DETECTORS)


@current
def test_spans_go_to_the_detector_of_their_entity(opinion: PresidioOpinion) -> None:
    text = (
        "card 4539 1488 0343 6467, ssn 536-22-8726, itin 912-70-1234, mail jo@gmail.com,"
        ' site "https://www.facebook.com/jane.doe", hosts 8.8.8.8 and 2606:4700:4700::1111,'
        " mac 3c:22:fb:12:34:56, call +44 7911 123456, iban GB82WEST12345698765432,"
        " nhs 943 476 5919, nino AB123456C, mbi 1EG4-TE5-MK73"
    )

    found = {(detector, text[start:end]) for detector, start, end in opinion.spans(text)}

    assert found == {
        ("payment_card", "4539 1488 0343 6467"),
        ("us_ssn", "536-22-8726"),
        # Presidio's ITIN recognizer claims the span, and so does its SSN recognizer
        ("us_itin", "912-70-1234"),
        ("us_ssn", "912-70-1234"),
        ("email", "jo@gmail.com"),
        # the domain of the address is not a URL of its own, and the quotes are not part
        # of the URL
        ("url", "https://www.facebook.com/jane.doe"),
        # an IP address goes to the judge of its family only
        ("ipv4", "8.8.8.8"),
        ("ipv6", "2606:4700:4700::1111"),
        ("mac_address", "3c:22:fb:12:34:56"),
        ("phone", "+44 7911 123456"),
        ("iban", "GB82WEST12345698765432"),
        # Presidio reads a spaced NHS number as a phone number too
        ("nhs_number", "943 476 5919"),
        ("phone", "943 476 5919"),
        ("uk_nino", "AB123456C"),
        ("medicare_mbi", "1EG4-TE5-MK73"),
    }


@pytest.mark.parametrize(
    ("text", "raw"),
    [
        # Presidio's very weak SSN patterns take ZIP+4 codes and 3-6 digit groups, which
        # our judge would read as 3-2-4
        ("zip 10001-1234", ("US_SSN", "10001-1234")),
        ("ref 536-228726", ("US_SSN", "536-228726")),
        # its URL recognizer takes host.in from an e-mail domain whose suffix is not
        # public (so its e-mail recognizer drops the address), and stops at a TLD inside
        # a word
        ("mail a@host.invalid", ("URL", "host.in")),
        ("see www.acme.community", ("URL", "www.acme.com")),
    ],
)
def test_spans_that_cannot_be_their_entity_are_left_out(
    opinion: PresidioOpinion, text: str, raw: tuple[str, str]
) -> None:
    results = _engine().analyze(text=text, language="en", score_threshold=0.0)

    assert raw in {(r.entity_type, text[r.start : r.end]) for r in results}
    assert opinion.spans(text) == []
    assert scan([{"notes": text}], presidio=True).violations == []


def test_presidio_finds_planted_identifiers_in_free_text() -> None:
    values = [f"noted on the call: {p.value}, please update" for p in PRESIDIO_FLAGGED]

    report = scan([{"notes": v} for v in values], presidio=True)

    expected = {(row, "notes", p.detector, p.value) for row, p in enumerate(PRESIDIO_FLAGGED)}
    assert expected <= _found(report, values)


@pytest.mark.parametrize(
    ("detector", "value"),
    [
        # shapes our free-text rules leave to a field's name (``ssn``, ``nhs``, ``mobile``)
        ("us_ssn", "219099999"),
        ("nhs_number", "9434765919"),
        ("phone", "07911123456"),
        ("phone", "4158675309"),
        # a host with no scheme
        ("url", "www.acme-corp.io"),
    ],
)
def test_presidio_candidates_are_judged_and_reported(
    opinion: PresidioOpinion, detector: str, value: str
) -> None:
    text = f"see {value} today"

    report = scan([{"notes": text}], presidio=True)

    assert (detector, 4, 4 + len(value)) in opinion.spans(text)
    assert (0, "notes", detector, value) in _found(report, [text])


@pytest.mark.parametrize("plant", FLAGGED + SAFE, ids=lambda p: p.id)
def test_presidio_only_adds_to_what_our_rules_report(plant: Plant) -> None:
    alone = plant.value
    in_text = f"see {plant.value} today"
    records = [{plant.field: alone}, {"notes": in_text}]

    plain = scan(records)
    merged = scan(records, presidio=True)

    assert _found(plain, [alone, in_text]) <= _found(merged, [alone, in_text])
    assert merged.candidates >= plain.candidates


@pytest.mark.parametrize("plant", SAFE, ids=lambda p: p.id)
def test_safe_values_stay_safe_with_presidio(plant: Plant) -> None:
    alone = plant.value
    in_text = f"see {plant.value} today"
    records = [{plant.field: alone}, {"notes": in_text}]

    plain = scan(records)
    merged = scan(records, presidio=True)

    assert _found(merged, [alone, in_text]) == _found(plain, [alone, in_text])


@current
@pytest.mark.parametrize(
    ("detector", "value"),
    [
        ("email", "jane@example.com"),
        ("email", "x@mail.example.org"),
        ("url", "https://example.com/a/b"),
        ("phone", "(212) 555-0100"),
        ("phone", "+1 212 555 0142"),
        ("phone", "020 7946 0123"),
        ("payment_card", "4111 1111 1111 1111"),
        ("payment_card", "4242424242424242"),
        ("payment_card", "378282246310005"),
        ("payment_card", "5555-5555-5555-4444"),
        ("ipv4", "192.0.2.1"),
        ("ipv6", "2001:db8::1"),
        ("mac_address", "00-00-5E-00-53-01"),
        ("iban", "GB82WEST12345698765432"),
    ],
)
def test_safe_values_presidio_flags_are_judged_safe(
    opinion: PresidioOpinion, detector: str, value: str
) -> None:
    text = f"contact: {value}."

    report = scan([{"notes": text}], presidio=True)

    assert (detector, 9, 9 + len(value)) in opinion.spans(text)
    assert report.violations == []
    assert report.clean


def test_the_report_names_table_row_and_field_path() -> None:
    records: list[dict[str, Any]] = [
        {"id": 1, "profile": {"bio": "reach me at jane@example.com"}, "tags": ["vip"]},
        {
            "id": 2,
            "profile": {"bio": "cell 07911123456, mail jo@gmail.com"},
            "tags": ["ok", "ref 219099999"],
        },
        {"id": 3, "orders": [{"note": "paid 4111 1111 1111 1111"}, {"note": "see 4158675309"}]},
    ]

    report = scan(records, table="customers", presidio=True)

    assert {v.table for v in report.violations} == {"customers"}
    assert [(v.row, v.path, v.detector, v.masked) for v in report.violations] == [
        (1, "profile.bio", "phone", "07*******56"),
        (1, "profile.bio", "email", "j***@gmail.com"),
        (1, "tags[1]", "us_ssn", "21*****99"),
        (2, "orders[1].note", "phone", "41******09"),
    ]
    spans = [(v.path, v.start, v.end) for v in report.violations]
    assert spans == [
        ("profile.bio", 5, 16),
        ("profile.bio", 23, 35),
        ("tags[1]", 4, 13),
        ("orders[1].note", 4, 14),
    ]


def test_only_the_entities_of_the_chosen_profiles_are_asked_for() -> None:
    text = "card 4539 1488 0343 6467, mail jo@gmail.com, cell 07911123456"

    report = scan([{"notes": text}], ("pci_dss",), presidio=True)

    assert PresidioOpinion([detectors()["payment_card"]]).entities == ["CREDIT_CARD"]
    assert [(v.detector, text[v.start : v.end]) for v in report.violations] == [
        ("payment_card", "4539 1488 0343 6467")
    ]
