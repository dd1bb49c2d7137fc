"""synthdata's own output scans clean: every template, every locale, with and without profiles."""

from __future__ import annotations

import pytest

from synthdata_sdk import SynthDataClient
from synthdata_sdk.generation.semantics import SUPPORTED_LOCALES
from synthdata_sdk.quality import scan
from synthdata_sdk.schema.templates import list_templates

ROWS = 2000
CASES = [(t, loc) for t in list_templates() for loc in SUPPORTED_LOCALES]


def _describe(report: object) -> str:
    violations = getattr(report, "violations", [])
    shown = [(v.row, v.path, v.detector, v.masked, v.rule) for v in violations[:5]]
    return f"{len(violations)} violation(s), first: {shown}"


@pytest.mark.parametrize("compliance", [("gdpr", "pci_dss"), ()], ids=["profiles", "plain"])
@pytest.mark.parametrize(("template", "locale"), CASES)
def test_generated_data_scans_clean_under_gdpr_and_pci_dss(
    template: str, locale: str, compliance: tuple[str, ...]
) -> None:
    dataset = SynthDataClient().generate(
        template, rows=ROWS, seed=11, locale=locale, compliance=compliance
    )

    report = scan(dataset, ("gdpr", "pci_dss"))

    assert report.rows == ROWS
    assert report.candidates > 0
    assert report.clean, _describe(report)


@pytest.mark.parametrize(("template", "locale"), CASES)
def test_data_generated_for_hipaa_scans_clean_under_hipaa(template: str, locale: str) -> None:
    dataset = SynthDataClient().generate(
        template, rows=ROWS // 2, seed=11, locale=locale, compliance=("hipaa",)
    )

    report = scan(dataset, ("hipaa",))

    assert report.clean, _describe(report)
