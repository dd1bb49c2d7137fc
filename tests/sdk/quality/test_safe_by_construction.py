"""At scale: synthdata's own output scans clean under every profile, in every locale.

For every template and every semantic type, in every supported locale, at least 100,000
generated values (over several seeds) are scanned under gdpr, hipaa and pci_dss, generated
with those profiles requested, and not one identifier is found outside its safe rule.
"""

from __future__ import annotations

import itertools
import math

import pytest

from synthdata_sdk import SynthDataClient
from synthdata_sdk.generation.semantics import SEMANTICS, SUPPORTED_LOCALES
from synthdata_sdk.quality import scan
from synthdata_sdk.schema.templates import list_templates

PROFILES = ("gdpr", "hipaa", "pci_dss")
VALUES = 100_000
SEEDS = (11, 12, 13, 14)

client = SynthDataClient()


def _scan_clean(source: object, rows: int, locale: str) -> int:
    """Generate ``rows`` per seed until 100,000 values were scanned; each scan must be clean."""
    values = 0
    for seed in itertools.count(SEEDS[0]):
        if values >= VALUES and seed >= SEEDS[0] + len(SEEDS):
            break
        dataset = client.generate(source, rows=rows, seed=seed, locale=locale, compliance=PROFILES)
        report = scan(dataset, PROFILES)
        assert report.clean, [v.to_json() for v in report.violations[:5]]
        values += report.values
    return values


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
@pytest.mark.parametrize("template", list_templates())
def test_every_template_scans_clean_at_scale(template: str, locale: str) -> None:
    probe = client.generate(template, rows=20, locale=locale, compliance=PROFILES)
    per_row = scan(probe, PROFILES).values / 20
    rows = math.ceil(VALUES / per_row / len(SEEDS))
    assert _scan_clean(template, rows, locale) >= VALUES


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
@pytest.mark.parametrize("semantic", sorted(SEMANTICS))
def test_every_semantic_scans_clean_at_scale(semantic: str, locale: str) -> None:
    schema = {
        "type": "object",
        "properties": {"value": {"type": "string", "x-synthdata": {"semantic": semantic}}},
        "required": ["value"],
        "additionalProperties": False,
    }
    rows = VALUES // len(SEEDS)
    assert _scan_clean(schema, rows, locale) >= VALUES
