"""Pinned fingerprints and bytes: what the code generates now against tests/golden/golden.json.

A failure here means that a user's cached datasets, lock files or shared cache would no longer
match what the code generates. Each message says what changed and what to do; the rule is in
``policy.py`` and the promise in docs/compatibility.md.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from synthdata_sdk.generation.version import ENGINE_VERSION
from tests.golden.cases import (
    GOLDEN_FILE,
    REGENERATE,
    SCHEMAS_DIR,
    case_by_id,
    environment,
    measure,
    parquet_available,
)
from tests.golden.policy import compare_case


def _golden() -> dict[str, Any]:
    if not GOLDEN_FILE.exists():
        pytest.fail(f"{GOLDEN_FILE.name} is missing: run `{REGENERATE}`")
    document: dict[str, Any] = json.loads(GOLDEN_FILE.read_text(encoding="utf-8"))
    return document


GOLDEN = _golden() if GOLDEN_FILE.exists() else {"cases": {}}
CASES = case_by_id()


@pytest.mark.parametrize("case_id", sorted(set(CASES) | set(GOLDEN["cases"])))
def test_case_matches_its_pinned_fingerprint_and_bytes(case_id: str) -> None:
    golden = _golden()
    pinned = golden["cases"].get(case_id)
    current = measure(CASES[case_id]) if case_id in CASES else None
    if pinned is not None and current is not None and not parquet_available():
        pinned = {**pinned, "sha256": dict(pinned["sha256"])}
        pinned["sha256"].pop("parquet", None)  # cannot be measured without pyarrow
    finding = compare_case(
        case_id,
        pinned,
        current,
        pinned_meta=golden,
        current_meta={"engine_version": ENGINE_VERSION, "environment": environment()},
    )
    if finding is None:
        return
    if finding.kind == "environment":
        pytest.skip(finding.message)
    pytest.fail(finding.message, pytrace=False)


def test_hand_made_schemas_use_every_supported_keyword() -> None:
    """Every keyword synthdata accepts is pinned by at least one golden schema."""
    from synthdata_sdk.schema.keywords import ASSERTIONS, DISTRIBUTIONS

    used: set[str] = set()
    for path in SCHEMAS_DIR.glob("*.json"):
        _collect_keys(json.loads(path.read_text(encoding="utf-8")), used)
    extension = {f"x-synthdata/{key}" for key in _extension_keys()}
    distributions = {f"distribution/{kind}" for kind in DISTRIBUTIONS}
    # annotations do not change data; the ones a schema commonly carries are enough
    wanted = ASSERTIONS | {"$defs", "$anchor", "$dynamicAnchor", "title", "description"}
    missing = sorted((wanted | extension | distributions) - used)
    assert not missing, (
        f"no schema under {SCHEMAS_DIR.name}/ uses {missing}: add them to a golden schema "
        f"(or a new one) and run `{REGENERATE}`"
    )


def _extension_keys() -> list[str]:
    from synthdata_sdk.schema import keywords

    return sorted(keywords._EXTENSION_KEYS)


def _collect_keys(schema: Any, out: set[str]) -> None:
    if isinstance(schema, dict):
        for key, value in schema.items():
            out.add(key)
            if key == "x-synthdata" and isinstance(value, dict):
                out.update(f"x-synthdata/{option}" for option in value)
                kind = value.get("distribution", {}).get("kind")
                if kind:
                    out.add(f"distribution/{kind}")
            if key in ("properties", "patternProperties", "$defs", "dependentSchemas"):
                for sub in value.values() if isinstance(value, dict) else ():
                    _collect_keys(sub, out)
            elif key not in (
                "enum",
                "const",
                "examples",
                "default",
                "required",
                "dependentRequired",
            ):
                _collect_keys(value, out)
    elif isinstance(schema, list):
        for item in schema:
            _collect_keys(item, out)
