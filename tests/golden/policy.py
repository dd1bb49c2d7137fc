"""The rule the golden file enforces, shared by the test and by the regeneration command.

The fingerprint promises byte-identical data. So, for every pinned case:

- the same data version must give the same fingerprint and the same bytes in every format.
  A change there would hand users different data under a fingerprint their caches, lock
  files and shared caches already hold. It needs ``ENGINE_VERSION`` bumped in
  ``synthdata_sdk/generation/version.py`` (which changes every data version, so every
  fingerprint), and the regeneration command refuses to record it otherwise;
- a different data version is expected when ``ENGINE_VERSION`` was bumped, or when the data
  packages (Faker) differ from those the golden file was made with: a Faker upgrade
  must change fingerprints, and does. Anything else that changes a data version (a pool, the
  chunk size, the text words, a compliance rule) changes fingerprints on purpose and only
  needs the golden file regenerated, with a CHANGELOG line.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from tests.golden.cases import DATA_PACKAGES, REGENERATE

#: ``regenerate``: run the command; ``bump``: bump ENGINE_VERSION first;
#: ``environment``: the installed data packages differ, the bytes cannot be compared here
Kind = Literal["regenerate", "bump", "environment"]

BUMP_HINT = (
    "bump ENGINE_VERSION in synthdata_sdk/generation/version.py, then run "
    f"`{REGENERATE}` and add a CHANGELOG line saying cached datasets and lock files will be "
    "regenerated (see docs/compatibility.md)"
)


@dataclass(frozen=True)
class Finding:
    """Why one case does not match its golden entry, and what to do about it."""

    case: str
    kind: Kind
    message: str


def compare_case(
    case: str,
    pinned: Mapping[str, Any] | None,
    current: Mapping[str, Any] | None,
    *,
    pinned_meta: Mapping[str, Any],
    current_meta: Mapping[str, Any],
) -> Finding | None:
    """What is wrong with one case, or None when it matches its golden entry."""
    if pinned == current:
        return None
    if pinned is None:
        return Finding(case, "regenerate", f"{case} is not pinned yet: run `{REGENERATE}`")
    if current is None:
        return Finding(
            case, "regenerate", f"{case} is pinned but no longer a case: run `{REGENERATE}`"
        )
    if pinned["request"] != current["request"]:
        return Finding(
            case,
            "regenerate",
            f"{case}: the pinned request {pinned['request']} is now {current['request']}; "
            f"run `{REGENERATE}`",
        )
    if pinned["data_version"] == current["data_version"]:
        if pinned["fingerprint"] == current["fingerprint"] and not _changed_digests(
            pinned, current
        ):
            # only deliveries added or dropped (a new format): nothing pinned changed
            return Finding(
                case,
                "regenerate",
                f"{case}: the pinned deliveries {sorted(pinned['sha256'])} are now "
                f"{sorted(current['sha256'])}: run `{REGENERATE}`",
            )
        return Finding(case, "bump", _same_version_message(case, pinned, current))
    if pinned_meta["engine_version"] != current_meta["engine_version"]:
        return Finding(
            case,
            "regenerate",
            f"{case}: ENGINE_VERSION is {current_meta['engine_version']!r} but the golden file "
            f"was made with {pinned_meta['engine_version']!r}: run `{REGENERATE}` and add a "
            "CHANGELOG line saying cached datasets and lock files will be regenerated",
        )
    changed = _changed_packages(pinned_meta, current_meta)
    if changed:
        return Finding(
            case,
            "environment",
            f"{case}: the data version differs because {', '.join(changed)} differ from the "
            "versions the golden file was made with, so fingerprint and bytes cannot be "
            f"compared here (the data version changed, as it must). Regenerate with `{REGENERATE}` "
            "in an environment with the versions you want to pin.",
        )
    return Finding(
        case,
        "regenerate",
        f"{case}: the data version changed from {pinned['data_version']} to "
        f"{current['data_version']} with ENGINE_VERSION unchanged (a data pool, the chunk size, "
        "the text words or a compliance rule changed), so its fingerprint changed and cached "
        f"datasets will be regenerated. If that is intended, run `{REGENERATE}` and add a "
        "CHANGELOG line saying so.",
    )


def blocking(findings: list[Finding]) -> list[Finding]:
    """The findings regeneration must refuse to record."""
    return [finding for finding in findings if finding.kind == "bump"]


def _same_version_message(case: str, pinned: Mapping[str, Any], current: Mapping[str, Any]) -> str:
    if pinned["fingerprint"] != current["fingerprint"]:
        what = (
            f"its fingerprint changed ({pinned['fingerprint'][:12]} -> "
            f"{current['fingerprint'][:12]}) under the same data version "
            f"{current['data_version']}: the canonical request (schema normalisation, property "
            "order or the canonical JSON) changed, which silently invalidates every cache and "
            "lock file"
        )
    else:
        what = (
            f"its bytes changed ({', '.join(_changed_digests(pinned, current))}) under the "
            f"same fingerprint "
            f"{current['fingerprint'][:12]}: caches would serve data the code no longer "
            "generates"
        )
    return f"{case}: {what}. If the change is intended, {BUMP_HINT}."


def _changed_digests(pinned: Mapping[str, Any], current: Mapping[str, Any]) -> list[str]:
    """The deliveries pinned in both whose digests differ."""
    before, after = pinned["sha256"], current["sha256"]
    return [key for key in sorted(set(before) & set(after)) if before[key] != after[key]]


def _changed_packages(pinned: Mapping[str, Any], current: Mapping[str, Any]) -> list[str]:
    before = pinned.get("environment", {})
    after = current.get("environment", {})
    return [
        f"{name} {after.get(name)} (golden: {before.get(name)})"
        for name in DATA_PACKAGES
        if before.get(name) != after.get(name)
    ]
