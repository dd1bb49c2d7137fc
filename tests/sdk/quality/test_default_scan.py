"""Output generated with default settings passes a scan with default settings.

docs/cli.md promises that "data that synthdata generated passes": ``synthdata generate`` with
no ``--compliance`` and ``synthdata scan`` with no ``--profile`` must agree, for every
template in every locale and in every text format the scan reads.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from synthdata_sdk import SynthDataClient
from synthdata_sdk.generation.safe_patterns import renderings, spread
from synthdata_sdk.generation.semantics import SEMANTICS, SUPPORTED_LOCALES
from synthdata_sdk.quality import scan
from synthdata_sdk.quality.detectors.base import detectors
from synthdata_sdk.quality.profiles import DEFAULT_PROFILES, detectors_for
from synthdata_sdk.schema.templates import list_templates
from tests.sdk.cli_support import Run
from tests.sdk.quality.template_fields import FIELDS

#: Safe Harbor's quasi-identifier detectors: the shape of a de-identified set, not identifiers
QUASI_IDENTIFIERS = {"date_of_birth", "age", "zip_code"}
#: the default locale, then every other one
LOCALES = [None, *(locale for locale in SUPPORTED_LOCALES if locale != "en_US")]


def _holds_identifiers(template: str) -> bool:
    """Whether a template has a field of an identifier kind (some hold only codes and text)."""
    plain = {"text", "number", "boolean", "uuid", "date_of_birth", "postcode"}
    return bool(set(FIELDS[template].values()) - plain)


def _generate_and_scan(run: Run, out: Path, *options: str) -> dict[str, object]:
    code, _, err = run("generate", *options, "--out", str(out), "-q")
    assert (code, err) == (0, "")
    code, report, err = run("scan", str(out), "--format", "json")
    document: dict[str, object] = json.loads(report)
    assert (code, err) == (0, ""), document["violations"]
    return document


@pytest.mark.parametrize("suffix", ["csv", "jsonl"])
@pytest.mark.parametrize("locale", LOCALES, ids=lambda loc: loc or "default")
@pytest.mark.parametrize("template", list_templates())
def test_default_generate_passes_default_scan(
    run: Run, tmp_path: Path, template: str, locale: str | None, suffix: str
) -> None:
    options = [template] if locale is None else [template, "--locale", locale]

    document = _generate_and_scan(run, tmp_path / f"{template}.{suffix}", *options)

    assert document["clean"] is True
    assert document["profiles"] == list(DEFAULT_PROFILES)
    assert document["rows"] == 100  # generate's default
    if _holds_identifiers(template):
        assert document["candidates"] > 0  # the scan judged the template's identifiers


def test_the_reported_case_a_thousand_customers_in_csv(run: Run, tmp_path: Path) -> None:
    out = tmp_path / "c.csv"
    code, _, _ = run("generate", "customer", "--rows", "1000", "--out", str(out), "-q")
    assert code == 0

    code, report, err = run("scan", str(out))

    assert (code, err) == (0, "")
    assert ": 0 violations, 0 errors; " in report


@pytest.mark.parametrize("template", list_templates())
def test_the_sdk_defaults_agree_too(template: str) -> None:
    report = scan(SynthDataClient().generate(template))

    assert report.profiles == DEFAULT_PROFILES
    assert report.clean, [v.to_json() for v in report.violations[:3]]


def test_the_default_profiles_enforce_every_identifier_detector() -> None:
    assert set(detectors_for(DEFAULT_PROFILES)) == set(detectors()) - QUASI_IDENTIFIERS


def test_safe_harbor_dates_are_checked_only_when_asked(run: Run, tmp_path: Path) -> None:
    data = tmp_path / "people.jsonl"
    data.write_text('{"date_of_birth": "1980-06-14"}\n', encoding="utf-8")

    assert run("scan", str(data))[0] == 0
    code, out, _ = run("scan", str(data), "--profile", "hipaa")
    assert code == 1
    assert ":0:date_of_birth: date_of_birth: " in out


def test_a_real_identifier_still_fails_the_default_scan(run: Run, tmp_path: Path) -> None:
    data = tmp_path / "people.csv"
    data.write_text("ssn,card\n123-45-6789,4532015112830366\n", encoding="utf-8")

    code, out, _ = run("scan", str(data), "--format", "json")

    assert code == 1
    assert {v["detector"] for v in json.loads(out)["violations"]} == {"us_ssn", "payment_card"}


@pytest.mark.slow
@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
@pytest.mark.parametrize("template", list_templates())
def test_default_generate_passes_default_scan_at_10000_rows(
    run: Run, tmp_path: Path, template: str, locale: str
) -> None:
    out = tmp_path / f"{template}.csv"
    options = [template, "--locale", locale, "--rows", "10000", "--seed", "3"]

    document = _generate_and_scan(run, out, *options)

    assert document["rows"] == 10_000


def _identifier_writings() -> list[tuple[str, str, str]]:
    return [
        (name, locale, rendering.name)
        for name, semantic in SEMANTICS.items()
        if semantic.identifier
        for locale in SUPPORTED_LOCALES
        for rendering in renderings(name)
    ]


@pytest.mark.parametrize(("semantic", "locale", "writing"), _identifier_writings())
def test_every_way_a_pattern_has_safe_values_written_passes_the_default_scan(
    semantic: str, locale: str, writing: str
) -> None:
    # a pattern may ask for "123456789" or "+447700900123": the scan must still pass them
    rendering = next(r for r in renderings(semantic) if r.name == writing)
    source = SEMANTICS[semantic]
    for options in ({}, {"luhn": True}, {"checksum": True}):
        if not set(options) <= source.options:
            continue
        size = source.domain_size(locale, options)
        indices = np.unique(spread(size, 2000))
        values = rendering(source.values(indices, locale, options), locale)
        field = {"type": "string", "x-synthdata": {"semantic": semantic}}
        report = scan(
            [{semantic: value} for value in values],
            schema={"type": "object", "properties": {semantic: field}},
        )
        assert report.clean, [v.to_json() for v in report.violations[:3]]
