"""The engine data version: everything besides the request that decides the bytes generated.

It covers the engine's own version, the chunk size, the compliance-profile rules that shaped
the plan (if any), and a hash of every data pool a plan draws from (Faker's locale lists
change between Faker releases; hashing the pools makes such an upgrade change the
fingerprint instead of silently changing "cached" data).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from functools import cache

from synthdata_sdk.generation.engine import CHUNK_ROWS
from synthdata_sdk.generation.nodes.pattern_draw import PATTERN_DRAW_VERSION
from synthdata_sdk.generation.nodes.strings import text_pool
from synthdata_sdk.generation.planner import Plan
from synthdata_sdk.generation.semantics import lookup_semantic
from synthdata_sdk.generation.semantics.dates import REFERENCE_DATE, WINDOW_START
from synthdata_sdk.generation.semantics.records import TIMELINE_VERSION

#: bump when the same plan and pools would produce different values
ENGINE_VERSION = "5"


@cache
def pool_digest(semantic: str, locale: str) -> str:
    """sha256 of the pools one semantic (or profile variant) draws from in one locale."""
    digest = hashlib.sha256()
    for pool in lookup_semantic(semantic).pools(locale):
        digest.update(json.dumps(list(pool), ensure_ascii=False).encode("utf-8"))
        digest.update(b"\x00")
    return digest.hexdigest()


def data_version(plan: Plan, locale: str) -> str:
    """A short, stable identifier of the engine and the data a plan uses."""
    parts: dict[str, object] = {"engine": ENGINE_VERSION, "chunk_rows": CHUNK_ROWS}
    # dates are drawn relative to a fixed day, never the wall clock: the day is data
    parts["dates"] = [str(REFERENCE_DATE), str(WINDOW_START)]
    parts["pools"] = {name: pool_digest(name, locale) for name in sorted(plan.semantics)}
    if plan.profile_rules:
        # e.g. hipaa's age cap changes values without any pool changing
        parts["profile_rules"] = sorted(plan.profile_rules)
    if plan.safe_rules:
        # e.g. identifier numbers drawn from safe values, without any pool changing
        parts["safe_rules"] = sorted(plan.safe_rules)
    if plan.uses_text:
        parts["text"] = hashlib.sha256("\n".join(text_pool()).encode()).hexdigest()
    if plan.uses_patterns:
        parts["patterns"] = PATTERN_DRAW_VERSION
    if plan.uses_timeline:
        parts["timeline"] = TIMELINE_VERSION
    canonical = json.dumps(parts, sort_keys=True, separators=(",", ":"))
    return f"{ENGINE_VERSION}-{hashlib.sha256(canonical.encode()).hexdigest()[:16]}"


def table_set_version(plans: Mapping[str, Plan], locale: str) -> str:
    """The data version of a table set: every table's, and how references are drawn."""
    from synthdata_sdk.generation.tables import TABLE_SET_VERSION

    parts = {
        "tables": {name: data_version(plan, locale) for name, plan in plans.items()},
        "references": TABLE_SET_VERSION,
    }
    canonical = json.dumps(parts, sort_keys=True, separators=(",", ":"))
    return f"{ENGINE_VERSION}-{hashlib.sha256(canonical.encode()).hexdigest()[:16]}"
