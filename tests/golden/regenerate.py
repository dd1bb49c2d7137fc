"""Rewrite the golden file: ``python -m tests.golden.regenerate [--check]``.

Run from the repository root after a deliberate change to generated data (see
docs/compatibility.md and CONTRIBUTING.md). It measures every case, then refuses to record a
fingerprint or byte change under an unchanged data version: that change needs
``ENGINE_VERSION`` bumped first. ``--check`` reports what is out of date and writes nothing.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from synthdata_sdk.generation.version import ENGINE_VERSION
from tests.golden.cases import GOLDEN_FILE, REGENERATE, cases, environment, measure
from tests.golden.cases import parquet_available as _parquet_available
from tests.golden.policy import Finding, blocking, compare_case

ABOUT = (
    "Pinned fingerprints and output digests (docs/compatibility.md). Do not edit by hand: "
    f"run `{REGENERATE}`."
)


def measure_all() -> dict[str, Any]:
    """The golden document for the code and packages installed now."""
    return {
        "about": ABOUT,
        "engine_version": ENGINE_VERSION,
        "environment": environment(),
        "cases": {case.id: measure(case) for case in cases()},
    }


def load_golden(path: Path = GOLDEN_FILE) -> dict[str, Any] | None:
    """The golden document at ``path``, or None when there is none yet."""
    if not path.exists():
        return None
    document: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return document


def dump_golden(document: dict[str, Any]) -> str:
    """The golden document as written: sorted keys, indented, one field per line."""
    return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def all_findings(pinned: dict[str, Any], current: dict[str, Any]) -> list[Finding]:
    """Every case that differs between two golden documents."""
    out = []
    for case in sorted(set(pinned["cases"]) | set(current["cases"])):
        finding = compare_case(
            case,
            pinned["cases"].get(case),
            current["cases"].get(case),
            pinned_meta=pinned,
            current_meta=current,
        )
        if finding is not None:
            out.append(finding)
    return out


def summary(pinned: dict[str, Any] | None, current: dict[str, Any]) -> list[str]:
    """What regenerating changes, in a few lines, with the CHANGELOG reminder when needed."""
    if pinned is None:
        return [f"pinned {len(current['cases'])} cases (no golden file before)"]
    before, after = pinned["cases"], current["cases"]
    new = sorted(set(after) - set(before))
    removed = sorted(set(before) - set(after))
    common = sorted(set(before) & set(after))
    changed = [case for case in common if before[case] != after[case]]
    # a case whose request changed (an edited golden schema) is a new request, not a change
    refingerprinted = [
        case
        for case in common
        if before[case]["request"] == after[case]["request"]
        and before[case]["fingerprint"] != after[case]["fingerprint"]
    ]
    lines = [
        f"{len(common) - len(changed)} unchanged, {len(changed)} changed "
        f"({len(refingerprinted)} with a new fingerprint), {len(new)} new, {len(removed)} removed"
    ]
    lines += [f"  new: {case}" for case in new]
    lines += [f"  removed: {case}" for case in removed]
    lines += [f"  changed: {case}" for case in changed]
    if refingerprinted:
        lines.append(
            "Fingerprints changed: add a CHANGELOG line (Unreleased) saying that datasets cached "
            "by earlier versions and lock files are regenerated (`pytest "
            "--synthdata-update-lock`), and update the fingerprints shown in the docs."
        )
    return lines


def main(argv: list[str] | None = None) -> int:
    """Measure every case and rewrite the golden file; the exit code says what happened."""
    parser = argparse.ArgumentParser(prog=REGENERATE, description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="report only; write nothing")
    parser.add_argument("--golden", type=Path, default=GOLDEN_FILE, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if not _parquet_available():
        print("the golden file pins Parquet output: install pyarrow (the parquet extra)")
        return 2
    current = measure_all()
    pinned = load_golden(args.golden)
    findings = all_findings(pinned, current) if pinned is not None else []
    refused = blocking(findings)
    if refused:
        for finding in refused:
            print(finding.message, file=sys.stderr)
        print(
            f"{len(refused)} case(s) changed under an unchanged data version; "
            f"{args.golden.name} was not written",
            file=sys.stderr,
        )
        return 1
    for line in summary(pinned, current):
        print(line)
    if args.check:
        return 1 if findings or pinned is None else 0
    args.golden.write_text(dump_golden(current), encoding="utf-8")
    print(f"wrote {args.golden}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
