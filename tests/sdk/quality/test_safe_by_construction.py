"""At scale: every generated value lies inside its published safe range, in every locale.

For every template and every semantic type, in every supported locale, at least 100,000
generated values (over several seeds, with and without compliance profiles) are judged by
the published ranges themselves (``tests/sdk/published_ranges.py``), never by the compliance
scanner that generation runs on its own output.
"""

from __future__ import annotations

import math
from typing import Any

import pytest

from synthdata_sdk import SynthDataClient
from synthdata_sdk.generation.semantics import SEMANTICS, SUPPORTED_LOCALES
from synthdata_sdk.schema.templates import list_templates
from tests.sdk.published_ranges import RULES, text_unsafe, unsafe
from tests.sdk.quality.template_fields import leaves, unsafe_values

pytestmark = pytest.mark.slow

ALL_PROFILES = ("gdpr", "hipaa", "pci_dss")
VALUES = 100_000
#: (seed, compliance): half the rows under every profile, half under none
RUNS = ((11, ALL_PROFILES), (12, ()), (13, ALL_PROFILES), (14, ()))
#: the option sets worth judging apart
OPTIONS: dict[str, list[dict[str, Any]]] = {
    "credit_card": [{}, {"luhn": True}],
    "iban": [{}, {"checksum": True}],
}
SEMANTIC_CASES = [(name, o) for name in sorted(SEMANTICS) for o in OPTIONS.get(name, [{}])]

client = SynthDataClient()


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
@pytest.mark.parametrize("template", list_templates())
def test_every_template_value_is_in_range_at_scale(template: str, locale: str) -> None:
    probe = client.generate(template, rows=200, locale=locale).records
    per_row = sum(1 for record in probe for _ in leaves(record)) / len(probe)
    # a margin for the rows whose arrays run shorter than the probe's
    rows = math.ceil(1.2 * VALUES / per_row / len(RUNS))
    judged = 0
    for seed, compliance in RUNS:
        records = client.generate(
            template, rows=rows, seed=seed, locale=locale, compliance=compliance
        ).records
        unknown, found = unsafe_values(template, records, locale, "hipaa" in compliance)
        assert not unknown and not found, (seed, compliance, sorted(unknown), found[:5])
        judged += sum(1 for record in records for _ in leaves(record))
    assert judged >= VALUES


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
@pytest.mark.parametrize(
    ("semantic", "options"),
    SEMANTIC_CASES,
    ids=[f"{n}-{'-'.join(o) or 'default'}" for n, o in SEMANTIC_CASES],
)
def test_every_semantic_value_is_in_range_at_scale(
    semantic: str, options: dict[str, Any], locale: str
) -> None:
    schema = {
        "type": "object",
        "properties": {
            "value": {"type": "string", "x-synthdata": {"semantic": semantic, **options}}
        },
        "required": ["value"],
    }
    # identifiers by their own rule; names, addresses, dates... must hold none in their text
    rule = semantic if semantic in RULES else None
    judged = 0
    for seed, compliance in RUNS:
        records = client.generate(
            schema, rows=VALUES // len(RUNS), seed=seed, locale=locale, compliance=compliance
        ).records
        values = [record["value"] for record in records]
        bad = [
            (v, why)
            for v in values
            if (why := unsafe(rule, v, locale) if rule else text_unsafe(v, locale)) is not None
        ]
        assert not bad, (seed, compliance, bad[:5])
        judged += len(values)
    assert judged >= VALUES
