"""Each detector flags real-format identifiers, passes safe look-alikes, and masks what it reports."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from stdnum import iban, luhn
from stdnum import mac as stdnum_mac
from stdnum.gb import nhs

from synthdata_sdk.generation.semantics.payments import EXAMPLE_IBANS as GENERATED_IBANS
from synthdata_sdk.generation.semantics.payments import TEST_PANS as GENERATED_PANS
from synthdata_sdk.quality import scan
from synthdata_sdk.quality.detectors import Field, Text, detectors
from synthdata_sdk.quality.detectors.banking import EXAMPLE_IBANS
from synthdata_sdk.quality.detectors.cards import TEST_PAN_SOURCES, TEST_PANS
from synthdata_sdk.quality.masking import mask_card, mask_email, mask_middle, mask_url
from tests.sdk.quality.planted import (
    FLAGGED,
    KEYWORDS,
    NHS,
    SAFE,
    UK_IBAN,
    Plant,
    in_free_text,
)

ALL = ("gdpr", "hipaa", "pci_dss")


def _compact(value: str) -> str:
    return re.sub(r"[\s\-.:()+/]", "", value).lower()


def _assert_not_revealed(value: str, shown: str) -> None:
    """Neither the value nor its bare characters appear in ``shown`` (a birth year, which
    masks show instead of the date, is no identifier)."""
    if re.fullmatch(r"\d{4}", value):
        return
    assert value not in shown
    assert _compact(value) not in _compact(shown)


def test_planted_values_have_the_shape_they_claim() -> None:
    for plant in FLAGGED:
        bare = re.sub(r"[ \-]", "", plant.value)
        if plant.detector == "payment_card":
            assert luhn.is_valid(bare), plant
        if plant.detector == "iban":
            assert iban.is_valid(bare), plant
        if plant.detector == "nhs_number":
            assert nhs.is_valid(bare), plant
        if plant.detector == "mac_address":
            hexits = re.sub(r"[:.\-]", "", plant.value)
            colons = ":".join(hexits[i : i + 2] for i in range(0, 12, 2))
            assert stdnum_mac.get_manufacturer(colons), plant  # a real vendor's OUI


@pytest.mark.parametrize("plant", FLAGGED, ids=lambda p: p.id)
def test_a_real_format_value_is_a_violation(plant: Plant) -> None:
    report = scan([{plant.field: plant.value}], ALL)

    mine = [v for v in report.violations if v.detector == plant.detector]
    assert len(mine) == 1, report.violations
    violation = mine[0]
    assert (violation.row, violation.path) == (0, plant.field)
    assert (violation.start, violation.end) == (0, len(plant.value))
    assert violation.rule and "\n" not in violation.rule
    _assert_not_revealed(plant.value, violation.masked)
    _assert_not_revealed(plant.value, repr(report))


@pytest.mark.parametrize("plant", SAFE, ids=lambda p: p.id)
def test_a_safe_look_alike_is_no_violation(plant: Plant) -> None:
    report = scan([{plant.field: plant.value}], ALL)

    assert report.violations == []
    assert report.clean


@pytest.mark.parametrize("plant", [p for p in FLAGGED if in_free_text(p)], ids=lambda p: p.id)
def test_a_real_value_inside_free_text_is_found_with_its_span(plant: Plant) -> None:
    lead = f"note 1: {KEYWORDS.get(plant.detector, 'see')} "
    text = f"{lead}{plant.value}, thanks."
    records = [{"id": 1, "notes": "nothing here"}, {"id": 2, "notes": text}]

    report = scan(records, ALL)

    mine = [v for v in report.violations if v.detector == plant.detector]
    assert len(mine) == 1, report.violations
    assert (mine[0].row, mine[0].path) == (1, "notes")
    assert text[mine[0].start : mine[0].end] == plant.value
    _assert_not_revealed(plant.value, repr(report))


@pytest.mark.parametrize("plant", [p for p in SAFE if p.field == "value"], ids=lambda p: p.id)
def test_a_safe_value_inside_free_text_is_no_violation(plant: Plant) -> None:
    report = scan([{"notes": f"see {plant.value}, thanks."}], ALL)

    assert report.violations == []


def test_a_card_number_in_a_sentence_is_found_and_masked_to_bin_and_last_four() -> None:
    text = "paid with card 4539 1488 0343 6467 yesterday"

    report = scan([{"memo": text}], ("pci_dss",))

    (violation,) = report.violations
    assert text[violation.start : violation.end] == "4539 1488 0343 6467"
    assert violation.masked == "453914******6467"
    assert violation.profiles == ("pci_dss",)


def test_a_grouped_card_followed_by_a_number_keeps_its_own_span() -> None:
    text = "card 4539 1488 0343 6467 100 times"

    (violation,) = scan([text], ("pci_dss",)).violations

    assert text[violation.start : violation.end] == "4539 1488 0343 6467"


@pytest.mark.parametrize("separator", [" ", "-"])
def test_a_grouped_card_right_after_a_whole_number_is_found(separator: str) -> None:
    card = separator.join(["4539", "1488", "0343", "6467"])
    text = f"cards 4111111111111111 {card} and 1234567 {card}"

    violations = scan([text], ("pci_dss",)).violations

    assert [text[v.start : v.end] for v in violations] == [card, card]


def test_digit_groups_of_a_printed_iban_are_not_a_card() -> None:
    report = scan([f"IBAN {UK_IBAN[:4]} {UK_IBAN[4:8]} 1234 5698 7654 32"], ("pci_dss",))

    assert report.violations == []


def test_the_same_card_number_in_other_separators_is_found() -> None:
    card = "4539148803436467"
    for text in (card, "4539-1488-0343-6467", "4539 1488 0343 6467"):
        assert [v.detector for v in scan([text], ("pci_dss",)).violations] == ["payment_card"]


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("45391488034364671234", "20 digits is no PAN"),
        ("12 4539 1488 0343 6467", "the tail of a longer digit group"),
        ("x4539148803436467", "part of a word"),
        ("3.4539148803436467", "part of a dotted number"),
    ],
)
def test_card_shapes_that_are_not_a_card(value: str, reason: str) -> None:
    assert scan([value], ("pci_dss",)).violations == [], reason


def test_uuids_hold_no_identifier_even_with_all_digit_groups() -> None:
    values = [
        "12345678-1234-4123-8123-123456789012",
        "45391488-0343-6467-4539-148803436467",
        "00000000-0000-0000-0000-000000000000",
    ]
    assert scan([{"id": v} for v in values], ALL).violations == []


def test_ssn_shaped_values_count_only_as_ssn_or_itin() -> None:
    report = scan([{"x": "054-12-3388"}, {"x": "912-70-1234"}], ALL)

    assert [(v.row, v.detector) for v in report.violations] == [(0, "us_ssn"), (1, "us_itin")]


def test_bare_nine_digits_are_an_ssn_only_where_the_field_or_text_says_so() -> None:
    records = [
        {"reference": "123456789"},
        {"social_security_number": "123456789"},
        {"notes": "SSN 123456789 on file"},
        {"notes": "order 123456789 shipped"},
    ]

    report = scan(records, ("gdpr",))

    assert [(v.row, v.detector) for v in report.violations] == [(1, "us_ssn"), (2, "us_ssn")]


def test_a_zip_plus_four_is_no_ssn_even_where_an_ssn_is_expected() -> None:
    records = [
        {"ssn": "10001-1234"},
        {"notes": "SSN on file, zip 10001-1234"},
        {"ssn": "054-12 3388"},  # one number, two separators: not an SSN's writing
        {"ssn": "054 12 3388"},
    ]

    report = scan(records, ALL)

    ssn = [(v.row, v.detector) for v in report.violations if v.detector.startswith("us_")]
    assert ssn == [(3, "us_ssn")]


def test_nhs_numbers_without_spaces_need_the_nhs_context() -> None:
    bare = NHS.replace(" ", "")
    records = [{"ref": bare}, {"nhs_no": bare}, {"notes": f"NHS no {bare}"}]

    report = scan(records, ("gdpr",))

    assert [v.row for v in report.violations if v.detector == "nhs_number"] == [1, 2]


def test_a_phone_number_in_an_nhs_field_is_judged_as_an_nhs_number() -> None:
    report = scan([{"nhs_number": NHS}, {"phone": "415 867 5309"}], ("gdpr",))

    assert [(v.row, v.detector) for v in report.violations] == [
        (0, "nhs_number"),
        (1, "phone"),
    ]


def test_phone_digits_need_formatting_outside_a_phone_field() -> None:
    records = [{"notes": "call 4158675309"}, {"mobile": "4158675309"}]

    assert [v.row for v in scan(records, ("gdpr",)).violations] == [1]


def test_the_555_numbers_outside_0100_0199_are_real() -> None:
    report = scan(["212-555-0199", "212-555-0200", "212-555-0099"], ("gdpr",))

    assert [v.row for v in report.violations] == [1, 2]


def test_a_nino_with_an_administrative_prefix_names_that_rule() -> None:
    (violation,) = scan(["TN123456A"], ("gdpr",)).violations

    assert "administrative" in violation.rule


def test_birth_dates_in_text_need_a_birth_keyword() -> None:
    records = [{"notes": "born 1950-03-04"}, {"notes": "shipped 1950-03-04"}]

    assert [v.row for v in scan(records, ("hipaa",)).violations] == [0]


@pytest.mark.parametrize(
    ("value", "rules"),
    [
        ("1950-03-04", ["year"]),
        ("1935-01-02", ["year"]),
        ("1935-01-01", ["89"]),
        ("1934-06-30", ["year", "89"]),
        ("1935", ["89"]),
        ("1936", []),
        ("1936-01-01", []),
    ],
)
def test_birth_dates_break_safe_harbor_by_precision_and_by_age(
    value: str, rules: list[str]
) -> None:
    report = scan([{"date_of_birth": value}], ("hipaa",))

    found = [v.rule for v in report.violations]
    assert len(found) == (1 if rules else 0)
    for word in rules:
        assert word in found[0]


def test_a_date_of_birth_is_masked_to_its_year() -> None:
    (violation,) = scan([{"dob": "1950-03-04"}], ("hipaa",)).violations

    assert violation.masked == "1950"


def test_a_schema_semantic_marks_a_birth_date_field_whatever_its_name() -> None:
    schema = {
        "type": "object",
        "properties": {"d1": {"x-synthdata": {"semantic": "date_of_birth"}}},
    }

    assert scan([{"d1": "1950-03-04"}], ("hipaa",)).violations == []
    assert len(scan([{"d1": "1950-03-04"}], ("hipaa",), schema=schema).violations) == 1


def test_ages_over_89_only_in_age_fields_or_age_phrases() -> None:
    records = [
        {"age": 93},
        {"patient_age": "95"},
        {"count": 93},
        {"notes": "patient aged 91"},
        {"notes": "she is 97 years old"},
        {"notes": "room 93"},
        {"age": 89},
    ]

    assert [v.row for v in scan(records, ("hipaa",)).violations] == [0, 1, 3, 4]


def test_zip_codes_are_read_only_in_zip_fields() -> None:
    assert scan([{"code": "10001"}], ("hipaa",)).violations == []
    assert len(scan([{"zip_code": "10001"}], ("hipaa",)).violations) == 1


def test_a_zip_stored_as_int_is_checked() -> None:
    (violation,) = scan([{"zip": 10001}], ("hipaa",)).violations

    assert violation.masked == "1***1"


@pytest.mark.parametrize(
    ("mask", "value", "expected"),
    [
        (mask_card, "4539 1488 0343 6467", "453914******6467"),
        (mask_card, "371234012345670", "371234*****5670"),
        (mask_email, "john.smith@gmail.com", "j***@gmail.com"),
        (mask_url, "https://www.facebook.com/jane.doe", "https://***.facebook.com/***"),
        (mask_url, "https://gmail.com", "https://g***.com"),
        (mask_middle, "123-45-6789", "12*-**-**89"),
        (mask_middle, "8.8.8.8", "8.*.*.8"),
        (mask_middle, "AB123456C", "AB*****6C"),
        (mask_middle, "93", "**"),
    ],
)
def test_masks_keep_at_most_a_few_characters(mask: object, value: str, expected: str) -> None:
    assert callable(mask)
    assert mask(value) == expected


def test_every_detector_masks_its_flagged_values() -> None:
    registry = detectors()
    for plant in FLAGGED:
        masked = registry[plant.detector].mask(plant.value)
        _assert_not_revealed(plant.value, masked)


def test_the_published_test_pans_pass_luhn_and_cover_the_generator() -> None:
    assert all(luhn.is_valid(pan) for pan in TEST_PANS)
    assert set(GENERATED_PANS.items) <= TEST_PANS
    assert {"Stripe", "Braintree", "Adyen"} <= set(TEST_PAN_SOURCES)


def test_the_registry_example_ibans_are_valid_and_cover_the_generator() -> None:
    assert all(iban.is_valid(example, check_country=False) for example in EXAMPLE_IBANS)
    assert set(GENERATED_IBANS.items) <= EXAMPLE_IBANS


_UUIDS = st.uuids().map(str) | st.text("0123456789", min_size=32, max_size=32).map(
    lambda h: f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"
)
_FIELDS = [Field(), Field("ssn", "ssn"), Field("nhs_number", "nhs_number"), Field("phone", "phone")]


@settings(max_examples=200, deadline=None)
@given(value=_UUIDS)
def test_detectors_that_skip_uuid_batches_find_nothing_in_a_uuid(value: str) -> None:
    for detector in detectors().values():
        if detector.reads_uuids:
            continue
        for field in _FIELDS:
            if detector.active(field):
                assert list(detector.candidates(Text(value), field)) == [], detector.name


@settings(max_examples=300, deadline=None)
@given(value=st.text(min_size=0, max_size=40))
def test_judges_accept_any_string(value: str) -> None:
    for detector in detectors().values():
        rule = detector.judge(value, Field("value"))
        assert rule is None or isinstance(rule, str)
        detector.mask(value)


@settings(max_examples=200, deadline=None)
@given(
    values=st.lists(
        st.text(alphabet="0123456789 -+().:@/abcAB\n", min_size=0, max_size=30), max_size=6
    )
)
def test_candidates_never_cross_a_line(values: list[str]) -> None:
    text = Text("\n".join(values))
    for detector in detectors().values():
        for start, end in detector.candidates(text, Field("value")):
            assert 0 <= start < end <= len(text.raw)
            assert "\n" not in text.raw[start:end], detector.name


@pytest.mark.parametrize(
    "value",
    [
        "2024-01-05T10:20:30.123456+00:00",
        "01/02/2023 10:00",
        "01.02.2023 10:00",
        "12:30:45",
        "v1.2.3",
        "Windows 10.0.19045",
        "Price: $1,234.56",
        "1,234,567,890",
        "3.14159265358979",
        "Order #123456789",
        "ORD-62701354",
        "SKU-565573",
        "ISBN 978-3-16-148410-0",
        "lat 53.81, lng -1.51",
        "color: rgb(255, 0, 0)",
        "SW1A 1AA",
        "f25a9305-fa3b-460d-8d26-14b86ee66806",
        "+00:00",
    ],
)
def test_everyday_values_are_no_violation(value: str) -> None:
    assert scan([{"notes": value}], ALL).violations == []


@pytest.mark.parametrize("code", ["AGE92ELH", "X93 YEARS OLD", "DOB1930X", "BORN1930"])
def test_keywords_glued_to_a_number_in_a_code_are_no_age_or_birth_date(code: str) -> None:
    assert scan([{"statement_descriptor": code}], ("hipaa",)).violations == []
