"""Patterns on fields whose name implies nothing, whose strings are shaped like identifiers.

``^\\d{3}-\\d{2}-\\d{4}$`` on a field named ``code`` drew issuable SSNs, and ``^4\\d{15}$``
Luhn-valid card numbers on a live issuer prefix: the default scan reported 2,011 violations
in 2,000 rows. Values are judged here by the published ranges (``published_ranges``), not
only by the scanner that generation consults.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from synthdata_sdk import SynthDataClient
from synthdata_sdk.errors import SchemaError
from synthdata_sdk.generation import engine
from synthdata_sdk.generation.engine import iter_chunks
from synthdata_sdk.generation.pattern_shapes import identifier_shape
from synthdata_sdk.generation.planner import build_plan
from synthdata_sdk.generation.safe_shapes import ShapeGuardNode
from synthdata_sdk.quality import scan
from synthdata_sdk.schema.normalize import normalize
from tests.sdk.cli_support import Run
from tests.sdk.published_ranges import luhn_valid, text_unsafe, unsafe

client = SynthDataClient()

#: the reported schema: no name implies an identifier, both patterns spell one
REPORTED = {
    "type": "object",
    "properties": {
        "card": {"type": "string", "pattern": r"^4\d{15}$"},
        "code": {"type": "string", "pattern": r"^\d{3}-\d{2}-\d{4}$"},
    },
    "required": ["card", "code"],
}
SAFE_WAY_OUT = 'x-synthdata {"semantic": "none"}'


def _schema(pattern: str, name: str = "code", **extra: Any) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": {name: {"type": "string", "pattern": pattern, **extra}},
        "required": [name],
    }


def _published_violations(value: str) -> str | None:
    """Why ``value`` holds a real identifier by the published ranges, or None."""
    digits = re.sub(r"[ .()/+-]", "", value)
    if digits.isdigit() and 13 <= len(digits) <= 19:
        why = unsafe("credit_card", digits)
        if why is not None and not why.startswith("not a "):
            return f"{value!r}: {why}"
    return text_unsafe(value)


def test_the_reported_schema_passes_the_default_scan(run: Run, tmp_path: Path) -> None:
    schema, out = tmp_path / "s.json", tmp_path / "o.csv"
    schema.write_text(json.dumps(REPORTED))

    code, _, err = run("generate", str(schema), "--rows", "2000", "--out", str(out), "-q")
    assert (code, err) == (0, "")
    code, report, err = run("scan", str(out), "--format", "json")

    # before: 2,011 violations (issuable SSNs in code, Luhn-valid PANs in card)
    assert (code, err) == (0, ""), json.loads(report)["violations"][:3]
    assert json.loads(report)["clean"] is True


def test_the_reported_schema_holds_no_real_identifier_by_the_published_ranges() -> None:
    records = client.generate(REPORTED, rows=2000, seed=3).records

    assert [r["card"] for r in records if luhn_valid(r["card"])] == []
    assert [r["code"] for r in records if unsafe("ssn", r["code"])] == []
    assert all(re.fullmatch(r"4\d{15}", r["card"]) for r in records)
    assert all(re.fullmatch(r"\d{3}-\d{2}-\d{4}", r["code"]) for r in records)
    assert scan(records).clean


@st.composite
def identifier_shaped_patterns(draw: st.DrawFn) -> str:
    """Card-number runs on issuer prefixes, SSN shapes, and digit groups with separators."""
    kind = draw(st.sampled_from(["card", "ssn", "groups"]))
    if kind == "card":
        prefix = draw(st.sampled_from(["3", "4", "5", "6", "37", "51", "55", "6011", "4[0-9]"]))
        total = draw(st.integers(13, 19))
        width = len(re.sub(r"\[0-9\]", "0", prefix))
        return f"^{prefix}\\d{{{total - width}}}$"
    if kind == "ssn":
        area = draw(st.sampled_from([r"\d{3}", "[0-8][0-9]{2}", "[1-5]\\d\\d", "9\\d\\d"]))
        separator = draw(st.sampled_from(["-", "-?"]))
        return f"^{area}{separator}\\d{{2}}{separator}\\d{{4}}$"
    separator = draw(st.sampled_from(["-", " "]))
    first = draw(st.integers(3, 6))
    groups = draw(st.lists(st.integers(2, 4), min_size=2, max_size=4))
    tail = "".join(f"{separator}\\d{{{size}}}" for size in groups)
    return f"^[3-6]\\d{{{first - 1}}}{tail}$"


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    pattern=identifier_shaped_patterns(),
    name=st.sampled_from(["code", "reference", "value"]),
    seed=st.integers(0, 2**32),
)
def test_identifier_shaped_patterns_give_no_real_identifier_or_a_refusal(
    pattern: str, name: str, seed: int
) -> None:
    try:
        records = client.generate(_schema(pattern, name), rows=300, seed=seed).records
    except SchemaError as error:
        assert (error.pointer, error.keyword) == (f"/properties/{name}", "pattern")
        assert SAFE_WAY_OUT in str(error)
        return

    values = [record[name] for record in records]
    assert all(re.search(pattern, value) for value in values)
    assert [why for v in values if (why := _published_violations(v))] == []


def test_a_card_number_inside_a_longer_run_of_digit_groups_is_redrawn() -> None:
    # four of these five groups can spell a Luhn-valid card number ("5841 6335 5917 2309 ...")
    pattern = r"^[3-6]\d{3} \d{4} \d{4} \d{4} \d{4}$"
    records = client.generate(_schema(pattern), rows=2000, seed=0).records
    values = [record["code"] for record in records]
    assert all(re.search(pattern, value) for value in values)
    assert [why for v in values if (why := _published_violations(v))] == []


def test_a_pattern_that_admits_only_a_live_card_number_is_refused_naming_the_ways_out() -> None:
    with pytest.raises(SchemaError) as refused:
        client.generate(_schema(r"^4539148803436467$"), rows=10)

    error = refused.value
    assert (error.pointer, error.keyword) == ("/properties/code", "pattern")
    message = str(error)
    assert "can spell a phone, SSN, NHS or card number" in message
    assert "such as 453914******6467 (payment_card: Luhn-valid PAN" in message
    assert "512 of 512 values drawn were unsafe" in message
    assert 'x-synthdata {"semantic": "credit_card"} to draw safe credit_card values' in message
    assert SAFE_WAY_OUT in message


def test_a_unique_pattern_column_that_spells_identifiers_is_refused() -> None:
    schema = _schema(r"^\d{3}-\d{2}-\d{4}$", **{"x-synthdata": {"unique": True}})

    with pytest.raises(SchemaError) as refused:
        client.generate(schema, rows=50)

    message = str(refused.value)
    assert "a unique pattern column is numbered, so an unsafe value cannot be drawn" in message
    assert 'x-synthdata {"semantic": "ssn"}' in message and SAFE_WAY_OUT in message


def test_a_unique_pattern_column_whose_values_are_safe_keeps_its_values() -> None:
    schema = _schema(r"^ORD-\d{8}$", **{"x-synthdata": {"unique": True}})
    shorter = _schema(r"^ORD-\d{7}$", **{"x-synthdata": {"unique": True}})  # not judged

    records = client.generate(schema, rows=500, seed=2).records

    assert len({r["code"] for r in records}) == 500
    # checked, never redrawn: the values do not change, nor does the data version
    version = client.prepare(schema).request.data_version
    assert version == client.prepare(shorter).request.data_version


def test_the_identifier_semantic_draws_safe_values_for_the_same_pattern() -> None:
    schema = _schema(r"^4539148803436467$", **{"x-synthdata": {"semantic": "credit_card"}})

    with pytest.raises(SchemaError) as refused:  # no safe card number is that one
        client.generate(schema, rows=10)
    assert "says this field holds credit_card values" in str(refused.value)

    ssn = _schema(r"^\d{3}-\d{2}-\d{4}$", **{"x-synthdata": {"semantic": "ssn"}})
    values = [r["code"] for r in client.generate(ssn, rows=300).records]
    assert [v for v in values if unsafe("ssn", v)] == []


def test_semantic_none_keeps_the_pattern_values_as_drawn() -> None:
    opted_out = _schema(r"^\d{3}-\d{2}-\d{4}$", **{"x-synthdata": {"semantic": "none"}})

    values = [r["code"] for r in client.generate(opted_out, rows=300, seed=1).records]

    # asked for: the values are drawn as the pattern says, issuable SSNs among them
    assert any(unsafe("ssn", v) for v in values)


@pytest.mark.parametrize(
    "pattern",
    [
        r"^[A-Z]{3}-\d{4}$",
        r"^[0-9]{1,2}\.[0-9]{1,2}\.[0-9]{1,3}$",
        r"^SKU-[A-Z]{2}[0-9]{3,5}$",
        r"^[a-z]+$",
        r"^\d{7}$",
        r"[a-f]{4}",
    ],
)
def test_patterns_that_cannot_spell_an_identifier_are_not_judged(pattern: str) -> None:
    assert identifier_shape(pattern, None, "") is None
    plan = build_plan(normalize(_schema(pattern)))
    assert not isinstance(plan.root.properties[0][1], ShapeGuardNode)  # type: ignore[attr-defined]
    assert plan.safe_rules == set()


@pytest.mark.parametrize(
    ("pattern", "max_length", "shape"),
    [
        (r"^\d{3}-\d{2}-\d{4}$", None, "a phone, SSN, NHS or card number"),
        (r"^4\d{15}$", None, "a phone, SSN, NHS or card number"),
        (r"^\+\d{8}$", None, "a phone, SSN, NHS or card number"),
        (r"^[a-z0-9]+$", None, "a phone, SSN, NHS or card number"),
        (r"^[a-z0-9]+$", 7, None),
        (r"^\d+(\.\d+){3}$", None, "a phone, SSN, NHS or card number"),
        (r"^\d\.\d\.\d\.\d$", None, "an IPv4 address"),
        (r"^[a-z]+@[a-z]+\.com$", None, "an e-mail, URL, IPv6 or MAC address"),
        (r"^[A-Z]{2}\d{6}[A-D]$", None, "an NI number"),
        (r"^[A-Z]{2}\d{2}[A-Z]{11}$", None, "an IBAN"),
        (r"^([a-f]{2}-){5}[a-f]{2}$", None, "a MAC address"),
        (r"^(\d{4})-\1$", None, "a phone, SSN, NHS or card number"),
    ],
)
def test_identifier_shapes_are_told_from_the_parse_tree(
    pattern: str, max_length: int | None, shape: str | None
) -> None:
    assert identifier_shape(pattern, max_length, "") == shape


def test_guarded_patterns_change_the_data_version() -> None:
    # a dataset cached before the guard may hold values it now redraws
    plan = build_plan(normalize(_schema(r"^\d{3}-\d{2}-\d{4}$")))
    guarded = client.prepare(_schema(r"^\d{3}-\d{2}-\d{4}$")).request.data_version
    plain = client.prepare(_schema(r"^\d{3}-\d{2}-\d{2}$")).request.data_version

    assert isinstance(plan.root.properties[0][1], ShapeGuardNode)  # type: ignore[attr-defined]
    assert plan.safe_rules == {"shapes"}
    assert guarded != plain


@pytest.mark.slow
def test_guarded_records_are_the_same_for_one_and_two_workers() -> None:
    rows = engine.CHUNK_ROWS + 700

    def records(workers: int) -> list[Any]:
        chunks = iter_chunks(
            normalize(REPORTED), rows=rows, seed=5, locale="en_US", workers=workers
        )
        return [record for chunk in chunks for record in chunk]

    single = records(1)

    assert repr(records(2)) == repr(single)
    assert scan(single).clean
